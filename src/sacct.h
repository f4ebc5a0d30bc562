/*
 * sacct.h - running Slurm's sacct for one job (src/sacct.c): the one place
 * that spawns it, reads its answer with a bound and kills it when the
 * bound passes.  The job lookup (jobdb.c) and the CPU efficiency
 * (cpu_efficiency.c) each ask for their own fields.
 */
#ifndef PR_SACCT_H
#define PR_SACCT_H

#include <stdbool.h>

#include "config.h"

enum { SACCT_NOT_RUN = -1, SACCT_TIMED_OUT = -2, SACCT_NO_ACCOUNTING = -3 };

/* Whether sacct is an executable on PATH. */
bool sacct_installed(void);

/* Whether id is a job id sacct knows: 1 to 9 digits, or ARRAYID_TASK. */
bool sacct_job_id(const char *id);

/* The time sacct gets: the connect timeout plus the statement timeout, the
 * bound an admin already chose for "the job lookup may take". */
int sacct_timeout_s(const struct config *cfg);

/* Run `sacct -j jobid -P -n --format=format` with times as epoch seconds,
 * and -X unless steps (the job's line alone: then sacct does not fetch
 * its steps, so their sums, such as TotalCPU, are 0); its first output
 * line, the job's, (malloc'd) in *line.  Returns sacct's exit status,
 * SACCT_NOT_RUN when it could not be run, SACCT_TIMED_OUT when it did not
 * finish within timeout_s (it is killed: a slurmdbd that does not answer
 * must not hold an epilog worker), SACCT_NO_ACCOUNTING when it failed
 * saying this machine has no Slurm configuration or the cluster keeps no
 * accounting (then there is nothing to ask, as when it is not installed). */
int sacct_run(const char *jobid, const char *format, bool steps, int timeout_s,
    char **line);

#endif
