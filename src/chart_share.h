/*
 * chart_share.h - the strip on each heatmap row of a node the job shared:
 * the job's share of the node over time (attribution.h).
 */
#ifndef PR_CHART_SHARE_H
#define PR_CHART_SHARE_H

#include "chart_style.h"

/* Along the bottom of each shared node's row of the heatmap frame f (rows
 * of equal height, in report order): a light band, and in it a dark bar as
 * high as the job's share, with read-outs. */
void chart_share_strips(struct draw *d, const struct frame *f, const struct report *rep);

/* Its legend entry (a half-filled box, "job share") at x, y, when a node
 * was shared. */
void chart_share_legend(struct draw *d, const struct style *st, const struct report *rep,
    double x, double y);

#endif
