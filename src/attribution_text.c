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
#include "error.h"
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

/* "1.2 kWh (12 %)": j and its share of total. */
static char *
kwh_share_text(double j, double total)
{
	char *k = kwh_text(j), *value;

	value = total > 0 ? xasprintf("%s (%.0f %%)", k, 100 * j / total) : xstrdup(k);
	free(k);
	return value;
}

static void
idle_figure(const struct report *rep, const struct attribution *a, struct text_fields *out)
{
	if (!isnan(a->idle_j))
		text_field(out, "While idle", kwh_share_text(a->idle_j,
		    rep->energy_j[COMP_TOTAL]), idle_definition(a));
	if (!isnan(a->gpu_idle_j))
		text_field(out, "While GPUs were idle", kwh_share_text(a->gpu_idle_j,
		    rep->energy_j[COMP_GPU]), xasprintf("of the GPUs' energy; GPU power "
		    "within %.0f %% of its idle power", a->idle_margin * 100));
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

static char *
number_or_na(double v, const char *fmt)
{
	return isnan(v) ? xstrdup("n/a") : xasprintf(fmt, v);
}

void
text_attribution_table(const struct report *rep, struct text_table *t)
{
	const struct attribution *a = rep->attr;

	if (a == NULL || !(a->have_node_jobs || a->have_load || a->have_mem))
		return;
	text_table_column(t, "Node", true);
	text_table_column(t, "Job's share", false);
	text_table_column(t, "Job kWh", false);
	text_table_column(t, "Node kWh", false);
	text_table_column(t, "CPU load", false);
	text_table_column(t, "Low-load time", false);
	text_table_column(t, "Memory", false);
	text_table_column(t, "Idle kWh", false);
	for (size_t i = 0; i < a->n && i < rep->nnodes; i++) {
		const struct node_usage *u = &a->nodes[i];

		text_table_cell(t, xasprintf("%s%s", u->hostname, u->shared ? " (shared)" : ""),
		    TONE_PLAIN);
		text_table_cell(t, percent_text(u->mean_share), TONE_PLAIN);
		text_table_cell(t, kwh_text(rep->nodes[i].energy_j[COMP_TOTAL]), TONE_PLAIN);
		text_table_cell(t, kwh_text(u->node_j[COMP_TOTAL]), TONE_PLAIN);
		text_table_cell(t, percent_text(u->load_mean), TONE_PLAIN);
		text_table_cell(t, percent_text(u->low_load_share), TONE_PLAIN);
		text_table_cell(t, number_or_na(u->mem_mean, "%.4g"), TONE_PLAIN);
		text_table_cell(t, kwh_text(u->idle_j), TONE_PLAIN);
	}
	t->note = xstrdup(text_attribution_note(rep));
}

const char *
text_attribution_note(const struct report *rep)
{
	const struct attribution *a = rep->attr;

	if (a != NULL && a->any_shared)
		return "On a node shared with other jobs the job is charged, minute by "
		    "minute, its CPUs' share of every component's energy (slurm.node_jobs); "
		    "GPUs by the same CPU share. Idle: CPU load under the threshold "
		    "(slurm.cpu_load). Memory as the database stores it.";
	return "The job had its nodes to itself (or the database does not say who "
	    "shared them): it is charged the whole node. Idle: CPU load under the "
	    "threshold (slurm.cpu_load), else input power near the node's idle power. Memory as the database stores it.";
}
