/*
 * chart_util_strip.h - the utilisation lanes under the power-over-time
 * chart (chart_util_strip.c): CPU load, memory use and GPU utilisation on
 * the chart's time axis, drawn only where a utilisation table was read.
 */
#ifndef PR_CHART_UTIL_STRIP_H
#define PR_CHART_UTIL_STRIP_H

#include "chart_style.h"
#include "strbuf.h"

/* Height the strip takes under the plot; 0: no strip. */
double chart_util_strip_height(const struct style *st, const struct report *rep);

/* Width of the widest lane label, left of the plot (0: no strip). */
double chart_util_strip_label_width(struct draw *d, const struct style *st,
    const struct report *rep);

/* The lanes from y down, over the time range of f; with means, each
 * lane's mean right of it (else only in its read-out). */
void chart_util_strip(struct draw *d, const struct style *st, const struct frame *f,
    double y, const struct report *rep, bool means);

/* "Means: CPU 45.0 %, Mem 30.2 %" into buf (as the lanes are labelled);
 * false when there is no strip. */
bool chart_util_strip_means(const struct style *st, const struct report *rep,
    char *buf, size_t size);

/* "\nCPU load: 45 %" and so on for the read-out of moment t. */
void chart_util_strip_tip(struct strbuf *text, const struct report *rep, usec_t t);

#endif
