/*
 * test_report_html.c - report.html as a reader gets it: one self-contained
 * file (nothing fetched from anywhere) that headless Chromium renders into a
 * page with real content, job names shown as text however hostile, the
 * cost shown only when configured, a site's own templates honoured (all
 * of them or one partial) and a broken one refused in one clear line, and
 * a 64-node job laid out in full, and the charts' hover read-outs (SVG
 * <title>s, no script) escaped and bounded in number.
 */
#include "testutil.h"

#include <math.h>
#include <png.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_palette.h"
#include "charts.h"
#include "reportfix.h"

#define INJECTION "<img src=x onerror=alert(1)>"

/* Headless Chromium with networking off; NULL when it is not installed. */
static char *
chromium(const char *mode, const char *html)
{
	char *profile, *url, *out;
	int status;

	if (!rf_have("chromium"))
		return NULL;
	ck_assert(asprintf(&profile, "--user-data-tu_scratch=%s/chromium", tu_scratch) > 0);
	ck_assert(asprintf(&url, "file://%s", html) > 0);
	{
		const char *argv[] = { "timeout", "90", "chromium", "--headless",
		    "--no-sandbox", "--disable-gpu", "--disable-quic",
		    "--no-first-run", "--disable-background-networking",
		    "--disable-component-update", "--disable-sync",
		    "--host-resolver-rules=MAP * ~NOTFOUND", profile,
		    "--window-size=1280,2000", mode, url, NULL };

		out = rf_capture(argv, &status);
		ck_assert_msg(status == 0, "chromium %s failed (%d)", mode, status);
	}
	free(profile);
	free(url);
	return out;
}

static char *
html_path(const char *reportdir)
{
	char *p;

	ck_assert(asprintf(&p, "%s/report.html", reportdir) > 0);
	return p;
}

/* Only the SVG namespace may name a web address, and url() only parts of
 * the page itself: no stylesheet, script, font or image comes from outside
 * the file. */
static void
assert_self_contained(const char *html)
{
	int http = rf_count(html, "http://") + rf_count(html, "https://");
	int ns = rf_count(html, "http://www.w3.org/");

	ck_assert_msg(http == ns, "%d web addresses besides the SVG namespace", http - ns);
	ck_assert_ptr_null(strstr(html, "<link"));
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "<img"));
	ck_assert_ptr_null(strstr(html, "@import"));
	ck_assert_int_eq(rf_count(html, "url("), rf_count(html, "url(#"));	/* SVG clip paths */
	ck_assert_ptr_nonnull(strstr(html, "<style>"));
	ck_assert_ptr_nonnull(strstr(html, "@media print"));
	ck_assert_ptr_nonnull(strstr(html, "name=\"viewport\""));
}

/* The read-outs of the charts in html (the page's own <title> aside):
 * each is plain text (escaped), each in its own group; returns their
 * number. */
static int
read_outs(const char *html)
{
	int n = 0;

	ck_assert_ptr_nonnull(strstr(html, "<svg"));
	for (const char *p = strstr(html, "<svg"); (p = strstr(p, "<title>")) != NULL;
	    p++) {
		const char *end = strstr(p, "</title>");

		ck_assert_ptr_nonnull(end);
		ck_assert_msg(memchr(p + 7, '<', end - p - 7) == NULL, "%.80s", p);
		n++;
	}
	ck_assert_int_eq(rf_count(html, "<g class=\"tip\"><title>"), n);
	return n;
}

/* The read-outs of the chart whose title is heading. */
static int
chart_read_outs(const char *html, const char *heading)
{
	const char *svg = strstr(html, heading), *end;
	char *part;
	int n;

	ck_assert_msg(svg != NULL, "no chart %s", heading);
	end = strstr(svg, "</svg>");
	part = strndup(svg, end - svg);
	n = rf_count(part, "<title>");
	free(part);
	return n;
}

