/*
 * plan.h - node resolution: each node of the job mapped to the config rule
 * (database, schema, metrics) that holds its telemetry.  A node matching no
 * rule stays in the plan with rule == NULL ("no telemetry source").
 */
#ifndef PR_PLAN_H
#define PR_PLAN_H

#include <stdio.h>

#include "config.h"
#include "job.h"

struct plan_node {
	char *hostname;
	const struct rule *rule;	/* NULL: no telemetry source */
};

struct plan {
	struct plan_node *nodes;	/* in job order */
	size_t n;
	const char *config_path;	/* cfg->path (NULL: built-in rules) */
};

/* Resolve every node of job.  No node matching any rule: PR_ENODATA.  The
 * plan is filled even then (--dry-run shows it); plan_free it either way.
 * It points into cfg, which must outlive it. */
int plan_build(struct plan *plan, const struct job *job, const struct config *cfg);

/* The plan of a raw CSV: every node of the job, read from the file
 * whether or not a database rule matches it. */
void plan_for_csv(struct plan *plan, const struct job *job, const struct config *cfg);

/* --dry-run output: one line per node (hostname, database, schema, metrics,
 * or "no telemetry source"). */
void plan_print(FILE *fp, const struct plan *plan);

void plan_free(struct plan *plan);

#endif
