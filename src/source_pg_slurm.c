/*
 * source_pg_slurm.c - per-node Slurm metrics from MonSter's slurm schema:
 * who was on each node (slurm.node_jobs), how busy it was (slurm.cpu_load),
 * its memory use (slurm.memoryusage, else slurm.memory_used), its CPU count
 * (a "cpus" column of public.nodes, where the site has one) and the job's
 * CPU count and GPUs (slurm.jobs.cpus, gres_detail), for attribution.c.
 *
 * Per database one short read-only transaction: one statement for which
 * tables exist, one for the node ids, then one per table for all the
 * database's nodes at once, so round trips never grow with nodes.  Values
 * travel as parameters; the only identifiers pasted into SQL are the
 * configured schema and fixed table names, quoted by libpq.  A missing
 * table is a note, never an error: sites differ.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "error.h"
#include "pg_conn.h"
#include "source_pg_slurm.h"

enum slurm_table { T_NODE_JOBS, T_CPU_LOAD, T_MEMORYUSAGE, T_MEMORY_USED, T_JOBS, T_N };

static const char *const table_name[T_N] = {
	"node_jobs", "cpu_load", "memoryusage", "memory_used", "jobs"
};

static const char exists_sql[] =
	"SELECT to_regclass(format('%I.%I', $1::text, t)) IS NOT NULL"
	" FROM unnest($2::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i";

/* The node ids and, where public.nodes has such a column, the CPU count
 * (to_jsonb reads a column that may not exist without failing). */
static const char nodes_sql[] =
	"SELECT hostname, min(nodeid), max(CASE WHEN to_jsonb(n)->>'cpus' ~ '^[0-9]{1,6}$'"
	" THEN (to_jsonb(n)->>'cpus')::int END)"
	" FROM public.nodes n WHERE hostname = ANY($1::text[]) GROUP BY hostname";

/* IN_WINDOW (source_pg_slurm.h); $4 is the stale limit. */

/* Consecutive rows that say the same (the columns of key) and are at most
 * the stale limit apart, as one run: its first and last row (gaps and
 * islands: a row that differs from the one before starts a group).  rows
 * is a query giving nodeid, ts and the key columns. */
#define RUNS(rows, key) \
	"WITH r AS (" rows "), b AS (SELECT *," \
	" CASE WHEN ROW(" key ") IS NOT DISTINCT FROM lag(ROW(" key ")) OVER w" \
	" AND ts - lag(ts) OVER w <= $4::int8 * interval '1 microsecond' THEN 0 ELSE 1 END AS brk" \
	" FROM r WINDOW w AS (PARTITION BY nodeid ORDER BY ts))," \
	" g AS (SELECT *, sum(brk) OVER (PARTITION BY nodeid ORDER BY ts" \
	" ROWS UNBOUNDED PRECEDING) AS grp FROM b)"

/* Per run: the job's CPUs (-1: not there), all jobs' CPUs (summed once
 * per run), the number of jobs; $5 the job id. */
static const char node_jobs_sql[] =
	RUNS("SELECT nodeid, \"timestamp\" AS ts, coalesce(cpus[array_position(jobs, $5::int)], -1)"
	" AS job, cpus, coalesce(cardinality(jobs), 0) AS nj FROM %s" IN_WINDOW, "job, cpus, nj")
	" SELECT nodeid, " USEC("min(ts)") ", " USEC("max(ts)") ", job,"
	" coalesce((SELECT sum(c)::int FROM unnest(cpus) AS c), 0), nj"
	" FROM g GROUP BY nodeid, grp, job, cpus, nj ORDER BY nodeid, min(ts)";

/* Per run of rows on one side of the node's idle limit ($5, aligned with
 * the ids of $1): whether idle, the sum and count of its loads inside the
 * window ($6 its start). */
static const char cpu_load_sql[] =
	RUNS("SELECT l.nodeid, l.\"timestamp\" AS ts, l.value::float8 AS v, l.value < u.lim AS idle"
	" FROM %s l JOIN unnest($1::int[], $5::float8[]) AS u(n, lim) ON l.nodeid = u.n"
	" WHERE l.value IS NOT NULL AND l.\"timestamp\" >= " T_US("$2")
	" AND l.\"timestamp\" <= " T_US("$3"), "idle")
	" SELECT nodeid, " USEC("min(ts)") ", " USEC("max(ts)") ", idle,"
	" coalesce(sum(v) FILTER (WHERE ts >= " T_US("$6") "), 0),"
	" count(*) FILTER (WHERE ts >= " T_US("$6") ")"
	" FROM g GROUP BY nodeid, grp, idle ORDER BY nodeid, min(ts)";

