/*
 * source_pg.c - the MonSter PostgreSQL database as a telemetry source.
 *
 * One connection per database serves all of that database's nodes, and
 * three COPYs per (database, metric) stream the rows of all those nodes (the
 * sample before the window, the window, the sample after it), so round
 * trips grow with databases x metrics, never with nodes.  COPY takes no bind
 * parameters, so the values (node ids, window) travel as parameters of a
 * set_config() call and the COPY reads them back with current_setting():
 * no value is ever pasted into SQL; only checked, quoted identifiers are.
 * The settings are transaction-local and each metric's three COPYs run in
 * the transaction that made them (as the metadata queries run in one of
 * their own), so nothing depends on the session and PgBouncer may run each
 * transaction on another server connection.
 * Each series arrives in time order, rows go to the sink one by one, and
 * memory does not depend on the number of rows.
 *
 * Telemetry reaches the database late.  With a wait budget the pull first
 * asks each database, in one statement, how far each node's samples have
 * come, and asks again every few seconds until they reach the window end or
 * the budget is spent; the nodes still behind then are named in a warning.
 */
#include <ctype.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pg_conn.h"
#include "source.h"

struct pg_node {
	const char *hostname;
	const struct rule *rule;
	int nodeid;		/* -1: not in public.nodes */
	size_t nsamples;	/* samples inside the window */
	usec_t latest;		/* newest sample the wait saw, NO_SAMPLE: none */
};

#define NO_SAMPLE INT64_MIN
#define POLL_S 5.0		/* between looks while waiting for telemetry */

struct idname {
	int64_t id;
	char *name;
};

/* An id -> name map, sorted by id, remembering the last lookup (rows
 * mostly repeat the previous row's device and source). */
struct names {
	struct idname *v;
	size_t n;
	const struct idname *last;
};

/* One (schema, metric) of a database: what one COPY reads. */
struct pg_metric {
	const char *schema, *metric;
	char *table;		/* lower-cased metric id */
	char *units;		/* from metrics_definition, "" when unknown */
	int exists;
};

/* What reading one table with COPY needs (see take_row). */
struct stream {
	struct pg_db *db;
	const struct pg_metric *metric;
	usec_t start, end;
	struct pg_node *node;	/* of the previous row */
	int header_seen;	/* of the current COPY */
};

/* Where a database is in its sequence of COPYs (see db_step). */
enum read_state { RD_DONE, RD_NEXT, RD_START, RD_COPY };

struct pg_db {
	const struct rule *rule;	/* the first rule served by it */
	const struct config *cfg;
	PGconn *conn;			/* NULL until first used */
	struct names fqdds, sources;
	/* the current pull */
	struct pg_node *nodes;
	size_t nnodes;
	struct pg_metric *metrics;
	size_t nmetrics;
	size_t im;			/* metrics started */
	int phase;			/* next of the three COPYs of a metric */
	enum read_state state;
	short wait;			/* poll events it needs before going on */
	struct timespec heard;		/* when its server last sent anything */
	char *table, *what;		/* quoted table, "reading idrac.x" */
	struct stream st;
};

struct window {
	usec_t start, end, edge;
};

struct pg_source {
	const struct config *cfg;
	double wait_s;		/* budget for late telemetry, 0: no wait */
	struct pg_db *dbs;
	size_t ndbs;
};

/* The window and node ids, handed to the server as parameters. */
#define SETTINGS_SQL \
	"SELECT set_config('powerreport.nodes', $1, true)," \
	" set_config('powerreport.start', $2, true)," \
	" set_config('powerreport.end', $3, true)," \
	" set_config('powerreport.edge', $4, true)"
#define NODES_IN "nodeid = ANY(current_setting('powerreport.nodes')::int[])"
#define T_AT(name) "(timestamptz 'epoch' + current_setting('powerreport." name \
	"')::int8 * interval '1 microsecond')"
#define T_START T_AT("start")
#define T_END T_AT("end")
#define T_EDGE "(current_setting('powerreport.edge')::int8 * interval '1 microsecond')"

/* The three reads of one metric, each "%1$s" the quoted table.  Every
 * series gets the last sample before the window (within the edge margin),
 * then its window in (node, time) order, which the (nodeid, timestamp)
 * index gives without a sort, then the first sample after the window; run
 * in that order, each series arrives in time order.  Device and source come
 * as ids (names from the maps of load_names): a join per row would cost the
 * server more than the whole client does.  The binary COPY format spares
 * both sides turning numbers into text and back; times arrive as
 * microseconds since 2000-01-01 UTC, exactly. */
