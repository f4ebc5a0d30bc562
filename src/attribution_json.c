/*
 * attribution_json.c - the parts of summary.json that attribution.c
 * computes (doc/attribution.md, "summary.json"): each node's whole-node
 * energy beside the job's, the "attribution", "utilisation" and "idle"
 * objects, and the per-unit-of-work figures in "totals".  summary_json.c
 * calls in here so the contract of these keys lives in one place.
 */
#include "attribution_json.h"

#include <math.h>

#include "attribution.h"
#include "cpu_efficiency.h"

static void
num_or_null(cJSON *obj, const char *key, double v)
{
	if (isfinite(v))
		cJSON_AddNumberToObject(obj, key, v);
	else
		cJSON_AddNullToObject(obj, key);
}

static double
kwh_or_nan(double j)
{
	return isnan(j) ? NAN : joules_to_kwh(j);
}

void
attribution_json_node(cJSON *node, cJSON *node_energy, const struct report *rep, size_t i)
{
	const struct node_result *n = &rep->nodes[i];
	const cJSON *gpus = cJSON_GetObjectItemCaseSensitive(node, "gpus");
	cJSON *g = gpus != NULL ? gpus->child : NULL;

	cJSON_AddItemToObject(node, "node_energy_kwh", node_energy);
	/* the gpus array lists the node's GPU series in order */
	for (size_t k = 0; k < n->nseries && g != NULL; k++) {
		if (n->series[k].role != ROLE_GPU)
			continue;
		cJSON_ReplaceItemInObjectCaseSensitive(g, "energy_kwh", cJSON_CreateNumber(
		    joules_to_kwh(attribution_series_energy(rep, i, k))));
		cJSON_AddNumberToObject(g, "node_energy_kwh",
		    joules_to_kwh(n->series[k].energy_j));
		g = g->next;
	}
}

static const char *
method(const struct attribution *a)
{
	if (!a->have_node_jobs)
		return "whole nodes (no slurm.node_jobs)";
	return a->any_shared ? "CPU share per stretch of slurm.node_jobs" :
	    "whole nodes (the job had them to itself)";
}

static void
string_or_null(cJSON *obj, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(obj, key, s);
	else
		cJSON_AddNullToObject(obj, key);
}

/* "gpu_index" or "cpu_share" when every node with GPUs went that way,
 * "mixed" when not, NULL without GPUs. */
static const char *
gpu_method(const struct attribution *a)
{
	bool used[GPU_METHOD_INDEX + 1] = { false };

	for (size_t i = 0; i < a->n; i++)
		used[a->nodes[i].gpu_method] = true;
	if (used[GPU_METHOD_INDEX] && used[GPU_METHOD_CPU_SHARE])
		return "mixed";
	return gpu_method_label[used[GPU_METHOD_INDEX] ? GPU_METHOD_INDEX :
	    used[GPU_METHOD_CPU_SHARE] ? GPU_METHOD_CPU_SHARE : GPU_METHOD_NONE];
}

/* The GPU indices Slurm said the job held on node u, null when unknown. */
static cJSON *
gpu_indices(const struct node_usage *u)
{
	cJSON *list;

	if (u->gres != GRES_KNOWN)
		return cJSON_CreateNull();
	list = cJSON_CreateArray();
	for (int k = 0; k < 64; k++)
		if ((u->job_gpus >> k) & 1)
			cJSON_AddItemToArray(list, cJSON_CreateNumber(k));
	return list;
}

static cJSON *
attribution_obj(const struct attribution *a)
{
	cJSON *o = cJSON_CreateObject(), *nodes = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "method", method(a));
	string_or_null(o, "gpu_method", gpu_method(a));
	num_or_null(o, "stale_s", a->stale_s);
	for (size_t i = 0; i < a->n; i++) {
		const struct node_usage *u = &a->nodes[i];
		cJSON *n = cJSON_CreateObject();

		cJSON_AddStringToObject(n, "hostname", u->hostname);
		cJSON_AddBoolToObject(n, "shared", u->shared);
		num_or_null(n, "share", u->mean_share);
		num_or_null(n, "cpus", u->cpus > 0 ? u->cpus : NAN);
		cJSON_AddStringToObject(n, "cpus_from", cpus_from_label[u->cpus_from]);
		num_or_null(n, "other_jobs_kwh", kwh_or_nan(u->others_j));
		num_or_null(n, "unallocated_kwh", kwh_or_nan(u->free_j));
		num_or_null(n, "core_hours", u->core_hours);
		string_or_null(n, "gpu_method", gpu_method_label[u->gpu_method]);
		string_or_null(n, "gpu_reason", u->gpu_method == GPU_METHOD_CPU_SHARE ?
		    gpu_why_label[u->gpu_why] : NULL);
		cJSON_AddItemToObject(n, "gpu_indices", gpu_indices(u));
		cJSON_AddItemToArray(nodes, n);
	}
	cJSON_AddItemToObject(o, "nodes", nodes);
	return o;
}

