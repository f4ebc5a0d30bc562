/*
 * attribution.c - which share of each node's energy was the job's, and how
 * much of it was spent while the node sat idle (attribution.h).
 *
 * Each node's slurm.node_jobs rows become step functions over the job
 * window (the job's share, the other jobs', the unallocated rest), its
 * cpu_load rows a step function of "idle"; every power sample of a node
 * that needs it is integrated once more against each of them, with the
 * same trapezoids and edge holds as series.c, so the job's part of a
 * stretch is exact and the parts add up to the node.  Memory grows with
 * the node_jobs rows of the window, never with the power samples.
 */
#include "attribution.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

const char *const cpus_from_label[] = {
	"unknown", "configuration", "public.nodes", "allocated CPUs"
};

const char *const idle_from_label[] = {
	"none", "cpu_load", "idle_w", "lowest sustained power", "gpu_util"
};

#define MAX_WORK_UNIT 32	/* bytes of a work unit from a job comment */

static double
product(double a, double b)
{
	return a * b;
}

/* ---- from rows to steps ---- */

struct share {
	double job, others, free;
};

static const struct share whole_node = { 1, 0, 0 };

static void
add_share(struct node_usage *n, usec_t t, struct share s)
{
	steps_add(&n->ch[CH_JOB], t, s.job);
	steps_add(&n->ch[CH_OTHERS], t, s.others);
	steps_add(&n->ch[CH_FREE], t, s.free);
}

/* The split of a row, or the whole node when the row does not say. */
static bool
row_share(const struct node_usage *n, const struct node_jobs_run *r, struct share *s)
{
	int d = n->cpus > r->all_cpus ? n->cpus : r->all_cpus;

	if (r->job_cpus < 0 || d <= 0)
		return false;
	s->job = (double)r->job_cpus / d;
	s->others = (double)(r->all_cpus - r->job_cpus) / d;
	s->free = 1.0 - (double)r->all_cpus / d;
	return true;
}

/* Where a run whose last row is at last stops covering: stale_us after
 * it, or where the next run starts. */
static usec_t
row_end(const usec_t *next, usec_t last, usec_t stale_us, usec_t end)
{
	usec_t e = last + stale_us;

	if (next != NULL && *next < e)
		e = *next;
	return e < end ? e : end;
}

struct stretch_totals {
	usec_t uncovered, absent;
	double share_us, core_us;
};

static void
build_shares(struct node_usage *n, usec_t start, usec_t end, usec_t stale_us,
    struct stretch_totals *tot)
{
	usec_t t = start;

	for (size_t i = 0; i < n->njobs && t < end; i++) {
		const struct node_jobs_run *r = &n->jobs[i];
		usec_t a = r->t > start ? r->t : start;
		usec_t b = row_end(i + 1 < n->njobs ? &n->jobs[i + 1].t : NULL,
		    r->last, stale_us, end);
		struct share s;

		if (b <= a || a < t)
			continue;
		if (a > t) {
			add_share(n, t, whole_node);
			tot->uncovered += a - t;
			tot->share_us += (double)(a - t);
		}
		if (row_share(n, r, &s)) {
			add_share(n, a, s);
			tot->share_us += s.job * (double)(b - a);
			tot->core_us += (double)r->job_cpus * (double)(b - a);
			n->shared |= s.job != 1.0;
		} else {
			add_share(n, a, whole_node);
			tot->absent += b - a;
			tot->share_us += (double)(b - a);
		}
		t = b;
	}
	if (t < end) {
		add_share(n, t, whole_node);
		tot->uncovered += end - t;
		tot->share_us += (double)(end - t);
	}
}

int
attribution_node_cpus(const struct node_usage *n)
{
	int most = 0;

	if (n->cpus > 0)
		return n->cpus;
	for (size_t i = 0; i < n->njobs; i++)
		if (n->jobs[i].all_cpus > most)
			most = n->jobs[i].all_cpus;
	return most;
}

/* Idle (1) where the load was under the threshold, 0 elsewhere and where
 * no row says; with the mean load and the share of rows under it. */
