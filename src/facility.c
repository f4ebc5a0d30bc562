/*
 * facility.c - the facility side of a job's energy, from MonSter's infra
 * database: rack PDUs (metric "pdu", about every 60 s) and in-row coolers
 * ("CompressorPower" in kW and "CondenserFanPower" in W, about every 120 s),
 * in the same layout as the node databases.  Every series is integrated
 * over the job window the way node power is (series.c), so PDU, cooler and
 * node energies compare like with like.
 *
 * Measured PUE = (PDU energy + cooling energy) / PDU energy, over the racks
 * the job ran in or the whole room (facility.scope).  The rack cross-check
 * needs the input power of every node of a rack, not only the job's: one
 * statement per node database, the rack's host globs as regular
 * expressions in a parameter.
 */
#include "facility.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pg_conn.h"
#include "pg_read.h"
#include "series.h"

#define EDGE_S 3600		/* rows read either side of the window */

/* One integrated series of a host. */
struct hseries {
	char *host;
	struct series s;
};

struct hset {
	struct hseries *v;
	size_t n;
};

static void
hset_free(struct hset *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].host);
		series_free(&h->v[i].s);
	}
	free(h->v);
}

/* Rows (host, metric, units, epoch seconds, value) ordered by host, metric
 * and time into one finished series per host and metric. */
static void
integrate_rows(PGresult *res, const struct job *job, struct hset *out)
{
	struct hseries *cur = NULL;

	for (int r = 0; r < PQntuples(res); r++) {
		const char *host = PQgetvalue(res, r, 0), *metric = PQgetvalue(res, r, 1);
		usec_t t = (usec_t)llround(strtod(PQgetvalue(res, r, 3), NULL) * 1e6);

		if (cur == NULL || strcmp(cur->host, host) != 0 ||
		    strcmp(cur->s.metric, metric) != 0) {
			if (cur != NULL)
				series_finish(&cur->s);
			out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
			cur = &out->v[out->n++];
			cur->host = xstrdup(host);
			series_init(&cur->s, metric, "", PQgetvalue(res, r, 2),
			    job->start, job->end, 0);
		}
		series_add(&cur->s, t, PQgetisnull(res, r, 4) ? NAN :
		    strtod(PQgetvalue(res, r, 4), NULL));
	}
	if (cur != NULL)
		series_finish(&cur->s);
}

/* --- the infra database --- */

static const char infra_sql[] =
    "SELECT n.hostname, d.m, (SELECT units FROM public.metrics_definition "
    "WHERE lower(metric_id) = d.m LIMIT 1), extract(epoch FROM d.ts)::float8, "
    "d.value::float8 FROM ("
    "SELECT 'pdu'::text AS m, \"timestamp\" AS ts, nodeid, value FROM %1$s.pdu "
    "UNION ALL SELECT 'compressorpower', \"timestamp\", nodeid, value "
    "FROM %1$s.compressorpower "
    "UNION ALL SELECT 'condenserfanpower', \"timestamp\", nodeid, value "
    "FROM %1$s.condenserfanpower) d "
    "JOIN public.nodes n ON n.nodeid = d.nodeid "
    "WHERE d.ts BETWEEN to_timestamp($1::float8) AND to_timestamp($2::float8) "
    "ORDER BY 1, 2, 4";

/* A statement whose one %s (or %1$s) is a schema, quoted. */
struct schema_sql {
	const char *fmt, *schema;
};

static char *
schema_sql_of(PGconn *conn, const void *ctx)
{
	const struct schema_sql *q = ctx;
	char *schema = pg_quote_ident(conn, q->schema), *sql;

	if (schema == NULL)
		return NULL;
	sql = xasprintf(q->fmt, schema);
	PQfreemem(schema);
	return sql;
}

/* The job window widened by EDGE_S, as two epoch-seconds parameters. */
static void
window_params(const struct job *job, char from[32], char to[32])
{
	snprintf(from, 32, "%.6f", (double)job->start / 1e6 - EDGE_S);
	snprintf(to, 32, "%.6f", (double)job->end / 1e6 + EDGE_S);
}

static bool
is_pdu(const struct series *s)
{
	return strcmp(s->metric, "pdu") == 0;
}