#define ROW_COLS "nodeid::int4, fqdd::int4, source::int4, \"timestamp\"::timestamptz, value::float8"
#define COPY_BINARY ") TO STDOUT (FORMAT binary)"
#define PG_EPOCH_USEC (INT64_C(946684800) * USEC_PER_SEC)	/* 2000-01-01 UTC */
static const char *const copy_sql[3] = {
	"COPY (SELECT DISTINCT ON (nodeid, fqdd) " ROW_COLS " FROM %1$s"
	" WHERE " NODES_IN " AND \"timestamp\" < " T_START
	" AND \"timestamp\" >= " T_START " - " T_EDGE
	" ORDER BY nodeid, fqdd, \"timestamp\" DESC" COPY_BINARY,

	"COPY (SELECT " ROW_COLS " FROM %1$s"
	" WHERE " NODES_IN " AND \"timestamp\" >= " T_START " AND \"timestamp\" <= " T_END
	" ORDER BY nodeid, \"timestamp\"" COPY_BINARY,

	"COPY (SELECT DISTINCT ON (nodeid, fqdd) " ROW_COLS " FROM %1$s"
	" WHERE " NODES_IN " AND \"timestamp\" > " T_END
	" AND \"timestamp\" <= " T_END " + " T_EDGE
	" ORDER BY nodeid, fqdd, \"timestamp\"" COPY_BINARY,
};

/* Device and source names by id (small tables, read whole). */
static const char names_sql[] =
	"SELECT 0, id, fqdd FROM public.fqdd UNION ALL"
	" SELECT 1, id, source FROM public.source ORDER BY 1, 2";

/* Table existence and units of every (schema, metric), in one round trip;
 * a definition listed twice counts once. */
static const char metric_info_sql[] =
	"SELECT to_regclass(format('%I.%I', u.s, lower(u.m))) IS NOT NULL,"
	" (SELECT d.units FROM public.metrics_definition d"
	"   WHERE lower(d.metric_id) = lower(u.m) AND d.units IS NOT NULL"
	"   ORDER BY d.id LIMIT 1)"
	" FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(s, m, i) ORDER BY u.i";

/* How far each node's telemetry has come: its newest sample since the edge
 * before the window ("%1$s" the quoted table), one backward index lookup
 * per node on (nodeid, timestamp); NULL for a node without one. */
static const char probe_sql[] =
	"SELECT n, (SELECT (extract(epoch FROM max(\"timestamp\"::timestamptz))"
	" * 1000000)::int8 FROM %1$s WHERE nodeid = n"
	" AND \"timestamp\" >= timestamptz 'epoch' + $2::int8 * interval '1 microsecond')"
	" FROM unnest($1::int[]) AS u(n)";

static const char nodes_sql[] =
	"SELECT hostname, min(nodeid), count(*) FROM public.nodes"
	" WHERE hostname = ANY($1::text[]) GROUP BY hostname";

static struct pg_db *
db_for(struct pg_source *ps, const struct rule *rule)
{
	const char *key = pg_conn_key(rule);
	size_t i;

	for (i = 0; i < ps->ndbs; i++)
		if (strcmp(pg_conn_key(ps->dbs[i].rule), key) == 0)
			return &ps->dbs[i];
	ps->dbs = xrealloc(ps->dbs, (ps->ndbs + 1) * sizeof *ps->dbs);
	memset(&ps->dbs[ps->ndbs], 0, sizeof *ps->dbs);
	ps->dbs[ps->ndbs].rule = rule;
	ps->dbs[ps->ndbs].cfg = ps->cfg;
	return &ps->dbs[ps->ndbs++];
}

static void
note(const struct sample_sink *sink, const char *host, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
note(const struct sample_sink *sink, const char *host, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (sink->note != NULL)
		sink->note(sink->ctx, host, msg);
}

/* Look the nodes of db up in public.nodes, opening the transaction the
 * other metadata queries (load_names, metric_info) run in. */
static int
resolve_nodes(struct pg_db *db, const struct sample_sink *sink)
{
	const char *dbname = db->rule->database;
	const char **names = xmalloc(db->nnodes * sizeof *names);
	const char *param[1];
	PGresult *res;
	size_t i;
	int r, rc;

	for (i = 0; i < db->nnodes; i++)
		names[i] = db->nodes[i].hostname;
	param[0] = pg_array_literal(names, db->nnodes);
	free(names);
	rc = pg_xact_query(db->conn, db->cfg, 1, dbname, "looking up nodes in public.nodes",
	    nodes_sql, 1, param, &res);
	free((char *)param[0]);
	if (rc != PR_OK)
		return rc;
	for (r = 0; r < PQntuples(res); r++) {
		for (i = 0; i < db->nnodes; i++)
			if (strcmp(db->nodes[i].hostname, PQgetvalue(res, r, 0)) == 0)
				db->nodes[i].nodeid = atoi(PQgetvalue(res, r, 1));
		if (atoi(PQgetvalue(res, r, 2)) > 1)
			note(sink, PQgetvalue(res, r, 0), "listed %s times in public.nodes of "
			    "database \"%s\"; using nodeid %s", PQgetvalue(res, r, 2), dbname,
			    PQgetvalue(res, r, 1));
	}
	PQclear(res);
	for (i = 0; i < db->nnodes; i++)
		if (db->nodes[i].nodeid < 0)
			note(sink, db->nodes[i].hostname, "not in public.nodes of database "
			    "\"%s\": no telemetry for this node", dbname);
	return PR_OK;
}

static void
names_free(struct names *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].name);
	free(m->v);
	m->v = NULL;
	m->n = 0;
	m->last = NULL;
}

