/*
 * pg_conn.c - connections to MonSter databases and the one place where
 * libpq's failures become powerreport's messages (see pg_conn.h).  Every
 * message names the database, says what to do next and is scrubbed of any
 * password the connection knows about.
 */
#include "pg_conn.h"

#include <ctype.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "timefmt.h"

#define SLICE_MS 250		/* longest wait between looks at pr_interrupted */
#define CANCEL_WAIT_S 1.0	/* how long a cancel request may take */

/* Wait until fd is ready for events, at most secs: PR_OK, PR_EINTR when a
 * signal came, PR_ESOURCE when the time ran out.  Waits are cut into
 * slices, so a signal that lands just before one ends the wait too. */
static int
pg_poll(int fd, short events, double secs)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	struct timespec t0;
	double left;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!pr_interrupted && (left = secs - time_elapsed(&t0)) > 0) {
		r = poll(&pfd, 1, left * 1000 < SLICE_MS ? (int)(left * 1000) + 1 : SLICE_MS);
		if (r > 0)
			return PR_OK;
	}
	return pr_interrupted ? PR_EINTR : PR_ESOURCE;
}

const char *
pg_conn_key(const struct rule *rule)
{
	return rule->conninfo != NULL ? rule->conninfo : rule->database;
}

int
pg_idle_limit_s(const struct config *cfg)
{
	return cfg->idle_read_timeout_s > 0 ? cfg->idle_read_timeout_s :
	    cfg->statement_timeout_ms / 1000 + 30;
}

/* Reap the cancelling child pid, or kill it when it takes longer than
 * CANCEL_WAIT_S (a stalled server or proxy never answers it). */
static void
reap_canceller(pid_t pid)
{
	struct timespec t0, nap = { 0, 10 * 1000 * 1000 };

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (waitpid(pid, NULL, WNOHANG) == 0) {
		if (time_elapsed(&t0) >= CANCEL_WAIT_S) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return;
		}
		nanosleep(&nap, NULL);
	}
}

void
pg_cancel(PGconn *conn)
{
	PGcancel *cancel = PQgetCancel(conn);
	char errbuf[256];
	pid_t pid;

	if (cancel != NULL) {
		/* PQcancel connects and waits without a bound: in a child. */
		if ((pid = fork()) == 0)
			_exit(PQcancel(cancel, errbuf, sizeof errbuf) ? 0 : 1);
		PQfreeCancel(cancel);
		if (pid > 0)
			reap_canceller(pid);
	}
	if (PQsocket(conn) >= 0)
		shutdown(PQsocket(conn), SHUT_RDWR);
}

int
pg_ready(PGconn *conn, const struct config *cfg)
{
	int limit = pg_idle_limit_s(cfg), flushing, r;

	for (;;) {
		if ((flushing = PQflush(conn)) < 0)
			return PR_ESOURCE;
		if (!flushing && !PQisBusy(conn))
			return PR_OK;
		r = pg_poll(PQsocket(conn), flushing ? POLLIN | POLLOUT : POLLIN, limit);
		if (r == PR_OK && PQconsumeInput(conn))
			continue;
		if (r != PR_OK)
			pg_cancel(conn);
		if (r == PR_ESOURCE)
			pg_stalled(conn, cfg);
		return r == PR_OK ? PR_ESOURCE : r;
	}
}

int
pg_stalled(PGconn *conn, const struct config *cfg)
{
	return pr_interrupted ? PR_EINTR : pr_fail(PR_ESOURCE, "database \"%s\": the server "
	    "sent nothing for %d s; the server, a pooler or the network stalled: check them, "
	    "or raise idle_read_timeout_s in the config", PQdb(conn), pg_idle_limit_s(cfg));
}

