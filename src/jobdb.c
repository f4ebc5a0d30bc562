/*
 * jobdb.c - finding a job by id for `powerreport JOBID`: the slurm.jobs
 * table that MonSter keeps in each telemetry database, then Slurm's own
 * accounting through sacct where it is installed.  An array task is found
 * by the name users know (ARRAYID_TASK, as the epilog names its report) or
 * by its own job id, and named ARRAYID_TASK either way.  When neither
 * source knows the job, the message lists every place that was asked and
 * what it said.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hostlist.h"
#include "pg_conn.h"
#include "jobdb.h"
#include "sacct.h"
#include "slurm_energy.h"
#include "source.h"

/* The columns job_from_row reads, in order; the job by its own id or as
 * an array task. */
static const char jobs_sql[] =
	"SELECT start_time, end_time, array_to_string(nodes, ','), user_name, name,"
	" partition, current_working_directory, array_to_string(job_state, ' '), exit_code,"
	" job_id, array_job_id, array_task_id, cluster FROM %s WHERE %s LIMIT 1";
static const char by_id[] = "job_id = $1::int";
static const char by_task[] = "array_job_id = $1::int AND array_task_id = $2::int";
/* The fields job_from_sacct reads, then ConsumedEnergyRaw (slurm_energy.c). */
static const char lookup_fields[] = "JobID,JobName,User,Partition,Start,End,NodeList,"
    "WorkDir,State,ExitCode,ConsumedEnergyRaw";

static void
set_str(char **field, const char *value)
{
	free(*field);
	*field = value != NULL && *value != '\0' ? xstrdup(value) : NULL;
}

/* A part of a job id: 1 to 9 digits (slurm.jobs has Slurm's NO_VAL, 10
 * digits, where a job is no array task). */
static int
id_part(const char *s, size_t n)
{
	return n > 0 && n <= 9 && strspn(s, "0123456789") >= n;
}

/* Split "4_0" into its array job id and task id (malloc'd); 0 when jobid
 * is no ARRAYID_TASK. */
static int
split_task(const char *jobid, char **array, char **task)
{
	const char *u = strchr(jobid, '_');

	if (u == NULL || !id_part(jobid, (size_t)(u - jobid)) || !id_part(u + 1, strlen(u + 1)))
		return 0;
	*array = xasprintf("%.*s", (int)(u - jobid), jobid);
	*task = xstrdup(u + 1);
	return 1;
}

/* Name the job ARRAYID_TASK when it is an array task (array job id not 0,
 * a task id), else jobid. */
static void
set_ids(struct job *job, const char *jobid, const char *array, const char *task)
{
	free(job->id);
	if (array != NULL && task != NULL && id_part(array, strlen(array)) &&
	    strcmp(array, "0") != 0 && id_part(task, strlen(task))) {
		set_str(&job->array_job_id, array);
		set_str(&job->array_task_id, task);
		job->id = xasprintf("%s_%s", array, task);
	} else
		job->id = xstrdup(jobid);
}

/* Set the nodes from a comma-separated list of hostnames. */
static void
set_nodes(struct job *job, const char *list)
{
	char *copy = xstrdup(list), *save = NULL, *h;

	strlist_free(&job->nodes);
	for (h = strtok_r(copy, ",", &save); h != NULL; h = strtok_r(NULL, ",", &save))
		if (strlist_find(&job->nodes, h) < 0)
			strlist_add(&job->nodes, h);
	free(copy);
	free(job->nodelist);
	job->nodelist = job->nodes.n > 0 ? hostlist_compress(&job->nodes) : NULL;
}

/* Epoch seconds as text ("1700000000"), 0 when empty, "Unknown" etc. */
static usec_t
epoch_usec(const char *s)
{
	char *end;
	long long v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0' && v > 0 ? (usec_t)v * USEC_PER_SEC : 0;
}

static void
set_window(struct job *job, const char *start, const char *end)
{
	job->start = epoch_usec(start);
	job->end = epoch_usec(end);
	job->have_window = job->start > 0 && job->end > job->start;
}

