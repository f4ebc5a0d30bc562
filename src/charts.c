/*
 * charts.c - every chart of a report, described once against draw.h:
 * power over time, the energy ring, the node x time heatmap of input power
 * and the per-node energy bars.  The same function draws the PNG file, the
 * vector chart of report.pdf and the SVG of report.html, so they cannot
 * drift apart.  Sizes follow the canvas; colours come from
 * assets/palette.def and are the same for a component in every chart.
 * Slices, bars, heatmap stretches, legend entries and moments of the time
 * series carry hover read-outs (draw_tip_*), which only the SVG shows.
 */
#include "charts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_axes.h"
#include "draw.h"
#include "error.h"
#include "render.h"
#include "strbuf.h"

#define INK 0x222222
#define MUTED 0x666666
#define GRID 0xE6E6E6
#define AXIS 0x8C8C8C
#define NODATA 0xE3E3E3
#define WHITE 0xFFFFFF
#define MISSING 0xDDDDDD	/* shading where samples are missing */

/* The tables of assets/palette.def, one X-macro pass each. */
#define COMPONENT(k, c)
#define HEAT(c)
#define ROLE(r, c) [r] = c,
static const unsigned role_colour[ROLE_N] = {
#include "../assets/palette.def"
};
#undef ROLE
#undef COMPONENT
#define ROLE(r, c)
#define COMPONENT(k, c) [k] = c,
static const unsigned comp_colour[COMP_N] = {
#include "../assets/palette.def"
};
#undef COMPONENT
#undef HEAT
#define COMPONENT(k, c)
#define HEAT(c) c,
static const unsigned heat_scale[] = {
#include "../assets/palette.def"
};
#undef COMPONENT
#undef HEAT
#undef ROLE

#define NHEAT (sizeof heat_scale / sizeof *heat_scale)

/* The parts of the energy breakdown, in the order rings, bars and legends
 * show them (the total is their sum, shown apart). */
static const enum component parts[] = {
	COMP_CPU, COMP_MEMORY, COMP_STORAGE, COMP_FAN, COMP_GPU, COMP_PSU_LOSS,
	COMP_OTHERS,
};
#define NPARTS (sizeof parts / sizeof *parts)

unsigned
chart_role_colour(enum metric_role role)
{
	return role >= 0 && role < ROLE_N ? role_colour[role] : INK;
}

unsigned
chart_component_colour(enum component comp)
{
	return comp >= 0 && comp < COMP_N ? comp_colour[comp] : INK;
}

bool
chart_applies(const struct report *rep, enum chart_kind kind)
{
	switch (kind) {
	case CHART_TIMESERIES:
	case CHART_PIE:
		return true;
	case CHART_NODE_HEATMAP:
	case CHART_NODE_ENERGY:
		return rep->nnodes > 1;
	default:
		return false;
	}
}

/* Font sizes and spacing for a canvas: 13 units on a PNG of 1200 x 600,
 * smaller in the boxes of a printed page. */
struct style {
	double fs, pad;
	struct draw_font body, small, bold, title;
};

static struct style
style_for(const struct draw *d)
{
	struct style st;
	double fs = fmin(d->w / 85, d->h / 24);

	fs = fmax(7, fmin(13, fs));
	st.fs = fs;
	st.pad = fs;
	st.body = (struct draw_font){ fs, false };
	st.small = (struct draw_font){ fs * 0.88, false };
	st.bold = (struct draw_font){ fs, true };
	st.title = (struct draw_font){ fs * 1.25, true };
	return st;
}

static unsigned
mix(unsigned a, unsigned b, double t)
{
	unsigned out = 0;

	for (int s = 0; s <= 16; s += 8) {
		double ca = (a >> s) & 0xFF, cb = (b >> s) & 0xFF;

		out |= (unsigned)lround(ca + (cb - ca) * t) << s;
	}
	return out;
}

static unsigned
heat_colour(double f)
{
	double x = fmax(0, fmin(1, f)) * (NHEAT - 1);
	int i = (int)x;

	if (i >= (int)NHEAT - 1)
		return heat_scale[NHEAT - 1];
	return mix(heat_scale[i], heat_scale[i + 1], x - i);
}

/* Energy in kWh (or Wh when ref, the largest figure shown with it, is
 * below 1 kWh) with decimals for about three significant digits of ref. */
static void
format_energy(double j, double ref, char *buf, size_t size)
{
	double kwh = joules_to_kwh(ref), v = joules_to_kwh(j);
	const char *unit = "kWh";
	int dec;

	if (kwh < 1) {
		kwh *= 1000;
		v *= 1000;
		unit = "Wh";
	}
	dec = kwh >= 100 ? 0 : kwh >= 10 ? 1 : 2;
	snprintf(buf, size, "%.*f %s", dec, v, unit);
}

/* Power for a read-out: watts, or kW when scale (of the chart's axis) is
 * below 1; "no data" for NAN. */
static void
format_power(double w, double scale, char *buf, size_t size)
{
	if (isnan(w))
		snprintf(buf, size, "no data");
	else if (scale < 1)
		snprintf(buf, size, "%.2f kW", w * scale);
	else
		snprintf(buf, size, "%.0f W", w);
}

static void
format_share(double share, char *buf, size_t size)
{
	if (share > 0 && share < 0.001)
		snprintf(buf, size, "<0.1 %%");
	else
		snprintf(buf, size, "%.1f %%", share * 100);
}

static usec_t
window_start(const struct report *rep)
{
	return rep->tl.nbuckets > 0 ? rep->tl.start : rep->job->start;
}

static usec_t
window_end(const struct report *rep)
{
	usec_t s = window_start(rep), e = rep->tl.nbuckets > 0 ? rep->tl.end : rep->job->end;

	return e > s ? e : s + 1;
}

/* Title, and under it the job's window and size in grey; returns the y
 * below them. */