int
pg_ident_ok(const char *s)
{
	size_t n;

	if (s == NULL || !(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (n = 0; s[n] != '\0'; n++)
		if (!(isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '$'))
			return 0;
	return n <= 63;
}

char *
pg_qualified(PGconn *conn, const char *schema, const char *table)
{
	char *qs = PQescapeIdentifier(conn, schema, strlen(schema));
	char *qt = PQescapeIdentifier(conn, table, strlen(table));
	char *out = NULL;

	if (qs != NULL && qt != NULL)
		out = xasprintf("%s.%s", qs, qt);
	PQfreemem(qs);
	PQfreemem(qt);
	return out;
}

/* Overwrite every occurrence of secret in msg with asterisks. */
static void
redact(char *msg, const char *secret)
{
	size_t n;
	char *p;

	if (secret == NULL || (n = strlen(secret)) == 0)
		return;
	while ((p = strstr(msg, secret)) != NULL)
		memset(p, '*', n);
}

/* The password written in a conninfo string, if any (malloc'd). */
static char *
conninfo_password(const char *conninfo)
{
	PQconninfoOption *opts, *o;
	char *pw = NULL;

	if (conninfo == NULL || (opts = PQconninfoParse(conninfo, NULL)) == NULL)
		return NULL;
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL)
			pw = xstrdup(o->val);
	PQconninfoFree(opts);
	return pw;
}

/* The first line of a libpq/server message without the severity prefix,
 * with every password conn or conninfo holds blanked out (malloc'd). */
static char *
clean_message(const char *text, PGconn *conn, const char *conninfo)
{
	char *msg, *pw, *nl;

	if (text == NULL || *text == '\0')
		text = "no message from the server";
	if (strncmp(text, "ERROR:  ", 8) == 0 || strncmp(text, "FATAL:  ", 8) == 0)
		text += 8;
	else if (strncmp(text, "WARNING:  ", 10) == 0)
		text += 10;
	msg = xstrdup(text);
	if ((nl = strchr(msg, '\n')) != NULL)
		*nl = '\0';
	if (conn != NULL)
		redact(msg, PQpass(conn));
	redact(msg, getenv("PGPASSWORD"));
	pw = conninfo_password(conninfo);
	redact(msg, pw);
	free(pw);
	return msg;
}

/* What to do about a failed connection, judged by libpq's message. */
static const char *
connect_advice(const char *msg)
{
	if (strstr(msg, "password") != NULL || strstr(msg, "authentication") != NULL)
		return "check the password in ~/.pgpass, PGPASSFILE or the service file";
	if (strstr(msg, "does not exist") != NULL)
		return "check the database name of the rule and the role in the conninfo";
	if (strstr(msg, "refused") != NULL || strstr(msg, "No such file") != NULL)
		return "is the server running, and are host and port in the conninfo right?";
	return "check the conninfo in the config";
}

/* When the server wanted a password and libpq had none: the password file
 * libpq skipped because group or others may read it (libpq's own warning
 * goes to stderr before our message and is easily lost), as advice; NULL
 * when that is not why. */
static char *
ignored_passfile(PGconn *conn, const char *msg)
{
	PQconninfoOption *opts, *o;
	char *advice = NULL;
	struct stat st;

	if (strstr(msg, "no password supplied") == NULL || (opts = PQconninfo(conn)) == NULL)
		return NULL;
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "passfile") == 0 && o->val != NULL &&
		    stat(o->val, &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
			advice = xasprintf("libpq ignored the password file %s because group or "
			    "others may read it (mode %04o; it wants 0600 or less): keep a "
			    "group's password in the config file instead (doc/slurm.md)", o->val,
			    (unsigned)(st.st_mode & 07777));
	PQconninfoFree(opts);
	return advice;
}

/* Server notices (warnings while the server restarts, ...) go to the
 * verbose log, never straight to stderr. */
static void
log_notice(void *arg, const char *message)
{
	char *msg = clean_message(message, NULL, NULL);

	pr_log(2, "database \"%s\": %s", (const char *)arg, msg);
	free(msg);
}

/* The bound on connecting: the config's connect_timeout_s, or the
 * conninfo's connect_timeout when that is longer (libpq applies it per host
 * only when it connects blocking; a value of 0 there means no bound at all). */
static int
connect_bound(const struct config *cfg, PGconn *conn)
{
	PQconninfoOption *opts = PQconninfo(conn), *o;
	int secs = cfg->connect_timeout_s, v;

	for (o = opts; o != NULL && o->keyword != NULL; o++)
		if (strcmp(o->keyword, "connect_timeout") == 0 && o->val != NULL &&
		    (v = atoi(o->val)) > secs)
			secs = v;
	PQconninfoFree(opts);
	return secs;
}

/* Drive an asynchronous connect to its end within connect_bound and leave
 * the connection non-blocking: PR_OK; PR_EINTR on a signal and PR_ESOURCE
 * when the bound passes, both with their message recorded; PR_ESOURCE
 * without one when libpq fails (its own message says why). */
static int
finish_connect(const struct config *cfg, PGconn *conn, const char *database)
{
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	int bound = connect_bound(cfg, conn), r;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (st != PGRES_POLLING_OK) {
		if (st == PGRES_POLLING_FAILED)
			return PR_ESOURCE;
		r = pg_poll(PQsocket(conn), st == PGRES_POLLING_READING ? POLLIN : POLLOUT,
		    bound - time_elapsed(&t0));
		if (r == PR_EINTR)
			return pr_fail(PR_EINTR, "interrupted while connecting to database \"%s\"",
			    database);
		if (r != PR_OK)
			return pr_fail(PR_ESOURCE, "database \"%s\": cannot connect: no answer "
			    "within %d s; check host, port and network, or raise "
			    "connect_timeout_s in the config", database, bound);
		st = PQconnectPoll(conn);
	}
	return PQsetnonblocking(conn, 1) == 0 ? PR_OK : PR_ESOURCE;
}

int
pg_connect(const struct config *cfg, const struct rule *rule, PGconn **out)
{
	const char *kw[10], *val[10];
	const char *conninfo = rule->conninfo != NULL ? rule->conninfo : cfg->conninfo;
	char timeout[16], *msg;
	int n = 0, rc;
	PGconn *conn;

	*out = NULL;
	if (conninfo != NULL && *conninfo != '\0') {
		PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);

		if (opts == NULL)
			return pr_fail(PR_ECONFIG, "database \"%s\": the conninfo is malformed: "
			    "write it as key=value pairs or a postgresql:// URI", rule->database);
		PQconninfoFree(opts);
	}
	snprintf(timeout, sizeof timeout, "%d", cfg->connect_timeout_s);
	kw[n] = "connect_timeout";
	val[n++] = timeout;
	kw[n] = "fallback_application_name";
	val[n++] = "powerreport";
	/* A server or network that dies without a word is noticed by TCP
	 * keepalives within about two minutes; a conninfo may say otherwise. */
	kw[n] = "keepalives";
	val[n++] = "1";
	kw[n] = "keepalives_idle";
	val[n++] = "60";
	kw[n] = "keepalives_interval";
	val[n++] = "10";
	kw[n] = "keepalives_count";
	val[n++] = "6";
	/* The first dbname is expanded when it is a conninfo; a later plain
	 * dbname overrides the one it carried. */
	if (conninfo != NULL && *conninfo != '\0') {
		kw[n] = "dbname";
		val[n++] = conninfo;
	}
	if (rule->conninfo == NULL && rule->database != NULL) {
		kw[n] = "dbname";
		val[n++] = rule->database;
	}
	kw[n] = val[n] = NULL;
	if ((conn = PQconnectStartParams(kw, val, 1)) == NULL)
		return pr_fail(PR_EINTERNAL, "out of memory connecting to database \"%s\"",
		    rule->database);
	if ((rc = finish_connect(cfg, conn, rule->database)) != PR_OK) {
		char *passfile;

		msg = clean_message(PQerrorMessage(conn), conn, conninfo);
		passfile = ignored_passfile(conn, msg);
		rc = pr_fail(rc, "database \"%s\": cannot connect: %s; %s",
		    rule->database, msg, passfile != NULL ? passfile : connect_advice(msg));
		free(passfile);
		free(msg);
		PQfinish(conn);
		return rc;
	}
	PQsetNoticeProcessor(conn, log_notice, rule->database);
	*out = conn;
	return PR_OK;
}

