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
	char *rdir = rf_sample(tu_scratch, UTF8_NAME, NULL), *pdf = pdf_path(rdir);
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

	ck_assert(asprintf(&cfg, "%s/config.json", tu_scratch) > 0);
	tu_write(cfg, "{ \"display\": { \"paper\": \"Letter\" } }");
	extra[1] = cfg;
	rdir = rf_sample(tu_scratch, NULL, extra);
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
	char *rdir = rf_big_job(tu_scratch, 32, 32, "777", NULL), *pdf, *info;
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

/* The line of text holding needle, from pdftotext -layout (malloc'd). */
static char *
layout_line(const char *pdf, const char *needle)
{
	const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };
	int status;
	char *text = rf_capture(argv, &status), *line = NULL, *at;

	ck_assert_int_eq(status, 0);
	if ((at = strstr(text, needle)) != NULL) {
		while (at > text && at[-1] != '\n')
			at--;
		line = strndup(at, strcspn(at, "\n"));
	}
	free(text);
	return line;
}

/* 64 nodes of 20 to 65 kW: the bold total row whole (it was "All nod...
 * 524.052"), the whole report in a few pages, and poppler reads it
 * without a warning. */
START_TEST(big_job_total_row_pages_and_text_layer)
{
	char *rdir = rf_big_job_scaled(tu_scratch, 32, 32, "777", NULL, 30);
	char *pdf = pdf_path(rdir);
	char *info = pdf_info(pdf), *line, *cmd, *err, want[32];
	cJSON *sum = rf_summary(rdir);
	int status;

	line = layout_line(pdf, "All nodes");
	ck_assert_ptr_nonnull(line);
	ck_assert_msg(strstr(line, "\u2026") == NULL, "cut: %s", line);
	snprintf(want, sizeof want, " %.2f ", rf_total_kwh(sum));
	ck_assert_msg(strstr(line, want) != NULL, "no%s in %s", want, line);
	ck_assert_int_le(pages(info), 8);
	ck_assert(asprintf(&cmd, "pdftotext '%s' /dev/null; pdffonts '%s'", pdf,
	    pdf) > 0);
	err = rf_stderr(cmd, &status);
	ck_assert_msg(*err == '\0', "poppler: %s", err);
	cJSON_Delete(sum);
	free(err);
	free(cmd);
	free(line);
	free(info);
	free(pdf);
	free(rdir);
}
END_TEST

/* A 10-minute one-node job fills two pages, not three or four. */
START_TEST(short_job_two_pages)
{
	const char *extra[] = { "--nodelist", "rpc-91-1", NULL };
	char *csv = tu_top("samples/raw_power.csv"), *rdir, *pdf, *info, *text;

	rdir = rf_report(tu_scratch, csv, "2026-11-20T15:00:00-06:00",
	    "2026-11-20T15:10:00-06:00", "10", NULL, extra);
	pdf = pdf_path(rdir);
	info = pdf_info(pdf);
	ck_assert_int_le(pages(info), 2);
	/* ten minutes: average power per node, not energy per node-hour */
	text = pdf_text(pdf, 1, 1);
	ck_assert_ptr_nonnull(strstr(text, "Average power per node"));
	ck_assert_ptr_null(strstr(text, "node-hour"));
	free(text);
	free(info);
	free(pdf);
	free(rdir);
	free(csv);
}
END_TEST

/* The banner on page 1 when a node is silent; none when all is well. */
START_TEST(banner_on_page_one)
{
	const char *silent[] = { "--nodelist", "rpc-91-1,rpg-93-1,rpc-91-9", NULL };
	char *rdir = rf_sample(tu_scratch, NULL, silent), *pdf = pdf_path(rdir);
	char *text = pdf_text(pdf, 1, 1);

	ck_assert_ptr_nonnull(strstr(text, "rpc-91-9 sent no telemetry"));
	free(text);
	free(pdf);
	free(rdir);
	rdir = rf_sample(tu_scratch, NULL, NULL);
	pdf = pdf_path(rdir);
	text = pdf_text(pdf, 0, 0);
	ck_assert_ptr_null(strstr(text, "sent no telemetry"));
	ck_assert_ptr_null(strstr(text, "interpolated across gaps"));
	free(text);
	free(pdf);
	free(rdir);
}
END_TEST

/* A job name with CJK and emoji: the CJK set in a fallback font where one
 * is installed (fonts-wqy-zenhei), else marked; the emoji (no font
 * libharu can embed has it) marked, never silence; poppler reads the
 * fallback font's text without a warning too. */
START_TEST(missing_glyphs_show)
{
	char *rdir = rf_sample(tu_scratch, "\u6a21\u62df run \U0001F680", NULL);
	char *pdf = pdf_path(rdir), *text = pdf_text(pdf, 1, 1), *cmd, *err;
	int status;

	ck_assert_msg(strstr(text, "\u6a21\u62df run \uFFFD") != NULL ||
	    strstr(text, "\uFFFD\uFFFD run \uFFFD") != NULL, "%s", text);
	ck_assert(asprintf(&cmd, "pdftotext '%s' /dev/null", pdf) > 0);
	err = rf_stderr(cmd, &status);
	ck_assert_msg(*err == '\0', "poppler: %s", err);
	free(err);
	free(cmd);
	free(text);
	free(pdf);
	free(rdir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("report_pdf");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, tu_scratch_setup, tu_scratch_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sample_job_text_and_metadata);
	tcase_add_test(tc, letter_paper);
	tcase_add_test(tc, tables_break_with_their_header);
	tcase_add_test(tc, big_job_total_row_pages_and_text_layer);
	tcase_add_test(tc, short_job_two_pages);
	tcase_add_test(tc, banner_on_page_one);
	tcase_add_test(tc, missing_glyphs_show);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
