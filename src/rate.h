/*
 * rate.h - a value per kWh that changes with time (grid carbon intensity in
 * g CO2e/kWh, a price per kWh): steps, each value in force from its start
 * until the next one.  Read from a CSV file here, from a database table in
 * rate_pg.c; tariff.c applies it to the job's energy.
 */
#ifndef PR_RATE_H
#define PR_RATE_H

#include <stddef.h>

#include "timefmt.h"

struct rate {
	usec_t *t;		/* n ascending start times */
	double *v;		/* v[i] from t[i] to t[i + 1]; NAN: no value */
	size_t n;		/* 0: no series */
	char *origin;		/* where it came from, for sentences */
};

/* Append one step (times must ascend; the caller checks). */
void rate_push(struct rate *r, usec_t t, double v);

/* Close a series whose last step has a value: it holds as long as the
 * step before it (an hourly series covers its last hour), one hour when it
 * is the only one. */
void rate_close(struct rate *r);

/* The value in force at t, NAN where the series says nothing. */
double rate_at(const struct rate *r, usec_t t);

/* Read path: one "start,value" row per line, the start in ISO 8601 with
 * an offset (or Z) or epoch seconds, ascending; an empty value ends the
 * series there; blank lines, lines starting with # and a first line that
 * is not a row (a header) are skipped.  PR_ECONFIG naming the file and
 * line when it cannot be read or a row does not parse. */
int rate_load_csv(struct rate *r, const char *path);

void rate_free(struct rate *r);

#endif
