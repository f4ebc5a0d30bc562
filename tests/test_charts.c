/*
 * test_charts.c - the chart files and the embeddable charts: PNGs read back
 * with libpng (size, metadata, drawn pixels), energy_pie.pdf checked with
 * poppler's pdfinfo/pdftotext/pdffonts, SVG text checked for content and
 * escaping, the hover read-outs of the SVG (escaped, bounded in number
 * however many nodes, absent from PNG and PDF), time-axis ticks across DST
 * changes (the repeated hour labelled), the narrow variant for a phone (no
 * text under 9 px at 390 px), the colour bar's labels, the strip where
 * samples are missing, GPU lines folded beyond four, captions, the ring's
 * decimals and centre, and the degenerate jobs
 * (one sample, all zeros, a node without data, no samples, one second,
 * thirty days) that must draw a clear state instead of failing.
 *
 * Reports are built the way the collector builds them: every synthetic
 * sample goes through series_add and timeline_add, then report_breakdown.
 */
#include "testutil.h"

#include <float.h>
#include <math.h>
#include <png.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attribution.h"
#include "chart_axes.h"
#include "chart_file.h"
#include "chart_palette.h"
#include "charts.h"
#include "draw.h"
#include "draw_cairo.h"
#include "draw_pdf.h"
#include "error.h"
#include "outdir.h"
#include "pdf_doc.h"
#include "pdf_layout.h"
#include "render.h"
#include "units.h"
#include "reportfix.h"

#define SEC USEC_PER_SEC
/* 2026-11-20T14:00:00-06:00, the sample job's start. */
#define T0 (INT64_C(1795204800) * SEC)

enum shape { LOAD, ZEROS, ONE_SAMPLE, NO_SAMPLES };

static const char *const metrics[] = {
	"SystemInputPower", "SystemOutputPower", "TotalCPUPower",
	"TotalMemoryPower", "TotalStoragePower", "TotalFanPower",
};

struct fixture {
	struct job job;
	struct report rep;
};

/* Watts of metric m (index into metrics, 6 = one GPU) at second s. */
static double
synthetic_watts(int m, double s, size_t node)
{
	double load = 0.5 + 0.5 * sin(s / 900.0) + (fmod(s, 120) < 45 ? 0.2 : 0);
	double gpu = 70 + 300 * load, parts = 200 + 300 * load + 60 + 15 + 40 + 20 * load;

	if (node == 1)
		parts *= 1.3;	/* an outlier node */
	switch (m) {
	case 0: return (parts + (node == 0 ? 4 * gpu : 0)) * 1.08 + 50;
	case 1: return (parts + (node == 0 ? 4 * gpu : 0)) * 1.02 + 40;
	case 2: return 200 + 300 * load;
	case 3: return 60;
	case 4: return 15;
	case 5: return 40 + 20 * load;
	default: return gpu;
	}
}

/* The built-in configuration, which the breakdown reads (banner threshold). */
static const struct config *
default_config(void)
{
	static struct config cfg;

	if (cfg.rules == NULL)
		config_defaults(&cfg);
	return &cfg;
}

/* A report of nnodes over dur seconds sampled every step seconds; node 0
 * has four GPUs; node empty_node (if < nnodes) has no samples. */
static void
fixture_build(struct fixture *fx, const char *id, size_t nnodes, long dur,
    long step, enum shape shape, size_t empty_node)
{
	struct report *rep = &fx->rep;
	usec_t gap = 3 * step * SEC;

	memset(fx, 0, sizeof *fx);
	ck_assert_int_eq(time_set_zone("America/Chicago"), PR_OK);
	fx->job.id = xstrdup(id);
	fx->job.start = T0;
	fx->job.end = T0 + dur * SEC;
	rep->job = &fx->job;
	rep->nnodes = nnodes;
	rep->nodes = xcalloc(nnodes, sizeof *rep->nodes);
	rep->tl.node_names = NULL;
	{
		char **names = xcalloc(nnodes, sizeof *names);

		for (size_t i = 0; i < nnodes; i++) {
			rep->nodes[i].hostname = xasprintf(i == 0 ? "rpg-93-%zu" :
			    "rpc-91-%zu", i + 1);
			names[i] = rep->nodes[i].hostname;
		}
		timeline_init(&rep->tl, fx->job.start, fx->job.end, gap, nnodes, names);
	}
	for (size_t i = 0; i < nnodes; i++) {
		struct node_result *n = &rep->nodes[i];
		int nser = i == 0 ? 10 : 6, handle[10];

		if (i == empty_node)
			continue;
		n->series = xcalloc(nser, sizeof *n->series);
		n->nseries = nser;
		for (int k = 0; k < nser; k++) {
			char fqdd[32];

			snprintf(fqdd, sizeof fqdd, k < 6 ? "System.Embedded.1" :
			    "Video.Slot.38-%d", k - 5);
			series_init(&n->series[k], k < 6 ? metrics[k] : "PowerConsumption",
			    fqdd, k < 6 ? "W" : "mW", fx->job.start, fx->job.end, gap);
			handle[k] = timeline_series(&rep->tl, i, n->series[k].role,
			    n->hostname, fqdd);
		}
		for (long s = 0; s <= dur && shape != NO_SAMPLES; s += step) {
			if (shape == ONE_SAMPLE && s != dur / 2)
				continue;
			for (int k = 0; k < nser; k++) {
				double w = shape == ZEROS ? 0 : synthetic_watts(k < 6 ? k : 6, s, i);
				usec_t t = fx->job.start + s * SEC;

				series_add(&n->series[k], t, k < 6 ? w : w * 1000);
				timeline_add(&rep->tl, handle[k], t, w);
			}
		}
		for (int k = 0; k < nser; k++)
			series_finish(&n->series[k]);
	}
	timeline_finish(&rep->tl);
	rep->cfg = default_config();
	report_breakdown(rep);
}

static void
fixture_free(struct fixture *fx)
{
	report_free(&fx->rep);
	free(fx->job.id);
}

/* ---- reading the outputs back ---- */

struct png_info {
	unsigned w, h;
	size_t drawn;		/* pixels that are not white */
	char title[128], software[64], comment[64];
};

static void
png_read_back(const char *path, struct png_info *pi)
{
	FILE *fp = fopen(path, "rb");
	png_structp png;
	png_infop info;
	png_textp text;
	int ntext;
	png_bytep row;

	memset(pi, 0, sizeof *pi);
	ck_assert_msg(fp != NULL, "%s missing", path);
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png_create_info_struct(png);
	ck_assert_int_eq(setjmp(png_jmpbuf(png)), 0);
	png_init_io(png, fp);
	png_read_info(png, info);
	pi->w = png_get_image_width(png, info);
	pi->h = png_get_image_height(png, info);
	ck_assert_int_eq(png_get_color_type(png, info), PNG_COLOR_TYPE_RGB);
	ck_assert_int_eq(png_get_bit_depth(png, info), 8);
	if (png_get_text(png, info, &text, &ntext) > 0)
		for (int i = 0; i < ntext; i++) {
			char *dst = strcmp(text[i].key, "Title") == 0 ? pi->title :
			    strcmp(text[i].key, "Software") == 0 ? pi->software :
			    strcmp(text[i].key, "Comment") == 0 ? pi->comment : NULL;

			if (dst != NULL)
				snprintf(dst, 64, "%s", text[i].text);
		}
	row = malloc(png_get_rowbytes(png, info));
	for (unsigned y = 0; y < pi->h; y++) {
		png_read_row(png, row, NULL);
		for (unsigned x = 0; x < pi->w; x++)
			pi->drawn += row[3 * x] != 255 || row[3 * x + 1] != 255 ||
			    row[3 * x + 2] != 255;
	}
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	free(row);
	fclose(fp);
}

