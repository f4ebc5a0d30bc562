/*
 * test_cli.c - the real binary, as a user runs it: a full report from a raw
 * CSV with analytically known energy, re-rendering from the report's own
 * CSV, and every bad input of the command line: one clear line on stderr,
 * the documented exit code, and no report directory left behind.
 */
#include "testutil.h"
#include "reportfix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

static char *csv;	/* a small raw CSV with known energy */

#define T0 1763654400	/* 2025-11-20T16:00:00Z, the window start */

/* One node: input 200 W, output 190 W, CPU 100 W, constant, every 5 s from
 * 5 s before the window to 5 s after it (one hour).  Energy: total 0.2 kWh,
 * cpu 0.1, psu loss 0.01, others 0.09. */
static void
write_csv(const char *path)
{
	static const struct { const char *metric; int watts; } m[] = {
		{ "SystemInputPower", 200 }, { "SystemOutputPower", 190 },
		{ "TotalCPUPower", 100 },
	};
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs("timestamp,hostname,source,fqdd,value,units,metric\n", fp);
	for (size_t k = 0; k < 3; k++)
		for (time_t t = T0 - 5; t <= T0 + 3605; t += 5) {
			char ts[32];
			struct tm tm;
			strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
			fprintf(fp, "%s,rpc-1-1,,,%d,W,%s\n", ts, m[k].watts, m[k].metric);
		}
	fclose(fp);
}

static void
setup(void)
{
	tu_scratch_setup();
	ck_assert(asprintf(&csv, "%s/in.csv", tu_scratch) > 0);
	write_csv(csv);
}

static void
teardown(void)
{
	tu_scratch_teardown();
	free(csv);
}

/* Run with argv; expect status; stderr is exactly one line. */
static struct run_result
expect(int status, const char *const *argv)
{
	struct run_result r = tu_run(argv, NULL, NULL);

	ck_assert_msg(r.status == status, "exit %d, wanted %d; stderr: %s",
	    r.status, status, r.err);
	if (status != 0) {
		ck_assert_msg(strncmp(r.err, "powerreport: ", 13) == 0, "%s", r.err);
		ck_assert_msg(strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
		    "not one line: %s", r.err);
	}
	return r;
}

static void
assert_no_report(void)
{
	/* only the input CSV: no power_* and no hidden temporary */
	ck_assert_int_eq(tu_count_entries(tu_scratch), 1);
}

static double
total_kwh(cJSON *root, const char *key)
{
	cJSON *t = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "totals"), "energy_kwh");

	return cJSON_GetObjectItem(t, key)->valuedouble;
}

#define WINDOW "--start", "1763654400", "--end", "2025-11-20T17:00:00Z"

START_TEST(full_report_from_csv)
{
	const char *argv[] = { "--from-csv", csv, WINDOW, "--job-id", "51",
	    "--outdir", tu_scratch, "-q", NULL };
	struct run_result r = expect(0, argv);
	char *want, *rdir;
	cJSON *root;

	ck_assert(asprintf(&want, "%s/power_51\n", tu_scratch) > 0);
	ck_assert_str_eq(r.out, want);
	rdir = strndup(r.out, strlen(r.out) - 1);
	root = rf_summary(rdir);
	ck_assert_double_eq_tol(total_kwh(root, "total"), 0.2, 1e-9);
	ck_assert_double_eq_tol(total_kwh(root, "cpu"), 0.1, 1e-9);
	ck_assert_double_eq_tol(total_kwh(root, "psu_loss"), 0.01, 1e-9);
	ck_assert_double_eq_tol(total_kwh(root, "others"), 0.09, 1e-9);
	ck_assert_double_eq_tol(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "totals"),
	    "avg_power_w")->valuedouble, 200, 1e-6);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "job"), "id")->valuestring, "51");
	cJSON_Delete(root);
	free(rdir);
	free(want);
	tu_run_free(&r);
}
END_TEST

