/*
 * test_cpu_efficiency.c - the CPU efficiency from sacct (TotalCPU over
 * ElapsedRaw x AllocCPUS): the parser on every form sacct prints TotalCPU
 * in and on what it must refuse (garbage, huge values, extra separators,
 * empty fields, impossible ratios), and the real binary on the sample job
 * with a fake sacct on PATH: the figure in summary.json and report.html,
 * a sacct that never answers killed at the bound, a missing sacct and a
 * job id Slurm would not know saying nothing.
 */
#include "testutil.h"
#include "reportfix.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cpu_efficiency.h"
#include "error.h"
#include "sacct.h"

/* ---- the parser ---- */

static void
time_is(const char *text, double want)
{
	double s;

	ck_assert_msg(cpu_efficiency_parse_time(text, &s) == 0, "\"%s\" refused", text);
	ck_assert_msg(fabs(s - want) < 1e-9, "\"%s\": %.6f s, wanted %.6f", text, s, want);
}

static void
time_refused(const char *text)
{
	double s = 0;

	ck_assert_msg(cpu_efficiency_parse_time(text, &s) == -1, "\"%s\" taken as %g s",
	    text, s);
	ck_assert(isnan(s));
}

START_TEST(total_cpu_forms)
{
	time_is("1-02:03:04", 86400 + 2 * 3600 + 3 * 60 + 4);
	time_is("02:03:04", 2 * 3600 + 3 * 60 + 4);
	time_is("12:34.567", 12 * 60 + 34.567);
	time_is("00:00:00", 0);
	time_is("00:00.000", 0);
	time_is("59:59.999", 3599.999);
	time_is("23:59:59", 86399);
	time_is("10-00:00:00", 864000);
	time_is("02:03:04.5", 7384.5);
	time_is("12345678-23:59:59", 12345678.0 * 86400 + 86399);	/* 8 digits of days */
}
END_TEST

START_TEST(total_cpu_garbage)
{
	static const char *const bad[] = {
		"", "abc", "INVALID", "1:2:3", "1:02:03", "24:00:00", "1-24:00:00",
		"00:60", "60:00.000", "00:00:60", "-00:00:01", "-1-00:00:00",
		"1-02:03", "1-", "-", "--", "02:03:04:05", "12:34.", "12:34.1234567",
		" 12:34", "12:34 ", "12:34.5x", "00:00:00\n", "123456789-00:00:00",
		"99999999999999999999-00:00:00", "123:45", "1-2-03:04:05", "1e3",
		"12:34|56", "0x10:00", "+1-00:00:00", "１２:34",
	};

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		time_refused(bad[i]);
}
END_TEST

START_TEST(job_ids)
{
	ck_assert(sacct_job_id("4242"));
	ck_assert(sacct_job_id("4_0"));
	ck_assert(sacct_job_id("123456789"));
	ck_assert(!sacct_job_id("1234567890"));
	ck_assert(!sacct_job_id(""));
	ck_assert(!sacct_job_id("lammps-test"));
	ck_assert(!sacct_job_id("4_"));
	ck_assert(!sacct_job_id("_0"));
	ck_assert(!sacct_job_id("4_0_1"));
	ck_assert(!sacct_job_id("4.batch"));
	ck_assert(!sacct_job_id("4242 "));
	ck_assert(!sacct_job_id("-j"));
}
END_TEST

/* Parse line as job 4242's; its notes joined (malloc'd) in *notes. */
static struct cpu_efficiency
parsed(const char *line, char **notes)
{
	struct cpu_efficiency e;

	cpu_efficiency_init(&e);
	cpu_efficiency_parse(&e, "4242", line);
	*notes = strlist_join(&e.notes, "\n");
	return e;
}