START_TEST(sample_job_self_contained)
{
	char *rdir = rf_sample(tu_scratch, "lammps-melt", NULL);
	char *html = rf_file(rdir, "report.html"), total[32];
	cJSON *sum = rf_summary(rdir);

	assert_self_contained(html);
	/* header, key figures, the four charts of a 2-node job inline, each
	 * wide and narrow (for a phone) */
	ck_assert_ptr_nonnull(strstr(html, "Job 4242"));
	ck_assert_ptr_nonnull(strstr(html, "lammps-melt"));
	ck_assert_ptr_nonnull(strstr(html, "rpc-91-1,rpg-93-1"));
	ck_assert_ptr_nonnull(strstr(html, "2026-11-20 14:00:00 CST (UTC-06:00)"));
	ck_assert_ptr_nonnull(strstr(html, "3 h 5 min"));
	ck_assert_int_eq(rf_count(html, "<svg"), 8);
	ck_assert_int_eq(rf_count(html, "<div class=\"narrow\"><svg"), 4);
	/* and each says in a caption what it shows */
	ck_assert_int_eq(rf_count(html, "</svg>\n</div><figcaption>"), 4);
	/* the job total in the per-node table, as summary.json has it */
	snprintf(total, sizeof total, "%.3f", rf_total_kwh(sum));
	ck_assert_msg(strstr(html, total) != NULL, "total %s kWh missing", total);
	snprintf(total, sizeof total, "%.3f kWh", rf_total_kwh(sum));
	ck_assert_msg(strstr(html, total) != NULL, "key figure %s missing", total);
	/* tables, data quality, method, and the files beside it */
	ck_assert_ptr_nonnull(strstr(html, "Video.Slot.38-4"));
	ck_assert_ptr_nonnull(strstr(html, "Coverage per node and metric"));
	ck_assert_ptr_nonnull(strstr(html, "trapezoidal"));
	ck_assert_ptr_nonnull(strstr(html, "href=\"raw_power.csv\""));
	ck_assert_ptr_nonnull(strstr(html, "href=\"energy.csv\""));
	ck_assert_ptr_nonnull(strstr(html, "href=\"summary.json\""));
	/* hover read-outs: ring, bars, heatmap, legend, time strips */
	ck_assert_ptr_nonnull(strstr(html, "<title>CPU — 2.360 kWh, 23.9 %</title>"));
	ck_assert_ptr_nonnull(strstr(html, "<title>rpg-93-1 · GPUs — 4.869 kWh</title>"));
	ck_assert_ptr_nonnull(strstr(html, "<title>rpc-91-1 · 14:00–14:07 — mean "));
	ck_assert_ptr_nonnull(strstr(html, "<title>Input — mean 3192 W, peak "));
	ck_assert_int_eq(chart_read_outs(html, ">Power of job 4242<"), 100 + 10);
	/* ring: 7 slices, 7 legend rows, 2 outside labels; bars: 7 + 6 (no
	 * GPU on rpc-91-1) */
	ck_assert_int_eq(read_outs(html), 16 + 110 + 2 * 24 + 13);
	/* no cost or CO2 unless configured */
	ck_assert_ptr_null(strstr(html, "Cost estimate"));
	ck_assert_ptr_null(strstr(html, "CO\u2082"));
	cJSON_Delete(sum);
	free(html);
	free(rdir);
}
END_TEST

/* Share of pixels that are not (near) white, and whether one with colour
 * rgb (within a small tolerance) is among them. */
