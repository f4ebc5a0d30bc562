/*
 * summary_json.h - reading summary.json back: when a report directory is
 * re-rendered from its raw_power.csv, the job's identity and window come
 * from the summary.json beside it.  (Writing it is render_summary_json.)
 */
#ifndef PR_SUMMARY_JSON_H
#define PR_SUMMARY_JSON_H

#include "job.h"

/* Fill the unset fields of job from the summary.json at path.  Returns
 * PR_OK, or PR_EDATA when the file exists but is not a summary we wrote. */
int summary_read_job(const char *path, struct job *job);

#endif
