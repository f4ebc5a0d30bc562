/*
 * source_pg_meta.c - what a MonSter database holds for a pull, read before
 * any telemetry: the node ids of public.nodes, the device and source names
 * (public.fqdd, public.source: small tables read whole, so rows carry ids
 * and no join runs per row), and which metric tables exist with what units
 * (public.metrics_definition).  They run in one transaction of their own
 * per database, so nothing depends on the session (PgBouncer may run each
 * transaction on another server connection).  sink_note, the remark every
 * part of the source sends to the report, lives here at the bottom.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pg_conn.h"
#include "source_pg.h"

/* Device and source names by id (small tables, read whole). */
static const char names_sql[] =
	"SELECT 0, id, fqdd FROM public.fqdd UNION ALL"
	" SELECT 1, id, source FROM public.source ORDER BY 1, 2";

/* Table existence, units and sensing interval (microseconds; Redfish
 * writes it as an ISO 8601 duration such as PT5S, anything else is taken
 * as not given) of every (schema, metric), in one round trip; a definition
 * listed twice counts once. */
static const char metric_info_sql[] =
	"SELECT to_regclass(format('%I.%I', u.s, lower(u.m))) IS NOT NULL,"
	" (SELECT d.units FROM public.metrics_definition d"
	"   WHERE lower(d.metric_id) = lower(u.m) AND d.units IS NOT NULL"
	"   ORDER BY d.id LIMIT 1),"
	" (SELECT (extract(epoch FROM d.sensing_interval::interval) * 1e6)::int8"
	"   FROM public.metrics_definition d WHERE lower(d.metric_id) = lower(u.m)"
	"   AND d.sensing_interval ~ '^PT([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]+)?S)?$'"
	"   AND d.sensing_interval <> 'PT' ORDER BY d.id LIMIT 1)"
	" FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(s, m, i) ORDER BY u.i";

static const char nodes_sql[] =
	"SELECT hostname, min(nodeid), count(*) FROM public.nodes"
	" WHERE hostname = ANY($1::text[]) GROUP BY hostname";

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
			sink_note(sink, PQgetvalue(res, r, 0), "listed %s times in public.nodes of "
			    "database \"%s\"; using nodeid %s", PQgetvalue(res, r, 2), dbname,
			    PQgetvalue(res, r, 1));
	}
	PQclear(res);
	for (i = 0; i < db->nnodes; i++)
		if (db->nodes[i].nodeid < 0)
			sink_note(sink, db->nodes[i].hostname, "not in public.nodes of database "
			    "\"%s\": no telemetry for this node", dbname);
	return PR_OK;
}

void
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
const char *
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
			m[n].interval = 0;
			m[n].exists = 0;
			n++;
		}
	}
	*out = m;
	*nout = n;
	return PR_OK;
}

void
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
		m[i].interval = strtoll(PQgetvalue(res, (int)i, 2), NULL, 10);
		if (!m[i].exists)
			sink_note(sink, NULL, "metric table %s.%s does not exist in database \"%s\"",
			    m[i].schema, m[i].table, dbname);
		else if (PQgetisnull(res, (int)i, 1))
			sink_note(sink, NULL, "metric %s has no units in public.metrics_definition "
			    "of database \"%s\"", m[i].metric, dbname);
	}
	PQclear(res);
	return PR_OK;
}

/* Connect db and learn what to read: node ids, names, tables, units. */
int
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

void
sink_note(const struct sample_sink *sink, const char *host, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (sink->note != NULL)
		sink->note(sink->ctx, host, msg);
}
