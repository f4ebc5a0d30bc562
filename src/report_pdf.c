/*
 * report_pdf.c - report.pdf: the printable report (libharu).  A first page
 * with the header, key figures and the energy ring; the time series and
 * per-node charts as vector graphics; tables that flow across pages with
 * their headers repeated; data quality and method; page numbers and
 * document metadata.  The words and numbers come from report_text.c, the
 * same as report.html.
 */
#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart_file.h"
#include "attribution_text.h"
#include "error.h"
#include "history.h"
#include "pdf_layout.h"
#include "report_text.h"
#include "trust_pdf.h"
#include "units.h"

#define INK 0x1d2430u
#define MUTED 0x5b6575u
#define ACCENT 0x2a6db0u
#define PANEL 0xf5f7fau
#define ALERT 0xfde2e1u
#define ALERT_EDGE 0xc0392bu
#define TABLE_SIZE 7.5
#define MIN_TABLE_SIZE 4.5
#define COL_PAD 7.0		/* around a column's text (pdf_layout pads 3 a side) */

static const unsigned tone_fill[] = {
	[TONE_PLAIN] = 0xffffff, [TONE_FULL] = 0xffffff,	/* only shortfalls stand out */
	[TONE_PARTIAL] = 0xfff4d6, [TONE_POOR] = 0xfde2e1,
	[TONE_ABSENT] = 0xffffff,
};

static void
set_date(HPDF_Doc doc, usec_t t)
{
	time_t s = (time_t)(t / USEC_PER_SEC);
	struct tm tm;
	HPDF_Date d = { 0 };

	gmtime_r(&s, &tm);
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	d.hour = tm.tm_hour;
	d.minutes = tm.tm_min;
	d.seconds = tm.tm_sec;
	d.ind = 'Z';
	HPDF_SetInfoDateAttr(doc, HPDF_INFO_CREATION_DATE, d);
}

static void
metadata(struct pdf_layout *l, const struct report *rep)
{
	const struct job *job = rep->job;
	char *title, *subject, *nodes, *shown, total[32];

	title = job->name != NULL && *job->name != '\0' ?
	    xasprintf("Energy report: job %s (%s)", job->id, job->name) :
	    xasprintf("Energy report: job %s", job->id);
	nodes = xasprintf("%zu node%s", job->nodes.n, job->nodes.n == 1 ? "" : "s");
	units_energy(rep->energy_j[COMP_TOTAL], rep->energy_j[COMP_TOTAL], total,
	    sizeof total);
	subject = xasprintf("Energy use of job %s on %s, %s", job->id, nodes, total);
	shown = pdf_printable(title);	/* emoji: a mark, not nothing */
	HPDF_SetInfoAttr(l->doc, HPDF_INFO_TITLE, shown);
	free(shown);
	HPDF_SetInfoAttr(l->doc, HPDF_INFO_SUBJECT, subject);
	if (job->user != NULL)
		HPDF_SetInfoAttr(l->doc, HPDF_INFO_AUTHOR, job->user);
	HPDF_SetInfoAttr(l->doc, HPDF_INFO_CREATOR, "powerreport " PR_VERSION);
	set_date(l->doc, rep->generated_at);
	free(title);
	free(subject);
	free(nodes);
}

static void
title(struct pdf_layout *l, const struct report *rep)
{
	char *s = xasprintf("Job %s", rep->job->id);

	pdf_text(l, l->left, l->y - 9, true, 9, ACCENT, "ENERGY REPORT");
	l->y -= 16;
	pdf_need(l, 30);
	pdf_text(l, l->left, l->y - 20, true, 20, INK, s);
	l->y -= 28;
	free(s);
	if (rep->job->name != NULL && *rep->job->name != '\0')
		pdf_paragraph(l, 14, MUTED, rep->job->name);
	pdf_skip(l, 6);
}