static double
inked(const char *png, unsigned rgb, int *has_rgb)
{
	png_image img = { .version = PNG_IMAGE_VERSION };
	unsigned char *px;
	size_t n, ink = 0;

	ck_assert_msg(png_image_begin_read_from_file(&img, png), "%s: %s", png, img.message);
	img.format = PNG_FORMAT_RGB;
	ck_assert_uint_eq(img.width, 1280);
	ck_assert_uint_eq(img.height, 2000);
	n = (size_t)img.width * img.height;
	px = malloc(n * 3);
	ck_assert(png_image_finish_read(&img, NULL, px, 0, NULL));
	*has_rgb = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char *p = px + 3 * i;

		ink += p[0] < 240 || p[1] < 240 || p[2] < 240;
		if (abs(p[0] - (int)(rgb >> 16)) < 8 && abs(p[1] - (int)(rgb >> 8 & 0xff)) < 8 &&
		    abs(p[2] - (int)(rgb & 0xff)) < 8)
			*has_rgb = 1;
	}
	free(px);
	return (double)ink / n;
}

START_TEST(chromium_renders_real_content)
{
	char *rdir = rf_sample(tu_scratch, "lammps-melt", NULL), *html = html_path(rdir);
	char *shot, *out;
	int has_cpu;
	double ink;

	ck_assert(asprintf(&shot, "--screenshot=%s/shot.png", tu_scratch) > 0);
	if ((out = chromium(shot, html)) == NULL) {
		fputs("SKIP chromium_renders_real_content: chromium is not "
		    "installed (scripts/install-deps)\n", stderr);
	} else {
		/* text, tables and the charts: the CPU slice of the ring */
		ink = inked(shot + strlen("--screenshot="),
		    chart_component_colour(COMP_CPU), &has_cpu);
		ck_assert_msg(ink > 0.04, "only %.1f%% of the page is inked", ink * 100);
		ck_assert_msg(has_cpu, "no chart colour on the screenshot");
	}
	free(out);
	free(shot);
	free(html);
	free(rdir);
}
END_TEST

