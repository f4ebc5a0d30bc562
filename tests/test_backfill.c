/*
 * test_backfill.c - many reports in one process (issue 15 part 5) against
 * the test PostgreSQL (tests/fixtures/backfill.sql): --jobs-from makes each
 * listed job's report once, with one line per job; a failing job fails the
 * run and is named while the others are still made; --jobs-since selects
 * by end time, user and partition; a SIGTERM reaches the running workers,
 * which are waited for, and nothing half-written stays.  And `make demo-pg`
 * (backfill, earlier runs, summary) runs as the README tells it.
 */
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "jobids.h"
#include "pgserver.h"

static char *config;

static void
setup(void)
{
	char *text;

	tu_scratch_setup();
	ck_assert(asprintf(&config, "%s/config.json", tu_scratch) > 0);
	ck_assert(asprintf(&text, "{ \"rules\": [ { \"match\": \"rpc*\", \"database\":"
	    " \"zen4\", \"metrics\": [\"SystemInputPower\"] } ], \"database\":"
	    " { \"conninfo\": \"host=%s port=%d user=postgres\" } }\n", pgs_dir(),
	    pgs_port()) > 0);
	tu_write(config, text);
	free(text);
}

static void
teardown(void)
{
	tu_scratch_teardown();
	free(config);
}

/* powerreport with args (NULL-terminated) and --config, --outdir tu_scratch,
 * --formats csv, ids (NULL: none) on standard input via --jobs-from -. */
static struct run_result
run_many(const char *ids, const char *const *args)
{
	const char *argv[32];
	char *list = NULL;
	size_t n = 0;
	struct run_result r;

	if (ids != NULL) {
		ck_assert(asprintf(&list, "%s/ids", tu_scratch) > 0);
		tu_write(list, ids);
		argv[n++] = "--jobs-from";
		argv[n++] = list;
	}
	for (; *args != NULL; args++)
		argv[n++] = *args;
	argv[n++] = "--config";
	argv[n++] = config;
	argv[n++] = "--outdir";
	argv[n++] = tu_scratch;
	argv[n++] = "--formats";
	argv[n++] = "csv";
	argv[n] = NULL;
	r = tu_run(argv, NULL, NULL);
	free(list);
	return r;
}

/* The job total of power_<id>/energy.csv in joules; -1 when absent. */
static double
total_j(const char *id)
{
	char *p, *csv, *t;
	double kwh = -1;

	ck_assert(asprintf(&p, "%s/power_%s/energy.csv", tu_scratch, id) > 0);
	csv = tu_read(p, NULL);
	if (csv != NULL && (t = strstr(csv, "\njob,,total,,")) != NULL)
		kwh = strtod(t + strlen("\njob,,total,,"), NULL);
	free(csv);
	free(p);
	return kwh < 0 ? -1 : kwh * 3.6e6;
}

static int
lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

START_TEST(jobs_from_makes_each_listed_report_once)
{
	const char *args[] = { "-j", "2", NULL };
	struct run_result r = run_many("# a backfill\n101\n 102 \n\n103\n101\n104\n", args);
	char *line;

	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_int_eq(lines(r.out), 4);	/* 101 once */
	for (int id = 101; id <= 104; id++) {
		char sid[8];
		snprintf(sid, sizeof sid, "%d", id);
		ck_assert(asprintf(&line, "%d ok %s/power_%d\n", id, tu_scratch, id) > 0);
		ck_assert_msg(strstr(r.out, line) != NULL, "no \"%s\" in:\n%s", line, r.out);
		free(line);
		ck_assert_double_eq_tol(total_j(sid), 300000, 1e-3);
	}
	ck_assert_int_eq(tu_count_entries(tu_scratch), 4 + 2);	/* + config, ids */
	tu_run_free(&r);
}
END_TEST