static double
draw_header(struct draw *d, const struct style *st, const struct report *rep,
    const char *title)
{
	usec_t s = window_start(rep), e = window_end(rep);
	char from[40], to[40], dur[32], zone[32], *line, *fit;

	axis_format_time(s, "%a %b %d %Y %H:%M", from, sizeof from);
	axis_format_time(e, (e - s) / USEC_PER_SEC < 86400 ? "%H:%M" :
	    "%b %d %H:%M", to, sizeof to);
	time_format_duration(e - s, dur, sizeof dur);
	axis_zone_name(s, e, zone, sizeof zone);
	fit = draw_fit_text(d, title, &st->title, d->w - 2 * st->pad);
	draw_text(d, st->pad, st->pad, fit, &st->title, INK, DRAW_LEFT, DRAW_TOP, 0);
	free(fit);
	line = xasprintf("%s – %s %s (%s), %zu node%s", from, to, zone, dur,
	    rep->nnodes, rep->nnodes == 1 ? "" : "s");
	fit = draw_fit_text(d, line, &st->small, d->w - 2 * st->pad);
	draw_text(d, st->pad, st->pad + st->fs * 1.25 + st->fs * 0.7, fit,
	    &st->small, MUTED, DRAW_LEFT, DRAW_TOP, 0);
	free(fit);
	free(line);
	return st->pad + st->fs * 3.4;
}

static void
draw_message(struct draw *d, const struct style *st, double cx, double cy,
    const char *msg)
{
	draw_text(d, cx, cy, msg, &st->bold, MUTED, DRAW_CENTER, DRAW_MIDDLE, 0);
}

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

static double
legend_width(struct draw *d, const struct style *st,
    const struct legend_item *items, size_t n)
{
	double w = 0;

	for (size_t i = 0; i < n; i++)
		w = fmax(w, draw_text_width(d, items[i].label, &st->body));
	return w + st->fs * 2.6;
}

/* Draws the entries from (x, y) down, within width w; returns the y below. */
static double
draw_legend(struct draw *d, const struct style *st, double x, double y,
    double w, const struct legend_item *items, size_t n)
{
	double row = st->fs * 1.6, sw = st->fs * 1.8;

	for (size_t i = 0; i < n; i++) {
		double cy = y + row * (i + 0.5);
		char *fit = draw_fit_text(d, items[i].label, &st->body, w - sw - st->fs * 0.6);

		if (items[i].tip != NULL)
			draw_tip_begin(d, "%s", items[i].tip);
		if (items[i].box) {
			draw_rect(d, x + sw * 0.2, cy - st->fs * 0.45, sw * 0.6,
			    st->fs * 0.9, items[i].colour);
		} else {
			draw_move(d, x, cy);
			draw_line(d, x + sw, cy);
			draw_stroke_dashed(d, items[i].colour, st->fs * 0.2,
			    items[i].dash, items[i].ndash);
		}
		draw_text(d, x + sw + st->fs * 0.6, cy, fit, &st->body, INK,
		    DRAW_LEFT, DRAW_MIDDLE, 0);
		if (items[i].tip != NULL)
			draw_tip_end(d);
		free(fit);
	}
	return y + row * n;
}

/* Plot area and axis mapping shared by the time charts. */
struct frame {
	double x0, y0, x1, y1;	/* plot area */
	double vmax;		/* value at y0 (value axis from 0) */
	usec_t start, end;
};

static double
frame_x(const struct frame *f, double usec_from_start)
{
	return f->x0 + usec_from_start / (double)(f->end - f->start) * (f->x1 - f->x0);
}

static double
frame_y(const struct frame *f, double v)
{
	return f->y1 - v / f->vmax * (f->y1 - f->y0);
}

/* strftime format of a moment in a read-out, as fine as the window needs. */
static const char *
tip_time_format(const struct frame *f)
{
	usec_t span = f->end - f->start;

	return span < 3600 * USEC_PER_SEC ? "%H:%M:%S" :
	    span < 86400 * USEC_PER_SEC ? "%H:%M" : "%b %d %H:%M";
}

/* Time ticks, grid and labels under the plot area of f. */
static void
draw_time_axis(struct draw *d, const struct style *st, const struct frame *f,
    bool grid)
{
	struct ticks t;
	char zone[32], *title;
	double spacing = draw_text_width(d, "Wed Nov 25", &st->small) + st->fs * 1.5;

	axis_time_ticks(f->start, f->end, (int)((f->x1 - f->x0) / spacing) + 1, &t);
	for (int i = 0; i < t.n; i++) {
		double x = frame_x(f, t.v[i]);
		enum draw_halign ha = DRAW_CENTER;

		if (grid)
			draw_segment(d, x, f->y0, x, f->y1, GRID, 1);
		draw_segment(d, x, f->y1, x, f->y1 + st->fs * 0.4, AXIS, 1);
		/* Keep the edge labels inside the canvas. */
		if (x - draw_text_width(d, t.label[i], &st->small) / 2 < 0)
			ha = DRAW_LEFT;
		else if (x + draw_text_width(d, t.sub[i], &st->small) / 2 > d->w)
			ha = DRAW_RIGHT;
		draw_text(d, x, f->y1 + st->fs * 0.6, t.label[i], &st->small, INK,
		    ha, DRAW_TOP, 0);
		if (t.sub[i][0] != '\0')
			draw_text(d, x, f->y1 + st->fs * 1.85, t.sub[i], &st->small,
			    MUTED, ha, DRAW_TOP, 0);
	}
	axis_zone_name(f->start, f->end, zone, sizeof zone);
	title = xasprintf("Time (%s)", zone);
	draw_text(d, (f->x0 + f->x1) / 2, f->y1 + st->fs * 3.2, title, &st->body,
	    INK, DRAW_CENTER, DRAW_TOP, 0);
	free(title);
}

/* Space under a plot area for draw_time_axis. */
static double
time_axis_height(const struct style *st)
{
	return st->fs * 4.6;
}

/* Colour and dash of line i of the time series: the role's colour; GPU
 * lines vary in shade and dash so that up to TL_MAX_GPU_LINES stay apart. */
