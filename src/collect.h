/*
 * collect.h - the sample sink at the centre of the data flow: routes each
 * streamed sample to its series integrator, to the chart timeline and to the
 * raw_power.csv writer, then hands the finished report model over.
 */
#ifndef PR_COLLECT_H
#define PR_COLLECT_H

#include <stdio.h>

#include "plan.h"
#include "report.h"
#include "source.h"

struct collector;

/* raw_csv: stream that receives every sample as a raw_power.csv row (the
 * collector writes the header first), or NULL.  Samples of hosts not in the
 * plan are counted and dropped. */
struct collector *collector_new(const struct job *job, const struct plan *plan,
    const struct config *cfg, FILE *raw_csv);
/* Split every input-power series' energy at cuts (tariff.c), or not (NULL). */
void collector_set_cuts(struct collector *c, const struct series_cuts *cuts);
const struct sample_sink *collector_sink(struct collector *c);
/* Finish integration and fill rep (which takes ownership of the results). */
int collector_finish(struct collector *c, struct report *rep);
void collector_free(struct collector *c);

/* The plausible maximum of a series of role: the configured one
 * (telemetry.max_*_w), else series_default_max_w. */
double collect_max_w(const struct config *cfg, enum metric_role role);

#endif
