/*
 * source_pg.c - the MonSter PostgreSQL database as a telemetry source
 * (source.h): the plan's nodes grouped by database, one connection per
 * database serving all of its nodes, kept across pulls.  A pull has each
 * database prepared (source_pg_meta.c), waits for late telemetry when asked
 * to (source_pg_wait.c), streams the rows of all databases at once
 * (source_pg_copy.c), and leaves no transaction open behind it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pg_conn.h"
#include "source_pg.h"

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
				sink_note(sink, db->nodes[j].hostname, "no samples in the window in "
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
