/*
 * pg_read.c - one optional read-only statement against a configured
 * database: connect, one transaction (pg_xact_query), close.  A failure is
 * not the run's failure; it is said in the report and the figure it would
 * have fed falls back (tariff.c, facility.c).
 */
#include "pg_read.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pg_conn.h"

char *
pg_quote_ident(PGconn *conn, const char *name)
{
	return PQescapeIdentifier(conn, name, strlen(name));
}

/* Keep the recorded failure as a note, unless it is an interruption. */
static int
to_note(int rc, struct strlist *notes)
{
	if (rc == PR_EINTR || pr_interrupted)
		return PR_EINTR;
	strlist_add(notes, pr_errmsg());
	pr_errclear();
	return PR_OK;
}

int
pg_read(const struct config *cfg, const char *database, const char *conninfo,
    const char *what, char *(*sql_of)(PGconn *, const void *), const void *ctx,
    int nparams, const char *const *params, struct strlist *notes, PGresult **out)
{
	struct rule rule = { 0 };
	PGconn *conn;
	char *sql;
	int rc;

	*out = NULL;
	rule.database = (char *)database;
	rule.conninfo = (char *)conninfo;
	if ((rc = pg_connect(cfg, &rule, &conn)) != PR_OK)
		return to_note(rc, notes);
	sql = sql_of(conn, ctx);
	if (sql == NULL)
		rc = pr_fail(PR_ECONFIG, "database \"%s\": %s: a name cannot be "
		    "quoted: check the configuration", database, what);
	else
		rc = pg_xact_query(conn, cfg, 0, database, what, sql, nparams,
		    params, out);
	free(sql);
	PQfinish(conn);
	return rc == PR_OK ? PR_OK : to_note(rc, notes);
}
