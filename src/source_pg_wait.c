/*
 * source_pg_wait.c - --wait-for-data: telemetry reaches the database late.
 * With a wait budget the pull first asks each database, in one statement,
 * how far each node's samples have come, and asks again every few seconds
 * until they reach the window end or the budget is spent; the nodes still
 * behind then are named in a warning.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pg_conn.h"
#include "source_pg.h"

#define POLL_S 5.0		/* between looks while waiting for telemetry */

/* How far each node's telemetry has come: its newest sample since the edge
 * before the window ("%1$s" the quoted table), one backward index lookup
 * per node on (nodeid, timestamp); NULL for a node without one. */
static const char probe_sql[] =
	"SELECT n, (SELECT (extract(epoch FROM max(\"timestamp\"::timestamptz))"
	" * 1000000)::int8 FROM %1$s WHERE nodeid = n"
	" AND \"timestamp\" >= timestamptz 'epoch' + $2::int8 * interval '1 microsecond')"
	" FROM unnest($1::int[]) AS u(n)";

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
			sink_note(sink, NULL, "%s: telemetry ends %s before the job end; waited %s",
			    nd->hostname, gap, spent);
		}
}

/* Look at every database every POLL_S seconds (less when the budget ends
 * sooner) until each node that has telemetry has a sample at or after the
 * window end, or the budget is spent; the report is made either way. */
int
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

