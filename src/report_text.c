/*
 * report_text.c - the words and numbers shared by report.html and
 * report.pdf (report_text.h).
 */
#include "report_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "hostlist.h"

const char text_method[] =
    "Energy is the trapezoidal integral of each power series over the job "
    "window, clipped exactly to its start and end; where samples do not reach "
    "an edge, the nearest value is held to it. A node's total is its "
    "SystemInputPower (wall) energy; CPU, memory, storage, fan and GPU are "
    "their own series, PSU loss is max(0, input - output) and Others is what "
    "the total leaves after all of these (never below zero). Coverage is the "
    "share of the window not inside a gap longer than a few sampling "
    "intervals.";

void
text_fields_free(struct text_fields *f)
{
	strlist_free(&f->label);
	strlist_free(&f->value);
	strlist_free(&f->note);
}

/* Add one field; value and note are taken over (note may be NULL). */
static void
field(struct text_fields *f, const char *label, char *value, char *note)
{
	strlist_add(&f->label, label);
	strlist_add(&f->value, value);
	strlist_add(&f->note, note != NULL ? note : "");
	free(value);
	free(note);
}

static void
field_if(struct text_fields *f, const char *label, const char *value)
{
	if (value != NULL && *value != '\0')
		field(f, label, xstrdup(value), NULL);
}

char *
text_kwh(double joules)
{
	return xasprintf("%.3f", joules_to_kwh(joules));
}

char *
text_power(double watts)
{
	if (isnan(watts))
		return xstrdup("n/a");
	if (fabs(watts) >= 10000)
		return xasprintf("%.1f kW", watts / 1000);
	return xasprintf("%.0f W", watts);
}

char *
text_percent(double fraction)
{
	if (isnan(fraction))
		return xstrdup("n/a");
	if (fraction > 0.999 && fraction < 1)
		return xstrdup("99.9 %");	/* never round a gap away */
	return xasprintf("%.*f %%", fraction == 0 || fraction == 1 ? 0 : 1,
	    fraction * 100);
}

char *
text_time(usec_t t)
{
	char buf[40];

	time_format_iso(t, buf);
	return xasprintf("%s %s", buf, time_zone_abbrev(t));
}

double
text_window_s(const struct report *rep)
{
	return (double)(rep->job->end - rep->job->start) / USEC_PER_SEC;
}

/* Key figures show energy with the precision its size deserves. */
static char *
kwh_figure(double joules)
{
	double kwh = joules_to_kwh(joules);

	return xasprintf("%.*f kWh", kwh >= 100 ? 1 : kwh >= 1 ? 2 : 3, kwh);
}

void
text_header(const struct report *rep, struct text_fields *out)
{
	const struct job *job = rep->job;
	char dur[32];

	if (job->array_job_id != NULL && job->array_task_id != NULL)
		field(out, "Array task", xasprintf("%s_%s", job->array_job_id,
		    job->array_task_id), NULL);
	field_if(out, "Name", job->name);
	field_if(out, "User", job->user);
	field_if(out, "Account", job->account);
	field_if(out, "Partition", job->partition);
	field_if(out, "Cluster", job->cluster);
	field(out, "Nodes", hostlist_compress(&job->nodes),
	    xasprintf("%zu node%s", job->nodes.n, job->nodes.n == 1 ? "" : "s"));
	field(out, "Start", text_time(job->start), NULL);
	field(out, "End", text_time(job->end), NULL);
	time_format_duration(job->end - job->start, dur, sizeof dur);
	field(out, "Duration", xstrdup(dur), NULL);
	field_if(out, "Exit state", job->exit_state);
}

static void
figure_cost(const struct report *rep, struct text_fields *out)
{
	const struct config *cfg = rep->cfg;
	double kwh = joules_to_kwh(rep->energy_j[COMP_TOTAL]);
	const char *cur = cfg->currency != NULL ? cfg->currency : "";

	if (!isnan(cfg->price_per_kwh))
		field(out, "Cost estimate", xasprintf("%.2f %s",
		    kwh * cfg->price_per_kwh, cur),
		    xasprintf("at %g %s per kWh", cfg->price_per_kwh, cur));
	if (!isnan(cfg->co2_g_per_kwh)) {
		double g = kwh * cfg->co2_g_per_kwh;

		field(out, "CO\u2082 estimate", g >= 1000 ?
		    xasprintf("%.2f kg", g / 1000) : xasprintf("%.0f g", g),
		    xasprintf("at %g g CO\u2082e per kWh", cfg->co2_g_per_kwh));
	}
}

