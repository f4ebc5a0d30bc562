/*
 * chart_heatmap.c - input power per node over time (multi-node jobs): a node x
 * time grid in the heat scale with its colour bar and read-outs.
 */
#include "chart_kinds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_share.h"
#include "chart_style.h"
#include "error.h"

static void
heat_range(const struct timeline *tl, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t i = 0; i < tl->nnodes * (size_t)tl->heat_buckets; i++)
		if (!isnan(tl->heat[i])) {
			*lo = fmin(*lo, tl->heat[i]);
			*hi = fmax(*hi, tl->heat[i]);
		}
}

/* Decimals of a tick label ("2.5" has 1). */
static int
label_decimals(const char *label)
{
	const char *dot = strchr(label, '.');

	return dot == NULL ? 0 : (int)strlen(dot + 1);
}

static void
bar_tick(struct ticks *t, double v, int decimals)
{
	t->v[t->n] = v;
	snprintf(t->label[t->n], sizeof t->label[0], "%.*f", decimals, v);
	t->sub[t->n][0] = '\0';
	t->n++;
}

/* Ticks of a colour bar from lo to hi (in the unit shown): both ends,
 * labelled with their values, and between them the round values that keep
 * min_gap clear of the ends and of each other, or the middle when none
 * does, so the scale always reads from three labels on. */
static void
bar_ticks(double lo, double hi, double min_gap, int maxn, struct ticks *t)
{
	struct ticks r;
	int decimals, inner = 0;

	axis_value_ticks(lo, hi, maxn, &r);
	decimals = r.n > 1 ? label_decimals(r.label[1]) : 0;
	t->n = 0;
	bar_tick(t, lo, decimals);
	if (!(hi > lo))
		return;
	for (int i = 0; i < r.n && t->n < AXIS_MAX_TICKS - 1; i++)
		if (r.v[i] - t->v[t->n - 1] >= min_gap && hi - r.v[i] >= min_gap) {
			bar_tick(t, r.v[i], decimals);
			inner++;
		}
	if (inner == 0)
		bar_tick(t, (lo + hi) / 2, decimals + 1);
	bar_tick(t, hi, decimals);
}

/* Vertical colour bar from lo (bottom) to hi (top) with value ticks. */
static void
draw_colour_bar(struct draw *d, const struct style *st, double x, double y0,
    double y1, double lo, double hi, double scale)
{
	unsigned cells[64];
	double bw = st->fs * 1.1, span = (hi - lo) * scale;
	struct ticks t;

	for (int i = 0; i < 64; i++)
		cells[i] = chart_heat_colour(1 - (i + 0.5) / 64);
	draw_image(d, cells, 1, 64, x, y0, bw, y1 - y0);
	bar_ticks(lo * scale, hi * scale,
	    span * st->fs * 1.5 / fmax(y1 - y0, 1),
	    (int)((y1 - y0) / (st->fs * 2.5)) + 1, &t);
	for (int i = 0; i < t.n; i++) {
		double f = span > 0 ? (t.v[i] - lo * scale) / span : 0.5;
		double y = y1 - f * (y1 - y0);

		draw_segment(d, x + bw, y, x + bw + st->fs * 0.4, y, AXIS, 1);
		draw_text(d, x + bw + st->fs * 0.6, y, t.label[i], &st->small,
		    INK,
		    DRAW_LEFT, DRAW_MIDDLE, 0);
	}
	draw_text(d, x, y0 - st->fs * 0.8, scale < 1 ? "kW" : "W", &st->bold,
	    INK,
	    DRAW_LEFT, DRAW_BOTTOM, 0);
	draw_rect(d, x, y1 + st->fs * 1.2, bw, st->fs, NODATA);
	draw_text(d, x + bw + st->fs * 0.6, y1 + st->fs * 1.7, "no data",
	    &st->small, INK, DRAW_LEFT, DRAW_MIDDLE, 0);
}

/* Read-outs over the heatmap: nodes x time stretches, at most HEAT_TIPS in
 * all and HEAT_STRETCHES per row; beyond HEAT_TIPS nodes one read-out
 * spans several adjacent rows. */
#define HEAT_TIPS 768
#define HEAT_STRETCHES 24

/* Read-out of rows r0..r1-1 and heat buckets b0..b1-1: the nodes, the
 * stretch of time, mean and highest input power there. */