static void
build_idle(struct node_usage *n, usec_t start, usec_t end, usec_t stale_us)
{
	struct steps idle = { 0 };
	int cpus = attribution_node_cpus(n);
	double sum = 0;
	size_t count = 0, low = 0;
	usec_t t = start;

	if (n->nload == 0 || cpus <= 0)
		return;
	for (size_t i = 0; i < n->nload && t < end; i++) {
		const struct load_run *r = &n->load[i];
		usec_t a = r->t > start ? r->t : start;
		usec_t b = row_end(i + 1 < n->nload ? &n->load[i + 1].t : NULL,
		    r->last, stale_us, end);

		sum += r->sum;
		count += r->count;
		low += r->idle ? r->count : 0;
		if (b <= a || a < t)
			continue;
		if (a > t)
			steps_add(&idle, t, 0);
		steps_add(&idle, a, r->idle ? 1 : 0);
		t = b;
	}
	if (t < end)
		steps_add(&idle, t, 0);
	if (count > 0) {
		n->load_mean = sum / (double)count / cpus;
		n->low_load_share = (double)low / (double)count;
		steps_combine(&idle, &n->ch[CH_JOB], end, product, &n->ch[CH_IDLE]);
		n->idle_on = idle;
	} else
		steps_free(&idle);
}

static void
node_notes(struct node_usage *n, const struct stretch_totals *tot,
    struct strlist *notes, bool have_table)
{
	char d[32];

	if (!have_table)
		return;
	if (n->njobs == 0) {
		strlist_add(notes, "no slurm.node_jobs rows in the window: "
		    "the whole node is charged to the job");
		return;
	}
	if (tot->uncovered > 0) {
		time_format_duration(tot->uncovered, d, sizeof d);
		strlist_addf(notes, "slurm.node_jobs has no fresh row for %s of "
		    "the window: the whole node is charged there", d);
	}
	if (tot->absent > 0) {
		time_format_duration(tot->absent, d, sizeof d);
		strlist_addf(notes, "slurm.node_jobs does not list the job for %s "
		    "of its window: the whole node is charged there", d);
	}
	if (n->shared && n->cpus_from == CPUS_ALLOCATED)
		strlist_add(notes, "the node's CPU count is unknown (set \"cpus\" "
		    "in its rule): shares are of the CPUs allocated at the time");
}

void
attribution_prepare(struct attribution *a, usec_t start, usec_t end)
{
	usec_t stale_us = (usec_t)(a->stale_s * USEC_PER_SEC);
	double window = (double)(end - start);

	a->start = start;
	a->end = end;
	for (size_t i = 0; i < a->n; i++) {
		struct node_usage *n = &a->nodes[i];
		struct stretch_totals tot = { 0 };
		struct strlist notes = { 0 };

		if (n->cpus == 0 && n->njobs > 0)
			n->cpus_from = CPUS_ALLOCATED;
		build_shares(n, start, end, stale_us, &tot);
		if (a->have_node_jobs && window > 0)
			n->mean_share = tot.share_us / window;
		if (n->njobs > 0 && tot.uncovered == 0 && tot.absent == 0)
			n->core_hours = tot.core_us / 3600e6;
		build_idle(n, start, end, stale_us);
		n->weigh = n->shared || n->ch[CH_IDLE].n > 0;
		a->any_shared |= n->shared;
		node_notes(n, &tot, &notes, a->have_node_jobs);
		/* kept until the report exists; see attribution_apply */
		for (size_t k = 0; k < notes.n; k++)
			strlist_addf(&a->notes, "%s\t%s", n->hostname, notes.v[k]);
		strlist_free(&notes);
	}
	attribution_gpu_prepare(a, start, end);
}

/* ---- weighing samples as they stream ---- */

static double
lerp(usec_t t0, double w0, usec_t t1, double w1, usec_t t)
{
	return t1 == t0 ? w0 : w0 + (w1 - w0) * (double)(t - t0) / (double)(t1 - t0);
}