/* line gives no figure, and a note holding want. */
static void
unknown(const char *line, const char *want)
{
	char *notes;
	struct cpu_efficiency e = parsed(line, &notes);

	ck_assert_msg(isnan(e.value), "\"%s\" gave %g", line, e.value);
	ck_assert_msg(e.notes.n == 1, "\"%s\": %zu notes: %s", line, e.notes.n, notes);
	ck_assert_msg(strstr(notes, want) != NULL, "\"%s\": %s", line, notes);
	ck_assert_msg(strncmp(notes, "CPU efficiency unknown: ", 24) == 0, "%s", notes);
	free(notes);
	cpu_efficiency_free(&e);
}

START_TEST(line_figures)
{
	char *notes;
	struct cpu_efficiency e = parsed("4242|01:00:00|3600|4", &notes);

	ck_assert(e.value == 0.25);
	ck_assert(e.total_cpu_s == 3600 && e.elapsed_s == 3600 && e.alloc_cpus == 4);
	ck_assert_str_eq(notes, "");
	free(notes);
	cpu_efficiency_free(&e);
	/* an array task, days, milliseconds */
	e = parsed("4_0|1-02:03:04|100000|2", &notes);
	ck_assert(fabs(e.value - 93784.0 / 200000) < 1e-15);
	free(notes);
	cpu_efficiency_free(&e);
	e = parsed("4242|12:34.567|1000|1", &notes);
	ck_assert(fabs(e.value - 0.754567) < 1e-12);
	free(notes);
	cpu_efficiency_free(&e);
	/* no CPU time at all is a figure, 0, not unknown */
	e = parsed("4242|00:00:00|60|1", &notes);
	ck_assert(e.value == 0);
	free(notes);
	cpu_efficiency_free(&e);
	/* exactly the tolerance: 1.05 x 3600 s x 4 CPUs = 4 h 12 min */
	e = parsed("4242|04:12:00|3600|4", &notes);
	ck_assert(fabs(e.value - 1.05) < 1e-12);
	ck_assert_str_eq(notes, "");
	free(notes);
	cpu_efficiency_free(&e);
}
END_TEST

START_TEST(line_refused)
{
	const char *shape = "is not JobID|TotalCPU|ElapsedRaw|AllocCPUS";

	/* embedded or missing separators */
	unknown("4242|01:00:00|3600|4|x", shape);
	unknown("4242|01:00:00|3600|4|", shape);
	unknown("4242|01:00:00|3600", shape);
	unknown("4242", shape);
	unknown("|||||", shape);
	unknown("4242 01:00:00 3600 4", shape);
	/* empty fields */
	unknown("|01:00:00|3600|4", "JobID for job 4242 is empty");
	unknown("4242||3600|4", "TotalCPU for job 4242 is empty");
	unknown("4242|01:00:00||4", "ElapsedRaw for job 4242 is empty");
	unknown("4242|01:00:00|3600|", "AllocCPUS for job 4242 is empty");
	/* garbage, negatives, huge values */
	unknown("4242.batch|01:00:00|3600|4", "JobID for job 4242 is \"4242.batch\"");
	unknown("4242|1:00:00|3600|4", "TotalCPU for job 4242 is \"1:00:00\"");
	unknown("4242|01:00:00|-3600|4", "ElapsedRaw for job 4242 is \"-3600\"");
	unknown("4242|01:00:00|3600|-4", "AllocCPUS for job 4242 is \"-4\"");
	unknown("4242|01:00:00|3600.5|4", "ElapsedRaw");
	unknown("4242|01:00:00|99999999999|4", "ElapsedRaw for job 4242 is \"99999999999\"");
	unknown("4242|01:00:00|3600|999999999", "AllocCPUS for job 4242 is \"999999999\"");
	unknown("4242|01:00:00|3600|4 ", "AllocCPUS");
	/* what sacct printed is not passed on unless short, printable text */
	unknown("4242|\x1b[31m01:00:00|3600|4", "TotalCPU for job 4242 is long or unprintable text");
	unknown("4242|000000000000000000000000000000000000000|3600|4",
	    "long or unprintable text");
	unknown("4242|\"01:00\"|3600|4", "long or unprintable text");
	/* impossible: nothing to divide by, more CPU time than the CPUs had */
	unknown("4242|00:00:00|0|4", "sacct gives job 4242 no elapsed time");
	unknown("4242|00:00:00|3600|0", "sacct gives job 4242 no allocated CPUs");
	unknown("4242|05:00:00|3600|4", "TotalCPU for job 4242 is 125 % of its elapsed "
	    "time x 4 allocated CPUs");
	unknown("4242|04:12:01|3600|4", "more than they can give");
	unknown("4242|99999999-00:00:00|1|1", "more than they can give");
}
END_TEST

