/*
 * series.h - streaming energy integration of one power series (one node,
 * metric and device): trapezoidal rule clipped exactly to the job window,
 * values held at the window edges where samples do not reach them, coverage
 * and gaps.  O(1) memory per series whatever the number of samples.
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

#define SERIES_MAX_GAPS 16

struct gap {
	usec_t start, end;	/* clipped to the window */
};

struct series {
	char *metric, *fqdd, *units;
	enum metric_role role;
	double scale;		/* units -> W; 0: unknown units, series unusable */

	/* setup */
	usec_t win_start, win_end, gap_threshold;

	/* running state */
	bool have_first, have_last;
	usec_t first_t, last_t;
	double first_w, last_w;

	/* results (final after series_finish) */
	double energy_j;	/* joules within the window */
	usec_t covered;		/* window time not inside a gap */
	double coverage;	/* covered / window, 0..1 */
	size_t nsamples;	/* usable samples received (inside and edges) */
	size_t nmissing;	/* NULL/empty values, skipped */
	size_t nduplicates;	/* same timestamp as the previous sample */
	size_t nunordered;	/* earlier than the previous sample, skipped */
	size_t ngaps;		/* gaps longer than gap_threshold */
	usec_t gap_total;
	usec_t gap_longest;	/* longest of all the gaps */
	struct gap gaps[SERIES_MAX_GAPS];	/* the first ones */
	double min_w, max_w;	/* over in-window samples; NAN if none */
	size_t ninside;		/* samples inside [win_start, win_end] */
};

void series_init(struct series *s, const char *metric, const char *fqdd,
    const char *units, usec_t win_start, usec_t win_end, usec_t gap_threshold);
/* Feed one sample (value in the series' units, NAN = missing). */
void series_add(struct series *s, usec_t t, double value);
/* Close the edges and compute coverage. */
void series_finish(struct series *s);
void series_free(struct series *s);

#endif