static void
line_style(const struct timeline *tl, size_t i, struct legend_item *it)
{
	static const double dashes[][4] = { { 0 }, { 6, 3 }, { 2, 2 }, { 8, 3, 2, 3 } };
	static const int ndashes[] = { 0, 2, 2, 4 };
	static const double out_dash[] = { 6, 3 };
	const struct tl_line *l = &tl->lines[i];
	size_t gpu = 0;

	it->label = l->label;
	it->colour = chart_role_colour(l->role);
	it->dash = NULL;
	it->ndash = 0;
	it->box = false;
	it->tip = NULL;
	if (l->role == ROLE_OUTPUT) {
		it->dash = out_dash;
		it->ndash = 2;
	}
	if (l->role != ROLE_GPU)
		return;
	for (size_t j = 0; j < i; j++)
		gpu += tl->lines[j].role == ROLE_GPU;
	it->colour = mix(it->colour, 0x000000, (gpu / 4) * 0.45);
	it->dash = ndashes[gpu % 4] ? dashes[gpu % 4] : NULL;
	it->ndash = ndashes[gpu % 4];
}

/* Value axis from 0 to at least vmax with round ticks and grid; labels
 * right-aligned at x.  Returns the axis top. */
static double
value_ticks(const struct style *st, double vmax, double height, struct ticks *t)
{
	return axis_value_ticks(0, vmax > 0 ? vmax : 1,
	    (int)(height / (st->fs * 2.6)) + 1, t);
}

static double
ticks_width(struct draw *d, const struct style *st, const struct ticks *t)
{
	double w = 0;

	for (int i = 0; i < t->n; i++)
		w = fmax(w, draw_text_width(d, t->label[i], &st->small));
	return w;
}

static void
draw_series_line(struct draw *d, const struct style *st, const struct frame *f,
    const struct timeline *tl, const struct tl_line *l,
    const struct legend_item *it, double scale)
{
	int nb = tl->nbuckets;
	double bw = (double)(tl->end - tl->start) / nb;

	/* Envelope band: max forward, min back, per run of buckets with data. */
	for (int i = 0; i < nb;) {
		int j = i;

		if (isnan(l->mean[i])) {
			i++;
			continue;
		}
		while (j + 1 < nb && !isnan(l->mean[j + 1]))
			j++;
		for (int k = i; k <= j; k++)
			(k == i ? draw_move : draw_line)(d, frame_x(f, (k + 0.5) * bw),
			    frame_y(f, l->hi[k] * scale));
		for (int k = j; k >= i; k--)
			draw_line(d, frame_x(f, (k + 0.5) * bw), frame_y(f, l->lo[k] * scale));
		draw_close(d);
		draw_fill_alpha(d, it->colour, 0.14);
		/* The mean; a lone bucket (one sample) as a dot. */
		if (j == i) {
			draw_arc(d, frame_x(f, (i + 0.5) * bw), frame_y(f, l->mean[i] * scale),
			    st->fs * 0.25, 0, 2 * M_PI, false);
			draw_fill(d, it->colour);
		} else {
			for (int k = i; k <= j; k++)
				(k == i ? draw_move : draw_line)(d,
				    frame_x(f, (k + 0.5) * bw), frame_y(f, l->mean[k] * scale));
			draw_stroke_dashed(d, it->colour, st->fs * 0.13, it->dash, it->ndash);
		}
		i = j + 1;
	}
}

/* Shade level 0..4 of a bucket where some series had no samples. */
static int
missing_level(const struct timeline *tl, int i)
{
	return tl->missing == NULL ? 0 :
	    (int)ceil(fmin(1, tl->missing[i]) * 4 - 0.004);
}

static bool
has_missing(const struct timeline *tl)
{
	for (int i = 0; i < tl->nbuckets; i++)
		if (missing_level(tl, i) > 0)
			return true;
	return false;
}

/* Shade the buckets where some series had no samples (bridged lines). */
static void
draw_missing(struct draw *d, const struct frame *f, const struct timeline *tl)
{
	double bw = (double)(tl->end - tl->start) / tl->nbuckets;

	/* Runs of buckets with the same shade (quarters of the series) as
	 * one rectangle each, so no seams show between them. */
	for (int i = 0, j; i < tl->nbuckets; i = j) {
		int level = missing_level(tl, i);

		for (j = i + 1; j < tl->nbuckets && missing_level(tl, j) == level; j++)
			;
		if (level <= 0)
			continue;
		draw_rect_path(d, frame_x(f, i * bw), f->y0,
		    frame_x(f, j * bw) - frame_x(f, i * bw), f->y1 - f->y0);
		draw_fill_alpha(d, MISSING, 0.25 + 0.5 * level / 4);
	}
}

/* Read-out of a line's legend entry: its mean and peak over the window. */
static char *
line_tip(const struct timeline *tl, const struct tl_line *l, double scale)
{
	double sum = 0, peak = NAN;
	char mean[32], max[32];
	int n = 0;

	for (int b = 0; b < tl->nbuckets; b++) {
		if (isnan(l->mean[b]))
			continue;
		sum += l->mean[b];
		peak = fmax(peak, l->hi[b]);	/* fmax skips the NAN */
		n++;
	}
	format_power(n ? sum / n : NAN, scale, mean, sizeof mean);
	format_power(peak, scale, max, sizeof max);
	return xasprintf("%s — mean %s, peak %s", l->label, mean, max);
}

/* Invisible strips over the plot, at most TIP_STRIPS, each reading out
 * its moment and the value of every line there. */
#define TIP_STRIPS 100

static void
draw_time_strips(struct draw *d, const struct frame *f,
    const struct timeline *tl, double scale)
{
	int n = tl->nbuckets < TIP_STRIPS ? tl->nbuckets : TIP_STRIPS;
	double sw = (f->x1 - f->x0) / n;

	if (!draw_has_tips(d))
		return;
	for (int k = 0; k < n; k++) {
		int b = (int)((k + 0.5) * tl->nbuckets / n);
		usec_t t = tl->start + (usec_t)((b + 0.5) * (tl->end - tl->start) /
		    tl->nbuckets);
		struct strbuf text = { 0 };
		char when[32], v[32];

		axis_format_time(t, tip_time_format(f), when, sizeof when);
		strbuf_printf(&text, "%s %s", when, time_zone_abbrev(t));
		for (size_t i = 0; i < tl->nlines; i++) {
			format_power(tl->lines[i].mean[b], scale, v, sizeof v);
			strbuf_printf(&text, "\n%s: %s", tl->lines[i].label, v);
		}
		draw_tip_area(d, f->x0 + k * sw, f->y0, sw, f->y1 - f->y0, text.s);
		free(text.s);
	}
}

