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

#include "chart_bars.h"
#include "chart_palette.h"
#include "error.h"
#include "pdf_layout.h"
#include "template_shim.h"

#define CHART_W 560.0
#define CHART_H 180.0
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
	size_t n = rep->history->n + 1, i;
	struct bar *bars = xcalloc(n, sizeof *bars);
	char *svg;

	for (size_t k = 0; k < n; k++) {
		i = k == n - 1 ? 0 : n - 1 - k;	/* run n-1 ... run 1, then this run (0) */
		bars[k].value = value_of(rep, i);
		bars[k].colour = i == 0 ? chart_component_colour(COMP_CPU) : EARLIER;
		bars[k].tip = xasprintf("%s: %.3f kWh per node-hour", i == 0 ? "this run" :
		    rep->history->runs[i - 1].id, bars[k].value);
	}
	svg = chart_bars_svg(CHART_W, CHART_H, bars, n, rep->history->median, NULL);
	free(bars);
	return svg;
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
