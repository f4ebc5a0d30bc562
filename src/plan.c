/*
 * plan.c - node resolution: which database, schema and metrics hold the
 * telemetry of each node of the job.  Nodes no rule matches stay in the plan
 * (and in the report) as "no telemetry source"; only a job with no source at
 * all is an error.  plan_print is what --dry-run shows.
 */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

#define NAMES_SHOWN 4

static const char *
config_name(const struct plan *plan)
{
	return plan->config_path ? plan->config_path : "a configuration file";
}

/* The error when no node has a source: name a few of them. */
static int
no_source(const struct plan *plan)
{
	char names[256] = "";
	size_t i, used = 0;

	for (i = 0; i < plan->n && i < NAMES_SHOWN; i++)
		used += (size_t)snprintf(names + used, sizeof names - used, "%s%.40s",
		    i ? ", " : "", plan->nodes[i].hostname);
	if (plan->n > NAMES_SHOWN)
		snprintf(names + used, sizeof names - used, " and %zu more",
		    plan->n - NAMES_SHOWN);
	return pr_fail(PR_ENODATA, "no telemetry source for any node of the job "
	    "(%s): no rule matches them; add one under \"rules\" in %s",
	    names, config_name(plan));
}

int
plan_build(struct plan *plan, const struct job *job, const struct config *cfg)
{
	size_t matched = 0;

	plan->n = job->nodes.n;
	plan->nodes = xcalloc(plan->n, sizeof *plan->nodes);
	plan->config_path = cfg->path;
	for (size_t i = 0; i < plan->n; i++) {
		plan->nodes[i].hostname = xstrdup(job->nodes.v[i]);
		plan->nodes[i].rule = config_rule_for(cfg, job->nodes.v[i]);
		if (plan->nodes[i].rule != NULL)
			matched++;
	}
	if (plan->n == 0)
		return pr_fail(PR_ENODATA, "the job has no nodes: nothing to "
		    "report on");
	if (matched == 0)
		return no_source(plan);
	return PR_OK;
}

static int
width(size_t n)
{
	return n > 64 ? 64 : (int)n;
}

void
plan_print(FILE *fp, const struct plan *plan)
{
	size_t wh = 0, wd = 0, ws = 0;
	const struct rule *r;

	for (size_t i = 0; i < plan->n; i++) {
		if (strlen(plan->nodes[i].hostname) > wh)
			wh = strlen(plan->nodes[i].hostname);
		if ((r = plan->nodes[i].rule) == NULL)
			continue;
		if (strlen(r->database) > wd)
			wd = strlen(r->database);
		if (strlen(r->schema) > ws)
			ws = strlen(r->schema);
	}
	for (size_t i = 0; i < plan->n; i++) {
		fprintf(fp, "%-*s  ", width(wh), plan->nodes[i].hostname);
		if ((r = plan->nodes[i].rule) == NULL) {
			fprintf(fp, "no telemetry source (no rule matches; add one "
			    "under \"rules\" in %s)\n", config_name(plan));
			continue;
		}
		fprintf(fp, "%-*s  %-*s  ", width(wd), r->database, width(ws),
		    r->schema);
		for (size_t m = 0; m < r->metrics.n; m++)
			fprintf(fp, "%s%s", m ? "," : "", r->metrics.v[m]);
		fputc('\n', fp);
	}
}

void
plan_free(struct plan *plan)
{
	for (size_t i = 0; i < plan->n; i++)
		free(plan->nodes[i].hostname);
	free(plan->nodes);
	memset(plan, 0, sizeof *plan);
}

/* A raw CSV carries its own data: every node of the job is read from it,
 * whether or not a database rule matches the node. */
void
plan_for_csv(struct plan *plan, const struct job *job, const struct config *cfg)
{
	plan->n = job->nodes.n;
	plan->nodes = xcalloc(plan->n, sizeof *plan->nodes);
	for (size_t i = 0; i < plan->n; i++) {
		plan->nodes[i].hostname = xstrdup(job->nodes.v[i]);
		plan->nodes[i].rule = config_rule_for(cfg, job->nodes.v[i]);
	}
}
