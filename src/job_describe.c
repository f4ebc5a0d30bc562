/*
 * job_describe.c - the job a run reports on, from wherever this mode takes
 * it: the epilog environment (and slurm.jobs when Slurm gives no window), a
 * job id looked up in slurm.jobs or sacct, the summary.json beside a raw
 * CSV, or the command line alone; command-line options win over all of
 * them.
 */
#include "job_describe.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hostlist.h"
#include "jobdb.h"
#include "source.h"
#include "source_csv.h"
#include "summary_json.h"

static void
replace(char **field, const char *value)
{
	if (value == NULL)
		return;
	free(*field);
	*field = xstrdup(value);
}

static int
replace_nodelist(struct job *job, const char *expr)
{
	free(job->nodelist);
	job->nodelist = NULL;
	strlist_free(&job->nodes);
	return job_set_nodelist(job, expr);
}

/* Options given on the command line win over every other job source. */
static int
apply_options(const struct options *o, struct job *job)
{
	int rc;

	/* a looked-up job keeps the name the lookup gave it: an array task's
	 * own job id becomes ARRAYID_TASK, as the epilog names its report */
	if (o->mode != MODE_JOBID)
		replace(&job->id, o->job_id);
	replace(&job->name, o->job_name);
	replace(&job->user, o->user);
	if (o->start != NULL && (rc = time_parse(o->start, &job->start)) != PR_OK)
		return rc;
	if (o->end != NULL && (rc = time_parse(o->end, &job->end)) != PR_OK)
		return rc;
	if (o->start != NULL && o->end != NULL)
		job->have_window = true;
	else if (o->start != NULL || o->end != NULL) {
		if (!job->have_window)
			return pr_fail(PR_EUSAGE, "give both --start and --end");
	}
	if (o->nodelist != NULL)
		return replace_nodelist(job, o->nodelist);
	return PR_OK;
}

/* Epilog mode: Slurm >= 23.02 gives the window; 22.05 does not, so the job
 * is then looked up in the telemetry database.  A database that does not
 * know the job yet is PR_ENOJOB and one that is down PR_ESOURCE: the epilog
 * worker retries both. */
static int
job_from_epilog(const struct config *cfg, struct job *job)
{
	struct job found = { 0 };
	int rc = job_from_env(job);

	if (rc != PR_OK || job->have_window)
		return rc;
	/* an array task's own job id, which slurm.jobs and sacct know */
	rc = jobdb_lookup(cfg, job->slurm_id != NULL ? job->slurm_id : job->id, &found);
	if (rc == PR_OK) {
		job->start = found.start;
		job->end = found.end;
		job->have_window = true;
	} else if (rc == PR_ENOJOB) {
		pr_errclear();
		rc = pr_fail(PR_ENOJOB, "SLURM_JOB_START_TIME/SLURM_JOB_END_TIME "
		    "are not set and job %s is not in slurm.jobs (yet): export them "
		    "or pass --start and --end", job->id);
	}
	job_free(&found);
	return rc;
}

/* Re-render mode: job details from the summary.json beside the CSV, then the
 * options; what is still unknown (window, nodes) comes from the data. */
static int
job_from_csv(const struct options *o, struct job *job)
{
	char *copy = xstrdup(o->csv_path);
	char *summary = xasprintf("%s/summary.json", dirname(copy));
	struct strlist hosts = { 0 };
	usec_t first, last;
	int rc;

	free(copy);
	rc = summary_read_job(summary, job);
	free(summary);
	if (rc == PR_OK)
		rc = apply_options(o, job);
	if (rc != PR_OK || (job->have_window && job->nodelist != NULL))
		return rc;
	rc = source_csv_scan(o->csv_path, &first, &last, &hosts);
	if (rc == PR_OK && !job->have_window) {
		job->start = first;
		job->end = last;
		job->have_window = true;
	}
	if (rc == PR_OK && job->nodelist == NULL) {
		char *expr = hostlist_compress(&hosts);
		rc = replace_nodelist(job, expr);
		free(expr);
	}
	strlist_free(&hosts);
	return rc;
}

static int
check_job_id(const char *id)
{
	if (id[0] == '\0' || id[0] == '.' || strlen(id) > 64 ||
	    id[strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-")] != '\0')
		return pr_fail(PR_EUSAGE, "job id \"%s\" is not a Slurm job id "
		    "(letters, digits, '_', '-', '.'): check --job-id", id);
	return PR_OK;
}

int
describe_job(const struct options *o, const struct config *cfg, struct job *job)
{
	int rc = PR_OK;

	switch (o->mode) {
	case MODE_ENV:
		rc = job_from_epilog(cfg, job);
		break;
	case MODE_JOBID:
		rc = check_job_id(o->job_id);
		if (rc == PR_OK)
			rc = jobdb_lookup(cfg, o->job_id, job);
		break;
	case MODE_CSV:
		return job_from_csv(o, job);
	case MODE_WINDOW:
	case MODE_BATCH:	/* each worker describes its job as MODE_JOBID */
		break;
	}
	if (rc == PR_OK)
		rc = apply_options(o, job);
	return rc;
}

int
finish_job(struct job *job)
{
	int rc;

	if (job->id == NULL)
		job->id = xstrdup("unknown");
	if ((rc = check_job_id(job->id)) != PR_OK)
		return rc;
	if (job->nodes.n == 0)
		return pr_fail(PR_EUSAGE, "job %s has no nodes: give --nodelist", job->id);
	return job_check_window(job);
}