START_TEST(rerender_from_own_csv_is_identical)
{
	const char *first[] = { "--from-csv", csv, WINDOW, "--job-id", "52",
	    "--outdir", tu_scratch, "-q", "--formats", "csv,json", NULL };
	struct run_result r = expect(0, first);
	char *raw, *other, *p;
	cJSON *a, *b;

	tu_run_free(&r);
	ck_assert(asprintf(&raw, "%s/power_52/raw_power.csv", tu_scratch) > 0);
	ck_assert(asprintf(&p, "%s/power_52", tu_scratch) > 0);
	a = rf_summary(p);
	free(p);
	other = tu_tmpdir();
	{
		/* no window, no nodes, no id: all from the summary.json beside it */
		const char *again[] = { "--from-csv", raw, "--outdir", other, "-q",
		    "--formats", "csv,json", NULL };
		r = expect(0, again);
		tu_run_free(&r);
	}
	ck_assert(asprintf(&p, "%s/power_52", other) > 0);
	b = rf_summary(p);
	free(p);
	for (int i = 0; i < 3; i++) {
		static const char *const keys[] = { "totals", "nodes", "job" };
		char *sa = cJSON_PrintUnformatted(cJSON_GetObjectItem(a, keys[i]));
		char *sb = cJSON_PrintUnformatted(cJSON_GetObjectItem(b, keys[i]));
		ck_assert_str_eq(sa, sb);
		free(sa);
		free(sb);
	}
	cJSON_Delete(a);
	cJSON_Delete(b);
	tu_rmrf(other);
	free(other);
	free(raw);
}
END_TEST

START_TEST(help_and_version)
{
	const char *h[] = { "--help", NULL }, *v[] = { "--version", NULL };
	struct run_result r = expect(0, h);

	ck_assert_ptr_nonnull(strstr(r.out, "Exit status"));
	tu_run_free(&r);
	r = expect(0, v);
	ck_assert_ptr_nonnull(strstr(r.out, "powerreport "));
	tu_run_free(&r);
}
END_TEST

START_TEST(end_before_start)
{
	const char *argv[] = { "--from-csv", csv, "--start", "1763658000", "--end",
	    "1763654400", "--outdir", tu_scratch, NULL };
	struct run_result r = expect(2, argv);

	assert_no_report();
	tu_run_free(&r);
}
END_TEST

START_TEST(unparsable_time)
{
	const char *argv[] = { "--start", "yesterday", "--end", "1763654400",
	    "--nodelist", "rpc-1-1", "--outdir", tu_scratch, NULL };
	struct run_result r = expect(2, argv);

	ck_assert_ptr_nonnull(strstr(r.err, "yesterday"));
	assert_no_report();
	tu_run_free(&r);
}
END_TEST

START_TEST(malformed_nodelists)
{
	static const char *const bad[] = { "rpc-[1-", "", "rpc-[3-1]", "a,,b", "n[0-9999999]" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *argv[] = { "--from-csv", csv, WINDOW, "--nodelist", bad[i],
		    "--outdir", tu_scratch, NULL };
		struct run_result r = expect(2, argv);
		tu_run_free(&r);
	}
	assert_no_report();
}
END_TEST

START_TEST(unknown_option)
{
	const char *argv[] = { "--frobnicate", NULL };
	struct run_result r = expect(2, argv);

	ck_assert_ptr_nonnull(strstr(r.err, "--help"));
	tu_run_free(&r);
}
END_TEST

/* --formats reads lists as the configuration's output.formats does: a
 * name listed twice or unknown is refused. */
START_TEST(formats_option)
{
	static const char *const bad[] = { "csv,csv", "csv,docx", "", " , " };
	const char *ok[] = { "--from-csv", csv, WINDOW, "--job-id", "54", "--outdir", tu_scratch,
	    "-q", "--formats", "json csv", NULL };
	struct run_result r;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *argv[] = { "--from-csv", csv, WINDOW, "--outdir", tu_scratch,
		    "--formats", bad[i], NULL };

		r = expect(2, argv);
		ck_assert_msg(strstr(r.err, "--formats: ") != NULL, "%s", r.err);
		tu_run_free(&r);
	}
	assert_no_report();
	r = expect(0, ok);
	tu_run_free(&r);
}
END_TEST

/* --wait-for-data takes whole seconds 0..86400; with --from-csv it is
 * accepted and does nothing (no waiting: the run is quick). */