/* Output of a command (malloc'd). */
static char *
run_capture(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *buf = calloc(1, 1 << 16);
	size_t n;

	ck_assert_ptr_nonnull(p);
	n = fread(buf, 1, (1 << 16) - 1, p);
	buf[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	return buf;
}

static char *
pdf_command(const char *tool, const char *path)
{
	/* stderr dropped: poppler warns about libharu's ToUnicode CMaps. */
	char *cmd = xasprintf("%s '%s' %s 2>/dev/null", tool, path,
	    strcmp(tool, "pdftotext") == 0 ? "-" : ""), *out;

	out = run_capture(cmd);
	free(cmd);
	return out;
}

/* Render the report into a fresh output directory, moved into place;
 * returns its path. */
static char *
render(const struct report *rep, struct outdir *od, char **scratch)
{
	*scratch = tu_tmpdir();
	ck_assert_int_eq(outdir_begin(od, *scratch, rep->job->id), PR_OK);
	ck_assert_msg(render_charts(rep, od) == PR_OK, "render_charts: %s", pr_errmsg());
	ck_assert_int_eq(outdir_commit(od), PR_OK);
	return od->final;
}

static void
check_png(const char *dir, const char *name, unsigned w, unsigned h,
    const char *jobid, size_t min_drawn)
{
	char *path = xasprintf("%s/%s", dir, name), *comment = xasprintf("job %s", jobid);
	struct png_info pi;

	png_read_back(path, &pi);
	ck_assert_uint_eq(pi.w, w);
	ck_assert_uint_eq(pi.h, h);
	ck_assert_str_eq(pi.software, "powerreport " PR_VERSION);
	ck_assert_str_eq(pi.comment, comment);
	ck_assert_msg(strstr(pi.title, jobid) != NULL, "title \"%s\"", pi.title);
	ck_assert_msg(pi.drawn >= min_drawn, "%s: only %zu pixels drawn", name, pi.drawn);
	/* Real content, not a page full of ink either. */
	ck_assert_msg(pi.drawn < (size_t)w * h * 3 / 4, "%s: %zu pixels drawn", name, pi.drawn);
	free(path);
	free(comment);
}

/* ---- tests ---- */

START_TEST(sample_job_files)
{
	struct fixture fx;
	struct outdir od = { 0 };
	char *scratch, *dir, *pdf, *info, *text, *fonts, kwh[32];

	fixture_build(&fx, "4242", 2, 3 * 3600 + 300, 5, LOAD, 99);
	dir = render(&fx.rep, &od, &scratch);
	check_png(dir, "timeseries.png", 1200, 600, "4242", 40000);
	check_png(dir, "energy_pie.png", 1100, 600, "4242", 100000);
	check_png(dir, "node_heatmap.png", 1200, 340, "4242", 100000);
	check_png(dir, "node_energy.png", 1200, 340, "4242", 10000);
	ck_assert_int_eq(tu_count_entries(dir), 5);

	pdf = xasprintf("%s/energy_pie.pdf", dir);
	info = pdf_command("pdfinfo", pdf);
	ck_assert_msg(strstr(info, "Pages:           1") != NULL, "%s", info);
	ck_assert_msg(strstr(info, "792 x 432 pts") != NULL, "%s", info);
	ck_assert_msg(strstr(info, "Energy by component, job 4242") != NULL, "%s", info);
	text = pdf_command("pdftotext", pdf);
	snprintf(kwh, sizeof kwh, "%.3f kWh", joules_to_kwh(fx.rep.energy_j[COMP_TOTAL]));
	ck_assert_msg(strstr(text, "Job 4242") != NULL, "%s", text);
	ck_assert_msg(strstr(text, kwh) != NULL, "no \"%s\" in %s", kwh, text);
	ck_assert_msg(strstr(text, "GPUs") != NULL && strstr(text, "PSU loss") != NULL, "%s", text);
	fonts = pdf_command("pdffonts", pdf);
	ck_assert_msg(strstr(fonts, "DejaVuSans") != NULL, "%s", fonts);
	ck_assert_msg(strstr(fonts, " no ") == NULL, "a font is not embedded: %s", fonts);
	free(fonts);
	free(text);
	free(info);
	free(pdf);
	outdir_abort(&od);
	outdir_free(&od);
	tu_rmrf(scratch);
	free(scratch);
	fixture_free(&fx);
}
END_TEST

START_TEST(single_node_has_no_node_views)
{
	struct fixture fx;
	struct outdir od = { 0 };
	char *scratch, *dir, *p;

	fixture_build(&fx, "7", 1, 3600, 5, LOAD, 99);
	ck_assert(!chart_applies(&fx.rep, CHART_NODE_HEATMAP));
	ck_assert(!chart_applies(&fx.rep, CHART_NODE_ENERGY));
	ck_assert(chart_applies(&fx.rep, CHART_TIMESERIES));
	dir = render(&fx.rep, &od, &scratch);
	ck_assert_int_eq(tu_count_entries(dir), 3);
	p = xasprintf("%s/node_heatmap.png", dir);
	ck_assert(!tu_exists(p));
	free(p);
	check_png(dir, "timeseries.png", 1200, 600, "7", 30000);
	outdir_abort(&od);
	outdir_free(&od);
	tu_rmrf(scratch);
	free(scratch);
	fixture_free(&fx);
}
END_TEST

START_TEST(svg_content_and_escaping)
{
	struct fixture fx;
	char *svg;

	fixture_build(&fx, "9<&>\"'", 3, 7200, 5, LOAD, 99);
	for (int k = 0; k < CHART_N; k++) {
		svg = chart_svg(&fx.rep, k, 800, 400);
		ck_assert_msg(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0,
		    "%.80s", svg);
		ck_assert(strcmp(svg + strlen(svg) - 7, "</svg>\n") == 0);
		ck_assert_msg(strstr(svg, "9&lt;&amp;&gt;&quot;&#39;") != NULL, "job id not escaped");
		ck_assert(strstr(svg, "9<&") == NULL);
		ck_assert(strstr(svg, "<text") != NULL);
		ck_assert(strstr(svg, "nan") == NULL && strstr(svg, "inf") == NULL);
		free(svg);
	}
	svg = chart_svg(&fx.rep, CHART_TIMESERIES, 800, 400);
	/* One line per component and per GPU, and the palette's colours. */
	ck_assert(strstr(svg, ">GPU 38-4</text>") != NULL);
	ck_assert(strstr(svg, ">Input</text>") != NULL);
	ck_assert(strstr(svg, "stroke=\"#d55e00\"") != NULL);	/* CPU */
	free(svg);
	svg = chart_svg(&fx.rep, CHART_NODE_HEATMAP, 800, 400);
	ck_assert(strstr(svg, "href=\"data:image/png;base64,iVBORw0KGgo") != NULL);
	free(svg);
	fixture_free(&fx);
}
END_TEST

/* Whether the POSIX extended regular expression re matches in s. */
static bool
matches(const char *s, const char *re)
{
	regex_t r;
	bool hit;

	ck_assert_int_eq(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
	hit = regexec(&r, s, 0, NULL, 0) == 0;
	regfree(&r);
	return hit;
}

/* The charts write energy and power by the rule of the documents
 * (units.h): Wh below 1 kWh with four significant digits (no "0.454 kWh"
 * beside a memory share of "0.000"), and kW with one decimal from 10 kW
 * on. */
START_TEST(figures_written_as_in_the_documents)
{
	struct fixture fx;
	char *svg, want[64];

	fixture_build(&fx, "5", 2, 600, 5, LOAD, 99);	/* well below 1 kWh */
	ck_assert(joules_to_kwh(fx.rep.energy_j[COMP_TOTAL]) < 1);
	snprintf(want, sizeof want, ">%.1f Wh<",
	    joules_to_kwh(fx.rep.energy_j[COMP_TOTAL]) * 1000);
	svg = chart_svg(&fx.rep, CHART_PIE, 1100, 600);
	ck_assert_msg(strstr(svg, want) != NULL, "no %s in the ring", want);
	ck_assert(!matches(svg, "[0-9] kWh"));
	free(svg);
	svg = chart_svg(&fx.rep, CHART_NODE_ENERGY, 1200, 400);
	ck_assert(strstr(svg, ">Energy (Wh)<") != NULL);	/* as its bars */
	ck_assert(!matches(svg, "[0-9] kWh"));
	free(svg);
	fixture_free(&fx);

	fixture_build(&fx, "6", 16, 600, 5, LOAD, 99);	/* input above 10 kW */
	svg = chart_svg(&fx.rep, CHART_TIMESERIES, 1200, 600);
	ck_assert(strstr(svg, ">Power (kW)<") != NULL);
	ck_assert(matches(svg, "Input: [0-9]+\\.[0-9] kW\n"));
	ck_assert(!matches(svg, "[0-9]\\.[0-9][0-9] kW"));
	free(svg);
	fixture_free(&fx);
}
END_TEST

/* Every read-out is a <title> of its own group. */
static int
read_outs(const char *svg)
{
	int n = rf_count(svg, "<title>");

	ck_assert_int_eq(rf_count(svg, "<g class=\"tip\"><title>"), n);
	return n;
}

START_TEST(svg_read_outs)
{
	struct fixture fx;
	char *svg, *hostile = xstrdup("n<&>1");

	fixture_build(&fx, "4242", 3, 7200, 5, LOAD, 99);
	free(fx.rep.nodes[1].hostname);
	fx.rep.nodes[1].hostname = fx.rep.tl.node_names[1] = hostile;
	/* ring: slice, outside label (if any) and legend row of each part */
	svg = chart_svg(&fx.rep, CHART_PIE, 960, 520);
	ck_assert_int_ge(rf_count(svg, "<title>CPU — "), 2);
	ck_assert_msg(strstr(svg, " kWh, ") != NULL && strstr(svg, " %</title>") != NULL,
	    "%s", strstr(svg, "<title>"));
	ck_assert_int_ge(read_outs(svg), 14);
	free(svg);
	/* bars and heatmap stretches name the node, escaped */
	svg = chart_svg(&fx.rep, CHART_NODE_ENERGY, 960, 260);
	ck_assert_ptr_nonnull(strstr(svg, "<title>n&lt;&amp;&gt;1 · CPU — "));
	ck_assert_ptr_null(strstr(svg, "n<&>1"));
	free(svg);
	svg = chart_svg(&fx.rep, CHART_NODE_HEATMAP, 960, 260);
	ck_assert_ptr_nonnull(strstr(svg, "<title>n&lt;&amp;&gt;1 · 14:00–14:05 — mean "));
	ck_assert_ptr_null(strstr(svg, "n<&>1"));
	ck_assert_int_eq(read_outs(svg), 3 * 24);
	free(svg);
	/* legend entries with mean and peak; one strip per 1 % of the width,
	 * each with its moment and every line */
	svg = chart_svg(&fx.rep, CHART_TIMESERIES, 960, 420);
	ck_assert_ptr_nonnull(strstr(svg, "<title>Input — mean "));
	ck_assert_ptr_nonnull(strstr(svg, " W, peak "));
	ck_assert_int_eq(rf_count(svg, "fill-opacity=\"0\""), 100);
	ck_assert_ptr_nonnull(strstr(svg, "<title>14:00 CST\nInput: "));
	ck_assert_ptr_nonnull(strstr(svg, "\nGPU rpg-93-1 Video.Slot.38-4: "));
	free(svg);
	fixture_free(&fx);
}
END_TEST

/* Read-outs of the heatmap and time strips of an n-node job: within their
 * bounds, and the heatmap has one for every row. */
static void
read_outs_bounded(size_t nnodes, long dur, long step, int heat_want)
{
	struct fixture fx;
	char *svg;
	int n;

	fixture_build(&fx, "big", nnodes, dur, step, LOAD, 99);
	svg = chart_svg(&fx.rep, CHART_NODE_HEATMAP, 960, 1000);
	n = read_outs(svg);
	ck_assert_msg(n == heat_want, "%zu nodes: %d heatmap read-outs", nnodes, n);
	ck_assert_int_le(n, 768);
	free(svg);
	svg = chart_svg(&fx.rep, CHART_TIMESERIES, 960, 420);
	ck_assert_int_le(rf_count(svg, "fill-opacity=\"0\""), 100);
	free(svg);
	fixture_free(&fx);
}

START_TEST(read_outs_bounded_by_nodes)
{
	read_outs_bounded(32, 3600, 30, 32 * 24);
	read_outs_bounded(64, 3600, 30, 64 * 12);	/* 12 stretches a row */
	read_outs_bounded(1000, 600, 300, 500);		/* two rows each */
}
END_TEST

/* PNG and PDF come out the same whether read-outs are drawn or not. */
static void
draw_with_read_outs(struct draw *d, bool tips)
{
	draw_rect(d, 10, 10, 50, 40, 0x3366CC);
	if (tips) {
		ck_assert(!draw_has_tips(d));
		draw_tip_begin(d, "%s", "a <b> & c");
		draw_tip_area(d, 0, 0, 100, 80, "strip 1");
	}
	draw_rect(d, 70, 10, 20, 40, 0xCC6633);
	if (tips)
		draw_tip_end(d);
}

static char *
png_bytes(bool tips, size_t *len)
{
	struct draw *d = draw_cairo_new(100, 80);
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);

	draw_with_read_outs(d, tips);
	ck_assert_int_eq(draw_cairo_write_png(d, fp, "t.png", "t", "c"), PR_OK);
	draw_cairo_free(d);
	ck_assert_int_eq(fclose(fp), 0);
	return buf;
}

static char *
pdf_bytes(bool tips, size_t *len)
{
	HPDF_Doc doc = HPDF_New(NULL, NULL);
	HPDF_Page page = HPDF_AddPage(doc);
	struct draw *d = draw_pdf_new(doc, page, 0, 0, 100, 80);
	HPDF_UINT32 n;
	char *buf;

	draw_with_read_outs(d, tips);
	ck_assert_int_eq(draw_pdf_free(d), PR_OK);
	ck_assert_int_eq(HPDF_SaveToStream(doc), HPDF_OK);
	n = HPDF_GetStreamSize(doc);
	buf = xmalloc(n);
	ck_assert_int_eq(HPDF_ReadFromStream(doc, (HPDF_BYTE *)buf, &n), HPDF_OK);
	*len = n;
	HPDF_Free(doc);
	return buf;
}

START_TEST(read_outs_leave_png_and_pdf_alone)
{
	char *(*const out[])(bool, size_t *) = { png_bytes, pdf_bytes };

	for (int i = 0; i < 2; i++) {
		size_t la, lb;
		char *a = out[i](false, &la), *b = out[i](true, &lb);

		ck_assert_uint_gt(la, 100);
		ck_assert_msg(la == lb && memcmp(a, b, la) == 0, "%s differs",
		    i ? "PDF" : "PNG");
		free(a);
		free(b);
	}
}
END_TEST

START_TEST(palette_fixed_and_distinct)
{
	ck_assert_uint_eq(chart_component_colour(COMP_CPU), chart_role_colour(ROLE_CPU));
	ck_assert_uint_eq(chart_component_colour(COMP_GPU), chart_role_colour(ROLE_GPU));
	ck_assert_uint_eq(chart_component_colour(COMP_TOTAL), chart_role_colour(ROLE_INPUT));
	for (int a = COMP_CPU; a < COMP_N; a++)
		for (int b = a + 1; b < COMP_N; b++)
			ck_assert_uint_ne(chart_component_colour(a), chart_component_colour(b));
}
END_TEST

START_TEST(pdf_draw_into_caller_document)
{
	struct fixture fx;
	HPDF_Doc doc = HPDF_New(NULL, NULL);
	HPDF_Page page = HPDF_AddPage(doc);
	char *scratch = tu_tmpdir(), *path = xasprintf("%s/doc.pdf", scratch);
	char *text, *fonts;

	fixture_build(&fx, "555", 4, 4 * 3600, 10, LOAD, 2);
	HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	ck_assert_int_eq(chart_pdf_draw(&fx.rep, CHART_TIMESERIES, doc, page, 40, 560, 515, 240), PR_OK);
	ck_assert_int_eq(chart_pdf_draw(&fx.rep, CHART_PIE, doc, page, 40, 300, 515, 240), PR_OK);
	ck_assert_int_eq(chart_pdf_draw(&fx.rep, CHART_NODE_ENERGY, doc, page, 40, 40, 515, 240), PR_OK);
	page = HPDF_AddPage(doc);
	ck_assert_int_eq(chart_pdf_draw(&fx.rep, CHART_NODE_HEATMAP, doc, page, 40, 400, 515, 300), PR_OK);
	ck_assert_ptr_eq(pdf_font(doc, false), pdf_font(doc, false));
	ck_assert_int_eq(HPDF_SaveToFile(doc, path), HPDF_OK);
	HPDF_Free(doc);
	text = pdf_command("pdftotext", path);
	ck_assert_msg(strstr(text, "Power of job 555") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "Energy per node, job 555") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "Input power per node") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "no data") != NULL, "node 3 has no data: %s", text);
	/* The font is embedded once per face, whatever the number of charts. */
	fonts = pdf_command("pdffonts", path);
	ck_assert_msg(strstr(fonts, "DejaVuSans,Book") != NULL, "%s", fonts);
	ck_assert_msg(strstr(strstr(fonts, "DejaVuSans,Book") + 1, "DejaVuSans,Book") == NULL,
	    "font embedded twice: %s", fonts);
	free(fonts);
	free(text);
	tu_rmrf(scratch);
	free(scratch);
	free(path);
	fixture_free(&fx);
}
END_TEST

