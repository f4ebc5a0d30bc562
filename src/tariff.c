/*
 * tariff.c - carbon intensity and price that follow the clock.  The cut
 * times are the union of both series' step starts inside the job window;
 * series.c adds every input-power trapezoid to the stretch it falls in, so
 * each stretch's energy is exact for the piecewise-linear power the
 * integrator assumes, and so are CO2 and cost for step-shaped series.
 */
#include "tariff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "rate_pg.h"

#define J_PER_KWH 3.6e6

static int
load_one(struct rate *r, const struct config *cfg, const struct rate_source *src,
    usec_t start, usec_t end, struct strlist *notes)
{
	if (src->csv != NULL)
		return rate_load_csv(r, src->csv);
	if (src->database != NULL && src->table != NULL)
		return rate_load_pg(r, cfg, src, start, end, notes);
	return PR_OK;
}

/* Add t as the next cut when it lies inside the window and is new. */
static void
add_cut(struct tariff *tf, usec_t t, size_t *n)
{
	if (t > tf->start && t < tf->end && (*n == 0 || tf->cuts[*n - 1] != t))
		tf->cuts[(*n)++] = t;
}

/* Both series' starts, merged in order (each is ascending), and the bins. */
static void
make_cuts(struct tariff *tf)
{
	const struct rate *a = &tf->co2_rate, *b = &tf->price_rate;
	size_t i = 0, k = 0, m = 0;

	tf->cuts = xcalloc(a->n + b->n + 1, sizeof *tf->cuts);
	while (i < a->n || k < b->n)
		if (k == b->n || (i < a->n && a->t[i] <= b->t[k]))
			add_cut(tf, a->t[i++], &m);
		else
			add_cut(tf, b->t[k++], &m);
	tf->bins = xcalloc(m + 1, sizeof *tf->bins);
	tf->sc = (struct series_cuts){ tf->cuts, m, tf->bins };
}

int
tariff_load(struct tariff *tf, const struct config *cfg, usec_t start, usec_t end)
{
	int rc;

	memset(tf, 0, sizeof *tf);
	tf->start = start;
	tf->end = end;
	rc = load_one(&tf->co2_rate, cfg, &cfg->co2_series, start, end, &tf->notes);
	if (rc == PR_OK)
		rc = load_one(&tf->price_rate, cfg, &cfg->price_series, start, end,
		    &tf->notes);
	if (rc == PR_OK && end > start && (tf->co2_rate.n > 0 || tf->price_rate.n > 0))
		make_cuts(tf);
	return rc;
}

const struct series_cuts *
tariff_cuts(const struct tariff *tf)
{
	return tf->bins != NULL ? &tf->sc : NULL;
}

/* The lowest and highest steps of r in force during the window. */
static void
extremes(const struct tariff *tf, const struct rate *r, struct tariff_result *res)
{
	for (size_t i = 0; i + 1 < r->n; i++) {	/* the last step is an end */
		usec_t a = r->t[i] > tf->start ? r->t[i] : tf->start;
		usec_t b = r->t[i + 1] < tf->end ? r->t[i + 1] : tf->end;

		if (isnan(r->v[i]) || b <= a)
			continue;
		if (res->low_end == res->low_start || r->v[i] < res->low_v) {
			res->low_start = a;
			res->low_end = b;
			res->low_v = r->v[i];
		}
		if (res->high_end == res->high_start || r->v[i] > res->high_v) {
			res->high_start = a;
			res->high_end = b;
			res->high_v = r->v[i];
		}
	}
}

/* CO2 (scale 1e-3: g -> kg) or cost (scale 1) of the job under r. */
static void
apply(const struct tariff *tf, const struct rate *r, double flat, double scale,
    double total_j, struct tariff_result *res)
{
	double sum = 0, binned = 0, rest;

	res->have_series = r->n > 0;
	res->flat = (total_j) / J_PER_KWH * flat * scale;
	for (size_t k = 0; k <= tf->sc.n; k++) {
		double kwh = (tf->bins[k]) / J_PER_KWH;
		double v = rate_at(r, k == 0 ? tf->start : tf->cuts[k - 1]);

		binned += tf->bins[k];
		if (!isnan(v)) {
			sum += kwh * v * scale;
			res->covered_kwh += kwh;
		} else if (!isnan(flat)) {
			sum += kwh * flat * scale;
			res->fallback_kwh += kwh;
		} else
			res->unpriced_kwh += kwh;
	}
	rest = (fmax(0, total_j - binned)) / J_PER_KWH;
	if (!isnan(flat)) {
		sum += rest * flat * scale;
		res->fallback_kwh += rest;
	} else
		res->unpriced_kwh += rest;
	res->total = res->unpriced_kwh > 0 ? NAN : sum;
	extremes(tf, r, res);
}

/* "the carbon series (grid.csv) covers 3.2 of 4.0 kWh: ..." */
static void
note_cover(struct tariff *tf, const char *what, const struct rate *r,
    const struct tariff_result *res, const char *fallback)
{
	double all = res->covered_kwh + res->fallback_kwh + res->unpriced_kwh;

	if (!res->have_series || (res->fallback_kwh <= 0 && res->unpriced_kwh <= 0))
		return;
	strlist_addf(&tf->notes, "the %s series (%s) covers %.3g of %.3g kWh of the "
	    "job; %s", what, r->origin, res->covered_kwh, all, res->unpriced_kwh > 0 ?
	    "with no flat factor configured for the rest, the total is unknown" :
	    fallback);
}

void
tariff_compute(struct tariff *tf, const struct config *cfg, double total_j)
{
	if (tf->bins == NULL)
		return;
	apply(tf, &tf->co2_rate, cfg->co2_g_per_kwh, 1e-3, total_j, &tf->co2);
	apply(tf, &tf->price_rate, cfg->price_per_kwh, 1, total_j, &tf->cost);
	note_cover(tf, "carbon intensity", &tf->co2_rate, &tf->co2,
	    "the rest is at the flat cost.co2_g_per_kwh");
	note_cover(tf, "price", &tf->price_rate, &tf->cost,
	    "the rest is at the flat cost.price_per_kwh");
}

void
tariff_free(struct tariff *tf)
{
	rate_free(&tf->co2_rate);
	rate_free(&tf->price_rate);
	free(tf->cuts);
	free(tf->bins);
	strlist_free(&tf->notes);
	memset(tf, 0, sizeof *tf);
}
