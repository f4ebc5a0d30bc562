/*
 * jobdb.h - finding a job by id (src/jobdb.c): slurm.jobs in the
 * configured telemetry databases, then Slurm's accounting through sacct.
 * Used by `powerreport JOBID` and by the epilog on Slurm 22.05, which does
 * not pass the job's window.
 */
#ifndef PR_JOBDB_H
#define PR_JOBDB_H

#include "config.h"
#include "job.h"

/* Find a job by id: slurm.jobs in the configured databases, then sacct.
 * Unknown job: PR_ENOJOB.  Fills id, name, user, partition, window, nodes,
 * workdir. */
int jobdb_lookup(const struct config *cfg, const char *jobid, struct job *job);

#endif
