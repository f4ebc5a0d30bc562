/*
 * pg_energy.c - energies of many (node, window) pairs integrated by the
 * database: one statement per database, the windows handed over as array
 * parameters, the metric tables as checked and quoted identifiers.
 *
 * The statement follows the streaming path (source_pg.c feeding series.c)
 * rule for rule, so the two agree to rounding:
 * - per series (window, metric, device id; the streaming path keys by the
 *   device's name, which differs only if public.fqdd names two ids alike)
 *   the samples inside the window, the last row before it and the first
 *   row after it, each of those only within the edge margin (max(5 min,
 *   20 sampling intervals));
 *   an edge row that is missing or implausible is not replaced by another;
 * - values missing (NULL, NaN) skipped; values from a float4 column taken
 *   as their shortest decimal; values not finite, or in watts outside
 *   [0, the plausible maximum of the metric's role], dropped; a row with
 *   the same time as the one before adds a segment of length 0 and is not
 *   counted;
 * - units from public.metrics_definition turned into watts with the table
 *   of units_to_watts (unknown units: energy 0);
 * - the trapezoids of consecutive samples clipped to the window (lag() over
 *   the series), the first value held back to the window start and the
 *   last one on to its end.
 * Gaps and coverage are not computed here: only energy.
 */
#include "pg_energy.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "error.h"
#include "pg_conn.h"
#include "strbuf.h"

/* One (schema, metric) some window of a database reads. */
struct emetric {
	const char *schema, *metric;
	char *table;		/* lower-cased metric id */
};

/* What one database is asked: its windows x metrics, one row each. */
struct edb {
	const struct rule *rule;	/* the first rule served by it */
	struct emetric *m;
	size_t nm;
	struct strbuf host, ws, we, k, j;	/* array literals being built */
	size_t nrows;
	PGconn *conn;		/* NULL until asked */
	int sent;		/* the energy statement is on its way */
};

/* The windows (one row per window and metric of its rule, with the
 * metric's plausible maximum and its units' factor to watts) and the
 * node ids, computed once. */
#define WIN_CTE \
	"WITH met AS MATERIALIZED (SELECT m.k::int AS k, m.hi, coalesce((SELECT c.scale" \
	"   FROM unnest($9::text[], $10::float8[]) AS c(name, scale)" \
	"   WHERE lower(c.name) = lower(btrim(d.units, ' '))), 0) AS scale" \
	" FROM unnest($7::text[], $8::float8[]) WITH ORDINALITY AS m(metric, hi, k)" \
	" LEFT JOIN LATERAL (SELECT units FROM public.metrics_definition" \
	"   WHERE lower(metric_id) = lower(m.metric) AND units IS NOT NULL" \
	"   ORDER BY id LIMIT 1) d ON true)," \
	" win AS MATERIALIZED (SELECT u.j, u.k, n.nodeid, u.ws, u.we, met.hi, met.scale," \
	" timestamptz 'epoch' + u.ws * interval '1 microsecond' AS tws," \
	" timestamptz 'epoch' + u.we * interval '1 microsecond' AS twe," \
	" $6::int8 * interval '1 microsecond' AS edge" \
	" FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int[], $5::int[])" \
	"   AS u(host, ws, we, k, j)" \
	" JOIN (SELECT hostname, min(nodeid) AS nodeid FROM public.nodes" \
	"   GROUP BY hostname) n ON n.hostname = u.host JOIN met ON met.k = u.k)"

/* The series of metric k ("%1$d", table "%2$s") of every window that reads
 * it, each integrated inside its own lateral subquery (small in-memory
 * sorts instead of one sort of every sample):
 * - the rows: the last before the window and the first after it as
 *   source_pg.c's COPYs pick them, and those inside it;
 * - usable values ("%3$s" the value, FLOAT4_VALUE for a REAL column), in
 *   watts and within the plausible range; times in microseconds through date_part's float8,
 *   exact to well under a microsecond for any date near ours (extract's
 *   numeric costs seconds per million rows);
 * - the trapezoids, clipped to the window, and the held edge values. */
