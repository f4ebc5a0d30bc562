/*
 * pg_jobs.h - one statement on the jobs table (slurm.jobs, the schema from
 * database.jobs_schema) of every telemetry database, each answer handed to
 * the caller: how `powerreport summary` finds a range's jobs and a report
 * finds the job's earlier runs.
 */
#ifndef PR_PG_JOBS_H
#define PR_PG_JOBS_H

#include <libpq-fe.h>

#include "config.h"
#include "strlist.h"

/* Run sql_fmt (its "%s" the quoted jobs table) with text params in a
 * read-only transaction of each distinct database: those of the rules
 * that hosts' names match, or of every rule when hosts is NULL.  take gets
 * each result (and must not keep it).  what names the work in messages. */
int pg_jobs_each(const struct config *cfg, const struct strlist *hosts, const char *sql_fmt,
    const char *what, int nparams, const char *const *params,
    void (*take)(void *ctx, const PGresult *res), void *ctx);

#endif
