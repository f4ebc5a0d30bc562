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
 *
 * A gap is a hole longer than three sampling intervals.  When the interval
 * is not given, the first SERIES_PROBE spacings are held (times only) and
 * their median taken: a series sampled every 30 s is judged against 30 s,
 * not against a site-wide nominal value.  Values that are not finite or lie
 * outside the plausible range are dropped and counted, never integrated.
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

double
series_default_max_w(enum metric_role role)
{
	switch (role) {
	case ROLE_INPUT:
	case ROLE_OUTPUT:
		return 20000;
	case ROLE_GPU:
		return 1500;
	case ROLE_OTHER:
		return INFINITY;
	default:
		return 5000;
	}
}

#define DECIMALS_MAX 9
#define EXACT_MAX 9007199254740992.0	/* 2^53: integers up to it are exact */

double
float4_decimal(double v)
{
	static const double pow10tab[DECIMALS_MAX + 1] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9
	};
	float f = (float)v, a = fabsf(f);
	double m;

	if ((double)f != v || !isfinite(v) || v == nearbyint(v))
		return v;	/* not a float4, or a whole number: already shortest */
	for (int k = 0; k <= DECIMALS_MAX; k++) {
		m = nearbyint((double)a * pow10tab[k]);
		if (m >= EXACT_MAX)
			return v;
		if ((float)(m / pow10tab[k]) == a)
			return copysign(m / pow10tab[k], v);
	}
	return v;
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