static double
timeline_max(const struct timeline *tl)
{
	double m = 0;

	for (size_t i = 0; i < tl->nlines; i++)
		for (int b = 0; b < tl->nbuckets; b++)
			if (!isnan(tl->lines[i].hi[b]))
				m = fmax(m, fmax(tl->lines[i].hi[b], tl->lines[i].mean[b]));
	return m;
}

static void
chart_timeseries(struct draw *d, const struct report *rep)
{
	struct style st = style_for(d);
	const struct timeline *tl = &rep->tl;
	size_t n = tl->nbuckets > 0 ? tl->nlines : 0;
	struct legend_item *items = xcalloc(n + 1, sizeof *items);
	bool missing = n > 0 && has_missing(tl);
	double vmax = n ? timeline_max(tl) : 0, scale = vmax >= 1e4 ? 1e-3 : 1;
	double legw, top, ly;
	char *title, note[2][64], bucket[32];
	struct frame f;
	struct ticks yt;

	title = xasprintf("Power of job %s", rep->job->id);
	top = draw_header(d, &st, rep, title) + st.fs;
	free(title);
	for (size_t i = 0; i < n; i++) {
		line_style(tl, i, &items[i]);
		if (draw_has_tips(d))
			items[i].tip = line_tip(tl, &tl->lines[i], scale);
	}
	if (missing)
		items[n] = (struct legend_item){ "Samples missing", MISSING, NULL, 0, true, NULL };
	snprintf(note[0], sizeof note[0], "Line: mean");
	snprintf(note[1], sizeof note[1], "Band: min–max");
	if (n > 0 && (tl->end - tl->start) / tl->nbuckets >= USEC_PER_SEC) {
		time_format_duration((tl->end - tl->start) / tl->nbuckets, bucket,
		    sizeof bucket);
		snprintf(note[0], sizeof note[0], "Line: mean per %s", bucket);
	}
	legw = legend_width(d, &st, items, n + missing);
	for (int i = 0; i < 2; i++)
		legw = fmax(legw, draw_text_width(d, note[i], &st.small));
	legw = fmin(legw, d->w * 0.3);
	f.start = window_start(rep);
	f.end = window_end(rep);
	f.y0 = top;
	f.y1 = d->h - st.pad - time_axis_height(&st);
	f.vmax = value_ticks(&st, vmax * scale * 1.04, f.y1 - f.y0, &yt);
	f.x0 = st.pad + st.fs * 1.8 + ticks_width(d, &st, &yt) + st.fs * 0.6;
	f.x1 = d->w - st.pad - legw - st.fs * 1.5;

	for (int i = 0; i < yt.n; i++) {
		double y = frame_y(&f, yt.v[i]);

		draw_segment(d, f.x0, y, f.x1, y, GRID, 1);
		draw_text(d, f.x0 - st.fs * 0.5, y, yt.label[i], &st.small, INK,
		    DRAW_RIGHT, DRAW_MIDDLE, 0);
	}
	draw_text(d, st.pad, (f.y0 + f.y1) / 2, scale < 1 ? "Power (kW)" : "Power (W)",
	    &st.body, INK, DRAW_CENTER, DRAW_TOP, 90);
	draw_time_axis(d, &st, &f, true);
	draw_segment(d, f.x0, f.y1, f.x1, f.y1, AXIS, 1);
	draw_segment(d, f.x0, f.y0, f.x0, f.y1, AXIS, 1);

	if (missing)
		draw_missing(d, &f, tl);
	draw_clip(d, f.x0, f.y0 - st.fs, f.x1 - f.x0, f.y1 - f.y0 + st.fs);
	/* Input last, on top of the parts. */
	for (size_t i = n; i-- > 0;)
		draw_series_line(d, &st, &f, tl, &tl->lines[i], &items[i], scale);
	draw_unclip(d);
	if (n == 0)
		draw_message(d, &st, (f.x0 + f.x1) / 2, (f.y0 + f.y1) / 2,
		    "No power readings in the job window");
	else if (vmax == 0)
		draw_text(d, f.x0 + st.fs, f.y0 + st.fs, "All readings are 0 W",
		    &st.bold, MUTED, DRAW_LEFT, DRAW_TOP, 0);
	if (n > 0)
		draw_time_strips(d, &f, tl, scale);

	ly = draw_legend(d, &st, d->w - st.pad - legw, top, legw, items, n + missing);
	for (int i = 0; i < 2 && n > 0; i++) {
		char *fit = draw_fit_text(d, note[i], &st.small, legw);

		draw_text(d, d->w - st.pad - legw, ly + st.fs * (1 + 1.3 * i), fit,
		    &st.small, MUTED, DRAW_LEFT, DRAW_TOP, 0);
		free(fit);
	}
	for (size_t i = 0; i < n; i++)
		free(items[i].tip);
	free(items);
}

/* ---- energy ring ---- */

struct slice {
	enum component comp;
	double share, a0, a1;
	char pct[16], energy[32];
	bool inside;		/* percentage fits on the ring */
	double ly;		/* outside label: y after spreading */
};

/* Slice, its label and its legend entry all read "CPU — 2.36 kWh, 24.0 %". */
static void
slice_tip_begin(struct draw *d, const struct slice *s)
{
	draw_tip_begin(d, "%s — %s, %s", component_label[s->comp], s->energy, s->pct);
}

static void
slice_path(struct draw *d, double cx, double cy, double r0, double r1,
    double a0, double a1)
{
	draw_arc(d, cx, cy, r1, a0, a1, false);
	draw_arc(d, cx, cy, r0, a1, a0, true);
	draw_close(d);
}

/* Spread outside labels on one side so they keep min_gap apart and stay
 * within [top, bottom]. */
