/*
 * timefmt.c - parsing and formatting of instants (usec_t) and the display
 * time zone.
 *
 * The ISO 8601 parser and formatter are hand-written because they run once
 * per CSV row: no strptime/mktime, no allocation, civil dates converted with
 * Howard Hinnant's days-from-civil arithmetic.  The zone offset comes from
 * the C library's zone database (localtime_r with TZ set), cached per
 * 15-minute slot of UTC, since every modern zone changes offset only on such
 * boundaries.  Elapsed run time (a monotonic clock) is measured here too.
 */
#include "timefmt.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"

#define SLOT_SECS 900
#define CACHE_SIZE 64		/* slots remembered (a 16 h window) */

static struct {
	int64_t slot[CACHE_SIZE];
	int offset[CACHE_SIZE];
	bool valid[CACHE_SIZE];
} cache;

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era;
	int doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = (int)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400) + (*m <= 2);
}

static int
days_in_month(int y, int m)
{
	static const unsigned char n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : n[m - 1];
}

/* Two digits at p as a number, or -1. */
static inline int
d2(const char *p)
{
	unsigned a = (unsigned char)p[0] - '0', b = (unsigned char)p[1] - '0';

	return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

/* Two digits at s[*i] (within len) as a number, or -1. */
static int
digits2(const char *s, size_t len, size_t *i)
{
	int v;

	if (*i + 2 > len || (v = d2(s + *i)) < 0)
		return -1;
	*i += 2;
	return v;
}

/* Expect character c at s[*i]. */
static bool
expect(const char *s, size_t len, size_t *i, char c)
{
	if (*i < len && s[*i] == c) {
		(*i)++;
		return true;
	}
	return false;
}

/* ".ffffff..." at s[*i] (optional): microseconds, excess digits dropped. */
static const char *
fraction(const char *s, size_t len, size_t *i, int64_t *usec)
{
	static const int scale[] = { 100000, 10000, 1000, 100, 10, 1 };
	int n = 0;

	*usec = 0;
	if (*i >= len || s[*i] != '.')
		return NULL;
	(*i)++;
	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		if (n < 6)
			*usec += (s[*i] - '0') * scale[n];
		n++;
		(*i)++;
	}
	return n == 0 ? "no digits after '.'" : NULL;
}

/* "Z", "+hh:mm", "+hhmm", "+hh" (or '-') at s[*i] in seconds east. */
static const char *
zone_offset(const char *s, size_t len, size_t *i, int *secs)
{
	int sign, hh, mm = 0;

	if (*i >= len)
		return "no UTC offset";
	if (s[*i] == 'Z' || s[*i] == 'z') {
		(*i)++;
		*secs = 0;
		return NULL;
	}
	if (s[*i] != '+' && s[*i] != '-')
		return "unexpected text after the time";
	sign = s[(*i)++] == '-' ? -1 : 1;
	if ((hh = digits2(s, len, i)) < 0 || hh > 23)
		return "bad UTC offset hours";
	if (*i < len) {
		bool colon = expect(s, len, i, ':');

		if ((mm = digits2(s, len, i)) < 0 || mm > 59)
			return "bad UTC offset minutes";
		if (colon && expect(s, len, i, ':')) {
			int ss = digits2(s, len, i);

			if (ss < 0 || ss > 59)
				return "bad UTC offset seconds";
			*secs = sign * (hh * 3600 + mm * 60 + ss);
			return NULL;
		}
	}
	*secs = sign * (hh * 3600 + mm * 60);
	return NULL;
}

/* Days since 1970-01-01 of a date of years 0000-9999 (shifted by one
 * 400-year era so that every division is on non-negative numbers). */
static int64_t
days_from_date(int y, int m, int d)
{
	int doy;

	y += 400 - (m <= 2);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return (int64_t)(y / 400) * 146097 + (y % 400) * 365 +
	    (y % 400) / 4 - (y % 400) / 100 + doy - 719468 - 146097;
}

/* The ISO grammar; NULL on success, else what is wrong.  Fixed positions
 * up to the seconds: YYYY-MM-DDThh:mm:ss. */
