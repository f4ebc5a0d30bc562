/*
 * cli.h - the command line, parsed into options.  What each option means is
 * in cli.c's usage text and doc/powerreport.1.
 */
#ifndef PR_CLI_H
#define PR_CLI_H

#include <stdbool.h>

#include "formats.h"

enum job_mode {
	MODE_WINDOW,		/* --start --end --nodelist */
	MODE_ENV,		/* --from-env: EpilogSlurmctld environment */
	MODE_CSV,		/* --from-csv FILE */
	MODE_JOBID,		/* JOBID: look the job up */
	MODE_BATCH,		/* --jobs-from, --jobs-since: many jobs (backfill.h) */
};

struct options {
	enum job_mode mode;
	const char *start, *end, *nodelist;
	const char *job_id, *job_name, *user;
	const char *csv_path;
	const char *outdir;
	const char *config;
	const char *timezone;
	const char *formats;	/* NULL: config's, else all */
	const char *jobs_from, *jobs_since, *jobs_until, *partition;	/* MODE_BATCH */
	int parallel;		/* -j: workers at a time, 1..MAX_PARALLEL, default 2 */
	int wait_for_data_s;	/* --wait-for-data: late telemetry budget, 0..86400 */
	double work;		/* --work: the job's figure of merit, 0: none */
	const char *work_unit;	/* --work-unit, or NULL */
	bool dry_run;
	bool help, version;
};

/* Parse argv; PR_EUSAGE with a message on a bad command line. */
int cli_parse(int argc, char **argv, struct options *o);
/* FMT_ mask of --formats LIST (formats_parse; PR_EUSAGE when bad). */
int cli_formats(const char *list, int *mask);
void cli_usage(void);

#endif
