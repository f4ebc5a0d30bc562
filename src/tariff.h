/*
 * tariff.h - the job's CO2 and cost under carbon intensity and price that
 * change with time (cost.co2_series, cost.price_series): the input energy
 * of every node is split at the times either value changes (series_cuts,
 * while samples stream) and each stretch is multiplied by the value in
 * force.  Where a series says nothing, the flat factor (cost.co2_g_per_kwh,
 * cost.price_per_kwh) is used and the report says so.
 */
#ifndef PR_TARIFF_H
#define PR_TARIFF_H

#include <stdbool.h>

#include "config.h"
#include "rate.h"
#include "series.h"
#include "strlist.h"

/* The job under one series. */
struct tariff_result {
	bool have_series;	/* a series was configured and had steps */
	double total;		/* kg CO2e or currency; NAN: unknown */
	double flat;		/* the same under the flat factor alone; NAN: none */
	double covered_kwh;	/* energy the series priced */
	double fallback_kwh;	/* energy priced at the flat factor instead */
	double unpriced_kwh;	/* energy neither could price */
	/* The lowest and highest step in force during the window, clipped to
	 * it (the cleanest / cheapest hour and its opposite); low_end ==
	 * low_start when none. */
	usec_t low_start, low_end, high_start, high_end;
	double low_v, high_v;
};

struct tariff {
	struct rate co2_rate, price_rate;
	usec_t start, end;
	usec_t *cuts;		/* where either series changes, inside the window */
	double *bins;		/* ncuts + 1 joules of input energy */
	struct series_cuts sc;
	struct tariff_result co2, cost;
	struct strlist notes;	/* what fell back and why */
};

/* Read the configured series for the window [start, end] (CSV files: a
 * bad file is PR_ECONFIG; tables: a failure is a note).  With no series,
 * tariff_cuts is NULL and nothing changes. */
int tariff_load(struct tariff *tf, const struct config *cfg, usec_t start, usec_t end);
const struct series_cuts *tariff_cuts(const struct tariff *tf);
/* The results, from the streamed bins and the job's total energy in
 * joules (energy outside the bins: nodes without input power). */
void tariff_compute(struct tariff *tf, const struct config *cfg, double total_j);
void tariff_free(struct tariff *tf);

#endif
