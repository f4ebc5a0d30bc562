/*
 * test_plan.c - node resolution: every node of the job in order with its
 * rule, unmatched nodes kept, the error when nothing matches, and the
 * --dry-run listing.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "error.h"
#include "plan.h"

/* A job with just the nodes set (all plan_build reads). */
static void
job_with(struct job *job, const char *const *nodes)
{
	memset(job, 0, sizeof *job);
	for (; *nodes != NULL; nodes++)
		strlist_add(&job->nodes, *nodes);
}

static char *
printed(const struct plan *plan)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	plan_print(fp, plan);
	fclose(fp);
	return buf;
}

START_TEST(all_matched_in_order)
{
	static const char *const nodes[] = { "rpg-93-2", "rpc-91-1", "rpc-91-10", NULL };
	struct config cfg;
	struct job job;
	struct plan plan;
	char *out;

	config_defaults(&cfg);
	job_with(&job, nodes);
	ck_assert_int_eq(plan_build(&plan, &job, &cfg), PR_OK);
	ck_assert_uint_eq(plan.n, 3);
	ck_assert_str_eq(plan.nodes[0].hostname, "rpg-93-2");
	ck_assert_ptr_eq(plan.nodes[0].rule, &cfg.rules[1]);
	ck_assert_str_eq(plan.nodes[1].hostname, "rpc-91-1");
	ck_assert_ptr_eq(plan.nodes[1].rule, &cfg.rules[0]);
	ck_assert_ptr_eq(plan.nodes[2].rule, &cfg.rules[0]);

	out = printed(&plan);
	ck_assert_str_eq(out,
	    "rpg-93-2   h100  idrac  TotalCPUPower,TotalMemoryPower,TotalStoragePower,"
	    "TotalFanPower,SystemInputPower,SystemOutputPower,PowerConsumption\n"
	    "rpc-91-1   zen4  idrac  TotalCPUPower,TotalMemoryPower,TotalStoragePower,"
	    "TotalFanPower,SystemInputPower,SystemOutputPower\n"
	    "rpc-91-10  zen4  idrac  TotalCPUPower,TotalMemoryPower,TotalStoragePower,"
	    "TotalFanPower,SystemInputPower,SystemOutputPower\n");
	free(out);
	plan_free(&plan);
	ck_assert_uint_eq(plan.n, 0);
	strlist_free(&job.nodes);
	config_free(&cfg);
}
END_TEST

START_TEST(unmatched_nodes_kept)
{
	static const char *const nodes[] = { "login-1", "rpc-91-1", NULL };
	struct config cfg;
	struct job job;
	struct plan plan;
	char *out;

	config_defaults(&cfg);
	job_with(&job, nodes);
	ck_assert_int_eq(plan_build(&plan, &job, &cfg), PR_OK);
	ck_assert_uint_eq(plan.n, 2);
	ck_assert_str_eq(plan.nodes[0].hostname, "login-1");
	ck_assert_ptr_null(plan.nodes[0].rule);
	ck_assert_ptr_eq(plan.nodes[1].rule, &cfg.rules[0]);

	out = printed(&plan);
	ck_assert_str_eq(out,
	    "login-1   no telemetry source (no rule matches; add one under "
	    "\"rules\" in a configuration file)\n"
	    "rpc-91-1  zen4  idrac  TotalCPUPower,TotalMemoryPower,TotalStoragePower,"
	    "TotalFanPower,SystemInputPower,SystemOutputPower\n");
	free(out);
	plan_free(&plan);
	strlist_free(&job.nodes);
	config_free(&cfg);
}
END_TEST

START_TEST(nothing_matched)
{
	static const char *const nodes[] = { "n1", "n2", "n3", "n4", "n5", "n6", NULL };
	struct config cfg;
	struct job job;
	struct plan plan;
	char *dir = tu_tmpdir(), *file = NULL, *out;

	if (asprintf(&file, "%s/site.json", dir) < 0)
		abort();
	tu_write(file, "{\"rules\": [{\"match\": \"gpu\", \"database\": \"g\", "
	    "\"schema\": \"telemetry\", \"metrics\": [\"Watts\"]}]}");
	config_defaults(&cfg);
	ck_assert_int_eq(config_load(&cfg, file), PR_OK);
	job_with(&job, nodes);
	pr_errclear();
	ck_assert_int_eq(plan_build(&plan, &job, &cfg), PR_ENODATA);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "(n1, n2, n3, n4 and 2 more)"));
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "under \"rules\" in"));
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), file));
	ck_assert_ptr_null(strstr(pr_errmsg(), "n5"));

	/* The plan is still there for --dry-run. */
	ck_assert_uint_eq(plan.n, 6);
	out = printed(&plan);
	ck_assert_ptr_nonnull(strstr(out, "n6  no telemetry source"));
	ck_assert_ptr_nonnull(strstr(out, file));
	free(out);
	plan_free(&plan);
	strlist_free(&job.nodes);

	/* The one rule of the file matches by prefix. */
	static const char *const gpus[] = { "gpu-1", "cpu-1", NULL };
	job_with(&job, gpus);
	ck_assert_int_eq(plan_build(&plan, &job, &cfg), PR_OK);
	out = printed(&plan);
	ck_assert_ptr_nonnull(strstr(out, "gpu-1  g  telemetry  Watts\n"));
	free(out);
	plan_free(&plan);
	strlist_free(&job.nodes);
	config_free(&cfg);
	tu_rmrf(dir);
	free(dir);
	free(file);
}
END_TEST

START_TEST(no_nodes)
{
	static const char *const none[] = { NULL };
	struct config cfg;
	struct job job;
	struct plan plan;

	config_defaults(&cfg);
	job_with(&job, none);
	pr_errclear();
	ck_assert_int_eq(plan_build(&plan, &job, &cfg), PR_ENODATA);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "no nodes"));
	plan_free(&plan);
	config_free(&cfg);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, all_matched_in_order);
	tcase_add_test(tc, unmatched_nodes_kept);
	tcase_add_test(tc, nothing_matched);
	tcase_add_test(tc, no_nodes);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