const char *
pg_sqlstate(const PGresult *res)
{
	const char *s = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	return s != NULL ? s : "";
}

int
pg_fail(PGconn *conn, const PGresult *res, const char *database, const char *what)
{
	const char *state = pg_sqlstate(res), *advice;
	const char *text = res != NULL && *PQresultErrorMessage(res) != '\0' ?
	    PQresultErrorMessage(res) : PQerrorMessage(conn);
	char *msg;
	int rc;

	if (pr_interrupted)
		return pr_fail(PR_EINTR, "interrupted while %s from database \"%s\"",
		    what, database);
	if (strstr(text, "statement pooling") != NULL)	/* PgBouncer */
		advice = "powerreport runs transactions: give it pool_mode = transaction "
		    "or session in PgBouncer";
	else if (strcmp(state, "57014") == 0)
		advice = "the query ran past statement_timeout: raise statement_timeout "
		    "in the config or report a shorter window";
	else if (strncmp(state, "57P", 3) == 0 || PQstatus(conn) == CONNECTION_BAD)
		advice = "the server went away mid-query: check it and run again";
	else if (strcmp(state, "42501") == 0)
		advice = "grant this role SELECT on the MonSter tables (see doc/database.md)";
	else
		advice = "is this a MonSter database?";
	msg = clean_message(text, conn, NULL);
	rc = pr_fail(PR_ESOURCE, "database \"%s\": failed %s: %s; %s", database, what,
	    msg, advice);
	free(msg);
	return rc;
}

/* res when it holds rows, else pg_fail(...) with res freed. */
static int
want_rows(PGconn *conn, PGresult *res, const char *database, const char *what,
    PGresult **out)
{
	int rc;

	*out = NULL;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = pg_fail(conn, res, database, what);
		PQclear(res);
		return rc;
	}
	*out = res;
	return PR_OK;
}

