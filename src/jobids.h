/*
 * jobids.h - the job ids a backfill works through: read from a file (one a
 * line) or selected from slurm.jobs by end time, user and partition.
 */
#ifndef PR_JOBIDS_H
#define PR_JOBIDS_H

#include "config.h"
#include "strlist.h"
#include "timefmt.h"

/* Ids from path ("-": standard input), one a line; blanks around an id,
 * empty lines and lines starting with '#' are skipped.  PR_EUSAGE when
 * unreadable or holding an id with blanks inside. */
int jobids_from_file(const char *path, struct strlist *ids);

/* What --jobs-since selects: jobs that ended at or after since (and before
 * until when until > 0), of user and in partition when not NULL. */
struct jobids_filter {
	usec_t since, until;
	const char *user, *partition;
};

/* Ids of the jobs f selects from the jobs table (cfg->jobs_schema) of every
 * configured database (database by database, each in order of end
 * time), each once.  A database
 * without the table adds none; one that fails: PR_ESOURCE. */
int jobids_since(const struct config *cfg, const struct jobids_filter *f,
    struct strlist *ids);

/* Drop repeated ids, keeping the first of each (two workers must never
 * write one report at once). */
void jobids_unique(struct strlist *ids);

#endif
