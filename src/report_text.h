/*
 * report_text.h - the words and numbers report.html and report.pdf both
 * print: header fields, key figures, the breakdown, coverage and warnings,
 * formatted once so the two documents never disagree.
 */
#ifndef PR_REPORT_TEXT_H
#define PR_REPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"
#include "strlist.h"
#include "units.h"

/* Labelled values: label[i] / value[i] / note[i] ("" when no note). */
struct text_fields {
	struct strlist label, value, note;
};

void text_fields_free(struct text_fields *f);

/* User, account, partition, nodes, start, end, duration, exit state...:
 * only what is known (the job id and name are the documents' titles). */
void text_header(const struct report *rep, struct text_fields *out);
/* Total energy, average and peak power, energy per node-hour, GPU share,
 * cost and CO2 (when configured). */
void text_figures(const struct report *rep, struct text_fields *out);
/* Component, kWh and share of the total, for every component with energy,
 * the total last; comp[i] (room for COMP_N) says which component row i is. */
void text_breakdown(const struct report *rep, struct text_fields *out,
    enum component *comp);
/* The warnings, a few lines at any job size: job-wide ones, the nodes
 * below the coverage threshold (worst first), one line for all the nodes
 * with short gaps, then other node warnings (summary.json has them all). */
void text_warnings(const struct report *rep, struct strlist *out);

/* The method, in three sentences (malloc'd). */
char *text_method(const struct report *rep);

/* "2026-11-21 10:00:05 CST (UTC-06:00)" in the display zone. */
char *text_time(usec_t t);
/* Clock time "15:02:31", with the date when not the job's first day. */
char *text_clock_time(const struct report *rep, usec_t t);

/* How a table cell is shaded: coverage cells by how complete they are
 * (at or above the report's threshold, a little below, far below, no such
 * series). */
enum cell_tone { TONE_PLAIN, TONE_FULL, TONE_PARTIAL, TONE_POOR, TONE_ABSENT };

/* A table both documents draw: column heads, which columns are text
 * (left-aligned; the others are numbers), and the cells row by row (the
 * first cell of a row names it).  Number columns carry their unit in the
 * head ("CPU (kWh)"), one per column.  note says what the table leaves out
 * and where the rest is (NULL: nothing to say). */
struct text_table {
	size_t ncols, nrows;
	struct strlist head;
	bool *text_col;
	struct strlist cell;		/* nrows * ncols */
	enum cell_tone *tone;		/* per cell */
	size_t tone_cap;
	char *note;
	bool total_row;			/* the last row sums the others */
};

void text_table_free(struct text_table *t);
/* Building blocks for sections made elsewhere: a field (value and note
 * taken over, note may be NULL), a column, a cell (text taken over). */
void text_field(struct text_fields *f, const char *label, char *value, char *note);
void text_table_column(struct text_table *t, const char *head, bool text);
void text_table_cell(struct text_table *t, char *text, enum cell_tone tone);
/* A number column headed "label (unit)", and a figure for it in f without
 * the unit (malloc'd; "n/a" for NAN). */
void text_table_unit_column(struct text_table *t, const char *label, struct units_fmt f);
char *text_number(double value, struct units_fmt f);
/* Energy per node and component, average power, input coverage ("no data"
 * for a silent node); a total row over the nodes with data for multi-node
 * jobs. */
void text_node_table(const struct report *rep, struct text_table *t);
/* One row per GPU: energy, average and peak power, coverage; with many
 * GPUs one row per node (min / median / max), outliers named in the note. */
void text_gpu_table(const struct report *rep, struct text_table *t);
/* Worst coverage per node and metric role present in the job, worst node
 * first; with many nodes only those below the threshold. */
void text_coverage_table(const struct report *rep, struct text_table *t);
/* The series with the most time in gaps, the worst first. */
void text_gap_table(const struct report *rep, struct text_table *t);
/* One-line account of the data: samples, series, nodes, source. */
char *text_data_summary(const struct report *rep);

#endif