static void
spread_labels(struct slice **s, int n, double min_gap, double top, double bottom)
{
	for (int i = 1; i < n; i++)	/* sort by wanted y */
		for (int j = i; j > 0 && s[j]->ly < s[j - 1]->ly; j--) {
			struct slice *t = s[j];

			s[j] = s[j - 1];
			s[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		if (s[i]->ly < top)
			s[i]->ly = top;
		if (i > 0 && s[i]->ly < s[i - 1]->ly + min_gap)
			s[i]->ly = s[i - 1]->ly + min_gap;
	}
	for (int i = n - 1; i >= 0; i--) {
		double limit = i == n - 1 ? bottom : s[i + 1]->ly - min_gap;

		if (s[i]->ly > limit)
			s[i]->ly = limit;
	}
}

static void
draw_outside_labels(struct draw *d, const struct style *st, struct slice *sl,
    int n, double cx, double cy, double r)
{
	struct slice *side[2][NPARTS];
	int ns[2] = { 0, 0 };

	for (int i = 0; i < n; i++) {
		double mid = (sl[i].a0 + sl[i].a1) / 2;
		int right = cos(mid) >= 0;

		if (sl[i].inside)
			continue;
		sl[i].ly = cy + (r + st->fs) * sin(mid);
		side[right][ns[right]++] = &sl[i];
	}
	for (int s = 0; s < 2; s++) {
		spread_labels(side[s], ns[s], st->fs * 1.35, cy - r - st->fs,
		    cy + r + st->fs);
		for (int i = 0; i < ns[s]; i++) {
			struct slice *p = side[s][i];
			double mid = (p->a0 + p->a1) / 2, dir = s ? 1 : -1;
			double ex = cx + dir * (r + st->fs * 1.6);
			char *label = xasprintf("%s %s", component_label[p->comp], p->pct);

			slice_tip_begin(d, p);
			draw_move(d, cx + r * cos(mid), cy + r * sin(mid));
			draw_line(d, cx + (r + st->fs * 0.6) * cos(mid),
			    cy + (r + st->fs * 0.6) * sin(mid));
			draw_line(d, ex, p->ly);
			draw_line(d, ex + dir * st->fs * 0.6, p->ly);
			draw_stroke(d, MUTED, 0.8);
			draw_text(d, ex + dir * st->fs * 0.9, p->ly, label, &st->small,
			    INK, s ? DRAW_LEFT : DRAW_RIGHT, DRAW_MIDDLE, 0);
			draw_tip_end(d);
			free(label);
		}
	}
}

/* Width of the widest outside label, to leave room beside the ring. */
static double
outside_label_width(struct draw *d, const struct style *st)
{
	return draw_text_width(d, "Storage 10.0 %", &st->small) + st->fs * 2.2;
}

static void
draw_ring_centre(struct draw *d, const struct style *st, const struct report *rep,
    double cx, double cy, double r0, double sum)
{
	char kwh[32], *id, *fit;
	double total = rep->energy_j[COMP_TOTAL];
	struct draw_font big = { st->fs * 1.9, true };

	id = xasprintf("Job %s", rep->job->id);
	fit = draw_fit_text(d, id, &st->bold, r0 * 1.7);
	draw_text(d, cx, cy - st->fs * 1.6, fit, &st->bold, MUTED, DRAW_CENTER,
	    DRAW_MIDDLE, 0);
	free(fit);
	free(id);
	format_energy(total > 0 ? total : sum, total > 0 ? total : sum, kwh, sizeof kwh);
	big.size = fmin(st->fs * 1.9, st->fs * 1.9 * r0 * 1.6 /
	    draw_text_width(d, kwh, &st->title));
	draw_text(d, cx, cy + st->fs * 0.4, kwh, &big, INK, DRAW_CENTER,
	    DRAW_MIDDLE, 0);
	draw_text(d, cx, cy + st->fs * 2.2, total > 0 ? "total" : "sum of parts",
	    &st->small, MUTED, DRAW_CENTER, DRAW_MIDDLE, 0);
}

static void
draw_pie_legend(struct draw *d, const struct style *st, const struct report *rep,
    const struct slice *sl, int n, double x, double y, double w, double sum)
{
	double row = st->fs * 1.7, col_kwh = x + w * 0.62, col_pct = x + w;

	draw_text(d, x, y, "Component", &st->bold, INK, DRAW_LEFT, DRAW_TOP, 0);
	draw_text(d, col_kwh, y, "Energy", &st->bold, INK, DRAW_RIGHT, DRAW_TOP, 0);
	draw_text(d, col_pct, y, "Share", &st->bold, INK, DRAW_RIGHT, DRAW_TOP, 0);
	y += row * 1.1;
	for (int i = 0; i < n; i++) {
		double cy = y + row * (i + 0.5);

		slice_tip_begin(d, &sl[i]);
		draw_rect(d, x, cy - st->fs * 0.45, st->fs * 0.9, st->fs * 0.9,
		    chart_component_colour(sl[i].comp));
		draw_text(d, x + st->fs * 1.4, cy, component_label[sl[i].comp],
		    &st->body, INK, DRAW_LEFT, DRAW_MIDDLE, 0);
		draw_text(d, col_kwh, cy, sl[i].energy, &st->body, INK, DRAW_RIGHT,
		    DRAW_MIDDLE, 0);
		draw_text(d, col_pct, cy, sl[i].pct, &st->body, INK, DRAW_RIGHT,
		    DRAW_MIDDLE, 0);
		draw_tip_end(d);
	}
	y += row * n + st->fs * 0.3;
	draw_segment(d, x, y, x + w, y, AXIS, 0.8);
	y += row * 0.5 + st->fs * 0.3;
	draw_text(d, x + st->fs * 1.4, y, component_label[COMP_TOTAL], &st->bold,
	    INK, DRAW_LEFT, DRAW_MIDDLE, 0);
	if (rep->energy_j[COMP_TOTAL] > 0) {
		char e[32];

		format_energy(rep->energy_j[COMP_TOTAL], sum, e, sizeof e);
		draw_text(d, col_kwh, y, e, &st->bold, INK, DRAW_RIGHT, DRAW_MIDDLE, 0);
	} else {
		draw_text(d, col_kwh, y, "no input power", &st->small, MUTED,
		    DRAW_RIGHT, DRAW_MIDDLE, 0);
	}
	y += row * 0.5;
	if (rep->energy_j[COMP_TOTAL] > 0 && sum > rep->energy_j[COMP_TOTAL] * 1.001) {
		char *fit = draw_fit_text(d, "Parts exceed the measured input;",
		    &st->small, w);

		draw_text(d, x, y + st->fs, fit, &st->small, MUTED, DRAW_LEFT, DRAW_TOP, 0);
		free(fit);
		fit = draw_fit_text(d, "shares are of their sum.", &st->small, w);
		draw_text(d, x, y + st->fs * 2.3, fit, &st->small, MUTED, DRAW_LEFT,
		    DRAW_TOP, 0);
		free(fit);
	}
}

static void
chart_pie(struct draw *d, const struct report *rep)
{
	struct style st = style_for(d);
	struct slice sl[NPARTS];
	double sum = 0, a = -M_PI / 2, top, cx, cy, r, r0, legw, avail_w;
	char *title;
	int n = 0;

	title = xasprintf("Energy of job %s by component", rep->job->id);
	top = draw_header(d, &st, rep, title) + st.fs;
	free(title);
	for (size_t i = 0; i < NPARTS; i++)
		if (rep->energy_j[parts[i]] > 0)
			sum += rep->energy_j[parts[i]];
	for (size_t i = 0; i < NPARTS && sum > 0; i++) {
		double e = rep->energy_j[parts[i]];

		if (!(e > 0))
			continue;
		sl[n].comp = parts[i];
		sl[n].share = e / sum;
		sl[n].a0 = a;
		a += 2 * M_PI * sl[n].share;
		sl[n].a1 = a;
		format_share(sl[n].share, sl[n].pct, sizeof sl[n].pct);
		format_energy(e, sum, sl[n].energy, sizeof sl[n].energy);
		n++;
	}
	legw = fmin(d->w * 0.4, draw_text_width(d, "Component  PSU loss  000.00 kWh",
	    &st.body) + draw_text_width(d, "100.0 %", &st.body));
	avail_w = d->w - 2 * st.pad - legw - st.fs * 2;
	r = fmin((d->h - top - st.pad) / 2 - st.fs * 1.2,
	    avail_w / 2 - outside_label_width(d, &st));
	r = fmax(r, st.fs * 4);
	r0 = r * 0.6;
	cx = st.pad + avail_w / 2;
	cy = top + (d->h - top - st.pad) / 2;

	if (n == 0) {
		slice_path(d, cx, cy, r0, r, 0, 2 * M_PI);
		draw_fill(d, NODATA);
		draw_message(d, &st, cx, cy, "No energy data");
		return;
	}
	for (int i = 0; i < n; i++) {
		double mid = (sl[i].a0 + sl[i].a1) / 2, rm = (r + r0) / 2;
		unsigned c = chart_component_colour(sl[i].comp);

		slice_tip_begin(d, &sl[i]);
		slice_path(d, cx, cy, r0, r, sl[i].a0, sl[i].a1);
		draw_fill(d, c);
		if (n > 1) {
			slice_path(d, cx, cy, r0, r, sl[i].a0, sl[i].a1);
			draw_stroke(d, WHITE, 1.5);
		}
		sl[i].inside = (sl[i].a1 - sl[i].a0) * rm >
		    draw_text_width(d, sl[i].pct, &st.small) + st.fs * 0.8 &&
		    sl[i].share >= 0.04;
		if (sl[i].inside)
			draw_text(d, cx + rm * cos(mid), cy + rm * sin(mid), sl[i].pct,
			    &st.small, draw_luminance(c) < 0.3 ? WHITE : INK,
			    DRAW_CENTER, DRAW_MIDDLE, 0);
		draw_tip_end(d);
	}
	draw_outside_labels(d, &st, sl, n, cx, cy, r);
	draw_ring_centre(d, &st, rep, cx, cy, r0, sum);
	draw_pie_legend(d, &st, rep, sl, n, d->w - st.pad - legw, top + st.fs, legw, sum);
}

/* ---- per-node views ---- */

/* Left label column of the node charts: every k-th node name so that
 * labels never overlap.  Returns the column width. */
static double
node_labels_width(struct draw *d, const struct style *st, const struct report *rep)
{
	double w = 0;

	for (size_t i = 0; i < rep->nnodes; i++)
		w = fmax(w, draw_text_width(d, rep->nodes[i].hostname, &st->small));
	return fmin(w, d->w * 0.2) + st->fs * 0.6;
}

static void
draw_node_labels(struct draw *d, const struct style *st, const struct report *rep,
    double x_right, double y0, double row)
{
	size_t every = (size_t)ceil(st->fs * 1.1 / row);

	if (every < 1)
		every = 1;
	for (size_t i = 0; i < rep->nnodes; i += every) {
		char *fit = draw_fit_text(d, rep->nodes[i].hostname, &st->small,
		    d->w * 0.2);

		draw_text(d, x_right, y0 + row * (i + 0.5), fit, &st->small, INK,
		    DRAW_RIGHT, DRAW_MIDDLE, 0);
		free(fit);
	}
}

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

/* Vertical colour bar from lo (bottom) to hi (top) with value ticks. */
static void
draw_colour_bar(struct draw *d, const struct style *st, double x, double y0,
    double y1, double lo, double hi, double scale)
{
	unsigned cells[64];
	double bw = st->fs * 1.1;
	struct ticks t;
	int nt;

	for (int i = 0; i < 64; i++)
		cells[i] = heat_colour(1 - (i + 0.5) / 64);
	draw_image(d, cells, 1, 64, x, y0, bw, y1 - y0);
	axis_value_ticks(lo * scale, hi * scale, (int)((y1 - y0) / (st->fs * 2.5)) + 1, &t);
	nt = t.n;
	for (int i = 0; i < nt; i++) {
		double f = hi > lo ? (t.v[i] / scale - lo) / (hi - lo) : 0.5;
		double y = y1 - f * (y1 - y0);

		if (f < -1e-9 || f > 1 + 1e-9)
			continue;
		draw_segment(d, x + bw, y, x + bw + st->fs * 0.4, y, AXIS, 1);
		draw_text(d, x + bw + st->fs * 0.6, y, t.label[i], &st->small, INK,
		    DRAW_LEFT, DRAW_MIDDLE, 0);
	}
	draw_text(d, x, y0 - st->fs * 0.8, scale < 1 ? "kW" : "W", &st->bold, INK,
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
	    tip_time_format(f), from, sizeof from);
	axis_format_time(f->start + (f->end - f->start) * b1 / hb,
	    tip_time_format(f), to, sizeof to);
	format_power(n ? sum / n : NAN, scale, mean, sizeof mean);
	format_power(peak, scale, max, sizeof max);
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
			    s * tl->heat_buckets / ns, (s + 1) * tl->heat_buckets / ns,
			    scale);
}

