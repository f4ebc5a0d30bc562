/*
 * attribution_text.h - the words and numbers of the job's share of shared
 * nodes, utilisation, idle energy and energy per unit of work, for
 * report.html and report.pdf alike.
 */
#ifndef PR_ATTRIBUTION_TEXT_H
#define PR_ATTRIBUTION_TEXT_H

#include "report_text.h"

/* Key figures after text_figures' own: the job's share of its nodes'
 * energy (when a node was shared), idle energy, kWh per GPU-hour, per
 * CPU-core-hour and per unit of the user's work (each when known). */
void text_attribution_figures(const struct report *rep, struct text_fields *out);
/* Per node: share, job and node energy, CPU load, low-load time, memory,
 * idle energy, the idle stretches in the note; no rows when the database
 * had none of it. */
void text_attribution_table(const struct report *rep, struct text_table *t);
/* When nodes sat idle, grouped: one line per stretch several nodes share
 * ("62 of 64 nodes idle 14:00-14:05 (start of the job)"), one per node
 * for the rest ("rpc-91-3 idle 2 h 10 min in 3 stretches"), a few lines
 * whatever the number of nodes. */
void text_idle_stretches(const struct report *rep, struct strlist *out);
/* The idle stretches as data-quality lines ("Idle: ...") when there is no
 * per-node table to carry them. */
void text_idle_quality(const struct report *rep, struct strlist *out);
/* The method in one or two sentences (static text). */
const char *text_attribution_note(const struct report *rep);

#endif
