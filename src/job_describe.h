/*
 * job_describe.h - the job a run reports on, described from the mode and
 * options of the command line.
 */
#ifndef PR_JOB_DESCRIBE_H
#define PR_JOB_DESCRIBE_H

#include "cli.h"
#include "config.h"
#include "job.h"

/* Fill job as the mode of o says (environment, job id, raw CSV or window
 * options), then apply the options.  PR_OK or a pr_fail status. */
int describe_job(const struct options *o, const struct config *cfg,
    struct job *job);

/* Check the described job before it is planned: a valid id ("unknown"
 * when none), at least one node, a window.  PR_EUSAGE otherwise. */
int finish_job(struct job *job);

#endif
