/*
 * source_csv.h - a raw_power.csv file as a telemetry source (source.h),
 * for re-rendering a report with no database.
 */
#ifndef PR_SOURCE_CSV_H
#define PR_SOURCE_CSV_H

#include "source.h"
#include "strlist.h"

/* Raw CSV (raw_power.csv format) as a source: every row of the file, for the
 * plan's nodes when the plan is non-empty.  Unreadable file: PR_EDATA;
 * unparsable row: PR_EDATA naming file and line. */
int source_csv_open(struct source *src, const char *path);

/* Scan a raw CSV once for its time span and hostnames (used when the window
 * or nodelist is not given).  PR_EDATA on unreadable/malformed input,
 * PR_ENODATA when it holds no sample. */
int source_csv_scan(const char *path, usec_t *first, usec_t *last, struct strlist *hosts);

#endif