/* Every degenerate job renders all its charts, and says what it is. */
static void
degenerate(const char *id, size_t nnodes, long dur, long step, enum shape shape,
    size_t empty, const char *timeseries_says, const char *pie_says)
{
	struct fixture fx;
	struct outdir od = { 0 };
	char *scratch, *dir, *svg;

	fixture_build(&fx, id, nnodes, dur, step, shape, empty);
	dir = render(&fx.rep, &od, &scratch);
	check_png(dir, "timeseries.png", 1200, 600, id, 5000);
	check_png(dir, "energy_pie.png", 1100, 600, id, 5000);
	if (nnodes > 1) {
		check_png(dir, "node_heatmap.png", 1200, 340 > 160 + 16 * nnodes ?
		    340 : 160 + 16 * nnodes, id, 5000);
		check_png(dir, "node_energy.png", 1200, 340 > 160 + 16 * nnodes ?
		    340 : 160 + 16 * nnodes, id, 5000);
	}
	svg = chart_svg(&fx.rep, CHART_TIMESERIES, 1200, 600);
	ck_assert_msg(timeseries_says == NULL || strstr(svg, timeseries_says) != NULL,
	    "time series of %s lacks \"%s\"", id, timeseries_says);
	ck_assert(strstr(svg, "nan") == NULL);
	free(svg);
	svg = chart_svg(&fx.rep, CHART_PIE, 1100, 600);
	ck_assert_msg(pie_says == NULL || strstr(svg, pie_says) != NULL,
	    "ring of %s lacks \"%s\"", id, pie_says);
	free(svg);
	outdir_abort(&od);
	outdir_free(&od);
	tu_rmrf(scratch);
	free(scratch);
	fixture_free(&fx);
}

