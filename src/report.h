/*
 * report.h - the report model: everything the renderers (CSV, JSON, charts,
 * HTML, PDF) need, computed once from the streamed samples.  Renderers only
 * read it.
 */
#ifndef PR_REPORT_H
#define PR_REPORT_H

#include <stdbool.h>

#include "config.h"
#include "job.h"
#include "series.h"
#include "strlist.h"
#include "timeline.h"

/* Energy breakdown keys, in the order reports list them. */
enum component {
	COMP_TOTAL, COMP_CPU, COMP_MEMORY, COMP_STORAGE, COMP_FAN, COMP_GPU,
	COMP_PSU_LOSS, COMP_OTHERS, COMP_N
};
extern const char *const component_key[COMP_N];	/* "total", "cpu", ... (JSON/CSV) */
extern const char *const component_label[COMP_N];	/* "Total", "CPU", ... */

struct attribution;
struct cpu_efficiency;
struct trust;

struct node_result {
	char *hostname;
	char *database;		/* NULL: no telemetry source */
	struct series *series;	/* every series seen for the node */
	size_t nseries;
	double energy_j[COMP_N];	/* meaningful only when has_data */
	bool has_data;		/* a usable sample of any series: else the
				 * node's energy is unknown, not zero */
	bool has_input;		/* SystemInputPower present */
	bool parts_exceed_total;
	struct strlist warnings;
};

struct report {
	const struct job *job;
	const struct config *cfg;
	const char *source_name;	/* "postgresql", "csv" */
	struct node_result *nodes;	/* job order */
	size_t nnodes;
	double energy_j[COMP_N];	/* job totals */
	double avg_power_w;		/* total / duration */
	double peak_power_w;		/* peak of job-wide input power */
	/* key figures (report_key_figures) */
	double node_hours;		/* nodes with data x window hours */
	double kwh_per_node_hour;	/* NAN when node_hours is 0 */
	double gpu_share;		/* gpu / total, 0..1; NAN when total is 0 */
	double cost;			/* total kWh x price; NAN when not configured */
	double co2_kg;			/* total kWh x g/kWh / 1000; NAN likewise */
	size_t ngpus;			/* GPU series over all nodes */
	size_t nodes_without_data;	/* nodes with no usable sample */
	size_t nsamples;		/* samples used */
	size_t nignored;		/* samples of hosts not in the job */
	struct strlist warnings;	/* job-wide */
	/* Short sentences for the top of the report when the total rests on
	 * incomplete data: a node without data, input power covering less than
	 * cfg->banner_coverage of the window. */
	struct strlist banner;
	bool has_csv, has_json;		/* this run writes raw_power.csv + energy.csv / summary.json */
	struct timeline tl;
	usec_t generated_at;
	const struct attribution *attr;	/* shares, idle energy, per-unit figures (attribution.h) */
	const struct cpu_efficiency *cpu_eff;	/* sacct's CPU efficiency, or NULL */
	struct trust *trust;	/* trust.h: ranges, cross-checks, tariffs */
	struct history *history;	/* earlier runs (history.h), or NULL */
};

/* Per-node breakdown from its series (the formulas of README.md, "How the
 * numbers are computed") and job totals. */
void report_breakdown(struct report *rep);
/* The derived key figures above, from the totals and the config. */
void report_key_figures(struct report *rep);
void report_free(struct report *rep);

/* Worst coverage among node's series of role, NAN if it has none. */
double report_node_coverage(const struct node_result *node, enum metric_role role);

static inline double
joules_to_kwh(double j)
{
	return j / 3.6e6;
}

#endif
