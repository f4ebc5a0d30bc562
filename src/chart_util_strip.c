/*
 * chart_util_strip.c - the strip under the power-over-time chart: one thin
 * lane each for CPU load (a share of the nodes' CPUs), memory use and GPU
 * utilisation, 0 to 100 %, on the chart's time axis, so a user sees how
 * busy the nodes were while they drew that power.  The job-wide means per
 * time bucket come from source_pg_util.c (attribution.h); where no node
 * said, the lane is grey with "no data", never a line at 0.  Nothing at
 * all is drawn when no utilisation table was read (a report from
 * raw_power.csv, a database without the slurm tables).
 */
#include "chart_util_strip.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "error.h"

static const enum metric_role lane_role[UTIL_N] = { ROLE_CPU, ROLE_MEMORY, ROLE_GPU };
static const char *const short_label[UTIL_N] = { "CPU", "Mem", "GPU" };

/* Whether lane k is shown: CPU and memory whenever anything is known,
 * GPU utilisation where a rule asks for it. */
static bool
lane_shown(const struct attribution *a, enum util_kind k)
{
	if (k != UTIL_GPU || a->util[k].read)
		return true;
	for (size_t i = 0; i < a->n; i++)
		if (a->nodes[i].rule != NULL && a->nodes[i].rule->gpu_util_metrics.n > 0)
			return true;
	return false;
}

static int
lanes(const struct report *rep)
{
	int n = 0;

	if (rep->attr == NULL || !attribution_util_known(rep->attr))
		return 0;
	for (int k = 0; k < UTIL_N; k++)
		n += lane_shown(rep->attr, k);
	return n;
}

static double
lane_height(const struct style *st)
{
	return st->fs * 1.35;
}

static double
lane_gap(const struct style *st)
{
	return st->fs * 0.35;
}

double
chart_util_strip_height(const struct style *st, const struct report *rep)
{
	int n = lanes(rep);

	return n == 0 ? 0 : st->fs * 0.7 + n * lane_height(st) + (n - 1) * lane_gap(st);
}

static const char *
label(const struct style *st, enum util_kind k)
{
	return st->narrow ? short_label[k] : util_label[k];
}

double
chart_util_strip_label_width(struct draw *d, const struct style *st,
    const struct report *rep)
{
	double w = 0;

	for (int k = 0; k < UTIL_N && lanes(rep) > 0; k++)
		w = fmax(w, draw_text_width(d, label(st, k), &st->small));
	return w;
}

/* Canvas x of the start of utilisation bucket b. */
static double
bucket_x(const struct frame *f, const struct report *rep, int b)
{
	usec_t start = rep->job->start, end = rep->job->end;

	return frame_x(f, (double)(start - f->start) +
	    (double)(end - start) * b / UTIL_BUCKETS);
}

/* The buckets i .. j - 1 as a step area from the lane's bottom. */
static void
draw_run(struct draw *d, const struct style *st, const struct frame *f,
    const struct report *rep, enum util_kind k, int i, int j, double y0, double h)
{
	unsigned colour = chart_role_colour(lane_role[k]);

	for (int pass = 0; pass < 2; pass++) {
		if (pass == 0)
			draw_move(d, bucket_x(f, rep, i), y0 + h);
		for (int b = i; b < j; b++) {
			double v = fmin(1, fmax(0, attribution_util(rep->attr, k, b)));

			(pass == 1 && b == i ? draw_move : draw_line)(d,
			    bucket_x(f, rep, b), y0 + h * (1 - v));
			draw_line(d, bucket_x(f, rep, b + 1), y0 + h * (1 - v));
		}
		if (pass == 0) {
			draw_line(d, bucket_x(f, rep, j), y0 + h);
			draw_close(d);
			draw_fill_alpha(d, colour, 0.35);
		} else
			draw_stroke(d, colour, st->fs * 0.1);
	}
}