/* ---- the real binary on the sample job ---- */

static char *bindir;	/* where the fake sacct goes, first on PATH */

static void
setup(void)
{
	tu_scratch_setup();
	ck_assert(asprintf(&bindir, "%s/bin", tu_scratch) > 0);
	ck_assert_int_eq(mkdir(bindir, 0755), 0);
}

static void
teardown(void)
{
	free(bindir);
	tu_scratch_teardown();
}

/* A fake sacct: body after the shell line; PATH gets it first, or, when
 * only is set, nothing else (no real sacct from /usr/bin either). */
static void
fake_sacct(const char *body, int only)
{
	char *path = xasprintf("%s/sacct", bindir), *text = xasprintf("#!/bin/sh\n%s", body);
	char *env = only ? xstrdup(bindir) : xasprintf("%s:%s", bindir, getenv("PATH"));

	if (body != NULL) {
		tu_write(path, text);
		ck_assert_int_eq(chmod(path, 0755), 0);
	}
	ck_assert_int_eq(setenv("PATH", env, 1), 0);
	free(path), free(text), free(env);
}

/* The sample job 4242 with a configuration holding extra (a JSON
 * member, or ""); its report directory. */
static char *
sample(const char *extra)
{
	char *cfg = xasprintf("%s/config.json", tu_scratch), *text = xasprintf("{%s}", extra);
	const char *argv[] = { "--config", cfg, "--formats", "json,html", NULL };
	char *dir;

	tu_write(cfg, text);
	dir = rf_sample(tu_scratch, "lammps-melt", argv);
	free(cfg), free(text);
	return dir;
}

static const cJSON *
totals(const cJSON *root)
{
	return cJSON_GetObjectItemCaseSensitive(root, "totals");
}

static char *
warnings_of(const cJSON *root)
{
	return cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(root, "warnings"));
}

/* sacct answers the question powerreport asks (and nothing else): 3 d
 * 10:08:53 of CPU time over the sample's 3 h 05 min on 32 CPUs, the job's
 * line first, then its steps.  Like the real one, it says 00:00:00 for
 * the job when asked with -X (no steps fetched, none added up). */
START_TEST(figure_beside_the_energy)
{
	char *dir, *html, *w;
	cJSON *root;
	const cJSON *t, *in;

	fake_sacct("[ \"$SLURM_TIME_FORMAT\" = %s ] || exit 3\n"
	    "case \"$*\" in *-X*) echo '4242|00:00:00|11100|32'; exit ;; esac\n"
	    "[ \"$*\" = '-j 4242 -P -n --format=JobID,TotalCPU,ElapsedRaw,AllocCPUS' ] "
	    "|| exit 2\n"
	    "echo '4242|3-10:08:53|11100|32'\n"
	    "echo '4242.batch|3-10:08:50|11100|32'\n"
	    "echo '4242.extern|00:00.003|11100|32'\n", 0);
	dir = sample("");
	root = rf_summary(dir);
	t = totals(root);
	ck_assert_double_eq_tol(rf_num(t, "cpu_efficiency"), 295733.0 / (11100 * 32), 1e-12);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(t, "cpu_efficiency_source")->valuestring,
	    "sacct");
	in = cJSON_GetObjectItemCaseSensitive(t, "cpu_time");
	ck_assert(rf_num(in, "total_cpu_s") == 295733);
	ck_assert(rf_num(in, "elapsed_s") == 11100);
	ck_assert(rf_num(in, "alloc_cpus") == 32);
	/* AllocCPUS counts the core-hours when nothing else does */
	ck_assert_double_eq_tol(rf_num(t, "core_hours"), 32 * 11100 / 3600.0, 1e-9);
	w = warnings_of(root);
	ck_assert_msg(strstr(w, "CPU efficiency") == NULL, "%s", w);
	html = rf_file(dir, "report.html");
	ck_assert_msg(strstr(html, "<div class=\"label\">CPU efficiency</div><div class=\"value\">"
	    "83 %</div><div class=\"note\">26.6 of 32 CPUs busy (sacct)</div>") != NULL,
	    "no CPU efficiency card");
	ck_assert_ptr_null(strstr(html, "CPUs waited"));
	cJSON_Delete(root);
	free(dir), free(html), free(w);
}
END_TEST

