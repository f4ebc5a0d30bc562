/*
 * charts.h - the charts of a report, drawn once against the drawing
 * interface (draw.h) and rendered to PNG (cairo + libpng), PDF (libharu)
 * and SVG (for report.html).  render_charts() in render.h writes the chart
 * files; these entry points let the HTML and PDF reports embed the same
 * drawings (report.pdf through chart_file.h, which alone brings libharu).
 */
#ifndef PR_CHARTS_H
#define PR_CHARTS_H

#include <stdbool.h>

#include "report.h"

enum chart_kind {
	CHART_TIMESERIES,	/* power over time per component / GPU */
	CHART_PIE,		/* energy share ring, job id and kWh in the centre */
	CHART_NODE_HEATMAP,	/* node x time input power (multi-node jobs) */
	CHART_NODE_ENERGY,	/* per-node stacked energy bars (multi-node jobs) */
	CHART_N
};

struct draw;

/* Draw the chart on d, sized to its canvas. */
void chart_draw(struct draw *d, const struct report *rep, enum chart_kind kind);

/* Whether the chart is part of this report (per-node views only for
 * multi-node jobs). */
bool chart_applies(const struct report *rep, enum chart_kind kind);

/* The chart as a standalone <svg> element (malloc'd UTF-8), w x h user units. */
char *chart_svg(const struct report *rep, enum chart_kind kind, double w, double h);

/* The chart as an <svg> element for a phone's width (CHART_NARROW_W in
 * chart_style.h), legends under the plot, as high as it needs, without
 * hover read-outs (malloc'd). */
char *chart_svg_narrow(const struct report *rep, enum chart_kind kind);

/* One sentence saying what the chart shows, for its caption in
 * report.html and report.pdf. */
const char *chart_caption(enum chart_kind kind);

/* The chart for report.html: the w x h variant and the narrow one, each in
 * a <div class="wide|narrow"> that report.css shows by screen width
 * (malloc'd). */
char *chart_html(const struct report *rep, enum chart_kind kind, double w,
    double h);

#endif
