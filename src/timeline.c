/*
 * timeline.c - the streaming chart model behind timeline.h.
 *
 * Every series walks its piecewise-linear signal over a fine grid of time
 * buckets and adds, per fine bucket, its mean, minimum and maximum to the
 * job-wide sum of its line.  Like the energy integrator (series.c), the
 * lines join samples across holes of any length and hold the first and last
 * value out to the window edges, so one node's missing samples neither
 * punch a false dip into a job-wide sum nor disagree with the energy
 * figures; the time covered that way (holes longer than gap_threshold, and
 * the edges) is counted per bucket in tl->missing so charts can show it.
 * The heat rows use measured stretches only, so a node's hole shows as "no
 * data" there.  Each series contributes once per fine bucket, so series of
 * different nodes never interleave into a zig-zag, and because the fine
 * grid is close to the sampling interval the sum of per-series extremes is
 * close to the true extreme of the sum.  timeline_finish folds the fine
 * grid into the TL_BUCKETS of the line charts (mean of means, min of
 * minima, max of maxima), so one short peak survives as the top of the
 * envelope.  Memory: lines x fine buckets + nodes x heat buckets + one
 * small cursor per series, whatever the number of samples.
 */
#include "timeline.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#define FINE_PER_BUCKET_MAX 16	/* fine buckets per chart bucket, at most */
#define FINE_MIN_USEC (1 * USEC_PER_SEC)	/* finer than this is pointless */

/* Partial statistics of one series inside one bucket. */
struct part {
	int idx;		/* bucket, -1: none yet */
	double integ;		/* W * usec over covered time */
	double cov;		/* covered usec */
	double minteg, mcov;	/* the same, measured stretches only */
	double psum;		/* isolated samples (only used when cov == 0) */
	int pn;
	double lo, hi;
};

/* Job-wide sums of one line on the fine grid. */
struct group {
	double *mean, *lo, *hi;	/* NAN: no series contributed */
};

struct tl_cursor {
	size_t node;
	enum metric_role role;
	char *fqdd, *host;
	int gpu_group;		/* index into priv->gpu, -1 if none */
	usec_t gap;		/* gap threshold, 0: not known yet */
	bool have_last, late_pending;	/* start not judged yet (gap 0) */
	usec_t first_t, last_t;
	double last_w;
	struct part fine, heat;
};

struct tl_priv {
	int nfine;		/* nbuckets * per_bucket */
	int per_bucket;
	double dur;		/* window length in usec (> 0) */
	struct group role[ROLE_N];	/* GPU: the sum of all GPUs */
	struct group gpu[TL_MAX_GPU_LINES];
	double *missing;	/* nfine: usec of series without samples */
	size_t nline_series;	/* series that feed lines */
	int ngpu;		/* GPU series seen (may exceed the lines) */
	double peak[ROLE_N];
	bool finished;
};

static struct tl_priv *
priv(const struct timeline *tl)
{
	return tl->priv;
}

void
timeline_init(struct timeline *tl, usec_t start, usec_t end,
    usec_t gap_threshold, size_t nnodes, char **node_names)
{
	struct tl_priv *p;
	usec_t dur = end > start ? end - start : 1;
	int k;

	memset(tl, 0, sizeof *tl);
	tl->start = start;
	tl->end = end > start ? end : start + 1;
	tl->gap_threshold = gap_threshold;
	tl->nbuckets = TL_BUCKETS;
	tl->nnodes = nnodes;
	tl->node_names = node_names;
	tl->heat_buckets = TL_HEAT_BUCKETS;
	tl->heat = xmalloc((nnodes ? nnodes : 1) * TL_HEAT_BUCKETS * sizeof *tl->heat);
	for (size_t i = 0; i < nnodes * TL_HEAT_BUCKETS; i++)
		tl->heat[i] = NAN;

	p = xcalloc(1, sizeof *p);
	k = (int)(dur / ((usec_t)TL_BUCKETS * FINE_MIN_USEC));
	if (k < 1)
		k = 1;
	if (k > FINE_PER_BUCKET_MAX)
		k = FINE_PER_BUCKET_MAX;
	p->per_bucket = k;
	p->nfine = TL_BUCKETS * k;
	p->dur = (double)dur;
	p->missing = xcalloc(p->nfine, sizeof *p->missing);
	for (int r = 0; r < ROLE_N; r++)
		p->peak[r] = NAN;
	tl->priv = p;
}

