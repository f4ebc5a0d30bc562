/*
 * test_report_pdf.c - report.pdf as poppler reads it: the job id, a UTF-8
 * job name and the totals of summary.json in its text, page numbers that
 * know the page count, metadata naming the user and powerreport, an
 * outline of the sections, the configured paper size, and a 64-node job
 * whose tables run over several pages with their header on each.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reportfix.h"

#define UTF8_NAME "Schr\u00f6dinger\u2013\u03a9"
#define DATA_QUALITY_UTF16 "<FEFF00440061007400610020007100750061006C006900740079>"

static char *dir;

static void
setup(void)
{
	dir = tu_tmpdir();
}

static void
teardown(void)
{
	tu_rmrf(dir);
	free(dir);
}

static char *
pdf_path(const char *reportdir)
{
	char *p;

	ck_assert(asprintf(&p, "%s/report.pdf", reportdir) > 0);
	return p;
}

/* The whole file, binary (malloc'd), its size in *len. */
static char *
read_bytes(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	ck_assert_int_gt(n = ftell(fp), 0);
	rewind(fp);
	buf = malloc((size_t)n);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* pdftotext of the pages first..last (0: all). */
static char *
pdf_text(const char *pdf, int first, int last)
{
	char f[16], l[16], *out;
	int status;

	snprintf(f, sizeof f, "%d", first > 0 ? first : 1);
	snprintf(l, sizeof l, "%d", last > 0 ? last : 9999);
	{
		const char *argv[] = { "pdftotext", "-enc", "UTF-8", "-f", f,
		    "-l", l, pdf, "-", NULL };

		out = rf_capture(argv, &status);
	}
	ck_assert_msg(status == 0, "pdftotext %s failed (%d)", pdf, status);
	return out;
}

static char *
pdf_info(const char *pdf)
{
	const char *argv[] = { "pdfinfo", "-enc", "UTF-8", pdf, NULL };
	int status;
	char *out = rf_capture(argv, &status);

	ck_assert_msg(status == 0, "pdfinfo %s failed (%d)", pdf, status);
	return out;
}

/* The value of pdfinfo's field (malloc'd). */
static char *
info_field(const char *info, const char *name)
{
	char *key;
	const char *p;

	ck_assert(asprintf(&key, "\n%s:", name) > 0);
	p = strstr(info, key);
	ck_assert_msg(p != NULL || strncmp(info, key + 1, strlen(key) - 1) == 0,
	    "pdfinfo has no %s: %s", name, info);
	p = p != NULL ? p + strlen(key) : info + strlen(key) - 1;
	p += strspn(p, " ");
	free(key);
	return strndup(p, strcspn(p, "\n"));
}

static int
pages(const char *info)
{
	const char *p = strstr(info, "\nPages:");

	ck_assert_ptr_nonnull(p);
	return atoi(p + strlen("\nPages:"));
}

static void
assert_field(const char *info, const char *name, const char *want)
{
	char *v = info_field(info, name);

	ck_assert_msg(strcmp(v, want) == 0, "pdfinfo %s: \"%s\", wanted \"%s\"",
	    name, v, want);
	free(v);
}

START_TEST(sample_job_text_and_metadata)
{
	char *rdir = rf_sample(dir, UTF8_NAME, NULL), *pdf = pdf_path(rdir);
	char *text = pdf_text(pdf, 0, 0), *info = pdf_info(pdf), want[64], *raw;
	cJSON *sum = rf_summary(rdir);
	int n = pages(info);
	size_t rawlen;

	ck_assert_ptr_nonnull(strstr(text, "Job 4242"));
	ck_assert_ptr_nonnull(strstr(text, UTF8_NAME));
	snprintf(want, sizeof want, "%.3f", rf_total_kwh(sum));
	ck_assert_msg(strstr(text, want) != NULL, "total %s kWh missing", want);
	snprintf(want, sizeof want, "%.3f kWh", rf_total_kwh(sum));
	ck_assert_msg(strstr(text, want) != NULL, "key figure %s missing", want);
	ck_assert_ptr_nonnull(strstr(text, "Video.Slot.38-4"));
	ck_assert_ptr_nonnull(strstr(text, "Data quality"));
	ck_assert_ptr_nonnull(strstr(text, "trapezoidal"));
	/* numbered once the page count was known */
	ck_assert_int_ge(n, 2);
	snprintf(want, sizeof want, "page 1 of %d", n);
	ck_assert_msg(strstr(text, want) != NULL, "no \"%s\"", want);
	snprintf(want, sizeof want, "page %d of %d", n, n);
	ck_assert_msg(strstr(text, want) != NULL, "no \"%s\"", want);
	/* metadata */
	assert_field(info, "Title", "Energy report: job 4242 (" UTF8_NAME ")");
	assert_field(info, "Author", "alice");
	assert_field(info, "Creator", "powerreport " PR_VERSION);
	snprintf(want, sizeof want, "Energy use of job 4242 on 2 nodes, %.3f kWh",
	    rf_total_kwh(sum));
	assert_field(info, "Subject", want);
	ck_assert_ptr_nonnull(strstr(info, "(A4)"));
	/* an outline entry per section (titles in UTF-16BE hex) */
	raw = read_bytes(pdf, &rawlen);
	ck_assert_ptr_nonnull(memmem(raw, rawlen, "/Outlines", 9));
	ck_assert_ptr_nonnull(memmem(raw, rawlen, DATA_QUALITY_UTF16, strlen(DATA_QUALITY_UTF16)));
	free(raw);
	cJSON_Delete(sum);
	free(info);
	free(text);
	free(pdf);
	free(rdir);
}
END_TEST

START_TEST(letter_paper)
{
	char *cfg, *rdir, *pdf, *info;
	const char *extra[] = { "--config", NULL, "--formats", "pdf", NULL };

	ck_assert(asprintf(&cfg, "%s/config.json", dir) > 0);
	tu_write(cfg, "{ \"display\": { \"paper\": \"Letter\" } }");
	extra[1] = cfg;
	rdir = rf_sample(dir, NULL, extra);
	pdf = pdf_path(rdir);
	info = pdf_info(pdf);
	ck_assert_msg(strstr(info, "612 x 792 pts (letter)") != NULL, "%s", info);
	free(info);
	free(pdf);
	free(rdir);
	free(cfg);
}
END_TEST

START_TEST(tables_break_with_their_header)
{
	char *rdir = rf_big_job(dir, 32, 32, "777", NULL), *pdf, *info;
	int n, node_pages = 0;

	pdf = pdf_path(rdir);
	info = pdf_info(pdf);
	n = pages(info);
	ck_assert_int_ge(n, 5);
	for (int p = 1; p <= n; p++) {
		char *text = pdf_text(pdf, p, p), want[32];

		/* 64 node rows take two pages, each with the header */
		node_pages += strstr(text, "Input coverage") != NULL;
		snprintf(want, sizeof want, "page %d of %d", p, n);
		ck_assert_msg(strstr(text, want) != NULL, "no \"%s\"", want);
		free(text);
	}
	ck_assert_int_ge(node_pages, 2);
	free(info);
	free(pdf);
	free(rdir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("report_pdf");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sample_job_text_and_metadata);
	tcase_add_test(tc, letter_paper);
	tcase_add_test(tc, tables_break_with_their_header);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
