/*
 * chart_timeseries.c - power over time: a line per component and GPU with its
 * min-max band, shading where samples are missing, and read-outs of every
 * line at each moment.
 */
#include "chart_kinds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_style.h"
#include "chart_util_strip.h"
#include "error.h"
#include "strbuf.h"

/* Colour and dash of line i of the time series: the role's colour, Output
 * dashed and Fans dotted; the up to TL_MAX_GPU_LINES GPU lines differ in
 * shade and dash. */
static void
line_style(const struct timeline *tl, size_t i, struct legend_item *it)
{
	static const double out_dash[] = { 6, 3 }, fan_dash[] = { 1.5, 2.5 },
	    gpu_dash[] = { 5, 3 };
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
	if (l->role == ROLE_FAN) {	/* dotted: apart from CPU where they meet */
		it->dash = fan_dash;
		it->ndash = 2;
	}
	if (l->role != ROLE_GPU)
		return;
	for (size_t j = 0; j < i; j++)
		gpu += tl->lines[j].role == ROLE_GPU;
	/* two properties, two values each: light or dark, solid or dashed */
	it->colour = chart_mix(it->colour, 0x000000, (gpu % 2) * 0.5);
	it->dash = gpu % 4 >= 2 ? gpu_dash : NULL;
	it->ndash = gpu % 4 >= 2 ? 2 : 0;
}

/* Word k (0-based, space-separated) of s into buf; false past the last. */
static bool
word(const char *s, int k, char *buf, size_t size)
{
	for (; k > 0 && s != NULL; k--)
		if ((s = strchr(s, ' ')) != NULL)
			s++;
	if (s == NULL || *s == '\0')
		return false;
	snprintf(buf, size, "%.*s", (int)strcspn(s, " "), s);
	return true;
}

/* Legend name of GPU line i, which the legend shows beside the others:
 * the words every GPU line shares (the host of a one-node job, "Video.
 * Slot.") are left out, so "GPU rpg-93-1 Video.Slot.38-1" reads "GPU 38-1";
 * its read-out keeps the full name. */
