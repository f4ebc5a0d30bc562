/*
 * pg_energy.h - the energy of many (node, window) pairs computed by the
 * telemetry databases themselves: one statement per database returns one
 * row per (window, metric, device) series, integrated on the server with
 * the streaming path's conventions (series.c), so a month of jobs costs a
 * few numbers per series on the wire instead of every sample.  What the
 * history section of a report and `powerreport summary` are built on.
 */
#ifndef PR_PG_ENERGY_H
#define PR_PG_ENERGY_H

#include <stddef.h>

#include "config.h"
#include "series.h"

/* One node of one job over [start, end]. */
struct energy_window {
	const char *host;
	usec_t start, end;
};

/* The energy of one series of one window. */
struct energy_series {
	size_t window;		/* index into the windows asked for */
	const char *metric;	/* the configured metric id (the rule's string) */
	char *fqdd;		/* device name, "" when none */
	enum metric_role role;
	double energy_j;
	size_t nsamples;	/* usable samples, the edge ones included */
};

struct energy_set {
	struct energy_series *v;
	size_t n;
	size_t statements;	/* one per database asked */
};

/* Integrate every configured metric of every window's node, each node in
 * the database its rule names.  Windows whose node no rule matches, or
 * that is not in public.nodes, get no rows.  Fails as the PostgreSQL source
 * does (PR_ESOURCE, PR_ECONFIG for an identifier that is not plain). */
int pg_energy(const struct config *cfg, const struct energy_window *w, size_t n,
    struct energy_set *out);
void energy_set_free(struct energy_set *s);

/* Joules of windows' SystemInputPower (the node total) and GPU series,
 * summed per window into input[n] and gpu[n] (NAN for a window without
 * input power), and the number of GPU series into ngpus[n] (may be NULL). */
void energy_set_totals(const struct energy_set *s, size_t n, double *input, double *gpu,
    size_t *ngpus);

/* A job's energy from its nodes' input power and GPUs: fill nodelist
 * ("a,b"), start and end; the rest is computed. */
struct energy_job {
	const char *nodelist;
	usec_t start, end;
	size_t nnodes, nodes_with_data, ngpus;
	double energy_j;	/* nodes with input power; NAN: none has */
	double gpu_j;
	double node_hours, gpu_hours;	/* nodes with data / GPU series x hours */
};

/* The energies of n jobs through one pg_energy; *statements and *rows
 * (may be NULL) count what it asked and got back. */
int pg_energy_jobs(const struct config *cfg, struct energy_job *const *jobs, size_t n,
    size_t *statements, size_t *rows);

#endif
