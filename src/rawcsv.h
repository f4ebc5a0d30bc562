/*
 * rawcsv.h - the raw_power.csv format: its column line and the row writer
 * the collector streams every sample through.  The CSV source
 * (source_csv.c) reads the same format back.
 */
#ifndef PR_RAWCSV_H
#define PR_RAWCSV_H

#include <stdio.h>

#include "source.h"

/* The header line of raw_power.csv, without its newline: the columns the
 * writer puts out and the reader asks for. */
#define RAWCSV_COLUMNS "timestamp,hostname,source,fqdd,value,units,metric"

/* raw_power.csv rows (streamed by the collector). */
void rawcsv_write_header(FILE *fp);
void rawcsv_write_row(FILE *fp, const struct sample *s);

#endif
