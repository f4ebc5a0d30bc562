/*
 * collect.c - the sample sink at the centre of the data flow.  Every sample
 * a source streams is routed to its node's series integrator, to the chart
 * timeline, and written to raw_power.csv, then forgotten: memory depends on
 * the number of series, never on the number of samples.  Only what the
 * report rests on goes on: the samples inside the window and the edge
 * samples the integrator uses, so a --from-csv slice of a long file keeps
 * raw_power.csv and the sample count to the slice.
 */
#include "collect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "rawcsv.h"

#define POLL_EVERY 65536	/* samples between interrupt/progress checks */

struct cseries {
	struct series s;
	int tl_handle;		/* -1: not charted */
	usec_t tl_gap;		/* gap threshold the timeline has */
	char *pre_source;	/* the held sample before the window: source, */
	double pre_value;	/* value as given */
};

struct cnode {
	char *hostname;
	const struct rule *rule;
	struct cseries *series;
	size_t nseries, cap;
	size_t last;		/* series of the previous sample (cache) */
	struct strlist warnings;
};

struct collector {
	const struct job *job;
	const struct config *cfg;
	FILE *raw;
	struct cnode *nodes;	/* job order */
	size_t nnodes;
	size_t *by_name;	/* node indexes sorted by hostname */
	size_t last;		/* node of the previous sample (cache) */
	char **names;		/* hostnames for the timeline (borrowed) */
	struct timeline tl;
	usec_t gap_threshold;	/* configured; 0: the source's interval of the
				 * series, else estimated (series.h) */
	size_t nreceived, nsamples, nignored;
	struct strlist warnings;
	struct sample_sink sink;
	const struct series_cuts *cuts;	/* input energy split in time, or NULL */
	int progress;		/* print progress on a terminal */
	time_t started;
};

static const struct collector *sort_ctx;

static int
cmp_name(const void *a, const void *b)
{
	const struct cnode *n = sort_ctx->nodes;

	return strcmp(n[*(const size_t *)a].hostname, n[*(const size_t *)b].hostname);
}