START_TEST(degenerate_no_samples)
{
	degenerate("nosamples", 2, 3600, 5, NO_SAMPLES, 99,
	    "No power readings in the job window", "No energy data");
}
END_TEST

START_TEST(degenerate_all_zeros)
{
	degenerate("zeros", 2, 3600, 5, ZEROS, 99, "All readings are 0 W", "No energy data");
}
END_TEST

START_TEST(degenerate_one_sample)
{
	degenerate("one", 1, 3600, 5, ONE_SAMPLE, 99, ">Samples missing</text>", ">Job one</text>");
}
END_TEST

START_TEST(degenerate_node_without_data)
{
	degenerate("hole", 3, 3600, 5, LOAD, 1, ">Input (2 of 3 nodes)</text>",
	    ">Fans</text>");
}
END_TEST

START_TEST(degenerate_one_second)
{
	degenerate("1s", 2, 1, 1, LOAD, 99, ">14:00:01</text>", ">Job 1s</text>");
}
END_TEST

START_TEST(degenerate_thirty_days)
{
	degenerate("30d", 2, 30 * 86400, 60, LOAD, 99, ">Nov 23</text>", ">Job 30d</text>");
}
END_TEST

/* Ticks across the fall-back and spring-forward changes of Chicago. */
START_TEST(time_ticks_dst)
{
	static const struct {
		usec_t start, end;
		int maxn;
	} cases[] = {
		/* 2026-11-01 00:00 CDT .. 06:00 CST, hourly */
		{ INT64_C(1793509200) * SEC, INT64_C(1793534400) * SEC, 8 },
		/* 2026-03-08 00:00 CST .. 06:00 CDT */
		{ INT64_C(1772949600) * SEC, INT64_C(1772967600) * SEC, 8 },
		/* a day over the fall-back change, 6-hour ticks */
		{ INT64_C(1793509200) * SEC, INT64_C(1793599200) * SEC, 6 },
	};
	char zone[32];

	ck_assert_int_eq(time_set_zone("America/Chicago"), PR_OK);
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		struct ticks t;
		double prev = -1;

		axis_time_ticks(cases[c].start, cases[c].end, cases[c].maxn, &t);
		ck_assert_int_ge(t.n, 4);
		ck_assert_int_le(t.n, cases[c].maxn);
		for (int i = 0; i < t.n; i++) {
			char local[32];

			/* Each label starts with the true wall-clock time of
			 * its instant, on the hour, and the instants only go
			 * forward. */
			axis_format_time(cases[c].start + (usec_t)t.v[i], "%H:%M",
			    local, sizeof local);
			ck_assert_int_eq(strncmp(t.label[i], local, 5), 0);
			ck_assert_int_eq(strncmp(t.label[i] + 2, ":00", 3), 0);
			ck_assert(t.v[i] > prev);
			prev = t.v[i];
		}
		ck_assert_str_ne(t.sub[0], "");
	}
	axis_zone_name(cases[0].start, cases[0].end, zone, sizeof zone);
	ck_assert_str_eq(zone, "CDT/CST");
}
END_TEST