/* The mean memory use per node inside the window ($2 .. $3 here). */
static const char memory_sql[] =
	"SELECT nodeid, avg(value)::float8 FROM %s" IN_WINDOW
	" AND value IS NOT NULL GROUP BY nodeid";

/* The job's CPU count, its nodes and the per-node GRES column named by $2
 * (slurmrestd's gres_detail; to_jsonb: NULL when there is no such column). */
static const char job_sql[] =
	"SELECT cpus, to_jsonb(j)->'nodes', to_jsonb(j)->$2::text"
	" FROM %s j WHERE job_id = $1::int";

/* The nodes of one database and their ids there. */
struct slurm_db {
	const struct rule *rule;
	PGconn *conn;
	size_t *idx;		/* attribution nodes served by it */
	int *nodeid;		/* -1: not in public.nodes */
	size_t n;
	bool exists[T_N];
};

static struct node_usage *
node_by_id(struct attribution *a, const struct slurm_db *db, int id)
{
	return pg_node_by_id(a, db->idx, db->nodeid, db->n, id);
}

#define GROW(v, n, cap) do { \
	if ((n) == (cap)) { \
		(cap) = (cap) ? 2 * (cap) : 64; \
		(v) = xrealloc((v), (cap) * sizeof *(v)); \
	} \
} while (0)

static usec_t
usec_at(PGresult *res, int r, int c)
{
	return strtoll(PQgetvalue(res, r, c), NULL, 10);
}

/* The node of row r; rows come grouped by node, so the one before is kept
 * in *n (id *id) and looked up again only when the id changes. */
static struct node_usage *
row_node(struct attribution *a, const struct slurm_db *db, PGresult *res, int r,
    struct node_usage **n, int *id)
{
	int rid = atoi(PQgetvalue(res, r, 0));

	if (*n == NULL || rid != *id)
		*n = node_by_id(a, db, *id = rid);
	return *n;
}

static void
take_node_jobs(struct attribution *a, const struct slurm_db *db, PGresult *res)
{
	struct node_usage *n = NULL;
	int id = -1;

	for (int r = 0; r < PQntuples(res); r++) {
		if (row_node(a, db, res, r, &n, &id) == NULL)
			continue;
		GROW(n->jobs, n->njobs, n->jobs_cap);
		n->jobs[n->njobs++] = (struct node_jobs_run){
			.t = usec_at(res, r, 1), .last = usec_at(res, r, 2),
			.job_cpus = atoi(PQgetvalue(res, r, 3)),
			.all_cpus = atoi(PQgetvalue(res, r, 4)),
			.njobs = atoi(PQgetvalue(res, r, 5)),
		};
	}
}

static void
take_load(struct attribution *a, const struct slurm_db *db, PGresult *res)
{
	struct node_usage *n = NULL;
	int id = -1;

	for (int r = 0; r < PQntuples(res); r++) {
		if (row_node(a, db, res, r, &n, &id) == NULL)
			continue;
		GROW(n->load, n->nload, n->load_cap);
		n->load[n->nload++] = (struct load_run){
			.t = usec_at(res, r, 1), .last = usec_at(res, r, 2),
			.idle = PQgetvalue(res, r, 3)[0] == 't',
			.sum = strtod(PQgetvalue(res, r, 4), NULL),
			.count = strtoul(PQgetvalue(res, r, 5), NULL, 10),
		};
	}
}

static void
take_memory(struct attribution *a, const struct slurm_db *db, PGresult *res)
{
	for (int r = 0; r < PQntuples(res); r++) {
		struct node_usage *n = node_by_id(a, db, atoi(PQgetvalue(res, r, 0)));

		if (n != NULL)
			n->mem_mean = strtod(PQgetvalue(res, r, 1), NULL);
	}
}