/* Twice the integral over [a, b] of the line through (t0, w0), (t1, w1)
 * weighted by s, from step *k on (moved along). */
static double
weigh_segment(const struct steps *s, size_t *k, usec_t end, usec_t t0, double w0,
    usec_t t1, double w1, usec_t a, usec_t b)
{
	double sum = 0;

	while (*k < s->n && a < b) {
		usec_t e = step_end(s, *k, end);
		usec_t sa = s->t[*k] > a ? s->t[*k] : a, sb = e < b ? e : b;

		if (sb > sa && s->v[*k] != 0)
			sum += s->v[*k] * (lerp(t0, w0, t1, w1, sa) +
			    lerp(t0, w0, t1, w1, sb)) * (double)(sb - sa);
		if (e >= b)
			break;
		(*k)++;
	}
	return sum;
}

/* The segment into the sums j of every channel of ch (cursors cur). */
static void
weigh_channels(const struct steps ch[CH_N], size_t cur[CH_N], double j[CH_N],
    usec_t end, usec_t t0, double w0, usec_t t1, double w1, usec_t a, usec_t b)
{
	for (int c = 0; c < CH_N; c++)
		j[c] += weigh_segment(&ch[c], &cur[c], end, t0, w0, t1, w1, a, b);
}

static void
ws_add(struct node_usage *n, struct wseries *ws, usec_t start, usec_t end,
    usec_t t, double value)
{
	double w;

	if (isnan(value) || ws->scale == 0 || (ws->have_last && t <= ws->last_t))
		return;
	w = value * ws->scale;
	if (!ws->have_last) {
		ws->have_last = true;
		ws->first_t = t;
		ws->first_w = w;
	} else {
		usec_t a = ws->last_t > start ? ws->last_t : start;
		usec_t b = t < end ? t : end;

		weigh_channels(n->ch, ws->cur, ws->j, end, ws->last_t, ws->last_w,
		    t, w, a, b);
		if (ws->gch != NULL)
			weigh_channels(ws->gch, ws->gcur, ws->g, end, ws->last_t,
			    ws->last_w, t, w, a, b);
	}
	ws->last_t = t;
	ws->last_w = w;
}

/* Hold the first value back to the window start and the last on to its
 * end (series.c's convention), then turn the sums j against the channels
 * ch into joules. */
static void
ws_finish_channels(const struct wseries *ws, const struct steps ch[CH_N],
    size_t cur[CH_N], double j[CH_N], usec_t start, usec_t end)
{
	for (int c = 0; c < CH_N; c++) {
		size_t k0 = 0;

		if (ws->have_last && ws->first_t > start)
			j[c] += weigh_segment(&ch[c], &k0, end, start,
			    ws->first_w, start, ws->first_w, start,
			    ws->first_t < end ? ws->first_t : end);
		if (ws->have_last && ws->last_t < end)
			j[c] += weigh_segment(&ch[c], &cur[c], end, start,
			    ws->last_w, start, ws->last_w,
			    ws->last_t > start ? ws->last_t : start, end);
		j[c] *= 0.5e-6;
	}
}

static void
ws_finish(struct node_usage *n, struct wseries *ws, usec_t start, usec_t end)
{
	ws_finish_channels(ws, n->ch, ws->cur, ws->j, start, end);
	if (ws->gch != NULL)
		ws_finish_channels(ws, ws->gch, ws->gcur, ws->g, start, end);
}

static struct node_usage *
usage_of(struct attribution *a, const char *hostname)
{
	if (a->n > 0 && strcmp(a->nodes[a->last].hostname, hostname) == 0)
		return &a->nodes[a->last];
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->nodes[i].hostname, hostname) == 0) {
			a->last = i;
			return &a->nodes[i];
		}
	return NULL;
}

