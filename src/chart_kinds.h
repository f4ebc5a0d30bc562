/*
 * chart_kinds.h - the four charts, one file each (chart_timeseries.c,
 * chart_pie.c, chart_heatmap.c, chart_node_energy.c), each drawn on the
 * whole canvas of d; charts.c picks one.
 */
#ifndef PR_CHART_KINDS_H
#define PR_CHART_KINDS_H

#include "draw.h"
#include "report.h"

void chart_timeseries(struct draw *d, const struct report *rep);
void chart_pie(struct draw *d, const struct report *rep);
void chart_heatmap(struct draw *d, const struct report *rep);
void chart_node_energy(struct draw *d, const struct report *rep);

#endif
