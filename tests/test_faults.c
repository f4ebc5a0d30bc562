/*
 * test_faults.c - the fault matrix of the real binary: disk full, planted
 * symlinks, regeneration over an earlier report, two runs at once, SIGTERM
 * mid-run, huge nodelists and huge windows.  Each case asserts what the
 * user sees and that no report is lost or left half-written.  (Database
 * faults are in test_pg.c; the table of all cases is tests/README.md.)
 */
#include "testutil.h"
#include "reportfix.h"

#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define T0 1763654400L	/* window start, 2025-11-20T16:00:00Z */

static char *csv;

static void
iso(time_t t, char *buf, size_t size)
{
	struct tm tm;

	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

/* rows of input power for nodes n0..n1-1 of "n%04d" every step seconds over
 * [T0, T0+span] */
static void
write_rows(FILE *fp, int n0, int n1, long span, long step)
{
	char ts[32];

	for (int n = n0; n < n1; n++)
		for (long t = T0; t <= T0 + span; t += step) {
			iso((time_t)t, ts, sizeof ts);
			fprintf(fp, "%s,n%04d,,,%d,W,SystemInputPower\n", ts, n, 300 + n % 7);
		}
}

static void
setup(void)
{
	FILE *fp;

	tu_scratch_setup();
	ck_assert(asprintf(&csv, "%s/in.csv", tu_scratch) > 0);
	fp = fopen(csv, "w");
	fputs("timestamp,hostname,source,fqdd,value,units,metric\n", fp);
	write_rows(fp, 1, 3, 3600, 5);
	fclose(fp);
}

static void
teardown(void)
{
	tu_scratch_teardown();
	free(csv);
}

static char *
report_file(const char *name)
{
	char *p;

	ck_assert(asprintf(&p, "%s/out/power_9/%s", tu_scratch, name) > 0);
	return p;
}

/* powerreport on the fixture CSV into DIR/out, job 9; extra args appended. */
static struct run_result
run_report(const char *extra1, const char *extra2)
{
	char *out;
	struct run_result r;

	ck_assert(asprintf(&out, "%s/out", tu_scratch) > 0);
	mkdir(out, 0755);
	{
		const char *argv[] = { "--from-csv", csv, "--job-id", "9", "--start",
		    "1763654400", "--end", "1763658000", "--outdir", out, "-q",
		    extra1, extra2, NULL };
		r = tu_run(argv, NULL, NULL);
	}
	free(out);
	return r;
}

static void
assert_report_complete(void)
{
	static const char *const files[] = { "raw_power.csv", "energy.csv",
	    "summary.json", "timeseries.png", "energy_pie.png", "energy_pie.pdf",
	    "report.html", "report.pdf" };

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *p = report_file(files[i]);
		struct stat st;
		ck_assert_msg(stat(p, &st) == 0 && st.st_size > 0, "%s missing", p);
		free(p);
	}
}

/* Only power_9 (or nothing) in DIR/out: no hidden temporary left. */
static void
assert_out_entries(int n)
{
	char *out;

	ck_assert(asprintf(&out, "%s/out", tu_scratch) > 0);
	ck_assert_int_eq(tu_count_entries(out), n);
	free(out);
}