static void
chart_heatmap(struct draw *d, const struct report *rep)
{
	struct style st = style_for(d);
	const struct timeline *tl = &rep->tl;
	size_t nn = tl->nbuckets > 0 ? tl->nnodes : 0;
	int hb = tl->heat_buckets;
	double lo, hi, scale, legw, top, row;
	unsigned *cells;
	char *title;
	struct frame f;

	title = xasprintf("Input power per node, job %s", rep->job->id);
	top = draw_header(d, &st, rep, title) + st.fs * 1.5;
	free(title);
	f.start = window_start(rep);
	f.end = window_end(rep);
	f.vmax = 1;
	f.y0 = top;
	f.y1 = d->h - st.pad - time_axis_height(&st);
	f.x0 = st.pad + node_labels_width(d, &st, rep);
	legw = draw_text_width(d, "0000.0", &st.small) + st.fs * 3;
	f.x1 = d->w - st.pad - legw - st.fs;
	heat_range(tl, &lo, &hi);
	if (nn == 0 || lo > hi) {
		draw_rect(d, f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0, NODATA);
		draw_message(d, &st, (f.x0 + f.x1) / 2, (f.y0 + f.y1) / 2,
		    "No input power readings");
		draw_time_axis(d, &st, &f, false);
		return;
	}
	scale = hi >= 1e4 ? 1e-3 : 1;
	cells = xmalloc(nn * hb * sizeof *cells);
	for (size_t i = 0; i < nn * (size_t)hb; i++)
		cells[i] = isnan(tl->heat[i]) ? NODATA :
		    heat_colour(hi > lo ? (tl->heat[i] - lo) / (hi - lo) : 0.5);
	draw_image(d, cells, hb, (int)nn, f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0);
	free(cells);
	draw_heat_tips(d, &f, tl, scale);
	row = (f.y1 - f.y0) / nn;
	draw_node_labels(d, &st, rep, f.x0 - st.fs * 0.5, f.y0, row);
	draw_time_axis(d, &st, &f, false);
	draw_colour_bar(d, &st, d->w - st.pad - legw, f.y0 + st.fs * 1.2,
	    fmin(f.y1 - st.fs * 3, f.y0 + st.fs * 22), lo, hi, scale);
}