void
text_figures(const struct report *rep, struct text_fields *out)
{
	double total = rep->energy_j[COMP_TOTAL];
	double node_hours = text_window_s(rep) / 3600 * (double)rep->job->nodes.n;
	char dur[32];

	time_format_duration(rep->job->end - rep->job->start, dur, sizeof dur);
	field(out, "Total energy", kwh_figure(total),
	    xasprintf("%.1f MJ over %s", total / 1e6, dur));
	field(out, "Average power", text_power(rep->avg_power_w),
	    xstrdup("whole job, wall power"));
	field(out, "Peak power", text_power(rep->peak_power_w),
	    xstrdup("highest job-wide wall power"));
	if (node_hours > 0)
		field(out, "Energy per node-hour", xasprintf("%.3f kWh",
		    joules_to_kwh(total) / node_hours),
		    xasprintf("%.2f node-hours", node_hours));
	if (rep->energy_j[COMP_GPU] > 0 && total > 0)
		field(out, "GPU share", text_percent(rep->energy_j[COMP_GPU] / total),
		    xasprintf("%.3f kWh on GPUs", joules_to_kwh(rep->energy_j[COMP_GPU])));
	figure_cost(rep, out);
}

void
text_breakdown(const struct report *rep, struct text_fields *out)
{
	double total = rep->energy_j[COMP_TOTAL];

	for (int c = COMP_TOTAL + 1; c < COMP_N; c++)
		if (rep->energy_j[c] > 0)
			field(out, component_label[c], text_kwh(rep->energy_j[c]),
			    total > 0 ? text_percent(rep->energy_j[c] / total) : NULL);
	field(out, component_label[COMP_TOTAL], text_kwh(total),
	    total > 0 ? xstrdup("100 %") : NULL);
}

static void
node_missing(const struct node_result *n, struct strlist *out)
{
	if (n->database == NULL)
		strlist_addf(out, "%s: no telemetry source (no configured rule "
		    "matches this host)", n->hostname);
	else if (n->nseries == 0)
		strlist_addf(out, "%s: no samples in the job window (database %s)",
		    n->hostname, n->database);
	else if (!n->has_input)
		strlist_addf(out, "%s: no SystemInputPower samples, so its total "
		    "is unknown", n->hostname);
}

void
text_warnings(const struct report *rep, struct strlist *out)
{
	for (size_t i = 0; i < rep->warnings.n; i++)
		strlist_add(out, rep->warnings.v[i]);
	for (size_t i = 0; i < rep->nnodes; i++) {
		const struct node_result *n = &rep->nodes[i];

		for (size_t w = 0; w < n->warnings.n; w++)
			strlist_addf(out, "%s: %s", n->hostname, n->warnings.v[w]);
		node_missing(n, out);
	}
	if (rep->nignored > 0)
		strlist_addf(out, "%zu samples of hosts outside the job were "
		    "ignored", rep->nignored);
}

bool
text_role_present(const struct report *rep, enum metric_role role)
{
	size_t count;

	for (size_t i = 0; i < rep->nnodes; i++) {
		text_node_coverage(&rep->nodes[i], role, &count);
		if (count > 0)
			return true;
	}
	return false;
}

double
text_node_coverage(const struct node_result *node, enum metric_role role, size_t *count)
{
	double worst = NAN;

	*count = 0;
	for (size_t s = 0; s < node->nseries; s++) {
		const struct series *se = &node->series[s];

		if (se->role != role)
			continue;
		(*count)++;
		if (isnan(worst) || se->coverage < worst)
			worst = se->coverage;
	}
	return worst;
}

bool
text_component_present(const struct report *rep, enum component comp)
{
	for (size_t i = 0; i < rep->nnodes; i++)
		if (rep->nodes[i].energy_j[comp] > 0)
			return true;
	return comp == COMP_TOTAL;
}

enum coverage_level
text_coverage_level(double fraction)
{
	if (isnan(fraction))
		return COV_NONE;
	if (fraction >= 0.999)
		return COV_FULL;
	return fraction >= 0.9 ? COV_PARTIAL : COV_POOR;
}
