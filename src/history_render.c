/*
 * history_render.c - the earlier-runs section (history.h) of report.html
 * (templates/history.html.tpl, with a small SVG chart drawn through draw.h)
 * and of report.pdf (a sentence and the table).  Called from one line in
 * each renderer; nothing is shown when there is no history.
 */
#include "history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart_axes.h"
#include "chart_palette.h"
#include "draw_svg.h"
#include "error.h"
#include "pdf_layout.h"
#include "template_shim.h"

#define CHART_W 560.0
#define CHART_H 170.0
#define EARLIER 0x9AA5B1	/* earlier runs: muted */

/* kWh per node-hour of run i (0: this run, then newest first). */
static double
value_of(const struct report *rep, size_t i)
{
	const struct energy_job *e;

	if (i == 0)
		return rep->kwh_per_node_hour;
	e = &rep->history->runs[i - 1].e;
	return history_per_node_hour(e->energy_j, e->node_hours);
}

/* Bars oldest first, this run last and in colour, the median dashed. */
static char *
history_chart(const struct report *rep)
{
	size_t n = rep->history->n + 1, i, k;
	struct draw_font small = { 10, false };
	double x0 = 48, x1 = CHART_W - 8, y0 = CHART_H - 10, y1 = 10, max = 0, top, bw, h, v;
	static const double dash[2] = { 4, 3 };
	struct draw *d;
	struct ticks t;

	for (i = 0; i < n; i++)
		if (!isnan(value_of(rep, i)))
			max = fmax(max, value_of(rep, i));
	top = axis_value_ticks(0, max > 0 ? max : 1, 4, &t);
	d = draw_svg_new(CHART_W, CHART_H);
	for (int j = 0; j < t.n; j++) {
		double y = y0 - (y0 - y1) * t.v[j] / top;

		draw_segment(d, x0, y, x1, y, GRID, 1);
		draw_text(d, x0 - 5, y, t.label[j], &small, MUTED, DRAW_RIGHT, DRAW_MIDDLE, 0);
	}
	bw = (x1 - x0) / (double)n;
	for (k = 0; k < n; k++) {
		i = n - 1 - k;	/* oldest first: run n-1 ... run 1, then this run (0) */
		i = k == n - 1 ? 0 : i;
		if (isnan(v = value_of(rep, i)))
			continue;
		h = (y0 - y1) * v / top;
		draw_tip_begin(d, "%s: %.3f kWh per node-hour", i == 0 ? "this run" :
		    rep->history->runs[i - 1].id, v);
		draw_rect(d, x0 + bw * ((double)k + 0.15), y0 - h, bw * 0.7, h,
		    i == 0 ? chart_component_colour(COMP_CPU) : EARLIER);
		draw_tip_end(d);
	}
	if (!isnan(rep->history->median)) {
		h = y0 - (y0 - y1) * rep->history->median / top;
		draw_move(d, x0, h);
		draw_line(d, x1, h);
		draw_stroke_dashed(d, INK, 1, dash, 2);
	}
	draw_segment(d, x0, y0, x1, y0, AXIS, 1);
	return draw_svg_finish(d);
}

void
history_html(struct tpl *root, const struct report *rep)
{
	int gpus, cols;
	char cells[HISTORY_COLS][32], *svg;
	struct tpl *d, *row, *cl;

	if (rep->history == NULL)
		return;
	gpus = history_has_gpus(rep);
	cols = gpus ? HISTORY_COLS : HISTORY_COLS - 1;
	d = tpl_include(root, "HISTORY", "history.html.tpl");
	if (rep->history->sentence != NULL) {
		tpl_set(d, "SENTENCE", rep->history->sentence);
		tpl_show(d, "HAS_SENTENCE");
	}
	svg = history_chart(rep);
	tpl_set(d, "SVG", svg);
	free(svg);
	for (int c = 0; c < cols; c++) {
		cl = tpl_row(d, "COL");
		tpl_set(cl, "LABEL", history_head[c]);
		tpl_set(cl, "ALIGN", c < 2 ? "text" : "num");
	}
	for (size_t i = 0; i <= rep->history->n; i++) {
		row = tpl_row(d, "ROW");
		if (i == 0)
			tpl_show(row, "THIS");
		history_row(rep, i, cells);
		for (int c = 0; c < cols; c++) {
			cl = tpl_row(row, "CELL");
			tpl_set(cl, "V", cells[c]);
			tpl_set(cl, "ALIGN", c < 2 ? "text" : "num");
		}
	}
}

void
history_pdf(struct pdf_layout *l, const struct report *rep)
{
	static const double weight[HISTORY_COLS] = { 0.2, 0.14, 0.08, 0.14, 0.12, 0.16, 0.16 };
	static const bool right[HISTORY_COLS] = { false, false, true, true, true, true, true };
	struct pdf_table t = { HISTORY_COLS, history_head, weight, right, 8, 0, 0 };
	char cells[HISTORY_COLS][32], *text;
	const char *row[HISTORY_COLS];

	if (rep->history == NULL)
		return;
	if (!history_has_gpus(rep))
		t.ncols--;
	pdf_heading(l, 1, "This run against your earlier runs", 60);
	if (rep->history->sentence != NULL) {
		text = xasprintf("Energy per node-hour of this run: %s.", rep->history->sentence);
		pdf_paragraph(l, 9, INK, text);
		free(text);
	}
	pdf_table_header(l, &t);
	for (size_t i = 0; i <= rep->history->n; i++) {
		history_row(rep, i, cells);
		for (int c = 0; c < HISTORY_COLS; c++)
			row[c] = cells[c];
		pdf_table_row(l, &t, row, i == 0, NULL);
	}
}
