/*
 * timefmt.h - instants as int64 microseconds since the Unix epoch (usec_t),
 * parsed from the command line / CSV and formatted as ISO 8601 with the UTC
 * offset in force at that instant in the display time zone (DST-correct).
 */
#ifndef PR_TIMEFMT_H
#define PR_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef int64_t usec_t;
#define USEC_PER_SEC INT64_C(1000000)

/* Parse epoch seconds ("1700000000", "1700000000.5") or ISO 8601 with an
 * offset or Z ("2026-11-21T10:00:05+01:00", "2026-11-21 10:00:05.25Z",
 * "+0100" and "+01" forms too).  ISO without an offset is refused (ambiguous).
 * Returns PR_OK or pr_fail(PR_EUSAGE, ...) naming the text. */
int time_parse(const char *text, usec_t *out);

/* Fast parser for raw_power.csv timestamps (same grammar as the ISO branch of
 * time_parse, no allocation, no message).  len is the field length.
 * Returns 0 on success, -1 when the text is not a timestamp. */
int time_parse_iso(const char *s, size_t len, usec_t *out);

/* Select the display time zone (an Olson name such as "America/Chicago";
 * NULL or "" keeps the process's TZ / system local time). Returns PR_OK or
 * PR_ECONFIG when the zone is unknown. */
int time_set_zone(const char *zone);

/* A date of a range ("2026-11-01": its midnight in the display zone, so
 * call after time_set_zone), else what time_parse takes. */
int time_parse_date(const char *text, usec_t *out);

/* Offset from UTC in seconds at instant t in the display zone.  Cached per
 * 15-minute slot, so calling it for every sample is cheap. */
int time_utc_offset(usec_t t);

/* Format t as "2026-11-21T10:00:05+01:00" (fraction ".ffffff" only when the
 * instant is not a whole second) into buf (>= 40 bytes).  Returns length. */
size_t time_format_iso(usec_t t, char *buf);

/* Abbreviation of the display zone at t ("CST", "UTC"). */
const char *time_zone_abbrev(usec_t t);

/* Seconds since t0, a CLOCK_MONOTONIC reading. */
double time_elapsed(const struct timespec *t0);

/* Human duration "3 h 25 min", "42 s", "2 d 4 h" into buf (>= 32 bytes). */
void time_format_duration(usec_t d, char *buf, size_t size);

#endif
