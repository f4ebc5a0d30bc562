/*
 * history.c - the earlier runs of a report's job: one statement per
 * database for the runs (slurm.jobs: same user, same name or same array,
 * completed, ended before this job did), then one per database for all
 * their energies (pg_energy.c), within history.budget_ms (the statement
 * timeout of both, and checked between them).
 */
#include "history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "pg_conn.h"
#include "pg_energy.h"
#include "pg_jobs.h"

/* The same user's completed runs of the same name or array ($3, $4, $5),
 * other than this job ($1), that ended by $2; newest first, at most $6.
 * array_job_id is read through to_jsonb: a jobs table without it answers. */
static const char runs_sql[] =
	"SELECT j.job_id::text, j.start_time::int8, j.end_time::int8,"
	" coalesce(array_to_string(j.nodes, ','), '')"
	" FROM %s j WHERE j.job_id::text <> ALL($1::text[]) AND j.end_time <= $2::int8"
	" AND j.start_time > 0 AND j.end_time > j.start_time"
	" AND 'COMPLETED' = ANY(j.job_state) AND j.user_name = $3"
	" AND (j.name = $4 OR ($5 <> '' AND"
	"  (to_jsonb(j) ->> 'array_job_id' = $5 OR j.job_id::text = $5)))"
	" ORDER BY j.end_time DESC, j.job_id DESC LIMIT $6::int";

double
history_per_node_hour(double energy_j, double node_hours)
{
	return node_hours > 0 && !isnan(energy_j) ? energy_j / 3.6e6 / node_hours : NAN;
}

static void
run_free(struct history_run *r)
{
	free(r->id);
	free(r->nodelist);
}

void
history_free(struct history *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->n; i++)
		run_free(&h->runs[i]);
	free(h->runs);
	free(h->sentence);
	free(h);
}

static int
known_run(const struct history *h, const char *id)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->runs[i].id, id) == 0)
			return 1;
	return 0;
}

/* The runs one database listed, added to h (a run listed twice counts once). */
static void
take_runs(void *ctx, const PGresult *res)
{
	struct history *h = ctx;
	struct history_run *run;

	for (int r = 0; r < PQntuples(res); r++) {
		if (known_run(h, PQgetvalue(res, r, 0)))
			continue;
		h->runs = xrealloc(h->runs, (h->n + 1) * sizeof *h->runs);
		run = &h->runs[h->n++];
		memset(run, 0, sizeof *run);
		run->id = xstrdup(PQgetvalue(res, r, 0));
		run->e.start = strtoll(PQgetvalue(res, r, 1), NULL, 10) * USEC_PER_SEC;
		run->e.end = strtoll(PQgetvalue(res, r, 2), NULL, 10) * USEC_PER_SEC;
		run->nodelist = xstrdup(PQgetvalue(res, r, 3));
		run->e.nodelist = run->nodelist;
		run->e.energy_j = NAN;
	}
}

/* Newest first. */
static int
cmp_end(const void *a, const void *b)
{
	const struct history_run *x = a, *y = b;

	if (x->e.end != y->e.end)
		return x->e.end > y->e.end ? -1 : 1;
	return strcmp(y->id, x->id);
}

/* Ask the jobs table of every database serving the job's nodes; keep the
 * newest max runs. */
static int
find_runs(struct history *h, const struct config *cfg, const struct job *job, size_t max)
{
	const char *ids[2] = { job->id, job->slurm_id != NULL ? job->slurm_id : job->id };
	const char *param[6];
	char end[24], limit[24];
	int rc;

	snprintf(end, sizeof end, "%lld", (long long)(job->end / USEC_PER_SEC));
	snprintf(limit, sizeof limit, "%zu", max);
	param[0] = pg_array_literal(ids, 2);
	param[1] = end;
	param[2] = job->user;
	param[3] = job->name != NULL ? job->name : "";
	param[4] = job->array_job_id != NULL ? job->array_job_id : "";
	param[5] = limit;
	rc = pg_jobs_each(cfg, &job->nodes, runs_sql, "looking up earlier runs", 6, param,
	    take_runs, h);
	free((char *)param[0]);
	if (h->n > 1)
		qsort(h->runs, h->n, sizeof *h->runs, cmp_end);
	while (h->n > max)
		run_free(&h->runs[--h->n]);
	return rc;
}