/* Does any node of the job sit in rack r? */
static bool
job_in_rack(const struct job *job, const struct rack *r)
{
	for (size_t i = 0; i < job->nodes.n; i++)
		if (fnmatch(r->nodes, job->nodes.v[i], 0) == 0)
			return true;
	return false;
}

/* PDU and cooling energy of rack r (every rack: r NULL) into pdu, cool. */
static void
sum_infra(const struct hset *h, const struct rack *r, double *pdu, double *cool)
{
	for (size_t i = 0; i < h->n; i++) {
		const struct hseries *x = &h->v[i];

		if (x->s.nsamples == 0)
			continue;
		if (is_pdu(&x->s) && (r == NULL || fnmatch(r->pdus, x->host, 0) == 0))
			*pdu += x->s.energy_j;
		else if (!is_pdu(&x->s) && (r == NULL || (r->coolers != NULL &&
		    fnmatch(r->coolers, x->host, 0) == 0)))
			*cool += x->s.energy_j;
	}
}

/* --- node input power of whole racks --- */

/* A hostname glob as an anchored POSIX regular expression. */
static void
glob_regex(const char *glob, struct strlist *out)
{
	size_t n = strlen(glob);
	char *re = xmalloc(2 * n + 3), *p = re;

	*p++ = '^';
	for (const char *g = glob; *g != '\0'; g++) {
		if (*g == '*')
			*p++ = '.', *p++ = '*';
		else if (*g == '?')
			*p++ = '.';
		else if (*g == '[' || *g == ']' || *g == '-' || *g == '!')
			*p++ = *g == '!' && g > glob && g[-1] == '[' ? '^' : *g;
		else {
			if (strchr(".^$+(){}|\\", *g) != NULL)
				*p++ = '\\';
			*p++ = *g;
		}
	}
	*p++ = '$';
	*p = '\0';
	strlist_add(out, re);
	free(re);
}

static const char input_sql[] =
    "SELECT n.hostname, 'SystemInputPower', (SELECT units FROM "
    "public.metrics_definition WHERE lower(metric_id) = 'systeminputpower' "
    "LIMIT 1), extract(epoch FROM v.\"timestamp\")::float8, v.value::float8 "
    "FROM %s.systeminputpower v JOIN public.nodes n ON n.nodeid = v.nodeid "
    "WHERE v.\"timestamp\" BETWEEN to_timestamp($1::float8) AND "
    "to_timestamp($2::float8) AND n.hostname ~ ANY($3::text[]) ORDER BY 1, 4";


/* Input power of every host matching the job's racks, from each node
 * database once (a host counts for the first rule that matches it). */
static int
read_inputs(const struct config *cfg, const struct job *job, const struct strlist *regex,
    struct hset *out, struct strlist *notes)
{
	char from[32], to[32], *array = pg_array_literal((const char *const *)regex->v,
	    regex->n);
	const char *params[3] = { from, to, array };
	int rc = PR_OK;

	window_params(job, from, to);
	for (size_t i = 0; i < cfg->nrules && rc == PR_OK; i++) {
		const struct rule *rule = &cfg->rules[i];
		struct hset h = { 0 };
		struct schema_sql q = { input_sql, rule->schema };
		PGresult *res;
		bool seen = false;

		for (size_t k = 0; k < i; k++)
			seen |= strcmp(cfg->rules[k].database, rule->database) == 0;
		if (seen)
			continue;
		rc = pg_read(cfg, rule->database, rule->conninfo, "reading rack input "
		    "power", schema_sql_of, &q, 3, params, notes, &res);
		if (res == NULL)
			continue;
		integrate_rows(res, job, &h);
		PQclear(res);
		for (size_t k = 0; k < h.n; k++) {
			const struct rule *owner = config_rule_for(cfg, h.v[k].host);
			if (owner == NULL || strcmp(owner->database, rule->database) != 0)
				continue;
			out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
			out->v[out->n++] = h.v[k];
			memset(&h.v[k], 0, sizeof h.v[k]);	/* moved */
		}
		hset_free(&h);
	}
	free(array);
	return rc;
}

/* Input energy of the nodes of rack c into it. */
static void
sum_nodes(const struct hset *in, const struct rack *r, struct rack_check *c)
{
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i].s.nsamples > 0 && fnmatch(r->nodes, in->v[i].host, 0) == 0) {
			c->nodes_j += in->v[i].s.energy_j;
			c->nnodes++;
		}
	c->ratio = c->pdu_j > 0 ? c->nodes_j / c->pdu_j : NAN;
}

