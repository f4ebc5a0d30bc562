/*
 * slurm_energy.c - Slurm's ConsumedEnergy for a job.  Only parsing and one
 * optional statement live here: the sacct process itself is run by the job
 * lookup (jobdb.c), which asks for ConsumedEnergyRaw as its last field and
 * hands the line over; while slurmctld waits on the epilog no Slurm
 * command runs, so there the figure comes from slurm.jobs or not at all.
 */
#include "slurm_energy.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pg_read.h"

/* A whole number of joules and nothing else. */
static int
whole_joules(const char *s, size_t len, double *joules)
{
	char buf[32], *end;

	if (len == 0 || len >= sizeof buf || !isdigit((unsigned char)*s))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*joules = strtod(buf, &end);
	return *end == '\0' && errno == 0 && isfinite(*joules) ? 0 : -1;
}

int
slurm_energy_parse(const char *text, double *joules)
{
	const char *p;

	*joules = 0;
	if (*text == '\0')
		return 0;
	if (strchr(text, '=') == NULL)
		return whole_joules(text, strlen(text), joules);
	for (p = text; p != NULL; p = strchr(p, ','), p = p ? p + 1 : NULL)
		if (strncmp(p, "energy=", 7) == 0)
			return whole_joules(p + 7, strcspn(p + 7, ","), joules);
	return 0;
}

char *
slurm_energy_take_sacct(struct job *job, char *line, int nfields)
{
	char *bar = line != NULL ? strrchr(line, '|') : NULL;
	int bars = 0;
	double j;

	for (const char *p = line; p != NULL && (p = strchr(p, '|')) != NULL; p++)
		bars++;
	if (bar == NULL || bars != nfields)
		return line;
	*bar = '\0';
	if (slurm_energy_parse(bar + 1, &j) == 0) {
		job->slurm_energy_j = j;
		job->slurm_energy_from = "sacct ConsumedEnergyRaw";
	}
	return line;
}

static const char energy_sql[] = "SELECT %s::text FROM %s.jobs WHERE job_id = $1::int";

static char *
energy_sql_of(PGconn *conn, const void *ctx)
{
	const struct config *cfg = ctx;
	char *col = pg_quote_ident(conn, cfg->jobs_energy_column);
	char *schema = pg_quote_ident(conn, cfg->jobs_schema);
	char *sql = col && schema ? xasprintf(energy_sql, col, schema) : NULL;

	PQfreemem(col);
	PQfreemem(schema);
	return sql;
}

/* The rule of the job's first node that has one. */
static const struct rule *
job_rule(const struct config *cfg, const struct job *job)
{
	for (size_t i = 0; i < job->nodes.n; i++) {
		const struct rule *r = config_rule_for(cfg, job->nodes.v[i]);
		if (r != NULL)
			return r;
	}
	return NULL;
}

int
slurm_energy_find(const struct config *cfg, const struct job *job,
    double *joules, const char **from, struct strlist *notes)
{
	const char *id = job->slurm_id != NULL ? job->slurm_id : job->id;
	const struct rule *rule = job_rule(cfg, job);
	PGresult *res;
	int rc;

	*joules = job->slurm_energy_j;
	*from = job->slurm_energy_from;
	if (cfg->jobs_energy_column == NULL || *from != NULL || rule == NULL ||
	    id == NULL || id[strspn(id, "0123456789")] != '\0')
		return PR_OK;
	rc = pg_read(cfg, rule->database, rule->conninfo, "reading the job's energy",
	    energy_sql_of, cfg, 1, &id, notes, &res);
	if (res == NULL)
		return rc;
	*from = "slurm.jobs";
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) &&
	    slurm_energy_parse(PQgetvalue(res, 0, 0), joules) != 0) {
		strlist_addf(notes, "%s.jobs.%s of job %s is not a number of joules "
		    "or a TRES string with energy=: not compared", cfg->jobs_schema,
		    cfg->jobs_energy_column, id);
		*from = NULL;
	}
	PQclear(res);
	return PR_OK;
}