static void
take_nodes(struct attribution *a, struct slurm_db *db, PGresult *res)
{
	for (int r = 0; r < PQntuples(res); r++)
		for (size_t i = 0; i < db->n; i++) {
			struct node_usage *n = &a->nodes[db->idx[i]];

			if (strcmp(n->hostname, PQgetvalue(res, r, 0)) != 0)
				continue;
			db->nodeid[i] = atoi(PQgetvalue(res, r, 1));
			if (n->cpus == 0 && !PQgetisnull(res, r, 2) &&
			    atoi(PQgetvalue(res, r, 2)) > 0) {
				n->cpus = atoi(PQgetvalue(res, r, 2));
				n->cpus_from = CPUS_NODES_TABLE;
			}
		}
}

/* The job's row: its CPU count, and which GPUs it held on each node. */
static void
take_job(struct attribution *a, const struct config *cfg, PGresult *res)
{
	char *column;

	if (PQntuples(res) != 1)
		return;
	a->job_row = true;
	if (!PQgetisnull(res, 0, 0))
		a->job_cpus = atoi(PQgetvalue(res, 0, 0));
	column = xasprintf("%s.jobs.%s", cfg->jobs_schema, cfg->jobs_gres_column);
	attribution_gpu_take(a, PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1),
	    PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2), column);
	free(column);
}

/* One statement of the transaction; the result is handed to take. */
static int
run(struct slurm_db *db, const struct config *cfg, const char *fmt, enum slurm_table t,
    int nparams, const char *const *params, PGresult **res)
{
	char *table = pg_qualified(db->conn, cfg->jobs_schema, table_name[t]);
	char *sql = xasprintf(fmt, table != NULL ? table : "");
	char *what = xasprintf("reading %s.%s", cfg->jobs_schema, table_name[t]);
	int rc = table == NULL ? pg_fail(db->conn, NULL, db->rule->database, what) :
	    pg_query(db->conn, cfg, db->rule->database, what, sql, nparams, params, res);

	PQfreemem(table);
	free(sql);
	free(what);
	return rc;
}

/* The numeric Slurm job id node_jobs lists, or NULL. */
static const char *
slurm_job_id(const struct job *job)
{
	const char *id = job->slurm_id != NULL ? job->slurm_id : job->id;

	if (id == NULL || *id == '\0' || strlen(id) > 9)
		return NULL;
	for (const char *p = id; *p; p++)
		if (!isdigit((unsigned char)*p))
			return NULL;
	return id;
}

/* The load under which each node of db counts as idle, aligned with
 * ids_literal (-1: unknown CPU count, never idle). */
static char *
limits_literal(const struct attribution *a, const struct slurm_db *db)
{
	struct strlist lims = { 0 };
	char *joined, *lit;

	for (size_t i = 0; i < db->n; i++) {
		int cpus = attribution_node_cpus(&a->nodes[db->idx[i]]);

		if (db->nodeid[i] >= 0)
			strlist_addf(&lims, "%.17g", cpus > 0 ? a->low_load * cpus : -1.0);
	}
	joined = strlist_join(&lims, ",");
	lit = xasprintf("{%s}", joined);
	free(joined);
	strlist_free(&lims);
	return lit;
}

static void
usec_text(char *buf, size_t size, usec_t t)
{
	snprintf(buf, size, "%" PRId64, (int64_t)t);
}

