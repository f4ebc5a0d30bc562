/*
 * breakdown.c - from each node's integrated series to the energy breakdown
 * users of this telemetry already know (README.md, "How the numbers are
 * computed"): Total is the input
 * power, PSU loss is input minus output, GPU the sum of the node's GPUs,
 * CPU/Memory/Storage/Fans their own series and Others what is left.  Also
 * the job totals and the warnings that tell a reader when a number rests on
 * thin data.
 */
#include "report.h"

#include <math.h>
#include <stdio.h>

#include "error.h"

const char *const component_key[COMP_N] = {
	"total", "cpu", "memory", "storage", "fan", "gpu", "psu_loss", "others"
};

const char *const component_label[COMP_N] = {
	"Total", "CPU", "Memory", "Storage", "Fans", "GPUs", "PSU loss", "Others"
};

#define MIN_COVERAGE 0.9	/* below this a series gets a warning */
#define MAX_NAMED_NODES 5	/* nodes named in one job-wide warning */
#define MAX_BANNER_NODES 3	/* named one by one in the banner, then summed up */

/* The measured parts of a node's energy and the component each goes to. */
static const struct {
	enum metric_role role;
	enum component comp;
} part_of[] = {
	{ ROLE_CPU, COMP_CPU }, { ROLE_MEMORY, COMP_MEMORY },
	{ ROLE_STORAGE, COMP_STORAGE }, { ROLE_FAN, COMP_FAN },
	{ ROLE_GPU, COMP_GPU },
};

/* "PowerConsumption (Video.Slot.38-1)" or just the metric. */
static const char *
series_name(const struct series *s, char *buf, size_t size)
{
	if (s->fqdd == NULL || s->fqdd[0] == '\0')
		return s->metric;
	snprintf(buf, size, "%s (%s)", s->metric, s->fqdd);
	return buf;
}

/* A series worth a coverage warning (one with unknown units gets its own). */
static bool
thin(const struct series *s)
{
	return s->scale != 0 && (s->coverage < MIN_COVERAGE || s->ngaps > 0);
}

/* "72% of the window (3 gaps, longest 4 min)" */
static void
coverage_text(const struct series *s, char *buf, size_t size)
{
	char longest[32];
	int len = snprintf(buf, size, "%.0f%% of the window",
	    floor(s->coverage * 100));

	if (s->ngaps == 0 || len < 0 || (size_t)len >= size)
		return;
	time_format_duration(s->gap_longest, longest, sizeof longest);
	snprintf(buf + len, size - len, " (%zu gap%s, longest %s)", s->ngaps,
	    s->ngaps == 1 ? "" : "s", longest);
}

/* One warning per thin series, or a single one when every usable series of
 * the node has the same gaps (a node that stopped reporting altogether). */
static void
warn_coverage(struct node_result *n)
{
	const struct series *first = NULL;
	size_t usable = 0;
	bool shared = true;
	char name[256], text[128];

	for (size_t i = 0; i < n->nseries; i++) {
		const struct series *s = &n->series[i];

		if (s->scale == 0)
			continue;
		usable++;
		if (first == NULL)
			first = s;
		else if (s->ngaps != first->ngaps || s->gap_total != first->gap_total)
			shared = false;
	}
	if (usable > 1 && shared) {
		if (thin(first)) {
			coverage_text(first, text, sizeof text);
			strlist_addf(&n->warnings, "all %zu series of this node "
			    "cover %s", usable, text);
		}
		return;
	}
	for (size_t i = 0; i < n->nseries; i++) {
		const struct series *s = &n->series[i];

		if (!thin(s))
			continue;
		coverage_text(s, text, sizeof text);
		strlist_addf(&n->warnings, "%s covers %s",
		    series_name(s, name, sizeof name), text);
	}
}

/* Nodes with a usable series of any kind. */
static bool
has_data(const struct node_result *n)
{
	for (size_t i = 0; i < n->nseries; i++)
		if (n->series[i].scale != 0 && n->series[i].nsamples > 0)
			return true;
	return false;
}

/* "PowerConsumption (Video.Slot.38-1): 2 values not finite and 3 outside
 * 0-1500 W dropped" */