static cJSON *
utilisation_obj(const struct attribution *a)
{
	cJSON *o = cJSON_CreateObject(), *nodes = cJSON_CreateArray();

	num_or_null(o, "low_load", a->low_load);
	string_or_null(o, "memory_table", a->mem_table);
	num_or_null(o, "cpu_load_mean", attribution_util_mean(a, UTIL_CPU));
	num_or_null(o, "memory_mean", attribution_util_mean(a, UTIL_MEM));
	num_or_null(o, "gpu_util_mean", attribution_util_mean(a, UTIL_GPU));
	for (size_t i = 0; i < a->n; i++) {
		const struct node_usage *u = &a->nodes[i];
		cJSON *n = cJSON_CreateObject();

		cJSON_AddStringToObject(n, "hostname", u->hostname);
		num_or_null(n, "cpu_load", u->load_mean);
		num_or_null(n, "low_load_share", u->low_load_share);
		num_or_null(n, "memory", u->mem_mean);
		num_or_null(n, "gpu_util", u->gpu_util_mean);
		cJSON_AddItemToArray(nodes, n);
	}
	cJSON_AddItemToObject(o, "nodes", nodes);
	return o;
}

/* Every idle stretch of every node: hostname, start, end, seconds. */
static cJSON *
stretches(const struct attribution *a)
{
	cJSON *list = cJSON_CreateArray();
	char buf[40];

	for (size_t i = 0; i < a->n; i++)
		for (size_t k = 0; k < a->nodes[i].nstretches; k++) {
			const struct idle_stretch *s = &a->nodes[i].stretches[k];
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "hostname", a->nodes[i].hostname);
			time_format_iso(s->t0, buf);
			cJSON_AddStringToObject(o, "start", buf);
			time_format_iso(s->t1, buf);
			cJSON_AddStringToObject(o, "end", buf);
			cJSON_AddNumberToObject(o, "seconds", (double)(s->t1 - s->t0) / USEC_PER_SEC);
			cJSON_AddItemToArray(list, o);
		}
	return list;
}

/* energy_kwh, cost and co2_kg of j joules into o. */
static void
kwh_cost_co2(cJSON *o, double j, const struct report *rep)
{
	double kwh = kwh_or_nan(j);

	num_or_null(o, "energy_kwh", kwh);
	num_or_null(o, "cost", kwh * rep->cfg->price_per_kwh);
	num_or_null(o, "co2_kg", kwh * rep->cfg->co2_g_per_kwh / 1000.0);
}

/* The GPUs' idle energy: the job's, its share of the GPU energy, each GPU. */
static void
gpu_idle(cJSON *o, const struct attribution *a, const struct report *rep)
{
	cJSON *gpus = cJSON_CreateArray();
	double gpu_j = rep->energy_j[COMP_GPU];

	num_or_null(o, "gpu_energy_kwh", kwh_or_nan(a->gpu_idle_j));
	num_or_null(o, "gpu_share", gpu_j > 0 ? a->gpu_idle_j / gpu_j : NAN);
	for (size_t i = 0; i < a->n; i++)
		for (size_t k = 0; k < a->nodes[i].ngpus; k++) {
			const struct gpu_idle *g = &a->nodes[i].gpus[k];
			cJSON *n = cJSON_CreateObject();

			cJSON_AddStringToObject(n, "hostname", a->nodes[i].hostname);
			cJSON_AddStringToObject(n, "fqdd", g->fqdd);
			cJSON_AddStringToObject(n, "definition", idle_from_label[g->from]);
			num_or_null(n, "idle_w", g->level_w);
			kwh_cost_co2(n, g->idle_j, rep);
			cJSON_AddItemToArray(gpus, n);
		}
	cJSON_AddItemToObject(o, "gpus", gpus);
}

