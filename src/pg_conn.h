/*
 * pg_conn.h - connecting to a MonSter PostgreSQL database the way
 * PostgreSQL users expect (conninfo, PG* variables, pgpass, service files),
 * with timeouts from the config, and turning libpq failures into one-line
 * PR_ESOURCE messages that name the database, say what to do and never show
 * a password.  Shared by the telemetry source and the job lookup.
 */
#ifndef PR_PG_CONN_H
#define PR_PG_CONN_H

#include <libpq-fe.h>

#include "config.h"

/* Open a connection for rule: its own conninfo when it has one, else the
 * config's base conninfo with dbname set to the rule's database, with
 * connect_timeout from cfg.  The session gets no settings (a pooler may
 * give each transaction another server connection): statement_timeout
 * comes with every transaction of pg_xact_exec.  PR_ESOURCE on failure. */
int pg_connect(const struct config *cfg, const struct rule *rule, PGconn **out);

/* What identifies the server+database of rule (two rules with the same key
 * share a connection). */
const char *pg_conn_key(const struct rule *rule);

/* A SQL identifier from the config ("idrac", "systeminputpower"): letters,
 * digits, _ and $, not starting with a digit, at most 63 bytes. */
int pg_ident_ok(const char *s);

/* Whether libpq accepts conninfo ("" does) as key=value pairs or a
 * postgresql:// URI; for checking the configuration when it is read.  Its
 * reasons are not kept: they may quote a password. */
int pg_conninfo_ok(const char *conninfo);

/* "schema"."table" quoted by libpq (malloc'd), or NULL when libpq refuses. */
char *pg_qualified(PGconn *conn, const char *schema, const char *table);

/* Fail with PR_ESOURCE (or PR_EINTR when interrupted) for a command on conn
 * that went wrong (res may be NULL): what the server said, reduced to one
 * line, with advice for timeouts and lost connections.  what names the
 * work ("reading idrac.systeminputpower"). */
int pg_fail(PGconn *conn, const PGresult *res, const char *database, const char *what);

/* SQLSTATE of res, or "" when none. */
const char *pg_sqlstate(const PGresult *res);

/* Run sql with text parameters and expect rows (PGRES_TUPLES_OK).  On
 * failure returns pg_fail(...) and *out is NULL. */
int pg_query(PGconn *conn, const char *database, const char *what, const char *sql,
    int nparams, const char *const *params, PGresult **out);

/* Run sql with text parameters as the first statement of a read-only
 * transaction, all in one round trip (a libpq pipeline): COMMIT the
 * transaction conn is in, if any, BEGIN READ ONLY, set statement_timeout
 * from cfg with set_config(..., true), run sql, then COMMIT unless
 * keep_open (the statements that follow depend on what sql set).  Nothing
 * outlives the transaction, so behind PgBouncer in transaction pooling the
 * next one may run on another server connection.  Returns sql's result as
 * PQexecParams does, or the one that explains a failure (NULL when the
 * connection failed); a failed transaction is rolled back. */
PGresult *pg_xact_exec(PGconn *conn, const struct config *cfg, int keep_open,
    const char *sql, int nparams, const char *const *params);

/* pg_xact_exec expecting rows, failing as pg_query does. */
int pg_xact_query(PGconn *conn, const struct config *cfg, int keep_open,
    const char *database, const char *what, const char *sql, int nparams,
    const char *const *params, PGresult **out);

/* Commit the transaction conn is in, if any. */
int pg_commit(PGconn *conn, const char *database);

/* Roll back the transaction conn is in, if any, on the way out of a
 * failure (whatever goes wrong doing so changes nothing). */
void pg_rollback(PGconn *conn);

/* A PostgreSQL text array literal ({"a","b"}) of items, malloc'd; for
 * passing lists as one parameter. */
char *pg_array_literal(const char *const *items, size_t n);

#endif