#define SERIES_BRANCH \
	" SELECT w.j, w.k, s.fqdd, s.e, s.n FROM win w CROSS JOIN LATERAL (" \
	"SELECT fqdd, 0.5e-6 * sum(CASE WHEN w.we <= w.ws THEN 0 ELSE" \
	"  CASE WHEN t0 IS NULL THEN" \
	"    CASE WHEN t > w.ws THEN 2 * p * (least(t, w.we) - w.ws) ELSE 0 END" \
	"   WHEN t0 >= w.ws AND t <= w.we THEN (p0 + p) * (t - t0)" \
	"   WHEN least(t, w.we) > greatest(t0, w.ws) THEN" \
	"    (p0 + (p - p0) * (greatest(t0, w.ws) - t0)::float8 / (t - t0)::float8" \
	"     + p0 + (p - p0) * (least(t, w.we) - t0)::float8 / (t - t0)::float8)" \
	"    * (least(t, w.we) - greatest(t0, w.ws))" \
	"   ELSE 0 END" \
	"  + CASE WHEN last AND t < w.we THEN 2 * p * (w.we - greatest(t, w.ws)) ELSE 0 END" \
	"  END) AS e, count(*) FILTER (WHERE t0 IS NULL OR t > t0) AS n" \
	" FROM (SELECT fqdd, t, p, lag(t) OVER s AS t0, lag(p) OVER s AS p0," \
	"  lead(t) OVER s IS NULL AS last FROM (" \
	"  SELECT fqdd, round(date_part('epoch', t) * 1000000)::int8 AS t, v * w.scale AS p FROM (" \
	"   SELECT fqdd, t, %3$s AS v FROM (" \
	"(SELECT DISTINCT ON (fqdd) fqdd::int4 AS fqdd, \"timestamp\"::timestamptz AS t," \
	"  value::float8 AS v FROM %2$s WHERE nodeid = w.nodeid" \
	"  AND \"timestamp\" < w.tws AND \"timestamp\" >= w.tws - w.edge" \
	"  ORDER BY fqdd, \"timestamp\" DESC)" \
	" UNION ALL (SELECT fqdd::int4, \"timestamp\"::timestamptz, value::float8 FROM %2$s" \
	"  WHERE nodeid = w.nodeid AND \"timestamp\" >= w.tws AND \"timestamp\" <= w.twe)" \
	" UNION ALL (SELECT DISTINCT ON (fqdd) fqdd::int4, \"timestamp\"::timestamptz," \
	"  value::float8 FROM %2$s WHERE nodeid = w.nodeid" \
	"  AND \"timestamp\" > w.twe AND \"timestamp\" <= w.twe + w.edge" \
	"  ORDER BY fqdd, \"timestamp\")) r0 WHERE v IS NOT NULL AND v <> 'NaN'::float8) r1" \
	"  WHERE abs(v) < 1e300 AND v * w.scale >= 0 AND v * w.scale <= w.hi) g" \
	"  WINDOW s AS (PARTITION BY fqdd ORDER BY t)) seg GROUP BY fqdd) s WHERE w.k = %1$d"

/* A value of a REAL column as float4_decimal takes it: its shortest decimal
 * (guarded so that no cast overflows).  Other columns are taken as they are:
 * the check costs a third of the statement, and a double that is exactly a
 * widened float4 (231.19999694824219) is the only value it would change. */
#define FLOAT4_VALUE \
	"CASE WHEN abs(v) BETWEEN 1.2e-38 AND 3.4e38 AND v <> trunc(v)" \
	" AND v::float4::float8 = v THEN v::float4::text::float8 ELSE v END"

/* Device names for the ids, once per result row. */
#define NAMES \
	" SELECT x.j, x.k, coalesce(f.fqdd, ''), x.e, x.n FROM raw x" \
	" LEFT JOIN public.fqdd f ON f.id = x.fqdd ORDER BY 1, 2, 3"

