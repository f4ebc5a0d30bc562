/*
 * test_job.c - the job from the EpilogSlurmctld environment ("(null)"
 * values, no times before Slurm 23.02: doc/slurm.md), its window
 * check and where its report directory goes.  Check forks every test, so
 * setenv/unsetenv stay inside one test.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "job.h"
#include "job_output.h"

static const char *const slurm_vars[] = {
	"SLURM_JOB_ID", "SLURM_JOB_USER", "SLURM_JOB_UID", "SLURM_JOB_NAME",
	"SLURM_JOB_NODELIST", "SLURM_JOB_START_TIME", "SLURM_JOB_END_TIME",
	"SLURM_JOB_STDOUT", "SLURM_JOB_WORK_DIR", "SLURM_JOB_PARTITION",
	"SLURM_JOB_ACCOUNT", "SLURM_CLUSTER_NAME", "SLURM_ARRAY_JOB_ID",
	"SLURM_ARRAY_TASK_ID", "SLURM_JOB_EXIT_CODE2", "SLURM_JOB_DERIVED_EC",
	"MONSTER_POWER_OUTDIR", NULL,
};

/* An EpilogSlurmctld environment as slurmctld sets it, without the job's
 * times (as before Slurm 23.02). */
static void
epilog_env(void)
{
	for (int i = 0; slurm_vars[i] != NULL; i++)
		unsetenv(slurm_vars[i]);
	setenv("SLURM_CLUSTER_NAME", "lab", 1);
	setenv("SLURM_JOB_ID", "1", 1);
	setenv("SLURM_JOB_ACCOUNT", "(null)", 1);
	setenv("SLURM_JOB_NODELIST", "rpc-91-[1-2]", 1);
	setenv("SLURM_JOB_DERIVED_EC", "0", 1);
	setenv("SLURM_JOB_EXIT_CODE2", "0:0", 1);
	setenv("SLURM_JOB_UID", "1001", 1);
	setenv("SLURM_JOB_USER", "alice", 1);
	setenv("SLURM_JOB_NAME", "wrap 'x' $(y) \xc3\xa9", 1);
	setenv("SLURM_JOB_PARTITION", "debug", 1);
	setenv("SLURM_JOB_STDOUT", "/home/alice/runs/%x-%j.out", 1);
	setenv("SLURM_JOB_WORK_DIR", "/home/alice", 1);
}

START_TEST(from_epilog_env)
{
	struct job job = { 0 };

	epilog_env();
	ck_assert_int_eq(job_from_env(&job), PR_OK);
	ck_assert_str_eq(job.id, "1");
	ck_assert_str_eq(job.slurm_id, "1");
	ck_assert_str_eq(job.user, "alice");
	ck_assert_str_eq(job.uid, "1001");
	ck_assert_str_eq(job.name, "wrap 'x' $(y) \xc3\xa9");
	ck_assert_str_eq(job.partition, "debug");
	ck_assert_str_eq(job.cluster, "lab");
	ck_assert_ptr_null(job.account);	/* "(null)" */
	ck_assert_ptr_null(job.array_job_id);
	ck_assert_str_eq(job.nodelist, "rpc-91-[1-2]");
	ck_assert_uint_eq(job.nodes.n, 2);
	ck_assert_str_eq(job.nodes.v[1], "rpc-91-2");
	ck_assert_str_eq(job.stdout_path, "/home/alice/runs/%x-%j.out");
	ck_assert_str_eq(job.workdir, "/home/alice");
	/* 0:0 is also what a timed-out job shows: no claim of success. */
	ck_assert_str_eq(job.exit_state, "exit code 0");
	ck_assert(!job.have_window);	/* Slurm 22.05 gives no times */
	job_free(&job);
	ck_assert_ptr_null(job.id);
}
END_TEST