static struct wseries *
wseries_of(struct node_usage *n, const char *metric, const char *fqdd)
{
	if (n->nws > 0 && strcmp(n->ws[n->last].metric, metric) == 0 &&
	    strcmp(n->ws[n->last].fqdd, fqdd) == 0)
		return &n->ws[n->last];
	for (size_t i = 0; i < n->nws; i++)
		if (strcmp(n->ws[i].metric, metric) == 0 &&
		    strcmp(n->ws[i].fqdd, fqdd) == 0) {
			n->last = i;
			return &n->ws[i];
		}
	return NULL;
}

static struct wseries *
wseries_new(struct node_usage *n, const struct sample *smp)
{
	struct wseries *ws;

	if (n->nws == n->ws_cap) {
		n->ws_cap = n->ws_cap ? 2 * n->ws_cap : 8;
		n->ws = xrealloc(n->ws, n->ws_cap * sizeof *n->ws);
	}
	ws = &n->ws[n->nws];
	memset(ws, 0, sizeof *ws);
	ws->metric = xstrdup(smp->metric);
	ws->fqdd = xstrdup(smp->fqdd);
	ws->role = metric_role_of(smp->metric);
	ws->scale = units_to_watts(smp->units);
	ws->gch = ws->role == ROLE_GPU ? attribution_gpu_steps(n, smp->fqdd) : NULL;
	n->last = n->nws++;
	return ws;
}

/* The role of a metric id, remembered for the few ids a job has. */
static enum metric_role
role_of(struct attribution *a, const char *metric)
{
	size_t cap = sizeof a->roles / sizeof a->roles[0];
	enum metric_role role;

	for (size_t i = 0; i < a->nroles; i++)
		if (strcmp(a->roles[i].metric, metric) == 0)
			return a->roles[i].role;
	role = metric_role_of(metric);
	if (a->nroles < cap) {
		a->roles[a->nroles].metric = xstrdup(metric);
		a->roles[a->nroles++].role = role;
	}
	return role;
}

static int
weigh_sample(void *ctx, const struct sample *smp)
{
	struct attribution *a = ctx;
	struct node_usage *n = usage_of(a, smp->hostname);

	if (n != NULL && role_of(a, smp->metric) == ROLE_GPU)
		attribution_gpu_sample(n, smp, a->start, a->end);
	if (n != NULL && n->weigh) {
		struct wseries *ws = wseries_of(n, smp->metric, smp->fqdd);

		if (ws == NULL)
			ws = wseries_new(n, smp);
		ws_add(n, ws, a->start, a->end, smp->t, smp->value);
	}
	return a->next->sample(a->next->ctx, smp);
}

static void
pass_note(void *ctx, const char *hostname, const char *msg)
{
	struct attribution *a = ctx;

	a->next->note(a->next->ctx, hostname, msg);
}

/* Every sample passes: GPU samples feed the GPUs' idle buckets on every
 * node, other samples are weighed only on the nodes that need it. */
const struct sample_sink *
attribution_sink(struct attribution *a, const struct sample_sink *next)
{
	a->next = next;
	a->sink.sample = weigh_sample;
	a->sink.note = pass_note;
	a->sink.ctx = a;
	return &a->sink;
}

/* ---- charging the job ---- */

/* The breakdown formulas (README.md, "How the numbers are computed") on
 * the job's part of each role. */
static void
job_components(const double role_j[ROLE_N], const size_t role_n[ROLE_N], double e[COMP_N])
{
	static const enum component of_role[ROLE_N] = {
		[ROLE_CPU] = COMP_CPU, [ROLE_MEMORY] = COMP_MEMORY,
		[ROLE_STORAGE] = COMP_STORAGE, [ROLE_FAN] = COMP_FAN,
		[ROLE_GPU] = COMP_GPU,
	};
	double parts = 0;

	for (int c = 0; c < COMP_N; c++)
		e[c] = 0;
	for (int r = ROLE_CPU; r <= ROLE_GPU; r++)
		e[of_role[r]] = role_j[r];
	if (role_n[ROLE_INPUT] > 0 && role_n[ROLE_OUTPUT] > 0)
		e[COMP_PSU_LOSS] = fmax(0, role_j[ROLE_INPUT] - role_j[ROLE_OUTPUT]);
	for (int c = COMP_CPU; c < COMP_OTHERS; c++)
		parts += e[c];
	e[COMP_TOTAL] = role_n[ROLE_INPUT] > 0 ? role_j[ROLE_INPUT] : parts;
	if (role_n[ROLE_INPUT] > 0)
		e[COMP_OTHERS] = fmax(0, e[COMP_TOTAL] - parts);
}

