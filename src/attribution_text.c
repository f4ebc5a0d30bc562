/*
 * attribution_text.c - how report.html and report.pdf word the job's share
 * of shared nodes, utilisation, idle energy and energy per unit of work
 * (attribution_text.h); the numbers come from attribution.c.
 */
#include "attribution_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "attribution.h"
#include "cpu_efficiency.h"
#include "error.h"
#include "slurm_gres.h"
#include "strbuf.h"
#include "units.h"

static char *
kwh_text(double joules)
{
	char buf[32];

	if (isnan(joules))
		return xstrdup("n/a");
	units_energy(joules, joules, buf, sizeof buf);
	return xstrdup(buf);
}

static char *
percent_text(double fraction)
{
	return isnan(fraction) ? xstrdup("n/a") : xasprintf("%.0f %%", fraction * 100);
}

static size_t
shared_nodes(const struct attribution *a)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n; i++)
		n += a->nodes[i].shared;
	return n;
}

/* What "idle" meant on the nodes of the job. */
static char *
idle_definition(const struct attribution *a)
{
	bool used[IDLE_FROM_N] = { false };

	for (size_t i = 0; i < a->n; i++)
		used[a->nodes[i].idle_from] = true;
	if (used[IDLE_CPU_LOAD] && !used[IDLE_CONFIGURED] && !used[IDLE_LOWEST])
		return xasprintf("CPU load under %.0f %% of the node's CPUs",
		    a->low_load * 100);
	if (!used[IDLE_CPU_LOAD] && !used[IDLE_LOWEST])
		return xasprintf("input power within %.0f %% of the configured "
		    "idle power", a->idle_margin * 100);
	if (!used[IDLE_CPU_LOAD] && !used[IDLE_CONFIGURED])
		return xasprintf("input power within %.0f %% of the node's lowest "
		    "sustained level (no CPU load data)", a->idle_margin * 100);
	return xasprintf("CPU load under %.0f %% of the CPUs, else input power "
	    "within %.0f %% of idle power", a->low_load * 100, a->idle_margin * 100);
}

/* What "idle" meant for the GPUs of the job: their utilisation where a
 * metric gives it, else their power. */
static char *
gpu_idle_definition(const struct attribution *a)
{
	size_t util = 0, power = 0;

	for (size_t i = 0; i < a->n; i++)
		for (size_t k = 0; k < a->nodes[i].ngpus; k++) {
			util += a->nodes[i].gpus[k].from == IDLE_GPU_UTIL;
			power += a->nodes[i].gpus[k].from != IDLE_GPU_UTIL;
		}
	if (power == 0)
		return xasprintf("GPU utilisation under %.0f %%", a->low_load * 100);
	if (util == 0)
		return xasprintf("GPU power within %.0f %% of its idle power",
		    a->idle_margin * 100);
	return xasprintf("GPU utilisation under %.0f %%, else GPU power within %.0f %% "
	    "of its idle power", a->low_load * 100, a->idle_margin * 100);
}

/* "12 % of the job's energy; how" (the share first: a narrow PDF card
 * cuts the value, never the start of the note); takes how over. */
static char *
share_note(double j, double total, const char *of, char *how)
{
	char *note = total > 0 ? xasprintf("%.0f %% of %s; %s", 100 * j / total, of, how) :
	    xstrdup(how);

	free(how);
	return note;
}

static void
idle_figure(const struct report *rep, const struct attribution *a, struct text_fields *out)
{
	if (!isnan(a->idle_j))
		text_field(out, "While idle", kwh_text(a->idle_j), share_note(a->idle_j,
		    rep->energy_j[COMP_TOTAL], "the job's energy", idle_definition(a)));
	if (!isnan(a->gpu_idle_j))
		text_field(out, "While GPUs were idle", kwh_text(a->gpu_idle_j),
		    share_note(a->gpu_idle_j, rep->energy_j[COMP_GPU], "the GPUs' energy",
		    gpu_idle_definition(a)));
}

/* sacct's CPU efficiency, when known, read for the user: "38 %", "most of
 * the 4 CPUs waited: 1.52 busy (sacct)" (the reading first: a narrow PDF
 * card cuts the end of the note), else "3.8 of 4 CPUs busy (sacct)". */
static void
cpu_efficiency_figure(const struct report *rep, struct text_fields *out)
{
	const struct cpu_efficiency *e = rep->cpu_eff;
	double busy;

	if (e == NULL || isnan(e->value))
		return;
	busy = e->value * e->alloc_cpus;
	text_field(out, "CPU efficiency", xasprintf(e->value < 0.095 ? "%.1f %%" : "%.0f %%",
	    e->value * 100), e->value < 0.5 ?
	    xasprintf("most of the %d CPUs waited: %.3g busy (%s)", e->alloc_cpus, busy, e->from) :
	    xasprintf("%.3g of %d CPUs busy (%s)", busy, e->alloc_cpus, e->from));
}

