/*
 * trust_json.c - how summary.json carries the trust figures: each one an
 * object of its own beside the figure it qualifies, null where unknown, and
 * absent where the site has not configured it (doc/trust.md).
 */
#include "trust_json.h"

#include <math.h>

#include "trust.h"

static void
add_num(cJSON *obj, const char *key, double v)
{
	if (isnan(v) || isinf(v))
		cJSON_AddNullToObject(obj, key);
	else
		cJSON_AddNumberToObject(obj, key, v);
}

static void
add_time(cJSON *obj, const char *key, usec_t t)
{
	char buf[48];

	time_format_iso(t, buf);
	cJSON_AddStringToObject(obj, key, buf);
}

/* {"start", "end", "value"} of a step, or null. */
static cJSON *
step_json(usec_t a, usec_t b, double v)
{
	cJSON *o;

	if (b <= a)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	add_time(o, "start", a);
	add_time(o, "end", b);
	add_num(o, "value", v);
	return o;
}

static void
add_tariff(cJSON *totals, const char *key, const struct tariff_result *r,
    const char *origin)
{
	cJSON *o;

	if (!r->have_series)
		return;
	o = cJSON_AddObjectToObject(totals, key);
	add_num(o, "value", r->total);
	add_num(o, "flat_factor_value", r->flat);
	cJSON_AddStringToObject(o, "series", origin);
	add_num(o, "series_kwh", r->covered_kwh);
	add_num(o, "flat_factor_kwh", r->fallback_kwh);
	add_num(o, "unpriced_kwh", r->unpriced_kwh);
	cJSON_AddItemToObject(o, "lowest_step", step_json(r->low_start, r->low_end,
	    r->low_v));
	cJSON_AddItemToObject(o, "highest_step", step_json(r->high_start,
	    r->high_end, r->high_v));
}

/* kWh per component, each null when the energy is unknown. */
static void
add_range(cJSON *obj, const char *key, const double j[COMP_N], bool known)
{
	cJSON *o = cJSON_AddObjectToObject(obj, key);

	for (int c = 0; c < COMP_N; c++)
		add_num(o, component_key[c], known ? j[c] / 3.6e6 : NAN);
}

void
trust_json_node(cJSON *node, const struct report *rep, size_t i)
{
	if (rep->trust == NULL)
		return;
	add_range(node, "energy_kwh_low", rep->trust->range.node[i].lo,
	    rep->nodes[i].has_data);
	add_range(node, "energy_kwh_high", rep->trust->range.node[i].hi,
	    rep->nodes[i].has_data);
}

void
trust_json_totals(cJSON *totals, const struct report *rep)
{
	const struct tariff *tf;

	if (rep->trust == NULL)
		return;
	add_range(totals, "energy_kwh_low", rep->trust->range.job.lo, true);
	add_range(totals, "energy_kwh_high", rep->trust->range.job.hi, true);
	tf = &rep->trust->tariff;
	add_tariff(totals, "co2_kg_time_varying", &tf->co2, tf->co2_rate.origin);
	add_tariff(totals, "cost_time_varying", &tf->cost, tf->price_rate.origin);
}
