/*
 * attribution_idle.c - idle energy from input power, for the nodes whose
 * CPU load says nothing (no slurm.cpu_load, or no rows for them).
 *
 * A node is idle in a heatmap bucket (timeline.h: TL_HEAT_BUCKETS over the
 * window, the mean input power of the node) when that mean is within
 * idle_margin above the node's idle power: the rule's idle_w, else the
 * lowest sustained level seen, the 5th percentile of the node's buckets.
 * The buckets are already there, so memory stays bounded by the heatmap
 * whatever the number of samples.  The job is charged its share of the
 * node (attribution.c's step function) in each idle bucket.
 */
#include "attribution.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"

#define IDLE_PERCENTILE 0.05	/* the lowest sustained level */

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* The 5th percentile of the n measured values of row (n > 0). */
static double
lowest_sustained(const double *row, int nb, int n)
{
	double *v = xmalloc((size_t)n * sizeof *v);
	double level;
	int k = 0;

	for (int b = 0; b < nb; b++)
		if (!isnan(row[b]))
			v[k++] = row[b];
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	level = v[(int)(IDLE_PERCENTILE * (n - 1))];
	free(v);
	return level;
}

/* Start of heat bucket b of tl. */
static usec_t
bucket_start(const struct timeline *tl, int b)
{
	return tl->start + (usec_t)((double)(tl->end - tl->start) * b / tl->heat_buckets);
}

/* The job's energy in the idle buckets of node i, from input power. */
static void
node_power_idle(struct attribution *a, const struct timeline *tl, size_t i)
{
	struct node_usage *u = &a->nodes[i];
	const double *row = &tl->heat[i * (size_t)tl->heat_buckets];
	double limit, sum = 0;
	int n = 0;

	for (int b = 0; b < tl->heat_buckets; b++)
		n += !isnan(row[b]);
	if (n == 0)
		return;
	u->idle_from = u->idle_w > 0 ? IDLE_CONFIGURED : IDLE_LOWEST;
	u->idle_level_w = u->idle_w > 0 ? u->idle_w :
	    lowest_sustained(row, tl->heat_buckets, n);
	limit = u->idle_level_w * (1 + a->idle_margin);
	for (int b = 0; b < tl->heat_buckets; b++) {
		usec_t t0 = bucket_start(tl, b), t1 = bucket_start(tl, b + 1);

		if (isnan(row[b]) || row[b] > limit)
			continue;
		sum += row[b] * ((double)(t1 - t0) / USEC_PER_SEC) *
		    attribution_steps_mean(&u->ch[CH_JOB], t0, t1, a->end);
	}
	u->idle_j = sum;
	a->idle_j = isnan(a->idle_j) ? sum : a->idle_j + sum;
}

void
attribution_power_idle(struct attribution *a, const struct report *rep)
{
	const struct timeline *tl = &rep->tl;

	if (tl->heat == NULL || tl->heat_buckets <= 0)
		return;
	for (size_t i = 0; i < a->n && i < tl->nnodes; i++)
		if (a->nodes[i].idle_from == IDLE_NONE)
			node_power_idle(a, tl, i);
}