/* The hour repeated at the fall-back change carries ticks, told apart by
 * their zone. */
START_TEST(time_ticks_repeated_hour)
{
	/* 2026-10-31 22:00 CDT .. 2026-11-01 04:00 CST: 7 real hours */
	usec_t s = INT64_C(1793502000) * SEC, e = INT64_C(1793527200) * SEC;
	struct ticks t;
	int cdt = -1, cst = -1;

	ck_assert_int_eq(time_set_zone("America/Chicago"), PR_OK);
	axis_time_ticks(s, e, 8, &t);
	for (int i = 0; i < t.n; i++) {
		if (strcmp(t.label[i], "01:00 CDT") == 0)
			cdt = i;
		if (strcmp(t.label[i], "01:00 CST") == 0)
			cst = i;
		/* no stretch of the axis longer than one step is unlabelled */
		if (i > 0)
			ck_assert_double_le(t.v[i] - t.v[i - 1], 3600.0 * SEC);
	}
	ck_assert_int_ge(cdt, 0);
	ck_assert_int_eq(cst, cdt + 1);
	ck_assert_double_eq(t.v[cst] - t.v[cdt], 3600.0 * SEC);
	ck_assert_str_eq(t.label[cst + 1], "02:00");
}
END_TEST

/* A timeline of ngpu GPU series (Video.Slot.38-1...) on one node, in
 * place of the fixture's (whose node name array the report frees). */
static void
gpu_timeline(struct timeline *tl, int ngpu)
{
	char **names = tl->node_names;	/* borrowed by the timeline */

	timeline_free(tl);
	timeline_init(tl, T0, T0 + 600 * SEC, 15 * SEC, 1, names);
	for (int g = 0; g < ngpu; g++) {
		char fqdd[32];
		int h;

		snprintf(fqdd, sizeof fqdd, "Video.Slot.38-%d", g + 1);
		h = timeline_series(tl, 0, ROLE_GPU, names[0], fqdd);
		for (long s = 0; s <= 600; s += 5)
			timeline_add(tl, h, T0 + s * SEC, 100 + 10 * g);
	}
	timeline_finish(tl);
}

/* Up to four GPU lines, one each with short legend names (the full name in
 * the read-out); more are one summed line with its band. */
START_TEST(gpu_lines_folded)
{
	static const int counts[] = { 4, 5, 8 };
	for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
		struct fixture fx;
		char *svg;
		size_t ngpu = 0;

		fixture_build(&fx, "g", 1, 600, 5, LOAD, 0);	/* no samples */
		gpu_timeline(&fx.rep.tl, counts[c]);
		for (size_t i = 0; i < fx.rep.tl.nlines; i++)
			ngpu += fx.rep.tl.lines[i].role == ROLE_GPU;
		svg = chart_svg(&fx.rep, CHART_TIMESERIES, 1200, 600);
		if (counts[c] <= 4) {
			ck_assert_int_eq(ngpu, counts[c]);
			ck_assert(strstr(svg, ">GPU 38-1</text>") != NULL);
			ck_assert(strstr(svg, ">GPU 38-4</text>") != NULL);
			ck_assert(strstr(svg, "<title>GPU Video.Slot.38-4 — mean")
			    != NULL);
		} else {
			char want[32];

			snprintf(want, sizeof want, ">GPUs (%d)</text>", counts[c]);
			ck_assert_int_eq(ngpu, 1);
			ck_assert_msg(strstr(svg, want) != NULL, "no %s", want);
		}
		ck_assert(strstr(svg, "Video.Slot.38-1</text>") == NULL);
		free(svg);
		fixture_free(&fx);
	}
}
END_TEST

/* Fans dotted, CPU solid: told apart where their lines meet (at 64 nodes
 * they overlapped). */
START_TEST(fans_apart_from_cpu)
{
	struct fixture fx;
	char *svg;

	fixture_build(&fx, "fans", 3, 3600, 5, LOAD, 99);
	svg = chart_svg(&fx.rep, CHART_TIMESERIES, 1200, 600);
	ck_assert(matches(svg, "stroke=\"#56b4e9\" stroke-width=\"[0-9.]+\" "
	    "stroke-linejoin=\"round\" stroke-dasharray=\"1.5,2.5\""));
	ck_assert(matches(svg, "stroke=\"#d55e00\" stroke-width=\"[0-9.]+\" "
	    "stroke-linejoin=\"round\"/>"));
	ck_assert(!matches(svg, "stroke=\"#d55e00\" stroke-width=\"[0-9.]+\" "
	    "stroke-linejoin=\"round\" stroke-dasharray"));
	free(svg);
	fixture_free(&fx);
}
END_TEST

/* Samples missing show as a strip in a colour of their own, as strong as
 * the share missing: a third of the nodes silent is a third, a clean job
 * has none. */
START_TEST(missing_strip_strength)
{
	struct fixture fx;
	char *svg;
	const char *p;
	double alpha;

	fixture_build(&fx, "ms", 3, 3600, 5, LOAD, 2);
	svg = chart_svg(&fx.rep, CHART_TIMESERIES, 1200, 600);
	p = strstr(svg, "fill=\"#b2182b\" fill-opacity=\"");
	ck_assert_msg(p != NULL, "no strip for a silent node");
	alpha = strtod(p + strlen("fill=\"#b2182b\" fill-opacity=\""), NULL);
	ck_assert_double_ge(alpha, 0.12 + 0.88 / 3);
	ck_assert_double_le(alpha, 0.12 + 0.88 / 2);
	ck_assert(strstr(svg, ">Samples missing</text>") != NULL);
	/* the band of the lines is in their own colour, never the strip's */
	ck_assert(strstr(svg, "fill=\"#dddddd\"") == NULL);
	free(svg);
	fixture_free(&fx);
	fixture_build(&fx, "clean", 3, 3600, 5, LOAD, 99);
	svg = chart_svg(&fx.rep, CHART_TIMESERIES, 1200, 600);
	ck_assert(strstr(svg, "#b2182b") == NULL);
	ck_assert(strstr(svg, ">Input</text>") != NULL);
	free(svg);
	fixture_free(&fx);
}
END_TEST