/* Which metric tables exist (the statement may only name those), and
 * whether their value column is REAL. */
static const char exists_sql[] =
	"SELECT to_regclass(format('%I.%I', u.s, u.t)) IS NOT NULL,"
	" coalesce((SELECT a.atttypid = 'real'::regtype FROM pg_attribute a"
	"  WHERE a.attrelid = to_regclass(format('%I.%I', u.s, u.t)) AND a.attname = 'value'),"
	"  false)"
	" FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(s, t, i) ORDER BY u.i";

static struct edb *
edb_for(struct edb **dbs, size_t *ndbs, const struct rule *rule)
{
	const char *key = pg_conn_key(rule);

	for (size_t i = 0; i < *ndbs; i++)
		if (strcmp(pg_conn_key((*dbs)[i].rule), key) == 0)
			return &(*dbs)[i];
	*dbs = xrealloc(*dbs, (*ndbs + 1) * sizeof **dbs);
	memset(&(*dbs)[*ndbs], 0, sizeof **dbs);
	(*dbs)[*ndbs].rule = rule;
	return &(*dbs)[(*ndbs)++];
}

/* Index (from 1, as SQL counts) of rule's metric in db, added if new. */
static int
metric_index(struct edb *db, const struct rule *rule, const char *metric)
{
	size_t k;

	for (k = 0; k < db->nm; k++)
		if (strcmp(db->m[k].schema, rule->schema) == 0 &&
		    strcmp(db->m[k].metric, metric) == 0)
			return (int)k + 1;
	if (!pg_ident_ok(rule->schema) || !pg_ident_ok(metric))
		return -pr_fail(PR_ECONFIG, "rule \"%s\": schema \"%s\" or metric \"%s\" is "
		    "not a plain SQL identifier", rule->match, rule->schema, metric);
	db->m = xrealloc(db->m, (db->nm + 1) * sizeof *db->m);
	db->m[db->nm].schema = rule->schema;
	db->m[db->nm].metric = metric;
	db->m[db->nm].table = xstrdup(metric);
	for (char *p = db->m[db->nm].table; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return (int)++db->nm;
}

static void
array_add(struct strbuf *b, const char *item)
{
	strbuf_puts(b, b->len == 0 ? "{" : ",");
	strbuf_puts(b, item);
}

/* One row per (window, metric of its rule) into its database's arrays. */
static int
add_window(struct edb **dbs, size_t *ndbs, const struct config *cfg,
    const struct energy_window *w, size_t j)
{
	const struct rule *rule = config_rule_for(cfg, w->host);
	const char *one[1] = { w->host };
	char num[32], *host;
	struct edb *db;
	int k = 0;

	if (rule == NULL)
		return PR_OK;
	db = edb_for(dbs, ndbs, rule);
	host = pg_array_literal(one, 1);
	host[strlen(host) - 1] = '\0';	/* the quoted item alone */
	for (size_t i = 0; i < rule->metrics.n; i++) {
		if ((k = metric_index(db, rule, rule->metrics.v[i])) < 0)
			break;
		array_add(&db->host, host + 1);
		snprintf(num, sizeof num, "%lld", (long long)w->start);
		array_add(&db->ws, num);
		snprintf(num, sizeof num, "%lld", (long long)w->end);
		array_add(&db->we, num);
		snprintf(num, sizeof num, "%d", k);
		array_add(&db->k, num);
		snprintf(num, sizeof num, "%zu", j);
		array_add(&db->j, num);
		db->nrows++;
	}
	free(host);
	return k < 0 ? -k : PR_OK;
}

static void
edb_free(struct edb *db)
{
	for (size_t k = 0; k < db->nm; k++)
		free(db->m[k].table);
	free(db->m);
	free(db->host.s);
	free(db->ws.s);
	free(db->we.s);
	free(db->k.s);
	free(db->j.s);
}

#define EXISTS_REAL 2	/* the table exists and its values are float4 */

/* Which of db's metric tables exist (1, or EXISTS_REAL), into exists[],
 * opening the read-only transaction the energy statement then runs in. */
static int
tables_exist(PGconn *conn, const struct config *cfg, const struct edb *db, int *exists)
{
	const char **s = xmalloc(db->nm * sizeof *s), **t = xmalloc(db->nm * sizeof *t);
	const char *param[2];
	PGresult *res;
	int rc;

	for (size_t k = 0; k < db->nm; k++) {
		s[k] = db->m[k].schema;
		t[k] = db->m[k].table;
	}
	param[0] = pg_array_literal(s, db->nm);
	param[1] = pg_array_literal(t, db->nm);
	free(s);
	free(t);
	rc = pg_xact_query(conn, cfg, 1, db->rule->database, "looking up metric tables",
	    exists_sql, 2, param, &res);
	free((char *)param[0]);
	free((char *)param[1]);
	if (rc != PR_OK)
		return rc;
	for (size_t k = 0; k < db->nm; k++) {
		exists[k] = (int)k < PQntuples(res) && PQgetvalue(res, (int)k, 0)[0] == 't';
		if (exists[k] && PQgetvalue(res, (int)k, 1)[0] == 't')
			exists[k] = EXISTS_REAL;
	}
	PQclear(res);
	return PR_OK;
}

/* The energy statement of db over the tables that exist; NULL when none. */
static char *
energy_sql(PGconn *conn, const struct edb *db, const int *exists)
{
	struct strbuf sql = { 0 };
	char *table;
	int any = 0;

	strbuf_puts(&sql, WIN_CTE ", raw AS (");
	for (size_t k = 0; k < db->nm; k++) {
		if (!exists[k])
			continue;
		if ((table = pg_qualified(conn, db->m[k].schema, db->m[k].table)) == NULL) {
			free(sql.s);
			return NULL;
		}
		if (any++)
			strbuf_puts(&sql, " UNION ALL");
		strbuf_printf(&sql, SERIES_BRANCH, (int)k + 1, table,
		    exists[k] == EXISTS_REAL ? FLOAT4_VALUE : "v");
		free(table);
	}
	strbuf_puts(&sql, ")" NAMES);
	if (!any) {
		free(sql.s);
		return xstrdup("");
	}
	return sql.s;
}

/* The metric ids, their plausible maxima and the unit table as array
 * literals: parameters 7 to 10. */
static void
metric_params(const struct config *cfg, const struct edb *db, char *p[4])
{
	const char **ids = xmalloc(db->nm * sizeof *ids);
	struct strbuf hi = { 0 }, names = { 0 }, scales = { 0 };
	const char *name;
	char num[40];
	double scale, max;

	for (size_t k = 0; k < db->nm; k++) {
		ids[k] = db->m[k].metric;
		max = collect_max_w(cfg, metric_role_of(db->m[k].metric));
		if (isinf(max))
			snprintf(num, sizeof num, "Infinity");
		else
			snprintf(num, sizeof num, "%.17g", max);
		array_add(&hi, num);
	}
	p[0] = pg_array_literal(ids, db->nm);
	free(ids);
	strbuf_puts(&hi, "}");
	p[1] = hi.s;
	for (size_t i = 0; (name = units_known(i, &scale)) != NULL; i++) {
		array_add(&names, name);
		snprintf(num, sizeof num, "%.17g", scale);
		array_add(&scales, num);
	}
	strbuf_puts(&names, "}");
	strbuf_puts(&scales, "}");
	p[2] = names.s;
	p[3] = scales.s;
}

/* Rows of one statement into out. */
static void
take_rows(const struct edb *db, PGresult *res, struct energy_set *out)
{
	struct energy_series *e;
	int r, n = PQntuples(res);

	out->v = xrealloc(out->v, (out->n + (size_t)n + 1) * sizeof *out->v);
	for (r = 0; r < n; r++) {
		e = &out->v[out->n++];
		e->window = strtoull(PQgetvalue(res, r, 0), NULL, 10);
		e->metric = db->m[atoi(PQgetvalue(res, r, 1)) - 1].metric;
		e->fqdd = xstrdup(PQgetvalue(res, r, 2));
		e->role = metric_role_of(e->metric);
		e->energy_j = strtod(PQgetvalue(res, r, 3), NULL);
		e->nsamples = strtoull(PQgetvalue(res, r, 4), NULL, 10);
	}
}

/* The edge margin source_pg.c reads: max(5 min, 20 sampling intervals). */
static usec_t
edge_margin(const struct config *cfg)
{
	double interval = cfg->sampling_interval_s > 0 ? cfg->sampling_interval_s : 5;

	return (usec_t)(fmax(300, 20 * interval) * USEC_PER_SEC);
}

/* Send db's energy statement (after asking which tables exist, in the
 * read-only transaction it then runs in) without waiting for its rows, so
 * that every database works at once.  db->sent says whether there is one. */
static int
send_db(const struct config *cfg, struct edb *db)
{
	int *exists = xcalloc(db->nm + 1, sizeof *exists), rc;
	struct strbuf *arr[5] = { &db->host, &db->ws, &db->we, &db->k, &db->j };
	const char *param[10];
	char edge[32], *mp[4], *sql = NULL;

	if ((rc = pg_connect(cfg, db->rule, &db->conn)) != PR_OK ||
	    (rc = tables_exist(db->conn, cfg, db, exists)) != PR_OK)
		goto out;
	if ((sql = energy_sql(db->conn, db, exists)) == NULL) {
		rc = pg_fail(db->conn, NULL, db->rule->database, "quoting a table name");
		goto out;
	}
	if (*sql == '\0') {
		rc = pg_commit(db->conn, cfg, db->rule->database);
		goto out;
	}
	for (int i = 0; i < 5; i++) {
		strbuf_puts(arr[i], "}");
		param[i] = arr[i]->s;
	}
	snprintf(edge, sizeof edge, "%lld", (long long)edge_margin(cfg));
	param[5] = edge;
	metric_params(cfg, db, mp);
	for (int i = 0; i < 4; i++)
		param[6 + i] = mp[i];
	db->sent = PQsendQueryParams(db->conn, sql, 10, NULL, param, NULL, NULL, 0);
	if (!db->sent)
		rc = pg_fail(db->conn, NULL, db->rule->database, "computing energies");
	for (int i = 0; i < 4; i++)
		free(mp[i]);
out:
	free(sql);
	free(exists);
	return rc;
}

/* The rows of db's statement into out, and the end of its transaction;
 * every wait for the server bounded and ended by a signal (pg_ready). */
static int
receive_db(const struct config *cfg, struct edb *db, struct energy_set *out)
{
	PGresult *res, *more;
	int rc = pg_ready(db->conn, cfg);

	if (rc != PR_OK)
		return rc;
	res = PQgetResult(db->conn);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = pg_fail(db->conn, res, db->rule->database, "computing energies");
	} else {
		take_rows(db, res, out);
		out->statements++;
	}
	PQclear(res);
	while (rc == PR_OK && (rc = pg_ready(db->conn, cfg)) == PR_OK &&
	    (more = PQgetResult(db->conn)) != NULL)
		PQclear(more);
	return rc == PR_OK ? pg_commit(db->conn, cfg, db->rule->database) : rc;
}