static int
read_tables(struct attribution *a, struct slurm_db *db, const struct config *cfg,
    const struct job *job, const char *ids, const char *jobid)
{
	char from[32], to[32], stale[32], start[32], *lims = NULL;
	const char *p[6] = { ids, from, to, stale, jobid, start };
	const char *pm[3] = { ids, start, to };
	const char *pj[2] = { jobid, cfg->jobs_gres_column };
	enum slurm_table mem = db->exists[T_MEMORYUSAGE] ? T_MEMORYUSAGE : T_MEMORY_USED;
	usec_t stale_us = (usec_t)(a->stale_s * USEC_PER_SEC);
	PGresult *res = NULL;
	int rc = PR_OK;

	usec_text(from, sizeof from, job->start - stale_us);
	usec_text(to, sizeof to, job->end);
	usec_text(stale, sizeof stale, stale_us);
	usec_text(start, sizeof start, job->start);
	if (db->exists[T_NODE_JOBS] && jobid != NULL &&
	    (rc = run(db, cfg, node_jobs_sql, T_NODE_JOBS, 5, p, &res)) == PR_OK) {
		take_node_jobs(a, db, res);
		PQclear(res);
	}
	if (rc == PR_OK && db->exists[T_CPU_LOAD]) {
		p[4] = lims = limits_literal(a, db);
		if ((rc = run(db, cfg, cpu_load_sql, T_CPU_LOAD, 6, p, &res)) == PR_OK) {
			take_load(a, db, res);
			PQclear(res);
		}
		free(lims);
	}
	if (rc == PR_OK && db->exists[mem] &&
	    (rc = run(db, cfg, memory_sql, mem, 3, pm, &res)) == PR_OK) {
		take_memory(a, db, res);
		a->mem_table = table_name[mem];
		PQclear(res);
	}
	if (rc == PR_OK && db->exists[T_JOBS] && jobid != NULL &&
	    (a->job_cpus == 0 || !a->job_row) &&
	    (rc = run(db, cfg, job_sql, T_JOBS, 2, pj, &res)) == PR_OK) {
		take_job(a, cfg, res);
		PQclear(res);
	}
	return rc;
}

/* The hostnames of db's nodes as one array parameter. */
static char *
hosts_literal(const struct attribution *a, const struct slurm_db *db)
{
	const char **h = xcalloc(db->n ? db->n : 1, sizeof *h);
	char *lit;

	for (size_t i = 0; i < db->n; i++)
		h[i] = a->nodes[db->idx[i]].hostname;
	lit = pg_array_literal(h, db->n);
	free(h);
	return lit;
}

/* The ids of db's nodes found in public.nodes, "{1,2}". */
static char *
ids_literal(const struct slurm_db *db)
{
	struct strlist ids = { 0 };
	char *joined, *lit;

	for (size_t i = 0; i < db->n; i++)
		if (db->nodeid[i] >= 0)
			strlist_addf(&ids, "%d", db->nodeid[i]);
	joined = strlist_join(&ids, ",");
	lit = xasprintf("{%s}", joined);
	free(joined);
	strlist_free(&ids);
	return lit;
}

/* Which tables exist and the node ids: the first statements. */
static int
read_catalogue(struct attribution *a, struct slurm_db *db, const struct config *cfg)
{
	char *tables = pg_array_literal(table_name, T_N), *hosts;
	const char *p[2] = { cfg->jobs_schema, tables };
	PGresult *res;
	int rc;

	rc = pg_xact_query(db->conn, cfg, 1, db->rule->database,
	    "looking for the slurm tables", exists_sql, 2, p, &res);
	free(tables);
	if (rc != PR_OK)
		return rc;
	for (int t = 0; t < T_N && t < PQntuples(res); t++)
		db->exists[t] = PQgetvalue(res, t, 0)[0] == 't';
	PQclear(res);
	hosts = hosts_literal(a, db);
	rc = pg_query(db->conn, cfg, db->rule->database, "looking up nodes in public.nodes",
	    nodes_sql, 1, (const char *const *)&hosts, &res);
	free(hosts);
	if (rc != PR_OK)
		return rc;
	take_nodes(a, db, res);
	PQclear(res);
	return PR_OK;
}

/* What the database lacks of MonSter's Slurm tables: one note when it has
 * none of them (a site without the Slurm collector), else one per table. */
static void
note_missing(struct attribution *a, const struct slurm_db *db, const char *schema)
{
	const bool *e = db->exists;
	const char *d = db->rule->database;

	if (!e[T_NODE_JOBS] && !e[T_CPU_LOAD] && !e[T_MEMORYUSAGE] && !e[T_MEMORY_USED]) {
		strlist_addf(&a->notes, "%s.node_jobs, cpu_load and memoryusage are not in "
		    "database \"%s\": its nodes are charged whole, as if the job had them "
		    "to itself, with no CPU load or memory use", schema, d);
		return;
	}
	if (!e[T_NODE_JOBS])
		strlist_addf(&a->notes, "%s.node_jobs is not in database \"%s\": "
		    "its nodes are charged whole, as if the job had them to itself", schema, d);
	if (!e[T_CPU_LOAD])
		strlist_addf(&a->notes, "%s.cpu_load is not in database \"%s\": "
		    "no CPU load or idle energy from it for its nodes", schema, d);
	if (!e[T_MEMORYUSAGE] && e[T_MEMORY_USED])
		strlist_addf(&a->notes, "%s.memory_used in database \"%s\" is in MB "
		    "without the node's total: no memory share over time", schema, d);
	else if (!e[T_MEMORYUSAGE])
		strlist_addf(&a->notes, "%s.memoryusage is not in database \"%s\": "
		    "no memory use for its nodes", schema, d);
}

