/*
 * test_slurm_pattern.c - sbatch filename patterns expanded as Slurm does for
 * a batch job (sbatch(1) "filename pattern", Slurm's expand_stdio_fields).
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "job.h"
#include "slurm_pattern.h"

static struct job
sample_job(void)
{
	struct job job = { 0 };

	job.id = strdup("128");
	job.slurm_id = strdup("128");
	job.name = strdup("my job");
	job.user = strdup("alice");
	job.uid = strdup("1001");
	job.workdir = strdup("/home/alice/work");
	strlist_add(&job.nodes, "rpc-91-3");
	strlist_add(&job.nodes, "rpc-91-4");
	return job;
}

static struct job
array_job(void)
{
	struct job job = sample_job();

	free(job.id);
	free(job.slurm_id);
	job.id = strdup("100_17");
	job.slurm_id = strdup("118");
	job.array_job_id = strdup("100");
	job.array_task_id = strdup("17");
	return job;
}

static void
check(const struct job *job, const char *path, const char *want)
{
	char *got = slurm_pattern_expand(path, job);

	ck_assert_msg(strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\"",
	    path, got, want);
	free(got);
}

START_TEST(every_letter)
{
	struct job job = sample_job();

	check(&job, "/o/%j.out", "/o/128.out");
	check(&job, "/o/%J.out", "/o/128.batch.out");
	check(&job, "/o/%x-%j.out", "/o/my job-128.out");
	check(&job, "/o/%u/%N.%n.%t.%s", "/o/alice/rpc-91-3.0.0.batch");
	check(&job, "/o/100%%-%j", "/o/100%-128");
	check(&job, "/o/%A", "/o/128");
	/* Not an array task: Slurm prints its NO_VAL. */
	check(&job, "/o/%a", "/o/4294967294");
	check(&job, "/o/plain.out", "/o/plain.out");
	job_free(&job);
}
END_TEST

START_TEST(array_task)
{
	struct job job = array_job();

	check(&job, "/o/slurm-%A_%a.out", "/o/slurm-100_17.out");
	check(&job, "/o/%j", "/o/118");
	check(&job, "/o/%b", "/o/7");
	check(&job, "/o/%3a", "/o/017");
	job_free(&job);
}
END_TEST

START_TEST(padding)
{
	struct job job = sample_job();

	check(&job, "/o/job%4j.out", "/o/job0128.out");
	check(&job, "/o/job%2j-%2t.out", "/o/job128-00.out");
	check(&job, "/o/%10j", "/o/0000000128");
	check(&job, "/o/%12j", "/o/0000000128");	/* at most 10 */
	check(&job, "/o/%9999999999999999999999j", "/o/0000000128");
	check(&job, "/o/%5x", "/o/my job");	/* not numeric: no pad */
	check(&job, "/o/%5N", "/o/rpc-91-3");
	/* Digits without a pattern letter: Slurm keeps the last digit. */
	check(&job, "/o/%05j", "/o/5j");
	check(&job, "/o/%12q", "/o/2q");
	check(&job, "/o/%7", "/o/7");
	job_free(&job);
}
END_TEST

START_TEST(unknown_and_trailing)
{
	struct job job = sample_job();

	check(&job, "/o/%q%j", "/o/%q128");
	check(&job, "/o/%Z", "/o/%Z");
	check(&job, "/o/end%", "/o/end");
	check(&job, "%", "/home/alice/work/");
	job_free(&job);
}
END_TEST

START_TEST(backslash_disables_expansion)
{
	struct job job = sample_job();

	check(&job, "/o/\\%j.out", "/o/%j.out");
	check(&job, "/o/%j\\.out", "/o/%j.out");
	check(&job, "/o/a\\\\b%x", "/o/ab%x");
	job_free(&job);
}
END_TEST

START_TEST(relative_and_missing)
{
	struct job job = sample_job();
	struct job bare = { 0 };

	check(&job, "out/%j.txt", "/home/alice/work/out/128.txt");
	free(job.workdir);
	job.workdir = strdup("/w/");
	check(&job, "x", "/w/x");
	free(job.user);
	job.user = NULL;
	check(&job, "/o/%u", "/o/1001");
	/* A job that knows nothing still expands without crashing. */
	check(&bare, "/o/%j-%u-%x-%N-%A-%a-%b", "/o/unknown----unknown-"
	    "4294967294-4");
	job_free(&job);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("slurm_pattern");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, every_letter);
	tcase_add_test(tc, array_task);
	tcase_add_test(tc, padding);
	tcase_add_test(tc, unknown_and_trailing);
	tcase_add_test(tc, backslash_disables_expansion);
	tcase_add_test(tc, relative_and_missing);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
