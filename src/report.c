/*
 * report.c - lifetime of the report model (report.h), its key figures and
 * banner; the breakdown itself is computed in breakdown.c.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "units.h"

#define NAMED_IN_BANNER 3	/* nodes a banner sentence names */

double
report_node_coverage(const struct node_result *node, enum metric_role role)
{
	double worst = NAN;

	for (size_t s = 0; s < node->nseries; s++)
		if (node->series[s].role == role &&
		    !(node->series[s].coverage >= worst))
			worst = node->series[s].coverage;
	return worst;
}

bool
report_node_has_data(const struct node_result *node)
{
	for (size_t j = 0; j < node->nseries; j++)
		if (node->series[j].nsamples > 0)
			return true;
	return false;
}

static bool
silent(const struct report *rep, size_t i)
{
	return !report_node_has_data(&rep->nodes[i]);
}

static bool
thin_input(const struct report *rep, size_t i)
{
	return report_node_coverage(&rep->nodes[i], ROLE_INPUT) <
	    rep->coverage_threshold;
}

/* "a", "a and b", "a, b and c", "a, b, c and 4 more" of the nodes picked;
 * *count gets how many. */
static char *
node_names(const struct report *rep, bool (*pick)(const struct report *, size_t),
    size_t *count)
{
	struct strlist names = { 0 };
	char *s, *last;

	*count = 0;
	for (size_t i = 0; i < rep->nnodes; i++)
		if (pick(rep, i) && (*count)++ < NAMED_IN_BANNER)
			strlist_add(&names, rep->nodes[i].hostname);
	if (*count > names.n)
		strlist_addf(&names, "%zu more", *count - names.n);
	if (names.n < 2)
		return xstrdup(names.n == 1 ? names.v[0] : "");
	names.n--;
	s = strlist_join(&names, ", ");
	names.n++;
	last = xasprintf("%s and %s", s, names.v[names.n - 1]);
	free(s);
	strlist_free(&names);
	return last;
}

static void
banner(struct report *rep)
{
	size_t n;
	char *names = node_names(rep, silent, &n), pct[16];
	double worst = 1;
	size_t at = 0;

	if (n > 0)
		strlist_addf(&rep->banner, "%s sent no telemetry; %s energy is "
		    "not in the total.", names, n == 1 ? "its" : "their");
	free(names);
	names = node_names(rep, thin_input, &n);
	for (size_t i = 0; i < rep->nnodes; i++) {
		double c = report_node_coverage(&rep->nodes[i], ROLE_INPUT);

		if (c < worst) {
			worst = c;
			at = i;
		}
	}
	units_percent(1 - worst, pct, sizeof pct);
	if (n == 1)
		strlist_addf(&rep->banner, "%s of the window on %s is "
		    "interpolated across gaps in its input power.", pct, names);
	else if (n > 1)
		strlist_addf(&rep->banner, "On %s, more than %g %% of the window "
		    "is interpolated across gaps in the input power (up to %s "
		    "on %s).", names, round((1 - rep->coverage_threshold) * 1000) / 10,
		    pct, rep->nodes[at].hostname);
	free(names);
}

void
report_key_figures(struct report *rep)
{
	double hours = (double)(rep->job->end - rep->job->start) / 3600e6;
	double kwh = joules_to_kwh(rep->energy_j[COMP_TOTAL]);

	rep->ngpus = 0;
	rep->nodes_without_data = 0;
	for (size_t i = 0; i < rep->nnodes; i++) {
		for (size_t j = 0; j < rep->nodes[i].nseries; j++)
			rep->ngpus += rep->nodes[i].series[j].role == ROLE_GPU;
		rep->nodes_without_data += silent(rep, i);
	}
	rep->node_hours = (double)(rep->nnodes - rep->nodes_without_data) * hours;
	rep->kwh_per_node_hour = rep->node_hours > 0 ? kwh / rep->node_hours : NAN;
	rep->gpu_share = kwh > 0 ? rep->energy_j[COMP_GPU] / rep->energy_j[COMP_TOTAL] : NAN;
	rep->cost = kwh * rep->cfg->price_per_kwh;	/* NAN stays NAN */
	rep->co2_kg = kwh * rep->cfg->co2_g_per_kwh / 1000.0;
	if (!(rep->coverage_threshold > 0))
		rep->coverage_threshold = REPORT_COVERAGE_THRESHOLD;
	strlist_free(&rep->banner);
	banner(rep);
}

void
report_free(struct report *rep)
{
	for (size_t i = 0; i < rep->nnodes; i++) {
		struct node_result *n = &rep->nodes[i];
		for (size_t j = 0; j < n->nseries; j++)
			series_free(&n->series[j]);
		free(n->series);
		free(n->hostname);
		free(n->database);
		strlist_free(&n->warnings);
	}
	free(rep->nodes);
	free(rep->tl.node_names);
	rep->tl.node_names = NULL;
	timeline_free(&rep->tl);
	strlist_free(&rep->warnings);
	strlist_free(&rep->banner);
	rep->nodes = NULL;
	rep->nnodes = 0;
}
