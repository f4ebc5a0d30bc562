/*
 * rollup_render.c - power_summary_<range>/ of `powerreport summary`:
 * index.html (templates/summary.html.tpl with report.html's stylesheet and
 * rules: no network, no script, every name escaped), an SVG chart of energy
 * per day drawn through draw.h, jobs.csv (RFC 4180, formula-safe) and
 * summary.json.  Written like a report: hidden, then renamed into place.
 */
#include "rollup.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_bars.h"
#include "chart_palette.h"
#include "error.h"
#include "outdir.h"
#include "rawcsv.h"
#include "render.h"
#include "strbuf.h"
#include "template_shim.h"
#include "units.h"

const char *const rollup_by_key[BY_N] = { "user", "account", "partition", "day" };
static const char *const by_label[BY_N] = { "User", "Account", "Partition", "Day" };

static double
kwh(double j)
{
	return j / 3.6e6;
}

/* kWh per node-hour of a total, NAN without node-hours. */
static double
per_node_hour(double energy_j, double node_hours)
{
	return node_hours > 0 ? kwh(energy_j) / node_hours : NAN;
}

/* Share of the energy of the jobs with known idle figures spent idle, NAN
 * when none has them. */
static double
idle_share(const struct rtotal *t)
{
	return t->nidle > 0 && t->idle_base_j > 0 ? t->idle_j / t->idle_base_j : NAN;
}

/* "12.3 %", "" for NAN. */
static void
pct(char *buf, size_t size, double share)
{
	if (isnan(share))
		buf[0] = '\0';
	else
		units_percent(share, buf, size);
}

/* "12.345" (decimals), "" for NAN: an unknown is never shown as 0. */
static void
num(char *buf, size_t size, double v, int decimals)
{
	if (isnan(v))
		buf[0] = '\0';
	else
		snprintf(buf, size, "%.*f", decimals, v);
}

/* ---- the chart of energy per day ---- */

#define CHART_W 860.0
#define CHART_H 260.0

static char *
day_chart(const struct rollup *r)
{
	const struct rtotal *d = r->by[BY_DAY];
	size_t n = r->nby[BY_DAY];
	size_t every = (size_t)fmax(1, ceil(44.0 * (double)n / (CHART_W - 60)));	/* label room */
	struct bar *bars = xcalloc(n + 1, sizeof *bars);
	char *svg;

	for (size_t i = 0; i < n; i++) {
		bars[i].value = kwh(d[i].energy_j);
		bars[i].colour = chart_component_colour(COMP_CPU);
		bars[i].label = i % every == 0 ? d[i].key + 5 : NULL;	/* "11-03" */
		bars[i].tip = xasprintf("%s: %.2f kWh, %zu job%s", d[i].key, bars[i].value,
		    d[i].njobs, d[i].njobs == 1 ? "" : "s");
	}
	svg = chart_bars_svg(CHART_W, CHART_H, bars, n, NAN, "kWh");
	free(bars);
	return svg;
}

/* ---- index.html ---- */

/* path as a URL path: unreserved characters and / as they are, the rest
 * percent-encoded (malloc'd). */
static char *
url_path(const char *path)
{
	struct strbuf b = { 0 };

	for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++) {
		if (isalnum(*p) || strchr("/-._~", *p) != NULL)
			strbuf_add(&b, (const char *)p, 1);
		else
			strbuf_printf(&b, "%%%02X", *p);
	}
	return b.s;
}

static void
figure(struct tpl *d, const char *label, const char *value, const char *note)
{
	struct tpl *f = tpl_row(d, "FIGURE");

	tpl_set(f, "LABEL", label);
	tpl_set(f, "VALUE", value);
	tpl_set(f, "NOTE", note);
}

static void
fill_figures(struct tpl *d, const struct rollup *r)
{
	const struct config *cfg = r->cfg;
	char v[64], note[96];

	snprintf(v, sizeof v, "%.2f kWh", kwh(r->all.energy_j));
	snprintf(note, sizeof note, "%zu job%s, %zu without data", r->all.njobs,
	    r->all.njobs == 1 ? "" : "s", r->all.nunknown);
	figure(d, "Energy", v, note);
	snprintf(v, sizeof v, "%.1f", r->all.node_hours);
	snprintf(note, sizeof note, "%.1f GPU-hours", r->all.gpu_hours);
	figure(d, "Node-hours", v, note);
	num(v, sizeof v, per_node_hour(r->all.energy_j, r->all.node_hours), 3);
	figure(d, "kWh per node-hour", v, "");
	if (!isnan(cfg->price_per_kwh)) {
		snprintf(v, sizeof v, "%.2f %s", kwh(r->all.energy_j) * cfg->price_per_kwh,
		    cfg->currency != NULL ? cfg->currency : "");
		figure(d, "Cost", v, "");
	}
	if (!isnan(cfg->co2_g_per_kwh)) {
		snprintf(v, sizeof v, "%.1f kg", kwh(r->all.energy_j) * cfg->co2_g_per_kwh / 1000);
		figure(d, "CO2", v, "");
	}
	pct(v, sizeof v, idle_share(&r->all));
	snprintf(note, sizeof note, "from the reports of %zu of %zu jobs", r->all.nidle,
	    r->all.njobs);
	figure(d, "Spent idle", r->all.nidle > 0 ? v : "unknown",
	    r->all.nidle > 0 ? note : "no job's report with idle figures found");
}

