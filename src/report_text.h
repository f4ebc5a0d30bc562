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

/* Labelled values: label[i] / value[i] / note[i] ("" when no note). */
struct text_fields {
	struct strlist label, value, note;
};

void text_fields_free(struct text_fields *f);

/* Job id, name, user, account, partition, nodes, start, end, duration,
 * exit state...: only what is known. */
void text_header(const struct report *rep, struct text_fields *out);
/* Total energy, average and peak power, energy per node-hour, GPU share,
 * cost and CO2 (when configured). */
void text_figures(const struct report *rep, struct text_fields *out);
/* Component, kWh and share of the total, for every component with energy,
 * the total last. */
void text_breakdown(const struct report *rep, struct text_fields *out);
/* Every warning: job-wide ones, then "host: warning" per node, then the
 * nodes without data. */
void text_warnings(const struct report *rep, struct strlist *out);

/* The method, in three sentences. */
extern const char text_method[];

/* "12.345" kWh with 3 decimals (tables). */
char *text_kwh(double joules);
/* "456 W" / "12.3 kW". NAN: "n/a". */
char *text_power(double watts);
/* "99.8 %"; "0 %" when nothing. */
char *text_percent(double fraction);
/* "2026-11-21T10:00:05-06:00 CST" in the display zone. */
char *text_time(usec_t t);

/* How complete a coverage is, for colouring. */
enum coverage_level { COV_FULL, COV_PARTIAL, COV_POOR, COV_NONE };
enum coverage_level text_coverage_level(double fraction);	/* NAN: COV_NONE */

/* Whether any node has a series of role (columns of the coverage matrix). */
bool text_role_present(const struct report *rep, enum metric_role role);
/* Worst coverage among node's series of role, NAN if it has none; *count
 * receives the number of such series. */
double text_node_coverage(const struct node_result *node, enum metric_role role, size_t *count);
/* Whether the component appears in any node (columns of per-node tables). */
bool text_component_present(const struct report *rep, enum component comp);
/* Window duration in seconds. */
double text_window_s(const struct report *rep);

#endif
