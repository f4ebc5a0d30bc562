/*
 * summary_json.h - reading summary.json back: when a report directory is
 * re-rendered from its raw_power.csv, the job's identity and window come
 * from the summary.json beside it, and `powerreport summary` takes each
 * job's idle share from it.  (Writing it is render_summary_json.)
 */
#ifndef PR_SUMMARY_JSON_H
#define PR_SUMMARY_JSON_H

#include "job.h"

/* Fill the unset fields of job from the summary.json at path.  Returns
 * PR_OK, or PR_EDATA when the file exists but is not a summary we wrote. */
int summary_read_job(const char *path, struct job *job);

/* The share of job id's energy that was spent idle, from the summary.json
 * at path (idle.energy_kwh over totals.energy_kwh.total), for roll-ups.  NAN when
 * the file is missing, unreadable, another job's, or its figures are
 * unknown or implausible (negative, or idle above the total). */
double summary_read_idle_share(const char *path, const char *id);

#endif
