/*
 * pg_conn.h - connecting to a MonSter PostgreSQL database the way
 * PostgreSQL users expect (conninfo, PG* variables, pgpass, service files),
 * with timeouts from the config, and turning libpq failures into one-line
 * PR_ESOURCE messages that name the database, say what to do and never show
 * a password.  Shared by the telemetry source and the job lookup.
 *
 * No wait on the network blocks: connections are non-blocking, and every
 * wait polls the socket in short slices, so a signal (pr_interrupted) ends
 * it within a quarter second, and is bounded: connecting by the connect
 * timeout, reading by the idle-read limit (pg_idle_limit_s).
 */
#ifndef PR_PG_CONN_H
#define PR_PG_CONN_H

#include <libpq-fe.h>

#include "config.h"

/* Open a connection for rule: its own conninfo when it has one, else the
 * config's base conninfo with dbname set to the rule's database, with TCP
 * keepalives on, asynchronously and within connect_timeout_s of cfg (or
 * the conninfo's connect_timeout when longer; its 0 does not mean for
 * ever here).  The connection is left non-blocking.  The session gets no
 * settings (a pooler may give each transaction another server
 * connection): statement_timeout comes with every transaction of
 * pg_xact_exec.  PR_ESOURCE on failure, PR_EINTR on a signal. */
int pg_connect(const struct config *cfg, const struct rule *rule, PGconn **out);

/* How long a read may wait for the server to send anything: the config's
 * idle_read_timeout_s, by default 30 s over statement_timeout (which makes
 * the server itself give up first). */
int pg_idle_limit_s(const struct config *cfg);

/* Until conn has a result (or COPY data) ready, or has sent all it holds:
 * PR_OK; PR_EINTR when a signal came; PR_ESOURCE when the connection
 * failed or nothing came within the idle-read limit (this one recorded
 * with pg_stalled).  After a signal or the limit, the command is cancelled
 * and the connection shut (pg_cancel); callers fail through pg_fail. */
int pg_ready(PGconn *conn, const struct config *cfg);

/* Fail for conn that sent nothing for the idle-read limit: PR_ESOURCE
 * with a message saying so (PR_EINTR when a signal came meanwhile). */
int pg_stalled(PGconn *conn, const struct config *cfg);

/* Cancel what conn runs, waiting for the server at most a second, and
 * shut its socket, so that whatever is done with it later fails at once
 * (the caller still PQfinish-es it). */
void pg_cancel(PGconn *conn);

/* What identifies the server+database of rule (two rules with the same key
 * share a connection). */
const char *pg_conn_key(const struct rule *rule);

/* A SQL identifier from the config ("idrac", "systeminputpower"): letters,
 * digits, _ and $, not starting with a digit, at most 63 bytes. */
int pg_ident_ok(const char *s);

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
int pg_query(PGconn *conn, const struct config *cfg, const char *database,
    const char *what, const char *sql, int nparams, const char *const *params,
    PGresult **out);

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
int pg_commit(PGconn *conn, const struct config *cfg, const char *database);

/* Roll back the transaction conn is in, if any, on the way out of a
 * failure (whatever goes wrong doing so changes nothing; after a signal
 * nothing is sent: closing the connection ends the transaction). */
void pg_rollback(PGconn *conn, const struct config *cfg);

/* A PostgreSQL text array literal ({"a","b"}) of items, malloc'd; for
 * passing lists as one parameter. */
char *pg_array_literal(const char *const *items, size_t n);

#endif