static cJSON *
idle_obj(const struct attribution *a, const struct report *rep)
{
	cJSON *o = cJSON_CreateObject(), *nodes = cJSON_CreateArray();
	double kwh = kwh_or_nan(a->idle_j), total = joules_to_kwh(rep->energy_j[COMP_TOTAL]);

	cJSON_AddStringToObject(o, "definition", "CPU load under low_load of the "
	    "node's CPUs (slurm.cpu_load); without it, input power within "
	    "idle_margin above idle_w (the rule's, else the lowest sustained level); "
	    "a GPU: its utilisation under low_load where gpu_util_metrics gives it, "
	    "else its power likewise (gpu_idle_w)");
	num_or_null(o, "low_load", a->low_load);
	num_or_null(o, "idle_margin", a->idle_margin);
	kwh_cost_co2(o, a->idle_j, rep);
	num_or_null(o, "share", total > 0 ? kwh / total : NAN);
	for (size_t i = 0; i < a->n; i++) {
		cJSON *n = cJSON_CreateObject();

		cJSON_AddStringToObject(n, "hostname", a->nodes[i].hostname);
		cJSON_AddStringToObject(n, "definition",
		    idle_from_label[a->nodes[i].idle_from]);
		num_or_null(n, "idle_w", a->nodes[i].idle_level_w);
		kwh_cost_co2(n, a->nodes[i].idle_j, rep);
		cJSON_AddItemToArray(nodes, n);
	}
	cJSON_AddItemToObject(o, "nodes", nodes);
	cJSON_AddItemToObject(o, "stretches", stretches(a));
	gpu_idle(o, a, rep);
	return o;
}

/* sacct's CPU efficiency: null when unknown, its source null when sacct
 * was not asked; the figures it comes from when sacct answered. */
static void
cpu_efficiency_json(cJSON *totals, const struct cpu_efficiency *e)
{
	cJSON *in;

	num_or_null(totals, "cpu_efficiency", e != NULL ? e->value : NAN);
	if (e == NULL) {
		cJSON_AddNullToObject(totals, "cpu_efficiency_source");
		cJSON_AddNullToObject(totals, "cpu_time");
		return;
	}
	cJSON_AddStringToObject(totals, "cpu_efficiency_source", e->from);
	in = cJSON_AddObjectToObject(totals, "cpu_time");
	num_or_null(in, "total_cpu_s", e->total_cpu_s);
	num_or_null(in, "elapsed_s", e->elapsed_s);
	num_or_null(in, "alloc_cpus", e->alloc_cpus > 0 ? e->alloc_cpus : NAN);
}

void
attribution_json_totals(cJSON *totals, cJSON *node_energy, const struct report *rep)
{
	const struct attribution *a = rep->attr;

	cJSON_AddItemToObject(totals, "node_energy_kwh", node_energy);
	if (a == NULL)
		return;
	num_or_null(totals, "gpu_hours", a->gpu_hours);
	num_or_null(totals, "kwh_per_gpu_hour", a->kwh_per_gpu_hour);
	num_or_null(totals, "core_hours", a->core_hours);
	num_or_null(totals, "kwh_per_core_hour", a->kwh_per_core_hour);
	num_or_null(totals, "work", a->work);
	if (a->work_unit != NULL)
		cJSON_AddStringToObject(totals, "work_unit", a->work_unit);
	else
		cJSON_AddNullToObject(totals, "work_unit");
	num_or_null(totals, "kwh_per_work", a->kwh_per_work);
	cpu_efficiency_json(totals, rep->cpu_eff);
}

void
attribution_json_root(cJSON *root, const struct report *rep)
{
	if (rep->attr == NULL)
		return;
	cJSON_AddItemToObject(root, "attribution", attribution_obj(rep->attr));
	cJSON_AddItemToObject(root, "utilisation", utilisation_obj(rep->attr));
	cJSON_AddItemToObject(root, "idle", idle_obj(rep->attr, rep));
}
