/*
 * test_outdir.c - the report directory appears whole or not at all, replaces
 * an earlier one atomically, and never follows a planted symlink.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "outdir.h"

static char *dir;

static void
setup(void)
{
	dir = tu_tmpdir();
	pr_errclear();
}

static void
teardown(void)
{
	tu_rmrf(dir);
	free(dir);
}

static void
write_report(const char *text)
{
	struct outdir od;
	FILE *fp;

	ck_assert_int_eq(outdir_begin(&od, dir, "77"), PR_OK);
	fp = outdir_fopen(&od, "a.txt");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(outdir_fclose(fp, "a.txt"), PR_OK);
	ck_assert_int_eq(outdir_commit(&od), PR_OK);
	outdir_free(&od);
}

static char *
read_report(void)
{
	char *p, *s;

	ck_assert(asprintf(&p, "%s/power_77/a.txt", dir) > 0);
	s = tu_read(p, NULL);
	free(p);
	return s;
}

START_TEST(first_report_appears_whole)
{
	char *s;

	write_report("one");
	s = read_report();
	ck_assert_str_eq(s, "one");
	free(s);
	ck_assert_int_eq(tu_count_entries(dir), 1);	/* no temporary left */
}
END_TEST

START_TEST(regeneration_replaces_and_cleans_up)
{
	char *s;

	write_report("one");
	write_report("two");
	s = read_report();
	ck_assert_str_eq(s, "two");
	free(s);
	ck_assert_int_eq(tu_count_entries(dir), 1);
}
END_TEST

START_TEST(failed_run_keeps_previous_report)
{
	struct outdir od;
	FILE *fp;
	char *s;

	write_report("good");
	ck_assert_int_eq(outdir_begin(&od, dir, "77"), PR_OK);
	fp = outdir_fopen(&od, "a.txt");
	fputs("half", fp);
	fclose(fp);
	outdir_abort(&od);
	outdir_free(&od);
	s = read_report();
	ck_assert_str_eq(s, "good");
	free(s);
	ck_assert_int_eq(tu_count_entries(dir), 1);
}
END_TEST

START_TEST(planted_symlink_is_not_followed)
{
	char *victim = tu_tmpdir(), *link, *keep, *s;
	struct stat st;

	ck_assert(asprintf(&keep, "%s/precious", victim) > 0);
	tu_write(keep, "mine");
	ck_assert(asprintf(&link, "%s/power_77", dir) > 0);
	ck_assert_int_eq(symlink(victim, link), 0);
	write_report("report");
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));		/* a real directory now */
	s = tu_read(keep, NULL);
	ck_assert_str_eq(s, "mine");		/* the target was not touched */
	ck_assert_int_eq(tu_count_entries(victim), 1);
	free(s);
	free(keep);
	free(link);
	tu_rmrf(victim);
	free(victim);
}
END_TEST

START_TEST(missing_parent_is_an_output_error)
{
	struct outdir od;
	char *p;

	ck_assert(asprintf(&p, "%s/nope", dir) > 0);
	ck_assert_int_eq(outdir_begin(&od, p, "77"), PR_EOUTPUT);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "--outdir"));
	outdir_free(&od);
	free(p);
}
END_TEST

START_TEST(existing_file_is_not_overwritten_inside)
{
	struct outdir od;
	FILE *fp;

	ck_assert_int_eq(outdir_begin(&od, dir, "77"), PR_OK);
	fp = outdir_fopen(&od, "x");
	fclose(fp);
	ck_assert_ptr_null(outdir_fopen(&od, "x"));	/* O_EXCL */
	outdir_free(&od);
	ck_assert_int_eq(tu_count_entries(dir), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("outdir");
	TCase *tc = tcase_create("atomic");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, first_report_appears_whole);
	tcase_add_test(tc, regeneration_replaces_and_cleans_up);
	tcase_add_test(tc, failed_run_keeps_previous_report);
	tcase_add_test(tc, planted_symlink_is_not_followed);
	tcase_add_test(tc, missing_parent_is_an_output_error);
	tcase_add_test(tc, existing_file_is_not_overwritten_inside);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