/* Read public.fqdd and public.source into db's maps. */
static int
load_names(struct pg_db *db)
{
	struct names *m;
	PGresult *res;
	int r, rc;

	rc = pg_query(db->conn, db->cfg, db->rule->database, "reading public.fqdd and public.source",
	    names_sql, 0, NULL, &res);
	if (rc != PR_OK)
		return rc;
	names_free(&db->fqdds);
	names_free(&db->sources);
	db->fqdds.v = xcalloc((size_t)PQntuples(res) + 1, sizeof *db->fqdds.v);
	db->sources.v = xcalloc((size_t)PQntuples(res) + 1, sizeof *db->sources.v);
	for (r = 0; r < PQntuples(res); r++) {
		m = strcmp(PQgetvalue(res, r, 0), "0") == 0 ? &db->fqdds : &db->sources;
		m->v[m->n].id = strtoll(PQgetvalue(res, r, 1), NULL, 10);
		m->v[m->n++].name = xstrdup(PQgetvalue(res, r, 2));
	}
	PQclear(res);
	return PR_OK;
}

static int
cmp_id(const void *key, const void *elem)
{
	int64_t a = *(const int64_t *)key, b = ((const struct idname *)elem)->id;

	return (a > b) - (a < b);
}

/* Name of id, "" for no id (-1) or one not in the map. */
static const char *
name_of(struct names *m, int64_t id)
{
	if (id < 0)
		return "";
	if (m->last == NULL || m->last->id != id)
		m->last = bsearch(&id, m->v, m->n, sizeof *m->v, cmp_id);
	return m->last != NULL ? m->last->name : "";
}

/* The distinct (schema, metric) pairs of db's nodes, checked as identifiers. */
static int
list_metrics(const struct pg_db *db, struct pg_metric **out, size_t *nout)
{
	struct pg_metric *m = NULL;
	size_t n = 0, i, j, k;
	const struct rule *rule;
	char *p;

	for (i = 0; i < db->nnodes; i++) {
		rule = db->nodes[i].rule;
		if (!pg_ident_ok(rule->schema))
			return pr_fail(PR_ECONFIG, "rule \"%s\": schema \"%s\" is not a plain "
			    "SQL identifier", rule->match, rule->schema);
		for (j = 0; j < rule->metrics.n; j++) {
			const char *metric = rule->metrics.v[j];

			for (k = 0; k < n; k++)
				if (strcmp(m[k].schema, rule->schema) == 0 &&
				    strcmp(m[k].metric, metric) == 0)
					break;
			if (k < n)
				continue;
			if (!pg_ident_ok(metric))
				return pr_fail(PR_ECONFIG, "rule \"%s\": metric \"%s\" is not a "
				    "plain SQL identifier", rule->match, metric);
			m = xrealloc(m, (n + 1) * sizeof *m);
			m[n].schema = rule->schema;
			m[n].metric = metric;
			m[n].table = xstrdup(metric);
			for (p = m[n].table; *p != '\0'; p++)
				*p = (char)tolower((unsigned char)*p);
			m[n].units = NULL;
			m[n].exists = 0;
			n++;
		}
	}
	*out = m;
	*nout = n;
	return PR_OK;
}

static void
free_metrics(struct pg_metric *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].table);
		free(m[i].units);
	}
	free(m);
}