static const char *
parse_iso(const char *s, size_t len, usec_t *out)
{
	int yh, yl, mo, d, h, mi, sec, off;
	int64_t usec;
	size_t i = 19;
	const char *why;

	if (len < 10 || (yh = d2(s)) < 0 || (yl = d2(s + 2)) < 0 ||
	    s[4] != '-' || (mo = d2(s + 5)) < 0 || s[7] != '-' ||
	    (d = d2(s + 8)) < 0)
		return "not a date YYYY-MM-DD";
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(yh * 100 + yl, mo))
		return "no such date";
	if (len < 11 || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return "no time of day after the date";
	if (len < 19 || (h = d2(s + 11)) < 0 || s[13] != ':' ||
	    (mi = d2(s + 14)) < 0 || s[16] != ':' || (sec = d2(s + 17)) < 0)
		return "not a time hh:mm:ss";
	if (h > 23 || mi > 59 || sec > 59)
		return "no such time of day";
	if ((why = fraction(s, len, &i, &usec)) != NULL)
		return why;
	if ((why = zone_offset(s, len, &i, &off)) != NULL)
		return why;
	if (i != len)
		return "unexpected text after the UTC offset";
	*out = ((days_from_date(yh * 100 + yl, mo, d) * 86400 + h * 3600 +
	    mi * 60 + sec - off) * USEC_PER_SEC) + usec;
	return NULL;
}

int
time_parse_iso(const char *s, size_t len, usec_t *out)
{
	return parse_iso(s, len, out) == NULL ? 0 : -1;
}

/* "1700000000" or "1700000000.25": NULL on success. */
static const char *
parse_epoch(const char *s, size_t len, usec_t *out)
{
	int64_t secs = 0, usec;
	size_t i = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9') {
		if (i == 12)
			return "too many digits";
		secs = secs * 10 + (s[i++] - '0');
	}
	if (i == 0)
		return "not a number";
	if (fraction(s, len, &i, &usec) != NULL || i != len)
		return "not a number";
	*out = secs * USEC_PER_SEC + usec;
	return NULL;
}

int
time_parse(const char *text, usec_t *out)
{
	const char *s = text, *why;
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len > 0 && memchr(s, '-', len) == NULL &&
	    parse_epoch(s, len, out) == NULL)
		return PR_OK;
	if ((why = parse_iso(s, len, out)) == NULL)
		return PR_OK;
	if (strcmp(why, "no UTC offset") == 0)
		return pr_fail(PR_EUSAGE, "time \"%s\" has no UTC offset: add "
		    "Z or an offset such as +01:00", text);
	return pr_fail(PR_EUSAGE, "time \"%s\": %s: give epoch seconds or "
	    "ISO 8601 with an offset, e.g. 2026-11-21T10:00:05Z", text,
	    len > 4 && s[4] == '-' ? why : "not a time");
}