/* PQexecParams without blocking: the last result of sql, NULL when the
 * connection failed, stalled or a signal came. */
static PGresult *
exec_params(PGconn *conn, const struct config *cfg, const char *sql, int nparams,
    const char *const *params)
{
	PGresult *res, *last = NULL;

	if (!PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0))
		return NULL;
	for (;;) {
		if (pg_ready(conn, cfg) != PR_OK) {
			PQclear(last);
			return NULL;
		}
		if ((res = PQgetResult(conn)) == NULL)
			return last;
		PQclear(last);
		last = res;
	}
}

int
pg_query(PGconn *conn, const struct config *cfg, const char *database, const char *what,
    const char *sql, int nparams, const char *const *params, PGresult **out)
{
	return want_rows(conn, exec_params(conn, cfg, sql, nparams, params), database, what,
	    out);
}

static int
in_xact(PGconn *conn)
{
	PGTransactionStatusType ts = PQtransactionStatus(conn);

	return ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR;
}

/* Queue one statement of a pipeline. */
static int
queue(PGconn *conn, const char *sql, int nparams, const char *const *params)
{
	return PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
}

/* Read a pipeline's results up to its sync: that of statement number want
 * (from 0), or the first failure, which explains it (NULL: neither came, or
 * the connection stalled or a signal came). */
static PGresult *
collect(PGconn *conn, const struct config *cfg, int want)
{
	PGresult *res, *keep = NULL;
	int n = 0, nulls = 0;

	for (;;) {
		if (pg_ready(conn, cfg) != PR_OK) {
			PQclear(keep);
			return NULL;
		}
		if ((res = PQgetResult(conn)) == NULL) {	/* statement n is done */
			if (++nulls > 1 || PQstatus(conn) == CONNECTION_BAD)
				break;
			n++;
			continue;
		}
		nulls = 0;
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if ((n == want && keep == NULL) || (PQresultStatus(res) == PGRES_FATAL_ERROR &&
		    (keep == NULL || PQresultStatus(keep) != PGRES_FATAL_ERROR))) {
			PQclear(keep);
			keep = res;
		} else {
			PQclear(res);
		}
	}
	return keep;
}

PGresult *
pg_xact_exec(PGconn *conn, const struct config *cfg, int keep_open, const char *sql,
    int nparams, const char *const *params)
{
	int commit_first = in_xact(conn);
	char timeout[16];
	const char *param[1] = { timeout };
	PGresult *res = NULL;

	snprintf(timeout, sizeof timeout, "%d", cfg->statement_timeout_ms);
	if (!PQenterPipelineMode(conn))
		return NULL;
	if ((!commit_first || queue(conn, "COMMIT", 0, NULL)) &&
	    queue(conn, "BEGIN READ ONLY", 0, NULL) &&
	    queue(conn, "SELECT set_config('statement_timeout', $1, true)", 1, param) &&
	    queue(conn, sql, nparams, params) &&
	    (keep_open || queue(conn, "COMMIT", 0, NULL)) && PQpipelineSync(conn))
		res = collect(conn, cfg, commit_first + 2);
	PQexitPipelineMode(conn);
	if (PQtransactionStatus(conn) == PQTRANS_INERROR)
		pg_rollback(conn, cfg);
	return res;
}

int
pg_xact_query(PGconn *conn, const struct config *cfg, int keep_open, const char *database,
    const char *what, const char *sql, int nparams, const char *const *params,
    PGresult **out)
{
	return want_rows(conn, pg_xact_exec(conn, cfg, keep_open, sql, nparams, params),
	    database, what, out);
}

int
pg_commit(PGconn *conn, const struct config *cfg, const char *database)
{
	PGresult *res;
	int rc = PR_OK;

	if (!in_xact(conn))
		return PR_OK;
	res = exec_params(conn, cfg, "COMMIT", 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_fail(conn, res, database, "committing");
	PQclear(res);
	return rc;
}

void
pg_rollback(PGconn *conn, const struct config *cfg)
{
	if (in_xact(conn) && !pr_interrupted)
		PQclear(exec_params(conn, cfg, "ROLLBACK", 0, NULL));
}

char *
pg_array_literal(const char *const *items, size_t n)
{
	size_t len = 3, i;
	const char *p;
	char *buf, *q;

	for (i = 0; i < n; i++)
		len += 2 * strlen(items[i]) + 3;
	buf = q = xmalloc(len);
	*q++ = '{';
	for (i = 0; i < n; i++) {
		if (i > 0)
			*q++ = ',';
		*q++ = '"';
		for (p = items[i]; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				*q++ = '\\';
			*q++ = *p;
		}
		*q++ = '"';
	}
	*q++ = '}';
	*q = '\0';
	return buf;
}