START_TEST(wait_for_data_option)
{
	static const char *const bad[] = { "86401", "-1", "x", "5s", "", "+5",
	    "99999999999999999999" };
	const char *ok[] = { "--from-csv", csv, WINDOW, "--job-id", "53", "--outdir", tu_scratch,
	    "-q", "--formats", "json", "--wait-for-data", "86400", NULL };
	time_t t0 = time(NULL);
	struct run_result r;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *argv[] = { "--from-csv", csv, WINDOW, "--outdir", tu_scratch,
		    "--wait-for-data", bad[i], NULL };

		r = expect(2, argv);
		ck_assert_ptr_nonnull(strstr(r.err, "--wait-for-data"));
		tu_run_free(&r);
	}
	assert_no_report();
	r = expect(0, ok);
	ck_assert_int_le(time(NULL) - t0, 5);
	tu_run_free(&r);
}
END_TEST

START_TEST(unknown_config_key)
{
	char *cfg;
	struct run_result r;

	ck_assert(asprintf(&cfg, "%s/c.json", tu_scratch) > 0);
	tu_write(cfg, "{ \"colour\": \"blue\" }\n");
	{
		const char *argv[] = { "--from-csv", csv, WINDOW, "--config", cfg,
		    "--outdir", tu_scratch, NULL };
		r = expect(3, argv);
	}
	ck_assert_ptr_nonnull(strstr(r.err, "colour"));
	ck_assert_ptr_nonnull(strstr(r.err, cfg));
	tu_run_free(&r);
	unlink(cfg);
	free(cfg);
	assert_no_report();
}
END_TEST

START_TEST(unreadable_csv)
{
	const char *argv[] = { "--from-csv", "/nonexistent/raw_power.csv", WINDOW,
	    "--nodelist", "rpc-1-1", "--outdir", tu_scratch, NULL };
	struct run_result r = expect(4, argv);

	ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/raw_power.csv"));
	assert_no_report();
	tu_run_free(&r);
}
END_TEST

/* A summary.json beside the CSV that cannot be read is said to be so
 * (read errors were once taken for an empty file). */
START_TEST(unreadable_summary_beside_csv)
{
	char *sub, *raw, *summary;
	struct run_result r;

	ck_assert(asprintf(&sub, "%s/in", tu_scratch) > 0);
	ck_assert(asprintf(&raw, "%s/raw_power.csv", sub) > 0);
	ck_assert(asprintf(&summary, "%s/summary.json", sub) > 0);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(mkdir(summary, 0700), 0);
	ck_assert_int_eq(link(csv, raw), 0);
	{
		const char *argv[] = { "--from-csv", raw, WINDOW, "--outdir", sub,
		    NULL };
		r = expect(4, argv);
	}
	ck_assert_msg(strstr(r.err, "summary.json: cannot read: Is a directory")
	    != NULL, "%s", r.err);
	tu_run_free(&r);
	tu_rmrf(sub);
	free(summary);
	free(raw);
	free(sub);
}
END_TEST

START_TEST(bad_csv_row_names_its_line)
{
	FILE *fp = fopen(csv, "a");
	struct run_result r;

	fputs("2025-11-20T16:30:00Z,rpc-1-1,,,twelve,W,TotalCPUPower\n", fp);
	fclose(fp);
	{
		const char *argv[] = { "--from-csv", csv, WINDOW, "--outdir", tu_scratch, NULL };
		r = expect(4, argv);
	}
	/* header + 3 x 723 rows, then the bad one */
	ck_assert_msg(strstr(r.err, ":2171") != NULL, "%s", r.err);
	assert_no_report();
	tu_run_free(&r);
}
END_TEST

START_TEST(outdir_not_writable)
{
	const char *argv[] = { "--from-csv", csv, WINDOW, "--outdir", "/proc", NULL };
	struct run_result r = expect(7, argv);

	ck_assert_ptr_nonnull(strstr(r.err, "--outdir"));
	tu_run_free(&r);
}
END_TEST

START_TEST(outdir_is_a_file)
{
	const char *argv[] = { "--from-csv", csv, WINDOW, "--outdir", csv, NULL };
	struct run_result r = expect(7, argv);

	assert_no_report();
	tu_run_free(&r);
}
END_TEST