/* Fill exists and units of every metric from the database. */
static int
metric_info(struct pg_db *db, struct pg_metric *m, size_t n, const struct sample_sink *sink)
{
	const char *dbname = db->rule->database;
	const char **schemas = xmalloc(n * sizeof *schemas);
	const char **metrics = xmalloc(n * sizeof *metrics);
	const char *param[2];
	PGresult *res;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		schemas[i] = m[i].schema;
		metrics[i] = m[i].metric;
	}
	param[0] = pg_array_literal(schemas, n);
	param[1] = pg_array_literal(metrics, n);
	free(schemas);
	free(metrics);
	rc = pg_query(db->conn, db->cfg, dbname, "reading public.metrics_definition",
	    metric_info_sql, 2, param, &res);
	free((char *)param[0]);
	free((char *)param[1]);
	if (rc != PR_OK)
		return rc;
	for (i = 0; i < n && (int)i < PQntuples(res); i++) {
		m[i].exists = strcmp(PQgetvalue(res, (int)i, 0), "t") == 0;
		m[i].units = xstrdup(PQgetvalue(res, (int)i, 1));
		if (!m[i].exists)
			note(sink, NULL, "metric table %s.%s does not exist in database \"%s\"",
			    m[i].schema, m[i].table, dbname);
		else if (PQgetisnull(res, (int)i, 1))
			note(sink, NULL, "metric %s has no units in public.metrics_definition "
			    "of database \"%s\"", m[i].metric, dbname);
	}
	PQclear(res);
	return PR_OK;
}

/* The node of db with this id, or NULL. */
static struct pg_node *
node_by_id(struct pg_db *db, int64_t nodeid)
{
	for (size_t i = 0; i < db->nnodes; i++)
		if (db->nodes[i].nodeid == nodeid)
			return &db->nodes[i];
	return NULL;
}