START_TEST(disk_full_fails_cleanly_and_keeps_old_report)
{
	struct run_result r = run_report(NULL, NULL);
	char *out, *sum, *before, *after;

	ck_assert_int_eq(r.status, 0);
	tu_run_free(&r);
	sum = report_file("summary.json");
	before = tu_read(sum, NULL);
	ck_assert(asprintf(&out, "%s/out", tu_scratch) > 0);
	{
		/* every file may grow to 20 kB: raw_power.csv cannot */
		const char *argv[] = { "prlimit", "--fsize=20000", tu_bin(),
		    "--from-csv", csv, "--job-id", "9", "--start", "1763654400",
		    "--end", "1763658000", "--outdir", out, NULL };
		r = tu_run_cmd(argv, NULL, NULL);
	}
	ck_assert_msg(r.status == 7, "exit %d: %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "File too large"));
	after = tu_read(sum, NULL);
	ck_assert_str_eq(before, after);
	assert_out_entries(1);
	tu_run_free(&r);
	free(before);
	free(after);
	free(sum);
	free(out);
}
END_TEST

START_TEST(symlink_at_report_dir_is_replaced_not_followed)
{
	char *victim = tu_victim(), *link;
	struct run_result r;
	struct stat st;

	ck_assert(asprintf(&link, "%s/out", tu_scratch) > 0);
	mkdir(link, 0755);
	free(link);
	ck_assert(asprintf(&link, "%s/out/power_9", tu_scratch) > 0);
	ck_assert_int_eq(symlink(victim, link), 0);
	r = run_report(NULL, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	tu_victim_untouched(victim);
	assert_report_complete();
	tu_run_free(&r);
	free(link);
}
END_TEST

START_TEST(regeneration_replaces_failed_one_keeps)
{
	struct run_result r = run_report(NULL, NULL);
	char *sum = report_file("summary.json"), *first, *again;
	FILE *fp;

	ck_assert_int_eq(r.status, 0);
	tu_run_free(&r);
	first = tu_read(sum, NULL);
	r = run_report("--job-name", "second");
	ck_assert_int_eq(r.status, 0);
	tu_run_free(&r);
	again = tu_read(sum, NULL);
	ck_assert_ptr_nonnull(strstr(again, "\"second\""));
	assert_out_entries(1);
	/* a failing regeneration (a bad row) leaves the second report */
	fp = fopen(csv, "a");
	fputs("garbage,row\n", fp);
	fclose(fp);
	r = run_report("--job-name", "third");
	ck_assert_int_eq(r.status, 4);
	tu_run_free(&r);
	free(first);
	first = tu_read(sum, NULL);
	ck_assert_str_eq(first, again);
	assert_report_complete();
	assert_out_entries(1);
	free(first);
	free(again);
	free(sum);
}
END_TEST

START_TEST(two_runs_at_once)
{
	pid_t a = fork();

	ck_assert(a >= 0);
	if (a == 0) {
		struct run_result r = run_report(NULL, NULL);
		_exit(r.status);
	}
	struct run_result r = run_report(NULL, NULL);
	int st;
	char *rdir = report_file("");

	ck_assert_int_eq(waitpid(a, &st, 0), a);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_int_eq(r.status, 0);
	cJSON_Delete(rf_summary(rdir));
	assert_report_complete();
	assert_out_entries(1);
	tu_run_free(&r);
	free(rdir);
}
END_TEST

/* Start powerreport reading a FIFO we feed; returns its pid. */
static pid_t
start_on_fifo(const char *fifo, int *errfd, bool pty)
{
	char *out;
	pid_t pid;
	int master = -1, pfd[2];

	ck_assert(asprintf(&out, "%s/out", tu_scratch) > 0);
	mkdir(out, 0755);
	ck_assert_int_eq(pipe(pfd), 0);
	pid = pty ? forkpty(&master, NULL, NULL, NULL) : fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		if (!pty)
			dup2(pfd[1], 2);
		execl(tu_bin(), tu_bin(), "--from-csv", fifo, "--job-id", "9",
		    "--start", "1763654400", "--end", "1766246400", "--nodelist",
		    "n[0000-0999]", "--outdir", out, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	*errfd = pty ? master : pfd[0];
	if (pty)
		close(pfd[0]);
	free(out);
	return pid;
}

START_TEST(sigterm_mid_run_leaves_nothing)
{
	char *fifo;
	int errfd, st;
	pid_t pid;
	FILE *fp;

	ck_assert(asprintf(&fifo, "%s/fifo.csv", tu_scratch) > 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	pid = start_on_fifo(fifo, &errfd, false);
	fp = fopen(fifo, "w");
	fputs("timestamp,hostname,source,fqdd,value,units,metric\n", fp);
	write_rows(fp, 0, 10, 3600, 5);
	fflush(fp);
	usleep(300000);
	kill(pid, SIGTERM);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	fclose(fp);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 9);
	assert_out_entries(0);
	close(errfd);
	free(fifo);
}
END_TEST

START_TEST(huge_nodelist_is_refused_fast)
{
	const char *argv[] = { "--dry-run", "--start", "0", "--end", "60",
	    "--nodelist", "rpc-[1-100000000]", NULL };
	struct run_result r = tu_run(argv, NULL, NULL);

	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "powerreport: "));
	tu_run_free(&r);
}
END_TEST

START_TEST(large_allowed_nodelist_plans)
{
	const char *argv[] = { "--dry-run", "--start", "0", "--end", "60",
	    "--nodelist", "rpc-[1-20000]", NULL };
	struct run_result r = tu_run(argv, NULL, NULL);

	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "rpc-20000"));
	tu_run_free(&r);
}
END_TEST

/* 1000 nodes over a 30-day window, fed through a FIFO under a terminal:
 * progress is shown, and memory stays bounded. */
START_TEST(month_long_thousand_node_window)
{
	char *fifo, buf[4096];
	int errfd, st;
	pid_t pid;
	FILE *fp;
	struct rusage ru;
	size_t got = 0;
	char *seen = calloc(1, 1 << 16);

	ck_assert(asprintf(&fifo, "%s/fifo.csv", tu_scratch) > 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	pid = start_on_fifo(fifo, &errfd, true);
	fp = fopen(fifo, "w");
	fputs("timestamp,hostname,source,fqdd,value,units,metric\n", fp);
	/* 1000 nodes x 721 samples, one every hour of the 30 days */
	write_rows(fp, 0, 500, 30L * 86400, 3600);
	fflush(fp);
	sleep(2);	/* so the progress line is due */
	write_rows(fp, 500, 1000, 30L * 86400, 3600);
	fclose(fp);
	for (;;) {
		ssize_t n = read(errfd, buf, sizeof buf);
		if (n <= 0)
			break;
		if (got + (size_t)n < (1 << 16) - 1) {
			memcpy(seen + got, buf, (size_t)n);
			got += (size_t)n;
		}
	}
	ck_assert_int_eq(wait4(pid, &st, 0, &ru), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d: %s", st, seen);
	ck_assert_msg(strstr(seen, "samples read") != NULL, "no progress: %s", seen);
	ck_assert_msg(ru.ru_maxrss < 200 * 1024, "peak RSS %ld kB", ru.ru_maxrss);
	close(errfd);
	free(seen);
	free(fifo);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = tcase_create("matrix");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, disk_full_fails_cleanly_and_keeps_old_report);
	tcase_add_test(tc, symlink_at_report_dir_is_replaced_not_followed);
	tcase_add_test(tc, regeneration_replaces_failed_one_keeps);
	tcase_add_test(tc, two_runs_at_once);
	tcase_add_test(tc, sigterm_mid_run_leaves_nothing);
	tcase_add_test(tc, huge_nodelist_is_refused_fast);
	tcase_add_test(tc, large_allowed_nodelist_plans);
	tcase_add_test(tc, month_long_thousand_node_window);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
