/*
 * energy_csv.c - energy.csv: the energy table for spreadsheets and scripts,
 * one row per node and component, one per GPU, and the job totals.
 *   scope,node,component,device,energy_kwh,node_energy_kwh
 *   node,rpc-91-1,cpu,,1.234,1.234
 *   gpu,rpg-93-1,gpu,Video.Slot.38-1,0.114,0.456
 *   job,,total,,3.21,3.21
 * energy_kwh is the job's part, node_energy_kwh the whole node's: they
 * differ only on nodes the job shared (doc/attribution.md).
 * Text fields are quoted per RFC 4180 and guarded against formulas like
 * raw_power.csv's (csv_write_text), so a hostile device name cannot shift a
 * column or run in a spreadsheet.  A node that sent no data has empty
 * energies: unknown, not zero (summary.json says why).
 */
#include <math.h>
#include <stdio.h>

#include "attribution.h"
#include "error.h"
#include "rawcsv.h"
#include "render.h"

/* One row; energy NAN leaves the cell empty. */
static void
row(FILE *fp, const char *scope, const char *node, const char *component,
    const char *device, double kwh, double node_kwh)
{
	fprintf(fp, "%s,", scope);
	csv_write_text(fp, node);
	fprintf(fp, ",%s,", component);
	csv_write_text(fp, device);
	if (isnan(kwh))
		fputs(",,\n", fp);
	else
		fprintf(fp, ",%.9g,%.9g\n", kwh, node_kwh);
}

static void
component_rows(FILE *fp, const char *scope, const char *node, const double j[COMP_N],
    const double whole[COMP_N], bool known)
{
	for (int c = 0; c < COMP_N; c++)
		row(fp, scope, node, component_key[c], "",
		    known ? joules_to_kwh(j[c]) : NAN, joules_to_kwh(whole[c]));
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
		    attribution_node_energy(rep, i), n->has_data);
		for (size_t k = 0; k < n->nseries; k++)
			if (n->series[k].role == ROLE_GPU)
				row(fp, "gpu", n->hostname, "gpu", n->series[k].fqdd,
				    n->series[k].nsamples > 0 ?
				    joules_to_kwh(attribution_series_energy(rep, i, k)) : NAN,
				    joules_to_kwh(n->series[k].energy_j));
	}
	component_rows(fp, "job", "", rep->energy_j, attribution_total_node_energy(rep), true);
	return outdir_fclose(fp, "energy.csv");
}