static void
group_alloc(struct group *g, int n)
{
	if (g->mean != NULL)
		return;
	g->mean = xmalloc(n * sizeof *g->mean);
	g->lo = xmalloc(n * sizeof *g->lo);
	g->hi = xmalloc(n * sizeof *g->hi);
	for (int i = 0; i < n; i++)
		g->mean[i] = g->lo[i] = g->hi[i] = NAN;
}

static void
group_free(struct group *g)
{
	free(g->mean);
	free(g->lo);
	free(g->hi);
	memset(g, 0, sizeof *g);
}

int
timeline_series(struct timeline *tl, size_t node_index,
    enum metric_role role, const char *hostname, const char *fqdd)
{
	struct tl_priv *p = priv(tl);
	struct tl_cursor *c;

	if (tl->ncursors == tl->capcursors) {
		tl->capcursors = tl->capcursors ? 2 * tl->capcursors : 16;
		tl->cursors = xrealloc(tl->cursors, tl->capcursors * sizeof *tl->cursors);
	}
	c = &tl->cursors[tl->ncursors];
	memset(c, 0, sizeof *c);
	c->node = node_index;
	c->role = role;
	c->host = xstrdup(hostname ? hostname : "");
	c->fqdd = xstrdup(fqdd ? fqdd : "");
	c->gpu_group = -1;
	c->gap = tl->gap_threshold;
	c->fine.idx = c->heat.idx = -1;
	if (role != ROLE_OTHER) {
		group_alloc(&p->role[role], p->nfine);
		p->nline_series++;
	}
	if (role == ROLE_GPU) {
		if (p->ngpu < TL_MAX_GPU_LINES) {
			c->gpu_group = p->ngpu;
			group_alloc(&p->gpu[p->ngpu], p->nfine);
		} else if (p->ngpu == TL_MAX_GPU_LINES) {
			/* Too many for one line each: only the sum is drawn. */
			for (int i = 0; i < TL_MAX_GPU_LINES; i++)
				group_free(&p->gpu[i]);
		}
		p->ngpu++;
	}
	return (int)tl->ncursors++;
}

static void
part_reset(struct part *pt, int idx)
{
	pt->idx = idx;
	pt->integ = pt->cov = pt->minteg = pt->mcov = pt->psum = 0;
	pt->pn = 0;
	pt->lo = INFINITY;
	pt->hi = -INFINITY;
}

static double
part_mean(const struct part *pt)
{
	return pt->cov > 0 ? pt->integ / pt->cov : pt->psum / pt->pn;
}

static bool
part_empty(const struct part *pt)
{
	return pt->idx < 0 || (pt->cov <= 0 && pt->pn == 0);
}

static void
group_add(struct group *g, int i, double mean, double lo, double hi)
{
	if (g->mean == NULL)
		return;
	if (isnan(g->mean[i])) {
		g->mean[i] = mean;
		g->lo[i] = lo;
		g->hi[i] = hi;
	} else {
		g->mean[i] += mean;
		g->lo[i] += lo;
		g->hi[i] += hi;
	}
}

static void
heat_flush(struct timeline *tl, struct tl_cursor *c)
{
	double *cell;

	if (part_empty(&c->heat) || c->node >= tl->nnodes)
		return;
	cell = &tl->heat[c->node * tl->heat_buckets + c->heat.idx];
	*cell = (isnan(*cell) ? 0 : *cell) + part_mean(&c->heat);
}

