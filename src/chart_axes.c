/*
 * chart_axes.c - axis ticks (see chart_axes.h).  Time ticks step through
 * wall-clock time of the display zone and are converted back to instants,
 * so hour and day ticks fall on local hours and midnights on both sides of
 * a DST change, and every label is the true local time of its instant.
 */
#include "chart_axes.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* An axis spans at least this share of its largest value, and at least
 * AXIS_MIN_SPAN units: finer steps would not advance in double arithmetic
 * nor fit a label (denormal values such as 4.9e-324 once made the step 0). */
#define AXIS_MIN_SHARE 1e-6
#define AXIS_MIN_SPAN 1e-6
/* Values this large are labelled in exponent form, with digits enough
 * for steps of AXIS_MIN_SHARE. */
#define AXIS_EXP_FROM 1e15

/* NaN as 0, infinities as the largest finite values. */
static double
finite_or_limit(double v)
{
	return isnan(v) ? 0 : fmax(-DBL_MAX, fmin(DBL_MAX, v));
}

/* The span the ticks cover: hi - lo, or hi (or 1) when that is empty, at
 * least the smallest drawable span, DBL_MAX when it overflows. */
static double
axis_span(double lo, double hi)
{
	double span = hi - lo;

	if (!(span > 0))
		span = hi > 0 ? hi : 1;
	if (isinf(span))
		span = DBL_MAX;
	return fmax(span, fmax(fmax(fabs(lo), fabs(hi)) * AXIS_MIN_SHARE,
	    AXIS_MIN_SPAN));
}

static void
value_label(char *buf, size_t size, double v, int decimals)
{
	if (fabs(v) >= AXIS_EXP_FROM)
		snprintf(buf, size, "%.10g", v);
	else
		snprintf(buf, size, "%.*f", decimals, v);
}

double
axis_value_ticks(double lo, double hi, int maxn, struct ticks *t)
{
	static const double mult[] = { 1, 2, 2.5, 5, 10 };
	double span, mag, step = 1, first;
	int decimals;

	if (maxn < 2)
		maxn = 2;
	if (maxn > AXIS_MAX_TICKS)
		maxn = AXIS_MAX_TICKS;
	lo = finite_or_limit(lo);
	hi = finite_or_limit(hi);
	span = axis_span(lo, hi);
	mag = pow(10, floor(log10(span / (maxn - 1))));
	for (size_t i = 0; i < sizeof mult / sizeof *mult; i++) {
		step = mult[i] * mag;
		if (ceil(hi / step - 1e-9) - floor(lo / step + 1e-9) + 1 <= maxn)
			break;
	}
	decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	if (fmod(step / pow(10, -decimals), 1) > 1e-6)
		decimals++;	/* 0.25 needs one more than 0.2 */
	/* Ticks are whole multiples of step: k * step cannot overflow where
	 * first + n * step would (from -1e308 to 1e308). */
	first = floor(lo / step + 1e-9);
	if (!isfinite(first * step))
		first++;	/* one step below -DBL_MAX: start above it */
	t->n = 0;
	for (double v = first * step; t->n < AXIS_MAX_TICKS && isfinite(v);
	    v = (first + t->n) * step) {
		t->v[t->n] = fabs(v) < step * 1e-9 ? 0 : v;
		value_label(t->label[t->n], sizeof t->label[0], t->v[t->n], decimals);
		t->sub[t->n][0] = '\0';
		t->n++;
		if (v >= hi - step * 1e-9)
			break;
	}
	return t->v[t->n - 1];
}

/* Seconds of wall-clock time in the display zone at UTC second s. */
static long long
local_of(long long s)
{
	return s + time_utc_offset(s * USEC_PER_SEC);
}

/* The UTC second showing wall-clock time l; in a DST gap the instant one
 * offset later (its label then shows the true local time). */
static long long
utc_of(long long l)
{
	long long u = l - time_utc_offset(l * USEC_PER_SEC);
	long long v = l - time_utc_offset(u * USEC_PER_SEC);

	return v;
}

void
axis_format_time(usec_t t, const char *fmt, char *buf, size_t size)
{
	time_t l = (time_t)local_of(t / USEC_PER_SEC);
	struct tm tm;

	gmtime_r(&l, &tm);
	if (strftime(buf, size, fmt, &tm) == 0)
		buf[0] = '\0';
}

