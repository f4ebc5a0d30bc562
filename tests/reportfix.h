/*
 * reportfix.h - what the tests of whole reports share: the sample job and
 * a generated many-node job run through the real binary, its JSON read
 * back, and external tools (chromium, poppler) run with their output
 * captured.
 */
#ifndef PR_REPORTFIX_H
#define PR_REPORTFIX_H

#include <cjson/cJSON.h>

/* A job of one hour (RF_START..RF_END) on ncpu CPU nodes (rpc-1-N) and
 * ngpu GPU nodes (rpg-2-N, 4 GPUs each), the power rising and falling,
 * a sample every 30 s with no gaps: its raw CSV and a config saying so are
 * written to parent, then powerreport makes its report there (as
 * rf_report).  Returns the report directory. */
char *rf_big_job(const char *parent, int ncpu, int ngpu, const char *id,
    const char *name);
/* The same with the node-level power (not the GPUs') k times as high. */
char *rf_big_job_scaled(const char *parent, int ncpu, int ngpu, const char *id,
    const char *name, double k);

/* Run powerreport -q on csv for the window with job id and name (name
 * may be NULL), extra arguments (NULL-terminated, or NULL), output under
 * parent.  Asserts success; returns the report directory (malloc'd). */
char *rf_report(const char *parent, const char *csv, const char *start,
    const char *end, const char *id, const char *name, const char *const *extra);
/* The same for the bundled sample job 4242 (samples/raw_power.csv). */
char *rf_sample(const char *parent, const char *name, const char *const *extra);

/* A job of gpu GPU nodes (rpg-93-N) over seconds from 2026-11-20 09:00
 * CST, made by tools/gen-telemetry (5-s samples with a few minutes-long
 * gaps per node), rendered with extra arguments.  Returns the report
 * directory. */
char *rf_generated(const char *parent, int gpu, int seconds, const char *id,
    const char *const *extra);

/* reportdir/file as a string (asserts it exists). */
char *rf_file(const char *reportdir, const char *file);
/* The JSON file at path, parsed (asserts it exists and parses). */
cJSON *rf_json(const char *path);
/* summary.json of a report, parsed. */
cJSON *rf_summary(const char *reportdir);
/* The number at obj.key (asserts it is one). */
double rf_num(const cJSON *obj, const char *key);
/* totals.energy_kwh.total of a summary. */
double rf_total_kwh(cJSON *summary);

/* Run a command (argv NULL-terminated, searched in PATH) and return its
 * stdout (malloc'd); *status gets the exit status.  stderr is dropped. */
/* The same through sh -c with stderr in place of stdout: what a tool
 * complains about. */
char *rf_stderr(const char *cmd, int *status);
char *rf_capture(const char *const *argv, int *status);
/* Whether a program is found in PATH. */
int rf_have(const char *prog);
/* Occurrences of needle in hay. */
int rf_count(const char *hay, const char *needle);

#endif