int
pg_energy(const struct config *cfg, const struct energy_window *w, size_t n,
    struct energy_set *out)
{
	struct edb *dbs = NULL;
	size_t ndbs = 0, i;
	int rc = PR_OK, rrc;

	memset(out, 0, sizeof *out);
	for (i = 0; i < n && rc == PR_OK; i++)
		rc = add_window(&dbs, &ndbs, cfg, &w[i], i);
	for (i = 0; i < ndbs && rc == PR_OK; i++)
		if (dbs[i].nrows > 0)
			rc = send_db(cfg, &dbs[i]);
	for (i = 0; i < ndbs; i++) {
		if (dbs[i].sent && (rrc = receive_db(cfg, &dbs[i], out)) != PR_OK && rc == PR_OK)
			rc = rrc;
		if (dbs[i].conn != NULL) {
			if (rc != PR_OK)
				pg_rollback(dbs[i].conn, cfg);
			PQfinish(dbs[i].conn);
		}
		edb_free(&dbs[i]);
	}
	free(dbs);
	if (rc != PR_OK)
		energy_set_free(out);
	return rc;
}

void
energy_set_free(struct energy_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].fqdd);
	free(s->v);
	memset(s, 0, sizeof *s);
}

void
energy_set_totals(const struct energy_set *s, size_t n, double *input, double *gpu,
    size_t *ngpus)
{
	const struct energy_series *e;

	for (size_t i = 0; i < n; i++) {
		input[i] = NAN;
		gpu[i] = 0;
		if (ngpus != NULL)
			ngpus[i] = 0;
	}
	for (size_t i = 0; i < s->n; i++) {
		e = &s->v[i];
		if (e->window >= n || e->nsamples == 0)
			continue;
		if (e->role == ROLE_INPUT)
			input[e->window] = isnan(input[e->window]) ? e->energy_j :
			    input[e->window] + e->energy_j;
		else if (e->role == ROLE_GPU) {
			gpu[e->window] += e->energy_j;
			if (ngpus != NULL)
				ngpus[e->window]++;
		}
	}
}