static void
job_from_row(struct job *job, const char *jobid, PGresult *res)
{
	set_str(&job->slurm_id, PQgetvalue(res, 0, 9));
	set_ids(job, jobid, PQgetisnull(res, 0, 10) ? NULL : PQgetvalue(res, 0, 10),
	    PQgetisnull(res, 0, 11) ? NULL : PQgetvalue(res, 0, 11));
	set_str(&job->cluster, PQgetvalue(res, 0, 12));
	set_window(job, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	set_nodes(job, PQgetvalue(res, 0, 2));
	set_str(&job->user, PQgetvalue(res, 0, 3));
	set_str(&job->name, PQgetvalue(res, 0, 4));
	set_str(&job->partition, PQgetvalue(res, 0, 5));
	set_str(&job->workdir, PQgetvalue(res, 0, 6));
	/* exit_code is the job record's raw wait status (MonSter stores
	 * slurmrestd's exit_code: exit 3 is 768), as the epilog's squeue gives */
	free(job->exit_state);
	job->exit_state = job_exit_state(PQgetvalue(res, 0, 7),
	    PQgetisnull(res, 0, 8) ? NULL : PQgetvalue(res, 0, 8));
}

/* What one place said about the job. */
enum { LOOK_FAILED = -1, LOOK_ABSENT = 0, LOOK_FOUND = 1 };

/* Look in the jobs table (schema.jobs) of the database of rule; what was
 * asked, and why it could not be, goes to looked. */
static int
lookup_db(const struct config *cfg, const struct rule *rule, const char *schema,
    const char *jobid, struct job *job, struct strlist *looked)
{
	PGconn *conn;
	PGresult *res;
	char *table, *sql, *part[2] = { NULL, NULL };
	const char *params[2] = { jobid, NULL };
	int found, task = split_task(jobid, &part[0], &part[1]);

	if (pg_connect(cfg, rule, &conn) != PR_OK) {
		strlist_add(looked, pr_errmsg());
		pr_errclear();
		return LOOK_FAILED;
	}
	table = pg_qualified(conn, schema, "jobs");
	sql = xasprintf(jobs_sql, table != NULL ? table : "slurm.jobs", task ? by_task : by_id);
	if (task) {
		params[0] = part[0];
		params[1] = part[1];
	}
	res = pg_xact_exec(conn, cfg, 0, sql, task ? 2 : 1, params);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		job_from_row(job, jobid, res);
		found = LOOK_FOUND;
	} else if (PQresultStatus(res) == PGRES_TUPLES_OK ||
	    strcmp(pg_sqlstate(res), "42P01") == 0) {
		strlist_addf(looked, "%s.jobs in database \"%s\"%s", schema, rule->database,
		    PQresultStatus(res) == PGRES_TUPLES_OK ? "" : " (no such table)");
		found = LOOK_ABSENT;
	} else {
		pg_fail(conn, res, rule->database, "looking up the job");
		strlist_add(looked, pr_errmsg());
		pr_errclear();
		found = LOOK_FAILED;
	}
	PQclear(res);
	free(sql);
	free(part[0]);
	free(part[1]);
	PQfreemem(table);
	PQfinish(conn);
	return found;
}

/* "None assigned", "Unknown", "None" and "" all mean: not known. */
static const char *
known(const char *s)
{
	if (*s == '\0' || strcmp(s, "Unknown") == 0 || strcmp(s, "None") == 0 ||
	    strncmp(s, "None ", 5) == 0 || strcmp(s, "(null)") == 0)
		return NULL;
	return s;
}