/* The job's racks, with their PDU and cooling energy. */
static void
job_racks(struct facility *f, const struct config *cfg, const struct job *job,
    const struct hset *infra, struct strlist *regex)
{
	const struct facility_source *fs = &cfg->facility;

	f->racks = xcalloc(fs->nracks + 1, sizeof *f->racks);
	for (size_t i = 0; i < fs->nracks; i++) {
		struct rack_check *c = &f->racks[f->nracks];

		if (!job_in_rack(job, &fs->racks[i]))
			continue;
		c->name = fs->racks[i].name;
		sum_infra(infra, &fs->racks[i], &c->pdu_j, &c->cooling_j);
		glob_regex(fs->racks[i].nodes, regex);
		f->nracks++;
	}
}

/* Warn about every rack whose nodes and PDUs disagree. */
static void
check_racks(struct facility *f, const struct config *cfg, const struct hset *in)
{
	for (size_t i = 0, k = 0; i < cfg->facility.nracks && k < f->nracks; i++) {
		const struct rack *r = &cfg->facility.racks[i];
		struct rack_check *c = &f->racks[k];

		if (r->name != c->name)
			continue;
		k++;
		sum_nodes(in, r, c);
		if (isnan(c->ratio))
			strlist_addf(&f->notes, "rack %s: no PDU energy in the job window "
			    "(PDUs \"%s\"): no cross-check", c->name, r->pdus);
		else if (fabs(c->ratio - 1) > cfg->facility.rack_mismatch)
			strlist_addf(&f->notes, "rack %s: its %zu nodes drew %.3g kWh at "
			    "their inputs, %.2f times the %.3g kWh of its PDUs (more than "
			    "facility.rack_mismatch %.0f %% apart): a node without telemetry, "
			    "a PDU feeding something else, or a sensor off", c->name,
			    c->nnodes, c->nodes_j / 3.6e6, c->ratio, c->pdu_j / 3.6e6,
			    cfg->facility.rack_mismatch * 100);
	}
}

/* PUE over the scope: the job's racks, or every PDU and cooler. */
static void
measure_pue(struct facility *f, const struct hset *infra)
{
	f->pdu_j = f->cooling_j = 0;
	if (strcmp(f->scope, "room") == 0)
		sum_infra(infra, NULL, &f->pdu_j, &f->cooling_j);
	else
		for (size_t i = 0; i < f->nracks; i++) {
			f->pdu_j += f->racks[i].pdu_j;
			f->cooling_j += f->racks[i].cooling_j;
		}
	f->measured = f->pdu_j > 0;
	f->pue = f->measured ? (f->pdu_j + f->cooling_j) / f->pdu_j : NAN;
	if (!f->measured)
		strlist_addf(&f->notes, "facility: no PDU energy over the %s in the job "
		    "window: no measured PUE", strcmp(f->scope, "room") == 0 ?
		    "room" : "job's racks");
}

int
facility_measure(struct facility *f, const struct config *cfg, const struct job *job)
{
	const struct facility_source *fs = &cfg->facility;
	char from[32], to[32];
	const char *params[2] = { from, to };
	struct hset infra = { 0 }, inputs = { 0 };
	struct strlist regex = { 0 };
	struct schema_sql q = { infra_sql, fs->schema };
	PGresult *res;
	int rc;

	memset(f, 0, sizeof *f);
	f->pue = NAN;
	if (fs->database == NULL)
		return PR_OK;
	f->scope = fs->scope;
	window_params(job, from, to);
	rc = pg_read(cfg, fs->database, fs->conninfo, "reading PDUs and coolers",
	    schema_sql_of, &q, 2, params, &f->notes, &res);
	if (res == NULL)
		return rc;
	integrate_rows(res, job, &infra);
	PQclear(res);
	job_racks(f, cfg, job, &infra, &regex);
	measure_pue(f, &infra);
	if (regex.n > 0)
		rc = read_inputs(cfg, job, &regex, &inputs, &f->notes);
	if (rc == PR_OK)
		check_racks(f, cfg, &inputs);
	hset_free(&infra);
	hset_free(&inputs);
	strlist_free(&regex);
	return rc;
}

void
facility_free(struct facility *f)
{
	free(f->racks);
	strlist_free(&f->notes);
	memset(f, 0, sizeof *f);
}