/* The job's part of the node's energy, series by series. */
static void
charge_node(struct node_usage *u, struct node_result *n)
{
	double role_j[ROLE_N] = { 0 };
	size_t role_n[ROLE_N] = { 0 };

	u->series_job_j = xcalloc(n->nseries ? n->nseries : 1, sizeof *u->series_job_j);
	for (size_t k = 0; k < n->nseries; k++) {
		const struct series *s = &n->series[k];
		struct wseries *ws = wseries_of(u, s->metric, s->fqdd);

		if (s->scale == 0)
			continue;
		u->series_job_j[k] = ws != NULL ? ws->j[CH_JOB] : 0;
		role_j[s->role] += u->series_job_j[k];
		role_n[s->role]++;
	}
	job_components(role_j, role_n, n->energy_j);
}

/* Input energy of node u on channel c (the sum of the parts without an
 * input series); NAN when no sample was weighed. */
static double
node_channel(const struct node_usage *u, enum share_channel c)
{
	double in = 0, parts = 0;
	size_t nin = 0, nparts = 0;

	for (size_t k = 0; k < u->nws; k++) {
		const struct wseries *ws = &u->ws[k];

		if (ws->scale == 0 || !ws->have_last)
			continue;
		if (ws->role == ROLE_INPUT) {
			in += ws->j[c];
			nin++;
		} else if (ws->role >= ROLE_CPU && ws->role <= ROLE_GPU) {
			parts += ws->j[c];
			nparts++;
		}
	}
	if (nin > 0)
		return in;
	return nparts > 0 ? parts : NAN;
}

static double
nan_sum(double acc, double v)
{
	if (isnan(v))
		return acc;
	return isnan(acc) ? v : acc + v;
}

static void
retotal(struct report *rep)
{
	double seconds = (double)(rep->job->end - rep->job->start) / USEC_PER_SEC;

	for (int c = 0; c < COMP_N; c++) {
		rep->energy_j[c] = 0;
		for (size_t i = 0; i < rep->nnodes; i++)
			rep->energy_j[c] += rep->nodes[i].energy_j[c];
	}
	rep->avg_power_w = seconds > 0 ? rep->energy_j[COMP_TOTAL] / seconds : NAN;
	report_key_figures(rep);
}

/* kWh per node-hour is report.c's; these are per GPU-hour, per allocated
 * CPU-core-hour and per unit of the user's own work. */
static void
per_unit_figures(struct attribution *a, const struct report *rep)
{
	double hours = (double)(rep->job->end - rep->job->start) / 3600e6;
	double kwh = joules_to_kwh(rep->energy_j[COMP_TOTAL]);
	double core_hours = 0, gpus = 0;

	for (size_t i = 0; i < a->n && !isnan(core_hours); i++)
		core_hours = a->have_node_jobs ? core_hours + a->nodes[i].core_hours : NAN;
	if (isnan(core_hours) && a->job_cpus > 0)
		core_hours = a->job_cpus * hours;
	a->core_hours = core_hours;
	for (size_t i = 0; i < a->n && i < rep->nnodes; i++)
		gpus += attribution_gpu_count(&a->nodes[i], &rep->nodes[i]);
	a->gpu_hours = rep->ngpus > 0 ? gpus * hours : NAN;
	a->kwh_per_core_hour = core_hours > 0 ? kwh / core_hours : NAN;
	a->kwh_per_gpu_hour = a->gpu_hours > 0 ? kwh / a->gpu_hours : NAN;
	a->kwh_per_work = a->work > 0 ? kwh / a->work : NAN;
}