START_TEST(a_failed_job_fails_the_run_and_is_named)
{
	const char *args[] = { "-j", "2", NULL };
	struct run_result r = run_many("101\n999\n102\n998\n", args);

	ck_assert_int_eq(r.status, PR_ENOJOB);
	ck_assert_ptr_nonnull(strstr(r.out, "999 failed (exit 8): "));
	ck_assert_ptr_nonnull(strstr(r.out, "998 failed (exit 8): "));
	/* named in list order, whichever worker ended first */
	ck_assert_msg(strstr(r.err, "2 of 4 jobs failed: 999 998 ") != NULL, "%s", r.err);
	ck_assert_double_eq_tol(total_j("101"), 300000, 1e-3);
	ck_assert_double_eq_tol(total_j("102"), 300000, 1e-3);
	ck_assert_int_eq(total_j("999"), -1);
	tu_run_free(&r);
}
END_TEST

START_TEST(jobs_since_selects_by_end_user_and_partition)
{
	/* bob's jobs are the even k: 102..112; cpu: k <= 6; ending from hour 3 */
	const char *args[] = { "--jobs-since", "2026-11-01T03:00:00Z", "--user", "bob",
	    "--partition", "cpu", NULL };
	struct run_result r = run_many(NULL, args);

	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_int_eq(lines(r.out), 2);
	ck_assert_ptr_nonnull(strstr(r.out, "104 ok "));
	ck_assert_ptr_nonnull(strstr(r.out, "106 ok "));
	tu_run_free(&r);
}
END_TEST

START_TEST(jobs_until_bounds_the_window)
{
	const char *args[] = { "--jobs-since", "1793491200", "--jobs-until",
	    "2026-11-01T03:00:00Z", "-j", "3", NULL };
	struct run_result r = run_many(NULL, args);

	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_int_eq(lines(r.out), 2);	/* 101, 102 end before 03:00 */
	ck_assert_ptr_nonnull(strstr(r.out, "101 ok "));
	ck_assert_ptr_nonnull(strstr(r.out, "102 ok "));
	tu_run_free(&r);
}
END_TEST

/* Workers waiting for late telemetry are told by the SIGTERM the run gets,
 * end with 9, are waited for, and leave no temporary directory. */
START_TEST(sigterm_is_passed_on_and_waited_for)
{
	char *list;
	struct timespec t0, t1;
	struct tu_child run;
	struct run_result r;

	ck_assert(asprintf(&list, "%s/ids", tu_scratch) > 0);
	tu_write(list, "201\n202\n203\n204\n");
	const char *argv[] = { tu_bin(), "--jobs-from", list, "-j", "2", "--wait-for-data",
		"120", "--config", config, "--outdir", tu_scratch, "--formats", "csv", NULL };
	ck_assert_int_eq(tu_launch(&run, argv, NULL, NULL), 0);
	sleep(2);	/* both workers are waiting */
	ck_assert(tu_running(&run));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kill(run.pid, SIGTERM);
	r = tu_reap(&run, 30);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(r.status, PR_EINTR);
	ck_assert((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9 < 5.0);
	ck_assert_int_eq(lines(r.out), 2);	/* the two that had started */
	ck_assert_ptr_nonnull(strstr(r.out, "201 failed (exit 9)"));
	ck_assert_ptr_nonnull(strstr(r.out, "202 failed (exit 9)"));
	ck_assert_msg(strstr(r.err, "0 of 4 jobs done, 2 failed, 2 not started") != NULL,
	    "%s", r.err);
	ck_assert_int_eq(tu_count_entries(tu_scratch), 2);	/* config, ids */
	tu_run_free(&r);
	free(list);
}
END_TEST

START_TEST(repeated_ids_keep_their_first_place)
{
	struct strlist ids = { 0 };
	const char *in[] = { "3", "1", "3", "2", "1", "3" };

	for (size_t i = 0; i < 6; i++)
		strlist_add(&ids, in[i]);
	jobids_unique(&ids);
	ck_assert_int_eq(ids.n, 3);
	ck_assert_str_eq(ids.v[0], "3");
	ck_assert_str_eq(ids.v[1], "1");
	ck_assert_str_eq(ids.v[2], "2");
	strlist_free(&ids);
}
END_TEST

START_TEST(bad_lists_and_options_are_refused)
{
	const char *none[] = { NULL };
	const char *both[] = { "--jobs-since", "0", NULL };
	const char *until[] = { "--partition", "cpu", NULL };
	const char *j0[] = { "-j", "0", NULL };
	const char *dry[] = { "--dry-run", NULL };
	struct run_result r = run_many("101 102\n", none);

	ck_assert_int_eq(r.status, PR_EUSAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "line 1: \"101 102\" is not one job id"));
	tu_run_free(&r);
	r = run_many("101\n", both);
	ck_assert_int_eq(r.status, PR_EUSAGE);
	tu_run_free(&r);
	r = run_many("101\n", until);
	ck_assert_int_eq(r.status, PR_EUSAGE);
	tu_run_free(&r);
	r = run_many("101\n", dry);
	ck_assert_int_eq(r.status, PR_EUSAGE);
	tu_run_free(&r);
	r = run_many("101\n", j0);
	ck_assert_int_eq(r.status, PR_EUSAGE);
	ck_assert_int_eq(tu_count_entries(tu_scratch), 2);	/* config, ids */
	tu_run_free(&r);
}
END_TEST

