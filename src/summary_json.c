/*
 * summary_json.c - summary.json, the machine-readable report: job metadata,
 * energy per component per node and in total, coverage, gaps, warnings.
 * Both directions live here so the format is defined in one place.
 */
#include "summary_json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "attribution.h"
#include "attribution_json.h"
#include "error.h"
#include "fileio.h"
#include "render.h"
#include "trust_json.h"

/* A summary.json this large is not one of ours. */
#define SUMMARY_MAX_BYTES (64 << 20)

static cJSON *
add_time(cJSON *obj, const char *key, usec_t t)
{
	char buf[48];

	time_format_iso(t, buf);
	return cJSON_AddStringToObject(obj, key, buf);
}

/* A number, or null when it is not a number (NAN: not measured/configured). */
static void
add_num(cJSON *obj, const char *key, double v)
{
	if (isnan(v) || isinf(v))
		cJSON_AddNullToObject(obj, key);
	else
		cJSON_AddNumberToObject(obj, key, v);
}

static void
add_str(cJSON *obj, const char *key, const char *s)
{
	if (s == NULL)
		cJSON_AddNullToObject(obj, key);
	else
		cJSON_AddStringToObject(obj, key, s);
}

static cJSON *
strlist_json(const struct strlist *l)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < l->n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(l->v[i]));
	return a;
}

/* kWh per component; every one null when the energy is unknown. */
static cJSON *
energy_json(const double j[COMP_N], bool known)
{
	cJSON *o = cJSON_CreateObject();

	for (int c = 0; c < COMP_N; c++)
		add_num(o, component_key[c], known ? joules_to_kwh(j[c]) : NAN);
	return o;
}

static cJSON *
job_json(const struct job *job)
{
	cJSON *o = cJSON_CreateObject();

	add_str(o, "id", job->id);
	add_str(o, "name", job->name);
	add_str(o, "user", job->user);
	add_str(o, "account", job->account);
	add_str(o, "partition", job->partition);
	add_str(o, "cluster", job->cluster);
	add_time(o, "start", job->start);
	add_time(o, "end", job->end);
	cJSON_AddNumberToObject(o, "duration_s", (double)(job->end - job->start) / 1e6);
	add_str(o, "nodelist", job->nodelist);
	cJSON_AddItemToObject(o, "nodes", strlist_json(&job->nodes));
	add_str(o, "exit_state", job->exit_state);
	add_str(o, "workdir", job->workdir);
	return o;
}

static cJSON *
series_json(const struct series *s)
{
	cJSON *o = cJSON_CreateObject();

	add_str(o, "metric", s->metric);
	add_str(o, "fqdd", s->fqdd);
	add_str(o, "units", s->units);
	add_num(o, "energy_kwh", s->nsamples > 0 ? joules_to_kwh(s->energy_j) : NAN);
	cJSON_AddNumberToObject(o, "coverage", s->coverage);
	cJSON_AddNumberToObject(o, "interval_s", (double)s->interval / 1e6);
	add_str(o, "interval_from", s->interval_estimated ? "median spacing" : "given");
	cJSON_AddNumberToObject(o, "samples", (double)s->nsamples);
	cJSON_AddNumberToObject(o, "samples_in_window", (double)s->ninside);
	cJSON_AddNumberToObject(o, "missing", (double)s->nmissing);
	cJSON_AddNumberToObject(o, "duplicates", (double)s->nduplicates);
	cJSON_AddNumberToObject(o, "out_of_order", (double)s->nunordered);
	cJSON_AddNumberToObject(o, "non_finite", (double)s->nnonfinite);
	cJSON_AddNumberToObject(o, "implausible", (double)s->nimplausible);
	add_num(o, "plausible_max_w", s->hi_w);
	cJSON_AddNumberToObject(o, "gaps", (double)s->ngaps);
	cJSON_AddNumberToObject(o, "gap_total_s", (double)s->gap_total / 1e6);
	add_num(o, "min_w", s->min_w);
	add_num(o, "max_w", s->max_w);
	return o;
}

static void
add_gaps(cJSON *gaps, const struct series *s)
{
	for (size_t g = 0; g < s->ngaps && g < SERIES_MAX_GAPS; g++) {
		cJSON *o = cJSON_CreateObject();
		add_str(o, "metric", s->metric);
		add_str(o, "fqdd", s->fqdd);
		add_time(o, "start", s->gaps[g].start);
		add_time(o, "end", s->gaps[g].end);
		cJSON_AddNumberToObject(o, "duration_s",
		    (double)(s->gaps[g].end - s->gaps[g].start) / 1e6);
		cJSON_AddItemToArray(gaps, o);
	}
}

