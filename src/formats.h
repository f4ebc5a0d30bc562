/*
 * formats.h - the output formats a run can write, and the one reader of a
 * list of them, shared by --formats and the configuration's
 * output.formats so both accept the same lists.
 */
#ifndef PR_FORMATS_H
#define PR_FORMATS_H

#include <stddef.h>

enum {
	FMT_CSV = 1 << 0,	/* raw_power.csv, energy.csv */
	FMT_JSON = 1 << 1,	/* summary.json */
	FMT_PNG = 1 << 2,	/* charts: PNG and energy_pie.pdf */
	FMT_HTML = 1 << 3,	/* report.html */
	FMT_PDF = 1 << 4,	/* report.pdf */
	FMT_PROM = 1 << 5,	/* metrics.prom */
	FMT_ALL = 0x3f
};

/* The FMT_ mask of list: names of csv,json,png,html,pdf,prom separated by
 * commas and/or blanks, each at most once, at least one.  Returns 0, or -1
 * with what is wrong written into why (size bytes) for the caller's
 * message. */
int formats_parse(const char *list, int *mask, char *why, size_t size);

#endif