static void
fill_group(struct tpl *d, const struct rollup *r, enum rollup_by by)
{
	struct tpl *g = tpl_row(d, "GROUP"), *row;
	const struct config *cfg = r->cfg;
	char v[64];

	tpl_set(g, "BY", rollup_by_key[by]);
	tpl_set(g, "BY_LABEL", by_label[by]);
	if (!isnan(cfg->price_per_kwh)) {
		tpl_show(g, "HAS_COST");
		tpl_set(g, "CURRENCY", cfg->currency != NULL ? cfg->currency : "");
	}
	if (!isnan(cfg->co2_g_per_kwh))
		tpl_show(g, "HAS_CO2");
	for (size_t i = 0; i < r->nby[by]; i++) {
		const struct rtotal *t = &r->by[by][i];

		row = tpl_row(g, "ROW");
		tpl_set(row, "KEY", t->key[0] != '\0' ? t->key : "(none)");
		tpl_setf(row, "JOBS", "%zu", t->njobs);
		tpl_setf(row, "KWH", "%.3f", kwh(t->energy_j));
		tpl_setf(row, "NODE_HOURS", "%.1f", t->node_hours);
		tpl_setf(row, "GPU_HOURS", "%.1f", t->gpu_hours);
		num(v, sizeof v, per_node_hour(t->energy_j, t->node_hours), 3);
		tpl_set(row, "PER_NODE_HOUR", v);
		pct(v, sizeof v, idle_share(t));
		tpl_set(row, "IDLE", v);
		if (!isnan(cfg->price_per_kwh)) {
			tpl_show(row, "HAS_COST");
			tpl_setf(row, "COST", "%.2f", kwh(t->energy_j) * cfg->price_per_kwh);
		}
		if (!isnan(cfg->co2_g_per_kwh)) {
			tpl_show(row, "HAS_CO2");
			tpl_setf(row, "CO2", "%.2f", kwh(t->energy_j) * cfg->co2_g_per_kwh / 1000);
		}
	}
}

static void
fill_job(struct tpl *row, const struct rjob *j)
{
	char v[64], end[40], *href;

	if (j->report != NULL) {
		struct tpl *l = tpl_row(row, "LINK");

		href = url_path(j->report);
		tpl_set(l, "HREF", href);
		tpl_set(l, "ID", j->id);
		free(href);
	} else {
		tpl_set(tpl_row(row, "NO_LINK"), "ID", j->id);
	}
	tpl_set(row, "NAME", j->name);
	tpl_set(row, "USER", j->user);
	tpl_set(row, "ACCOUNT", j->account);
	tpl_set(row, "PARTITION", j->partition);
	time_format_iso(j->e.end, end);
	tpl_set(row, "END", end);
	tpl_setf(row, "NODES", "%zu", j->e.nnodes);
	num(v, sizeof v, kwh(j->e.energy_j), 3);
	tpl_set(row, "KWH", v);
	num(v, sizeof v, per_node_hour(j->e.energy_j, j->e.node_hours), 3);
	tpl_set(row, "PER_NODE_HOUR", v);
	pct(v, sizeof v, j->idle_share);
	tpl_set(row, "IDLE", v);
}

static void
fill_jobs(struct tpl *d, const struct rollup *r)
{
	struct tpl *sec = tpl_row(d, "JOBS");
	size_t i;

	tpl_set(sec, "TITLE", "Top jobs by energy");
	for (i = 0; i < r->ntop; i++)
		fill_job(tpl_row(sec, "JOB"), &r->jobs[r->top[i]]);
	sec = tpl_row(d, "JOBS");
	tpl_set(sec, "TITLE", "Every job");
	for (i = 0; i < r->njobs; i++)
		fill_job(tpl_row(sec, "JOB"), &r->jobs[i]);
}

