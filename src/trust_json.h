/*
 * trust_json.h - the trust figures (trust.h) in summary.json, beside the
 * figures they qualify; summary_json.c calls these once each.
 */
#ifndef PR_TRUST_JSON_H
#define PR_TRUST_JSON_H

#include <cjson/cJSON.h>

#include "report.h"

/* Into the "totals" object: energy_kwh_low / energy_kwh_high beside
 * energy_kwh, the time-varying CO2 and cost. */
void trust_json_totals(cJSON *totals, const struct report *rep);
/* Into node i's object: energy_kwh_low / energy_kwh_high. */
void trust_json_node(cJSON *node, const struct report *rep, size_t i);

#endif
