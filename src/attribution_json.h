/*
 * attribution_json.h - summary.json's keys for the job's share of shared
 * nodes, utilisation, idle energy and energy per unit of work (written by
 * summary_json.c through these calls).
 */
#ifndef PR_ATTRIBUTION_JSON_H
#define PR_ATTRIBUTION_JSON_H

#include <cjson/cJSON.h>

#include "report.h"

/* Into node i's object: "node_energy_kwh" (takes node_energy), and each
 * GPU's part next to its whole energy. */
void attribution_json_node(cJSON *node, cJSON *node_energy, const struct report *rep,
    size_t i);
/* Into "totals": "node_energy_kwh" (takes node_energy), per-unit figures. */
void attribution_json_totals(cJSON *totals, cJSON *node_energy, const struct report *rep);
/* "attribution", "utilisation" and "idle" at the top. */
void attribution_json_root(cJSON *root, const struct report *rep);

#endif