static void
warn_dropped(struct node_result *n, const struct series *s)
{
	char name[256], what[160];
	int len = 0;

	if (s->nnonfinite + s->nimplausible == 0)
		return;
	what[0] = '\0';
	if (s->nnonfinite > 0)
		len = snprintf(what, sizeof what, "%zu value%s not finite%s",
		    s->nnonfinite, s->nnonfinite == 1 ? "" : "s",
		    s->nimplausible > 0 ? " and " : "");
	if (s->nimplausible > 0 && len >= 0 && (size_t)len < sizeof what)
		snprintf(what + len, sizeof what - len, "%zu outside %.0f-%.0f W",
		    s->nimplausible, s->lo_w, s->hi_w);
	strlist_addf(&n->warnings, "%s: %s dropped as implausible",
	    series_name(s, name, sizeof name), what);
}

/* Per node: sum the usable series by role, then apply the formulas. */
static void
node_breakdown(struct node_result *n)
{
	double role_j[ROLE_N] = { 0 };
	size_t role_n[ROLE_N] = { 0 };
	double *e = n->energy_j, parts = 0;

	for (int c = 0; c < COMP_N; c++)
		e[c] = 0;
	n->has_data = has_data(n);
	n->has_input = false;
	n->parts_exceed_total = false;
	if (n->nseries == 0) {
		strlist_add(&n->warnings, n->database == NULL ?
		    "no telemetry source: no configured rule matches this node" :
		    "no power data for this node in the job window");
		return;
	}
	warn_coverage(n);
	for (size_t i = 0; i < n->nseries; i++) {
		const struct series *s = &n->series[i];
		char name[256];

		warn_dropped(n, s);
		if (s->scale == 0) {
			strlist_addf(&n->warnings, "%s has unknown units \"%s\": "
			    "left out of the energy figures",
			    series_name(s, name, sizeof name), s->units);
			continue;
		}
		role_j[s->role] += s->energy_j;
		role_n[s->role]++;
	}
	for (size_t i = 0; i < sizeof part_of / sizeof part_of[0]; i++)
		e[part_of[i].comp] = role_j[part_of[i].role];
	n->has_input = role_n[ROLE_INPUT] > 0;
	if (n->has_input && role_n[ROLE_OUTPUT] > 0)
		e[COMP_PSU_LOSS] = fmax(0, role_j[ROLE_INPUT] - role_j[ROLE_OUTPUT]);
	for (int c = COMP_CPU; c < COMP_OTHERS; c++)
		parts += e[c];
	if (!n->has_input) {
		e[COMP_TOTAL] = parts;
		strlist_addf(&n->warnings, "no SystemInputPower: the total "
		    "(%.4g kWh) is the sum of the measured components only",
		    joules_to_kwh(parts));
		return;
	}
	e[COMP_TOTAL] = role_j[ROLE_INPUT];
	e[COMP_OTHERS] = fmax(0, e[COMP_TOTAL] - parts);
	if (parts > e[COMP_TOTAL]) {
		n->parts_exceed_total = true;
		strlist_addf(&n->warnings, "the components add up to %.4g kWh, "
		    "more than the %.4g kWh of input power; Others is shown as 0",
		    joules_to_kwh(parts), joules_to_kwh(e[COMP_TOTAL]));
	}
}

/* A job-wide warning "<what>: 3 of 8 nodes (a, b, c)" over the nodes for
 * which pick() is true; nothing when there are none. */
static void
warn_nodes(struct report *rep, const char *what,
    bool (*pick)(const struct node_result *))
{
	char names[512];
	size_t len = 0, count = 0;

	names[0] = '\0';
	for (size_t i = 0; i < rep->nnodes; i++) {
		if (!pick(&rep->nodes[i]))
			continue;
		if (count < MAX_NAMED_NODES && len < sizeof names)
			len += snprintf(names + len, sizeof names - len, "%s%s",
			    count > 0 ? ", " : "", rep->nodes[i].hostname);
		count++;
	}
	if (count == 0)
		return;
	strlist_addf(&rep->warnings, "%s: %zu of %zu node%s (%s%s)", what,
	    count, rep->nnodes, rep->nnodes == 1 ? "" : "s", names,
	    count > MAX_NAMED_NODES ? ", ..." : "");
}

