/*
 * chart_axes.h - tick choice for chart axes: round values (1, 2, 2.5, 5 x
 * 10^n) in W or kW, and wall-clock times in the display time zone whose
 * step suits the span (seconds to weeks) and stays correct across DST.
 */
#ifndef PR_CHART_AXES_H
#define PR_CHART_AXES_H

#include "timefmt.h"

#define AXIS_MAX_TICKS 32

struct ticks {
	int n;
	double v[AXIS_MAX_TICKS];	/* values, or usec offsets from the start */
	char label[AXIS_MAX_TICKS][32];
	char sub[AXIS_MAX_TICKS][32];	/* second line (the date), may be "" */
};

/* Round ticks from lo to at least hi, at most maxn of them, labels in the
 * value's own units.  Returns the last tick (the axis end). */
double axis_value_ticks(double lo, double hi, int maxn, struct ticks *t);

/* Ticks between start and end, at most maxn, at round wall-clock times of
 * the display zone; v[] holds usec since start. */
void axis_time_ticks(usec_t start, usec_t end, int maxn, struct ticks *t);

/* "CST", or "CST/CDT" when the job crosses a DST change, into buf (>= 32). */
void axis_zone_name(usec_t start, usec_t end, char *buf, size_t size);

/* Display-zone wall clock of t formatted with strftime fmt into buf. */
void axis_format_time(usec_t t, const char *fmt, char *buf, size_t size);

#endif