START_TEST(times_and_array)
{
	struct job job = { 0 };

	epilog_env();
	setenv("SLURM_JOB_START_TIME", "1795251605", 1);
	setenv("SLURM_JOB_END_TIME", "1795255205", 1);
	setenv("SLURM_JOB_ID", "118", 1);
	setenv("SLURM_ARRAY_JOB_ID", "100", 1);
	setenv("SLURM_ARRAY_TASK_ID", "17", 1);
	ck_assert_int_eq(job_from_env(&job), PR_OK);
	ck_assert(job.have_window);
	ck_assert_int_eq(job.start, (usec_t)1795251605 * USEC_PER_SEC);
	ck_assert_int_eq(job.end, (usec_t)1795255205 * USEC_PER_SEC);
	ck_assert_int_eq(job_check_window(&job), PR_OK);
	ck_assert_str_eq(job.id, "100_17");
	ck_assert_str_eq(job.slurm_id, "118");
	ck_assert_str_eq(job.array_task_id, "17");
	job_free(&job);
}
END_TEST

START_TEST(only_one_time_is_no_window)
{
	struct job job = { 0 };

	epilog_env();
	setenv("SLURM_JOB_START_TIME", "1795251605", 1);
	setenv("SLURM_JOB_END_TIME", "(null)", 1);
	ck_assert_int_eq(job_from_env(&job), PR_OK);
	ck_assert(!job.have_window);
	pr_errclear();
	ck_assert_int_eq(job_check_window(&job), PR_EUSAGE);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "not known"));
	job_free(&job);
}
END_TEST

START_TEST(bad_env_refused)
{
	struct job job = { 0 };

	epilog_env();
	setenv("SLURM_JOB_END_TIME", "soon", 1);
	pr_errclear();
	ck_assert_int_eq(job_from_env(&job), PR_EUSAGE);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "SLURM_JOB_END_TIME"));
	job_free(&job);

	epilog_env();
	setenv("SLURM_JOB_NODELIST", "rpc-[1-", 1);
	pr_errclear();
	ck_assert_int_eq(job_from_env(&job), PR_EUSAGE);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "rpc-[1-"));
	job_free(&job);

	epilog_env();
	unsetenv("SLURM_JOB_NODELIST");
	pr_errclear();
	ck_assert_int_eq(job_from_env(&job), PR_EUSAGE);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "SLURM_JOB_NODELIST"));
	job_free(&job);

	epilog_env();
	setenv("SLURM_JOB_ID", "(null)", 1);
	pr_errclear();
	ck_assert_int_eq(job_from_env(&job), PR_EUSAGE);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "SLURM_JOB_ID"));
	job_free(&job);
}
END_TEST

START_TEST(env_over_caller_fields)
{
	struct job job = { 0 };

	epilog_env();
	job.name = strdup("from-cli");
	job.account = strdup("physics");
	job.start = 10 * USEC_PER_SEC;
	job.end = 20 * USEC_PER_SEC;
	job.have_window = true;
	ck_assert_int_eq(job_set_nodelist(&job, "gpu1"), PR_OK);
	unsetenv("SLURM_JOB_NODELIST");
	ck_assert_int_eq(job_from_env(&job), PR_OK);
	ck_assert_str_eq(job.name, "wrap 'x' $(y) \xc3\xa9");	/* env wins */
	ck_assert_str_eq(job.account, "physics");	/* env had "(null)" */
	ck_assert_str_eq(job.nodelist, "gpu1");
	ck_assert(job.have_window);
	ck_assert_int_eq(job.end, 20 * USEC_PER_SEC);
	job_free(&job);
}
END_TEST

static void
check_exit(const char *code2, const char *derived, const char *want)
{
	struct job job = { 0 };

	epilog_env();
	unsetenv("SLURM_JOB_EXIT_CODE2");
	unsetenv("SLURM_JOB_DERIVED_EC");
	if (code2 != NULL)
		setenv("SLURM_JOB_EXIT_CODE2", code2, 1);
	if (derived != NULL)
		setenv("SLURM_JOB_DERIVED_EC", derived, 1);
	ck_assert_int_eq(job_from_env(&job), PR_OK);
	if (want == NULL)
		ck_assert_ptr_null(job.exit_state);
	else
		ck_assert_str_eq(job.exit_state, want);
	job_free(&job);
}

START_TEST(exit_states)
{
	check_exit("3:0", NULL, "exit 3");
	check_exit("0:9", NULL, "signal 9");
	check_exit("0:0", "768", "exit code 0");
	check_exit(NULL, "768", "exit 3");	/* raw wait status */
	check_exit(NULL, "9", "signal 9");
	check_exit(NULL, "0", "exit code 0");
	check_exit(NULL, NULL, NULL);
	check_exit("garbage", NULL, NULL);
}
END_TEST