/* An hour of CPU time on 32 CPUs for 3 h 05 min: 1 %, read for the user. */
START_TEST(idle_cores_said)
{
	char *dir, *html;
	cJSON *root;

	fake_sacct("echo '4242|01:00:00|11100|32'\n", 0);
	dir = sample("");
	root = rf_summary(dir);
	ck_assert_double_eq_tol(rf_num(totals(root), "cpu_efficiency"), 3600.0 / 355200, 1e-12);
	html = rf_file(dir, "report.html");
	ck_assert_msg(strstr(html, "<div class=\"value\">1.0 %</div><div class=\"note\">"
	    "most of the 32 CPUs waited: 0.324 busy (sacct)</div>") != NULL,
	    "no idle-ish reading");
	cJSON_Delete(root);
	free(dir), free(html);
}
END_TEST

/* A sacct that never answers: killed when connect plus statement timeout
 * (1 s + 1 s) have passed; the report is made, the figure unknown and
 * said so. */
START_TEST(hanging_sacct_killed)
{
	char *pidfile = xasprintf("%s/sacct.pid", tu_scratch), *body, *dir, *w, *html, *pid;
	cJSON *root;
	const cJSON *t;
	struct timespec a, b;
	double secs;

	body = xasprintf("echo $$ > '%s'\nexec sleep 60\n", pidfile);
	fake_sacct(body, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	dir = sample("\"database\": {\"connect_timeout_s\": 1, \"statement_timeout_ms\": 1000}");
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	printf("hanging_sacct_killed: report in %.2f s\n", secs);
	ck_assert_msg(secs >= 2 && secs < 8, "took %.2f s", secs);
	pid = tu_read(pidfile, NULL);
	ck_assert_ptr_nonnull(pid);
	ck_assert_msg(kill((pid_t)atol(pid), 0) == -1 && errno == ESRCH,
	    "sacct %s still runs", pid);
	root = rf_summary(dir);
	t = totals(root);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(t, "cpu_efficiency")));
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(t, "cpu_efficiency_source")->valuestring,
	    "sacct");
	w = warnings_of(root);
	ck_assert_msg(strstr(w, "CPU efficiency unknown: sacct gave no answer within 2 s "
	    "and was stopped") != NULL, "%s", w);
	html = rf_file(dir, "report.html");
	ck_assert_ptr_null(strstr(html, "<div class=\"label\">CPU efficiency"));
	ck_assert_ptr_nonnull(strstr(html, "CPU efficiency unknown: sacct gave no answer"));
	cJSON_Delete(root);
	free(pidfile), free(body), free(dir), free(w), free(html), free(pid);
}
END_TEST

/* sacct answers nonsense, or fails: no number, a note in data quality. */
START_TEST(bad_answers_noted)
{
	static const struct { const char *body, *note; } c[] = {
		{ "echo '4242|lots|of|junk|here'\n", "is not JobID|TotalCPU|ElapsedRaw|AllocCPUS" },
		{ "echo '4242|05:00:00|3600|1'\n", "500 % of its elapsed time x 1 allocated CPUs" },
		{ "exit 1\n", "sacct failed (exit 1): is Slurm accounting reachable?" },
		{ "echo 'sacct: error: Problem talking to the database: Connection refused' >&2\n"
		  "exit 1\n", "sacct failed (exit 1): is Slurm accounting reachable?" },
		{ ":\n", "sacct does not know job 4242" },
	};

	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		char *dir, *w, *html;
		cJSON *root;

		fake_sacct(c[i].body, 0);
		dir = sample("");
		root = rf_summary(dir);
		ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(totals(root),
		    "cpu_efficiency")));
		w = warnings_of(root);
		ck_assert_msg(strstr(w, c[i].note) != NULL, "%s", w);
		html = rf_file(dir, "report.html");
		ck_assert_ptr_null(strstr(html, "<div class=\"label\">CPU efficiency"));
		cJSON_Delete(root);
		tu_rmrf(dir);
		free(dir), free(w), free(html);
	}
}
END_TEST

