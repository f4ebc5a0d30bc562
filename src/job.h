/*
 * job.h - the job being reported on: identity, time window and nodes.
 * Filled from the command line, the epilog environment, a database lookup or
 * the summary.json beside a raw CSV; everything downstream reads only this.
 */
#ifndef PR_JOB_H
#define PR_JOB_H

#include <stdbool.h>

#include "strlist.h"
#include "timefmt.h"

struct job {
	char *id;		/* "12345" or "12345_7"; "unknown" if none */
	char *slurm_id;		/* SLURM_JOB_ID itself (an array task's own
				 * job id, for %j); NULL if unknown */
	char *name, *user, *account, *partition, *cluster;
	char *array_job_id, *array_task_id;	/* NULL unless an array task */
	char *uid;		/* numeric, as text (for %u fallback) */
	char *nodelist;		/* the hostlist expression as given */
	struct strlist nodes;	/* expanded hostnames */
	usec_t start, end;	/* window; end > start */
	bool have_window;
	char *stdout_path;	/* SLURM_JOB_STDOUT, patterns unexpanded */
	char *workdir;
	char *exit_state;	/* job_exit_state(); NULL if unknown */
	char *comment;		/* SLURM_JOB_COMMENT (user text, data only), or NULL */
	/* Slurm's ConsumedEnergy (slurm_energy.h): joules, 0 when absent or
	 * zero; from: where it was asked (a literal), NULL when nowhere. */
	double slurm_energy_j;
	const char *slurm_energy_from;
};

void job_free(struct job *job);

/* The one wording of how a job ended, whatever the source (epilog, slurm.jobs,
 * sacct): "COMPLETED (exit code 0)", "FAILED (exit 3)", "CANCELLED (signal
 * 15)", or either part alone; NULL when neither is known (malloc'd).  state:
 * Slurm's job state, its first word only ("CANCELLED by 1001" -> CANCELLED),
 * ignored unless capitals; exit: "code:signal" (scontrol, sacct) or a raw wait
 * status (squeue's exit_code, SLURM_JOB_EXIT_CODE, slurm.jobs.exit_code). */
char *job_exit_state(const char *state, const char *exit);

/* Fill job from the EpilogSlurmctld environment (SLURM_JOB_*).  The literal
 * "(null)" means unset.  Missing id/nodelist -> PR_EUSAGE; missing times leave
 * have_window false (the caller decides where to get them). */
int job_from_env(struct job *job);

/* Set nodelist and expand it into nodes (PR_EUSAGE when malformed/empty). */
int job_set_nodelist(struct job *job, const char *expr);

/* Check the window: both set, end after start (PR_EUSAGE otherwise). */
int job_check_window(const struct job *job);

#endif