/* The series leaves its current fine bucket: add it to its lines (and to
 * the node's heat row when it is input power). */
static void
fine_flush(struct timeline *tl, struct tl_cursor *c)
{
	struct tl_priv *p = priv(tl);
	struct part *f = &c->fine;
	int hidx;
	double m;

	if (part_empty(f))
		return;
	m = part_mean(f);
	if (c->role != ROLE_OTHER)
		group_add(&p->role[c->role], f->idx, m, f->lo, f->hi);
	if (c->gpu_group >= 0)
		group_add(&p->gpu[c->gpu_group], f->idx, m, f->lo, f->hi);
	if (c->role != ROLE_INPUT)
		return;
	hidx = (int)((long long)f->idx * tl->heat_buckets / p->nfine);
	if (hidx != c->heat.idx) {
		heat_flush(tl, c);
		part_reset(&c->heat, hidx);
	}
	c->heat.integ += f->minteg;
	c->heat.cov += f->mcov;
	c->heat.psum += f->psum;
	c->heat.pn += f->pn;
}

/* Make fine bucket idx the cursor's current one. */
static struct part *
fine_at(struct timeline *tl, struct tl_cursor *c, int idx)
{
	if (c->fine.idx != idx) {
		fine_flush(tl, c);
		part_reset(&c->fine, idx);
	}
	return &c->fine;
}

static int
fine_index(const struct tl_priv *p, double x)
{
	int i = (int)(x * p->nfine / p->dur);

	return i < 0 ? 0 : i >= p->nfine ? p->nfine - 1 : i;
}

static double
fine_edge(const struct tl_priv *p, int i)
{
	return p->dur * i / p->nfine;
}

static void
extend(struct part *pt, double w)
{
	if (w < pt->lo)
		pt->lo = w;
	if (w > pt->hi)
		pt->hi = w;
}

/* An isolated sample at x (usec from the window start). */
static void
add_point(struct timeline *tl, struct tl_cursor *c, double x, double w)
{
	struct part *pt;

	if (x < 0 || x > priv(tl)->dur)
		return;
	pt = fine_at(tl, c, fine_index(priv(tl), x));
	pt->psum += w;
	pt->pn++;
	extend(pt, w);
}

/* The straight line from (xa, wa) to (xb, wb), xa < xb, clipped to the
 * window and spread over the fine buckets it crosses.  Not measured: it
 * bridges missing samples (counted in priv->missing). */
static void
add_segment(struct timeline *tl, struct tl_cursor *c, double xa, double wa,
    double xb, double wb, bool measured)
{
	struct tl_priv *p = priv(tl);
	double slope = (wb - wa) / (xb - xa);
	double lo = xa < 0 ? 0 : xa, hi = xb > p->dur ? p->dur : xb;

	if (lo >= hi)
		return;
	for (int i = fine_index(p, lo); i < p->nfine; i++) {
		double s = fine_edge(p, i), e = fine_edge(p, i + 1);
		double a = lo > s ? lo : s, b = hi < e ? hi : e;
		double va = wa + slope * (a - xa), vb = wa + slope * (b - xa);
		struct part *pt;

		if (a >= hi)
			break;
		if (b <= a)
			continue;
		pt = fine_at(tl, c, i);
		pt->integ += (va + vb) / 2 * (b - a);
		pt->cov += b - a;
		if (measured) {
			pt->minteg += (va + vb) / 2 * (b - a);
			pt->mcov += b - a;
		} else {
			p->missing[i] += b - a;
		}
		extend(pt, va);
		extend(pt, vb);
	}
}

/* Count [0, x) (usec from the window start) as missing, without touching
 * the lines: a series whose late start was only judged once its gap
 * threshold was known. */
