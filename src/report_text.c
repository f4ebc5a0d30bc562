/*
 * report_text.c - the words and numbers shared by report.html and
 * report.pdf (report_text.h).
 */
#include "report_text.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hostlist.h"
#include "units.h"
#include "trust.h"

char *
text_method(const struct report *rep)
{
	char gap[32];
	char *stretch, *text;

	time_format_duration(rep->tl.gap_threshold, gap, sizeof gap);
	stretch = rep->tl.gap_threshold > 0 ? xasprintf("more than %s", gap) :
	    xstrdup("more than three sampling intervals of the series (the "
	    "median spacing of its samples)");
	text = xasprintf("Energy is the trapezoidal integral of each power "
	    "series over the job window: power runs linearly between samples, "
	    "a segment crossing a window edge is cut exactly there, and where "
	    "samples stop short of an edge the nearest value is held to it. A "
	    "node's total is its SystemInputPower (wall) energy; CPU, memory, "
	    "storage, fan and GPU are their own series, PSU loss is max(0, "
	    "input - output) and Others is what the total leaves after all of "
	    "these (never below zero). Values that are not finite or outside "
	    "the plausible range (0 to 20 kW per node, 1.5 kW per GPU, 5 kW per "
	    "component unless configured) are dropped and counted. Coverage is "
	    "the share of the window not inside a gap, a stretch of %s without "
	    "samples.", stretch);
	free(stretch);
	return text;
}

const char text_note_nodes[] =
    "kWh per component; Total is the wall (SystemInputPower) energy of the node.";

const char text_note_coverage[] =
    "Share of the job window each metric has samples for (the worst device "
    "where a node has several); a dash means the node has no such series.";

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

/* "12.345" kWh with 3 decimals (tables). */
static char *
text_kwh(double joules)
{
	return xasprintf("%.3f", joules_to_kwh(joules));
}

/* "456 W" / "12.3 kW"; NAN: "n/a" (units.h). */
static char *
text_power(double watts)
{
	char buf[32];

	units_power(watts, units_power_scale(watts), buf, sizeof buf);
	return xstrdup(buf);
}

/* "99.8 %"; "0 %" and "100 %" without decimals. */
static char *
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
	size_t n = time_format_iso(t, buf);

	/* "2026-11-20T14:00:00[.ffffff]-06:00" -> date, clock, zone, offset */
	return xasprintf("%.10s %.8s %s (UTC%s)", buf, buf + 11,
	    time_zone_abbrev(t), buf + n - 6);
}

/* Clock time "15:02:31", with the date when it is not the job's first day. */
static char *
clock_time(const struct report *rep, usec_t t)
{
	char day0[40], buf[40];

	time_format_iso(rep->job->start, day0);
	time_format_iso(t, buf);
	if (strncmp(day0, buf, 10) == 0)
		return xasprintf("%.8s", buf + 11);
	return xasprintf("%.10s %.8s", buf, buf + 11);
}

static double
window_s(const struct report *rep)
{
	return (double)(rep->job->end - rep->job->start) / USEC_PER_SEC;
}

/* Key figures show energy with the precision its size deserves (units.h). */
static char *
kwh_figure(double joules)
{
	char buf[32];

	units_energy(joules, joules, buf, sizeof buf);
	return xstrdup(buf);
}

void
text_header(const struct report *rep, struct text_fields *out)
{
	const struct job *job = rep->job;
	char dur[32];

	if (job->array_job_id != NULL && job->array_task_id != NULL)
		field(out, "Array task", xasprintf("%s_%s", job->array_job_id,
		    job->array_task_id), NULL);
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
	const char *cur = cfg->currency != NULL ? cfg->currency : "";

	if (!isnan(rep->cost))
		field(out, "Cost estimate", xasprintf("%.2f %s", rep->cost, cur),
		    xasprintf("at %g %s per kWh", cfg->price_per_kwh, cur));
	if (!isnan(rep->co2_kg))
		field(out, "CO\u2082 estimate", rep->co2_kg >= 1 ?
		    xasprintf("%.2f kg", rep->co2_kg) :
		    xasprintf("%.0f g", rep->co2_kg * 1000),
		    xasprintf("at %g g CO\u2082e per kWh", cfg->co2_g_per_kwh));
}