/* Without sacct, with a sacct that has no accounting to ask, with
 * attribution.sacct_timeout_s 0, and for a job id Slurm would not know,
 * nothing is said. */
START_TEST(silent_without_sacct)
{
	char *marker = xasprintf("%s/asked", tu_scratch), *body, *csv, *dir, *w;
	const char *extra[] = { "--formats", "json", NULL };
	cJSON *root;
	const cJSON *t;

	fake_sacct(NULL, 1);	/* PATH: an empty directory */
	dir = sample("");
	root = rf_summary(dir);
	t = totals(root);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(t, "cpu_efficiency")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(t, "cpu_efficiency_source")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(t, "cpu_time")));
	w = warnings_of(root);
	ck_assert_msg(strstr(w, "sacct") == NULL, "%s", w);
	cJSON_Delete(root);
	free(dir), free(w);

	/* a machine without Slurm configuration, a cluster without accounting:
	 * sacct is there but has nothing to ask, as the real one says */
	for (int i = 0; i < 2; i++) {
		fake_sacct(i == 0 ? "echo 'sacct: fatal: Could not establish a configuration source' >&2\n"
		    "exit 1\n" : "echo 'Slurm accounting storage is disabled' >&2\nexit 1\n", 0);
		dir = sample("");
		root = rf_summary(dir);
		t = totals(root);
		ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(t, "cpu_efficiency_source")));
		w = warnings_of(root);
		ck_assert_msg(strstr(w, "sacct") == NULL, "%s", w);
		cJSON_Delete(root);
		tu_rmrf(dir);
		free(dir), free(w);
	}

	body = xasprintf("touch '%s'\necho 'lammps-test|01:00:00|3600|1'\n", marker);
	fake_sacct(body, 0);
	dir = sample("\"attribution\": {\"sacct_timeout_s\": 0}");	/* never asked */
	ck_assert(!tu_exists(marker));
	root = rf_summary(dir);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(totals(root),
	    "cpu_efficiency_source")));
	cJSON_Delete(root);
	tu_rmrf(dir);
	free(dir);
	csv = tu_top("samples/raw_power.csv");
	dir = rf_report(tu_scratch, csv, "2026-11-20T14:00:00-06:00",
	    "2026-11-20T17:05:00-06:00", "lammps-test", NULL, extra);
	ck_assert(!tu_exists(marker));
	root = rf_summary(dir);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(totals(root),
	    "cpu_efficiency_source")));
	cJSON_Delete(root);
	free(marker), free(body), free(csv), free(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cpu_efficiency");
	TCase *parse = tcase_create("parse"), *run = tcase_create("binary");

	tcase_add_test(parse, total_cpu_forms);
	tcase_add_test(parse, total_cpu_garbage);
	tcase_add_test(parse, job_ids);
	tcase_add_test(parse, line_figures);
	tcase_add_test(parse, line_refused);
	suite_add_tcase(s, parse);
	tcase_add_checked_fixture(run, setup, teardown);
	tcase_set_timeout(run, 60);
	tcase_add_test(run, figure_beside_the_energy);
	tcase_add_test(run, idle_cores_said);
	tcase_add_test(run, hanging_sacct_killed);
	tcase_add_test(run, bad_answers_noted);
	tcase_add_test(run, silent_without_sacct);
	suite_add_tcase(s, run);
	return tu_main(s);
}