/* The text elements of an SVG, in drawing order: position, font size and
 * content (escaped as in the SVG, cut at 63 bytes). */
struct svg_text {
	double x, y, size;
	char s[64];
};

static size_t
svg_texts(const char *svg, struct svg_text *out, size_t max)
{
	size_t n = 0;

	for (const char *p = svg; (p = strstr(p, "<text x=\"")) != NULL && n < max;
	    p++) {
		const char *gt = strchr(p, '>'), *end = strstr(p, "</text>");
		int len;

		ck_assert(sscanf(p, "<text x=\"%lf\" y=\"%lf\" font-size=\"%lf\"",
		    &out[n].x, &out[n].y, &out[n].size) == 3);
		ck_assert(gt != NULL && end != NULL && gt < end);
		len = (int)(end - gt - 1);
		snprintf(out[n].s, sizeof out[n].s, "%.*s", len, gt + 1);
		n++;
	}
	return n;
}

/* Numbers written right of x0 (the colour bar's labels), top to bottom. */
static int
bar_labels(const char *svg, double x0, double *v, int max)
{
	static struct svg_text t[4096];
	size_t nt = svg_texts(svg, t, 4096);
	int n = 0;

	for (size_t i = 0; i < nt; i++) {
		char *end;
		double x = strtod(t[i].s, &end);

		if (t[i].x > x0 && *end == '\0' && end != t[i].s && n < max)
			v[n++] = x;
	}
	return n;
}

/* The heatmap's colour bar is labelled at both ends and between them with
 * at least three numbers, at the size of the PNG and of report.html (the
 * same chart code draws both). */
START_TEST(colour_bar_labelled)
{
	static const double sizes[][2] = { { 1200, 340 }, { 960, 260 },
	    { 960, 1000 } };
	struct fixture fx;

	fixture_build(&fx, "cb", 3, 3 * 3600, 5, LOAD, 99);
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		char *svg = chart_svg(&fx.rep, CHART_NODE_HEATMAP, sizes[k][0],
		    sizes[k][1]);
		double v[32], lo = INFINITY, hi = -INFINITY;
		int n = bar_labels(svg, sizes[k][0] - 110, v, 32);

		for (size_t i = 0; i < 3 * (size_t)fx.rep.tl.heat_buckets; i++)
			if (!isnan(fx.rep.tl.heat[i])) {
				lo = fmin(lo, fx.rep.tl.heat[i]);
				hi = fmax(hi, fx.rep.tl.heat[i]);
			}
		ck_assert_msg(n >= 3, "%d labels at %gx%g", n, sizes[k][0],
		    sizes[k][1]);
		/* the outermost labels are the range (in either drawing order) */
		ck_assert_double_eq_tol(fmax(v[0], v[n - 1]), round(hi), 0.51);
		ck_assert_double_eq_tol(fmin(v[0], v[n - 1]), round(lo), 0.51);
		free(svg);
	}
	fixture_free(&fx);
}
END_TEST

/* Utilisation as source_pg_util.c leaves it: CPU load 50 % over the
 * first half of the window and unknown after, memory read but unknown
 * throughout, GPU utilisation not read. */
static void
util_build(struct attribution *a)
{
	memset(a, 0, sizeof *a);
	a->util[UTIL_CPU].read = a->util[UTIL_MEM].read = true;
	for (int b = 0; b < UTIL_BUCKETS / 2; b++) {
		a->util[UTIL_CPU].sum[b] = 1.0;
		a->util[UTIL_CPU].n[b] = 2;
	}
}

/* The lanes under the power chart: one per table read, labelled, with
 * the mean at the right, "no data" where unknown (not a line at 0), and
 * no strip at all without utilisation (a report from raw_power.csv). */