/* Big-endian integers of the binary COPY format. */
static uint64_t
get_be(const unsigned char *p, int32_t n)
{
	uint64_t v = 0;

	for (int32_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* A binary COPY int field (2, 4 or 8 bytes, signed) or -1 for NULL. */
static int64_t
int_field(const unsigned char *p, int32_t len)
{
	uint64_t v = get_be(p, len);

	if (len < 0)
		return -1;
	if (len < 8 && (v >> (8 * len - 1)) != 0)	/* sign-extend */
		v |= ~UINT64_C(0) << (8 * len);
	return (int64_t)v;
}

/* One CopyData message of a binary COPY (the file header before the first
 * row, a row of the five ROW_COLS, or the trailer) -> at most one sample. */
static int
take_row(struct stream *st, const unsigned char *p, size_t len,
    const struct sample_sink *sink)
{
	static const unsigned char signature[11] = "PGCOPY\n\377\r\n";
	const unsigned char *end = p + len, *f[5];
	int32_t flen[5];
	uint64_t bits;
	struct sample s;
	int64_t nodeid;
	size_t i;

	if (!st->header_seen) {
		if (len < 19 || memcmp(p, signature, 11) != 0 ||
		    get_be(p + 15, 4) > len - 19)
			goto bad;
		p += 19 + get_be(p + 15, 4);
		st->header_seen = 1;
	}
	if (end - p == 2 && p[0] == 0xff && p[1] == 0xff)	/* trailer */
		return PR_OK;
	if (end - p < 2 || get_be(p, 2) != 5)
		goto bad;
	for (p += 2, i = 0; i < 5; i++) {
		if (end - p < 4)
			goto bad;
		flen[i] = (int32_t)get_be(p, 4);
		f[i] = p += 4;
		if (flen[i] > end - p || (flen[i] < 0 && flen[i] != -1))
			goto bad;
		p += flen[i] > 0 ? flen[i] : 0;
	}
	if (flen[0] != 4 || flen[1] > 4 || flen[2] > 4 || flen[3] != 8 ||
	    (flen[4] != 8 && flen[4] != -1))
		goto bad;
	nodeid = int_field(f[0], 4);
	if (st->node == NULL || st->node->nodeid != nodeid)
		st->node = node_by_id(st->db, nodeid);
	if (st->node == NULL)
		return pr_fail(PR_ESOURCE, "database \"%s\": row of unrequested node %lld",
		    st->db->rule->database, (long long)nodeid);
	s.hostname = st->node->hostname;
	s.metric = st->metric->metric;
	s.fqdd = name_of(&st->db->fqdds, int_field(f[1], flen[1]));
	s.source = name_of(&st->db->sources, int_field(f[2], flen[2]));
	s.units = st->metric->units;
	s.t = int_field(f[3], 8) + PG_EPOCH_USEC;
	s.value = NAN;
	if (flen[4] == 8) {
		bits = get_be(f[4], 8);
		memcpy(&s.value, &bits, sizeof s.value);
	}
	if (s.t >= st->start && s.t <= st->end)
		st->node->nsamples++;
	return sink->sample(sink->ctx, &s);
bad:
	return pr_fail(PR_ESOURCE, "database \"%s\": unexpected COPY data from %s.%s",
	    st->db->rule->database, st->metric->schema, st->metric->table);
}

/* Stop db's COPY early: cancel it, so the server stops at once rather than
 * when it next writes, and close the connection, which ends its transaction
 * (the next pull connects again).  Nothing is drained: behind PgBouncer a
 * COPY still queued for a server connection ignores the cancel, and
 * waiting for it could wait for ever on servers that other runs hold. */
static void
abandon_copy(struct pg_db *db)
{
	pg_cancel(db->conn);
	PQfinish(db->conn);
	db->conn = NULL;
}

/* Does metric m's table hold telemetry of nd? */
static int
serves(const struct pg_node *nd, const struct pg_metric *m)
{
	return nd->nodeid >= 0 && strcmp(nd->rule->schema, m->schema) == 0 &&
	    strlist_find(&nd->rule->metrics, m->metric) >= 0;
}

/* The ids of db's nodes that m serves as an int[] literal ("{2,5}"), and in
 * *any whether there is one. */
static char *
node_ids(const struct pg_db *db, const struct pg_metric *m, int *any)
{
	char *ids = xstrdup("{"), *old;

	*any = 0;
	for (size_t i = 0; i < db->nnodes; i++) {
		if (!serves(&db->nodes[i], m))
			continue;
		old = ids;
		ids = xasprintf("%s%s%d", old, *any ? "," : "", db->nodes[i].nodeid);
		free(old);
		*any = 1;
	}
	old = ids;
	ids = xasprintf("%s}", old);
	free(old);
	return ids;
}

/* Begin the transaction of metric's COPYs (ending the one before),
 * handing it the node ids serving metric and the window. */
static int
set_window(struct pg_db *db, const struct pg_metric *m, const struct window *w, int *any)
{
	char *ids = node_ids(db, m, any), b[3][24];
	const char *param[4];
	PGresult *res;
	int rc;

	snprintf(b[0], sizeof b[0], "%lld", (long long)w->start);
	snprintf(b[1], sizeof b[1], "%lld", (long long)w->end);
	snprintf(b[2], sizeof b[2], "%lld", (long long)w->edge);
	param[0] = ids;
	param[1] = b[0];
	param[2] = b[1];
	param[3] = b[2];
	rc = *any ? pg_xact_query(db->conn, db->cfg, 1, db->rule->database,
	    "setting the window", SETTINGS_SQL, 4, param, &res) : PR_OK;
	if (*any && rc == PR_OK)
		PQclear(res);
	free(ids);
	return rc;
}

/* Send db's next COPY: the next read of its current metric, or the first of
 * its next metric that has a table and nodes; RD_DONE after the last, its
 * transaction committed at once (other databases may still be streaming). */
static int
send_next(struct pg_db *db, const struct window *w)
{
	const struct pg_metric *m;
	char *sql;
	int rc, any;

	while (db->table == NULL || db->phase == 3) {
		free(db->table);
		free(db->what);
		db->table = db->what = NULL;
		db->phase = 0;
		if (db->im >= db->nmetrics) {
			db->state = RD_DONE;
			return pg_commit(db->conn, db->cfg, db->rule->database);
		}
		m = &db->metrics[db->im++];
		if (!m->exists)
			continue;
		if ((rc = set_window(db, m, w, &any)) != PR_OK)
			return rc;
		if (!any)
			continue;
		if ((db->table = pg_qualified(db->conn, m->schema, m->table)) == NULL)
			return pg_fail(db->conn, NULL, db->rule->database, "quoting a table name");
		db->what = xasprintf("reading %s.%s", m->schema, m->table);
		db->st = (struct stream){ db, m, w->start, w->end, NULL, 0 };
		pr_log(2, "database \"%s\": %s", db->rule->database, db->what);
	}
	sql = xasprintf(copy_sql[db->phase++], db->table);
	db->st.header_seen = 0;
	rc = PQsendQuery(db->conn, sql) ? PR_OK :
	    pg_fail(db->conn, NULL, db->rule->database, db->what);
	free(sql);
	db->state = RD_START;
	return rc;
}

/* Finish the COPY that just ended on db (its status tells how it went). */
static int
end_copy(struct pg_db *db)
{
	PGresult *res = PQgetResult(db->conn);
	int rc = PR_OK;

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_fail(db->conn, res, db->rule->database, db->what);
	PQclear(res);
	if (rc == PR_OK)
		while ((res = PQgetResult(db->conn)) != NULL)
			PQclear(res);
	db->state = RD_NEXT;
	return rc;
}

/* Do on db whatever needs no waiting: send queries, hand rows to the sink
 * (a batch at a time, so the other databases get their turn).  db->wait
 * says it needs its socket readable before it can go on. */
static int
db_step(struct pg_db *db, const struct window *w, const struct sample_sink *sink)
{
	PGresult *res;
	char *buf;
	int n, rows = 0, rc;

	db->wait = 0;
	for (;;) {
		switch (db->state) {
		case RD_NEXT:
			if ((rc = send_next(db, w)) != PR_OK)
				return rc;
			break;
		case RD_START:
			if ((n = PQflush(db->conn)) < 0)
				return pg_fail(db->conn, NULL, db->rule->database, db->what);
			if (n > 0 || PQisBusy(db->conn)) {
				db->wait = n > 0 ? POLLIN | POLLOUT : POLLIN;
				return PR_OK;
			}
			res = PQgetResult(db->conn);
			if (PQresultStatus(res) != PGRES_COPY_OUT) {
				rc = pg_fail(db->conn, res, db->rule->database, db->what);
				PQclear(res);
				return rc;
			}
			PQclear(res);
			db->state = RD_COPY;
			break;
		case RD_COPY:
			n = PQgetCopyData(db->conn, &buf, 1);
			if (n == 0) {
				db->wait = POLLIN;
				return PR_OK;
			}
			if (n < 0) {
				if ((rc = end_copy(db)) != PR_OK)
					return rc;
				break;
			}
			rc = take_row(&db->st, (const unsigned char *)buf, (size_t)n, sink);
			PQfreemem(buf);
			if (rc != PR_OK || ++rows == 4096)
				return rc;
			break;
		default:
			return PR_OK;
		}
	}
}

/* Look at db before polling: go on with it unless it waits for its socket;
 * fail when it has waited longer than the idle-read limit. */
static int
visit_db(struct pg_db *db, const struct window *w, const struct sample_sink *sink)
{
	if (pr_interrupted)
		return pr_fail(PR_EINTR, "interrupted while reading from database \"%s\"",
		    db->rule->database);
	if (!db->wait)
		return db_step(db, w, sink);
	if (time_elapsed(&db->heard) > pg_idle_limit_s(db->cfg))
		return pg_stalled(db->conn, db->cfg);
	return PR_OK;
}

/* Stream every database's rows at once: each connection's server works
 * while this process takes rows from whichever has some ready.  Waits are
 * a quarter second at most, so a signal ends the pull at once. */
static int
stream_all(struct pg_source *ps, const struct window *w, const struct sample_sink *sink)
{
	struct pollfd *pfd = xcalloc(ps->ndbs, sizeof *pfd);
	struct pg_db **waiting = xcalloc(ps->ndbs, sizeof *waiting);
	struct pg_db *db;
	size_t i, n, active;
	int rc = PR_OK;

	for (i = 0; i < ps->ndbs; i++)
		clock_gettime(CLOCK_MONOTONIC, &ps->dbs[i].heard);
	for (;;) {
		for (i = n = active = 0; i < ps->ndbs && rc == PR_OK; i++) {
			db = &ps->dbs[i];
			if (db->state == RD_DONE)
				continue;
			rc = visit_db(db, w, sink);
			if (rc != PR_OK || db->state == RD_DONE)
				continue;
			active++;
			if (db->wait) {
				pfd[n] = (struct pollfd){ .fd = PQsocket(db->conn), .events = db->wait };
				waiting[n++] = db;
			}
		}
		if (rc != PR_OK || active == 0)
			break;
		if (n == 0 || poll(pfd, n, n == active ? 250 : 0) <= 0)
			continue;
		for (i = 0; i < n && rc == PR_OK; i++) {
			if (pfd[i].revents == 0)
				continue;
			db = waiting[i];
			db->wait = 0;
			clock_gettime(CLOCK_MONOTONIC, &db->heard);
			if (!PQconsumeInput(db->conn))	/* the connection is gone */
				rc = pg_fail(db->conn, NULL, db->rule->database, db->what);
		}
		if (rc != PR_OK)
			break;
	}
	if (rc != PR_OK)
		for (i = 0; i < ps->ndbs; i++)
			if (ps->dbs[i].state == RD_START || ps->dbs[i].state == RD_COPY)
				abandon_copy(&ps->dbs[i]);
	free(pfd);
	free(waiting);
	return rc;
}

/* The table that tells how far db's telemetry has come: SystemInputPower's
 * when it exists, else that of the first configured metric that has one. */
static const struct pg_metric *
probe_metric(const struct pg_db *db)
{
	const struct pg_metric *first = NULL;

	for (size_t i = 0; i < db->nmetrics; i++) {
		if (!db->metrics[i].exists)
			continue;
		if (strcmp(db->metrics[i].table, "systeminputpower") == 0)
			return &db->metrics[i];
		if (first == NULL)
			first = &db->metrics[i];
	}
	return first;
}

/* One statement in a transaction of its own (none stays open across the
 * naps, which would hold a pooled server connection): the newest sample of
 * each of db's nodes in the probe table; *behind counts those with
 * telemetry that ends before the window does.  A node absent from
 * public.nodes is not asked about. */
static int
probe_db(struct pg_db *db, const struct window *w, size_t *behind)
{
	const struct pg_metric *m = probe_metric(db);
	char *ids, *table, *sql, *what, since[24];
	const char *param[2];
	struct pg_node *nd;
	PGresult *res;
	int any, r, rc;

	if (m == NULL)
		return PR_OK;
	ids = node_ids(db, m, &any);
	if (!any || (table = pg_qualified(db->conn, m->schema, m->table)) == NULL) {
		free(ids);
		return any ? pg_fail(db->conn, NULL, db->rule->database,
		    "quoting a table name") : PR_OK;
	}
	snprintf(since, sizeof since, "%lld", (long long)(w->start - w->edge));
	param[0] = ids;
	param[1] = since;
	sql = xasprintf(probe_sql, table);
	what = xasprintf("waiting for telemetry in %s.%s", m->schema, m->table);
	rc = pg_xact_query(db->conn, db->cfg, 0, db->rule->database, what, sql, 2, param,
	    &res);
	free(what);
	free(sql);
	free(table);
	free(ids);
	if (rc != PR_OK)
		return rc;
	for (r = 0; r < PQntuples(res); r++) {
		if ((nd = node_by_id(db, atoi(PQgetvalue(res, r, 0)))) == NULL)
			continue;
		nd->latest = PQgetisnull(res, r, 1) ? NO_SAMPLE :
		    strtoll(PQgetvalue(res, r, 1), NULL, 10);
		*behind += nd->latest != NO_SAMPLE && nd->latest < w->end;
	}
	PQclear(res);
	return PR_OK;
}

/* Sleep secs in naps of at most 0.25 s, so that a signal, even one that
 * lands just before a nap, ends the wait at once: PR_EINTR. */
static int
nap(double secs)
{
	struct timespec t0, slice;
	double left;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!pr_interrupted && (left = secs - time_elapsed(&t0)) > 0) {
		slice = (struct timespec){ 0, (long)(fmin(left, 0.25) * 1e9) };
		nanosleep(&slice, NULL);	/* a signal cuts it short */
	}
	return pr_interrupted ? pr_fail(PR_EINTR, "interrupted while waiting for "
	    "late telemetry; no report written") : PR_OK;
}

/* A warning for every node whose telemetry still ends before the window. */
static void
warn_behind(const struct pg_source *ps, const struct window *w, double waited,
    const struct sample_sink *sink)
{
	char gap[32], spent[32];
	const struct pg_node *nd;

	time_format_duration((usec_t)llround(waited) * USEC_PER_SEC, spent, sizeof spent);
	for (size_t i = 0; i < ps->ndbs; i++)
		for (size_t j = 0; j < ps->dbs[i].nnodes; j++) {
			nd = &ps->dbs[i].nodes[j];
			if (nd->latest == NO_SAMPLE || nd->latest >= w->end)
				continue;
			time_format_duration(w->end - nd->latest, gap, sizeof gap);
			note(sink, NULL, "%s: telemetry ends %s before the job end; waited %s",
			    nd->hostname, gap, spent);
		}
}

/* Look at every database every POLL_S seconds (less when the budget ends
 * sooner) until each node that has telemetry has a sample at or after the
 * window end, or the budget is spent; the report is made either way. */
static int
wait_for_data(struct pg_source *ps, const struct window *w, const struct sample_sink *sink)
{
	struct timespec t0;
	size_t i, behind;
	double left;
	int rc = PR_OK;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		for (i = 0, behind = 0; i < ps->ndbs && rc == PR_OK; i++)
			rc = probe_db(&ps->dbs[i], w, &behind);
		left = ps->wait_s - time_elapsed(&t0);
		if (rc != PR_OK)
			return rc;
		pr_log(2, "waiting for telemetry: %zu node%s short of the job end, "
		    "%.0f s of %.0f s left", behind, behind == 1 ? "" : "s",
		    fmax(left, 0), ps->wait_s);
		if (behind == 0)
			return PR_OK;
		if (left <= 0)
			break;
		if ((rc = nap(fmin(POLL_S, left))) != PR_OK)
			return rc;
	}
	warn_behind(ps, w, time_elapsed(&t0), sink);
	return PR_OK;
}

