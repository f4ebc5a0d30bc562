/*
 * trust_json.c - how summary.json carries the trust figures: each one an
 * object of its own beside the figure it qualifies, null where unknown, and
 * absent where the site has not configured it (doc/trust.md).
 */
#include "trust_json.h"

#include <math.h>

#include "trust.h"

/* v, or null where it is unknown (not finite). */
static void
add_num(cJSON *obj, const char *key, double v)
{
	cJSON_AddItemToObject(obj, key, isfinite(v) ? cJSON_CreateNumber(v) :
	    cJSON_CreateNull());
}

/* {"start", "end", "value"} of a step, or null. */
static cJSON *
step_json(usec_t a, usec_t b, double v)
{
	char start[48], end[48];
	cJSON *o;

	if (b <= a)
		return cJSON_CreateNull();
	time_format_iso(a, start);
	time_format_iso(b, end);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "start", start);
	cJSON_AddStringToObject(o, "end", end);
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

static cJSON *
rack_json(const struct rack_check *c)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "rack", c->name);
	add_num(o, "pdu_kwh", c->pdu_j / 3.6e6);
	add_num(o, "cooling_kwh", c->cooling_j / 3.6e6);
	add_num(o, "nodes_input_kwh", c->nodes_j / 3.6e6);
	cJSON_AddNumberToObject(o, "nodes_with_input", (double)c->nnodes);
	add_num(o, "nodes_to_pdu_ratio", c->ratio);
	return o;
}

/* "facility": measured PUE, the job at the building's wall, the racks. */
static void
add_facility(cJSON *totals, const struct report *rep)
{
	const struct facility *f = &rep->trust->facility;
	const struct energy_range *r = &rep->trust->range.job;
	const struct tariff *tf = &rep->trust->tariff;
	double pue = f->pue, it = rep->energy_j[COMP_TOTAL] / 3.6e6;
	cJSON *o, *racks;

	if (f->scope == NULL)
		return;
	o = cJSON_AddObjectToObject(totals, "facility");
	cJSON_AddStringToObject(o, "scope", f->scope);
	add_num(o, "pue", pue);
	add_num(o, "pdu_kwh", f->measured ? f->pdu_j / 3.6e6 : NAN);
	add_num(o, "cooling_kwh", f->measured ? f->cooling_j / 3.6e6 : NAN);
	add_num(o, "it_kwh", it);
	add_num(o, "facility_kwh", it * pue);
	add_num(o, "facility_kwh_low", r->lo[COMP_TOTAL] / 3.6e6 * pue);
	add_num(o, "facility_kwh_high", r->hi[COMP_TOTAL] / 3.6e6 * pue);
	add_num(o, "cost", rep->cost * pue);
	add_num(o, "co2_kg", rep->co2_kg * pue);
	add_num(o, "cost_time_varying", tf->cost.have_series ? tf->cost.total * pue : NAN);
	add_num(o, "co2_kg_time_varying", tf->co2.have_series ? tf->co2.total * pue : NAN);
	racks = cJSON_AddArrayToObject(o, "racks");
	for (size_t i = 0; i < f->nracks; i++)
		cJSON_AddItemToArray(racks, rack_json(&f->racks[i]));
}

/* "slurm_consumed_energy", when Slurm had a figure. */
static void
add_slurm(cJSON *totals, const struct report *rep)
{
	const struct slurm_check *s = &rep->trust->slurm;
	double ours = rep->energy_j[COMP_TOTAL];
	cJSON *o;

	if (s->from == NULL || s->slurm_j <= 0)
		return;
	o = cJSON_AddObjectToObject(totals, "slurm_consumed_energy");
	cJSON_AddStringToObject(o, "source", s->from);
	add_num(o, "kwh", s->slurm_j / 3.6e6);
	add_num(o, "difference_kwh", (s->slurm_j - ours) / 3.6e6);
	add_num(o, "difference_pct", ours > 0 ? (s->slurm_j - ours) / ours * 100 : NAN);
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
	add_facility(totals, rep);
	add_slurm(totals, rep);
}
