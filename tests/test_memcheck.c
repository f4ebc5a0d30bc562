/*
 * test_memcheck.c - a full report run (every format, the sample job) under
 * valgrind memcheck: no invalid access, no definite or indirect leak.  In a
 * --enable-sanitizers build the sanitizers do this job instead, and
 * valgrind cannot run an ASan binary, so the check says so and passes.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(full_report_is_memcheck_clean)
{
	char *dir = tu_tmpdir(), *csv = tu_top("samples/raw_power.csv");
	const char *argv[] = { "valgrind", "-q", "--error-exitcode=99",
	    "--leak-check=full", "--errors-for-leak-kinds=definite,indirect",
	    "--show-leak-kinds=definite,indirect", tu_bin(), "--from-csv", csv,
	    "--job-id", "4242", "--start", "2026-11-20T14:00:00-06:00",
	    "--end", "2026-11-20T17:05:00-06:00", "--outdir", dir, "-q", NULL };
	struct run_result r;
	char *pdf;

	if (getenv("POWERREPORT_SANITIZED") != NULL &&
	    strcmp(getenv("POWERREPORT_SANITIZED"), "") != 0) {
		puts("SKIP memcheck: sanitizer build (ASan/LSan check memory instead)");
		goto out;
	}
	r = tu_run_cmd(argv, NULL, NULL);
	ck_assert_msg(r.status == 0, "valgrind exit %d:\n%s", r.status, r.err);
	ck_assert(asprintf(&pdf, "%s/power_4242/report.pdf", dir) > 0);
	ck_assert(tu_exists(pdf));
	free(pdf);
	tu_run_free(&r);
out:
	tu_rmrf(dir);
	free(dir);
	free(csv);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("memcheck");
	TCase *tc = tcase_create("valgrind");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, full_report_is_memcheck_clean);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