static void
add_missing(struct timeline *tl, double x)
{
	struct tl_priv *p = priv(tl);
	double hi = x > p->dur ? p->dur : x;

	for (int i = 0; i < p->nfine && fine_edge(p, i) < hi; i++) {
		double e = fine_edge(p, i + 1);
		p->missing[i] += (e < hi ? e : hi) - fine_edge(p, i);
	}
}

void
timeline_set_gap(struct timeline *tl, int handle, usec_t gap)
{
	struct tl_cursor *c;

	if (handle < 0 || (size_t)handle >= tl->ncursors || priv(tl)->finished)
		return;
	c = &tl->cursors[handle];
	c->gap = gap;
	if (c->late_pending && gap > 0 && c->first_t - tl->start > gap)
		add_missing(tl, (double)(c->first_t - tl->start));
	c->late_pending = c->late_pending && gap == 0;
}

void
timeline_add(struct timeline *tl, int handle, usec_t t, double watts)
{
	struct tl_cursor *c;
	usec_t gap;
	double x;

	if (handle < 0 || (size_t)handle >= tl->ncursors || isnan(watts) ||
	    priv(tl)->finished)
		return;
	c = &tl->cursors[handle];
	x = (double)(t - tl->start);
	gap = c->gap > 0 ? c->gap : INT64_MAX;
	if (c->have_last && t < c->last_t)
		return;		/* out of order: the integrator skips it too */
	if (!c->have_last && t > tl->start) {	/* hold back to the start */
		c->first_t = t;
		c->late_pending = c->gap == 0;
		add_segment(tl, c, 0, watts, x, watts, t - tl->start <= gap);
	}
	/* The sample itself counts as measured even where the line reaching
	 * it bridges a hole (sparse sampling still fills the heat rows). */
	if (c->have_last && t > c->last_t && t - c->last_t <= gap)
		add_segment(tl, c, (double)(c->last_t - tl->start), c->last_w,
		    x, watts, true);
	else if (c->have_last && t > c->last_t) {
		add_segment(tl, c, (double)(c->last_t - tl->start), c->last_w,
		    x, watts, false);
		add_point(tl, c, x, watts);
	} else {
		add_point(tl, c, x, watts);
	}
	c->have_last = true;
	c->last_t = t;
	c->last_w = watts;
}

static double *
fold(const double *fine, int nfine, int k, int how)
{
	double *out = xmalloc(nfine / k * sizeof *out);

	for (int b = 0; b < nfine / k; b++) {
		double acc = NAN;
		int n = 0;

		for (int i = b * k; i < (b + 1) * k; i++) {
			double v = fine[i];

			if (isnan(v))
				continue;
			if (n++ == 0)
				acc = v;
			else if (how == 0)
				acc += v;
			else if ((how < 0 && v < acc) || (how > 0 && v > acc))
				acc = v;
		}
		out[b] = how == 0 && n > 0 ? acc / n : acc;
	}
	return out;
}

static bool
group_has_data(const struct group *g, int n)
{
	if (g->mean == NULL)
		return false;
	for (int i = 0; i < n; i++)
		if (!isnan(g->mean[i]))
			return true;
	return false;
}

static double
group_peak(const struct group *g, int n)
{
	double peak = NAN;

	for (int i = 0; g->hi != NULL && i < n; i++)
		if (!isnan(g->hi[i]) && (isnan(peak) || g->hi[i] > peak))
			peak = g->hi[i];
	return peak;
}

static void
add_line(struct timeline *tl, const struct group *g, enum metric_role role,
    char *label)
{
	struct tl_priv *p = priv(tl);
	struct tl_line *l;

	tl->lines = xrealloc(tl->lines, (tl->nlines + 1) * sizeof *tl->lines);
	l = &tl->lines[tl->nlines++];
	l->label = label;
	l->role = role;
	l->mean = fold(g->mean, p->nfine, p->per_bucket, 0);
	l->lo = fold(g->lo, p->nfine, p->per_bucket, -1);
	l->hi = fold(g->hi, p->nfine, p->per_bucket, 1);
}

