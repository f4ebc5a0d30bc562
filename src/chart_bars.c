/*
 * chart_bars.c - the small bar charts of summaries and earlier runs, drawn
 * once against draw.h into its SVG backend (chart_bars.h).
 */
#include "chart_bars.h"

#include <math.h>
#include <stdlib.h>

#include "chart_axes.h"
#include "chart_palette.h"
#include "draw_svg.h"

#define LEFT 52.0		/* room for the value labels */
#define BOTTOM 26.0		/* room for the bar labels */
#define TOP 16.0

char *
chart_bars_svg(double w, double h, struct bar *bars, size_t n, double ref,
    const char *unit)
{
	static const double dash[2] = { 4, 3 };
	struct draw_font small = { 10, false };
	double x0 = LEFT, x1 = w - 8, y0 = h - BOTTOM, y1 = TOP, max = 0, top, bw, bh, y;
	struct draw *d = draw_svg_new(w, h);
	struct ticks t;

	for (size_t i = 0; i < n; i++)
		if (!isnan(bars[i].value))
			max = fmax(max, bars[i].value);
	top = axis_value_ticks(0, max > 0 ? max : 1, 5, &t);
	for (int k = 0; k < t.n; k++) {
		y = y0 - (y0 - y1) * t.v[k] / top;
		draw_segment(d, x0, y, x1, y, GRID, 1);
		draw_text(d, x0 - 5, y, t.label[k], &small, MUTED, DRAW_RIGHT, DRAW_MIDDLE, 0);
	}
	if (unit != NULL)
		draw_text(d, 4, y1 - 4, unit, &small, MUTED, DRAW_LEFT, DRAW_BOTTOM, 0);
	bw = (x1 - x0) / (double)(n > 0 ? n : 1);
	for (size_t i = 0; i < n; i++) {
		double x = x0 + bw * (double)i;

		if (!isnan(bars[i].value)) {
			bh = (y0 - y1) * bars[i].value / top;
			draw_tip_begin(d, "%s", bars[i].tip != NULL ? bars[i].tip : "");
			draw_rect(d, x + bw * 0.12, y0 - bh, bw * 0.76, bh, bars[i].colour);
			draw_tip_end(d);
		}
		if (bars[i].label != NULL)
			draw_text(d, x + bw / 2, y0 + 6, bars[i].label, &small, MUTED, DRAW_CENTER,
			    DRAW_TOP, 0);
		free(bars[i].tip);
		bars[i].tip = NULL;
	}
	if (!isnan(ref)) {
		y = y0 - (y0 - y1) * ref / top;
		draw_move(d, x0, y);
		draw_line(d, x1, y);
		draw_stroke_dashed(d, INK, 1, dash, 2);
	}
	draw_segment(d, x0, y0, x1, y0, AXIS, 1);
	return draw_svg_finish(d);
}