/* "0.012 kWh per GPU-hour" figures, each when its divisor is known. */
static void
per_unit(struct text_fields *out, const char *label, double kwh_per, double units,
    const char *unit)
{
	if (!isnan(kwh_per))
		text_field(out, label, xasprintf("%.4g kWh", kwh_per),
		    xasprintf("%.4g %s", units, unit));
}

void
text_attribution_figures(const struct report *rep, struct text_fields *out)
{
	const struct attribution *a = rep->attr;
	char *label;

	if (a == NULL)
		return;
	if (a->any_shared) {
		char *node = kwh_text(a->node_j[COMP_TOTAL]);

		text_field(out, "Job's share", kwh_text(rep->energy_j[COMP_TOTAL]),
		    xasprintf("of %s its nodes drew; %zu of %zu node%s shared", node,
		    shared_nodes(a), a->n, a->n == 1 ? "" : "s"));
		free(node);
	}
	idle_figure(rep, a, out);
	cpu_efficiency_figure(rep, out);
	per_unit(out, "Per GPU-hour", a->kwh_per_gpu_hour, a->gpu_hours, "GPU-hours");
	per_unit(out, "Per CPU-core-hour", a->kwh_per_core_hour, a->core_hours,
	    "allocated core-hours");
	if (isnan(a->kwh_per_work))
		return;
	label = xasprintf("Per %s", a->work_unit != NULL ? a->work_unit : "unit of work");
	text_field(out, label, xasprintf("%.4g kWh", a->kwh_per_work),
	    xasprintf("%.4g %s", a->work, a->work_unit != NULL ? a->work_unit : "units"));
	free(label);
}

#define MAX_SHARED_LINES 3	/* stretches idle on several nodes at once */
#define MAX_NODE_LINES 4	/* nodes with idle time of their own */

/* One stretch of one node, to group equal stretches across nodes. */
struct node_stretch {
	usec_t t0, t1;
	size_t node;
};

static int
by_time(const void *x, const void *y)
{
	const struct node_stretch *a = x, *b = y;

	if (a->t0 != b->t0)
		return (a->t0 > b->t0) - (a->t0 < b->t0);
	return (a->t1 > b->t1) - (a->t1 < b->t1);
}

/* "14:00-14:05 (start of the job)" */
static char *
stretch_text(const struct report *rep, usec_t t0, usec_t t1)
{
	char *a = text_clock_time(rep, t0), *b = text_clock_time(rep, t1), *s;

	s = xasprintf("%s\u2013%s%s", a, b, t0 <= rep->job->start && t1 >= rep->job->end ?
	    " (the whole job)" : t0 <= rep->job->start ? " (start of the job)" :
	    t1 >= rep->job->end ? " (end of the job)" : "");
	free(a);
	free(b);
	return s;
}

/* Every stretch of every node, sorted by time; *n gets how many. */
static struct node_stretch *
all_stretches(const struct attribution *a, size_t *n)
{
	struct node_stretch *all;
	size_t k = 0;

	*n = 0;
	for (size_t i = 0; i < a->n; i++)
		*n += a->nodes[i].nstretches;
	all = xcalloc(*n + 1, sizeof *all);
	for (size_t i = 0; i < a->n; i++)
		for (size_t s = 0; s < a->nodes[i].nstretches; s++)
			all[k++] = (struct node_stretch){ a->nodes[i].stretches[s].t0,
			    a->nodes[i].stretches[s].t1, i };
	qsort(all, *n, sizeof *all, by_time);
	return all;
}

/* Stretches several nodes share: one line each ("62 of 64 nodes idle
 * 14:00-14:05"), marked in shared[] as not the node's own. */
static void
shared_stretch_lines(const struct report *rep, const struct node_stretch *all,
    size_t n, bool *shared, struct strlist *out)
{
	size_t lines = 0, more = 0;

	for (size_t k = 0; k < n;) {
		size_t e = k;

		while (e < n && all[e].t0 == all[k].t0 && all[e].t1 == all[k].t1)
			e++;
		if (e - k >= 2) {
			char *when = stretch_text(rep, all[k].t0, all[k].t1);

			if (lines++ < MAX_SHARED_LINES)
				strlist_addf(out, "%zu of %zu nodes idle %s", e - k,
				    rep->attr->n, when);
			else
				more++;
			free(when);
			for (size_t m = k; m < e; m++)
				shared[m] = true;
		}
		k = e;
	}
	if (more > 0)
		strlist_addf(out, "%zu more stretches idle on several nodes at once", more);
}

