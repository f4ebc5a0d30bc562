/*
 * bench-series.c - how long series_add takes per sample, the cost paid for
 * every sample of every node and metric.  Feeds 10 M samples of a jittery
 * 5 s series (with a few duplicates, missing values and gaps, and a window
 * that cuts the series at both ends) and prints nanoseconds per sample.
 * Built by `make bench-series`; not part of `make check`.
 */
#include <stdio.h>
#include <time.h>

#include "series.h"

#define NSAMPLES 10000000L

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int
main(void)
{
	static double value[4096];
	static usec_t step[4096];
	usec_t start = INT64_C(1700000000) * USEC_PER_SEC, t = start;
	usec_t span = NSAMPLES * 5 * USEC_PER_SEC;
	struct series s;
	unsigned rnd = 12345;
	double t0, t1;

	/* Pre-computed pseudo-random values and steps, so the loop measures
	 * series_add and not the generator. */
	for (int i = 0; i < 4096; i++) {
		rnd = rnd * 1103515245u + 12345u;
		value[i] = 200000 + (rnd >> 16) % 100000;	/* mW */
		step[i] = 4500000 + (rnd >> 8) % 1000000;	/* ~5 s jitter */
		if (i % 997 == 0)
			step[i] = 0;				/* duplicate */
		if (i % 1499 == 0)
			step[i] = 60 * USEC_PER_SEC;		/* gap */
		if (i % 1201 == 0)
			value[i] = 0.0 / 0.0;			/* missing */
	}
	series_init(&s, "PowerConsumption", "Video.Slot.38-1", "mW",
	    start + span / 100, start + span - span / 100, 15 * USEC_PER_SEC);
	t0 = now_ns();
	for (long i = 0; i < NSAMPLES; i++) {
		t += step[i & 4095];
		series_add(&s, t, value[i & 4095]);
	}
	series_finish(&s);
	t1 = now_ns();
	printf("series_add: %ld samples in %.3f s, %.2f ns/sample "
	    "(energy %.1f kWh, coverage %.3f, %zu gaps, %zu duplicates, "
	    "%zu missing)\n", NSAMPLES, (t1 - t0) / 1e9, (t1 - t0) / NSAMPLES,
	    s.energy_j / 3.6e6, s.coverage, s.ngaps, s.nduplicates, s.nmissing);
	series_free(&s);
	return 0;
}