/* Connect db and learn what to read: node ids, names, tables, units. */
static int
prepare_db(struct pg_source *ps, struct pg_db *db, const struct sample_sink *sink)
{
	int rc;

	if ((rc = list_metrics(db, &db->metrics, &db->nmetrics)) != PR_OK)
		return rc;
	if (db->conn == NULL && (rc = pg_connect(ps->cfg, db->rule, &db->conn)) != PR_OK)
		return rc;
	if ((rc = resolve_nodes(db, sink)) != PR_OK || db->nmetrics == 0)
		return rc;
	if ((rc = load_names(db)) != PR_OK)
		return rc;
	if ((rc = metric_info(db, db->metrics, db->nmetrics, sink)) != PR_OK)
		return rc;
	db->state = RD_NEXT;
	return PR_OK;
}

/* Forget what the previous pull left in db. */
static void
reset_db(struct pg_db *db)
{
	free_metrics(db->metrics, db->nmetrics);
	free(db->nodes);
	free(db->table);
	free(db->what);
	db->metrics = NULL;
	db->nodes = NULL;
	db->table = db->what = NULL;
	db->nmetrics = db->nnodes = db->im = 0;
	db->phase = db->wait = 0;
	db->state = RD_DONE;
}

/* Leave no transaction open: commit what a pull that went well left (the
 * metadata transaction of a database without metrics), roll back what a
 * failure left (a COPY abandoned, a statement that failed). */