/* The energies of every run, in one statement per database. */
static int
run_energies(struct history *h, const struct config *cfg)
{
	struct energy_job **e = xcalloc(h->n + 1, sizeof *e);
	int rc;

	for (size_t i = 0; i < h->n; i++)
		e[i] = &h->runs[i].e;
	rc = pg_energy_jobs(cfg, e, h->n, NULL, NULL);
	free(e);
	return rc;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median kWh per node-hour of the runs, and this run's place. */
static void
compare(struct history *h, const struct report *rep)
{
	double *v = xcalloc(h->n + 1, sizeof *v), now = rep->kwh_per_node_hour, pct;
	size_t n = 0;

	for (size_t i = 0; i < h->n; i++)
		if (!isnan(history_per_node_hour(h->runs[i].e.energy_j, h->runs[i].e.node_hours)))
			v[n++] = history_per_node_hour(h->runs[i].e.energy_j,
			    h->runs[i].e.node_hours);
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_double);
	h->nmedian = n;
	h->median = n == 0 ? NAN : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	free(v);
	if (isnan(now) || !(h->median > 0))
		return;
	pct = (now / h->median - 1) * 100;
	if (fabs(pct) < 1)
		h->sentence = xasprintf("within 1 %% of the median of your last %zu run%s",
		    n, n == 1 ? "" : "s");
	else
		h->sentence = xasprintf("%.0f %% %s the median of your last %zu run%s",
		    fabs(pct), pct > 0 ? "above" : "below", n, n == 1 ? "" : "s");
}

void
history_attach(struct report *rep)
{
	const struct job *job = rep->job;
	struct config cfg = *rep->cfg;	/* the budget as every statement's timeout */
	struct history *h;
	struct timespec t0;
	size_t max = (size_t)fmin(rep->cfg->history_runs, 1000);
	int rc;

	if (isnan(rep->cfg->history_runs) || max == 0 || job->user == NULL ||
	    (job->name == NULL && job->array_job_id == NULL))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cfg.statement_timeout_ms = rep->cfg->history_budget_ms;
	cfg.connect_timeout_s = (rep->cfg->history_budget_ms + 999) / 1000;
	if (cfg.connect_timeout_s > rep->cfg->connect_timeout_s)
		cfg.connect_timeout_s = rep->cfg->connect_timeout_s;
	h = xcalloc(1, sizeof *h);
	rc = find_runs(h, &cfg, job, max);
	if (rc == PR_OK && h->n > 0 && time_elapsed(&t0) * 1000 >= cfg.history_budget_ms)
		rc = pr_fail(PR_ESOURCE, "the time budget (history.budget_ms = %d) was spent "
		    "finding them", cfg.history_budget_ms);
	if (rc == PR_OK && h->n > 0)
		rc = run_energies(h, &cfg);
	if (rc != PR_OK) {
		strlist_addf(&rep->warnings, "earlier runs not shown: %s", pr_errmsg());
		pr_errclear();
		history_free(h);
		return;
	}
	pr_log(2, "%zu earlier runs in %.3f s", h->n, time_elapsed(&t0));
	if (h->n == 0) {
		history_free(h);
		return;
	}
	compare(h, rep);
	rep->history = h;
}

const char *const history_head[HISTORY_COLS] = {
	"Run", "Date", "Nodes", "Duration", "Energy (kWh)", "Per node-hour (kWh)",
	"Per GPU-hour (kWh)"
};

int
history_has_gpus(const struct report *rep)
{
	if (rep->ngpus > 0)
		return 1;
	for (size_t i = 0; i < rep->history->n; i++)
		if (rep->history->runs[i].e.ngpus > 0)
			return 1;
	return 0;
}

static void
cell_num(char *cell, double v, int decimals)
{
	if (isnan(v))
		snprintf(cell, 32, "\u2013");
	else
		snprintf(cell, 32, "%.*f", decimals, v);
}

void
history_row(const struct report *rep, size_t i, char cells[HISTORY_COLS][32])
{
	const struct energy_job *r = i > 0 ? &rep->history->runs[i - 1].e : NULL;
	usec_t start = r ? r->start : rep->job->start, end = r ? r->end : rep->job->end;
	double energy = r ? r->energy_j : rep->nodes_without_data == rep->nnodes ? NAN :
	    rep->energy_j[COMP_TOTAL];
	double node_hours = r ? r->node_hours : rep->node_hours;
	double gpu_hours = r ? r->gpu_hours : (double)rep->ngpus *
	    (double)(end - start) / (3600.0 * USEC_PER_SEC);
	char iso[40];

	snprintf(cells[0], 32, "%s%s", r ? rep->history->runs[i - 1].id : rep->job->id,
	    r ? "" : " (this run)");
	time_format_iso(start, iso);
	snprintf(cells[1], 32, "%.10s", iso);
	snprintf(cells[2], 32, "%zu", r ? r->nnodes : rep->nnodes);
	time_format_duration(end - start, cells[3], 32);
	cell_num(cells[4], isnan(energy) ? NAN : energy / 3.6e6, 3);
	cell_num(cells[5], history_per_node_hour(energy, node_hours), 3);
	cell_num(cells[6], gpu_hours > 0 && !isnan(energy) ? energy / 3.6e6 / gpu_hours : NAN,
	    3);
}