START_TEST(injected_name_is_text)
{
	char *rdir = rf_sample(tu_scratch, INJECTION, NULL), *html = rf_file(rdir, "report.html");
	char *path = html_path(rdir), *dom;

	ck_assert_ptr_null(strstr(html, "<img"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;img src=x onerror=alert(1)&gt;"));
	if ((dom = chromium("--dump-dom", path)) == NULL) {
		fputs("SKIP injected_name_is_text (DOM part): chromium is not "
		    "installed\n", stderr);
	} else {
		/* the browser made no element of it: it is the heading's text */
		ck_assert_msg(strstr(dom, "<h1>") != NULL, "no DOM: %.200s", dom);
		ck_assert_ptr_null(strstr(dom, "<img"));
		ck_assert_ptr_nonnull(strstr(dom, "&lt;img src=x onerror=alert(1)&gt;"));
	}
	free(dom);
	free(path);
	free(html);
	free(rdir);
}
END_TEST

static char *
config(const char *json)
{
	char *p;

	ck_assert(asprintf(&p, "%s/config.json", tu_scratch) > 0);
	tu_write(p, json);
	return p;
}

START_TEST(cost_and_co2_when_configured)
{
	char *cfg = config("{ \"cost\": { \"price_per_kwh\": 0.2, \"currency\": \"EUR\", "
	    "\"co2_g_per_kwh\": 400 } }");
	const char *extra[] = { "--config", cfg, NULL };
	char *rdir = rf_sample(tu_scratch, NULL, extra), *html = rf_file(rdir, "report.html");
	cJSON *sum = rf_summary(rdir);
	char want[64];

	snprintf(want, sizeof want, "%.2f EUR", 0.2 * rf_total_kwh(sum));
	ck_assert_msg(strstr(html, want) != NULL, "no cost %s", want);
	snprintf(want, sizeof want, "%.2f kg", 0.4 * rf_total_kwh(sum));
	ck_assert_msg(strstr(html, want) != NULL, "no CO2 %s", want);
	ck_assert_ptr_nonnull(strstr(html, "at 0.2 EUR per kWh"));
	cJSON_Delete(sum);
	free(html);
	free(rdir);
	free(cfg);
}
END_TEST

/* A site template directory holding file with text, and a config naming
 * it; returns the config's path (malloc'd). */
static char *
site_config(const char *file, const char *text)
{
	char *tdir, *tpl, *json, *cfg;

	ck_assert(asprintf(&tdir, "%s/site", tu_scratch) > 0);
	ck_assert(mkdir(tdir, 0755) == 0);
	ck_assert(asprintf(&tpl, "%s/%s", tdir, file) > 0);
	tu_write(tpl, text);
	ck_assert(asprintf(&json, "{ \"display\": { \"template_dir\": \"%s\" } }", tdir) > 0);
	cfg = config(json);
	free(json);
	free(tpl);
	free(tdir);
	return cfg;
}

START_TEST(site_template_dir)
{
	char *cfg = site_config("report.html.tpl", "{{%AUTOESCAPE context=\"HTML\"}}"
	    "<p>Site report {{JOB_ID}}: {{JOB_NAME}}</p>\n");
	const char *extra[] = { "--config", cfg, NULL };
	char *rdir = rf_sample(tu_scratch, "a<b", extra), *html = rf_file(rdir, "report.html");

	ck_assert_str_eq(html, "<p>Site report 4242: a&lt;b</p>\n");
	free(html);
	free(rdir);
	free(cfg);
}
END_TEST

START_TEST(site_overrides_one_partial)
{
	char *cfg = site_config("method.html.tpl", "{{%AUTOESCAPE context=\"HTML\"}}"
	    "<section><h2>Method</h2><p>Measured by the site's own rules.</p></section>\n");
	const char *extra[] = { "--config", cfg, NULL };
	char *rdir = rf_sample(tu_scratch, NULL, extra), *html = rf_file(rdir, "report.html");

	/* the site's method section, every other part the installed one */
	ck_assert_ptr_nonnull(strstr(html, "Measured by the site's own rules."));
	ck_assert_ptr_null(strstr(html, "trapezoidal"));
	ck_assert_ptr_nonnull(strstr(html, "Energy per node"));
	ck_assert_ptr_nonnull(strstr(html, "Coverage per node and metric"));
	assert_self_contained(html);
	free(html);
	free(rdir);
	free(cfg);
}
END_TEST

START_TEST(broken_template_refused)
{
	char *cfg = site_config("report.html.tpl", "{{%AUTOESCAPE context=\"HTML\"}}"
	    "{{#NEVER_CLOSED}}<p>\n");
	char *csv = tu_top("samples/raw_power.csv"), *tpl;
	const char *argv[] = { "--from-csv", csv, "--job-id", "4242",
	    "--config", cfg, "--outdir", tu_scratch, "-q", NULL };
	struct run_result r = tu_run(argv, NULL, NULL);

	ck_assert(asprintf(&tpl, "%s/site/report.html.tpl", tu_scratch) > 0);
	ck_assert_int_eq(r.status, 3);
	ck_assert_msg(strstr(r.err, tpl) != NULL, "message does not name %s: %s", tpl, r.err);
	ck_assert_msg(strstr(r.err, "sections were closed") != NULL,
	    "message does not say what is wrong: %s", r.err);
	ck_assert_int_eq(rf_count(r.err, "\n"), 1);	/* one line */
	ck_assert_int_eq(tu_count_entries(tu_scratch), 2);	/* config.json, site/: no report */
	tu_run_free(&r);
	free(tpl);
	free(cfg);
	free(csv);
}
END_TEST

/* The file list links only what the run wrote. */
START_TEST(links_only_written_files)
{
	const char *const extra[] = { "--formats", "html", NULL };
	char *rdir = rf_sample(tu_scratch, "lammps-melt", extra);
	char *html = rf_file(rdir, "report.html");

	ck_assert_ptr_null(strstr(html, "href=\"raw_power.csv\""));
	ck_assert_ptr_null(strstr(html, "href=\"summary.json\""));
	free(html);
	free(rdir);
	rdir = rf_sample(tu_scratch, "lammps-melt", NULL);
	html = rf_file(rdir, "report.html");
	ck_assert_ptr_nonnull(strstr(html, "href=\"raw_power.csv\""));
	ck_assert_ptr_nonnull(strstr(html, "href=\"summary.json\""));
	free(html);
	free(rdir);
}
END_TEST

START_TEST(sixty_four_nodes)
{
	char *rdir = rf_big_job(tu_scratch, 32, 32, "777", "big run"), *html;

	html = rf_file(rdir, "report.html");
	assert_self_contained(html);
	ck_assert_ptr_nonnull(strstr(html, "rpc-1-[1-32],rpg-2-[1-32]"));
	ck_assert_ptr_nonnull(strstr(html, "Power and energy per node"));
	/* per-node table: every node once; the coverage table lists only
	 * nodes below the threshold (none); 128 GPUs fold to a row per node */
	ck_assert_int_eq(rf_count(html, "<th scope=\"row\">rpc-1-"), 32);
	ck_assert_int_eq(rf_count(html, "<th scope=\"row\">rpg-2-"), 32 + 32);
	ck_assert_ptr_nonnull(strstr(html, "128 GPUs, one row per node"));
	ck_assert_ptr_nonnull(strstr(html, "All nodes"));
	/* read-outs bounded: the heatmap's 768 at most, one for every bar */
	ck_assert_int_le(chart_read_outs(html, ">Input power per node, job 777<"), 768);
	ck_assert_int_ge(chart_read_outs(html, ">Input power per node, job 777<"), 64);
	ck_assert_int_le(chart_read_outs(html, ">Power of job 777<"), 100 + 20);
	ck_assert_int_le(read_outs(html), 21 + 120 + 768 + 64 * 7);
	free(html);
	free(rdir);
}
END_TEST

/* The text of the first element with class cls ("" when none). */
static char *
by_class(const char *html, const char *open, const char *close)
{
	const char *a = strstr(html, open), *b = a ? strstr(a, close) : NULL;

	return a && b ? strndup(a, b - a) : strdup("");
}

START_TEST(banner_exactly_when_needed)
{
	const char *silent[] = { "--nodelist", "rpc-91-1,rpg-93-1,rpc-91-9", NULL };
	char *rdir = rf_sample(tu_scratch, NULL, NULL), *html = rf_file(rdir, "report.html");
	char *row;

	/* the sample job: every node, input power covered: no banner */
	ck_assert_ptr_null(strstr(html, "class=\"banner\""));
	free(html);
	free(rdir);
	/* a node without telemetry: said first, and its cells read "no data" */
	rdir = rf_sample(tu_scratch, NULL, silent);
	html = rf_file(rdir, "report.html");
	ck_assert_int_eq(rf_count(html, "class=\"banner\""), 1);
	ck_assert_ptr_nonnull(strstr(html, "rpc-91-9 sent no telemetry; its "
	    "energy is not in the total."));
	ck_assert(strstr(html, "class=\"banner\"") < strstr(html, "Key figures"));
	row = by_class(html, "<th scope=\"row\">rpc-91-9", "</tr>");
	ck_assert_int_ge(rf_count(row, "no data"), 3);
	ck_assert_ptr_null(strstr(row, "0.0"));
	ck_assert_ptr_nonnull(strstr(html, "2 of 3 nodes"));
	free(row);
	free(html);
	free(rdir);
}
END_TEST

/* Every number column of the per-node table names one unit in its head,
 * and no cell repeats or changes it. */
START_TEST(one_unit_per_column)
{
	char *rdir = rf_sample(tu_scratch, NULL, NULL), *html = rf_file(rdir, "report.html");
	char *nodes = by_class(html, "<h2>Energy per node</h2>", "</table>");
	const char *p = nodes;
	int heads = 0;

	while ((p = strstr(p, "<th scope=\"col\" class=\"num\">")) != NULL) {
		p += strlen("<th scope=\"col\" class=\"num\">");
		if (strncmp(p, "Input coverage", 14) != 0) {
			ck_assert_msg(strstr(p, " (kWh)<") == strchr(p, ' ') ||
			    strstr(p, " (W)<") == strchr(p, ' ') ||
			    strstr(p, "power (W)<") != NULL, "head %.30s", p);
			heads++;
		}
	}
	ck_assert_int_ge(heads, 7);
	ck_assert_ptr_null(strstr(nodes, "kWh</td>"));
	ck_assert_ptr_null(strstr(nodes, " W</td>"));
	free(nodes);
	free(html);
	free(rdir);
}
END_TEST

/* 64 nodes with 2-3 gaps each: a few warning lines, not one per series. */
START_TEST(warnings_scale)
{
	char *rdir = rf_generated(tu_scratch, 64, 1200, "6401", NULL);
	char *html = rf_file(rdir, "report.html");
	char *warn = by_class(html, "<ul class=\"warnings\">", "</ul>");

	char *gpus = by_class(html, "<h2>Energy per GPU</h2>", "</table>");
	const char *p = strstr(gpus, "<th scope=\"row\">");
	double v[5];

	ck_assert_int_ge(rf_count(warn, "<li>"), 1);
	ck_assert_int_le(rf_count(warn, "<li>"), 8);
	ck_assert_int_le(rf_count(html, "Video.Slot."), 20);
	/* 256 GPUs folded to a row per node: GPUs, energy, min, median, max */
	ck_assert_int_eq(rf_count(gpus, "<th scope=\"row\">"), 64);
	for (int row = 0; row < 64; row++, p = strstr(p, "<th scope=\"row\">")) {
		for (int k = 0; k < 5; k++) {
			ck_assert_ptr_nonnull(p = strstr(p, "<td class=\"num"));
			p = strchr(p, '>') + 1;
			v[k] = strtod(p, NULL);
		}
		ck_assert_msg(v[2] <= v[3] && v[3] <= v[4] && v[2] < v[4],
		    "row %d: min %g median %g max %g", row, v[2], v[3], v[4]);
	}
	free(gpus);
	free(warn);
	free(html);
	free(rdir);
}
END_TEST

/* A 30-second job: the charts' subtitle shows seconds, and the card is
 * average power per node (energy per node-hour would be power by another
 * name). */
START_TEST(thirty_seconds)
{
	char *csv = tu_top("samples/raw_power.csv"), *rdir, *html;

	rdir = rf_report(tu_scratch, csv, "2026-11-20T15:00:00-06:00",
	    "2026-11-20T15:00:30-06:00", "30", NULL, NULL);
	html = rf_file(rdir, "report.html");
	ck_assert_ptr_nonnull(strstr(html, ":00:00 \u2013 21:00:30 UTC (30 s)"));
	ck_assert_ptr_nonnull(strstr(html, "Average power per node"));
	ck_assert_ptr_null(strstr(html, "node-hour"));
	free(html);
	free(rdir);
	free(csv);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("report_html");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, tu_scratch_setup, tu_scratch_teardown);
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, sample_job_self_contained);
	tcase_add_test(tc, chromium_renders_real_content);
	tcase_add_test(tc, injected_name_is_text);
	tcase_add_test(tc, cost_and_co2_when_configured);
	tcase_add_test(tc, site_template_dir);
	tcase_add_test(tc, site_overrides_one_partial);
	tcase_add_test(tc, broken_template_refused);
	tcase_add_test(tc, links_only_written_files);
	tcase_add_test(tc, sixty_four_nodes);
	tcase_add_test(tc, banner_exactly_when_needed);
	tcase_add_test(tc, one_unit_per_column);
	tcase_add_test(tc, warnings_scale);
	tcase_add_test(tc, thirty_seconds);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