/* The notes of prepare ("host\ttext") into the nodes' warnings. */
static void
hand_over_notes(struct attribution *a, struct report *rep)
{
	for (size_t k = 0; k < a->notes.n; k++) {
		const char *tab = strchr(a->notes.v[k], '\t');
		size_t len = tab != NULL ? (size_t)(tab - a->notes.v[k]) : 0;

		for (size_t i = 0; tab != NULL && i < rep->nnodes; i++)
			if (strlen(rep->nodes[i].hostname) == len &&
			    strncmp(rep->nodes[i].hostname, a->notes.v[k], len) == 0)
				strlist_add(&rep->nodes[i].warnings, tab + 1);
		if (tab == NULL)
			strlist_add(&rep->warnings, a->notes.v[k]);
	}
}

void
attribution_apply(struct attribution *a, struct report *rep)
{
	a->idle_j = NAN;
	for (size_t i = 0; i < a->n && i < rep->nnodes; i++) {
		struct node_usage *u = &a->nodes[i];
		struct node_result *n = &rep->nodes[i];

		memcpy(u->node_j, n->energy_j, sizeof u->node_j);
		for (int c = 0; c < COMP_N; c++)
			a->node_j[c] += u->node_j[c];
		u->idle_j = u->others_j = u->free_j = NAN;
		for (size_t k = 0; u->weigh && k < u->nws; k++)
			ws_finish(u, &u->ws[k], a->start, a->end);
		attribution_gpu_charge(a, u);
		if (!u->weigh)
			continue;
		if (u->ch[CH_IDLE].n > 0) {
			u->idle_j = node_channel(u, CH_IDLE);
			u->idle_from = IDLE_CPU_LOAD;
		}
		a->idle_j = nan_sum(a->idle_j, u->idle_j);
		u->others_j = node_channel(u, CH_OTHERS);
		u->free_j = node_channel(u, CH_FREE);
		if (u->shared)
			charge_node(u, n);
	}
	attribution_power_idle(a, rep);
	attribution_gpu_idle(a);
	hand_over_notes(a, rep);
	if (a->any_shared)
		retotal(rep);
	per_unit_figures(a, rep);
	rep->attr = a;
}

const double *
attribution_node_energy(const struct report *rep, size_t i)
{
	return rep->attr != NULL && i < rep->attr->n ? rep->attr->nodes[i].node_j :
	    rep->nodes[i].energy_j;
}

const double *
attribution_total_node_energy(const struct report *rep)
{
	return rep->attr != NULL ? rep->attr->node_j : rep->energy_j;
}

double
attribution_series_energy(const struct report *rep, size_t i, size_t k)
{
	const struct node_usage *u = rep->attr != NULL && i < rep->attr->n ?
	    &rep->attr->nodes[i] : NULL;

	return u != NULL && u->series_job_j != NULL ? u->series_job_j[k] :
	    rep->nodes[i].series[k].energy_j;
}

/* ---- the user's own figure of merit ---- */

/* The item after "work=" up to the next comma: a positive number and an
 * optional ":unit" of printable characters. */
static int
parse_work_item(const char *p, size_t len, double *work, char **unit)
{
	char num[64], *end;
	const char *colon = memchr(p, ':', len);
	size_t nlen = colon != NULL ? (size_t)(colon - p) : len;
	size_t ulen = colon != NULL ? len - nlen - 1 : 0;

	if (nlen == 0 || nlen >= sizeof num || ulen > MAX_WORK_UNIT)
		return -1;
	memcpy(num, p, nlen);
	num[nlen] = '\0';
	*work = strtod(num, &end);
	if (*end != '\0' || !(*work > 0) || isinf(*work))
		return -1;
	for (size_t i = 0; i < ulen; i++)
		if (!isprint((unsigned char)colon[1 + i]) || colon[1 + i] == '"')
			return -1;
	*unit = ulen > 0 ? strndup(colon + 1, ulen) : NULL;
	return 1;
}