void
text_figures(const struct report *rep, struct text_fields *out)
{
	double total = rep->energy_j[COMP_TOTAL];
	char dur[32], *range = trust_range_text(rep, SIZE_MAX);

	time_format_duration(rep->job->end - rep->job->start, dur, sizeof dur);
	field(out, "Total energy", kwh_figure(total), range != NULL ?
	    xasprintf("range %s kWh \u00b7 %.1f MJ", range, total / 1e6) :
	    xasprintf("%.1f MJ over %s", total / 1e6, dur));
	free(range);
	field(out, "Average power", text_power(rep->avg_power_w),
	    xstrdup("whole job, wall power"));
	field(out, "Peak power", text_power(rep->peak_power_w),
	    xstrdup("highest job-wide wall power"));
	if (!isnan(rep->kwh_per_node_hour))
		field(out, "Energy per node-hour", xasprintf("%.3f kWh",
		    rep->kwh_per_node_hour),
		    xasprintf("%.2f node-hours", rep->node_hours));
	if (rep->ngpus > 0 && !isnan(rep->gpu_share))
		field(out, "GPU share", text_percent(rep->gpu_share),
		    xasprintf("%.3f kWh on %zu GPU%s", joules_to_kwh(
		    rep->energy_j[COMP_GPU]), rep->ngpus, rep->ngpus == 1 ? "" : "s"));
	figure_cost(rep, out);
}

void
text_breakdown(const struct report *rep, struct text_fields *out,
    enum component *comp)
{
	double total = rep->energy_j[COMP_TOTAL];
	size_t n = 0;

	for (int c = COMP_TOTAL + 1; c < COMP_N; c++)
		if (rep->energy_j[c] > 0) {
			comp[n++] = c;
			field(out, component_label[c], text_kwh(rep->energy_j[c]),
			    total > 0 ? text_percent(rep->energy_j[c] / total) : NULL);
		}
	comp[n] = COMP_TOTAL;
	field(out, component_label[COMP_TOTAL], text_kwh(total),
	    total > 0 ? xstrdup("100 %") : NULL);
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
	}
}

static enum cell_tone
coverage_tone(double fraction)
{
	if (isnan(fraction))
		return TONE_ABSENT;
	if (fraction >= 0.999)
		return TONE_FULL;
	return fraction >= 0.9 ? TONE_PARTIAL : TONE_POOR;
}

void
text_table_free(struct text_table *t)
{
	strlist_free(&t->head);
	strlist_free(&t->cell);
	free(t->text_col);
	free(t->tone);
	memset(t, 0, sizeof *t);
}

static void
column(struct text_table *t, const char *head, bool text)
{
	strlist_add(&t->head, head);
	t->text_col = xrealloc(t->text_col, (t->ncols + 1) * sizeof *t->text_col);
	t->text_col[t->ncols++] = text;
}

/* Append a cell (owned text), rows filling left to right. */
static void
cell(struct text_table *t, char *text, enum cell_tone tone)
{
	if (t->cell.n == t->tone_cap) {
		t->tone_cap = t->tone_cap ? t->tone_cap * 2 : 64;
		t->tone = xrealloc(t->tone, t->tone_cap * sizeof *t->tone);
	}
	t->tone[t->cell.n] = tone;
	strlist_add(&t->cell, text);
	free(text);
	t->nrows = t->cell.n / t->ncols;
}

static void
coverage_cell(struct text_table *t, double fraction)
{
	cell(t, isnan(fraction) ? xstrdup("\u2014") : text_percent(fraction),
	    coverage_tone(fraction));
}

/* Worst coverage among node's series of role, NAN if it has none. */
static double
node_coverage(const struct node_result *node, enum metric_role role)
{
	double worst = NAN;

	for (size_t s = 0; s < node->nseries; s++)
		if (node->series[s].role == role &&
		    !(node->series[s].coverage >= worst))
			worst = node->series[s].coverage;
	return worst;
}

static bool
role_present(const struct report *rep, enum metric_role role)
{
	for (size_t i = 0; i < rep->nnodes; i++)
		if (!isnan(node_coverage(&rep->nodes[i], role)))
			return true;
	return false;
}

static bool
component_present(const struct report *rep, enum component comp)
{
	for (size_t i = 0; i < rep->nnodes; i++)
		if (rep->nodes[i].energy_j[comp] > 0)
			return true;
	return comp == COMP_TOTAL;
}

