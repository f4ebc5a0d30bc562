/*
 * pg_jobs.c - a statement on the jobs table of every telemetry database
 * (MonSter keeps slurm.jobs in each), one connection and one short
 * read-only transaction per database; the table name checked and quoted.
 */
#include "pg_jobs.h"

#include <stdlib.h>

#include "error.h"
#include "pg_conn.h"

/* The statement on the jobs table of rule's database. */
static int
ask(const struct config *cfg, const struct rule *rule, const char *schema,
    const char *sql_fmt, const char *what, int nparams, const char *const *params,
    void (*take)(void *ctx, const PGresult *res), void *ctx)
{
	PGconn *conn;
	PGresult *res;
	char *table, *sql;
	int rc;

	if ((rc = pg_connect(cfg, rule, &conn)) != PR_OK)
		return rc;
	if ((table = pg_qualified(conn, schema, "jobs")) == NULL) {
		rc = pg_fail(conn, NULL, rule->database, "quoting the jobs table name");
		PQfinish(conn);
		return rc;
	}
	sql = xasprintf(sql_fmt, table);
	rc = pg_xact_query(conn, cfg, 0, rule->database, what, sql, nparams, params, &res);
	free(sql);
	PQfreemem(table);
	if (rc == PR_OK) {
		take(ctx, res);
		PQclear(res);
	}
	PQfinish(conn);
	return rc;
}

int
pg_jobs_each(const struct config *cfg, const struct strlist *hosts, const char *sql_fmt,
    const char *what, int nparams, const char *const *params,
    void (*take)(void *ctx, const PGresult *res), void *ctx)
{
	const char *schema = cfg->jobs_schema != NULL ? cfg->jobs_schema : "slurm";
	size_t n = hosts != NULL ? hosts->n : cfg->nrules;
	struct strlist keys = { 0 };
	const struct rule *rule;
	int rc = PR_OK;

	if (!pg_ident_ok(schema))
		return pr_fail(PR_ECONFIG, "jobs_schema \"%s\" is not a plain SQL identifier",
		    schema);
	for (size_t i = 0; i < n && rc == PR_OK; i++) {
		rule = hosts != NULL ? config_rule_for(cfg, hosts->v[i]) : &cfg->rules[i];
		if (rule == NULL || strlist_find(&keys, pg_conn_key(rule)) >= 0)
			continue;
		strlist_add(&keys, pg_conn_key(rule));
		rc = ask(cfg, rule, schema, sql_fmt, what, nparams, params, take, ctx);
	}
	strlist_free(&keys);
	return rc;
}