static double
node_parts_sum(const struct node_result *n)
{
	double s = 0;

	for (size_t i = 0; i < NPARTS; i++)
		if (n->energy_j[parts[i]] > 0)
			s += n->energy_j[parts[i]];
	return s;
}

static void
chart_node_energy(struct draw *d, const struct report *rep)
{
	struct style st = style_for(d);
	struct legend_item items[NPARTS];
	double vmax = 0, scale, legw, top, row, bar;
	bool kwh;
	size_t n = rep->nnodes;
	char *title;
	struct frame f;
	struct ticks t;

	title = xasprintf("Energy per node, job %s", rep->job->id);
	top = draw_header(d, &st, rep, title) + st.fs;
	free(title);
	for (size_t i = 0; i < n; i++)
		vmax = fmax(vmax, node_parts_sum(&rep->nodes[i]));
	/* kWh, or Wh for small jobs. */
	kwh = joules_to_kwh(vmax) >= 1;
	scale = kwh ? 1 / 3.6e6 : 1 / 3.6e3;
	for (size_t i = 0; i < NPARTS; i++)
		items[i] = (struct legend_item){ component_label[parts[i]],
		    chart_component_colour(parts[i]), NULL, 0, true, NULL };
	legw = legend_width(d, &st, items, NPARTS);
	f.y0 = top + st.fs * 0.5;
	f.y1 = d->h - st.pad - st.fs * 3.4;
	f.x0 = st.pad + node_labels_width(d, &st, rep);
	f.x1 = d->w - st.pad - legw - st.fs * 1.5 -
	    draw_text_width(d, "000.00 kWh", &st.small);
	f.vmax = axis_value_ticks(0, vmax > 0 ? vmax * scale : 1,
	    (int)((f.x1 - f.x0) / (draw_text_width(d, "0000.0", &st.small) + st.fs * 2)) + 1, &t);
	row = n ? (f.y1 - f.y0) / n : 0;
	bar = fmin(row > 4 ? row * 0.8 : row, st.fs * 2.2);
	for (int i = 0; i < t.n; i++) {
		double x = f.x0 + t.v[i] / f.vmax * (f.x1 - f.x0);

		draw_segment(d, x, f.y0, x, f.y1, GRID, 1);
		draw_text(d, x, f.y1 + st.fs * 0.6, t.label[i], &st.small, INK,
		    DRAW_CENTER, DRAW_TOP, 0);
	}
	draw_text(d, (f.x0 + f.x1) / 2, f.y1 + st.fs * 2, kwh ? "Energy (kWh)" :
	    "Energy (Wh)", &st.body, INK, DRAW_CENTER, DRAW_TOP, 0);
	for (size_t i = 0; i < n; i++) {
		const struct node_result *nd = &rep->nodes[i];
		double x = f.x0, y = f.y0 + row * (i + 0.5) - bar / 2, h = bar;
		char total[32];

		if (row < 4) {
			/* Dense rows: whole units, or rasters show seams. */
			y = round(f.y0 + row * i);
			h = round(f.y0 + row * (i + 1)) - y;
		}

		for (size_t k = 0; k < NPARTS; k++) {
			double e = nd->energy_j[parts[k]], w;

			if (!(e > 0))
				continue;
			w = e * scale / f.vmax * (f.x1 - f.x0);
			format_energy(e, vmax, total, sizeof total);
			draw_tip_begin(d, "%s · %s — %s", nd->hostname,
			    component_label[parts[k]], total);
			draw_rect(d, x, y, w, h, chart_component_colour(parts[k]));
			draw_tip_end(d);
			x += w;
		}
		if (row < st.fs * 0.9)
			continue;	/* too dense for text */
		if (x == f.x0) {
			draw_text(d, f.x0 + st.fs * 0.4, y + bar / 2, "no data",
			    &st.small, MUTED, DRAW_LEFT, DRAW_MIDDLE, 0);
		} else {
			format_energy(node_parts_sum(nd), vmax, total, sizeof total);
			draw_text(d, x + st.fs * 0.4, y + bar / 2, total, &st.small, INK,
			    DRAW_LEFT, DRAW_MIDDLE, 0);
		}
	}
	draw_segment(d, f.x0, f.y0, f.x0, f.y1, AXIS, 1);
	draw_node_labels(d, &st, rep, f.x0 - st.fs * 0.5, f.y0, row);
	draw_legend(d, &st, d->w - st.pad - legw, top, legw, items, NPARTS);
}

