/*
 * source_pg_util.c - how busy the job's nodes were over time: CPU load
 * (slurm.cpu_load, as a share of the node's CPUs), memory use
 * (slurm.memoryusage, MonSter's percent of the node's memory) and GPU
 * utilisation (per node rule, the metric ids of "gpu_util_metrics" in the
 * rule's telemetry schema, percent per GPU), for the strip under the power
 * chart and summary.json.
 *
 * The server does the bucketing: one statement per table for all the
 * database's nodes, in source_pg_slurm.c's transaction, returns per node
 * (and GPU) and time bucket the mean of the plausible values, the last
 * sample's time and how many values were implausible.  Here each node or
 * GPU holds its value over the buckets up to the stale limit after its
 * last sample (a sample a minute is coarser than a bucket), then counts
 * in the job-wide mean of the bucket; memory is UTIL_N x UTIL_BUCKETS
 * whatever the rows.  Values travel as parameters; identifiers are
 * checked by the config and quoted by libpq.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pg_conn.h"
#include "source_pg_slurm.h"

const char *const util_label[UTIL_N] = { "CPU load", "Memory", "GPU util" };

/* Per node (nodeid) and unit (GPU; '' for node-wide tables) and bucket
 * ($7 of them over $4 .. $3 in microseconds since the epoch; -1: before
 * the window, from the stale limit on): the mean of the values within
 * $5 .. $6, the time of the last of them, the count of the others.  The
 * bucket is computed in float8 seconds (numeric arithmetic on every row
 * took twice as long); %s is the unit column, then the table. */
static const char bucket_sql[] =
	"SELECT nodeid, CASE WHEN unit IS NULL THEN '' ELSE coalesce((SELECT f.fqdd"
	" FROM public.fqdd f WHERE f.id = unit), unit::text) END, b,"
	" avg(v) FILTER (WHERE ok), " USEC("max(ts) FILTER (WHERE ok)") ","
	" count(*) FILTER (WHERE NOT ok)"
	" FROM (SELECT nodeid, %s AS unit, value::float8 AS v, \"timestamp\" AS ts,"
	" value >= $5::float8 AND value <= $6::float8 AS ok,"
	" CASE WHEN \"timestamp\" < " T_US("$4") " THEN -1 ELSE least($7::int - 1,"
	" floor((date_part('epoch', \"timestamp\") - $4::int8 / 1e6::float8) * $7::int"
	" / (($3::int8 - $4::int8) / 1e6::float8)))::int END AS b"
	" FROM %s" IN_WINDOW " AND value IS NOT NULL) r"
	" GROUP BY nodeid, unit, b ORDER BY nodeid, unit, b";

/* Which GPU utilisation tables exist ($1 schemas, $2 metric ids). */
static const char gpu_exists_sql[] =
	"SELECT to_regclass(format('%I.%I', s, lower(m))) IS NOT NULL,"
	" coalesce((SELECT format_type(a.atttypid, NULL) FROM pg_attribute a"
	"  WHERE a.attrelid = to_regclass(format('%I.%I', s, lower(m)))"
	"  AND a.attname = 'value' AND NOT a.attisdropped), 'none'),"
	" coalesce((SELECT t.typcategory = 'N' FROM pg_attribute a JOIN pg_type t"
	"  ON t.oid = a.atttypid WHERE a.attrelid = to_regclass(format('%I.%I', s, lower(m)))"
	"  AND a.attname = 'value' AND NOT a.attisdropped), false)"
	" FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(s, m, i) ORDER BY i";

/* One table's read: which series, the plausible range, and the divisor
 * of a share (0: the node's CPUs). */
struct util_table {
	enum util_kind kind;
	const char *schema, *table;	/* table: as named, lower-cased here */
	bool per_gpu;
	double lo, hi, full;
};

/* One node or GPU while its rows pass: the value it holds and until when. */
struct unit_fill {
	int next;		/* first bucket not yet filled */
	double hold;		/* NAN: none */
	usec_t until;
	double sum;		/* of its bucket values, for the node's mean */
	size_t n;
	double *own;		/* its own buckets (a GPU's), or NULL */
};