static void
fill_filters(struct tpl *d, const struct rollup *r)
{
	const struct strlist *l[3] = { &r->users, &r->accounts, &r->partitions };
	const char *label[3] = { "Users", "Accounts", "Partitions" };
	struct tpl *f;
	char *v;

	for (int i = 0; i < 3; i++) {
		if (l[i]->n == 0)
			continue;
		f = tpl_row(d, "FILTER");
		tpl_set(f, "LABEL", label[i]);
		v = strlist_join(l[i], ", ");
		tpl_set(f, "VALUE", v);
		free(v);
	}
}

static void
fill_index(struct tpl *d, const char *css, const void *ctx)
{
	const struct rollup *r = ctx;
	char since[40], until[40], *svg;

	tpl_set(d, "VERSION", PR_VERSION);
	tpl_set(d, "STYLE", css);
	tpl_set(d, "RANGE", r->range);
	tpl_set(d, "SINCE", r->since_text);
	tpl_set(d, "UNTIL", r->until_text);
	time_format_iso(r->since, since);
	time_format_iso(r->until, until);
	tpl_set(d, "SINCE_ISO", since);
	tpl_set(d, "UNTIL_ISO", until);
	time_format_iso(r->generated_at, since);
	tpl_set(d, "GENERATED", since);
	tpl_setf(d, "STATEMENTS", "%zu", r->statements);
	tpl_setf(d, "ROWS", "%zu", r->rows);
	tpl_setf(d, "JOBS_TABLE", "%s.jobs", r->cfg->jobs_schema != NULL ?
	    r->cfg->jobs_schema : "slurm");
	fill_filters(d, r);
	fill_figures(d, r);
	if (r->njobs == 0) {
		tpl_show(d, "NONE");
		if (r->users.n + r->accounts.n + r->partitions.n > 0)
			tpl_show(d, "FILTERED");
		return;
	}
	svg = day_chart(r);
	tpl_set(d, "DAY_SVG", svg);
	tpl_set(d, "ZONE", time_zone_abbrev(r->since));
	tpl_show(d, "DAYS");
	free(svg);
	for (int by = BY_USER; by < BY_DAY; by++)
		fill_group(d, r, by);
	fill_jobs(d, r);
}

/* ---- jobs.csv and summary.json ---- */

static const char csv_header[] = "job_id,name,user,account,partition,state,start,end,"
	"nodes,nodes_with_data,energy_kwh,gpu_kwh,node_hours,gpu_hours,kwh_per_node_hour,"
	"report,idle_share\n";

static void
csv_num(FILE *fp, double v, const char *sep)
{
	if (!isnan(v))
		fprintf(fp, "%.6f", v);
	fputs(sep, fp);
}

static void
csv_text(FILE *fp, const char *s)
{
	csv_write_text(fp, s);
	fputc(',', fp);
}

static int
write_csv(const struct rollup *r, const struct outdir *od)
{
	FILE *fp = outdir_fopen(od, "jobs.csv");
	char t[40];

	if (fp == NULL)
		return PR_EOUTPUT;
	fputs(csv_header, fp);
	for (size_t i = 0; i < r->njobs; i++) {
		const struct rjob *j = &r->jobs[i];

		csv_text(fp, j->id);
		csv_text(fp, j->name);
		csv_text(fp, j->user);
		csv_text(fp, j->account);
		csv_text(fp, j->partition);
		csv_text(fp, j->state);
		time_format_iso(j->e.start, t);
		csv_text(fp, t);
		time_format_iso(j->e.end, t);
		csv_text(fp, t);
		fprintf(fp, "%zu,%zu,", j->e.nnodes, j->e.nodes_with_data);
		csv_num(fp, kwh(j->e.energy_j), ",");
		csv_num(fp, isnan(j->e.energy_j) ? NAN : kwh(j->e.gpu_j), ",");
		csv_num(fp, j->e.node_hours, ",");
		csv_num(fp, j->e.gpu_hours, ",");
		csv_num(fp, per_node_hour(j->e.energy_j, j->e.node_hours), ",");
		csv_write_text(fp, j->report != NULL ? j->report : "");
		fputc(',', fp);
		csv_num(fp, j->idle_share, "\n");
	}
	return outdir_fclose(fp, "jobs.csv");
}