/* Fill job from one sacct -P line; 1 done, 0 not parsable. */
static int
job_from_sacct(struct job *job, const char *jobid, char *line)
{
	char *f[10], *p = line, *array = NULL, *task = NULL;
	int n;

	for (n = 0; n < 10 && p != NULL; n++) {
		f[n] = p;
		if ((p = strchr(p, '|')) != NULL)
			*p++ = '\0';
	}
	if (n != 10 || p != NULL)
		return 0;
	if (split_task(f[0], &array, &task))	/* sacct names array tasks 4_0 */
		set_ids(job, jobid, array, task);
	else
		set_str(&job->id, jobid);
	free(array);
	free(task);
	set_str(&job->name, f[1]);
	set_str(&job->user, known(f[2]));
	set_str(&job->partition, known(f[3]));
	set_window(job, f[4], f[5]);
	if (known(f[6]) != NULL) {
		struct strlist hosts = { 0 };

		if (hostlist_expand(f[6], &hosts) == PR_OK) {
			strlist_free(&job->nodes);
			job->nodes = hosts;
			free(job->nodelist);
			job->nodelist = xstrdup(f[6]);
		} else {
			strlist_free(&hosts);
			pr_errclear();
		}
	}
	set_str(&job->workdir, known(f[7]));
	free(job->exit_state);
	job->exit_state = job_exit_state(known(f[8]), known(f[9]));	/* ExitCode is code:signal */
	return 1;
}

/* Ask sacct (what it said goes to looked). */
static int
lookup_sacct(const char *jobid, int timeout_s, struct job *job, struct strlist *looked)
{
	char *line = NULL;
	int st, found = LOOK_FAILED;

	if (!sacct_installed()) {
		strlist_add(looked, "sacct (not installed)");
		return LOOK_FAILED;
	}
	st = sacct_run(jobid, lookup_fields, false, timeout_s, &line);
	if (st == 0 && (line == NULL || *line == '\0'))
		found = LOOK_ABSENT;
	else if (st == 0)
		found = job_from_sacct(job, jobid, slurm_energy_take_sacct(job, line, 10)) ?
		    LOOK_FOUND : LOOK_FAILED;
	if (found != LOOK_FOUND)
		strlist_addf(looked, "sacct (%s)", found == LOOK_ABSENT ? "no such job" :
		    st == 0 ? "unexpected output" : st == SACCT_TIMED_OUT ?
		    "no answer in time: is slurmdbd up?" : st == SACCT_NO_ACCOUNTING ?
		    "no Slurm accounting on this machine" :
		    "failed: is Slurm accounting reachable?");
	free(line);
	return found;
}

int
jobdb_lookup(const struct config *cfg, const char *jobid, struct job *job)
{
	const char *schema = cfg->jobs_schema != NULL ? cfg->jobs_schema : "slurm";
	struct strlist looked = { 0 }, keys = { 0 };
	const struct rule *rule;
	char *where;
	size_t i;
	int found = LOOK_FAILED, answered = 0;
	int in_db = sacct_job_id(jobid);

	if (!pg_ident_ok(schema))
		return pr_fail(PR_ECONFIG, "jobs_schema \"%s\" is not a plain SQL identifier",
		    schema);
	for (i = 0; i < cfg->nrules && in_db && found != LOOK_FOUND && !pr_interrupted; i++) {
		rule = &cfg->rules[i];
		if (strlist_find(&keys, pg_conn_key(rule)) >= 0)
			continue;
		strlist_add(&keys, pg_conn_key(rule));
		found = lookup_db(cfg, rule, schema, jobid, job, &looked);
		answered += found != LOOK_FAILED;
	}
	strlist_free(&keys);
	if (found != LOOK_FOUND && !pr_interrupted) {
		found = lookup_sacct(jobid, sacct_timeout_s(cfg), job, &looked);
		answered += found != LOOK_FAILED;
	}
	if (found == LOOK_FOUND || pr_interrupted) {
		strlist_free(&looked);
		/* a signal is no lookup failure: the caller stops with PR_EINTR */
		return found == LOOK_FOUND ? PR_OK : pr_fail(PR_EINTR,
		    "interrupted while looking job %s up", jobid);
	}
	where = strlist_join(&looked, "; ");
	/* Nobody could be asked: that is a source fault, not an unknown job. */
	found = answered > 0 ?
	    pr_fail(PR_ENOJOB, "job %s not found (looked in: %s): give --start, --end and "
	    "--nodelist instead", jobid, where) :
	    pr_fail(PR_ESOURCE, "cannot look job %s up: %s", jobid, where);
	free(where);
	strlist_free(&looked);
	return found;
}