/* Label of the GPU line of cursor c: the device, with the host when the job
 * has several nodes. */
static char *
gpu_label(const struct timeline *tl, const struct tl_cursor *c)
{
	if (tl->nnodes > 1)
		return xasprintf("GPU %s %s", c->host, c->fqdd);
	return xasprintf("GPU %s", c->fqdd);
}

static void
make_gpu_lines(struct timeline *tl)
{
	struct tl_priv *p = priv(tl);
	const struct group *sum = &p->role[ROLE_GPU];

	if (!group_has_data(sum, p->nfine))
		return;
	if (p->ngpu > TL_MAX_GPU_LINES) {
		add_line(tl, sum, ROLE_GPU, xasprintf("GPUs (%d)", p->ngpu));
		return;
	}
	for (size_t i = 0; i < tl->ncursors; i++) {
		const struct tl_cursor *c = &tl->cursors[i];

		if (c->gpu_group >= 0 && group_has_data(&p->gpu[c->gpu_group], p->nfine))
			add_line(tl, &p->gpu[c->gpu_group], ROLE_GPU, gpu_label(tl, c));
	}
}

/* Share of the line series without samples, per chart bucket. */
static void
fold_missing(struct timeline *tl)
{
	struct tl_priv *p = priv(tl);
	double per = p->dur / tl->nbuckets * (p->nline_series ? p->nline_series : 1);

	tl->missing = xcalloc(tl->nbuckets, sizeof *tl->missing);
	for (int i = 0; i < p->nfine; i++)
		tl->missing[i / p->per_bucket] += p->missing[i] / per;
}

void
timeline_finish(struct timeline *tl)
{
	struct tl_priv *p = priv(tl);

	if (p == NULL || p->finished)
		return;
	p->finished = true;
	for (size_t i = 0; i < tl->ncursors; i++) {
		struct tl_cursor *c = &tl->cursors[i];

		if (c->have_last && c->last_t < tl->end)	/* hold to the end */
			add_segment(tl, c, (double)(c->last_t - tl->start), c->last_w,
			    p->dur, c->last_w, c->gap == 0 || tl->end - c->last_t <= c->gap);
		fine_flush(tl, &tl->cursors[i]);
		heat_flush(tl, &tl->cursors[i]);
		part_reset(&tl->cursors[i].fine, -1);
		part_reset(&tl->cursors[i].heat, -1);
	}
	for (int r = 0; r < ROLE_N; r++) {
		const struct group *g = &p->role[r];

		p->peak[r] = group_peak(g, p->nfine);
		if (r == ROLE_GPU || r == ROLE_OTHER || !group_has_data(g, p->nfine))
			continue;
		add_line(tl, g, r, xstrdup(metric_role_label[r]));
	}
	make_gpu_lines(tl);
	fold_missing(tl);
}

double
timeline_peak(const struct timeline *tl, enum metric_role role)
{
	if (tl->priv == NULL || role < 0 || role >= ROLE_N)
		return NAN;
	return priv(tl)->peak[role];
}

void
timeline_free(struct timeline *tl)
{
	struct tl_priv *p = priv(tl);

	for (size_t i = 0; i < tl->nlines; i++) {
		free(tl->lines[i].label);
		free(tl->lines[i].mean);
		free(tl->lines[i].lo);
		free(tl->lines[i].hi);
	}
	free(tl->lines);
	for (size_t i = 0; i < tl->ncursors; i++) {
		free(tl->cursors[i].host);
		free(tl->cursors[i].fqdd);
	}
	free(tl->cursors);
	free(tl->heat);
	free(tl->missing);
	if (p != NULL) {
		free(p->missing);
		for (int r = 0; r < ROLE_N; r++)
			group_free(&p->role[r]);
		for (int i = 0; i < TL_MAX_GPU_LINES; i++)
			group_free(&p->gpu[i]);
		free(p);
	}
	memset(tl, 0, sizeof *tl);
}