/* ---- entry points ---- */

static void
chart_draw(struct draw *d, const struct report *rep, enum chart_kind kind)
{
	switch (kind) {
	case CHART_TIMESERIES:
		chart_timeseries(d, rep);
		break;
	case CHART_PIE:
		chart_pie(d, rep);
		break;
	case CHART_NODE_HEATMAP:
		chart_heatmap(d, rep);
		break;
	case CHART_NODE_ENERGY:
		chart_node_energy(d, rep);
		break;
	default:
		break;
	}
}

char *
chart_svg(const struct report *rep, enum chart_kind kind, double w, double h)
{
	struct draw *d = draw_svg_new(w, h);

	chart_draw(d, rep, kind);
	return draw_svg_finish(d);
}

int
chart_pdf_draw(const struct report *rep, enum chart_kind kind,
    HPDF_Doc doc, HPDF_Page page, double x, double y, double w, double h)
{
	struct draw *d = draw_pdf_new(doc, page, x, y, w, h);

	if (d == NULL)
		return PR_EINTERNAL;
	chart_draw(d, rep, kind);
	return draw_pdf_free(d);
}

/* ---- the chart files ---- */

struct chart_file {
	enum chart_kind kind;
	const char *name;
	const char *what;	/* PNG Title */
};

static const struct chart_file png_files[] = {
	{ CHART_TIMESERIES, "timeseries.png", "Power over time" },
	{ CHART_PIE, "energy_pie.png", "Energy by component" },
	{ CHART_NODE_HEATMAP, "node_heatmap.png", "Input power per node" },
	{ CHART_NODE_ENERGY, "node_energy.png", "Energy per node" },
};

/* PNG size of a chart: per-node charts grow with the nodes, up to a
 * limit beyond which rows get thinner and labels sparser. */
static void
png_size(const struct report *rep, enum chart_kind kind, int *w, int *h)
{
	*w = 1200;
	*h = 600;
	if (kind == CHART_PIE)
		*w = 1100;
	if (kind == CHART_NODE_HEATMAP || kind == CHART_NODE_ENERGY) {
		double rows = 160 + 16.0 * rep->nnodes;

		*h = (int)fmin(1600, fmax(340, rows));
	}
}

static int
write_png(const struct report *rep, const struct outdir *od,
    const struct chart_file *cf)
{
	struct draw *d;
	char *title, *comment;
	FILE *fp;
	int w, h, rc;

	png_size(rep, cf->kind, &w, &h);
	d = draw_cairo_new(w, h);
	chart_draw(d, rep, cf->kind);
	if ((fp = outdir_fopen(od, cf->name)) == NULL) {
		draw_cairo_free(d);
		return PR_EOUTPUT;
	}
	title = xasprintf("%s, job %s", cf->what, rep->job->id);
	comment = xasprintf("job %s", rep->job->id);
	rc = draw_cairo_write_png(d, fp, cf->name, title, comment);
	free(title);
	free(comment);
	draw_cairo_free(d);
	if (rc != PR_OK) {
		fclose(fp);
		return rc;
	}
	return outdir_fclose(fp, cf->name);
}

static void
pdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	HPDF_STATUS *first = user;

	(void)detail;
	if (*first == HPDF_OK)
		*first = error;
}

/* Copy the finished document into name inside the output directory. */
static int
save_pdf(HPDF_Doc doc, const struct outdir *od, const char *name)
{
	HPDF_BYTE buf[65536];
	HPDF_UINT32 len;
	FILE *fp;

	if (HPDF_SaveToStream(doc) != HPDF_OK)
		return pr_fail(PR_EINTERNAL, "libharu cannot assemble %s", name);
	if ((fp = outdir_fopen(od, name)) == NULL)
		return PR_EOUTPUT;
	HPDF_ResetStream(doc);
	do {
		len = sizeof buf;
		if (HPDF_ReadFromStream(doc, buf, &len) != HPDF_OK && len == 0)
			break;
		fwrite(buf, 1, len, fp);
	} while (len == sizeof buf);
	return outdir_fclose(fp, name);
}

/* energy_pie.pdf: the ring as vector graphics on a page of its own. */
static int
write_pie_pdf(const struct report *rep, const struct outdir *od)
{
	const double w = 792, h = 432;	/* 11 x 6 in */
	HPDF_STATUS err = HPDF_OK;
	HPDF_Doc doc = HPDF_New(pdf_error, &err);
	HPDF_Page page;
	char *title;
	int rc;

	if (doc == NULL)
		return pr_fail(PR_EINTERNAL, "libharu cannot start energy_pie.pdf");
	HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
	title = xasprintf("Energy by component, job %s", rep->job->id);
	HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, title);
	HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "powerreport " PR_VERSION);
	free(title);
	page = HPDF_AddPage(doc);
	HPDF_Page_SetWidth(page, w);
	HPDF_Page_SetHeight(page, h);
	rc = chart_pdf_draw(rep, CHART_PIE, doc, page, 0, 0, w, h);
	if (rc == PR_OK && err != HPDF_OK)
		rc = pr_fail(PR_EINTERNAL, "libharu failed on energy_pie.pdf "
		    "(error 0x%04lX)", (unsigned long)err);
	if (rc == PR_OK)
		rc = save_pdf(doc, od, "energy_pie.pdf");
	HPDF_Free(doc);
	return rc;
}

int
render_charts(const struct report *rep, const struct outdir *od)
{
	int rc;

	for (size_t i = 0; i < sizeof png_files / sizeof *png_files; i++)
		if (chart_applies(rep, png_files[i].kind) &&
		    (rc = write_png(rep, od, &png_files[i])) != PR_OK)
			return rc;
	return write_pie_pdf(rep, od);
}