static void
gpu_short_label(const struct timeline *tl, size_t i, char *buf, size_t size)
{
	char w[64], o[64];
	size_t len, others = 0;

	for (size_t j = 0; j < tl->nlines; j++)
		others += tl->lines[j].role == ROLE_GPU && j != i;
	if (others == 0) {	/* the only GPU line, or their sum */
		snprintf(buf, size, "%s", tl->lines[i].label);
		return;
	}
	snprintf(buf, size, "GPU");
	for (int k = 1; word(tl->lines[i].label, k, w, sizeof w); k++) {
		size_t keep = strlen(w);	/* common prefix with every GPU */
		bool same = true;

		for (size_t j = 0; j < tl->nlines; j++) {
			size_t c = 0;

			if (tl->lines[j].role != ROLE_GPU || j == i)
				continue;
			if (!word(tl->lines[j].label, k, o, sizeof o))
				o[0] = '\0';
			while (c < keep && w[c] == o[c])
				c++;
			same = same && strcmp(w, o) == 0;
			keep = c;
		}
		if (same)
			continue;
		while (keep > 0 && w[keep - 1] != '.')
			keep--;	/* cut the shared part at a dot */
		len = strlen(buf);
		snprintf(buf + len, size - len, " %s", w + keep);
	}
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

/* Line l of nb buckets with every stride buckets merged into one (their
 * means averaged, the envelope kept), into mean/lo/hi of nb / stride
 * rounded up; returns that count. */
static int
coarsen(const struct tl_line *l, int nb, int stride, double *mean, double *lo,
    double *hi)
{
	int n = 0;

	for (int b = 0; b < nb; b += stride, n++) {
		double sum = 0;
		int k = 0;

		lo[n] = hi[n] = NAN;
		for (int i = b; i < b + stride && i < nb; i++) {
			if (isnan(l->mean[i]))
				continue;
			sum += l->mean[i];
			lo[n] = fmin(lo[n], l->lo[i]);	/* fmin skips the NAN */
			hi[n] = fmax(hi[n], l->hi[i]);
			k++;
		}
		mean[n] = k ? sum / k : NAN;
	}
	return n;
}

/* The line and its min-max band over buckets of width bw (usec). */
static void
draw_buckets(struct draw *d, const struct style *st, const struct frame *f,
    const double *mean, const double *lo, const double *hi, int nb, double bw,
    const struct legend_item *it)
{
	/* Envelope band: max forward, min back, per run of buckets with data. */
	for (int i = 0; i < nb;) {
		int j = i;

		if (isnan(mean[i])) {
			i++;
			continue;
		}
		while (j + 1 < nb && !isnan(mean[j + 1]))
			j++;
		for (int k = i; k <= j; k++)
			(k == i ? draw_move : draw_line)(d, frame_x(f,
			    (k + 0.5) * bw), frame_y(f, hi[k]));
		for (int k = j; k >= i; k--)
			draw_line(d, frame_x(f, (k + 0.5) * bw), frame_y(f,
			    lo[k]));
		draw_close(d);
		draw_fill_alpha(d, it->colour, 0.14);
		/* The mean; a lone bucket (one sample) as a dot. */
		if (j == i) {
			draw_arc(d, frame_x(f, (i + 0.5) * bw), frame_y(f,
			    mean[i]), st->fs * 0.25, 0, 2 * M_PI, false);
			draw_fill(d, it->colour);
		} else {
			for (int k = i; k <= j; k++)
				(k == i ? draw_move : draw_line)(d,
				    frame_x(f, (k + 0.5) * bw), frame_y(f,
				    mean[k]));
			draw_stroke_dashed(d, it->colour, st->fs * 0.13,
			    it->dash, it->ndash);
		}
		i = j + 1;
	}
}

/* Buckets merged into one point of the lines: at most about one point per
 * unit of plot width (a phone's plot is narrower than the timeline has
 * buckets). */
static int
line_stride(const struct timeline *tl, const struct frame *f)
{
	return (int)fmax(1, tl->nbuckets / (f->x1 - f->x0));
}

/* "Line: mean per 15 s", the time a point of the lines stands for. */
static void
line_note(const struct timeline *tl, int stride, char *buf, size_t size)
{
	usec_t per = tl->nbuckets > 0 ? (tl->end - tl->start) / tl->nbuckets *
	    stride : 0;
	char span[32];

	snprintf(buf, size, "Line: mean");
	if (tl->nlines > 0 && per >= USEC_PER_SEC) {
		time_format_duration(per, span, sizeof span);
		snprintf(buf, size, "Line: mean per %s", span);
	}
}

/* Line l in the unit of scale, line_stride buckets to a point. */
static void
draw_series_line(struct draw *d, const struct style *st, const struct frame *f,
    const struct timeline *tl, const struct tl_line *l,
    const struct legend_item *it, double scale)
{
	int nb = tl->nbuckets, stride = line_stride(tl, f);
	double *v = xmalloc(3 * (size_t)nb * sizeof *v);
	int n = coarsen(l, nb, stride, v, v + nb, v + 2 * nb);

	for (int i = 0; i < 3 * nb; i++)
		v[i] *= scale;
	draw_buckets(d, st, f, v, v + nb, v + 2 * nb, n,
	    (double)(tl->end - tl->start) / nb * stride, it);
	free(v);
}

/* Nodes of the job with no input power anywhere in the window: they
 * register no series, so the lines sum the others. */
static size_t
silent_nodes(const struct timeline *tl)
{
	size_t n = 0;

	for (size_t r = 0; r < tl->nnodes && tl->heat != NULL; r++) {
		bool any = false;

		for (int b = 0; b < tl->heat_buckets && !any; b++)
			any = !isnan(tl->heat[r * tl->heat_buckets + b]);
		n += !any;
	}
	return n;
}

/* How much is missing in bucket i, in sixteenths (0: nothing, 16: all):
 * the share of the line series without samples there, or of the nodes
 * without any data, whichever is more. */
#define MISSING_LEVELS 16

static int
missing_level(const struct timeline *tl, int i, size_t silent)
{
	double share = tl->missing == NULL ? 0 : fmin(1, tl->missing[i]);

	if (tl->nnodes > 0)
		share = fmax(share, (double)silent / tl->nnodes);
	return (int)ceil(share * MISSING_LEVELS - 0.004);
}

static bool
has_missing(const struct timeline *tl, size_t silent)
{
	for (int i = 0; i < tl->nbuckets; i++)
		if (missing_level(tl, i, silent) > 0)
			return true;
	return false;
}

/* A thin strip over the plot where samples are missing, the stronger the
 * more of the data is missing there (a series out of hundreds is faint),
 * in a colour no line or band uses: the lines bridge those stretches. */
static void
draw_missing(struct draw *d, const struct style *st, const struct frame *f,
    const struct timeline *tl, size_t silent)
{
	double bw = (double)(tl->end - tl->start) / tl->nbuckets;

	/* Runs of buckets with the same level as one rectangle each, so no
	 * seams show between them. */
	for (int i = 0, j; i < tl->nbuckets; i = j) {
		int level = missing_level(tl, i, silent);

		for (j = i + 1; j < tl->nbuckets && missing_level(tl, j,
		    silent) == level; j++)
			;
		if (level <= 0)
			continue;
		draw_rect_path(d, frame_x(f, i * bw), f->y0 - st->fs * 0.8,
		    frame_x(f, j * bw) - frame_x(f, i * bw), st->fs * 0.55);
		draw_fill_alpha(d, MISSING,
		    0.12 + 0.88 * level / MISSING_LEVELS);
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
	units_power(n ? sum / n : NAN, scale, mean, sizeof mean);
	units_power(peak, scale, max, sizeof max);
	return xasprintf("%s — mean %s, peak %s", l->label, mean, max);
}

/* Invisible strips over the plot, at most TIP_STRIPS, each reading out
 * its moment and the value of every line there. */
#define TIP_STRIPS 100

static void
draw_time_strips(struct draw *d, const struct frame *f,
    const struct report *rep, double scale)
{
	const struct timeline *tl = &rep->tl;
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

		axis_format_time(t, chart_tip_time_format(f), when,
		    sizeof when);
		strbuf_printf(&text, "%s %s", when, time_zone_abbrev(t));
		for (size_t i = 0; i < tl->nlines; i++) {
			units_power(tl->lines[i].mean[b], scale, v, sizeof v);
			strbuf_printf(&text, "\n%s: %s", tl->lines[i].label, v);
		}
		chart_util_strip_tip(&text, rep, t);
		draw_tip_area(d, f->x0 + k * sw, f->y0, sw, f->y1 - f->y0,
		    text.s);
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
				m = fmax(m, fmax(tl->lines[i].hi[b],
				    tl->lines[i].mean[b]));
	return m;
}

void
chart_timeseries(struct draw *d, const struct report *rep)
{
	struct style st = chart_style_for(d);
	const struct timeline *tl = &rep->tl;
	size_t n = tl->nbuckets > 0 ? tl->nlines : 0;
	struct legend_item *items = xcalloc(n + 1, sizeof *items);
	size_t silent = silent_nodes(tl);
	bool missing = n > 0 && has_missing(tl, silent);
	double vmax = n ? timeline_max(tl) : 0, scale = units_power_scale(vmax);
	double legw, top, ly, below = 0, strip = chart_util_strip_height(&st, rep);
	char *title, note[4][64], (*names)[64] = xcalloc(n + 1,
	    sizeof *names);
	int nnotes = 2 + missing;
	struct frame f, axis;
	struct ticks yt;

	title = xasprintf("Power of job %s", rep->job->id);
	top = chart_header(d, &st, rep, title) + st.fs;
	free(title);
	for (size_t i = 0; i < n; i++) {
		line_style(tl, i, &items[i]);
		if (tl->lines[i].role == ROLE_INPUT && silent > 0) {
			snprintf(names[i], sizeof names[i],
			    "%s (%zu of %zu nodes)", tl->lines[i].label,
			    tl->nnodes - silent, tl->nnodes);
			items[i].label = names[i];
		} else if (tl->lines[i].role == ROLE_GPU) {
			gpu_short_label(tl, i, names[i], sizeof names[i]);
			items[i].label = names[i];
		}
		if (draw_has_tips(d))
			items[i].tip = line_tip(tl, &tl->lines[i], scale);
	}
	if (missing)
		items[n] = (struct legend_item){ "Samples missing", MISSING,
		    NULL, 0, true, NULL };
	line_note(tl, 1, note[0], sizeof note[0]);
	snprintf(note[1], sizeof note[1], "Band: min–max");
	snprintf(note[2], sizeof note[2], "Strip: share missing");
	if (st.narrow && chart_util_strip_means(&st, rep, note[nnotes],
	    sizeof note[nnotes]))
		nnotes++;	/* a phone's lanes have no room beside them */
	legw = chart_legend_width(d, &st, items, n + missing);
	for (int i = 0; i < nnotes; i++)
		legw = fmax(legw, draw_text_width(d, note[i], &st.small));
	legw = fmin(legw, d->w * 0.3);
	if (st.narrow) {	/* legend and notes under the plot */
		legw = d->w - 2 * st.pad;
		below = st.fs + chart_legend_rows(d, &st, 0, 0, legw, items,
		    n + missing, false) + st.fs * (1 + 1.3 * nnotes);
		d->h = top + d->w * 0.6 + strip + chart_time_axis_height(&st) +
		    below + st.pad;
	}
	f.start = chart_window_start(rep);
	f.end = chart_window_end(rep);
	f.y0 = top;
	f.y1 = d->h - st.pad - below - chart_time_axis_height(&st) - strip;
	f.vmax = value_ticks(&st, vmax * scale * 1.04, f.y1 - f.y0, &yt);
	f.x0 = st.pad + st.fs * 1.8 + fmax(ticks_width(d, &st, &yt),
	    chart_util_strip_label_width(d, &st, rep)) + st.fs * 0.6;
	f.x1 = st.narrow ? d->w - st.pad : d->w - st.pad - legw - st.fs * 1.5;
	line_note(tl, line_stride(tl, &f), note[0], sizeof note[0]);

	for (int i = 0; i < yt.n; i++) {
		double y = frame_y(&f, yt.v[i]);

		draw_segment(d, f.x0, y, f.x1, y, GRID, 1);
		draw_text(d, f.x0 - st.fs * 0.5, y, yt.label[i], &st.small, INK,
		    DRAW_RIGHT, DRAW_MIDDLE, 0);
	}
	draw_text(d, st.pad, (f.y0 + f.y1) / 2,
	    scale < 1 ? "Power (kW)" : "Power (W)",
	    &st.body, INK, DRAW_CENTER, DRAW_TOP, 90);
	axis = f;	/* under the strip, its grid through it */
	axis.y1 += strip;
	chart_time_axis(d, &st, &axis, true);
	draw_segment(d, f.x0, f.y1, f.x1, f.y1, AXIS, 1);
	draw_segment(d, f.x0, f.y0, f.x0, f.y1, AXIS, 1);

	if (missing)
		draw_missing(d, &st, &f, tl, silent);
	draw_clip(d, f.x0, f.y0 - st.fs, f.x1 - f.x0, f.y1 - f.y0 + st.fs);
	/* Input last, on top of the parts. */
	for (size_t i = n; i-- > 0;)
		draw_series_line(d, &st, &f, tl, &tl->lines[i], &items[i],
		    scale);
	draw_unclip(d);
	if (n == 0)
		chart_message(d, &st, (f.x0 + f.x1) / 2, (f.y0 + f.y1) / 2,
		    "No power readings in the job window");
	else if (vmax == 0)
		draw_text(d, f.x0 + st.fs, f.y0 + st.fs, "All readings are 0 W",
		    &st.bold, MUTED, DRAW_LEFT, DRAW_TOP, 0);
	if (n > 0)
		draw_time_strips(d, &f, rep, scale);

	if (st.narrow) {
		ly = d->h - st.pad - below + st.fs;
		ly += chart_legend_rows(d, &st, st.pad, ly, legw, items,
		    n + missing, true);
	} else {
		ly = chart_legend(d, &st, d->w - st.pad - legw, top, legw,
		    items, n + missing);
	}
	for (int i = 0; i < nnotes && n > 0; i++) {
		char *fit = draw_fit_text(d, note[i], &st.small, legw);

		draw_text(d, st.narrow ? st.pad : d->w - st.pad - legw,
		    ly + st.fs * (1 + 1.3 * i), fit,
		    &st.small, MUTED, DRAW_LEFT, DRAW_TOP, 0);
		free(fit);
	}
	/* the lanes' means beside them where the legend and notes end above */
	chart_util_strip(d, &st, &f, f.y1, rep, !st.narrow &&
	    ly + st.fs * (2 + 1.3 * (nnotes - 1)) <= f.y1 + st.fs * 0.8);
	for (size_t i = 0; i < n; i++)
		free(items[i].tip);
	free(items);
	free(names);
}