static usec_t
bucket_start(usec_t start, usec_t end, int b)
{
	return start + (usec_t)((double)(end - start) * b / UTIL_BUCKETS);
}

static void
fill_add(struct util_series *s, struct unit_fill *f, int b, double v)
{
	s->sum[b] += v;
	s->n[b]++;
	f->sum += v;
	f->n++;
	if (f->own != NULL)
		f->own[b] = v;
}

/* A new GPU of node n with the device name fqdd: its buckets, unknown. */
static double *
gpu_buckets(struct node_usage *n, const char *fqdd)
{
	struct gpu_util *g;

	n->gutil = xrealloc(n->gutil, (n->ngutil + 1) * sizeof *n->gutil);
	g = &n->gutil[n->ngutil++];
	g->fqdd = xstrdup(fqdd);
	for (int b = 0; b < UTIL_BUCKETS; b++)
		g->v[b] = NAN;
	return g->v;
}

/* The held value into the buckets before upto that its hold reaches. */
static void
fill_hold(struct util_series *s, struct unit_fill *f, int upto, usec_t start,
    usec_t end)
{
	for (; f->next < upto; f->next++)
		if (!isnan(f->hold) && bucket_start(start, end, f->next) < f->until)
			fill_add(s, f, f->next, f->hold);
}

struct node_usage *
pg_node_by_id(struct attribution *a, const size_t *idx, const int *nodeid,
    size_t n, int id)
{
	for (size_t i = 0; i < n; i++)
		if (nodeid[i] == id)
			return &a->nodes[idx[i]];
	return NULL;
}

/* A node's or GPU's mean over the buckets it has a value for. */
static void
unit_done(struct util_series *s, struct unit_fill *f, struct node_usage *n,
    const struct util_table *t, usec_t start, usec_t end, double *gpu_sum,
    size_t *gpu_n)
{
	fill_hold(s, f, UTIL_BUCKETS, start, end);
	if (n != NULL && t->kind == UTIL_GPU && f->n > 0) {
		*gpu_sum += f->sum / (double)f->n;
		(*gpu_n)++;
		n->gpu_util_mean = *gpu_sum / (double)*gpu_n;
	}
}

/* The rows of bucket_sql, grouped by node and unit, into t's series. */
static void
take_buckets(struct attribution *a, const struct util_db *db,
    const struct util_table *t, PGresult *res, usec_t start, usec_t end)
{
	struct util_series *s = &a->util[t->kind];
	struct unit_fill f = { 0 };
	struct node_usage *n = NULL;
	double div = t->full, gpu_sum = 0;
	size_t gpu_n = 0;
	usec_t stale = (usec_t)(a->stale_s * USEC_PER_SEC);

	for (int r = 0; r < PQntuples(res); r++) {
		int id = atoi(PQgetvalue(res, r, 0)), b = atoi(PQgetvalue(res, r, 2));
		bool same = r > 0 && id == atoi(PQgetvalue(res, r - 1, 0)) &&
		    strcmp(PQgetvalue(res, r, 1), PQgetvalue(res, r - 1, 1)) == 0;

		if (!same) {
			if (r > 0)
				unit_done(s, &f, n, t, start, end, &gpu_sum, &gpu_n);
			if (r == 0 || id != atoi(PQgetvalue(res, r - 1, 0))) {
				gpu_sum = 0;
				gpu_n = 0;
			}
			n = pg_node_by_id(a, db->idx, db->nodeid, db->n, id);
			f = (struct unit_fill){ .hold = NAN };
			if (n != NULL && t->per_gpu)
				f.own = gpu_buckets(n, PQgetvalue(res, r, 1));
			div = t->full > 0 ? t->full :
			    n != NULL ? attribution_node_cpus(n) : 0;
		}
		s->dropped += strtoul(PQgetvalue(res, r, 5), NULL, 10);
		if (n == NULL || div <= 0 || b >= UTIL_BUCKETS || b < -1 ||
		    PQgetisnull(res, r, 3))
			continue;
		fill_hold(s, &f, b, start, end);
		f.hold = strtod(PQgetvalue(res, r, 3), NULL) / div;
		f.until = strtoll(PQgetvalue(res, r, 4), NULL, 10) + stale;
		if (b >= 0) {
			fill_add(s, &f, b, f.hold);
			f.next = b + 1;
		}
	}
	if (PQntuples(res) > 0)
		unit_done(s, &f, n, t, start, end, &gpu_sum, &gpu_n);
}