/* Coverage per metric; a metric with several series (GPUs) reports the
 * lowest, the per-device values are in "series". */
static void
add_coverage(cJSON *cov, const struct series *s)
{
	cJSON *old = cJSON_GetObjectItemCaseSensitive(cov, s->metric);

	if (old == NULL)
		cJSON_AddNumberToObject(cov, s->metric, s->coverage);
	else if (s->coverage < old->valuedouble)
		cJSON_SetNumberValue(old, s->coverage);
}

static cJSON *
node_json(const struct node_result *n)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *gpus = cJSON_CreateArray(), *cov = cJSON_CreateObject();
	cJSON *gaps = cJSON_CreateArray(), *series = cJSON_CreateArray();

	add_str(o, "hostname", n->hostname);
	add_str(o, "database", n->database);
	cJSON_AddItemToObject(o, "energy_kwh", energy_json(n->energy_j, n->has_data));
	add_str(o, "energy_unknown", n->has_data ? NULL : n->database == NULL ?
	    "no telemetry source: no configured rule matches this node" :
	    "no usable power sample in the job window; not in the totals");
	for (size_t i = 0; i < n->nseries; i++) {
		const struct series *s = &n->series[i];
		if (s->role == ROLE_GPU) {
			cJSON *g = cJSON_CreateObject();
			add_str(g, "fqdd", s->fqdd);
			add_num(g, "energy_kwh", s->nsamples > 0 ?
			    joules_to_kwh(s->energy_j) : NAN);
			cJSON_AddItemToArray(gpus, g);
		}
		add_coverage(cov, s);
		add_gaps(gaps, s);
		cJSON_AddItemToArray(series, series_json(s));
	}
	cJSON_AddItemToObject(o, "gpus", gpus);
	cJSON_AddItemToObject(o, "coverage", cov);
	cJSON_AddItemToObject(o, "gaps", gaps);
	cJSON_AddItemToObject(o, "series", series);
	cJSON_AddBoolToObject(o, "parts_exceed_total", n->parts_exceed_total);
	cJSON_AddItemToObject(o, "warnings", strlist_json(&n->warnings));
	return o;
}

static cJSON *
totals_json(const struct report *rep)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(o, "energy_kwh", energy_json(rep->energy_j, true));
	cJSON_AddNumberToObject(o, "nodes_with_data",
	    (double)(rep->nnodes - rep->nodes_without_data));
	add_str(o, "per_node_figures_over", "nodes_with_data");
	add_num(o, "avg_power_w", rep->avg_power_w);
	add_num(o, "peak_power_w", rep->peak_power_w);
	add_num(o, "node_hours", rep->node_hours);
	add_num(o, "kwh_per_node_hour", rep->kwh_per_node_hour);
	add_num(o, "gpu_share", rep->gpu_share);
	add_num(o, "cost", rep->cost);
	add_str(o, "currency", isnan(rep->cost) ? NULL : rep->cfg->currency);
	add_num(o, "co2_kg", rep->co2_kg);
	cJSON_AddNumberToObject(o, "samples", (double)rep->nsamples);
	attribution_json_totals(o, energy_json(attribution_total_node_energy(rep), true), rep);
	trust_json_totals(o, rep);
	return o;
}

static cJSON *
summary_json(const struct report *rep)
{
	cJSON *root = cJSON_CreateObject(), *nodes = cJSON_CreateArray();
	cJSON *gen = cJSON_CreateObject();

	cJSON_AddItemToObject(root, "job", job_json(rep->job));
	for (size_t i = 0; i < rep->nnodes; i++) {
		cJSON *nj = node_json(&rep->nodes[i]);
		attribution_json_node(nj, energy_json(attribution_node_energy(rep, i), rep->nodes[i].has_data), rep, i);
		trust_json_node(nj, rep, i);
		cJSON_AddItemToArray(nodes, nj);
	}
	cJSON_AddItemToObject(root, "nodes", nodes);
	cJSON_AddItemToObject(root, "totals", totals_json(rep));
	attribution_json_root(root, rep);
	cJSON_AddItemToObject(root, "warnings", strlist_json(&rep->warnings));
	cJSON_AddItemToObject(root, "banner", strlist_json(&rep->banner));
	add_str(gen, "name", "powerreport");
	add_str(gen, "version", PR_VERSION);
	add_str(gen, "source", rep->source_name);
	add_time(gen, "generated_at", rep->generated_at);
	add_str(gen, "timezone", rep->cfg->timezone);
	cJSON_AddItemToObject(root, "generator", gen);
	return root;
}