/* What the figures leave out, in a tinted box across the page. */
static void
banner(struct pdf_layout *l, const struct report *rep)
{
	double pad = 7, size = 9, h = 2 * pad, left = l->left, right = l->right;

	if (rep->banner.n == 0)
		return;
	l->left += pad + 3;
	l->right -= pad;
	for (size_t i = 0; i < rep->banner.n; i++)
		h += pdf_paragraph_height(l, size, rep->banner.v[i]);
	pdf_need(l, h);
	pdf_rect(l, left, l->y - h, right - left, h, ALERT);
	pdf_rect(l, left, l->y - h, 3, h, ALERT_EDGE);
	l->y -= pad;
	for (size_t i = 0; i < rep->banner.n; i++)
		pdf_paragraph(l, size, INK, rep->banner.v[i]);
	l->y -= pad + 10;
	l->left = left;
	l->right = right;
}

/* Header fields two to a row; a value too long for its column takes the
 * row, wrapped. */
static void
header_fields(struct pdf_layout *l, const struct report *rep)
{
	struct text_fields f = { 0 };
	double colw = (l->right - l->left) / 2, h = 26, size = 9;
	size_t col = 0;

	text_header(rep, &f);
	for (size_t i = 0; i < f.label.n; i++) {
		char *v = *f.note.v[i] != '\0' ? xasprintf("%s (%s)",
		    f.value.v[i], f.note.v[i]) : xstrdup(f.value.v[i]);
		size_t span = 1 + (size_t)((pdf_text_width(l, false, size, v) + 8) / colw);

		if (col + span > 2 && col > 0) {	/* next row */
			l->y -= h;
			col = 0;
		}
		pdf_need(l, h);
		pdf_text(l, l->left + col * colw, l->y - 8, false, 7.5, MUTED, f.label.v[i]);
		if (span > 2) {
			l->y -= 10;
			pdf_paragraph(l, size, INK, v);
			l->y -= 6;
		} else {
			pdf_text(l, l->left + col * colw, l->y - 20, false, size, INK, v);
			col += span;
		}
		free(v);
	}
	if (col > 0)
		l->y -= h;
	text_fields_free(&f);
}

static void
figure_box(struct pdf_layout *l, double x, double w, double h,
    const char *label, const char *value, const char *note)
{
	char *s;

	pdf_rect(l, x, l->y - h, w, h, PANEL);
	pdf_text(l, x + 8, l->y - 13, false, 7.5, MUTED, label);
	s = pdf_fit(l, true, 15, value, w - 16);
	pdf_text(l, x + 8, l->y - 32, true, 15, INK, s);
	free(s);
	s = pdf_fit(l, false, 6.5, note, w - 16);
	pdf_text(l, x + 8, l->y - 44, false, 6.5, MUTED, s);
	free(s);
}

static void
key_figures(struct pdf_layout *l, const struct report *rep)
{
	struct text_fields f = { 0 };
	size_t per_row;
	double gap = 8, h = 52, w;

	text_figures(rep, &f);
	text_attribution_figures(rep, &f);
	per_row = f.label.n <= 4 ? f.label.n : (f.label.n + 1) / 2;
	per_row = per_row > 4 ? 4 : per_row;	/* values stay legible */
	w = (l->right - l->left - gap * (per_row - 1)) / per_row;
	pdf_skip(l, 8);
	for (size_t i = 0; i < f.label.n; i++) {
		size_t col = i % per_row;

		if (col == 0)
			pdf_need(l, h + gap);
		figure_box(l, l->left + col * (w + gap), w, h, f.label.v[i],
		    f.value.v[i], f.note.v[i]);
		if (col == per_row - 1 || i + 1 == f.label.n)
			l->y -= h + gap;
	}
	text_fields_free(&f);
}

/* A chart may shrink to 70 % of its height (not below 170 pt) to use
 * the rest of a page rather than leave it blank. */
static double
shrunk(double h)
{
	return fmax(fmin(170, h), 0.7 * h);
}

/* The chart in a box across x0..x1 at the cursor, h high or what is left
 * of the page if that is at least shrunk(h). */
static int
chart_box(struct pdf_layout *l, const struct report *rep, enum chart_kind kind,
    double x0, double x1, double h)
{
	double room = l->y - l->bottom;

	if (!chart_applies(rep, kind))
		return PR_OK;
	if (room >= shrunk(h))
		h = fmin(h, room);
	pdf_need(l, h);
	l->y -= h;
	return chart_pdf_draw(rep, kind, l->doc, l->page, x0, l->y, x1 - x0, h);
}

