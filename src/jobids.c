/*
 * jobids.c - where a backfill's job ids come from (see jobids.h).  The
 * query takes every value as a parameter; the schema name is checked and
 * quoted by libpq as everywhere else.
 */
#include "jobids.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fileio.h"
#include "pg_conn.h"

#define IDS_MAX_BYTES (64 << 20)
#define BLANKS " \t\r"

static const char since_sql[] =
	"SELECT job_id::text, max(end_time) FROM %s"
	" WHERE end_time >= $1::bigint AND ($2::bigint IS NULL OR end_time < $2::bigint)"
	" AND ($3::text IS NULL OR user_name = $3) AND ($4::text IS NULL OR partition = $4)"
	" AND end_time > start_time GROUP BY job_id ORDER BY 2, 1";

int
jobids_from_file(const char *path, struct strlist *ids)
{
	const char *name = strcmp(path, "-") == 0 ? "/dev/stdin" : path;
	char *data, *line, *save = NULL, *id;
	size_t len, lineno = 0;
	int err = fileio_read(name, IDS_MAX_BYTES, &data, &len), rc = PR_OK;

	if (err != 0)
		return pr_fail(PR_EUSAGE, "--jobs-from %s: %s: give a readable file "
		    "of job ids, one a line", path, err == EFBIG ? "larger than 64 MB" :
		    strerror(err));
	for (line = data; rc == PR_OK && line != NULL; line = save) {
		save = strchr(line, '\n');
		if (save != NULL)
			*save++ = '\0';
		lineno++;
		id = line + strspn(line, BLANKS);
		id[strcspn(id, "#")] = '\0';
		for (size_t n = strlen(id); n > 0 && strchr(BLANKS, id[n - 1]); n--)
			id[n - 1] = '\0';
		if (id[strcspn(id, BLANKS)] != '\0')
			rc = pr_fail(PR_EUSAGE, "--jobs-from %s: line %zu: \"%.40s\" is "
			    "not one job id: write one id a line", path, lineno, id);
		else if (id[0] != '\0')
			strlist_add(ids, id);
	}
	free(data);
	return rc;
}

/* Order of indices into the ids (ctx): by text, equal texts by position. */
static int
by_text(const void *a, const void *b, void *ctx)
{
	char *const *v = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(v[x], v[y]);

	return c != 0 ? c : (x < y ? -1 : x > y);
}

void
jobids_unique(struct strlist *ids)
{
	size_t *order = xmalloc((ids->n + 1) * sizeof *order), i, k = 0;

	for (i = 0; i < ids->n; i++)
		order[i] = i;
	qsort_r(order, ids->n, sizeof *order, by_text, ids->v);
	for (i = ids->n; i-- > 1; )	/* from the end: a repeat is seen before
					 * the copy it repeats is emptied */
		if (strcmp(ids->v[order[i]], ids->v[order[i - 1]]) == 0)
			ids->v[order[i]][0] = '\0';
	for (i = 0; i < ids->n; i++)
		if (ids->v[i][0] != '\0')
			ids->v[k++] = ids->v[i];
		else
			free(ids->v[i]);
	ids->n = k;
	free(order);
}

/* The query's parameters as text; NULL for an absent bound or filter. */
static void
params(const struct jobids_filter *f, char since[24], char until[24],
    const char *p[4])
{
	snprintf(since, 24, "%lld", (long long)(f->since / USEC_PER_SEC));
	snprintf(until, 24, "%lld", (long long)(f->until / USEC_PER_SEC));
	p[0] = since;
	p[1] = f->until > 0 ? until : NULL;
	p[2] = f->user;
	p[3] = f->partition;
}

static int
since_one(const struct config *cfg, const struct rule *rule,
    const struct jobids_filter *f, struct strlist *ids)
{
	char since[24], until[24], *table, *sql;
	const char *p[4];
	PGconn *conn;
	PGresult *res;
	int rc;

	if ((rc = pg_connect(cfg, rule, &conn)) != PR_OK)
		return rc;
	params(f, since, until, p);
	table = pg_qualified(conn, cfg->jobs_schema, "jobs");
	sql = xasprintf(since_sql, table != NULL ? table : "slurm.jobs");
	res = pg_xact_exec(conn, cfg, 0, sql, 4, p);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		for (int r = 0; r < PQntuples(res); r++)
			strlist_add(ids, PQgetvalue(res, r, 0));
	else if (strcmp(pg_sqlstate(res), "42P01") != 0)
		rc = pg_fail(conn, res, rule->database, "listing jobs for --jobs-since");
	PQclear(res);
	free(sql);
	PQfreemem(table);
	PQfinish(conn);
	return rc;
}

int
jobids_since(const struct config *cfg, const struct jobids_filter *f,
    struct strlist *ids)
{
	struct strlist seen = { 0 };
	int rc = PR_OK;

	for (size_t i = 0; i < cfg->nrules && rc == PR_OK; i++) {
		const char *key = pg_conn_key(&cfg->rules[i]);
		if (strlist_find(&seen, key) >= 0)
			continue;
		strlist_add(&seen, key);
		rc = since_one(cfg, &cfg->rules[i], f, ids);
	}
	strlist_free(&seen);
	jobids_unique(ids);
	return rc;
}
