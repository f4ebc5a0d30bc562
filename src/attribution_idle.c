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
 * node (attribution.c's step function) in each idle bucket.  Each GPU is
 * judged the same way on its own power series, reduced here to the same
 * buckets (2 x 240 doubles per GPU), with the rule's gpu_idle_w, and
 * charged like its energy: at the job's share of the node, or whole or
 * not at all where the GPU is charged by index (attribution_gpu.c).  A
 * GPU whose utilisation a metric gives (source_pg_util.c, the same
 * buckets) is idle where that is under the low-load threshold instead.
 */
#include "attribution.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "series.h"

#define IDLE_PERCENTILE 0.05	/* the lowest sustained level */

/* Mean of s over [t0, t1) in a window ending at end; 1 where s is empty
 * (no slurm.node_jobs: the whole node). */
static double
steps_mean(const struct steps *s, usec_t t0, usec_t t1, usec_t end)
{
	double sum = 0;

	if (s->n == 0 || t1 <= t0)
		return 1;
	for (size_t k = 0; k < s->n; k++) {
		usec_t a = s->t[k] > t0 ? s->t[k] : t0;
		usec_t e = step_end(s, k, end), b = e < t1 ? e : t1;

		if (b > a)
			sum += s->v[k] * (double)(b - a);
	}
	return sum / (double)(t1 - t0);
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* The 5th percentile of the measured (not NAN) values of v (n of them). */
static double
lowest_sustained(const double *v, int nb, int n)
{
	double *m = xmalloc((size_t)n * sizeof *m);
	double level;
	int k = 0;

	for (int b = 0; b < nb; b++)
		if (!isnan(v[b]))
			m[k++] = v[b];
	qsort(m, (size_t)n, sizeof *m, cmp_double);
	level = m[(int)(IDLE_PERCENTILE * (n - 1))];
	free(m);
	return level;
}

/* Start of bucket b of TL_HEAT_BUCKETS over [start, end). */
static usec_t
bucket_start(usec_t start, usec_t end, int b)
{
	return start + (usec_t)((double)(end - start) * b / TL_HEAT_BUCKETS);
}

/* Joules of the buckets of mean (W) marked idle, weighted by share; the
 * number of them in *nidle. */
static double
idle_sum(const double *mean, const bool *idle, const struct steps *share,
    usec_t start, usec_t end, int *nidle)
{
	double sum = 0;

	*nidle = 0;
	for (int b = 0; b < TL_HEAT_BUCKETS; b++) {
		usec_t t0 = bucket_start(start, end, b), t1 = bucket_start(start, end, b + 1);

		if (!idle[b])
			continue;
		(*nidle)++;
		sum += mean[b] * ((double)(t1 - t0) / USEC_PER_SEC) *
		    steps_mean(share, t0, t1, end);
	}
	return sum;
}

/* Joules of the buckets of mean (W, NAN: not measured) within the margin
 * of the configured idle power, else of the lowest sustained level,
 * weighted by share; *level and *from say which.  NAN: nothing measured,
 * or every bucket near the lowest level (flat power cannot tell idle
 * from busy without a configured idle power). */
static double
idle_energy(const double *mean, double configured, double margin,
    const struct steps *share, usec_t start, usec_t end, double *level,
    enum idle_from *from, bool *idle)
{
	double sum;
	int n = 0, nidle;

	for (int b = 0; b < TL_HEAT_BUCKETS; b++)
		n += !isnan(mean[b]);
	if (n == 0)
		return NAN;
	*from = configured > 0 ? IDLE_CONFIGURED : IDLE_LOWEST;
	*level = configured > 0 ? configured : lowest_sustained(mean, TL_HEAT_BUCKETS, n);
	for (int b = 0; b < TL_HEAT_BUCKETS; b++)
		idle[b] = !isnan(mean[b]) && mean[b] <= *level * (1 + margin);
	sum = idle_sum(mean, idle, share, start, end, &nidle);
	return *from == IDLE_LOWEST && nidle == n ? NAN : sum;
}

/* The utilisation buckets of the GPU with device name fqdd, or NULL. */
static const double *
gpu_util_of(const struct node_usage *u, const char *fqdd)
{
	for (size_t k = 0; k < u->ngutil; k++)
		if (strcmp(u->gutil[k].fqdd, fqdd) == 0)
			return u->gutil[k].v;
	return NULL;
}

/* Like idle_energy, idle where the GPU's utilisation is known and under
 * low; NAN where no bucket has both power and utilisation. */
static double
util_idle_energy(const double *mean, const double *util, double low,
    const struct steps *share, usec_t start, usec_t end)
{
	bool idle[TL_HEAT_BUCKETS];
	int n = 0, nidle;

	for (int b = 0; b < TL_HEAT_BUCKETS; b++) {
		n += !isnan(mean[b]) && !isnan(util[b]);
		idle[b] = !isnan(mean[b]) && !isnan(util[b]) && util[b] < low;
	}
	return n > 0 ? idle_sum(mean, idle, share, start, end, &nidle) : NAN;
}

/* [t0, t1) as a stretch of u, joined to the one before when they touch. */
static void
add_stretch(struct node_usage *u, usec_t t0, usec_t t1)
{
	if (u->nstretches > 0 && u->stretches[u->nstretches - 1].t1 >= t0) {
		u->stretches[u->nstretches - 1].t1 = t1;
		return;
	}
	if (u->nstretches == u->stretches_cap) {
		u->stretches_cap = u->stretches_cap ? 2 * u->stretches_cap : 8;
		u->stretches = xrealloc(u->stretches, u->stretches_cap * sizeof *u->stretches);
	}
	u->stretches[u->nstretches++] = (struct idle_stretch){ t0, t1 };
}

/* The idle stretches of a node judged by CPU load: where its idle step
 * function is not 0. */
static void
load_stretches(struct node_usage *u, usec_t end)
{
	const struct steps *s = &u->ch[CH_IDLE];

	for (size_t k = 0; k < s->n; k++)
		if (s->v[k] != 0)
			add_stretch(u, s->t[k], step_end(s, k, end));
}

/* The job's energy in the idle buckets of node i, from input power. */
static void
node_power_idle(struct attribution *a, const struct timeline *tl, size_t i)
{
	struct node_usage *u = &a->nodes[i];
	bool idle[TL_HEAT_BUCKETS];
	double j = idle_energy(&tl->heat[i * (size_t)tl->heat_buckets], u->idle_w,
	    a->idle_margin, &u->ch[CH_JOB], a->start, a->end, &u->idle_level_w,
	    &u->idle_from, idle);

	if (isnan(j))
		return;
	for (int b = 0; b < TL_HEAT_BUCKETS; b++)
		if (idle[b])
			add_stretch(u, bucket_start(a->start, a->end, b),
			    bucket_start(a->start, a->end, b + 1));
	u->idle_j = j;
	a->idle_j = isnan(a->idle_j) ? j : a->idle_j + j;
}

void
attribution_power_idle(struct attribution *a, const struct report *rep)
{
	const struct timeline *tl = &rep->tl;

	if (tl->heat == NULL || tl->heat_buckets != TL_HEAT_BUCKETS)
		return;
	for (size_t i = 0; i < a->n && i < tl->nnodes; i++)
		if (a->nodes[i].idle_from == IDLE_NONE)
			node_power_idle(a, tl, i);
		else if (a->nodes[i].idle_from == IDLE_CPU_LOAD)
			load_stretches(&a->nodes[i], a->end);
}

/* ---- GPUs: their own power series ---- */

static struct gpu_idle *
gpu_of(struct node_usage *n, const struct sample *smp)
{
	struct gpu_idle *g;

	if (n->ngpus > 0 && strcmp(n->gpus[n->last_gpu].fqdd, smp->fqdd) == 0 &&
	    strcmp(n->gpus[n->last_gpu].metric, smp->metric) == 0)
		return &n->gpus[n->last_gpu];
	for (size_t k = 0; k < n->ngpus; k++)
		if (strcmp(n->gpus[k].fqdd, smp->fqdd) == 0 &&
		    strcmp(n->gpus[k].metric, smp->metric) == 0) {
			n->last_gpu = k;
			return &n->gpus[k];
		}
	if (n->ngpus == n->gpus_cap) {
		n->gpus_cap = n->gpus_cap ? 2 * n->gpus_cap : 4;
		n->gpus = xrealloc(n->gpus, n->gpus_cap * sizeof *n->gpus);
	}
	g = &n->gpus[n->ngpus];
	memset(g, 0, sizeof *g);
	g->metric = xstrdup(smp->metric);
	g->fqdd = xstrdup(smp->fqdd);
	g->scale = units_to_watts(smp->units);
	g->level_w = g->idle_j = NAN;
	n->last_gpu = n->ngpus++;
	return g;
}

/* The line from (t0, w0) to (t1, w1), inside [start, end), into the
 * buckets it crosses. */
static void
gpu_segment(struct gpu_idle *g, usec_t t0, double w0, usec_t t1, double w1,
    usec_t start, usec_t end)
{
	usec_t a = t0 > start ? t0 : start, stop = t1 < end ? t1 : end;
	int b = (int)((double)(a - start) * TL_HEAT_BUCKETS / (double)(end - start));

	for (; a < stop && b < TL_HEAT_BUCKETS; b++) {
		usec_t e = bucket_start(start, end, b + 1);
		usec_t sb = e < stop ? e : stop;
		double wa = w0 + (w1 - w0) * (double)(a - t0) / (double)(t1 - t0);
		double wb = w0 + (w1 - w0) * (double)(sb - t0) / (double)(t1 - t0);

		if (sb <= a)
			continue;
		g->integ[b] += 0.5 * (wa + wb) * (double)(sb - a);
		g->cov[b] += (double)(sb - a);
		a = sb;
	}
}

void
attribution_gpu_sample(struct node_usage *n, const struct sample *smp,
    usec_t start, usec_t end)
{
	struct gpu_idle *g = gpu_of(n, smp);
	double w;

	if (isnan(smp->value) || g->scale == 0 || end <= start ||
	    (g->have_last && smp->t <= g->last_t))
		return;
	w = smp->value * g->scale;
	if (g->have_last)
		gpu_segment(g, g->last_t, g->last_w, smp->t, w, start, end);
	g->have_last = true;
	g->last_t = smp->t;
	g->last_w = w;
}

/* By device, then metric: the order samples arrived in is the source's. */
static int
by_device(const void *x, const void *y)
{
	const struct gpu_idle *a = x, *b = y;
	int c = strcmp(a->fqdd, b->fqdd);

	return c != 0 ? c : strcmp(a->metric, b->metric);
}

/* The idle energy of GPU g of node u: from its utilisation where a
 * metric gives it, else from its power; charged at the node's share, or
 * all or nothing for a GPU charged by index. */
static void
gpu_idle_one(struct attribution *a, struct node_usage *u, struct gpu_idle *g)
{
	const double *util = gpu_util_of(u, g->fqdd);
	const struct steps *by_gpu = attribution_gpu_steps(u, g->fqdd);
	const struct steps *share = by_gpu != NULL ? &by_gpu[CH_JOB] : &u->ch[CH_JOB];
	double mean[TL_HEAT_BUCKETS];
	bool idle[TL_HEAT_BUCKETS];

	for (int b = 0; b < TL_HEAT_BUCKETS; b++)
		mean[b] = g->cov[b] > 0 ? g->integ[b] / g->cov[b] : NAN;
	if (util != NULL) {
		g->from = IDLE_GPU_UTIL;
		g->idle_j = util_idle_energy(mean, util, a->low_load, share, a->start,
		    a->end);
	} else
		g->idle_j = idle_energy(mean, u->gpu_idle_w, a->idle_margin, share,
		    a->start, a->end, &g->level_w, &g->from, idle);
	if (!isnan(g->idle_j))
		a->gpu_idle_j = isnan(a->gpu_idle_j) ? g->idle_j : a->gpu_idle_j + g->idle_j;
}

void
attribution_gpu_idle(struct attribution *a)
{
	for (size_t i = 0; i < a->n; i++) {
		struct node_usage *u = &a->nodes[i];

		if (u->ngpus > 1)
			qsort(u->gpus, u->ngpus, sizeof *u->gpus, by_device);
		for (size_t k = 0; k < u->ngpus; k++)
			gpu_idle_one(a, u, &u->gpus[k]);
	}
}

void
attribution_gpu_free(struct node_usage *n)
{
	for (size_t k = 0; k < n->ngpus; k++) {
		free(n->gpus[k].metric);
		free(n->gpus[k].fqdd);
	}
	free(n->gpus);
	for (size_t k = 0; k < n->ngutil; k++)
		free(n->gutil[k].fqdd);
	free(n->gutil);
}

void
attribution_stretches_free(struct node_usage *n)
{
	free(n->stretches);
}