const char *
units_known(size_t i, double *scale)
{
	if (i >= sizeof unit_names / sizeof unit_names[0])
		return NULL;
	*scale = unit_names[i].scale;
	return unit_names[i].name;
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
	s->interval = gap_threshold / 3;
	s->interval_estimated = gap_threshold == 0;
	s->lo_w = 0;
	s->hi_w = series_default_max_w(s->role);
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

void
series_set_cuts(struct series *s, const struct series_cuts *cuts)
{
	s->cuts = cuts;
}

/* Index of the first cut after t: the bin t starts in. */
static size_t
bin_of(const struct series_cuts *c, usec_t t)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->t[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The trapezoid (a, wa)-(b, wb), a < b, in joules, split at the cuts. */
static void
bin_add(const struct series_cuts *c, usec_t a, double wa, usec_t b, double wb)
{
	size_t k = bin_of(c, a);
	usec_t t0 = a;
	double w0 = wa;

	for (; k < c->n && c->t[k] < b; k++) {
		double wk = lerp(a, wa, b, wb, c->t[k]);
		c->bins[k] += (w0 + wk) * (double)(c->t[k] - t0) * 0.5e-6;
		t0 = c->t[k];
		w0 = wk;
	}
	c->bins[k] += (w0 + wb) * (double)(b - t0) * 0.5e-6;
}

/* Add the trapezoid (a, wa)-(b, wb), a < b, to the energy and its spread. */
static void
accrue(struct series *s, usec_t a, double wa, usec_t b, double wb)
{
	s->energy_j += (wa + wb) * (double)(b - a);
	s->spread_j += fabs(wb - wa) * (double)(b - a);
	if (__builtin_expect(s->cuts != NULL, 0))
		bin_add(s->cuts, a, wa, b, wb);
}

/* The segment from the previous sample to (t, w) that crosses a window
 * edge, lies outside the window, or spans a gap: the slow path. */
static void
add_edge_segment(struct series *s, usec_t t, double w)
{
	usec_t t0 = s->last_t, a = max_t(t0, s->win_start), b = min_t(t, s->win_end);
	double w0 = s->last_w;

	if (s->gap_threshold > 0 && t - t0 > s->gap_threshold)
		add_gap(s, a, b);
	if (b <= a)
		return;
	accrue(s, a, lerp(t0, w0, t, w, a), b, lerp(t0, w0, t, w, b));
}

/* A hole from the window start to the first sample longer than the gap
 * threshold is a gap. */
static void
start_gap(struct series *s)
{
	if (s->first_t - s->win_start > s->gap_threshold)
		add_gap(s, s->win_start, min_t(s->first_t, s->win_end));
}

static int
cmp_usec(const void *a, const void *b)
{
	usec_t x = *(const usec_t *)a, y = *(const usec_t *)b;

	return (x > y) - (x < y);
}

/* Fix the interval from the held spacings (their median; with none, the
 * 5 s iDRAC default) and judge the holes seen so far. */
static void
settle_interval(struct series *s)
{
	usec_t d[SERIES_PROBE];

	for (size_t i = 0; i < s->nprobe; i++)
		d[i] = s->probe[i][1] - s->probe[i][0];
	if (s->nprobe > 1)
		qsort(d, s->nprobe, sizeof d[0], cmp_usec);
	s->interval = s->nprobe > 0 ? d[s->nprobe / 2] : 5 * USEC_PER_SEC;
	s->gap_threshold = 3 * s->interval;
	if (s->have_first)
		start_gap(s);
	for (size_t i = 0; i < s->nprobe; i++)
		if (s->probe[i][1] - s->probe[i][0] > s->gap_threshold)
			add_gap(s, max_t(s->probe[i][0], s->win_start),
			    min_t(s->probe[i][1], s->win_end));
	s->nprobe = 0;
}

/* Hold one spacing while the interval is not known yet. */
static void
probe(struct series *s, usec_t t0, usec_t t1)
{
	s->probe[s->nprobe][0] = t0;
	s->probe[s->nprobe][1] = t1;
	if (++s->nprobe == SERIES_PROBE)
		settle_interval(s);
}

/* How far outside the window an edge sample may lie and still be used. */
static usec_t
edge_reach(const struct series *s)
{
	usec_t far = 20 * s->interval;

	return far > SERIES_EDGE_MIN ? far : SERIES_EDGE_MIN;
}

/*
 * energy_j holds twice the integral in W x microseconds until series_finish
 * (trapezoids are summed as (w0 + w1) * dt, the halving done once there).
 */
static void
use_sample(struct series *s, usec_t t, double w)
{
	s->nsamples++;
	if (t >= s->win_start && t <= s->win_end) {
		s->ninside++;
		s->min_w = w < s->min_w ? w : s->min_w;
		s->max_w = w > s->max_w ? w : s->max_w;
	}
	if (__builtin_expect(!s->have_last, 0)) {
		s->have_first = true;
		s->first_t = t;
		s->first_w = w;
		if (s->gap_threshold > 0)
			start_gap(s);
	} else if (s->last_t >= s->win_start && t <= s->win_end &&
	    t - s->last_t <= s->gap_threshold) {
		accrue(s, s->last_t, s->last_w, t, w);
	} else {
		add_edge_segment(s, t, w);
	}
	if (__builtin_expect(s->gap_threshold == 0 && s->have_last, 0))
		probe(s, s->last_t, t);
	s->have_last = true;
	s->last_t = t;
	s->last_w = w;
}

/* The held last sample before the window, when it is near enough. */
static unsigned
use_pre(struct series *s)
{
	bool near = s->have_pre && s->win_start - s->pre_t <= edge_reach(s);

	s->have_pre = false;
	if (!near)
		return 0;
	use_sample(s, s->pre_t, s->pre_w);
	return SERIES_USED_PRE;
}

/* A finite value in watts inside the plausible range, else counted. */
static bool
plausible(struct series *s, double value, double w)
{
	if (__builtin_expect(!isfinite(value), 0)) {
		s->nnonfinite++;
		return false;
	}
	if (__builtin_expect(!(w >= s->lo_w && w <= s->hi_w) || !isfinite(w), 0)) {
		s->nimplausible++;
		return false;
	}
	return true;
}

unsigned
series_add(struct series *s, usec_t t, double value)
{
	unsigned used = 0;
	double w;

	if (isnan(value)) {
		s->nmissing++;
		return 0;
	}
	if (__builtin_expect(s->have_seen && t <= s->seen_t, 0)) {
		if (t == s->seen_t)
			s->nduplicates++;
		else
			s->nunordered++;
		return 0;
	}
	w = value * s->scale;
	if (!plausible(s, value, w))
		return 0;
	s->have_seen = true;
	s->seen_t = t;
	if (__builtin_expect(t < s->win_start, 0)) {
		s->have_pre = true;	/* only the last one before is kept */
		s->pre_t = t;
		s->pre_w = w;
		return 0;
	}
	if (__builtin_expect(!s->have_last, 0))
		used = use_pre(s);
	if (__builtin_expect(t > s->win_end, 0) &&
	    ((s->have_last && s->last_t > s->win_end) || t - s->win_end > edge_reach(s)))
		return used;	/* the edge sample after the window is taken */
	use_sample(s, t, w);
	return used | SERIES_USED;
}

/* Hold w over [a, b] at a window edge; one longer than the gap
 * threshold is a gap (start_gap, series_finish), a shorter one is held. */
static void
hold(struct series *s, usec_t a, double w, usec_t b)
{
	accrue(s, a, w, b, w);
	if (b - a <= s->gap_threshold)
		s->held += b - a;
}

void
series_finish(struct series *s)
{
	usec_t ws = s->win_start, we = s->win_end, window = we - ws;

	if (!s->have_last)
		use_pre(s);
	if (s->gap_threshold == 0)
		settle_interval(s);
	if (!s->have_last) {
		add_gap(s, ws, we);
	} else {
		/* Hold the first value back to the window start and the last
		 * one on to the window end. */
		if (s->first_t > ws)
			hold(s, ws, s->first_w, min_t(s->first_t, we));
		if (s->last_t < we) {
			hold(s, max_t(s->last_t, ws), s->last_w, we);
			if (we - s->last_t > s->gap_threshold)
				add_gap(s, max_t(s->last_t, ws), we);
		}
	}
	s->energy_j = window > 0 && s->scale != 0 ? s->energy_j * 0.5e-6 : 0;
	s->spread_j = window > 0 && s->scale != 0 ? s->spread_j * 0.5e-6 : 0;
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