static void
json_num(cJSON *o, const char *key, double v)
{
	if (isfinite(v))
		cJSON_AddNumberToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *
json_total(const struct config *cfg, const struct rtotal *t)
{
	cJSON *o = cJSON_CreateObject();

	if (t->key != NULL)
		cJSON_AddStringToObject(o, "key", t->key);
	cJSON_AddNumberToObject(o, "jobs", (double)t->njobs);
	cJSON_AddNumberToObject(o, "jobs_without_data", (double)t->nunknown);
	json_num(o, "energy_kwh", kwh(t->energy_j));
	json_num(o, "gpu_kwh", kwh(t->gpu_j));
	json_num(o, "node_hours", t->node_hours);
	json_num(o, "gpu_hours", t->gpu_hours);
	json_num(o, "kwh_per_node_hour", per_node_hour(t->energy_j, t->node_hours));
	json_num(o, "cost", kwh(t->energy_j) * cfg->price_per_kwh);
	json_num(o, "co2_kg", kwh(t->energy_j) * cfg->co2_g_per_kwh / 1000);
	cJSON_AddNumberToObject(o, "jobs_with_idle", (double)t->nidle);
	json_num(o, "idle_kwh", t->nidle > 0 ? kwh(t->idle_j) : NAN);
	json_num(o, "idle_share", idle_share(t));
	return o;
}

static cJSON *
json_job(const struct rjob *j)
{
	cJSON *o = cJSON_CreateObject();
	char t[40];

	cJSON_AddStringToObject(o, "job_id", j->id);
	cJSON_AddStringToObject(o, "name", j->name);
	cJSON_AddStringToObject(o, "user", j->user);
	cJSON_AddStringToObject(o, "account", j->account);
	cJSON_AddStringToObject(o, "partition", j->partition);
	time_format_iso(j->e.end, t);
	cJSON_AddStringToObject(o, "end", t);
	json_num(o, "energy_kwh", kwh(j->e.energy_j));
	json_num(o, "node_hours", j->e.node_hours);
	json_num(o, "kwh_per_node_hour", per_node_hour(j->e.energy_j, j->e.node_hours));
	json_num(o, "idle_share", j->idle_share);
	if (j->report != NULL)
		cJSON_AddStringToObject(o, "report", j->report);
	else
		cJSON_AddNullToObject(o, "report");
	return o;
}

static int
write_json(const struct rollup *r, const struct outdir *od)
{
	cJSON *root = cJSON_CreateObject(), *by, *a;
	char t[40], *text;
	FILE *fp;
	int rc;

	time_format_iso(r->since, t);
	cJSON_AddStringToObject(root, "since", t);
	time_format_iso(r->until, t);
	cJSON_AddStringToObject(root, "until", t);
	cJSON_AddItemToObject(root, "total", json_total(r->cfg, &r->all));
	by = cJSON_AddObjectToObject(root, "by");
	for (int k = 0; k < BY_N; k++) {
		a = cJSON_AddArrayToObject(by, rollup_by_key[k]);
		for (size_t i = 0; i < r->nby[k]; i++)
			cJSON_AddItemToArray(a, json_total(r->cfg, &r->by[k][i]));
	}
	a = cJSON_AddArrayToObject(root, "top_jobs");
	for (size_t i = 0; i < r->ntop; i++)
		cJSON_AddItemToArray(a, json_job(&r->jobs[r->top[i]]));
	cJSON_AddNumberToObject(root, "statements", (double)r->statements);
	cJSON_AddNumberToObject(root, "energy_rows", (double)r->rows);
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if ((fp = outdir_fopen(od, "summary.json")) == NULL) {
		free(text);
		return PR_EOUTPUT;
	}
	fputs(text, fp);
	fputc('\n', fp);
	free(text);
	rc = outdir_fclose(fp, "summary.json");
	return rc;
}

static int
write_index(const struct rollup *r, const struct outdir *od, const char *datadir)
{
	char *html;
	FILE *fp;
	int rc = html_page(r->cfg, datadir, "summary.html.tpl", fill_index, r, &html);

	if (rc == PR_OK && (fp = outdir_fopen(od, "index.html")) == NULL)
		rc = PR_EOUTPUT;
	else if (rc == PR_OK) {
		fputs(html, fp);
		rc = outdir_fclose(fp, "index.html");
	}
	free(html);
	return rc;
}

int
rollup_render(const struct rollup *r, const char *parent, const char *datadir,
    char **final)
{
	char *name = xasprintf("summary_%s", r->range);
	struct outdir od;
	int rc;

	rc = outdir_begin(&od, parent, name);
	free(name);
	if (rc == PR_OK)
		outdir_sweep(&od, r->cfg->stale_temporary_s);
	if (rc == PR_OK && (rc = write_csv(r, &od)) == PR_OK &&
	    (rc = write_json(r, &od)) == PR_OK && (rc = write_index(r, &od, datadir)) == PR_OK)
		rc = outdir_commit(&od);
	if (rc != PR_OK)
		outdir_abort(&od);
	else
		*final = xstrdup(od.final);
	outdir_free(&od);
	return rc;
}
