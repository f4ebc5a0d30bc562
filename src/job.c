/*
 * job.c - the job being reported on: filled from the EpilogSlurmctld
 * environment (every value may be the literal "(null)"; times are absent
 * before Slurm 23.02, see doc/slurm.md, "The job window") and checked
 * (job_output.c says where its report directory belongs).  job_from_env
 * sets what the environment provides and leaves the other fields as the
 * caller set them.
 */
#include "job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hostlist.h"

void
job_free(struct job *job)
{
	char **fields[] = {
		&job->id, &job->slurm_id, &job->name, &job->user,
		&job->account, &job->partition, &job->cluster,
		&job->array_job_id, &job->array_task_id, &job->uid,
		&job->nodelist, &job->stdout_path, &job->workdir,
		&job->exit_state, &job->comment,
	};

	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		free(*fields[i]);
	strlist_free(&job->nodes);
	memset(job, 0, sizeof *job);
}

/* The value of a SLURM_* variable; NULL when unset, empty or "(null)". */
static const char *
env(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0' || strcmp(v, "(null)") == 0)
		return NULL;
	return v;
}

/* Replace *field with the variable's value when it has one. */
static void
take(char **field, const char *name)
{
	const char *v = env(name);

	if (v != NULL) {
		free(*field);
		*field = xstrdup(v);
	}
}

/* Epoch seconds from a variable into *t; *t = 0 when unset or 0. */
static int
env_time(const char *name, usec_t *t)
{
	const char *v = env(name);
	char *end;
	long long secs;

	*t = 0;
	if (v == NULL)
		return PR_OK;
	errno = 0;
	secs = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0' || secs < 0 ||
	    secs > INT64_MAX / USEC_PER_SEC)
		return pr_fail(PR_EUSAGE, "%s=\"%s\" is not epoch seconds: "
		    "unset it or give a number", name, v);
	*t = secs * USEC_PER_SEC;
	return PR_OK;
}

/* "exit 3", "signal 9" or "exit code 0" from "exit:signal". */
static char *
exit_from_pair(const char *v)
{
	int code, sig;

	if (sscanf(v, "%d:%d", &code, &sig) != 2)
		return NULL;
	if (sig != 0)
		return xasprintf("signal %d", sig);
	if (code != 0)
		return xasprintf("exit %d", code);
	return xstrdup("exit code 0");
}

/* The same from a raw wait status (exit 3 is 768). */
static char *
exit_from_status(const char *v)
{
	char *end;
	long st = strtol(v, &end, 10);

	if (*v == '\0' || *end != '\0' || st < 0)
		return NULL;
	if ((st & 0x7f) != 0)
		return xasprintf("signal %ld", st & 0x7f);
	if (((st >> 8) & 0xff) != 0)
		return xasprintf("exit %ld", (st >> 8) & 0xff);
	return xstrdup("exit code 0");
}

char *
job_exit_state(const char *state, const char *exit)
{
	size_t n = state != NULL ? strcspn(state, " ") : 0;
	char *code = exit == NULL ? NULL : strchr(exit, ':') != NULL ?
	    exit_from_pair(exit) : exit_from_status(exit);
	char *both;

	if (n == 0 || strspn(state, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != n)
		return code;
	both = code != NULL ? xasprintf("%.*s (%s)", (int)n, state, code) :
	    xasprintf("%.*s", (int)n, state);
	free(code);
	return both;
}

/* The job state the epilog set from the job record (SLURM_JOB_STATE) with
 * Slurm's exit code: "code:signal" when given, else the raw wait status. */
static char *
env_exit_state(void)
{
	const char *exit = env("SLURM_JOB_EXIT_CODE2");

	return job_exit_state(env("SLURM_JOB_STATE"),
	    exit != NULL ? exit : env("SLURM_JOB_DERIVED_EC"));
}

static void
env_strings(struct job *job)
{
	char *exit_state = env_exit_state();

	take(&job->slurm_id, "SLURM_JOB_ID");
	take(&job->user, "SLURM_JOB_USER");
	take(&job->uid, "SLURM_JOB_UID");
	take(&job->name, "SLURM_JOB_NAME");
	take(&job->comment, "SLURM_JOB_COMMENT");
	take(&job->account, "SLURM_JOB_ACCOUNT");
	take(&job->partition, "SLURM_JOB_PARTITION");
	take(&job->cluster, "SLURM_CLUSTER_NAME");
	take(&job->stdout_path, "SLURM_JOB_STDOUT");
	take(&job->workdir, "SLURM_JOB_WORK_DIR");
	if (env("SLURM_ARRAY_JOB_ID") != NULL &&
	    env("SLURM_ARRAY_TASK_ID") != NULL) {
		take(&job->array_job_id, "SLURM_ARRAY_JOB_ID");
		take(&job->array_task_id, "SLURM_ARRAY_TASK_ID");
	}
	if (exit_state != NULL) {
		free(job->exit_state);
		job->exit_state = exit_state;
	}
}

int
job_from_env(struct job *job)
{
	const char *nodes;
	usec_t start, end;
	int st;

	env_strings(job);
	if (job->slurm_id == NULL)
		return pr_fail(PR_EUSAGE, "SLURM_JOB_ID is not set: run as "
		    "EpilogSlurmctld or name the job on the command line");
	free(job->id);
	if (job->array_job_id != NULL)
		job->id = xasprintf("%s_%s", job->array_job_id,
		    job->array_task_id);
	else
		job->id = xstrdup(job->slurm_id);
	if ((nodes = env("SLURM_JOB_NODELIST")) != NULL) {
		if ((st = job_set_nodelist(job, nodes)) != PR_OK)
			return st;
	} else if (job->nodes.n == 0)
		return pr_fail(PR_EUSAGE, "SLURM_JOB_NODELIST is not set for "
		    "job %s: give the node list on the command line", job->id);
	if ((st = env_time("SLURM_JOB_START_TIME", &start)) != PR_OK ||
	    (st = env_time("SLURM_JOB_END_TIME", &end)) != PR_OK)
		return st;
	if (start != 0 && end != 0) {
		job->start = start;
		job->end = end;
		job->have_window = true;
	}
	return PR_OK;
}

int
job_set_nodelist(struct job *job, const char *expr)
{
	free(job->nodelist);
	strlist_free(&job->nodes);
	job->nodelist = xstrdup(expr);
	return hostlist_expand(expr, &job->nodes);
}

int
job_check_window(const struct job *job)
{
	char a[40], b[40];

	if (!job->have_window)
		return pr_fail(PR_EUSAGE, "the time window of job %s is not "
		    "known: give its start and end", job->id ? job->id :
		    "unknown");
	if (job->end > job->start)
		return PR_OK;
	time_format_iso(job->start, a);
	time_format_iso(job->end, b);
	return pr_fail(PR_EUSAGE, "job %s ends (%s) %s it starts (%s): the "
	    "end must come after the start", job->id ? job->id : "unknown",
	    b, job->end == job->start ? "when" : "before", a);
}