/* The ring chart (it carries its own legend), or the breakdown as a table
 * when there is no ring. */
static int
breakdown(struct pdf_layout *l, const struct report *rep)
{
	static const char *const head[] = { "Component", "Energy", "Share" };
	static const double weight[] = { 2, 1, 1 };
	static const bool right[] = { false, true, true };
	struct pdf_table t = { 3, head, weight, right, 8.5, 0, 0 };
	struct text_fields f = { 0 };
	enum component comp[COMP_N];
	double h = 240;

	pdf_heading(l, 1, "Where the energy went", shrunk(h));
	if (chart_applies(rep, CHART_PIE))
		return chart_box(l, rep, CHART_PIE, l->left, l->right, h);
	text_breakdown(rep, &f, comp);
	pdf_table_header(l, &t);
	for (size_t i = 0; i < f.label.n; i++) {
		const char *cells[] = { f.label.v[i], f.value.v[i], f.note.v[i] };

		pdf_table_row(l, &t, cells, comp[i] == COMP_TOTAL, NULL);
	}
	text_fields_free(&f);
	return PR_OK;
}

static int
charts(struct pdf_layout *l, const struct report *rep)
{
	double rows_h = fmin(fmax(rep->nnodes * 6.0 + 90, 200), 560);
	int status;

	if (chart_applies(rep, CHART_TIMESERIES)) {
		pdf_heading(l, 1, "Power over time", shrunk(250));
		if ((status = chart_box(l, rep, CHART_TIMESERIES, l->left,
		    l->right, 250)) != PR_OK)
			return status;
	}
	if (!chart_applies(rep, CHART_NODE_HEATMAP) &&
	    !chart_applies(rep, CHART_NODE_ENERGY))
		return PR_OK;
	pdf_heading(l, 1, "Power and energy per node", shrunk(rows_h));
	if ((status = chart_box(l, rep, CHART_NODE_HEATMAP, l->left, l->right,
	    rows_h)) != PR_OK)
		return status;
	pdf_skip(l, 12);
	return chart_box(l, rep, CHART_NODE_ENERGY, l->left, l->right, rows_h);
}

/* Column widths from the widest text of each column at TABLE_SIZE, each
 * measured in the font it is drawn in (heads and the total row are bold). */
static void
natural_widths(struct pdf_layout *l, const struct text_table *tt, double *weight)
{
	size_t total_from = tt->total_row ? (tt->nrows - 1) * tt->ncols : SIZE_MAX;

	for (size_t c = 0; c < tt->ncols; c++)
		weight[c] = pdf_head_width(l, TABLE_SIZE, tt->head.v[c]);
	for (size_t i = 0; i < tt->cell.n; i++) {
		size_t c = i % tt->ncols;
		double w = pdf_text_width(l, i >= total_from, TABLE_SIZE,
		    tt->cell.v[i]);

		if (w > weight[c])
			weight[c] = w;
	}
}

/* A text_table as a PDF table: columns as wide as their text, coverage
 * shaded; its last row and the note under it on one page. */
static void
table(struct pdf_layout *l, const struct text_table *tt)
{
	double note_h = tt->note != NULL ?
	    4 + pdf_paragraph_height(l, 7.5, tt->note) : 0;
	double *weight = xcalloc(tt->ncols, sizeof *weight);
	bool *right = xcalloc(tt->ncols, sizeof *right);
	unsigned *fill = xcalloc(tt->ncols, sizeof *fill);
	struct pdf_table t = { tt->ncols, (const char *const *)tt->head.v,
	    weight, right, TABLE_SIZE, 0, 0 };
	double natural = 0, pad = COL_PAD * tt->ncols;

	natural_widths(l, tt, weight);
	for (size_t c = 0; c < tt->ncols; c++)
		natural += weight[c];
	/* a wide table gets smaller type rather than cut text */
	t.size = fmax(MIN_TABLE_SIZE, fmin(1, (l->right - l->left - pad) /
	    natural) * TABLE_SIZE);
	for (size_t c = 0; c < tt->ncols; c++)
		weight[c] = weight[c] * t.size / TABLE_SIZE + COL_PAD;
	for (size_t c = 0; c < tt->ncols; c++)
		right[c] = !tt->text_col[c];
	pdf_table_header(l, &t);
	for (size_t r = 0; r < tt->nrows; r++) {
		for (size_t c = 0; c < tt->ncols; c++)
			fill[c] = tone_fill[tt->tone[r * tt->ncols + c]];
		if (r + 1 == tt->nrows)
			pdf_table_need(l, &t, note_h);
		pdf_table_row(l, &t, (const char *const *)tt->cell.v + r * tt->ncols,
		    tt->total_row && r + 1 == tt->nrows, fill);
	}
	free(weight);
	free(right);
	free(fill);
}