/* The node a sample belongs to, or NULL when the host is not in the job. */
static struct cnode *
find_node(struct collector *c, const char *hostname)
{
	size_t lo = 0, hi = c->nnodes;

	if (c->nnodes > 0 && strcmp(c->nodes[c->last].hostname, hostname) == 0)
		return &c->nodes[c->last];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = strcmp(c->nodes[c->by_name[mid]].hostname, hostname);
		if (d == 0) {
			c->last = c->by_name[mid];
			return &c->nodes[c->last];
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

double
collect_max_w(const struct config *cfg, enum metric_role role)
{
	double max = role == ROLE_INPUT || role == ROLE_OUTPUT ? cfg->max_node_w :
	    role == ROLE_GPU ? cfg->max_gpu_w :
	    role == ROLE_OTHER ? 0 : cfg->max_component_w;

	return max > 0 ? max : series_default_max_w(role);
}

static struct cseries *
new_series(struct collector *c, struct cnode *n, const struct sample *smp)
{
	struct cseries *cs;

	if (n->nseries == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 8;
		n->series = xrealloc(n->series, n->cap * sizeof *n->series);
	}
	cs = &n->series[n->nseries++];
	series_init(&cs->s, smp->metric, smp->fqdd, smp->units, c->job->start,
	    c->job->end, c->gap_threshold > 0 ? c->gap_threshold : 3 * smp->interval);
	cs->s.hi_w = collect_max_w(c->cfg, cs->s.role);
	if (cs->s.role == ROLE_INPUT)
		series_set_cuts(&cs->s, c->cuts);
	cs->tl_handle = -1;
	cs->tl_gap = c->gap_threshold;
	cs->pre_source = NULL;
	if (cs->s.role != ROLE_OTHER && cs->s.scale > 0)
		cs->tl_handle = timeline_series(&c->tl, (size_t)(n - c->nodes),
		    cs->s.role, n->hostname, smp->fqdd);
	return cs;
}

static struct cseries *
find_series(struct collector *c, struct cnode *n, const struct sample *smp)
{
	struct cseries *cs;

	if (n->nseries > 0) {
		cs = &n->series[n->last];
		if (strcmp(cs->s.metric, smp->metric) == 0 &&
		    strcmp(cs->s.fqdd, smp->fqdd) == 0)
			return cs;
	}
	for (size_t i = 0; i < n->nseries; i++) {
		cs = &n->series[i];
		if (strcmp(cs->s.metric, smp->metric) == 0 &&
		    strcmp(cs->s.fqdd, smp->fqdd) == 0) {
			n->last = i;
			return cs;
		}
	}
	cs = new_series(c, n, smp);
	n->last = n->nseries - 1;
	return cs;
}

static void
show_progress(struct collector *c)
{
	time_t now = time(NULL);

	if (now - c->started < 1)
		return;
	fprintf(stderr, "\rpowerreport: %zu samples read (%ld s)", c->nreceived,
	    (long)(now - c->started));
}

/* Tell the timeline the series' gap threshold once it is known (given at
 * the start, or estimated after the first spacings). */
static void
sync_gap(struct collector *c, struct cseries *cs)
{
	if (cs->tl_handle >= 0 && cs->s.gap_threshold != cs->tl_gap) {
		cs->tl_gap = cs->s.gap_threshold;
		timeline_set_gap(&c->tl, cs->tl_handle, cs->tl_gap);
	}
}

/* Pass a sample the integrator used on to the timeline and raw_power.csv. */
static void
pass_on(struct collector *c, struct cseries *cs, const struct sample *smp,
    bool used)
{
	if (used && cs->tl_handle >= 0)
		timeline_add(&c->tl, cs->tl_handle, smp->t, smp->value * cs->s.scale);
	if (c->raw != NULL)
		rawcsv_write_row(c->raw, smp);
	c->nsamples++;
}

/* The held sample before the window, now used: its row comes first. */
static void
pass_on_pre(struct collector *c, struct cseries *cs, const struct sample *smp)
{
	struct sample pre = *smp;

	pre.t = cs->s.first_t;
	pre.value = cs->pre_value;
	pre.source = cs->pre_source != NULL ? cs->pre_source : "";
	pass_on(c, cs, &pre, true);
}

/* Keep what raw_power.csv needs of a sample before the window, in case it
 * is the one used at the edge. */
static void
hold_pre(struct cseries *cs, const char *source, double value)
{
	cs->pre_value = value;
	if (cs->pre_source == NULL || strcmp(cs->pre_source, source) != 0) {
		free(cs->pre_source);
		cs->pre_source = xstrdup(source);
	}
}

static int
take_sample(void *ctx, const struct sample *in)
{
	struct collector *c = ctx;
	struct cnode *n = find_node(c, in->hostname);
	struct sample smp = *in;
	struct cseries *cs;
	unsigned used;

	if (n == NULL) {
		c->nignored++;
		return PR_OK;
	}
	smp.value = float4_decimal(in->value);
	cs = find_series(c, n, &smp);
	used = series_add(&cs->s, smp.t, smp.value);
	sync_gap(c, cs);
	if (used & SERIES_USED_PRE)
		pass_on_pre(c, cs, &smp);
	if (cs->s.have_pre && cs->s.pre_t == smp.t)	/* held by the integrator */
		hold_pre(cs, smp.source, smp.value);
	if ((used & SERIES_USED) || (smp.t >= c->job->start && smp.t <= c->job->end))
		pass_on(c, cs, &smp, used & SERIES_USED);
	if (++c->nreceived % POLL_EVERY == 0) {
		if (pr_interrupted)
			return pr_fail(PR_EINTR, "interrupted by a signal; no report written");
		if (c->progress)
			show_progress(c);
	}
	return PR_OK;
}

static void
take_note(void *ctx, const char *hostname, const char *msg)
{
	struct collector *c = ctx;
	struct cnode *n = hostname != NULL ? find_node(c, hostname) : NULL;

	strlist_add(n != NULL ? &n->warnings : &c->warnings, msg);
}

struct collector *
collector_new(const struct job *job, const struct plan *plan,
    const struct config *cfg, FILE *raw_csv)
{
	struct collector *c = xcalloc(1, sizeof *c);

	c->job = job;
	c->cfg = cfg;
	c->raw = raw_csv;
	c->nnodes = plan->n;
	c->nodes = xcalloc(plan->n, sizeof *c->nodes);
	c->by_name = xcalloc(plan->n, sizeof *c->by_name);
	c->names = xcalloc(plan->n, sizeof *c->names);
	for (size_t i = 0; i < plan->n; i++) {
		c->nodes[i].hostname = xstrdup(plan->nodes[i].hostname);
		c->nodes[i].rule = plan->nodes[i].rule;
		c->names[i] = c->nodes[i].hostname;
		c->by_name[i] = i;
	}
	sort_ctx = c;
	if (c->nnodes > 1)
		qsort(c->by_name, c->nnodes, sizeof *c->by_name, cmp_name);
	c->gap_threshold = (usec_t)(3 * cfg->sampling_interval_s * USEC_PER_SEC);	/* 0: per series */
	timeline_init(&c->tl, job->start, job->end, c->gap_threshold, c->nnodes, c->names);
	c->sink.sample = take_sample;
	c->sink.note = take_note;
	c->sink.ctx = c;
	c->progress = pr_verbosity >= 1 && isatty(STDERR_FILENO);
	c->started = time(NULL);
	if (raw_csv != NULL)
		rawcsv_write_header(raw_csv);
	return c;
}

void
collector_set_cuts(struct collector *c, const struct series_cuts *cuts)
{
	c->cuts = cuts;
}

const struct sample_sink *
collector_sink(struct collector *c)
{
	return &c->sink;
}

/* Series in one order whatever order the source delivered them in (a
 * database run and a --from-csv rerun of its raw_power.csv agree): by
 * role, metric, device. */
static int
cmp_series(const void *a, const void *b)
{
	const struct series *x = a, *y = b;
	int d = (int)x->role - (int)y->role;

	if (d == 0)
		d = strcmp(x->metric, y->metric);
	return d != 0 ? d : strcmp(x->fqdd, y->fqdd);
}

static void
finish_node(struct cnode *n, struct node_result *nr)
{
	nr->hostname = n->hostname;
	nr->database = n->rule != NULL ? xstrdup(n->rule->database) : NULL;
	nr->nseries = n->nseries;
	nr->series = xcalloc(n->nseries, sizeof *nr->series);
	for (size_t i = 0; i < n->nseries; i++) {
		nr->series[i] = n->series[i].s;
		free(n->series[i].pre_source);
	}
	if (nr->nseries > 1)
		qsort(nr->series, nr->nseries, sizeof *nr->series, cmp_series);
	nr->warnings = n->warnings;
	free(n->series);
	n->hostname = NULL;
	n->series = NULL;
	n->nseries = 0;
	memset(&n->warnings, 0, sizeof n->warnings);
}

/* Close every series, and give the timeline the gap thresholds that were
 * only settled at the end (series with fewer than SERIES_PROBE spacings). */
static void
finish_series(struct collector *c)
{
	for (size_t i = 0; i < c->nnodes; i++)
		for (size_t j = 0; j < c->nodes[i].nseries; j++) {
			struct cseries *cs = &c->nodes[i].series[j];

			series_finish(&cs->s);
			sync_gap(c, cs);
		}
	timeline_finish(&c->tl);
}

/* Samples came, but every value was implausible: bad input, not no data. */
static bool
all_implausible(const struct report *rep)
{
	size_t dropped = 0;

	for (size_t i = 0; i < rep->nnodes; i++)
		for (size_t j = 0; j < rep->nodes[i].nseries; j++) {
			const struct series *s = &rep->nodes[i].series[j];

			if (s->nsamples > 0)
				return false;
			dropped += s->nnonfinite + s->nimplausible;
		}
	return dropped > 0;
}

int
collector_finish(struct collector *c, struct report *rep)
{
	if (c->progress && c->nreceived >= POLL_EVERY)
		fputc('\n', stderr);
	finish_series(c);
	rep->job = c->job;
	rep->cfg = c->cfg;
	rep->nnodes = c->nnodes;
	rep->nodes = xcalloc(c->nnodes, sizeof *rep->nodes);
	for (size_t i = 0; i < c->nnodes; i++)
		finish_node(&c->nodes[i], &rep->nodes[i]);
	rep->nsamples = c->nsamples;
	rep->nignored = c->nignored;
	rep->warnings = c->warnings;
	memset(&c->warnings, 0, sizeof c->warnings);
	rep->tl = c->tl;
	memset(&c->tl, 0, sizeof c->tl);
	/* The timeline borrows the names; hand them to the report too. */
	for (size_t i = 0; i < c->nnodes; i++)
		c->names[i] = rep->nodes[i].hostname;
	rep->tl.node_names = c->names;
	c->names = NULL;
	if (c->nignored > 0)
		strlist_addf(&rep->warnings, "%zu samples of hosts outside the job's "
		    "nodelist were ignored", c->nignored);
	report_breakdown(rep);
	report_key_figures(rep);
	if (all_implausible(rep))
		return pr_fail(PR_EDATA, "every power value for job %s is implausible "
		    "(not finite, negative, or above the telemetry.max_*_w limits): "
		    "check the telemetry, or raise the limits in the configuration",
		    c->job->id);
	if (c->nsamples == 0)
		return pr_fail(PR_ENODATA, "no telemetry for job %s on %s in the "
		    "window: check the nodelist, the times and that the nodes report "
		    "to the database", c->job->id, c->job->nodelist);
	return PR_OK;
}

void
collector_free(struct collector *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nnodes; i++) {
		for (size_t j = 0; j < c->nodes[i].nseries; j++) {
			series_free(&c->nodes[i].series[j].s);
			free(c->nodes[i].series[j].pre_source);
		}
		free(c->nodes[i].series);
		free(c->nodes[i].hostname);
		strlist_free(&c->nodes[i].warnings);
	}
	timeline_free(&c->tl);
	strlist_free(&c->warnings);
	free(c->nodes);
	free(c->by_name);
	free(c->names);
	free(c);
}
