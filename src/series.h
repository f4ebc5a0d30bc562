/*
 * series.h - streaming energy integration of one power series (one node,
 * metric and device): trapezoidal rule clipped exactly to the job window,
 * values held at the window edges where samples do not reach them, coverage
 * and gaps judged against the series' own sampling interval, implausible
 * values dropped.  O(1) memory per series whatever the number of samples.
 */
#ifndef PR_SERIES_H
#define PR_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "timefmt.h"

/* What a metric measures, by the MonSter/iDRAC metric id. */
enum metric_role {
	ROLE_INPUT,	/* SystemInputPower: wall power, the node total */
	ROLE_OUTPUT,	/* SystemOutputPower */
	ROLE_CPU,	/* TotalCPUPower */
	ROLE_MEMORY,	/* TotalMemoryPower */
	ROLE_STORAGE,	/* TotalStoragePower */
	ROLE_FAN,	/* TotalFanPower */
	ROLE_GPU,	/* PowerConsumption, one series per GPU */
	ROLE_OTHER,	/* anything else: integrated and listed, not in the breakdown */
	ROLE_N
};

enum metric_role metric_role_of(const char *metric_id);	/* case-insensitive */
extern const char *const metric_role_label[ROLE_N];	/* "Input", "GPU", ... */

/* Factor from units to watts: W 1, mW 1e-3, kW 1e3 (also "Watts",
 * "milliwatts", case-insensitive); 0 when the units are unknown. */
double units_to_watts(const char *units);
/* The i-th unit name units_to_watts knows (NULL past the last) and its
 * factor in *scale: for a database that converts units the same way. */
const char *units_known(size_t i, double *scale);

/* Plausible watts per role (hardware limits: 20 kW per node, 1.5 kW per
 * GPU, 5 kW per component); ROLE_OTHER is only checked for finiteness. */
double series_default_max_w(enum metric_role role);

/* A value that came from a float4 (PostgreSQL REAL) column, as the double
 * of its shortest decimal text (231.19999694824219 -> 231.2), which is what
 * the database shows and what a raw_power.csv holding that text reads back
 * as; any other value unchanged. */
double float4_decimal(double v);

#define SERIES_MAX_GAPS 16
#define SERIES_PROBE 16		/* spacings the interval is estimated from */
#define SERIES_EDGE_MIN (300 * USEC_PER_SEC)	/* edge samples reach this far */

struct gap {
	usec_t start, end;	/* clipped to the window */
};

/* Where a series' energy is also split in time: the stretches between
 * ascending cut times inside the window (a carbon or price series changing
 * value), each with an accumulator in joules that several series may share
 * (tariff.c sums the job's input power this way). */
struct series_cuts {
	const usec_t *t;	/* n cut times, ascending, inside the window */
	size_t n;
	double *bins;		/* n + 1 joule accumulators: before t[0], ... */
};

struct series {
	char *metric, *fqdd, *units;
	enum metric_role role;
	double scale;		/* units -> W; 0: unknown units, series unusable */

	/* setup */
	usec_t win_start, win_end;
	usec_t gap_threshold;	/* 0 until estimated from the first spacings */
	usec_t interval;	/* sampling interval (gap_threshold / 3) */
	bool interval_estimated;	/* median spacing, not given */
	double lo_w, hi_w;	/* plausible range; outside: dropped */
	const struct series_cuts *cuts;	/* NULL: energy not split in time */

	/* running state */
	bool have_first, have_last, have_pre, have_seen;
	usec_t first_t, last_t, pre_t, seen_t;
	double first_w, last_w, pre_w;
	size_t nprobe;		/* spacings held until the interval is known */
	usec_t probe[SERIES_PROBE][2];

	/* results (final after series_finish) */
	double energy_j;	/* joules within the window */
	/* What the samples leave open (uncertainty.c): the most the trapezoids
	 * can be off if power moved anywhere between two samples' values
	 * (half |w1 - w0| x dt summed, joules), and the window time held at
	 * an edge value but short of a gap (gaps are in gap_total). */
	double spread_j;
	usec_t held;
	usec_t covered;		/* window time not inside a gap */
	double coverage;	/* covered / window, 0..1 */
	size_t nsamples;	/* usable samples received (inside and edges) */
	size_t nmissing;	/* NULL/empty values, skipped */
	size_t nduplicates;	/* same timestamp as the previous sample */
	size_t nunordered;	/* earlier than the previous sample, skipped */
	size_t nnonfinite;	/* Infinity / overflowing values, dropped */
	size_t nimplausible;	/* outside [lo_w, hi_w], dropped */
	size_t ngaps;		/* gaps longer than gap_threshold */
	usec_t gap_total;
	usec_t gap_longest;	/* longest of all the gaps */
	struct gap gaps[SERIES_MAX_GAPS];	/* the first ones */
	double min_w, max_w;	/* over in-window samples; NAN if none */
	size_t ninside;		/* samples inside [win_start, win_end] */
};

/* gap_threshold: a hole longer than this is a gap (3 sampling intervals);
 * 0: estimated as 3 x the median of the series' first SERIES_PROBE
 * spacings.  The plausible range defaults to series_default_max_w. */
void series_init(struct series *s, const char *metric, const char *fqdd,
    const char *units, usec_t win_start, usec_t win_end, usec_t gap_threshold);

/* Split the energy at cuts from now on (before the first sample). */
void series_set_cuts(struct series *s, const struct series_cuts *cuts);

/* What series_add did with a sample, as bits. */
#define SERIES_USED 1		/* the sample went into the figures */
#define SERIES_USED_PRE 2	/* so did the held last sample before the
				 * window (now first_t, first_w) */

/* Feed one sample (value in the series' units, NAN = missing).  Of the
 * samples before the window only the last is used, of those after it only
 * the first, each only within max(SERIES_EDGE_MIN, 20 intervals) of the
 * edge, so a stray row years away never stretches the integration. */
unsigned series_add(struct series *s, usec_t t, double value);
/* Close the edges and compute coverage. */
void series_finish(struct series *s);
void series_free(struct series *s);

#endif
