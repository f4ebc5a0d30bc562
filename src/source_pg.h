/*
 * source_pg.h - what the parts of the PostgreSQL telemetry source share
 * (source_pg.c the source itself, source_pg_meta.c what a database holds,
 * source_pg_copy.c the streaming, source_pg_wait.c the wait for late
 * telemetry): the state of a pull per database and the calls between them.
 * Not for use outside them; the interface is source.h.
 */
#ifndef PR_SOURCE_PG_H
#define PR_SOURCE_PG_H

#include <stdint.h>
#include <time.h>

#include <libpq-fe.h>

#include "source.h"

struct pg_node {
	const char *hostname;
	const struct rule *rule;
	int nodeid;		/* -1: not in public.nodes */
	size_t nsamples;	/* samples inside the window */
	usec_t latest;		/* newest sample the wait saw, NO_SAMPLE: none */
};

#define NO_SAMPLE INT64_MIN

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
	usec_t interval;	/* its sensing_interval, 0 when not given */
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
	struct timespec heard;		/* when it last had something to do */
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

/* A remark for the report through sink (printf-style). */
void sink_note(const struct sample_sink *sink, const char *host, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* source_pg_meta.c */

/* Connect db (unless it is) and learn what to read: node ids, device and
 * source names, tables, units; notes for what is missing. */
int prepare_db(struct pg_source *ps, struct pg_db *db, const struct sample_sink *sink);
/* Name of id in m, "" for no id (-1) or one not in the map. */
const char *name_of(struct names *m, int64_t id);
void names_free(struct names *m);
void free_metrics(struct pg_metric *m, size_t n);

/* source_pg_copy.c */

/* The ids of db's nodes that m serves as an int[] literal ("{2,5}"), and in
 * *any whether there is one. */
char *node_ids(const struct pg_db *db, const struct pg_metric *m, int *any);
/* The node of db with this id, or NULL. */
struct pg_node *node_by_id(struct pg_db *db, int64_t nodeid);
/* Stream every database's rows to sink, all databases at once. */
int stream_all(struct pg_source *ps, const struct window *w, const struct sample_sink *sink);

/* source_pg_wait.c */

/* Wait up to ps->wait_s until every node's telemetry reaches the window
 * end; a note names the nodes still behind.  PR_EINTR on a signal. */
int wait_for_data(struct pg_source *ps, const struct window *w, const struct sample_sink *sink);

#endif