/* The rest node by node: "rpc-91-3 idle 2 h 10 min in 3 stretches". */
static void
own_stretch_lines(const struct report *rep, const struct node_stretch *all,
    size_t n, const bool *shared, struct strlist *out)
{
	const struct attribution *a = rep->attr;
	size_t lines = 0, more = 0;

	for (size_t i = 0; i < a->n; i++) {
		usec_t total = 0;
		size_t count = 0, last = 0;
		char d[32];

		for (size_t k = 0; k < n; k++)
			if (all[k].node == i && !shared[k]) {
				total += all[k].t1 - all[k].t0;
				count++;
				last = k;
			}
		if (count == 0)
			continue;
		if (lines++ >= MAX_NODE_LINES) {
			more++;
			continue;
		}
		if (count == 1) {
			char *when = stretch_text(rep, all[last].t0, all[last].t1);

			strlist_addf(out, "%s idle %s", a->nodes[i].hostname, when);
			free(when);
			continue;
		}
		time_format_duration(total, d, sizeof d);
		strlist_addf(out, "%s idle %s in %zu stretches", a->nodes[i].hostname, d, count);
	}
	if (more > 0)
		strlist_addf(out, "%zu more nodes with idle stretches (summary.json lists "
		    "them all)", more);
}

void
text_idle_stretches(const struct report *rep, struct strlist *out)
{
	size_t n;
	struct node_stretch *all;
	bool *shared;

	if (rep->attr == NULL)
		return;
	all = all_stretches(rep->attr, &n);
	shared = xcalloc(n + 1, sizeof *shared);
	shared_stretch_lines(rep, all, n, shared, out);
	own_stretch_lines(rep, all, n, shared, out);
	free(shared);
	free(all);
}

/* The per-node table needs the database's slurm tables. */
static bool
has_table(const struct attribution *a)
{
	return a != NULL && (a->have_node_jobs || a->have_load || a->have_mem);
}

/* " Idle stretches: a; b; c." from the grouped lines ("" when none). */
static char *
stretches_sentence(const struct report *rep)
{
	struct strlist lines = { 0 };
	struct strbuf sb = { 0 };

	text_idle_stretches(rep, &lines);
	strbuf_puts(&sb, "");
	for (size_t k = 0; k < lines.n; k++)
		strbuf_printf(&sb, "%s%s", k == 0 ? " Idle stretches: " : "; ", lines.v[k]);
	if (lines.n > 0)
		strbuf_puts(&sb, ".");
	strlist_free(&lines);
	return sb.s;
}

void
text_idle_quality(const struct report *rep, struct strlist *out)
{
	char *s;

	if (rep->attr == NULL || has_table(rep->attr))
		return;
	s = stretches_sentence(rep);
	if (*s != '\0')
		strlist_add(out, s + 1);
	free(s);
}

#define MAX_GPU_NODES 2	/* nodes whose GPU indices the sentence lists */

/* "0,1 of 4": the job's GPU indices on node u, of the rule's GPUs. */
static void
gpu_indices_text(struct strbuf *sb, const struct node_usage *u)
{
	const char *sep = "";

	for (int k = 0; k <= GRES_MAX_INDEX; k++)
		if ((u->job_gpus >> k) & 1) {
			strbuf_printf(sb, "%s%d", sep, k);
			sep = ",";
		}
	strbuf_printf(sb, "%s of %zu", *sep ? "" : "none", u->gpu_fqdds->n);
}

/* " GPUs charged by the job's GPUs (0,1 of 4)." or " GPUs charged by CPU
 * share (Slurm did not say which GPUs).", node by node where they differ;
 * "" without a shared node with GPUs. */