START_TEST(util_strip_lanes)
{
	static struct attribution a;
	struct fixture fx;
	char *svg;

	fixture_build(&fx, "util", 3, 6 * 3600, 30, LOAD, 99);
	svg = chart_svg(&fx.rep, CHART_TIMESERIES, 960, 420);
	ck_assert_ptr_null(strstr(svg, ">CPU load</text>"));
	ck_assert_ptr_null(strstr(svg, ">no data</text>"));
	free(svg);
	memset(&a, 0, sizeof a);
	fx.rep.attr = &a;	/* attribution, but no utilisation table */
	svg = chart_svg(&fx.rep, CHART_TIMESERIES, 960, 420);
	ck_assert_ptr_null(strstr(svg, ">CPU load</text>"));
	free(svg);
	a.util[UTIL_CPU].read = true;	/* a table without a reading */
	svg = chart_svg(&fx.rep, CHART_TIMESERIES, 960, 420);
	ck_assert_ptr_null(strstr(svg, ">CPU load</text>"));
	free(svg);
	util_build(&a);
	svg = chart_svg(&fx.rep, CHART_TIMESERIES, 960, 420);
	ck_assert_ptr_nonnull(strstr(svg, ">CPU load</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">Memory</text>"));
	ck_assert_ptr_null(strstr(svg, ">GPU util</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">50.0 %</text>"));
	ck_assert_int_eq(rf_count(svg, ">no data</text>"), 2);
	ck_assert_ptr_nonnull(strstr(svg, "CPU load — mean 50.0 % of the nodes&#39; CPUs"));
	ck_assert_ptr_nonnull(strstr(svg, "Memory — mean unknown"));
	/* the moments' read-outs name the lanes' values too */
	ck_assert_ptr_nonnull(strstr(svg, "\nCPU load: 50.0 %\nMemory: no data</title>"));
	ck_assert_ptr_nonnull(strstr(svg, "\nCPU load: no data\nMemory: no data</title>"));
	free(svg);
	svg = chart_svg_narrow(&fx.rep, CHART_TIMESERIES);
	ck_assert_ptr_nonnull(strstr(svg, ">CPU</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">Mem</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">Means: CPU 50.0 %, Mem no data</text>"));
	free(svg);
	fx.rep.attr = NULL;
	fixture_free(&fx);
}
END_TEST

/* The narrow variant at a 390 px phone (shown 366 px wide, report.css):
 * no text under 9 px (font size x scale), every text starts on the
 * canvas, and the ring's legend names its parts, for 3 and 64 nodes (the
 * 64 with the utilisation lanes). */
START_TEST(narrow_charts_readable)
{
	static const size_t nodes[] = { 3, 64 };
	static struct svg_text t[8192];
	static struct attribution util;

	for (size_t c = 0; c < sizeof nodes / sizeof *nodes; c++) {
		struct fixture fx;

		fixture_build(&fx, "phone", nodes[c], 6 * 3600, 30, LOAD, 1);
		util_build(&util);
		fx.rep.attr = c == 1 ? &util : NULL;
		for (int k = 0; k < CHART_N; k++) {
			char *svg = chart_svg_narrow(&fx.rep, k);
			double vw, vh, scale;
			size_t nt = svg_texts(svg, t, 8192);

			ck_assert(sscanf(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			    "viewBox=\"0 0 %lf %lf\"", &vw, &vh) == 2);
			scale = 366 / vw;
			ck_assert_int_gt(nt, 5);
			for (size_t i = 0; i < nt; i++) {
				ck_assert_msg(t[i].size * scale >= 9,
				    "chart %d, %zu nodes: \"%s\" %.2f px", k,
				    nodes[c], t[i].s, t[i].size * scale);
				ck_assert_msg(t[i].x >= 0 && t[i].x < vw &&
				    t[i].y > 0 && t[i].y <= vh,
				    "chart %d: \"%s\" off the canvas", k, t[i].s);
			}
			ck_assert(strstr(svg, "<title>") == NULL);
			if (k == CHART_PIE)
				ck_assert(strstr(svg, ">CPU</text>") != NULL &&
				    strstr(svg, ">Share</text>") != NULL);
			free(svg);
		}
		fx.rep.attr = NULL;
		fixture_free(&fx);
	}
}
END_TEST

/* The ring writes every energy with the decimals the report's card gives
 * the total (units_energy(total, total)), also when the parts exceed the
 * measured input and their sum crosses a decimals threshold. */
START_TEST(ring_decimals_as_card)
{
	struct fixture fx;
	char card[32], want[48], *svg;

	fixture_build(&fx, "dec", 2, 3600, 5, LOAD, 99);
	for (int c = 0; c < COMP_N; c++)
		fx.rep.energy_j[c] = 0;
	fx.rep.energy_j[COMP_TOTAL] = 0.98 * 3.6e6;
	fx.rep.energy_j[COMP_CPU] = 0.60 * 3.6e6;
	fx.rep.energy_j[COMP_FAN] = 0.42 * 3.6e6;	/* parts: 1.02 kWh */
	units_energy(fx.rep.energy_j[COMP_TOTAL], fx.rep.energy_j[COMP_TOTAL],
	    card, sizeof card);
	ck_assert_str_eq(card, "980.0 Wh");
	snprintf(want, sizeof want, ">%s</text>", card);
	svg = chart_svg(&fx.rep, CHART_PIE, 1100, 600);
	ck_assert_int_eq(rf_count(svg, want), 2);	/* centre, total row */
	ck_assert(strstr(svg, ">600.0 Wh</text>") != NULL);
	ck_assert(strstr(svg, ">1.02 kWh</text>") == NULL);	/* the parts' sum's own decimals */
	free(svg);
	fixture_free(&fx);
}
END_TEST

/* The total in the ring's centre stays inside the hole, however long:
 * 3675.9 kWh on the narrow ring of a phone overran it. */
START_TEST(ring_centre_fits)
{
	static struct svg_text t[512];
	struct fixture fx;
	struct draw_font small = { 11 * 0.88, false };
	double r0, k;
	size_t nt;
	char *svg, card[32];
	bool seen = false;

	fixture_build(&fx, "big", 2, 3600, 5, LOAD, 99);
	k = 3675.9 * 3.6e6 / fx.rep.energy_j[COMP_TOTAL];
	for (int c = 0; c < COMP_N; c++)
		fx.rep.energy_j[c] *= k;
	units_energy(fx.rep.energy_j[COMP_TOTAL], fx.rep.energy_j[COMP_TOTAL],
	    card, sizeof card);
	/* the narrow ring's inner radius, as chart_pie lays it out */
	r0 = 0.7 * ((366 - 22) / 2.0 - draw_cairo_measure("Storage 10.0 %",
	    &small) - 2.2 * 11);
	svg = chart_svg_narrow(&fx.rep, CHART_PIE);
	nt = svg_texts(svg, t, 512);
	for (size_t i = 0; i < nt; i++) {
		struct draw_font f = { t[i].size, true };
		double w = draw_cairo_measure(t[i].s, &f);

		if (strcmp(t[i].s, card) != 0 ||
		    fabs(t[i].x + w / 2 - 366 / 2.0) > 1)
			continue;	/* not the one centred on the ring */
		seen = true;
		ck_assert_double_le(w, 1.6 * r0 + 0.5);
		ck_assert_double_ge(t[i].size, 9);
	}
	ck_assert(seen);
	free(svg);
	fixture_free(&fx);
}
END_TEST

/* The legend beside the per-node bars keeps clear of the PNG's right edge
 * (more than the page margin): "PSU loss" was about 5 px from it. */
START_TEST(legend_clear_of_edge)
{
	static struct svg_text t[1024];
	struct fixture fx;
	char *svg;
	size_t nt;
	bool seen = false;

	fixture_build(&fx, "edge", 3, 3600, 5, LOAD, 99);
	svg = chart_svg(&fx.rep, CHART_NODE_ENERGY, 1200, 340);
	nt = svg_texts(svg, t, 1024);
	for (size_t i = 0; i < nt; i++) {
		struct draw_font f = { t[i].size, false };
		double right = t[i].x + draw_cairo_measure(t[i].s, &f);

		if (strcmp(t[i].s, "PSU loss") == 0)
			seen = true;
		ck_assert_msg(right <= 1200 - 13 * 1.5, "\"%s\" ends at %.1f",
		    t[i].s, right);
	}
	ck_assert(seen);
	free(svg);
	fixture_free(&fx);
}
END_TEST

/* Every chart has a caption of one sentence. */
START_TEST(captions_one_sentence)
{
	for (int k = 0; k < CHART_N; k++) {
		const char *c = chart_caption(k), *stop = strchr(c, '.');

		ck_assert_int_gt(strlen(c), 20);
		ck_assert_msg(stop != NULL && stop[1] == '\0', "%s", c);
	}
}
END_TEST

/* A phone's plot is narrower than the timeline has buckets: its lines
 * merge buckets (half the points for a 3-hour job's 720) and the note
 * says what a point stands for; the wide chart keeps every bucket. */
START_TEST(narrow_lines_coarser)
{
	struct fixture fx;
	char *wide, *narrow;

	fixture_build(&fx, "coarse", 2, 3 * 3600, 5, LOAD, 99);
	wide = chart_svg(&fx.rep, CHART_TIMESERIES, 1200, 600);
	narrow = chart_svg_narrow(&fx.rep, CHART_TIMESERIES);
	ck_assert(strstr(wide, ">Line: mean per 15 s</text>") != NULL);
	ck_assert(strstr(narrow, ">Line: mean per 30 s</text>") != NULL);
	ck_assert_int_lt(rf_count(narrow, "L"), rf_count(wide, "L") * 0.6);
	free(wide);
	free(narrow);
	fixture_free(&fx);
}
END_TEST

START_TEST(value_ticks_round)
{
	struct ticks t;

	ck_assert_double_eq(axis_value_ticks(0, 4321, 6, &t), 5000);
	ck_assert_str_eq(t.label[1], "1000");
	ck_assert_double_eq(axis_value_ticks(0, 0.9, 5, &t), 1);
	ck_assert_str_eq(t.label[1], "0.25");
	ck_assert_double_eq(axis_value_ticks(0, 1, 10, &t), 1);
	ck_assert_int_le(t.n, 10);
}
END_TEST

/* Ticks of any range are finite, ascending, labelled, and reach the top;
 * denormals once made the step 0 and the label precision INT_MIN. */
START_TEST(value_ticks_extreme_ranges)
{
	static const double ranges[][2] = {
		{ 0, 4.9e-324 }, { 4.9e-324, 4.9e-324 }, { -4.9e-324, 4.9e-324 },
		{ 0, 1e308 }, { 1e308, 1e308 }, { -1e308, 1e308 }, { 0, DBL_MAX },
		{ 42, 42 }, { -5, -5 }, { -500, -100 }, { -1e-3, -2e-3 },
		{ 1e15, 1e15 + 0.5 }, { 0, 0 }, { -DBL_MAX, 0 }, { -1e308, -1e308 },
		{ -DBL_MAX, DBL_MAX }, { -INFINITY, INFINITY }, { NAN, NAN },
	};
	struct ticks t;

	for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++) {
		double lo = ranges[r][0], hi = ranges[r][1];
		double end = axis_value_ticks(lo, hi, 6, &t);

		ck_assert_int_ge(t.n, 1);
		ck_assert_int_le(t.n, AXIS_MAX_TICKS);
		ck_assert(isfinite(end));
		ck_assert(end == t.v[t.n - 1]);
		if (hi >= lo && hi < DBL_MAX)
			ck_assert_msg(hi - end <= fmax(fabs(hi), 1) * 1e-9,
			    "range %zu ends at %g below %g",
			    r, end, hi);
		for (int i = 0; i < t.n; i++) {
			ck_assert(isfinite(t.v[i]));
			ck_assert(i == 0 || t.v[i] > t.v[i - 1]);
			ck_assert_int_gt(strlen(t.label[i]), 0);
			ck_assert(strchr(t.label[i], 'n') == NULL);	/* nan, inf */
			ck_assert(i == 0 || strcmp(t.label[i], t.label[i - 1]) != 0);
		}
	}
}
END_TEST

/* A backend whose every character is 5 units wide, counting measurements. */
static double
counted_width(void *ctx, const char *utf8, const struct draw_font *font)
{
	size_t chars = 0;

	(*(int *)ctx)++;
	for (; *utf8 != '\0'; utf8++)
		chars += ((unsigned char)*utf8 & 0xC0) != 0x80;
	return 5.0 * chars;
}

/* A label is fitted in a few measurements whatever its length (one
 * character dropped per measurement made a 40k-character device name cost
 * 40k of them), cut on a character boundary, as long as fits. */
START_TEST(fit_text_bisects)
{
	static const struct draw_ops ops = { .text_width = counted_width };
	const struct draw_font font = { 10, false };
	int calls = 0;
	struct draw d = { &ops, &calls, 100, 100 };
	size_t n = 40000;
	char *name = xmalloc(2 * n + 1), *fit;

	for (size_t i = 0; i < n; i++)
		memcpy(name + 2 * i, "\u00e9", 2);	/* é */
	name[2 * n] = '\0';
	fit = draw_fit_text(&d, name, &font, 100);
	ck_assert_int_le(calls, 20);
	/* 19 characters and the ellipsis: 20 x 5 units. */
	ck_assert_uint_eq(strlen(fit), 2 * 19 + 3);
	ck_assert_str_eq(fit + 2 * 19, "\u2026");
	ck_assert_int_eq(strncmp(fit, name, 2 * 19), 0);
	free(fit);
	for (size_t w = 0; w <= 30; w++) {
		/* "ab\u00e9cd": each width keeps the prefix a linear search would */
		size_t keep = w / 5 >= 5 ? 5 : w / 5 >= 1 ? w / 5 - 1 : 0;
		const char *full = "ab\u00e9cd";
		size_t bytes = keep <= 2 ? keep : keep + 1;

		fit = draw_fit_text(&d, full, &font, (double)w);
		if (keep == 5)
			ck_assert_str_eq(fit, full);
		else {
			ck_assert_uint_eq(strlen(fit), bytes + 3);
			ck_assert_int_eq(strncmp(fit, full, bytes), 0);
		}
		free(fit);
	}
	free(name);
}
END_TEST

/* The PDF layout fits a 40k-character name to a table cell quickly. */
START_TEST(pdf_fit_long_name)
{
	struct pdf_layout l;
	size_t n = 40000;
	char *name = xmalloc(n + 1), *fit;
	struct timespec t0, t1;
	double s;

	memset(name, 'W', n);
	name[n] = '\0';
	ck_assert_int_eq(pdf_layout_begin(&l, "A4"), PR_OK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fit = pdf_fit(&l, false, 9, name, 200);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(s < 0.5, "fitting took %.3f s", s);	/* 7.2 s once */
	ck_assert(pdf_text_width(&l, false, 9, fit) <= 200);
	ck_assert_str_eq(fit + strlen(fit) - 3, "\u2026");
	ck_assert_uint_gt(strlen(fit), 3);
	free(fit);
	pdf_layout_free(&l);
	free(name);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("charts");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sample_job_files);
	tcase_add_test(tc, single_node_has_no_node_views);
	tcase_add_test(tc, svg_content_and_escaping);
	tcase_add_test(tc, svg_read_outs);
	tcase_add_test(tc, figures_written_as_in_the_documents);
	tcase_add_test(tc, read_outs_bounded_by_nodes);
	tcase_add_test(tc, read_outs_leave_png_and_pdf_alone);
	tcase_add_test(tc, palette_fixed_and_distinct);
	tcase_add_test(tc, pdf_draw_into_caller_document);
	tcase_add_test(tc, degenerate_no_samples);
	tcase_add_test(tc, degenerate_all_zeros);
	tcase_add_test(tc, degenerate_one_sample);
	tcase_add_test(tc, degenerate_node_without_data);
	tcase_add_test(tc, degenerate_one_second);
	tcase_add_test(tc, degenerate_thirty_days);
	tcase_add_test(tc, time_ticks_dst);
	tcase_add_test(tc, time_ticks_repeated_hour);
	tcase_add_test(tc, colour_bar_labelled);
	tcase_add_test(tc, missing_strip_strength);
	tcase_add_test(tc, gpu_lines_folded);
	tcase_add_test(tc, fans_apart_from_cpu);
	tcase_add_test(tc, narrow_charts_readable);
	tcase_add_test(tc, util_strip_lanes);
	tcase_add_test(tc, ring_decimals_as_card);
	tcase_add_test(tc, legend_clear_of_edge);
	tcase_add_test(tc, ring_centre_fits);
	tcase_add_test(tc, narrow_lines_coarser);
	tcase_add_test(tc, captions_one_sentence);
	tcase_add_test(tc, value_ticks_round);
	tcase_add_test(tc, value_ticks_extreme_ranges);
	tcase_add_test(tc, fit_text_bisects);
	tcase_add_test(tc, pdf_fit_long_name);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
