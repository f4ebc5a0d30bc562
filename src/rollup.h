/*
 * rollup.h - `powerreport summary`: the energy of every job that ended in
 * a date range (optionally of some users, accounts, partitions), from
 * slurm.jobs and the energies the databases compute (pg_energy.h), totalled
 * per user, account, partition and day; rollup_render.c writes it out as
 * power_summary_<range>/.
 */
#ifndef PR_ROLLUP_H
#define PR_ROLLUP_H

#include <stddef.h>

#include "config.h"
#include "pg_energy.h"
#include "strlist.h"
#include "timefmt.h"

struct rjob {
	char *id, *name, *user, *account, *partition, *nodelist, *state;
	struct energy_job e;	/* window and energy */
	char *report;		/* a readable power_<id>/report.html, or NULL */
	double idle_share;	/* of its energy spent idle, from the report's
				 * summary.json; NAN: unknown */
};

/* Totals of a set of jobs: the whole range, one user, account, partition or day. */
struct rtotal {
	char *key;
	size_t njobs, nunknown;	/* nunknown: jobs without any data */
	double energy_j, gpu_j, node_hours, gpu_hours;
	size_t nidle;		/* jobs whose idle share is known */
	double idle_j, idle_base_j;	/* their idle energy and their energy */
};

enum rollup_by { BY_USER, BY_ACCOUNT, BY_PARTITION, BY_DAY, BY_N };
extern const char *const rollup_by_key[BY_N];	/* "user", ... (JSON) */

struct rollup {
	const struct config *cfg;
	usec_t since, until;
	const char *since_text, *until_text;	/* as given */
	char *range;		/* "2026-11-01_2026-12-01" */
	struct strlist users, accounts, partitions;	/* filters */
	struct rjob *jobs;	/* in end-time order */
	size_t njobs;
	struct rtotal all;
	struct rtotal *by[BY_N];	/* sorted by key (days: by date) */
	size_t nby[BY_N];
	size_t *top;		/* indices into jobs, by energy, at most ROLLUP_TOP */
	size_t ntop;
	size_t statements, rows;	/* asked of the databases, energy rows back */
	usec_t generated_at;
};

#define ROLLUP_TOP 10

/* `powerreport summary ...`: argv[0] is "summary". */
int rollup_main(int argc, char **argv);

/* Select the jobs and compute everything (rollup_render.c writes it). */
int rollup_build(struct rollup *r, const struct config *cfg);
void rollup_free(struct rollup *r);

/* Write power_summary_<range>/ under parent: index.html, jobs.csv,
 * summary.json; its path in *final (malloc'd). */
int rollup_render(const struct rollup *r, const char *parent, const char *datadir,
    char **final);

#endif