static char *
gpu_sentence(const struct attribution *a)
{
	struct strbuf sb = { 0 };
	size_t by_index = 0, by_share = 0;
	const struct node_usage *why = NULL;

	strbuf_puts(&sb, "");
	for (size_t i = 0; i < a->n; i++) {
		const struct node_usage *u = &a->nodes[i];

		if (!u->shared || u->gpu_method == GPU_METHOD_NONE)
			continue;
		if (u->gpu_method == GPU_METHOD_CPU_SHARE) {
			why = why != NULL ? why : u;
			by_share++;
			continue;
		}
		if (by_index++ >= MAX_GPU_NODES)
			continue;
		strbuf_puts(&sb, by_index == 1 ? " GPUs charged by the job's GPUs (" : "; ");
		if (a->n > 1)
			strbuf_printf(&sb, "%s: ", u->hostname);
		gpu_indices_text(&sb, u);
	}
	if (by_index > MAX_GPU_NODES)
		strbuf_printf(&sb, "; %zu more nodes in summary.json", by_index - MAX_GPU_NODES);
	if (by_index > 0)
		strbuf_puts(&sb, ")");
	if (by_share > 0)
		strbuf_printf(&sb, "%s by CPU share (%s%s%s", by_index > 0 ?
		    "; else" : " GPUs charged", a->n > 1 ? why->hostname : "",
		    a->n > 1 ? ": " : "", gpu_why_label[why->gpu_why]);
	if (by_share > 1)
		strbuf_printf(&sb, "; %zu nodes in all", by_share);
	if (by_share > 0)
		strbuf_puts(&sb, ")");
	if (by_index + by_share > 0)
		strbuf_puts(&sb, ".");
	return sb.s;
}

/* The table's note: the method, how GPUs were charged, the idle stretches. */
static char *
table_note(const struct report *rep)
{
	char *s = stretches_sentence(rep), *g = gpu_sentence(rep->attr), *note;

	note = xasprintf("%s%s%s", text_attribution_note(rep), g, s);
	free(s);
	free(g);
	return note;
}

/* The node's memory use as stored: a share for memoryusage (percent of
 * the node's memory), megabytes for memory_used. */
static char *
memory_text(const struct attribution *a, double mem)
{
	if (isnan(mem))
		return xstrdup("n/a");
	if (a->mem_table != NULL && strcmp(a->mem_table, "memoryusage") == 0)
		return percent_text(mem / 100);
	return xasprintf("%.4g MB", mem);
}

/* One unit for the table's energies, set by the largest node's. */
static struct units_fmt
table_fmt(const struct attribution *a)
{
	double max = 0, sum = 0;

	for (size_t i = 0; i < a->n; i++)
		if (!isnan(a->nodes[i].node_j[COMP_TOTAL])) {
			max = fmax(max, a->nodes[i].node_j[COMP_TOTAL]);
			sum += a->nodes[i].node_j[COMP_TOTAL];
		}
	return units_energy_table_fmt(max, sum);
}

void
text_attribution_table(const struct report *rep, struct text_table *t)
{
	const struct attribution *a = rep->attr;
	struct units_fmt f;

	if (!has_table(a))
		return;
	f = table_fmt(a);
	text_table_column(t, "Node", true);
	text_table_column(t, "Job's share", false);
	text_table_unit_column(t, "Job", f);
	text_table_unit_column(t, "Node", f);
	text_table_column(t, "CPU load", false);
	text_table_column(t, "Low-load time", false);
	text_table_column(t, "Memory", false);
	if (a->util[UTIL_GPU].read)
		text_table_column(t, "GPU util", false);
	text_table_unit_column(t, "Idle", f);
	for (size_t i = 0; i < a->n && i < rep->nnodes; i++) {
		const struct node_usage *u = &a->nodes[i];

		text_table_cell(t, xasprintf("%s%s", u->hostname, u->shared ? " (shared)" : ""),
		    TONE_PLAIN);
		text_table_cell(t, percent_text(u->mean_share), TONE_PLAIN);
		text_table_cell(t, text_number(rep->nodes[i].energy_j[COMP_TOTAL], f), TONE_PLAIN);
		text_table_cell(t, text_number(u->node_j[COMP_TOTAL], f), TONE_PLAIN);
		text_table_cell(t, percent_text(u->load_mean), TONE_PLAIN);
		text_table_cell(t, percent_text(u->low_load_share), TONE_PLAIN);
		text_table_cell(t, memory_text(a, u->mem_mean), TONE_PLAIN);
		if (a->util[UTIL_GPU].read)
			text_table_cell(t, percent_text(u->gpu_util_mean), TONE_PLAIN);
		text_table_cell(t, text_number(u->idle_j, f), TONE_PLAIN);
	}
	t->note = table_note(rep);
}

const char *
text_attribution_note(const struct report *rep)
{
	const struct attribution *a = rep->attr;

	if (a != NULL && a->any_shared)
		return "On a node shared with other jobs the job is charged, minute by "
		    "minute, its CPUs' share of every component's energy (slurm.node_jobs). Idle: CPU load under the threshold "
		    "(slurm.cpu_load), else input power near the node's idle power. "
		    "Memory as the database stores it.";
	return "The job had its nodes to itself (or the database does not say who "
	    "shared them): it is charged the whole node. Idle: CPU load under the "
	    "threshold (slurm.cpu_load), else input power near the node's idle power. Memory as the database stores it.";
}
