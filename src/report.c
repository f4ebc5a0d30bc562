/*
 * report.c - lifetime of the report model (report.h) and its key figures;
 * the breakdown and the banner are computed in breakdown.c.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>


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
		rep->nodes_without_data += !rep->nodes[i].has_data;
	}
	/* per-node figures over the nodes the total covers */
	rep->node_hours = (double)(rep->nnodes - rep->nodes_without_data) * hours;
	rep->kwh_per_node_hour = rep->node_hours > 0 ? kwh / rep->node_hours : NAN;
	rep->gpu_share = kwh > 0 ? rep->energy_j[COMP_GPU] / rep->energy_j[COMP_TOTAL] : NAN;
	rep->cost = kwh * rep->cfg->price_per_kwh;	/* NAN stays NAN */
	rep->co2_kg = kwh * rep->cfg->co2_g_per_kwh / 1000.0;
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
