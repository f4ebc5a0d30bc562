/*
 * job_output.h - where the report directory of a job belongs.
 */
#ifndef PR_JOB_OUTPUT_H
#define PR_JOB_OUTPUT_H

#include "job.h"

/* Parent directory for power_<id>/ by the documented order: explicit outdir,
 * dirname of expanded SLURM_JOB_STDOUT, work dir, MONSTER_POWER_OUTDIR,
 * current directory.  Returns a malloc'd path. */
char *job_output_parent(const struct job *job, const char *explicit_outdir);

#endif