START_TEST(no_node_matches_a_rule)
{
	const char *argv[] = { "--start", "1763654400", "--end", "1763658000",
	    "--nodelist", "login[1-2]", "--outdir", tu_scratch, NULL };
	struct run_result r = expect(5, argv);

	ck_assert_ptr_nonnull(strstr(r.err, "login1"));
	assert_no_report();
	tu_run_free(&r);
}
END_TEST

START_TEST(no_samples_for_the_nodes)
{
	const char *argv[] = { "--from-csv", csv, WINDOW, "--nodelist", "rpc-9-9",
	    "--outdir", tu_scratch, NULL };
	struct run_result r = expect(5, argv);

	assert_no_report();
	tu_run_free(&r);
}
END_TEST

START_TEST(dry_run_prints_plan_and_writes_nothing)
{
	const char *argv[] = { "--dry-run", "--start", "0", "--end", "60",
	    "--nodelist", "rpc-91-1,rpg-93-[1-2],login1", "--outdir", tu_scratch, NULL };
	struct run_result r = expect(0, argv);

	ck_assert_ptr_nonnull(strstr(r.out, "zen4"));
	ck_assert_ptr_nonnull(strstr(r.out, "h100"));
	ck_assert_ptr_nonnull(strstr(r.out, "no telemetry source"));
	ck_assert_ptr_nonnull(strstr(r.out, "rpg-93-2"));
	assert_no_report();
	tu_run_free(&r);
}
END_TEST

START_TEST(dry_run_without_any_source_still_shows_plan)
{
	const char *argv[] = { "--dry-run", "--start", "0", "--end", "60",
	    "--nodelist", "login[1-2]", NULL };
	struct run_result r = expect(5, argv);

	ck_assert_ptr_nonnull(strstr(r.out, "login2"));
	ck_assert_ptr_nonnull(strstr(r.out, "no telemetry source"));
	tu_run_free(&r);
}
END_TEST

START_TEST(job_sources_are_exclusive)
{
	const char *argv[] = { "--from-env", "--from-csv", csv, NULL };
	struct run_result r = expect(2, argv);

	tu_run_free(&r);
}
END_TEST

START_TEST(bad_job_id)
{
	const char *argv[] = { "--from-csv", csv, WINDOW, "--job-id", "../x",
	    "--outdir", tu_scratch, NULL };
	struct run_result r = expect(2, argv);

	assert_no_report();
	tu_run_free(&r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cli");
	TCase *ok = tcase_create("reports"), *bad = tcase_create("bad input");

	tcase_add_checked_fixture(ok, setup, teardown);
	tcase_add_checked_fixture(bad, setup, teardown);
	tcase_set_timeout(ok, 60);
	tcase_set_timeout(bad, 60);
	tcase_add_test(ok, full_report_from_csv);
	tcase_add_test(ok, rerender_from_own_csv_is_identical);
	tcase_add_test(ok, help_and_version);
	tcase_add_test(ok, dry_run_prints_plan_and_writes_nothing);
	tcase_add_test(bad, end_before_start);
	tcase_add_test(bad, unparsable_time);
	tcase_add_test(bad, malformed_nodelists);
	tcase_add_test(bad, unknown_option);
	tcase_add_test(bad, wait_for_data_option);
	tcase_add_test(bad, formats_option);
	tcase_add_test(bad, unknown_config_key);
	tcase_add_test(bad, unreadable_csv);
	tcase_add_test(bad, unreadable_summary_beside_csv);
	tcase_add_test(bad, bad_csv_row_names_its_line);
	tcase_add_test(bad, outdir_not_writable);
	tcase_add_test(bad, outdir_is_a_file);
	tcase_add_test(bad, no_node_matches_a_rule);
	tcase_add_test(bad, no_samples_for_the_nodes);
	tcase_add_test(bad, dry_run_without_any_source_still_shows_plan);
	tcase_add_test(bad, job_sources_are_exclusive);
	tcase_add_test(bad, bad_job_id);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, bad);
	return tu_main(s);
}