/* Add window i's totals to its job. */
static void
add_node(struct energy_job *j, double input, double gpu, size_t ngpus)
{
	double hours = (double)(j->end - j->start) / (3600.0 * USEC_PER_SEC);

	if (isnan(input))
		return;
	j->energy_j = isnan(j->energy_j) ? input : j->energy_j + input;
	j->gpu_j += gpu;
	j->ngpus += ngpus;
	j->nodes_with_data++;
	j->node_hours += hours;
	j->gpu_hours += (double)ngpus * hours;
}

int
pg_energy_jobs(const struct config *cfg, struct energy_job *const *jobs, size_t n,
    size_t *statements, size_t *rows)
{
	struct energy_window *w = NULL;
	size_t nw = 0, *owner = NULL, *ngpus, i;
	struct energy_set set;
	char *copy, *save, *node;
	double *input, *gpu;
	int rc;

	for (i = 0; i < n; i++) {
		struct energy_job *j = jobs[i];

		j->energy_j = NAN;
		j->gpu_j = j->node_hours = j->gpu_hours = 0;
		j->nnodes = j->nodes_with_data = j->ngpus = 0;
		copy = xstrdup(j->nodelist);
		save = NULL;
		for (node = strtok_r(copy, ",", &save); node != NULL;
		    node = strtok_r(NULL, ",", &save)) {
			w = xrealloc(w, (nw + 1) * sizeof *w);
			owner = xrealloc(owner, (nw + 1) * sizeof *owner);
			w[nw] = (struct energy_window){ xstrdup(node), j->start, j->end };
			owner[nw++] = i;
			j->nnodes++;
		}
		free(copy);
	}
	input = xcalloc(nw + 1, sizeof *input);
	gpu = xcalloc(nw + 1, sizeof *gpu);
	ngpus = xcalloc(nw + 1, sizeof *ngpus);
	if ((rc = pg_energy(cfg, w, nw, &set)) == PR_OK) {
		energy_set_totals(&set, nw, input, gpu, ngpus);
		for (i = 0; i < nw; i++)
			add_node(jobs[owner[i]], input[i], gpu[i], ngpus[i]);
		if (statements != NULL)
			*statements += set.statements;
		if (rows != NULL)
			*rows += set.n;
		energy_set_free(&set);
	}
	for (i = 0; i < nw; i++)
		free((char *)w[i].host);
	free(w);
	free(owner);
	free(input);
	free(gpu);
	free(ngpus);
	return rc;
}
