/*
 * source_pg_copy.c - streaming telemetry out of every database at once.
 *
 * Three COPYs per (database, metric) stream the rows of all that
 * database's nodes (the sample before the window, the window, the sample
 * after it), so round trips grow with databases x metrics, never with
 * nodes.  COPY takes no bind parameters, so the values (node ids, window)
 * travel as parameters of a set_config() call and the COPY reads them back
 * with current_setting(): no value is ever pasted into SQL; only checked,
 * quoted identifiers are.  The settings are transaction-local and each
 * metric's three COPYs run in the transaction that made them, so nothing
 * depends on the session and PgBouncer may run each transaction on another
 * server connection.  Each database moves through its COPYs as a small
 * state machine (db_step), all of them in one poll() loop that a signal or
 * the idle-read limit ends.  Each series arrives in time order, rows go to
 * the sink one by one, and memory does not depend on the number of rows.
 */
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pg_conn.h"
#include "source_pg.h"

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

/* The node of db with this id, or NULL. */
struct pg_node *
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
	s.interval = st->metric->interval;
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
char *
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
	if (!db->wait) {
		clock_gettime(CLOCK_MONOTONIC, &db->heard);
		return db_step(db, w, sink);
	}
	if (time_elapsed(&db->heard) > pg_idle_limit_s(db->cfg))
		return pg_stalled(db->conn, db->cfg);
	return PR_OK;
}

/* Stream every database's rows at once: each connection's server works
 * while this process takes rows from whichever has some ready.  Waits are
 * a quarter second at most, so a signal ends the pull at once. */
int
stream_all(struct pg_source *ps, const struct window *w, const struct sample_sink *sink)
{
	struct pollfd *pfd = xcalloc(ps->ndbs, sizeof *pfd);
	struct pg_db **waiting = xcalloc(ps->ndbs, sizeof *waiting);
	struct pg_db *db;
	size_t i, n, active;
	int rc = PR_OK;

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

