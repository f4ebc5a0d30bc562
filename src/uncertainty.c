/*
 * uncertainty.c - how far each energy figure can be from the truth, as a
 * range, from three sources:
 *
 *  - sensor accuracy: the larger of a percentage of the energy and a fixed
 *    band in watts over the window (PSU input-power readings are specified
 *    at about +-5 % above 20 % load and a fixed band below it);
 *  - sampling: between two samples power may have sat at either value, so
 *    a trapezoid is off by at most |w1 - w0| / 2 x dt (series.c sums it);
 *  - gaps and edge holds: over time no sample covers, power is taken to
 *    stay within the series' observed minimum and maximum.
 *
 * The three add up linearly (no cancellation assumed), and nodes add up
 * linearly too: the range is a bound, not a standard deviation.  Derived
 * components (PSU loss, Others) follow from the intervals of their parts.
 */
#include "uncertainty.h"

#include <math.h>
#include <stdlib.h>
#include <strings.h>

#include "attribution.h"
#include "error.h"

struct accuracy
uncertainty_accuracy(const struct rule *rule, const struct series *s)
{
	struct accuracy a = { NULL, 10, 5 };

	if (s->role == ROLE_INPUT || s->role == ROLE_OUTPUT)
		a = (struct accuracy){ NULL, 5, 10 };
	else if (s->role == ROLE_GPU)
		a = (struct accuracy){ NULL, 5, 5 };
	for (size_t i = 0; rule != NULL && i < rule->naccuracy; i++)
		if (strcasecmp(rule->accuracy[i].metric, s->metric) == 0) {
			if (!isnan(rule->accuracy[i].percent))
				a.percent = rule->accuracy[i].percent;
			if (!isnan(rule->accuracy[i].watts))
				a.watts = rule->accuracy[i].watts;
		}
	return a;
}

void
uncertainty_series(const struct series *s, struct accuracy a, double *lo, double *hi)
{
	double window = (double)(s->win_end - s->win_start) / USEC_PER_SEC;
	double open = (double)(s->gap_total + s->held) / USEC_PER_SEC;
	double wmin = fmin(s->min_w, fmin(s->first_w, s->last_w));
	double wmax = fmax(s->max_w, fmax(s->first_w, s->last_w));
	double sensor = fmax(a.percent / 100 * s->energy_j, a.watts * window);
	double slack = sensor + s->spread_j;

	if (s->nsamples == 0 || s->scale == 0) {
		*lo = *hi = 0;
		return;
	}
	*lo = fmax(0, s->energy_j - slack - (wmax - wmin) * open);
	*hi = s->energy_j + slack + (wmax - wmin) * open;
}

/* What breakdown.c's node_breakdown does, on [lo, hi] intervals. */
static void
node_range(const struct node_result *n, const struct rule *rule, struct energy_range *r)
{
	static const enum component comp_of[ROLE_N] = {
		[ROLE_CPU] = COMP_CPU, [ROLE_MEMORY] = COMP_MEMORY,
		[ROLE_STORAGE] = COMP_STORAGE, [ROLE_FAN] = COMP_FAN,
		[ROLE_GPU] = COMP_GPU,
	};
	double rlo[ROLE_N] = { 0 }, rhi[ROLE_N] = { 0 }, plo = 0, phi = 0;
	size_t rn[ROLE_N] = { 0 };

	for (size_t i = 0; i < n->nseries; i++) {
		const struct series *s = &n->series[i];
		double lo, hi;

		if (s->scale == 0)
			continue;
		uncertainty_series(s, uncertainty_accuracy(rule, s), &lo, &hi);
		rlo[s->role] += lo;
		rhi[s->role] += hi;
		rn[s->role]++;
	}
	for (int c = 0; c < COMP_N; c++)
		r->lo[c] = r->hi[c] = 0;
	for (int role = ROLE_CPU; role <= ROLE_GPU; role++) {
		r->lo[comp_of[role]] = rlo[role];
		r->hi[comp_of[role]] = rhi[role];
	}
	if (rn[ROLE_INPUT] > 0 && rn[ROLE_OUTPUT] > 0) {
		r->lo[COMP_PSU_LOSS] = fmax(0, rlo[ROLE_INPUT] - rhi[ROLE_OUTPUT]);
		r->hi[COMP_PSU_LOSS] = fmax(0, rhi[ROLE_INPUT] - rlo[ROLE_OUTPUT]);
	}
	for (int c = COMP_CPU; c < COMP_OTHERS; c++) {
		plo += r->lo[c];
		phi += r->hi[c];
	}
	if (rn[ROLE_INPUT] == 0) {
		r->lo[COMP_TOTAL] = plo;
		r->hi[COMP_TOTAL] = phi;
		return;
	}
	r->lo[COMP_TOTAL] = rlo[ROLE_INPUT];
	r->hi[COMP_TOTAL] = rhi[ROLE_INPUT];
	r->lo[COMP_OTHERS] = fmax(0, rlo[ROLE_INPUT] - phi);
	r->hi[COMP_OTHERS] = fmax(0, rhi[ROLE_INPUT] - plo);
}

/* On a node shared with other jobs the series measure the whole node:
 * the job's range is the node's scaled, per component, by the job's part
 * of the node's energy (the same share the figure itself was charged). */
static void
charge_share(struct energy_range *r, const double *job_j, const double *node_j)
{
	if (job_j == node_j)	/* nothing attributed */
		return;
	for (int c = 0; c < COMP_N; c++) {
		double f = node_j[c] > 0 ? job_j[c] / node_j[c] : 1;

		r->lo[c] *= f;
		r->hi[c] *= f;
	}
}

void
uncertainty_compute(struct uncertainty *u, const struct report *rep)
{
	u->nnodes = rep->nnodes;
	u->node = xcalloc(rep->nnodes, sizeof *u->node);
	for (size_t i = 0; i < rep->nnodes; i++) {
		const struct node_result *n = &rep->nodes[i];

		if (!n->has_data)
			continue;
		node_range(n, config_rule_for(rep->cfg, n->hostname), &u->node[i]);
		charge_share(&u->node[i], n->energy_j, attribution_node_energy(rep, i));
		for (int c = 0; c < COMP_N; c++) {
			u->job.lo[c] += u->node[i].lo[c];
			u->job.hi[c] += u->node[i].hi[c];
		}
	}
}

void
uncertainty_free(struct uncertainty *u)
{
	free(u->node);
	u->node = NULL;
	u->nnodes = 0;
}