void
text_node_table(const struct report *rep, struct text_table *t)
{
	double win = window_s(rep);
	bool show[COMP_N];

	column(t, "Node", true);
	for (int c = 0; c < COMP_N; c++)
		if ((show[c] = component_present(rep, c)))
			column(t, component_label[c], false);
	column(t, "Avg power", false);
	column(t, "Input coverage", false);
	for (size_t i = 0; i < rep->nnodes; i++) {
		const struct node_result *n = &rep->nodes[i];

		cell(t, n->database == NULL ?
		    xasprintf("%s (no telemetry source)", n->hostname) :
		    !n->has_data ? xasprintf("%s (no data)", n->hostname) :
		    xstrdup(n->hostname), TONE_PLAIN);
		for (int c = 0; c < COMP_N; c++)
			if (show[c])
				cell(t, !n->has_data ? xstrdup("\u2014") : c == COMP_TOTAL ?
				    trust_total_range(rep, i, text_kwh(n->energy_j[c])) :
				    text_kwh(n->energy_j[c]), TONE_PLAIN);
		cell(t, n->has_input && win > 0 ?
		    text_power(n->energy_j[COMP_TOTAL] / win) : xstrdup("n/a"),
		    TONE_PLAIN);
		coverage_cell(t, node_coverage(n, ROLE_INPUT));
	}
	if (rep->nnodes < 2)
		return;
	cell(t, xstrdup("All nodes"), TONE_PLAIN);
	for (int c = 0; c < COMP_N; c++)
		if (show[c])
			cell(t, c == COMP_TOTAL ? trust_total_range(rep, SIZE_MAX,
			    text_kwh(rep->energy_j[c])) : text_kwh(rep->energy_j[c]), TONE_PLAIN);
	cell(t, text_power(rep->avg_power_w), TONE_PLAIN);
	cell(t, xstrdup(""), TONE_PLAIN);
	t->total_row = true;
}

void
text_gpu_table(const struct report *rep, struct text_table *t)
{
	double win = window_s(rep);

	column(t, "Node", true);
	column(t, "GPU", true);
	column(t, "kWh", false);
	column(t, "Avg power", false);
	column(t, "Peak power", false);
	column(t, "Coverage", false);
	for (size_t i = 0; i < rep->nnodes; i++)
		for (size_t s = 0; s < rep->nodes[i].nseries; s++) {
			const struct series *se = &rep->nodes[i].series[s];

			if (se->role != ROLE_GPU)
				continue;
			cell(t, xstrdup(rep->nodes[i].hostname), TONE_PLAIN);
			cell(t, xstrdup(se->fqdd), TONE_PLAIN);
			cell(t, text_kwh(se->energy_j), TONE_PLAIN);
			cell(t, text_power(win > 0 ? se->energy_j / win : NAN), TONE_PLAIN);
			cell(t, text_power(se->max_w), TONE_PLAIN);
			coverage_cell(t, se->coverage);
		}
}

void
text_coverage_table(const struct report *rep, struct text_table *t)
{
	bool show[ROLE_N];

	column(t, "Node", true);
	for (int r = 0; r < ROLE_N; r++)
		if ((show[r] = role_present(rep, r)))
			column(t, metric_role_label[r], false);
	for (size_t i = 0; i < rep->nnodes; i++) {
		cell(t, xstrdup(rep->nodes[i].hostname), TONE_PLAIN);
		for (int r = 0; r < ROLE_N; r++)
			if (show[r])
				coverage_cell(t, node_coverage(&rep->nodes[i], r));
	}
}

static void
gap_row(struct text_table *t, const struct report *rep, const char *host,
    const struct series *se)
{
	char dur[32], *from, *to;

	cell(t, xstrdup(host), TONE_PLAIN);
	cell(t, xstrdup(se->metric), TONE_PLAIN);
	cell(t, xstrdup(*se->fqdd != '\0' ? se->fqdd : "\u2014"), TONE_PLAIN);
	cell(t, xasprintf("%zu", se->ngaps), TONE_PLAIN);
	time_format_duration(se->gap_total, dur, sizeof dur);
	cell(t, xstrdup(dur), TONE_PLAIN);
	from = clock_time(rep, se->gaps[0].start);
	to = clock_time(rep, se->gaps[0].end);
	cell(t, xasprintf("%s \u2013 %s", from, to), TONE_PLAIN);
	free(from);
	free(to);
}

void
text_gap_table(const struct report *rep, struct text_table *t)
{
	column(t, "Node", true);
	column(t, "Metric", true);
	column(t, "Device", true);
	column(t, "Gaps", false);
	column(t, "Time in gaps", false);
	column(t, "First gap", true);
	for (size_t i = 0; i < rep->nnodes; i++)
		for (size_t s = 0; s < rep->nodes[i].nseries; s++) {
			const struct series *se = &rep->nodes[i].series[s];

			if (se->ngaps == 0)
				continue;
			if (t->nrows < TEXT_MAX_GAP_ROWS)
				gap_row(t, rep, rep->nodes[i].hostname, se);
			else
				t->left_out++;
		}
}

char *
text_data_summary(const struct report *rep)
{
	size_t nseries = 0;

	for (size_t i = 0; i < rep->nnodes; i++)
		nseries += rep->nodes[i].nseries;
	return xasprintf("%zu samples in %zu series of %zu node%s, read from %s.",
	    rep->nsamples, nseries, rep->nnodes, rep->nnodes == 1 ? "" : "s",
	    rep->source_name);
}