/* The buckets i .. j - 1 unknown: grey, "no data" where it fits. */
static void
draw_gap(struct draw *d, const struct style *st, const struct frame *f,
    const struct report *rep, int i, int j, double y0, double h)
{
	double x0 = bucket_x(f, rep, i), x1 = bucket_x(f, rep, j);

	draw_rect(d, x0, y0, x1 - x0, h, NODATA);
	if (x1 - x0 >= draw_text_width(d, "no data", &st->small) + st->fs)
		draw_text(d, (x0 + x1) / 2, y0 + h / 2, "no data", &st->small, MUTED,
		    DRAW_CENTER, DRAW_MIDDLE, 0);
}

static void
draw_lane(struct draw *d, const struct style *st, const struct frame *f,
    const struct report *rep, enum util_kind k, double y0, bool means)
{
	double h = lane_height(st), mean = attribution_util_mean(rep->attr, k);
	char pct[32], *tip;

	for (int i = 0, j; i < UTIL_BUCKETS; i = j) {
		bool known = !isnan(attribution_util(rep->attr, k, i));

		for (j = i + 1; j < UTIL_BUCKETS &&
		    !isnan(attribution_util(rep->attr, k, j)) == known; j++)
			;
		if (known)
			draw_run(d, st, f, rep, k, i, j, y0, h);
		else
			draw_gap(d, st, f, rep, i, j, y0, h);
	}
	draw_rect_path(d, f->x0, y0, f->x1 - f->x0, h);
	draw_stroke(d, AXIS, 0.5);
	draw_text(d, f->x0 - st->fs * 0.5, y0 + h / 2, label(st, k), &st->small, INK,
	    DRAW_RIGHT, DRAW_MIDDLE, 0);
	chart_format_share(mean, pct, sizeof pct);
	if (means && !isnan(mean))
		draw_text(d, f->x1 + st->fs * 0.5, y0 + h / 2, pct, &st->small, MUTED,
		    DRAW_LEFT, DRAW_MIDDLE, 0);
	if (!draw_has_tips(d))
		return;
	tip = xasprintf("%s — mean %s%s", util_label[k], isnan(mean) ? "unknown" : pct,
	    k == UTIL_CPU ? " of the nodes' CPUs" : k == UTIL_MEM ? " of the nodes' memory" :
	    " of the GPUs");
	draw_tip_area(d, f->x0, y0, f->x1 - f->x0, h, tip);
	free(tip);
}

void
chart_util_strip(struct draw *d, const struct style *st, const struct frame *f,
    double y, const struct report *rep, bool means)
{
	double y0 = y + st->fs * 0.7;

	if (lanes(rep) == 0)
		return;
	for (int k = 0; k < UTIL_N; k++) {
		if (!lane_shown(rep->attr, k))
			continue;
		draw_lane(d, st, f, rep, k, y0, means);
		y0 += lane_height(st) + lane_gap(st);
	}
}

bool
chart_util_strip_means(const struct style *st, const struct report *rep, char *buf,
    size_t size)
{
	size_t len;

	if (lanes(rep) == 0)
		return false;
	snprintf(buf, size, "Means:");
	for (int k = 0; k < UTIL_N; k++) {
		double mean = attribution_util_mean(rep->attr, k);
		char pct[32];

		if (!lane_shown(rep->attr, k))
			continue;
		chart_format_share(mean, pct, sizeof pct);
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s %s %s", len > 6 ? "," : "",
		    label(st, k), isnan(mean) ? "no data" : pct);
	}
	return true;
}

void
chart_util_strip_tip(struct strbuf *text, const struct report *rep, usec_t t)
{
	usec_t start = rep->job->start, end = rep->job->end;
	int b = end > start ? (int)((double)(t - start) * UTIL_BUCKETS / (double)(end - start)) : -1;
	char pct[32];

	if (lanes(rep) == 0 || b < 0 || b >= UTIL_BUCKETS)
		return;
	for (int k = 0; k < UTIL_N; k++) {
		double v = attribution_util(rep->attr, k, b);

		if (!lane_shown(rep->attr, k))
			continue;
		chart_format_share(v, pct, sizeof pct);
		strbuf_printf(text, "\n%s: %s", util_label[k], isnan(v) ? "no data" : pct);
	}
}