static void
heat_tip(struct draw *d, const struct frame *f, const struct timeline *tl,
    size_t r0, size_t r1, int b0, int b1, double scale)
{
	int hb = tl->heat_buckets, n = 0;
	double sum = 0, peak = NAN, row = (f->y1 - f->y0) / tl->nnodes;
	double x0 = f->x0 + (f->x1 - f->x0) * b0 / hb;
	double x1 = f->x0 + (f->x1 - f->x0) * b1 / hb;
	char from[32], to[32], mean[32], max[32], *text;

	for (size_t r = r0; r < r1; r++)
		for (int b = b0; b < b1; b++) {
			double v = tl->heat[r * hb + b];

			if (isnan(v))
				continue;
			sum += v;
			peak = fmax(peak, v);	/* fmax skips the NAN */
			n++;
		}
	axis_format_time(f->start + (f->end - f->start) * b0 / hb,
	    chart_tip_time_format(f), from, sizeof from);
	axis_format_time(f->start + (f->end - f->start) * b1 / hb,
	    chart_tip_time_format(f), to, sizeof to);
	units_power(n ? sum / n : NAN, scale, mean, sizeof mean);
	units_power(peak, scale, max, sizeof max);
	text = xasprintf("%s%s%s · %s–%s — mean %s, max %s", tl->node_names[r0],
	    r1 - r0 > 1 ? " … " : "", r1 - r0 > 1 ? tl->node_names[r1 - 1] : "",
	    from, to, mean, max);
	draw_tip_area(d, x0, f->y0 + row * r0, x1 - x0, row * (r1 - r0), text);
	free(text);
}

static void
draw_heat_tips(struct draw *d, const struct frame *f, const struct timeline *tl,
    double scale)
{
	size_t nn = tl->nnodes, band = (nn + HEAT_TIPS - 1) / HEAT_TIPS;
	size_t per_row = HEAT_TIPS / ((nn + band - 1) / band);
	int ns = (int)fmin(fmin(per_row, HEAT_STRETCHES), tl->heat_buckets);

	if (!draw_has_tips(d))
		return;
	for (size_t r = 0; r < nn; r += band)
		for (int s = 0; s < ns; s++)
			heat_tip(d, f, tl, r, r + band < nn ? r + band : nn,
			    s * tl->heat_buckets / ns,
			    (s + 1) * tl->heat_buckets / ns,
			    scale);
}

void
chart_heatmap(struct draw *d, const struct report *rep)
{
	struct style st = chart_style_for(d);
	const struct timeline *tl = &rep->tl;
	size_t nn = tl->nbuckets > 0 ? tl->nnodes : 0;
	int hb = tl->heat_buckets;
	double lo, hi, scale, legw, top, row;
	unsigned *cells;
	char *title;
	struct frame f;

	title = xasprintf("Input power per node, job %s", rep->job->id);
	top = chart_header(d, &st, rep, title) + st.fs * 1.5;
	free(title);
	if (st.narrow)	/* rows as high as the nodes need, within reason */
		d->h = top + fmin(fmax(rep->nnodes * 10.0, 150), 640) +
		    chart_time_axis_height(&st) + st.pad;
	f.start = chart_window_start(rep);
	f.end = chart_window_end(rep);
	f.vmax = 1;
	f.y0 = top;
	f.y1 = d->h - st.pad - chart_time_axis_height(&st);
	f.x0 = st.pad + chart_node_labels_width(d, &st, rep);
	legw = draw_text_width(d, "0000.0", &st.small) + st.fs * 3;
	f.x1 = d->w - st.pad - legw - st.fs;
	heat_range(tl, &lo, &hi);
	if (nn == 0 || lo > hi) {
		draw_rect(d, f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0, NODATA);
		chart_message(d, &st, (f.x0 + f.x1) / 2, (f.y0 + f.y1) / 2,
		    "No input power readings");
		chart_time_axis(d, &st, &f, false);
		return;
	}
	scale = units_power_scale(hi);
	cells = xmalloc(nn * hb * sizeof *cells);
	for (size_t i = 0; i < nn * (size_t)hb; i++)
		cells[i] = isnan(tl->heat[i]) ? NODATA :
		    chart_heat_colour(hi > lo ? (tl->heat[i] - lo) / (hi - lo) : 0.5);
	draw_image(d, cells, hb, (int)nn, f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0);
	free(cells);
	draw_heat_tips(d, &f, tl, scale);
	chart_share_strips(d, &f, rep);
	row = (f.y1 - f.y0) / nn;
	chart_node_labels(d, &st, rep, f.x0 - st.fs * 0.5, f.y0, row);
	chart_time_axis(d, &st, &f, false);
	draw_colour_bar(d, &st, d->w - st.pad - legw, f.y0 + st.fs * 1.2,
	    fmin(f.y1 - st.fs * 3, f.y0 + st.fs * 22), lo, hi, scale);
	chart_share_legend(d, &st, rep, d->w - st.pad - legw,
	    fmin(f.y1 - st.fs * 3, f.y0 + st.fs * 22) + st.fs * 2.8);
}
