/*
 * rawcsv.h - the raw_power.csv format: its column line and the row writer
 * the collector streams every sample through.  The CSV source
 * (source_csv.c) reads the same format back.
 */
#ifndef PR_RAWCSV_H
#define PR_RAWCSV_H

#include <stdio.h>
#include <string.h>

#include "source.h"

/* The header line of raw_power.csv, without its newline: the columns the
 * writer puts out and the reader asks for. */
#define RAWCSV_COLUMNS "timestamp,hostname,source,fqdd,value,units,metric"

/* raw_power.csv rows (streamed by the collector). */
void rawcsv_write_header(FILE *fp);
void rawcsv_write_row(FILE *fp, const struct sample *s);

/* One text field of any CSV we write: quoted per RFC 4180 when needed, a
 * leading = + - @ (tab, CR) neutralised with a single quote. */
void csv_write_text(FILE *fp, const char *s);

/* A CSV text field a spreadsheet would run as a formula: one starting with
 * = + - @, tab or CR, or with single quotes before such a character.  The
 * writers put one more single quote in front of such a field and the raw
 * CSV reader takes exactly one off, so text survives the trip unchanged. */
static inline int
csv_formula_like(const char *s)
{
	while (*s == '\'')
		s++;
	return *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
}

#endif