static int
end_xacts(struct pg_source *ps, int rc)
{
	for (size_t i = 0; i < ps->ndbs; i++) {
		if (ps->dbs[i].conn == NULL)
			continue;
		if (rc == PR_OK)
			rc = pg_commit(ps->dbs[i].conn, ps->cfg, ps->dbs[i].rule->database);
		else
			pg_rollback(ps->dbs[i].conn, ps->cfg);
	}
	return rc;
}

static int
pg_pull(struct source *src, const struct plan *plan, usec_t start, usec_t end,
    const struct sample_sink *sink)
{
	struct pg_source *ps = src->priv;
	double interval = ps->cfg->sampling_interval_s > 0 ? ps->cfg->sampling_interval_s : 5;
	struct window w = { start, end, (usec_t)(fmax(300, 20 * interval) * USEC_PER_SEC) };
	struct pg_db *db;
	size_t i, j;
	int rc = PR_OK;

	for (i = 0; i < ps->ndbs; i++)
		reset_db(&ps->dbs[i]);
	for (i = 0; i < plan->n; i++) {
		if (plan->nodes[i].rule == NULL)
			continue;
		db = db_for(ps, plan->nodes[i].rule);
		db->nodes = xrealloc(db->nodes, (db->nnodes + 1) * sizeof *db->nodes);
		db->nodes[db->nnodes++] = (struct pg_node){ plan->nodes[i].hostname,
		    plan->nodes[i].rule, -1, 0, NO_SAMPLE };
	}
	for (i = 0; i < ps->ndbs && rc == PR_OK; i++)
		if (ps->dbs[i].nnodes > 0)
			rc = prepare_db(ps, &ps->dbs[i], sink);
	if (rc == PR_OK && ps->wait_s > 0)
		rc = wait_for_data(ps, &w, sink);
	if (rc == PR_OK)
		rc = stream_all(ps, &w, sink);
	rc = end_xacts(ps, rc);
	for (i = 0; i < ps->ndbs && rc == PR_OK; i++)
		for (j = 0, db = &ps->dbs[i]; j < db->nnodes; j++)
			if (db->nodes[j].nodeid >= 0 && db->nodes[j].nsamples == 0)
				note(sink, db->nodes[j].hostname, "no samples in the window in "
				    "database \"%s\"", db->rule->database);
	return rc;
}

static void
pg_close(struct source *src)
{
	struct pg_source *ps = src->priv;

	if (ps == NULL)
		return;
	for (size_t i = 0; i < ps->ndbs; i++) {
		if (ps->dbs[i].conn != NULL)
			PQfinish(ps->dbs[i].conn);
		reset_db(&ps->dbs[i]);
		names_free(&ps->dbs[i].fqdds);
		names_free(&ps->dbs[i].sources);
	}
	free(ps->dbs);
	free(ps);
	src->priv = NULL;
}

int
source_pg_open(struct source *src, const struct config *cfg, double wait_s)
{
	struct pg_source *ps = xcalloc(1, sizeof *ps);

	ps->cfg = cfg;
	ps->wait_s = wait_s;
	src->name = "postgresql";
	src->pull = pg_pull;
	src->close = pg_close;
	src->priv = ps;
	return PR_OK;
}