/* The ids of db's nodes (those whose rule lists the GPU table t, for a
 * GPU table), "{1,2}"; NULL when none. */
static char *
ids_for(const struct attribution *a, const struct util_db *db,
    const struct util_table *t)
{
	struct strlist ids = { 0 };
	char *joined, *lit = NULL;

	for (size_t i = 0; i < db->n; i++) {
		const struct rule *r = a->nodes[db->idx[i]].rule;

		if (db->nodeid[i] < 0 || (t->per_gpu && (r == NULL ||
		    strcmp(r->schema, t->schema) != 0 ||
		    strlist_find(&r->gpu_util_metrics, t->table) < 0)))
			continue;
		strlist_addf(&ids, "%d", db->nodeid[i]);
	}
	joined = strlist_join(&ids, ",");
	if (ids.n > 0)
		lit = xasprintf("{%s}", joined);
	free(joined);
	strlist_free(&ids);
	return lit;
}

static int
read_table(struct attribution *a, const struct util_db *db,
    const struct config *cfg, const struct job *job, const struct util_table *t)
{
	char from[32], to[32], start[32], lo[32], hi[32], nb[16];
	char *ids = ids_for(a, db, t), *lower = xstrdup(t->table), *table, *sql, *what;
	const char *p[7] = { ids, from, to, start, lo, hi, nb };
	PGresult *res;
	int rc;

	if (ids == NULL) {
		free(lower);
		return PR_OK;
	}
	for (char *c = lower; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	snprintf(from, sizeof from, "%" PRId64,
	    (int64_t)(job->start - (usec_t)(a->stale_s * USEC_PER_SEC)));
	snprintf(to, sizeof to, "%" PRId64, (int64_t)job->end);
	snprintf(start, sizeof start, "%" PRId64, (int64_t)job->start);
	snprintf(lo, sizeof lo, "%.17g", t->lo);
	snprintf(hi, sizeof hi, "%.17g", t->hi);
	snprintf(nb, sizeof nb, "%d", UTIL_BUCKETS);
	table = pg_qualified(db->conn, t->schema, lower);
	sql = xasprintf(bucket_sql, t->per_gpu ? "fqdd" : "NULL::int", table != NULL ? table : "");
	what = xasprintf("reading %s.%s", t->schema, lower);
	rc = table == NULL ? pg_fail(db->conn, NULL, db->database, what) :
	    pg_query(db->conn, cfg, db->database, what, sql, 7, p, &res);
	if (rc == PR_OK) {
		size_t dropped = a->util[t->kind].dropped;

		take_buckets(a, db, t, res, job->start, job->end);
		a->util[t->kind].read = true;
		if (PQntuples(res) == 0)
			strlist_addf(&a->notes, "%s.%s in database \"%s\" has no readings "
			    "for the job's nodes in its window", t->schema, lower, db->database);
		PQclear(res);
		if ((dropped = a->util[t->kind].dropped - dropped) > 0)
			strlist_addf(&a->notes, "%zu value%s of %s.%s in database \"%s\" "
			    "outside %g .. %g left out", dropped, dropped == 1 ? "" : "s",
			    t->schema, lower, db->database, t->lo, t->hi);
	}
	PQfreemem(table);
	free(sql);
	free(what);
	free(lower);
	free(ids);
	return rc;
}

/* The distinct (schema, metric) pairs of the GPU utilisation metrics of
 * db's nodes' rules. */
static void
gpu_tables(const struct attribution *a, const struct util_db *db,
    struct strlist *schemas, struct strlist *metrics)
{
	for (size_t i = 0; i < db->n; i++) {
		const struct rule *r = a->nodes[db->idx[i]].rule;

		for (size_t k = 0; r != NULL && k < r->gpu_util_metrics.n; k++) {
			const char *m = r->gpu_util_metrics.v[k];
			bool seen = false;

			for (size_t j = 0; j < metrics->n && !seen; j++)
				seen = strcmp(metrics->v[j], m) == 0 &&
				    strcmp(schemas->v[j], r->schema) == 0;
			if (!seen) {
				strlist_add(schemas, r->schema);
				strlist_add(metrics, m);
			}
		}
	}
}

static int
read_gpu(struct attribution *a, const struct util_db *db,
    const struct config *cfg, const struct job *job)
{
	struct strlist schemas = { 0 }, metrics = { 0 };
	char *lit[2];
	PGresult *res = NULL;
	int rc = PR_OK;

	gpu_tables(a, db, &schemas, &metrics);
	if (metrics.n == 0)
		return PR_OK;
	lit[0] = pg_array_literal((const char *const *)schemas.v, schemas.n);
	lit[1] = pg_array_literal((const char *const *)metrics.v, metrics.n);
	rc = pg_query(db->conn, cfg, db->database, "looking for the GPU utilisation tables",
	    gpu_exists_sql, 2, (const char *const *)lit, &res);
	for (size_t k = 0; rc == PR_OK && k < metrics.n; k++) {
		struct util_table t = { UTIL_GPU, schemas.v[k], metrics.v[k], true, 0, 100, 100 };

		bool there = k < (size_t)PQntuples(res) && PQgetvalue(res, (int)k, 0)[0] == 't';

		if (there && PQgetvalue(res, (int)k, 2)[0] == 't')
			rc = read_table(a, db, cfg, job, &t);
		else if (there)	/* a state or text metric: nothing to average */
			strlist_addf(&a->notes, "%s.%s in database \"%s\" holds no numbers "
			    "(its value column is %s): no GPU utilisation from it", t.schema,
			    t.table, db->database, PQgetvalue(res, (int)k, 1));
		else
			strlist_addf(&a->notes, "%s.%s is not in database \"%s\": "
			    "no GPU utilisation from it", t.schema, t.table, db->database);
	}
	if (res != NULL)
		PQclear(res);
	free(lit[0]);
	free(lit[1]);
	strlist_free(&schemas);
	strlist_free(&metrics);
	return rc;
}

int
util_read(struct attribution *a, const struct util_db *db,
    const struct config *cfg, const struct job *job)
{
	struct util_table cpu = { UTIL_CPU, cfg->jobs_schema, "cpu_load", false, 0, 1e6, 0 };
	struct util_table mem = { UTIL_MEM, cfg->jobs_schema, "memoryusage", false, 0, 100, 100 };
	int rc = PR_OK;

	if (job->end <= job->start)
		return PR_OK;
	if (db->cpu_load)
		rc = read_table(a, db, cfg, job, &cpu);
	if (rc == PR_OK && db->memoryusage)
		rc = read_table(a, db, cfg, job, &mem);
	if (rc == PR_OK)
		rc = read_gpu(a, db, cfg, job);
	return rc;
}

/* ---- the series as the report reads it ---- */

double
attribution_util(const struct attribution *a, enum util_kind kind, int b)
{
	const struct util_series *s = &a->util[kind];

	return s->n[b] > 0 ? s->sum[b] / s->n[b] : NAN;
}

double
attribution_util_mean(const struct attribution *a, enum util_kind kind)
{
	double sum = 0;
	int n = 0;

	for (int b = 0; b < UTIL_BUCKETS; b++)
		if (a->util[kind].n[b] > 0) {
			sum += attribution_util(a, kind, b);
			n++;
		}
	return n > 0 ? sum / n : NAN;
}

bool
attribution_util_known(const struct attribution *a)
{
	for (int k = 0; k < UTIL_N; k++)
		if (!isnan(attribution_util_mean(a, k)))
			return true;
	return false;
}