/* The state the epilog read from the job record goes in front. */
START_TEST(job_state_with_exit)
{
	setenv("SLURM_JOB_STATE", "CANCELLED", 1);
	check_exit("0:15", NULL, "CANCELLED (signal 15)");
	check_exit(NULL, NULL, "CANCELLED");
	setenv("SLURM_JOB_STATE", "OUT_OF_MEMORY", 1);
	check_exit("0:9", NULL, "OUT_OF_MEMORY (signal 9)");
	setenv("SLURM_JOB_STATE", "x\nFAKE", 1);	/* not a state: ignored */
	check_exit("3:0", NULL, "exit 3");
	unsetenv("SLURM_JOB_STATE");
}
END_TEST

START_TEST(window_check)
{
	struct job job = { 0 };

	ck_assert_int_eq(time_set_zone("UTC"), PR_OK);
	job.id = strdup("7");
	job.have_window = true;
	job.start = (usec_t)1795255205 * USEC_PER_SEC;
	job.end = (usec_t)1795251605 * USEC_PER_SEC;
	pr_errclear();
	ck_assert_int_eq(job_check_window(&job), PR_EUSAGE);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(),
	    "ends (2026-11-21T09:00:05+00:00) before it starts "
	    "(2026-11-21T10:00:05+00:00)"));
	job.end = job.start;
	pr_errclear();
	ck_assert_int_eq(job_check_window(&job), PR_EUSAGE);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "when it starts"));
	job.end = job.start + 1;
	ck_assert_int_eq(job_check_window(&job), PR_OK);
	job_free(&job);
}
END_TEST

START_TEST(set_nodelist_replaces)
{
	struct job job = { 0 };

	ck_assert_int_eq(job_set_nodelist(&job, "a[1-3]"), PR_OK);
	ck_assert_int_eq(job_set_nodelist(&job, "b1,b2"), PR_OK);
	ck_assert_str_eq(job.nodelist, "b1,b2");
	ck_assert_uint_eq(job.nodes.n, 2);
	ck_assert_str_eq(job.nodes.v[0], "b1");
	pr_errclear();
	ck_assert_int_eq(job_set_nodelist(&job, ""), PR_EUSAGE);
	job_free(&job);
}
END_TEST

static void
check_parent(const struct job *job, const char *outdir, const char *want)
{
	char *got = job_output_parent(job, outdir);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(output_parent_order)
{
	struct job job = { 0 };

	epilog_env();
	ck_assert_int_eq(job_from_env(&job), PR_OK);
	check_parent(&job, "/explicit", "/explicit");
	check_parent(&job, "", "/home/alice/runs");
	free(job.stdout_path);
	job.stdout_path = strdup("/scratch/%u/%j/out.txt");
	check_parent(&job, NULL, "/scratch/alice/1");
	free(job.stdout_path);
	job.stdout_path = strdup("/dev/null");
	check_parent(&job, NULL, "/home/alice");
	free(job.stdout_path);
	job.stdout_path = strdup("rel/%j.out");
	check_parent(&job, NULL, "/home/alice/rel");
	free(job.stdout_path);
	job.stdout_path = NULL;
	check_parent(&job, NULL, "/home/alice");
	free(job.workdir);
	job.workdir = NULL;
	unsetenv("MONSTER_POWER_OUTDIR");
	check_parent(&job, NULL, ".");
	setenv("MONSTER_POWER_OUTDIR", "/srv/power", 1);
	check_parent(&job, NULL, "/srv/power");
	job_free(&job);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("job");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, from_epilog_env);
	tcase_add_test(tc, times_and_array);
	tcase_add_test(tc, only_one_time_is_no_window);
	tcase_add_test(tc, bad_env_refused);
	tcase_add_test(tc, env_over_caller_fields);
	tcase_add_test(tc, exit_states);
	tcase_add_test(tc, job_state_with_exit);
	tcase_add_test(tc, window_check);
	tcase_add_test(tc, set_nodelist_replaces);
	tcase_add_test(tc, output_parent_order);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
