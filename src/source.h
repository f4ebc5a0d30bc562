/*
 * source.h - the one small interface every telemetry source implements
 * (PostgreSQL, raw CSV).  A source streams samples to a sink; nothing is
 * buffered beyond what the source needs for one row, so memory does not grow
 * with the number of samples.
 *
 * Ordering contract: the samples of one series (hostname, metric, fqdd)
 * arrive in non-decreasing time order; series may interleave.  A source may
 * deliver, per series, the last sample before the window start and the first
 * after its end, so the consumer can place the value at the edges.
 */
#ifndef PR_SOURCE_H
#define PR_SOURCE_H

#include <string.h>

#include "config.h"
#include "plan.h"
#include "timefmt.h"

struct sample {
	const char *hostname;
	const char *metric;	/* metric id as in the database ("SystemInputPower") */
	const char *fqdd;	/* device ("Video.Slot.38-1"), "" when none */
	const char *source;	/* reading source, "" when none */
	const char *units;	/* "W", "mW", "kW" ... as given by the source */
	usec_t t;
	double value;		/* NAN: the reading is missing (NULL / empty) */
	usec_t interval;	/* sampling interval of the series as the source
				 * knows it (metrics_definition.sensing_interval),
				 * 0: unknown */
};

struct sample_sink {
	/* Take one sample; the strings are valid only during the call.  A
	 * non-zero status stops the pull and is returned by pull(). */
	int (*sample)(void *ctx, const struct sample *s);
	/* A remark for the report ("metric table idrac.x does not exist");
	 * hostname NULL for job-wide remarks. */
	void (*note)(void *ctx, const char *hostname, const char *msg);
	void *ctx;
};

struct source {
	const char *name;	/* "postgresql", "csv" */
	int (*pull)(struct source *src, const struct plan *plan,
	    usec_t start, usec_t end, const struct sample_sink *sink);
	void (*close)(struct source *src);
	void *priv;
};

/* PostgreSQL (MonSter schema) as a source; connections are opened lazily
 * per database.  Faults: PR_ESOURCE with a message naming the database.
 * wait_s > 0: before reading, wait up to that long (one statement per
 * database every 5 s) until every node's telemetry reaches the window end;
 * nodes still behind are named in a note; a signal ends the wait with
 * PR_EINTR. */
int source_pg_open(struct source *src, const struct config *cfg, double wait_s);

#endif