static bool
lacks_data(const struct node_result *n)
{
	return !n->has_data;
}

static bool
lacks_input(const struct node_result *n)
{
	return n->has_data && !n->has_input;
}

static bool
exceeds_total(const struct node_result *n)
{
	return n->parts_exceed_total;
}

/* Highest input power of any one node, the peak when the timeline has none. */
static double
max_node_input(const struct report *rep)
{
	double peak = NAN;

	for (size_t i = 0; i < rep->nnodes; i++)
		for (size_t j = 0; j < rep->nodes[i].nseries; j++) {
			const struct series *s = &rep->nodes[i].series[j];
			if (s->role == ROLE_INPUT && !isnan(s->max_w) &&
			    (isnan(peak) || s->max_w > peak))
				peak = s->max_w;
		}
	return peak;
}

/* Lowest coverage of the node's input-power series that have samples,
 * NAN when there are none. */
static double
input_coverage(const struct node_result *n)
{
	double cov = NAN;

	for (size_t i = 0; i < n->nseries; i++)
		if (n->series[i].role == ROLE_INPUT && n->series[i].scale != 0 &&
		    n->series[i].nsamples > 0 &&
		    (isnan(cov) || n->series[i].coverage < cov))
			cov = n->series[i].coverage;
	return cov;
}

static bool
thin_input(const struct node_result *n, double threshold)
{
	double cov = input_coverage(n);

	return n->has_data && !isnan(cov) && cov < threshold;
}

/* The banner: one sentence per node while few, then one for all. */
static void
make_banner(struct report *rep)
{
	double threshold = rep->cfg->banner_coverage;
	size_t silent = 0, thin = 0;

	for (size_t i = 0; i < rep->nnodes; i++) {
		silent += !rep->nodes[i].has_data;
		thin += thin_input(&rep->nodes[i], threshold);
	}
	for (size_t i = 0; i < rep->nnodes; i++) {
		const struct node_result *n = &rep->nodes[i];

		if (!n->has_data && silent <= MAX_BANNER_NODES)
			strlist_addf(&rep->banner, "%s sent no telemetry; its energy "
			    "is not in the total.", n->hostname);
		if (thin_input(n, threshold) && thin <= MAX_BANNER_NODES)
			strlist_addf(&rep->banner, "%.0f%% of the window on %s is "
			    "interpolated across gaps.", ceil((1 - input_coverage(n)) * 100),
			    n->hostname);
	}
	if (silent > MAX_BANNER_NODES)
		strlist_addf(&rep->banner, "%zu of %zu nodes sent no telemetry; "
		    "their energy is not in the total.", silent, rep->nnodes);
	if (thin > MAX_BANNER_NODES)
		strlist_addf(&rep->banner, "on %zu of %zu nodes input power covers "
		    "less than %.0f%% of the window; the rest is interpolated across gaps.",
		    thin, rep->nnodes, floor(threshold * 100));
}

void
report_breakdown(struct report *rep)
{
	double seconds = (double)(rep->job->end - rep->job->start) / USEC_PER_SEC;

	for (int c = 0; c < COMP_N; c++)
		rep->energy_j[c] = 0;
	for (size_t i = 0; i < rep->nnodes; i++) {
		node_breakdown(&rep->nodes[i]);
		for (int c = 0; c < COMP_N; c++)
			rep->energy_j[c] += rep->nodes[i].energy_j[c];
	}
	rep->avg_power_w = seconds > 0 ? rep->energy_j[COMP_TOTAL] / seconds : NAN;
	rep->peak_power_w = timeline_peak(&rep->tl, ROLE_INPUT);
	if (isnan(rep->peak_power_w))
		rep->peak_power_w = max_node_input(rep);
	warn_nodes(rep, "no power data", lacks_data);
	warn_nodes(rep, "no SystemInputPower, totals are the sum of the "
	    "measured components", lacks_input);
	warn_nodes(rep, "components add up to more than the input power",
	    exceeds_total);
	make_banner(rep);
}
