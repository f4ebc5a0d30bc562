/*
 * uncertainty.h - a range on every energy figure: what the sensors'
 * accuracy, the sampling and the gaps leave open (doc/trust.md).  Computed
 * from what each series gathered while samples streamed (series.h:
 * spread_j, held, gap_total, min_w, max_w), so it costs nothing per sample
 * beyond one multiply-add.
 */
#ifndef PR_UNCERTAINTY_H
#define PR_UNCERTAINTY_H

#include "config.h"
#include "report.h"

/* Lowest and highest energy in joules a figure may have. */
struct energy_range {
	double lo[COMP_N], hi[COMP_N];
};

struct uncertainty {
	struct energy_range *node;	/* per node (meaningful when it has data) */
	size_t nnodes;
	struct energy_range job;	/* over the nodes with data */
};

/* The accuracy a metric's readings are taken to have: the rule's
 * "accuracy" entry for the metric when there is one, else the documented
 * default of its kind (PSU input/output 5 % or 10 W, GPU 5 % or 5 W,
 * components 10 % or 5 W). */
struct accuracy uncertainty_accuracy(const struct rule *rule, const struct series *s);

/* The range of one finished series under accuracy a. */
void uncertainty_series(const struct series *s, struct accuracy a, double *lo,
    double *hi);

/* Ranges of every node and the job, by the component rules of
 * breakdown.c applied to intervals. */
void uncertainty_compute(struct uncertainty *u, const struct report *rep);
void uncertainty_free(struct uncertainty *u);

#endif
