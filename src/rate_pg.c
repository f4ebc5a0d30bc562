/*
 * rate_pg.c - a carbon intensity or price series read from a table
 * (cost.co2_series / cost.price_series with "database" and "table"): the
 * rows in force during the job window and the first one after it, in one
 * read-only statement with the window as parameters.  A table that cannot
 * be read leaves the series empty with a note: the flat factor is used.
 */
#include "rate_pg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "pg_read.h"

/* The step in force at the window start, every one inside, and the first
 * start at or after the window end (which closes the last one). */
static const char rate_sql[] =
    "SELECT extract(epoch FROM r.%1$s)::float8, r.%2$s::float8 FROM %3$s r "
    "WHERE r.%1$s >= coalesce((SELECT max(%1$s) FROM %3$s "
    "WHERE %1$s <= to_timestamp($1::float8)), to_timestamp($1::float8)) "
    "AND r.%1$s <= coalesce((SELECT min(%1$s) FROM %3$s "
    "WHERE %1$s >= to_timestamp($2::float8)), to_timestamp($2::float8)) "
    "ORDER BY 1";

static char *
rate_sql_of(PGconn *conn, const void *ctx)
{
	const struct rate_source *src = ctx;
	char *tcol = pg_quote_ident(conn, src->time_column ? src->time_column : "start_time");
	char *vcol = pg_quote_ident(conn, src->value_column ? src->value_column : "value");
	char *schema = pg_quote_ident(conn, src->schema ? src->schema : "public");
	char *table = pg_quote_ident(conn, src->table);
	char *sql = NULL, *qualified;

	if (tcol && vcol && schema && table) {
		qualified = xasprintf("%s.%s", schema, table);
		sql = xasprintf(rate_sql, tcol, vcol, qualified);
		free(qualified);
	}
	PQfreemem(tcol);
	PQfreemem(vcol);
	PQfreemem(schema);
	PQfreemem(table);
	return sql;
}

int
rate_load_pg(struct rate *r, const struct config *cfg, const struct rate_source *src,
    usec_t start, usec_t end, struct strlist *notes)
{
	char from[32], to[32];
	const char *params[2] = { from, to };
	PGresult *res;
	int rc;

	snprintf(from, sizeof from, "%.6f", (double)start / 1e6);
	snprintf(to, sizeof to, "%.6f", (double)end / 1e6);
	rc = pg_read(cfg, src->database, src->conninfo, "reading the rate table",
	    rate_sql_of, src, 2, params, notes, &res);
	if (res == NULL)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		usec_t t = (usec_t)llround(strtod(PQgetvalue(res, i, 0), NULL) * 1e6);
		double v = PQgetisnull(res, i, 1) ? NAN : strtod(PQgetvalue(res, i, 1), NULL);

		if (r->n > 0 && t <= r->t[r->n - 1])
			continue;	/* two rows at one time: the first counts */
		rate_push(r, t, isfinite(v) && v >= 0 ? v : NAN);
	}
	PQclear(res);
	rate_close(r);
	r->origin = xasprintf("%s.%s in database \"%s\"", src->schema ? src->schema :
	    "public", src->table, src->database);
	return PR_OK;
}