/* The utilisation series (source_pg_util.c), in the same transaction. */
static int
read_util(struct attribution *a, const struct slurm_db *db, const struct config *cfg,
    const struct job *job)
{
	struct util_db u = {
		.conn = db->conn, .database = db->rule->database, .idx = db->idx,
		.nodeid = db->nodeid, .n = db->n, .cpu_load = db->exists[T_CPU_LOAD],
		.memoryusage = db->exists[T_MEMORYUSAGE],
		.memory_used = db->exists[T_MEMORY_USED],
	};

	return util_read(a, &u, cfg, job);
}

static int
read_db(struct attribution *a, struct slurm_db *db, const struct config *cfg,
    const struct job *job)
{
	const char *jobid = slurm_job_id(job);
	char *ids;
	int rc;

	if ((rc = pg_connect(cfg, db->rule, &db->conn)) != PR_OK)
		return rc;
	rc = read_catalogue(a, db, cfg);
	ids = ids_literal(db);
	if (rc == PR_OK)
		rc = read_tables(a, db, cfg, job, ids, jobid);
	free(ids);
	if (rc == PR_OK)
		rc = read_util(a, db, cfg, job);
	if (rc == PR_OK)
		rc = pg_commit(db->conn, cfg, db->rule->database);
	else
		pg_rollback(db->conn, cfg);
	if (rc != PR_OK)
		return rc;
	note_missing(a, db, cfg->jobs_schema);
	a->have_node_jobs |= db->exists[T_NODE_JOBS] && jobid != NULL;
	a->have_load |= db->exists[T_CPU_LOAD];
	a->have_mem |= db->exists[T_MEMORYUSAGE] || db->exists[T_MEMORY_USED];
	return PR_OK;
}

/* The plan's nodes grouped by the database that serves them. */
static size_t
group_by_db(const struct plan *plan, struct slurm_db **out)
{
	struct slurm_db *dbs = xcalloc(plan->n ? plan->n : 1, sizeof *dbs);
	size_t ndbs = 0;

	for (size_t i = 0; i < plan->n; i++) {
		const struct rule *r = plan->nodes[i].rule;
		size_t d;

		if (r == NULL)
			continue;
		for (d = 0; d < ndbs; d++)
			if (strcmp(pg_conn_key(dbs[d].rule), pg_conn_key(r)) == 0)
				break;
		if (d == ndbs) {
			dbs[ndbs].rule = r;
			dbs[ndbs].idx = xcalloc(plan->n, sizeof *dbs[ndbs].idx);
			dbs[ndbs].nodeid = xcalloc(plan->n, sizeof *dbs[ndbs].nodeid);
			ndbs++;
		}
		dbs[d].nodeid[dbs[d].n] = -1;
		dbs[d].idx[dbs[d].n++] = i;
	}
	*out = dbs;
	return ndbs;
}

int
attribution_read_pg(struct attribution *a, const struct config *cfg,
    const struct plan *plan, const struct job *job)
{
	struct slurm_db *dbs;
	size_t ndbs = group_by_db(plan, &dbs);
	int rc = PR_OK;

	if (slurm_job_id(job) == NULL)
		strlist_addf(&a->notes, "job id \"%s\" is not a Slurm job id: "
		    "slurm.node_jobs cannot say who shared its nodes", job->id);
	for (size_t d = 0; d < ndbs && rc == PR_OK; d++)
		rc = read_db(a, &dbs[d], cfg, job);
	for (size_t d = 0; d < ndbs; d++) {
		if (dbs[d].conn != NULL)
			PQfinish(dbs[d].conn);
		free(dbs[d].idx);
		free(dbs[d].nodeid);
	}
	free(dbs);
	return rc;
}