/* `make demo-pg` as README.md and doc/rollup.md tell a newcomer to try it
 * (scripts/demo-pg with its own throwaway server): a backfill makes the
 * ten November jobs' reports where the epilog would have, the last one
 * compares itself with its nine earlier runs, and the month's summary
 * links every report and takes each one's idle share. */
START_TEST(demo_pg_runs_as_documented)
{
	char *script, *env, *p, *html;
	const char *argv[3] = { "sh", NULL, NULL };
	const char *envv[2] = { NULL, NULL };
	struct run_result r;

	script = tu_top("scripts/demo-pg");
	ck_assert(asprintf(&env, "DEMO_OUT=%s", tu_scratch) > 0);
	argv[1] = script;
	envv[0] = env;
	r = tu_run_cmd(argv, envv, NULL);
	ck_assert_msg(r.status == 0, "demo-pg: %s", r.err);
	for (int id = 4062; id <= 4242; id += 20) {
		ck_assert(asprintf(&p, "%s/demo-pg/power_%d/report.html", tu_scratch, id) > 0);
		ck_assert_msg(access(p, R_OK) == 0, "no %s", p);
		free(p);
	}
	ck_assert(asprintf(&p, "%s/demo-pg/power_4242/report.html", tu_scratch) > 0);
	html = tu_read(p, NULL);
	ck_assert_ptr_nonnull(strstr(html, "your last 9 runs"));
	free(html);
	free(p);
	ck_assert(asprintf(&p, "%s/power_summary_2026-11-01_2026-12-01/index.html",
	    tu_scratch) > 0);
	html = tu_read(p, NULL);
	ck_assert_ptr_nonnull(html);
	ck_assert_ptr_nonnull(strstr(html, "/demo-pg/power_4062/report.html\">4062</a>"));
	ck_assert_ptr_nonnull(strstr(html, "from the reports of 10 of 10 jobs"));
	free(html);
	free(p);
	tu_run_free(&r);
	free(env);
	free(script);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("backfill");
	TCase *tc = tcase_create("backfill");
	const char *const files[] = { "indexes.sql", "backfill.sql", NULL };

	if (pgs_start() != 0 || pgs_create_monster("zen4", files) != 0) {
		fprintf(stderr, "test_backfill: cannot start the test PostgreSQL\n");
		return EXIT_FAILURE;
	}
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, jobs_from_makes_each_listed_report_once);
	tcase_add_test(tc, a_failed_job_fails_the_run_and_is_named);
	tcase_add_test(tc, jobs_since_selects_by_end_user_and_partition);
	tcase_add_test(tc, jobs_until_bounds_the_window);
	tcase_add_test(tc, sigterm_is_passed_on_and_waited_for);
	tcase_add_test(tc, repeated_ids_keep_their_first_place);
	tcase_add_test(tc, bad_lists_and_options_are_refused);
	tcase_add_test(tc, demo_pg_runs_as_documented);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