static const long long steps[] = {
	1, 2, 5, 10, 15, 30,				/* seconds */
	60, 120, 300, 600, 900, 1800,			/* minutes */
	3600, 7200, 10800, 21600, 43200,		/* hours */
	86400, 172800, 604800, 1209600, 2419200,	/* days, weeks */
};

#define DAY 86400LL
#define WEEK_SHIFT (4 * DAY)	/* the epoch was a Thursday: weeks start on Monday */

/* Tick i becomes an hour-of-the-repeated-stretch tick: "01:00 CST". */
static void
label_with_zone(usec_t start, struct ticks *t, int i)
{
	usec_t tu = start + (usec_t)t->v[i];
	char hm[16];

	axis_format_time(tu, "%H:%M", hm, sizeof hm);
	snprintf(t->label[i], sizeof t->label[0], "%s %s", hm,
	    time_zone_abbrev(tu));
}

/* Wall-clock stepping meets the hour repeated after a fall-back change only
 * once; fill the stretch it skips with ticks of the same step in real time,
 * labelled with their zone ("01:00 CDT", "01:00 CST"), so the axis keeps
 * labels there. */
static void
label_repeated_hour(usec_t start, long long step, struct ticks *t)
{
	usec_t us = step * USEC_PER_SEC;

	if (step >= DAY)
		return;
	for (int i = 0; i + 1 < t->n && t->n < AXIS_MAX_TICKS; i++) {
		double next = t->v[i] + (double)us;

		if (t->v[i + 1] - next < (double)us * 0.99)
			continue;
		memmove(&t->v[i + 2], &t->v[i + 1], (t->n - i - 1) * sizeof t->v[0]);
		memmove(&t->label[i + 2], &t->label[i + 1],
		    (t->n - i - 1) * sizeof t->label[0]);
		memmove(&t->sub[i + 2], &t->sub[i + 1],
		    (t->n - i - 1) * sizeof t->sub[0]);
		t->n++;
		t->v[i + 1] = next;
		t->sub[i + 1][0] = '\0';
		label_with_zone(start, t, i);
		label_with_zone(start, t, i + 1);
	}
}

void
axis_time_ticks(usec_t start, usec_t end, int maxn, struct ticks *t)
{
	long long s0 = start / USEC_PER_SEC, s1 = (end + USEC_PER_SEC - 1) / USEC_PER_SEC;
	long long step = steps[sizeof steps / sizeof *steps - 1], l, first, last = -1;
	char prevday[32] = "";

	if (maxn < 2)
		maxn = 2;
	if (maxn > AXIS_MAX_TICKS)
		maxn = AXIS_MAX_TICKS;
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if ((s1 - s0) / steps[i] + 1 <= maxn) {
			step = steps[i];
			break;
		}
	l = local_of(s0);
	first = step == 604800 || step == 1209600 || step == 2419200 ?
	    ((l - WEEK_SHIFT + step - 1) / step) * step + WEEK_SHIFT :
	    ((l + step - 1) / step) * step;
	t->n = 0;
	for (l = first; t->n < maxn && t->n < AXIS_MAX_TICKS; l += step) {
		long long u = utc_of(l);
		usec_t tu = u * USEC_PER_SEC;
		char day[32];

		if (tu > end)
			break;
		if (tu < start || u <= last)
			continue;	/* repeated hour after a DST change */
		last = u;
		t->v[t->n] = (double)(tu - start);
		axis_format_time(tu, step < 60 ? "%H:%M:%S" : step < DAY ? "%H:%M" :
		    "%b %d", t->label[t->n], sizeof t->label[0]);
		axis_format_time(tu, "%a %b %d", day, sizeof day);
		/* Sub-day ticks carry the date under the first one of each day. */
		if (step < DAY && strcmp(day, prevday) != 0)
			snprintf(t->sub[t->n], sizeof t->sub[0], "%s", day);
		else
			t->sub[t->n][0] = '\0';
		snprintf(prevday, sizeof prevday, "%s", day);
		t->n++;
	}
	label_repeated_hour(start, step, t);
}

void
axis_zone_name(usec_t start, usec_t end, char *buf, size_t size)
{
	char a[16], b[16];

	snprintf(a, sizeof a, "%s", time_zone_abbrev(start));
	snprintf(b, sizeof b, "%s", time_zone_abbrev(end));
	if (strcmp(a, b) == 0)
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s/%s", a, b);
}
