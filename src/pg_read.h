/*
 * pg_read.h - one read-only statement against a database the configuration
 * names for side information (a carbon or price table, the facility's
 * infra database).  Such data is optional: when the database cannot be
 * reached or the statement fails, the reason becomes a note for the report
 * and the report goes on without it.
 */
#ifndef PR_PG_READ_H
#define PR_PG_READ_H

#include <libpq-fe.h>

#include "config.h"
#include "strlist.h"

/* Connect to database (through conninfo when given, else the config's base
 * conninfo), quote the identifiers, build the statement with sql_of and run
 * it in one short read-only transaction with the text parameters.  sql_of
 * gets the connection (for PQescapeIdentifier) and ctx and returns a
 * malloc'd statement, or NULL when an identifier cannot be quoted.  On
 * success *out holds the rows (PQclear it) and PR_OK is returned; on
 * failure the reason goes to notes, *out is NULL, and the status is PR_OK
 * again unless the run was interrupted (PR_EINTR). */
int pg_read(const struct config *cfg, const char *database, const char *conninfo,
    const char *what, char *(*sql_of)(PGconn *, const void *), const void *ctx,
    int nparams, const char *const *params, struct strlist *notes, PGresult **out);

/* The identifier quoted by libpq (free with PQfreemem), or NULL. */
char *pg_quote_ident(PGconn *conn, const char *name);

#endif
