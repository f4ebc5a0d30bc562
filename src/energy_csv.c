/*
 * energy_csv.c - energy.csv: the energy table for spreadsheets and scripts,
 * one row per node and component, one per GPU, and the job totals.
 *   scope,node,component,device,energy_kwh,node_energy_kwh
 *   node,rpc-91-1,cpu,,1.234,1.234
 *   gpu,rpg-93-1,gpu,Video.Slot.38-1,0.114,0.456
 *   job,,total,,3.21,3.21
 * energy_kwh is the job's part, node_energy_kwh the whole node's: they
 * differ only on nodes the job shared (doc/attribution.md).
 */
#include <stdio.h>

#include "attribution.h"
#include "error.h"
#include "render.h"

static void
component_rows(FILE *fp, const char *scope, const char *node, const double j[COMP_N],
    const double whole[COMP_N])
{
	for (int c = 0; c < COMP_N; c++)
		fprintf(fp, "%s,%s,%s,,%.9g,%.9g\n", scope, node, component_key[c],
		    joules_to_kwh(j[c]), joules_to_kwh(whole[c]));
}

int
render_energy_csv(const struct report *rep, const struct outdir *od)
{
	FILE *fp = outdir_fopen(od, "energy.csv");

	if (fp == NULL)
		return PR_EOUTPUT;
	fputs("scope,node,component,device,energy_kwh,node_energy_kwh\n", fp);
	for (size_t i = 0; i < rep->nnodes; i++) {
		const struct node_result *n = &rep->nodes[i];
		component_rows(fp, "node", n->hostname, n->energy_j,
		    attribution_node_energy(rep, i));
		for (size_t k = 0; k < n->nseries; k++)
			if (n->series[k].role == ROLE_GPU)
				fprintf(fp, "gpu,%s,gpu,%s,%.9g,%.9g\n", n->hostname,
				    n->series[k].fqdd,
				    joules_to_kwh(attribution_series_energy(rep, i, k)),
				    joules_to_kwh(n->series[k].energy_j));
	}
	component_rows(fp, "job", "", rep->energy_j, attribution_total_node_energy(rep));
	return outdir_fclose(fp, "energy.csv");
}