/* Heading, table made by build and its note, unless it has no rows. */
static void
table_section(struct pdf_layout *l, int level, const char *heading,
    const struct report *rep, void (*build)(const struct report *, struct text_table *))
{
	struct text_table t = { 0 };

	build(rep, &t);
	if (t.nrows > 0) {
		pdf_heading(l, level, heading, 3 * TABLE_SIZE * 1.8);
		table(l, &t);
		if (t.note != NULL) {
			pdf_skip(l, 4);
			pdf_paragraph(l, 7.5, MUTED, t.note);
		}
	}
	text_table_free(&t);
}

static void
quality(struct pdf_layout *l, const struct report *rep)
{
	struct strlist warn = { 0 };
	char *summary = text_data_summary(rep);

	pdf_heading(l, 1, "Data quality", 40);
	pdf_paragraph(l, 9, INK, summary);
	free(summary);
	text_warnings(rep, &warn);
	text_idle_quality(rep, &warn);
	if (warn.n > 0)
		pdf_heading(l, 2, "Warnings", 12);
	for (size_t i = 0; i < warn.n; i++) {
		char *s = xasprintf("\u2022 %s", warn.v[i]);

		pdf_paragraph(l, 8.5, INK, s);
		free(s);
	}
	strlist_free(&warn);
	table_section(l, 2, "Coverage per node and metric", rep,
	    text_coverage_table);
	table_section(l, 2, "Gaps", rep, text_gap_table);
}

static void
method(struct pdf_layout *l, const struct report *rep)
{
	char *text = text_method(rep);

	pdf_heading(l, 1, "How the numbers were computed", 40);
	pdf_paragraph(l, 9, INK, text);
	free(text);
	pdf_heading(l, 2, "Files beside this report", 30);
	pdf_paragraph(l, 9, INK, "raw_power.csv: every raw sample of the job; "
	    "energy.csv: energy per node and component; summary.json: "
	    "everything in this report, for scripts; report.html: this report "
	    "for the screen.");
}

static int
layout(struct pdf_layout *l, const struct report *rep)
{
	char *footer;
	int status;

	metadata(l, rep);
	title(l, rep);
	banner(l, rep);
	header_fields(l, rep);
	key_figures(l, rep);
	if ((status = breakdown(l, rep)) != PR_OK ||
	    (status = charts(l, rep)) != PR_OK)
		return status;
	table_section(l, 1, "Energy per node", rep, text_node_table);
	table_section(l, 1, "Shared nodes, utilisation and idle energy", rep,
	    text_attribution_table);
	table_section(l, 1, "Energy per GPU", rep, text_gpu_table);
	history_pdf(l, rep);
	quality(l, rep);
	pdf_trust(l, rep);
	method(l, rep);
	footer = xasprintf("powerreport %s \u00b7 job %s", PR_VERSION, rep->job->id);
	pdf_number_pages(l, footer);
	free(footer);
	return PR_OK;
}

int
render_pdf(const struct report *rep, const struct outdir *od, const char *datadir)
{
	struct pdf_layout l;
	int status;

	if ((status = pdf_layout_begin(&l, rep->cfg->paper)) == PR_OK &&
	    (status = layout(&l, rep)) == PR_OK)
		status = pdf_layout_save(&l, od, "report.pdf");
	pdf_layout_free(&l);
	return status;
}