/* Is zone a compiled zone file (magic "TZif") under TZDIR? */
static bool
zone_file_exists(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char *path, magic[4];
	FILE *f;
	bool ok;

	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	path = xasprintf("%s/%s", dir, zone);
	f = fopen(path, "rb");
	free(path);
	if (f == NULL)
		return false;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

int
time_set_zone(const char *zone)
{
	if (zone == NULL || *zone == '\0')
		return PR_OK;
	if (zone[0] == '/' || strstr(zone, "..") != NULL ||
	    !zone_file_exists(zone))
		return pr_fail(PR_ECONFIG, "unknown time zone \"%s\": give an "
		    "Olson name such as Europe/Berlin or UTC", zone);
	setenv("TZ", zone, 1);
	tzset();
	memset(&cache, 0, sizeof cache);
	return PR_OK;
}

static struct tm
local_tm(int64_t secs)
{
	time_t tt = (time_t)secs;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	return tm;
}

/* The offset at secs since the epoch, through the slot cache. */
static int
offset_at(int64_t secs)
{
	int64_t slot = floor_div(secs, SLOT_SECS);
	size_t k = (size_t)(slot & (CACHE_SIZE - 1));

	if (!cache.valid[k] || cache.slot[k] != slot) {
		cache.offset[k] = (int)local_tm(secs).tm_gmtoff;
		cache.slot[k] = slot;
		cache.valid[k] = true;
	}
	return cache.offset[k];
}

int
time_utc_offset(usec_t t)
{
	return offset_at(floor_div(t, USEC_PER_SEC));
}

const char *
time_zone_abbrev(usec_t t)
{
	struct tm tm = local_tm(floor_div(t, USEC_PER_SEC));

	return tm.tm_zone != NULL ? tm.tm_zone : "UTC";
}

static const char pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

static inline char *
put2(char *p, int v)
{
	memcpy(p, pairs + 2 * v, 2);
	return p + 2;
}

size_t
time_format_iso(usec_t t, char *buf)
{
	int64_t secs = floor_div(t, USEC_PER_SEC);
	int64_t usec = t % USEC_PER_SEC < 0 ? t % USEC_PER_SEC + USEC_PER_SEC :
	    t % USEC_PER_SEC;
	int off = offset_at(secs);
	int64_t local = secs + off;
	int64_t days = floor_div(local, 86400), sod = local - days * 86400;
	int y, m, d, aoff = off < 0 ? -off : off;
	char *p = buf;

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)	/* no ISO form: epoch seconds */
		return (size_t)snprintf(buf, 40, "%lld.%06lld",
		    (long long)secs, (long long)usec);
	p = put2(p, y / 100);
	p = put2(p, y % 100);
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	p = put2(p, d);
	*p++ = 'T';
	p = put2(p, (int)(sod / 3600));
	*p++ = ':';
	p = put2(p, (int)(sod / 60 % 60));
	*p++ = ':';
	p = put2(p, (int)(sod % 60));
	if (usec != 0) {
		int u = (int)usec;

		*p++ = '.';
		p = put2(p, u / 10000);
		p = put2(p, u / 100 % 100);
		p = put2(p, u % 100);
	}
	*p++ = off < 0 ? '-' : '+';
	p = put2(p, aoff / 3600);
	*p++ = ':';
	p = put2(p, aoff / 60 % 60);
	if (aoff % 60 != 0) {
		*p++ = ':';
		p = put2(p, aoff % 60);
	}
	*p = '\0';
	return (size_t)(p - buf);
}

void
time_format_duration(usec_t d, char *buf, size_t size)
{
	static const struct {
		int64_t secs;
		const char *name;
	} unit[] = {
		{ 86400, "d" }, { 3600, "h" }, { 60, "min" }, { 1, "s" },
	};
	const char *sign = d < 0 ? "-" : "";
	int64_t s;

	if (d < 0)
		d = d == INT64_MIN ? INT64_MAX : -d;
	s = d / USEC_PER_SEC + (d % USEC_PER_SEC >= USEC_PER_SEC / 2);
	if (d < 10 * USEC_PER_SEC && d % USEC_PER_SEC != 0) {
		snprintf(buf, size, "%s%.1f s", sign, (double)d / USEC_PER_SEC);
		return;
	}
	for (size_t i = 0; i < 4; i++) {
		int64_t hi, lo;

		if (s < unit[i].secs && i < 3)
			continue;
		hi = s / unit[i].secs;
		lo = i < 3 ? s % unit[i].secs / unit[i + 1].secs : 0;
		if (lo != 0)
			snprintf(buf, size, "%s%lld %s %lld %s", sign,
			    (long long)hi, unit[i].name, (long long)lo,
			    unit[i + 1].name);
		else
			snprintf(buf, size, "%s%lld %s", sign, (long long)hi,
			    unit[i].name);
		return;
	}
}

double
time_elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int
time_parse_date(const char *text, usec_t *out)
{
	struct tm tm = { 0 };
	int y, m, d, n = 0;
	time_t t;

	if (sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && text[n] == '\0' &&
	    strlen(text) == 10 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = d;
		t = timegm(&tm);
		t -= time_utc_offset((usec_t)(t - time_utc_offset((usec_t)t * USEC_PER_SEC)) *
		    USEC_PER_SEC);
		*out = (usec_t)t * USEC_PER_SEC;
		return PR_OK;
	}
	return time_parse(text, out);
}