int
attribution_parse_work(const char *comment, const char *keyword, double *work,
    char **unit)
{
	const char *p = comment, *kw = NULL;
	size_t klen = strlen(keyword);

	/* the keyword as a comma-separated item of its own */
	while (p != NULL && *p != '\0') {
		const char *e = strchr(p, ',');
		size_t len = e != NULL ? (size_t)(e - p) : strlen(p);

		if (kw != NULL && len > 5 && strncmp(p, "work=", 5) == 0)
			return parse_work_item(p + 5, len - 5, work, unit);
		if (len == klen && strncmp(p, keyword, klen) == 0)
			kw = p;
		p = e != NULL ? e + 1 : NULL;
	}
	return 0;
}

void
attribution_set_work(struct attribution *a, double work, const char *unit,
    const char *comment)
{
	const char *kw = getenv("MONSTER_POWER_COMMENT_KEYWORD");
	double w;
	char *u = NULL;

	if (work > 0) {
		a->work = work;
		a->work_unit = unit != NULL ? xstrdup(unit) : NULL;
		return;
	}
	if (comment == NULL)
		return;
	switch (attribution_parse_work(comment, kw != NULL && *kw ? kw : "power_profiling",
	    &w, &u)) {
	case 1:
		a->work = w;
		a->work_unit = u;
		break;
	case -1:
		strlist_add(&a->notes, "the job comment's \"work=\" is not a positive "
		    "number with an optional \":unit\" (e.g. work=1.2e6:timesteps): "
		    "no energy per unit of work");
		break;
	}
}

/* ---- lifetime ---- */

void
attribution_init(struct attribution *a, const struct plan *plan,
    const struct config *cfg)
{
	memset(a, 0, sizeof *a);
	a->n = plan->n;
	a->nodes = xcalloc(plan->n ? plan->n : 1, sizeof *a->nodes);
	for (size_t i = 0; i < plan->n; i++) {
		struct node_usage *n = &a->nodes[i];

		n->hostname = plan->nodes[i].hostname;
		n->rule = plan->nodes[i].rule;
		if (plan->nodes[i].rule != NULL && plan->nodes[i].rule->cpus > 0) {
			n->cpus = plan->nodes[i].rule->cpus;
			n->cpus_from = CPUS_CONFIG;
		}
		if (plan->nodes[i].rule != NULL) {
			n->gpu_fqdds = &plan->nodes[i].rule->gpu_fqdds;
			n->idle_w = plan->nodes[i].rule->idle_w;
			n->gpu_idle_w = plan->nodes[i].rule->gpu_idle_w;
		}
		n->idle_level_w = NAN;
		n->mean_share = n->core_hours = NAN;
		n->load_mean = n->low_load_share = n->mem_mean = NAN;
		n->gpu_util_mean = NAN;
	}
	a->stale_s = cfg->node_jobs_stale_s;
	a->low_load = cfg->low_load;
	a->idle_margin = cfg->idle_margin;
	a->work = NAN;
	a->idle_j = a->core_hours = a->gpu_hours = NAN;
	a->gpu_idle_j = NAN;
	a->kwh_per_core_hour = a->kwh_per_gpu_hour = a->kwh_per_work = NAN;
}

void
attribution_free(struct attribution *a)
{
	for (size_t i = 0; i < a->n; i++) {
		struct node_usage *n = &a->nodes[i];

		for (size_t k = 0; k < n->nws; k++) {
			free(n->ws[k].metric);
			free(n->ws[k].fqdd);
		}
		free(n->ws);
		for (int c = 0; c < CH_N; c++) {
			steps_free(&n->ch[c]);
			steps_free(&n->held[c]);
			steps_free(&n->not_held[c]);
		}
		steps_free(&n->idle_on);
		free(n->jobs);
		free(n->load);
		free(n->series_job_j);
		attribution_gpu_free(n);
		attribution_stretches_free(n);
	}
	for (size_t i = 0; i < a->nroles; i++)
		free(a->roles[i].metric);
	free(a->nodes);
	free(a->work_unit);
	strlist_free(&a->notes);
	memset(a, 0, sizeof *a);
}
