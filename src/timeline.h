/*
 * timeline.h - the chart model, built while samples stream: each power
 * series is reduced to a fixed number of time buckets (mean and min/max
 * envelope) and summed job-wide per component, plus a node x time heatmap of
 * input power.  Memory depends on nodes and buckets, never on samples, so a
 * 1000-node day draws in bounded time and short peaks stay visible.
 */
#ifndef PR_TIMELINE_H
#define PR_TIMELINE_H

#include <stddef.h>

#include "series.h"
#include "timefmt.h"

#define TL_BUCKETS 720		/* time resolution of line charts */
#define TL_HEAT_BUCKETS 240	/* time resolution of the heatmap */
#define TL_MAX_GPU_LINES 4	/* more GPU series than this: one summed line
				 * (more than four green lines cannot be told
				 * apart) */

struct tl_line {
	char *label;		/* "Input", "CPU", "GPU Video.Slot.38-1", ... */
	enum metric_role role;	/* picks the colour */
	double *mean, *lo, *hi;	/* watts per bucket, job-wide sum; NAN: no data */
};

struct tl_cursor;		/* per-series reduction state (timeline.c) */

struct timeline {
	usec_t start, end, gap_threshold;
	int nbuckets;
	struct tl_line *lines;	/* final set after timeline_finish */
	size_t nlines;
	size_t nnodes;
	char **node_names;	/* nnodes, for heatmap rows (borrowed) */
	int heat_buckets;
	double *heat;		/* nnodes x heat_buckets mean input W; NAN: none */
	/* nbuckets after timeline_finish: share 0..1 of the line series that
	 * had no samples there (holes longer than gap_threshold, before the
	 * first / after the last sample); the lines bridge such holes the way
	 * the energy integrator does, linearly and held at the edges. */
	double *missing;
	/* private */
	struct tl_cursor *cursors;
	size_t ncursors, capcursors;
	void *priv;
};

/* gap_threshold: a hole longer than this counts as missing; 0: set per
 * series with timeline_set_gap once known (until then holes count as
 * measured and the hold back to the window start waits). */
void timeline_init(struct timeline *tl, usec_t start, usec_t end,
    usec_t gap_threshold, size_t nnodes, char **node_names);
/* Register a series; returns a handle for timeline_add. */
int timeline_series(struct timeline *tl, size_t node_index,
    enum metric_role role, const char *hostname, const char *fqdd);
/* The gap threshold of one series, when it differs from gap_threshold. */
void timeline_set_gap(struct timeline *tl, int handle, usec_t gap);
/* One sample of a registered series, already in watts (never NAN). */
void timeline_add(struct timeline *tl, int handle, usec_t t, double watts);
void timeline_finish(struct timeline *tl);
/* Highest job-wide value of the line with this role (envelope), NAN if none. */
double timeline_peak(const struct timeline *tl, enum metric_role role);
void timeline_free(struct timeline *tl);

#endif
