/*
 * history.h - "this run against earlier runs": the same user's last
 * completed runs of the same job name (or of the same job array) from
 * slurm.jobs, their energies from the database (pg_energy.h), and where
 * this run sits among them.  Cheap and optional: bounded by a time budget,
 * and a failure is one line in the report's data quality, never a failed
 * report.  history_render.c draws it into report.html and report.pdf.
 */
#ifndef PR_HISTORY_H
#define PR_HISTORY_H

#include <stddef.h>

#include "pg_energy.h"
#include "report.h"

struct history_run {
	char *id;
	char *nodelist;		/* "a,b" as slurm.jobs lists them */
	struct energy_job e;	/* window and energy */
};

struct history {
	struct history_run *runs;	/* newest first; this run not among them */
	size_t n;
	double median;		/* kWh per node-hour of the runs with data; NAN */
	size_t nmedian;		/* how many runs it is over */
	char *sentence;		/* "18 % above the median of your last 9 runs", or NULL */
};

/* Look rep's job's earlier runs up when it comes from the database and the
 * job has a user and a name (or an array), into rep->history (NULL when
 * there are none); a failure goes to rep->warnings. */
void history_attach(struct report *rep);
void history_free(struct history *h);

/* kWh per node-hour of energy over node_hours; NAN when unknown. */
double history_per_node_hour(double energy_j, double node_hours);

/* The table both documents show: this run first, then the earlier ones. */
#define HISTORY_COLS 7
extern const char *const history_head[HISTORY_COLS];
/* Row i (0: this run) into cells (HISTORY_COLS strings of 32 bytes); the
 * number of rows is h->n + 1. */
void history_row(const struct report *rep, size_t i, char cells[HISTORY_COLS][32]);
/* Does any row have GPUs (the last column is shown)? */
int history_has_gpus(const struct report *rep);

/* Hooks of the renderers (history_render.c). */
struct tpl;
struct pdf_layout;
void history_html(struct tpl *root, const struct report *rep);
void history_pdf(struct pdf_layout *l, const struct report *rep);

#endif
