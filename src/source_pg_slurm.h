/*
 * source_pg_slurm.h - what source_pg_slurm.c shares with source_pg_util.c,
 * which reads the utilisation time series in the same read-only
 * transaction: the SQL fragments of the job window and one database's
 * nodes with their ids there.
 */
#ifndef PR_SOURCE_PG_SLURM_H
#define PR_SOURCE_PG_SLURM_H

#include <libpq-fe.h>

#include "attribution.h"

/* Rows from the stale limit before the window ($2) to its end ($3), in
 * microseconds since the epoch, of the node ids in $1. */
#define T_US(p) "timestamptz 'epoch' + " p "::int8 * interval '1 microsecond'"
#define IN_WINDOW " WHERE nodeid = ANY($1::int[]) AND \"timestamp\" >= " T_US("$2") \
	" AND \"timestamp\" <= " T_US("$3")
#define USEC(e) "(extract(epoch FROM " e ") * 1000000)::int8"

/* The nodes of one database as the slurm tables found them. */
struct util_db {
	PGconn *conn;
	const char *database;
	const size_t *idx;	/* attribution nodes served by it */
	const int *nodeid;	/* their ids there, -1: not in public.nodes */
	size_t n;
	bool cpu_load, memoryusage, memory_used;	/* which slurm tables exist */
};

/* The node among n whose id is id (nodeid[i] is that of a->nodes[idx[i]]),
 * or NULL (source_pg_util.c). */
struct node_usage *pg_node_by_id(struct attribution *a, const size_t *idx,
    const int *nodeid, size_t n, int id);

/* The utilisation series of db's nodes into a->util (source_pg_util.c):
 * one statement per table for all nodes; after the slurm tables, whose
 * node CPU counts it needs.  Missing GPU tables are notes. */
int util_read(struct attribution *a, const struct util_db *db,
    const struct config *cfg, const struct job *job);

#endif
