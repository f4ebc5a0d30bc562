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

#include "attribution.h"
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

#define MAX_NODE_LINES 5	/* nodes below the threshold named one by one */
#define MAX_OTHER_LINES 10	/* other node warnings listed */
#define MAX_LISTED_ROWS 16	/* rows of a coverage or GPU table before folding */
#define MAX_GAP_ROWS 10		/* series in the gaps table */
#define GPU_OUTLIER 0.3		/* a GPU this far from the median power is named */
#define MAX_OUTLIERS 8

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
text_number(double value, struct units_fmt f)
{
	char buf[32];

	units_number(value, f, buf, sizeof buf);
	return xstrdup(buf);
}

/* "456 W" / "12.3 kW"; NAN: "n/a" (units.h). */
static char *
text_power(double watts)
{
	char buf[32];

	units_power(watts, units_power_scale(watts), buf, sizeof buf);
	return xstrdup(buf);
}

/* "99.8 %", cut, never rounded up (units.h). */
static char *
text_percent(double fraction)
{
	char buf[16];

	units_percent(fraction, buf, sizeof buf);
	return xstrdup(buf);
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
char *
text_clock_time(const struct report *rep, usec_t t)
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

/* Energy as a figure of its own: unit and digits for its size (units.h). */
static char *
energy_figure(double joules)
{
	char buf[32];

	units_energy(joules, joules, buf, sizeof buf);
	return xstrdup(buf);
}

static size_t
nodes_with_data(const struct report *rep)
{
	return rep->nnodes - rep->nodes_without_data;
}

/* "" or " of the 3 of 4 nodes with data" */
static char *
with_data_note(const struct report *rep)
{
	if (rep->nodes_without_data == 0)
		return xstrdup("");
	return xasprintf(", %zu of %zu nodes (those with data)",
	    nodes_with_data(rep), rep->nnodes);
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

/* Energy per node-hour once the job is long enough for an hour to be its
 * measure; average power per node before. */
static void
figure_per_node(const struct report *rep, struct text_fields *out)
{
	char *with = with_data_note(rep);
	size_t n = nodes_with_data(rep);

	if (window_s(rep) >= 3600 && !isnan(rep->kwh_per_node_hour))
		field(out, "Energy per node-hour",
		    energy_figure(rep->kwh_per_node_hour * 3.6e6),
		    xasprintf("over %.2f node-hours%s", rep->node_hours, with));
	else if (n > 0)
		field(out, "Average power per node",
		    text_power(rep->avg_power_w / n), rep->nodes_without_data ?
		    xasprintf("over the %zu of %zu nodes with data", n, rep->nnodes) :
		    xasprintf("wall power over %zu node%s", n, n == 1 ? "" : "s"));
	free(with);
}

void
text_figures(const struct report *rep, struct text_fields *out)
{
	double total = rep->energy_j[COMP_TOTAL];
	struct units_fmt fmt = units_energy_fmt(total);
	char dur[32], gpu[32], *range = trust_range_text(rep, fmt);
	char *nodes = rep->nodes_without_data ? xasprintf("%zu of %zu nodes, ",
	    nodes_with_data(rep), rep->nnodes) : xstrdup("");

	time_format_duration(rep->job->end - rep->job->start, dur, sizeof dur);
	field(out, "Total energy", energy_figure(total), range != NULL ?
	    xasprintf("range %s %s; %sover %s", range, fmt.unit, nodes, dur) :
	    xasprintf("%sover %s", nodes, dur));
	free(nodes);
	free(range);
	field(out, "Average power", text_power(rep->avg_power_w),
	    xstrdup("whole job, wall power"));
	field(out, "Peak power", text_power(rep->peak_power_w),
	    xstrdup("highest job-wide wall power"));
	figure_per_node(rep, out);
	units_energy(rep->energy_j[COMP_GPU], rep->energy_j[COMP_GPU], gpu,
	    sizeof gpu);
	if (rep->ngpus > 0 && !isnan(rep->gpu_share))
		field(out, "GPU share", text_percent(rep->gpu_share),
		    xasprintf("%s on %zu GPU%s", gpu, rep->ngpus,
		    rep->ngpus == 1 ? "" : "s"));
	figure_cost(rep, out);
}

void
text_breakdown(const struct report *rep, struct text_fields *out,
    enum component *comp)
{
	double total = rep->energy_j[COMP_TOTAL];
	size_t n = 0;
	char buf[32];

	for (int c = COMP_TOTAL + 1; c < COMP_N; c++)
		if (rep->energy_j[c] > 0) {
			comp[n++] = c;
			units_energy(rep->energy_j[c], total, buf, sizeof buf);
			field(out, component_label[c], xstrdup(buf),
			    total > 0 ? text_percent(rep->energy_j[c] / total) : NULL);
		}
	comp[n] = COMP_TOTAL;
	units_energy(total, total, buf, sizeof buf);
	field(out, component_label[COMP_TOTAL], xstrdup(buf),
	    total > 0 ? xstrdup("100 %") : NULL);
}

/* Worst coverage of any usable series of the node, the most gaps one of
 * them has and the longest gap. */
struct node_gaps {
	double coverage;
	size_t ngaps;
	usec_t longest;
};

static struct node_gaps
node_gaps(const struct node_result *n)
{
	struct node_gaps g = { 1, 0, 0 };

	for (size_t s = 0; s < n->nseries; s++) {
		const struct series *se = &n->series[s];

		if (se->scale == 0)
			continue;
		g.coverage = fmin(g.coverage, se->coverage);
		if (se->ngaps > g.ngaps)
			g.ngaps = se->ngaps;
		if (se->gap_longest > g.longest)
			g.longest = se->gap_longest;
	}
	return g;
}

/* A node and its worst coverage, to sort by. */
struct ranked {
	size_t node;
	double coverage;
};

static int
by_coverage(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->coverage;
	double y = ((const struct ranked *)b)->coverage;

	return (x > y) - (x < y);
}

/* The nodes with data, worst coverage first; *n gets how many. */
static size_t *
nodes_by_coverage(const struct report *rep, size_t *n)
{
	struct ranked *r = xcalloc(rep->nnodes + 1, sizeof *r);
	size_t *idx = xcalloc(rep->nnodes + 1, sizeof *idx);

	*n = 0;
	for (size_t i = 0; i < rep->nnodes; i++)
		if (rep->nodes[i].has_data)
			r[(*n)++] = (struct ranked){ i, node_gaps(&rep->nodes[i]).coverage };
	if (*n > 1)
		qsort(r, *n, sizeof *r, by_coverage);
	for (size_t k = 0; k < *n; k++)
		idx[k] = r[k].node;
	free(r);
	return idx;
}

/* "rpc-91-1: 71.0 % covered (3 gaps, longest 20 min)" */
static void
node_gap_line(const struct report *rep, size_t i, struct strlist *out)
{
	struct node_gaps g = node_gaps(&rep->nodes[i]);
	char pct[16], longest[32];

	units_percent(g.coverage, pct, sizeof pct);
	time_format_duration(g.longest, longest, sizeof longest);
	strlist_addf(out, "%s: %s of the window covered (%zu gap%s, longest %s)",
	    rep->nodes[i].hostname, pct, g.ngaps, g.ngaps == 1 ? "" : "s",
	    longest);
}

/* Nodes below the threshold one by one, worst first; the nodes with gaps
 * above it in one line. */
static void
coverage_warnings(const struct report *rep, struct strlist *out)
{
	size_t n, below = 0, above = 0, lo = SIZE_MAX, hi = 0;
	size_t *idx = nodes_by_coverage(rep, &n);
	usec_t longest = 0;
	double worst = 1;
	char pct[16], dur[32], count[48];

	for (size_t k = 0; k < n; k++) {
		struct node_gaps g = node_gaps(&rep->nodes[idx[k]]);

		if (g.coverage < rep->cfg->banner_coverage) {
			if (below++ < MAX_NODE_LINES)
				node_gap_line(rep, idx[k], out);
		} else if (g.ngaps > 0) {
			above++;
			lo = g.ngaps < lo ? g.ngaps : lo;
			hi = g.ngaps > hi ? g.ngaps : hi;
			longest = g.longest > longest ? g.longest : longest;
			worst = fmin(worst, g.coverage);
		}
	}
	if (below > MAX_NODE_LINES)
		strlist_addf(out, "%zu more nodes below %g %% coverage",
		    below - MAX_NODE_LINES, rep->cfg->banner_coverage * 100);
	if (above == 1)		/* one node: by name */
		for (size_t k = 0; k < n; k++)
			if (node_gaps(&rep->nodes[idx[k]]).coverage >=
			    rep->cfg->banner_coverage &&
			    node_gaps(&rep->nodes[idx[k]]).ngaps > 0)
				node_gap_line(rep, idx[k], out);
	free(idx);
	if (above < 2)
		return;
	units_percent(worst, pct, sizeof pct);
	time_format_duration(longest, dur, sizeof dur);
	if (lo == hi)
		snprintf(count, sizeof count, "%zu", lo);
	else
		snprintf(count, sizeof count, "%zu\u2013%zu", lo, hi);
	strlist_addf(out, "%zu of %zu node%s: %s short gap%s each, longest %s, "
	    "at least %s covered", above, rep->nnodes, rep->nnodes == 1 ? "" : "s",
	    count, hi == 1 ? "" : "s", dur, pct);
}

/* Node warnings that are not about coverage (those are summarised above)
 * nor about a node without data (a job-wide warning names those). */
static bool
other_warning(const struct node_result *n, const char *w)
{
	return n->nseries > 0 && strstr(w, " of the window") == NULL;
}

void
text_warnings(const struct report *rep, struct strlist *out)
{
	size_t other = 0;

	for (size_t i = 0; i < rep->warnings.n; i++)
		strlist_add(out, rep->warnings.v[i]);
	coverage_warnings(rep, out);
	for (size_t i = 0; i < rep->nnodes; i++) {
		const struct node_result *n = &rep->nodes[i];

		for (size_t w = 0; w < n->warnings.n; w++)
			if (other_warning(n, n->warnings.v[w]) &&
			    other++ < MAX_OTHER_LINES)
				strlist_addf(out, "%s: %s", n->hostname,
				    n->warnings.v[w]);
	}
	if (other > MAX_OTHER_LINES)
		strlist_addf(out, "%zu more warnings about single nodes are in "
		    "summary.json", other - MAX_OTHER_LINES);
}

/* Coverage at or above the threshold is not highlighted; below it, more
 * strongly the further below. */
static enum cell_tone
coverage_tone(const struct report *rep, double fraction)
{
	double t = rep->cfg->banner_coverage;

	if (isnan(fraction))
		return TONE_ABSENT;
	if (fraction >= t)
		return TONE_FULL;
	return fraction >= 2 * t - 1 ? TONE_PARTIAL : TONE_POOR;
}

void
text_table_free(struct text_table *t)
{
	strlist_free(&t->head);
	strlist_free(&t->cell);
	free(t->text_col);
	free(t->tone);
	free(t->note);
	memset(t, 0, sizeof *t);
}

static void
column(struct text_table *t, const char *head, bool text)
{
	strlist_add(&t->head, head);
	t->text_col = xrealloc(t->text_col, (t->ncols + 1) * sizeof *t->text_col);
	t->text_col[t->ncols++] = text;
}

void
text_table_unit_column(struct text_table *t, const char *label, struct units_fmt f)
{
	char *head = xasprintf("%s (%s)", label, f.unit);

	column(t, head, false);
	free(head);
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

/* The same for the sections other files build (attribution_text.c). */
void
text_field(struct text_fields *f, const char *label, char *value, char *note)
{
	field(f, label, value, note);
}

void
text_table_column(struct text_table *t, const char *head, bool text)
{
	column(t, head, text);
}

void
text_table_cell(struct text_table *t, char *text, enum cell_tone tone)
{
	cell(t, text, tone);
}

static void
coverage_cell(struct text_table *t, const struct report *rep, double fraction)
{
	cell(t, isnan(fraction) ? xstrdup("\u2014") : text_percent(fraction),
	    coverage_tone(rep, fraction));
}

static bool
role_present(const struct report *rep, enum metric_role role)
{
	for (size_t i = 0; i < rep->nnodes; i++)
		if (!isnan(report_node_coverage(&rep->nodes[i], role)))
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

/* The largest energy of any node in the components shown. */
static double
largest_node_energy(const struct report *rep, const bool *show)
{
	double max = 0;

	for (size_t i = 0; i < rep->nnodes; i++)
		for (int c = 0; c < COMP_N; c++)
			if (show[c])
				max = fmax(max, rep->nodes[i].energy_j[c]);
	return max;
}

static void
node_row(struct text_table *t, const struct report *rep,
    const struct node_result *n, const bool *show, struct units_fmt ef,
    struct units_fmt pf)
{
	bool data = n->has_data;
	double win = window_s(rep);

	cell(t, n->database == NULL ?
	    xasprintf("%s (no telemetry source)", n->hostname) :
	    xstrdup(n->hostname), TONE_PLAIN);
	for (int c = 0; c < COMP_N; c++)
		if (show[c])
			cell(t, !data ? xstrdup("no data") :
			    text_number(n->energy_j[c], ef), TONE_PLAIN);
	cell(t, !data ? xstrdup("no data") : n->has_input && win > 0 ?
	    text_number(n->energy_j[COMP_TOTAL] / win, pf) : xstrdup("n/a"),
	    TONE_PLAIN);
	if (data)
		coverage_cell(t, rep, report_node_coverage(n, ROLE_INPUT));
	else
		cell(t, xstrdup("no data"), TONE_POOR);
}

void
text_node_table(const struct report *rep, struct text_table *t)
{
	bool show[COMP_N];
	struct units_fmt ef, pf;
	double top = 0, win = window_s(rep);

	for (int c = 0; c < COMP_N; c++)
		show[c] = component_present(rep, c);
	ef = units_energy_table_fmt(largest_node_energy(rep, show),
	    rep->energy_j[COMP_TOTAL]);
	for (size_t i = 0; i < rep->nnodes; i++)
		top = fmax(top, rep->nodes[i].energy_j[COMP_TOTAL] / win);
	pf = units_power_fmt(fmax(top, rep->avg_power_w));
	if (pf.per > 1)		/* kW: the nodes' digits; W stay whole */
		units_fit_decimals(&pf, top);
	column(t, "Node", true);
	for (int c = 0; c < COMP_N; c++)
		if (show[c])
			text_table_unit_column(t, component_label[c], ef);
	text_table_unit_column(t, "Avg power", pf);
	column(t, "Input coverage", false);
	for (size_t i = 0; i < rep->nnodes; i++)
		node_row(t, rep, &rep->nodes[i], show, ef, pf);
	t->note = xasprintf("Energy per component in %s; Total is the wall "
	    "(SystemInputPower) energy of the node.%s%s", ef.unit,
	    rep->nodes_without_data > 0 ? " Nodes that sent no data are not "
	    "in the total." : "", rep->trust != NULL ? " Each node's range is in "
	    "summary.json (energy_kwh_low, energy_kwh_high)." : "");
	if (rep->nnodes < 2)
		return;
	cell(t, rep->nodes_without_data > 0 ? xasprintf("%zu nodes with data",
	    nodes_with_data(rep)) : xstrdup("All nodes"), TONE_PLAIN);
	for (int c = 0; c < COMP_N; c++)
		if (show[c])
			cell(t, c == COMP_TOTAL ? trust_total_range(rep,
			    text_number(rep->energy_j[c], ef), ef) :
			    text_number(rep->energy_j[c], ef), TONE_PLAIN);
	cell(t, text_number(rep->avg_power_w, pf), TONE_PLAIN);
	cell(t, xstrdup(""), TONE_PLAIN);
	t->total_row = true;
}

static bool
is_gpu(const struct series *s)
{
	return s->role == ROLE_GPU;
}

static void
gpu_rows(const struct report *rep, struct text_table *t, struct units_fmt ef,
    struct units_fmt pf)
{
	double win = window_s(rep);

	for (size_t i = 0; i < rep->nnodes; i++)
		for (size_t s = 0; s < rep->nodes[i].nseries; s++) {
			const struct series *se = &rep->nodes[i].series[s];

			if (!is_gpu(se))
				continue;
			cell(t, xstrdup(rep->nodes[i].hostname), TONE_PLAIN);
			cell(t, xstrdup(se->fqdd), TONE_PLAIN);
			cell(t, text_number(attribution_series_energy(rep, i, s), ef),
			    TONE_PLAIN);
			cell(t, text_number(win > 0 ? se->energy_j / win : NAN, pf),
			    TONE_PLAIN);
			cell(t, text_number(se->max_w, pf), TONE_PLAIN);
			coverage_cell(t, rep, se->coverage);
		}
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of v[0..n) (sorted in place). */
static double
median(double *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Average power of every GPU of node (or of all nodes when node is NULL)
 * into v; returns how many. */
static size_t
gpu_powers(const struct report *rep, const struct node_result *node, double *v)
{
	double win = window_s(rep);
	size_t n = 0;

	for (size_t i = 0; i < rep->nnodes; i++) {
		const struct node_result *nd = &rep->nodes[i];

		if (node != NULL && nd != node)
			continue;
		for (size_t s = 0; s < nd->nseries; s++)
			if (is_gpu(&nd->series[s]))
				v[n++] = win > 0 ? nd->series[s].energy_j / win : NAN;
	}
	return n;
}

/* The node's GPUs whose average power is far from the job's median mid,
 * as "host fqdd 150 W" into odd (the first MAX_OUTLIERS); returns their
 * energy summed and counts them in *nodd. */
static double
gpu_outliers(const struct report *rep, const struct node_result *nd, double mid,
    struct units_fmt pf, struct strlist *odd, size_t *nodd)
{
	double win = window_s(rep), e = 0;
	char w[32];

	for (size_t s = 0; s < nd->nseries; s++) {
		const struct series *se = &nd->series[s];
		double p = win > 0 ? se->energy_j / win : NAN;

		if (!is_gpu(se))
			continue;
		e += attribution_series_energy(rep, (size_t)(nd - rep->nodes), s);
		if (fabs(p - mid) > GPU_OUTLIER * mid && (*nodd)++ < MAX_OUTLIERS) {
			units_number(p, pf, w, sizeof w);
			strlist_addf(odd, "%s %s %s %s", nd->hostname, se->fqdd, w,
			    pf.unit);
		}
	}
	return e;
}

/* One row per node: its GPUs' energy, their average power's min / median /
 * max, the worst coverage; GPUs far from the job's median are named in
 * the note. */
static void
gpu_folded(const struct report *rep, struct text_table *t, struct units_fmt ef,
    struct units_fmt pf)
{
	double *v = xcalloc(rep->ngpus + 1, sizeof *v), mid;
	struct strlist odd = { 0 };
	size_t nodd = 0;
	char w[32], *list;

	mid = median(v, gpu_powers(rep, NULL, v));
	for (size_t i = 0; i < rep->nnodes; i++) {
		const struct node_result *nd = &rep->nodes[i];
		size_t n = gpu_powers(rep, nd, v);
		double e, med;

		if (n == 0)
			continue;
		e = gpu_outliers(rep, nd, mid, pf, &odd, &nodd);
		med = median(v, n);	/* sorts v: min first, max last */
		cell(t, xstrdup(nd->hostname), TONE_PLAIN);
		cell(t, xasprintf("%zu", n), TONE_PLAIN);
		cell(t, text_number(e, ef), TONE_PLAIN);
		cell(t, text_number(v[0], pf), TONE_PLAIN);
		cell(t, text_number(med, pf), TONE_PLAIN);
		cell(t, text_number(v[n - 1], pf), TONE_PLAIN);
		coverage_cell(t, rep, report_node_coverage(nd, ROLE_GPU));
	}
	units_number(mid, pf, w, sizeof w);
	list = nodd > 0 ? strlist_join(&odd, ", ") : xstrdup("none");
	t->note = xasprintf("%zu GPUs, one row per node (every GPU is in "
	    "summary.json and energy.csv). GPUs whose average power is more than "
	    "%.0f %% from the median GPU's %s %s: %s%s.", rep->ngpus,
	    GPU_OUTLIER * 100, w, pf.unit, list, nodd > MAX_OUTLIERS ?
	    " and more" : "");
	free(list);
	strlist_free(&odd);
	free(v);
}

static const char shared_gpu_note[] = "On nodes shared with other jobs the energy is "
	"the job's part of each GPU (as the method above says); power is the GPU's as measured.";

void
text_gpu_table(const struct report *rep, struct text_table *t)
{
	bool folded = rep->ngpus > MAX_LISTED_ROWS;
	bool shared = rep->attr != NULL && rep->attr->any_shared;
	double emax = 0, pmax = 0;
	struct units_fmt ef, pf;

	for (size_t i = 0; i < rep->nnodes; i++) {
		double node_e = 0;

		for (size_t s = 0; s < rep->nodes[i].nseries; s++)
			if (is_gpu(&rep->nodes[i].series[s])) {
				node_e += rep->nodes[i].series[s].energy_j;
				emax = fmax(emax, folded ? node_e :
				    rep->nodes[i].series[s].energy_j);
				pmax = fmax(pmax, rep->nodes[i].series[s].max_w);
			}
	}
	ef = units_energy_fmt(emax);
	pf = units_power_fmt(pmax);
	column(t, "Node", true);
	if (!folded) {
		column(t, "GPU", true);
		text_table_unit_column(t, shared ? "Job's energy" : "Energy", ef);
		text_table_unit_column(t, "Avg power", pf);
		text_table_unit_column(t, "Peak power", pf);
		column(t, "Coverage", false);
		gpu_rows(rep, t, ef, pf);
		if (shared)
			t->note = xstrdup(shared_gpu_note);
		return;
	}
	column(t, "GPUs", false);
	text_table_unit_column(t, shared ? "Job's energy" : "Energy", ef);
	text_table_unit_column(t, "Avg min", pf);
	text_table_unit_column(t, "Avg median", pf);
	text_table_unit_column(t, "Avg max", pf);
	column(t, "Worst coverage", false);
	gpu_folded(rep, t, ef, pf);
	if (shared) {
		char *note = xasprintf("%s %s", t->note, shared_gpu_note);

		free(t->note);
		t->note = note;
	}
}

static void
coverage_row(struct text_table *t, const struct report *rep, size_t i,
    const bool *show)
{
	cell(t, xstrdup(rep->nodes[i].hostname), TONE_PLAIN);
	for (int r = 0; r < ROLE_N; r++)
		if (show[r])
			coverage_cell(t, rep, report_node_coverage(&rep->nodes[i], r));
}

void
text_coverage_table(const struct report *rep, struct text_table *t)
{
	bool show[ROLE_N];
	size_t n, *idx = nodes_by_coverage(rep, &n), listed = 0;

	column(t, "Node", true);
	for (int r = 0; r < ROLE_N; r++)
		if ((show[r] = role_present(rep, r)))
			column(t, metric_role_label[r], false);
	for (size_t k = 0; k < n; k++)
		if (n <= MAX_LISTED_ROWS ||
		    node_gaps(&rep->nodes[idx[k]]).coverage < rep->cfg->banner_coverage) {
			coverage_row(t, rep, idx[k], show);
			listed++;
		}
	t->note = xstrdup("Share of the job window each metric has samples for "
	    "(the worst device where a node has several), worst node first; a "
	    "dash means the node has no such series.");
	if (listed < n) {
		char *more = xasprintf("%s Only nodes below %g %% are listed; the "
		    "other %zu are at or above it on every metric (summary.json "
		    "has every node).", t->note, rep->cfg->banner_coverage * 100,
		    n - listed);

		free(t->note);
		t->note = more;
	}
	free(idx);
}

/* A series with gaps: node and series index. */
struct gapped {
	size_t node, series;
	usec_t total;
};

/* Most time in gaps first; a node's series side by side. */
static int
by_gap_total(const void *a, const void *b)
{
	const struct gapped *x = a, *y = b;

	if (x->total != y->total)
		return (x->total < y->total) - (x->total > y->total);
	return (x->node > y->node) - (x->node < y->node);
}

/* Whether two series had the same gaps (a node that stopped reporting). */
static bool
same_gaps(const struct report *rep, const struct gapped *a, const struct gapped *b)
{
	const struct series *x = &rep->nodes[a->node].series[a->series];
	const struct series *y = &rep->nodes[b->node].series[b->series];

	return a->node == b->node && x->ngaps == y->ngaps &&
	    x->gap_total == y->gap_total && x->gaps[0].start == y->gaps[0].start;
}

/* One row for n series of a node with the same gaps (g[0] stands for
 * them). */
static void
gap_row(struct text_table *t, const struct report *rep, const struct gapped *g,
    size_t n)
{
	const struct node_result *node = &rep->nodes[g->node];
	const struct series *se = &node->series[g->series];
	char dur[32], *from, *to;

	cell(t, xstrdup(node->hostname), TONE_PLAIN);
	cell(t, n == 1 ? xstrdup(se->metric) : n == node->nseries ?
	    xasprintf("all %zu series", n) : xasprintf("%zu series", n),
	    TONE_PLAIN);
	cell(t, xstrdup(n == 1 && *se->fqdd != '\0' ? se->fqdd : "\u2014"),
	    TONE_PLAIN);
	cell(t, xasprintf("%zu", se->ngaps), TONE_PLAIN);
	time_format_duration(se->gap_total, dur, sizeof dur);
	cell(t, xstrdup(dur), TONE_PLAIN);
	from = text_clock_time(rep, se->gaps[0].start);
	to = text_clock_time(rep, se->gaps[0].end);
	cell(t, xasprintf("%s \u2013 %s", from, to), TONE_PLAIN);
	free(from);
	free(to);
}

void
text_gap_table(const struct report *rep, struct text_table *t)
{
	struct gapped *g = NULL;
	size_t n = 0, cap = 0, run;
	bool left_out = false;

	column(t, "Node", true);
	column(t, "Metric", true);
	column(t, "Device", true);
	column(t, "Gaps", false);
	column(t, "Time in gaps", false);
	column(t, "First gap", true);
	for (size_t i = 0; i < rep->nnodes; i++)
		for (size_t s = 0; s < rep->nodes[i].nseries; s++) {
			if (rep->nodes[i].series[s].ngaps == 0)
				continue;
			if (n == cap)
				g = xrealloc(g, (cap = cap * 2 + 16) * sizeof *g);
			g[n++] = (struct gapped){ i, s, rep->nodes[i].series[s].gap_total };
		}
	if (n > 1)
		qsort(g, n, sizeof *g, by_gap_total);
	for (size_t k = 0; k < n; k += run) {
		for (run = 1; k + run < n && same_gaps(rep, &g[k], &g[k + run]); run++)
			;
		if (t->nrows < MAX_GAP_ROWS)
			gap_row(t, rep, &g[k], run);
		else
			left_out = true;
	}
	if (left_out)
		t->note = xasprintf("The rows with the most time in gaps, of %zu "
		    "series with gaps; summary.json lists every gap.", n);
	free(g);
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