int
render_summary_json(const struct report *rep, const struct outdir *od)
{
	cJSON *root = summary_json(rep);
	char *text = cJSON_Print(root);
	FILE *fp;

	cJSON_Delete(root);
	if (text == NULL)
		return pr_fail(PR_EINTERNAL, "out of memory formatting summary.json");
	fp = outdir_fopen(od, "summary.json");
	if (fp == NULL) {
		free(text);
		return PR_EOUTPUT;
	}
	fputs(text, fp);
	fputc('\n', fp);
	free(text);
	return outdir_fclose(fp, "summary.json");
}

/* Set *field from obj.key when *field is unset and the value is a string. */
static void
take_str(const cJSON *obj, const char *key, char **field)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (*field == NULL && cJSON_IsString(v))
		*field = xstrdup(v->valuestring);
}

static int
take_window(const cJSON *jo, struct job *job, const char *path)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(jo, "start");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(jo, "end");

	if (job->have_window)
		return PR_OK;
	if (!cJSON_IsString(s) || !cJSON_IsString(e) ||
	    time_parse(s->valuestring, &job->start) != PR_OK ||
	    time_parse(e->valuestring, &job->end) != PR_OK) {
		pr_errclear();
		return pr_fail(PR_EDATA, "%s: job.start/job.end missing or not "
		    "ISO 8601: pass --start and --end", path);
	}
	job->have_window = true;
	return PR_OK;
}

int
summary_read_job(const char *path, struct job *job)
{
	char *text;
	size_t len;
	cJSON *root, *jo;
	int rc = fileio_read(path, SUMMARY_MAX_BYTES, &text, &len);

	if (rc == ENOENT)
		return PR_OK;	/* no summary beside the CSV: nothing to take */
	if (rc != 0)
		return pr_fail(PR_EDATA, "%s: cannot read: %s: fix it or pass "
		    "--start, --end and --nodelist", path, strerror(rc));
	root = cJSON_Parse(text);
	free(text);
	jo = cJSON_GetObjectItemCaseSensitive(root, "job");
	if (!cJSON_IsObject(jo)) {
		cJSON_Delete(root);
		return pr_fail(PR_EDATA, "%s is not a powerreport summary.json: "
		    "remove it or pass --start, --end and --nodelist", path);
	}
	take_str(jo, "id", &job->id);
	take_str(jo, "name", &job->name);
	take_str(jo, "user", &job->user);
	take_str(jo, "account", &job->account);
	take_str(jo, "partition", &job->partition);
	take_str(jo, "cluster", &job->cluster);
	take_str(jo, "exit_state", &job->exit_state);
	take_str(jo, "workdir", &job->workdir);
	if (job->nodelist == NULL) {
		const cJSON *nl = cJSON_GetObjectItemCaseSensitive(jo, "nodelist");
		if (cJSON_IsString(nl))
			rc = job_set_nodelist(job, nl->valuestring);
	}
	if (rc == PR_OK)
		rc = take_window(jo, job, path);
	cJSON_Delete(root);
	return rc;
}

/* The number at obj.key, NAN when absent or not a finite number. */
static double
num_at(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : NAN;
}

double
summary_read_idle_share(const char *path, const char *id)
{
	char *text;
	size_t len;
	cJSON *root;
	const cJSON *jid;
	double idle = NAN, total = NAN;

	if (fileio_read(path, SUMMARY_MAX_BYTES, &text, &len) != 0)
		return NAN;
	root = cJSON_Parse(text);
	free(text);
	jid = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "job"), "id");
	if (cJSON_IsString(jid) && strcmp(jid->valuestring, id) == 0) {
		idle = num_at(cJSON_GetObjectItemCaseSensitive(root, "idle"), "energy_kwh");
		total = num_at(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
		    root, "totals"), "energy_kwh"), "total");
	}
	cJSON_Delete(root);
	if (!(total > 0 && idle >= 0 && idle <= total * (1 + 1e-9)))
		return NAN;
	return idle / total;
}
