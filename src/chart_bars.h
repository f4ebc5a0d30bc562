/*
 * chart_bars.h - a small bar chart as SVG (through draw.h): a value grid
 * from zero, one bar per item with a hover read-out, labels under some
 * bars, an optional dashed reference line.  The per-day chart of a summary
 * and the earlier-runs chart of a report.
 */
#ifndef PR_CHART_BARS_H
#define PR_CHART_BARS_H

#include <stddef.h>

struct bar {
	double value;		/* NAN: no bar */
	unsigned colour;	/* 0xRRGGBB */
	const char *label;	/* under the bar, or NULL */
	char *tip;		/* hover read-out (malloc'd; freed by chart_bars_svg) */
};

/* SVG text (malloc'd) of a w x h chart of n bars; ref: a dashed line at that
 * value (NAN: none); unit: written above the value axis, or NULL. */
char *chart_bars_svg(double w, double h, struct bar *bars, size_t n, double ref,
    const char *unit);

#endif
