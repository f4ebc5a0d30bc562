/*
 * chart_style.h - what every chart of a report shares: the colours of
 * chart_palette.h, font sizes for the canvas, the header, legends, the
 * time axis, node labels and shares (energy and power as units.h writes
 * them).
 */
#ifndef PR_CHART_STYLE_H
#define PR_CHART_STYLE_H

#include <stdbool.h>
#include <stddef.h>

#include "chart_axes.h"
#include "chart_palette.h"
#include "draw.h"
#include "report.h"
#include "units.h"

/* The parts of the energy breakdown, in the order rings, bars and legends
 * show them (the total is their sum, shown apart). */
#define NPARTS 7
extern const enum component chart_parts[NPARTS];

/* Width of the narrow variant of a chart (chart_svg_narrow): a 390 px
 * phone screen less the page's margins, where it shows at scale 1, so no
 * text is under 9 px. */
#define CHART_NARROW_W 366

/* Font sizes and spacing for a canvas: 13 units on a PNG of 1200 x 600,
 * smaller in the boxes of a printed page.  A narrow canvas (a phone's
 * width, charts.h) keeps every text at least 9 units high, puts legends
 * under the plot and sets its own height. */
struct style {
	double fs, pad;
	bool narrow;
	struct draw_font body, small, bold, title;
};

/* One entry of a legend: a short line (dash pattern) or a box, and the
 * read-out of the entry (malloc'd) or NULL. */
struct legend_item {
	const char *label;
	unsigned colour;
	const double *dash;
	int ndash;
	bool box;
	char *tip;
};

/* Plot area and axis mapping shared by the time charts. */
struct frame {
	double x0, y0, x1, y1;	/* plot area */
	double vmax;		/* value at y0 (value axis from 0) */
	usec_t start, end;
};

struct style chart_style_for(const struct draw *d);

/* "23.9 %" (cut, as units_percent), "< 0.1 %" for a share too small to
 * show. */
void chart_format_share(double share, char *buf, size_t size);

/* The window the charts span: the timeline's, else the job's. */
usec_t chart_window_start(const struct report *rep);
usec_t chart_window_end(const struct report *rep);

/* Title, and under it the job's window and size in grey; returns the y
 * below them. */
double chart_header(struct draw *d, const struct style *st,
    const struct report *rep,
    const char *title);

/* A message centred at (cx, cy) where a chart has nothing to show. */
void chart_message(struct draw *d, const struct style *st, double cx, double cy,
    const char *msg);

/* Width a legend of these entries needs. */
double chart_legend_width(struct draw *d, const struct style *st,
    const struct legend_item *items, size_t n);

/* Draws the entries side by side from (x, y), wrapping within width w,
 * when draw (else only measures); returns the height they take. */
double chart_legend_rows(struct draw *d, const struct style *st, double x,
    double y, double w, const struct legend_item *items, size_t n, bool draw);

/* Draws the entries from (x, y) down, within width w; returns the y below. */
double chart_legend(struct draw *d, const struct style *st, double x, double y,
    double w, const struct legend_item *items, size_t n);

/* Canvas x of a time (from the frame start), y of a value. */
double frame_x(const struct frame *f, double usec_from_start);
double frame_y(const struct frame *f, double v);

/* strftime format of a moment in a read-out, as fine as the window needs. */
const char *chart_tip_time_format(const struct frame *f);

/* Time ticks, grid and labels under the plot area of f. */
void chart_time_axis(struct draw *d, const struct style *st,
    const struct frame *f,
    bool grid);

/* Space under a plot area for chart_time_axis. */
double chart_time_axis_height(const struct style *st);

/* Left label column of the node charts: every k-th node name so that
 * labels never overlap.  Returns the column width. */
double chart_node_labels_width(struct draw *d, const struct style *st,
    const struct report *rep);

/* The node names right-aligned at x_right, rows of height row from y0. */
void chart_node_labels(struct draw *d, const struct style *st,
    const struct report *rep,
    double x_right, double y0, double row);

#endif
