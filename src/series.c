/*
 * series.c - energy of one power series, integrated while samples stream.
 *
 * Power is taken as piecewise linear through the samples and constant
 * before the first and after the last one; energy is its integral over the
 * job window, with segments that cross a window edge cut exactly there.
 * Only the previous sample is kept, so memory does not depend on how many
 * samples arrive.  series_add runs once per sample of the whole job and is
 * kept short: the common case (a segment wholly inside the window, no gap)
 * takes one multiply-add.
 */
#include "series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"

const char *const metric_role_label[ROLE_N] = {
	"Input", "Output", "CPU", "Memory", "Storage", "Fans", "GPU", "Other"
};

static const char *const role_metric[ROLE_OTHER] = {
	"SystemInputPower", "SystemOutputPower", "TotalCPUPower",
	"TotalMemoryPower", "TotalStoragePower", "TotalFanPower",
	"PowerConsumption"
};

enum metric_role
metric_role_of(const char *metric_id)
{
	for (int r = 0; r < ROLE_OTHER; r++)
		if (strcasecmp(metric_id, role_metric[r]) == 0)
			return r;
	return ROLE_OTHER;
}

static const struct {
	const char *name;
	double scale;
} unit_names[] = {
	{ "W", 1 }, { "Watt", 1 }, { "Watts", 1 },
	{ "mW", 1e-3 }, { "milliwatt", 1e-3 }, { "milliwatts", 1e-3 },
	{ "kW", 1e3 }, { "kilowatt", 1e3 }, { "kilowatts", 1e3 },
};

double
units_to_watts(const char *units)
{
	size_t len;

	if (units == NULL)
		return 0;
	while (*units == ' ')
		units++;
	len = strlen(units);
	while (len > 0 && units[len - 1] == ' ')
		len--;
	for (size_t i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++)
		if (strlen(unit_names[i].name) == len &&
		    strncasecmp(units, unit_names[i].name, len) == 0)
			return unit_names[i].scale;
	return 0;
}

void
series_init(struct series *s, const char *metric, const char *fqdd,
    const char *units, usec_t win_start, usec_t win_end, usec_t gap_threshold)
{
	memset(s, 0, sizeof *s);
	s->metric = xstrdup(metric);
	s->fqdd = xstrdup(fqdd ? fqdd : "");
	s->units = xstrdup(units ? units : "");
	s->role = metric_role_of(metric);
	s->scale = units_to_watts(units);
	s->win_start = win_start;
	s->win_end = win_end;
	s->gap_threshold = gap_threshold;
	/* Running extremes; series_finish turns "none seen" into NAN. */
	s->min_w = INFINITY;
	s->max_w = -INFINITY;
}

/* Record [a, b] (already clipped to the window) as a gap. */
static void
add_gap(struct series *s, usec_t a, usec_t b)
{
	usec_t len = b - a;

	if (len <= 0)
		return;
	if (s->ngaps < SERIES_MAX_GAPS)
		s->gaps[s->ngaps] = (struct gap){ a, b };
	s->ngaps++;
	s->gap_total += len;
	if (len > s->gap_longest)
		s->gap_longest = len;
}

static inline usec_t
max_t(usec_t a, usec_t b)
{
	return a > b ? a : b;
}

static inline usec_t
min_t(usec_t a, usec_t b)
{
	return a < b ? a : b;
}

/* Value at time t on the line through (t0, w0) and (t1, w1), t0 < t1. */
static double
lerp(usec_t t0, double w0, usec_t t1, double w1, usec_t t)
{
	return w0 + (w1 - w0) * (double)(t - t0) / (double)(t1 - t0);
}

/* The segment from the previous sample to (t, w) that crosses a window
 * edge, lies outside the window, or spans a gap: the slow path. */
static void
add_edge_segment(struct series *s, usec_t t, double w)
{
	usec_t t0 = s->last_t, a = max_t(t0, s->win_start), b = min_t(t, s->win_end);
	double w0 = s->last_w;

	if (t - t0 > s->gap_threshold)
		add_gap(s, a, b);
	if (b <= a)
		return;
	s->energy_j += (lerp(t0, w0, t, w, a) + lerp(t0, w0, t, w, b)) *
	    (double)(b - a);
}

/* The first usable sample: a stretch from the window start longer than the
 * gap threshold is a gap. */
static void
first_sample(struct series *s, usec_t t, double w)
{
	s->have_first = true;
	s->first_t = t;
	s->first_w = w;
	if (t - s->win_start > s->gap_threshold)
		add_gap(s, s->win_start, min_t(t, s->win_end));
}

/*
 * energy_j holds twice the integral in W x microseconds until series_finish
 * (trapezoids are summed as (w0 + w1) * dt, the halving done once there).
 */
void
series_add(struct series *s, usec_t t, double value)
{
	double w;

	if (isnan(value)) {
		s->nmissing++;
		return;
	}
	if (__builtin_expect(s->have_last && t <= s->last_t, 0)) {
		if (t == s->last_t)
			s->nduplicates++;
		else
			s->nunordered++;
		return;
	}
	w = value * s->scale;
	s->nsamples++;
	if (t >= s->win_start && t <= s->win_end) {
		s->ninside++;
		s->min_w = w < s->min_w ? w : s->min_w;
		s->max_w = w > s->max_w ? w : s->max_w;
	}
	if (__builtin_expect(!s->have_last, 0))
		first_sample(s, t, w);
	else if (s->last_t >= s->win_start && t <= s->win_end &&
	    t - s->last_t <= s->gap_threshold)
		s->energy_j += (s->last_w + w) * (double)(t - s->last_t);
	else
		add_edge_segment(s, t, w);
	s->have_last = true;
	s->last_t = t;
	s->last_w = w;
}

void
series_finish(struct series *s)
{
	usec_t ws = s->win_start, we = s->win_end, window = we - ws;

	if (!s->have_last) {
		add_gap(s, ws, we);
	} else {
		/* Hold the first value back to the window start and the last
		 * one on to the window end. */
		if (s->first_t > ws)
			s->energy_j += 2 * s->first_w *
			    (double)(min_t(s->first_t, we) - ws);
		if (s->last_t < we) {
			s->energy_j += 2 * s->last_w *
			    (double)(we - max_t(s->last_t, ws));
			if (we - s->last_t > s->gap_threshold)
				add_gap(s, max_t(s->last_t, ws), we);
		}
	}
	s->energy_j = window > 0 && s->scale != 0 ? s->energy_j * 0.5e-6 : 0;
	s->covered = window > 0 ? window - s->gap_total : 0;
	s->coverage = window > 0 ? (double)s->covered / (double)window : 0;
	if (s->ninside == 0 || s->scale == 0)
		s->min_w = s->max_w = NAN;
}

void
series_free(struct series *s)
{
	free(s->metric);
	free(s->fqdd);
	free(s->units);
	s->metric = s->fqdd = s->units = NULL;
}
