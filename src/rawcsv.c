/*
 * rawcsv.c - the raw_power.csv writer: one row per sample, columns
 * timestamp,hostname,source,fqdd,value,units,metric.
 *
 * This runs once per sample (millions of rows), so a row is assembled in a
 * stack buffer and handed to stdio with one fwrite, without malloc or printf
 * on the common path.  Values are written so that they parse back to the
 * identical double: integers and short decimals by exact integer arithmetic,
 * anything else as the shortest of %.15g / %.17g that round-trips (the
 * collector has already turned float4 values into their shortest decimal,
 * so a REAL 231.2 is written "231.2").  Fields holding a comma, quote, CR
 * or LF are quoted as RFC 4180 says; text a spreadsheet would run as a
 * formula (= + - @ first) gets a single quote in front, which the reader
 * takes off again.
 */
#include "rawcsv.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"

#define ROW_MAX 512		/* typical row is < 120 bytes */
#define EXACT_MAX 9007199254740992.0	/* 2^53: integers up to it are exact */
#define DECIMALS_MAX 9		/* fast path: up to 9 digits after the point */

/* A row under construction; spills to the stream only for absurd fields. */
struct row {
	FILE *fp;
	size_t n;
	char b[ROW_MAX];
};

static const double pow10tab[DECIMALS_MAX + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9
};

static void
row_flush(struct row *r)
{
	fwrite_unlocked(r->b, 1, r->n, r->fp);
	r->n = 0;
}

/* Room for len more bytes, flushing first when the buffer cannot hold them
 * (0: too long for any buffer, write it straight through). */
static char *
row_room(struct row *r, size_t len)
{
	if (r->n + len > sizeof r->b)
		row_flush(r);
	return len <= sizeof r->b ? r->b + r->n : NULL;
}

static void
row_put(struct row *r, const char *s, size_t len)
{
	char *p = row_room(r, len);

	if (p == NULL) {
		fwrite(s, 1, len, r->fp);
		return;
	}
	memcpy(p, s, len);
	r->n += len;
}

static void
row_putc(struct row *r, char c)
{
	*row_room(r, 1) = c;
	r->n++;
}

/* Bytes that end the plain copy of a field: NUL and what needs quoting. */
static const unsigned char stops[256] = {
	['\0'] = 1, [','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1
};

/* First bytes of a field that may need a formula guard (source.h). */
static const unsigned char guards[256] = {
	['='] = 1, ['+'] = 1, ['-'] = 1, ['@'] = 1, ['\t'] = 1, ['\r'] = 1, ['\''] = 1
};

/* A text field, quoted (quotes doubled) only when RFC 4180 needs it, with
 * a single quote in front when a spreadsheet would take it for a formula.
 * The common short plain field is copied in the same pass that checks it. */
static void
put_field(struct row *r, const char *s)
{
	char *p = r->b + r->n, *lim = r->b + sizeof r->b;
	const char *q = s;
	bool guard = guards[(unsigned char)*s] && csv_formula_like(s);

	if (!guard) {
		while (p < lim && !stops[(unsigned char)*q])
			*p++ = *q++;
		if (*q == '\0') {
			r->n = (size_t)(p - r->b);
			return;
		}
	}
	if (s[strcspn(s, ",\"\r\n")] == '\0') {	/* plain: long, or guarded */
		if (guard)
			row_putc(r, '\'');
		row_put(r, s, strlen(s));
		return;
	}
	row_putc(r, '"');
	if (guard)
		row_putc(r, '\'');
	while ((q = strchr(s, '"')) != NULL) {
		row_put(r, s, (size_t)(q - s) + 1);
		row_putc(r, '"');
		s = q + 1;
	}
	row_put(r, s, strlen(s));
	row_putc(r, '"');
}

void
csv_write_text(FILE *fp, const char *s)
{
	struct row r = { fp, 0, { 0 } };

	put_field(&r, s);
	row_flush(&r);
}

/* Decimal digits of n (> 0 or == 0) right-aligned ending at end; returns the
 * start. */
static char *
put_digits(char *end, uint64_t n)
{
	do {
		*--end = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0);
	return end;
}

/* v as m / 10^k with small integer m, when that decimal parses back to v
 * exactly: m and 10^k are exact doubles, so their IEEE quotient is the
 * correctly rounded value of the decimal, just as strtod computes it.
 * Returns the length written into out (>= 32 bytes), 0 when no such form. */
static size_t
format_decimal(double v, char *out)
{
	double a = fabs(v), m;
	char tmp[32], *end = tmp + sizeof tmp, *p;
	uint64_t n;
	size_t len = 0;
	int k;

	for (k = 0; k <= DECIMALS_MAX; k++) {
		m = nearbyint(a * pow10tab[k]);
		if (m >= EXACT_MAX)
			return 0;
		if (m / pow10tab[k] == a)
			break;
	}
	if (k > DECIMALS_MAX)
		return 0;
	n = (uint64_t)m;
	p = put_digits(end, n);
	while (end - p <= k)		/* 0.05: pad to "005" */
		*--p = '0';
	if (signbit(v))
		out[len++] = '-';
	memcpy(out + len, p, (size_t)(end - p - k));
	len += (size_t)(end - p - k);
	if (k > 0) {
		out[len++] = '.';
		memcpy(out + len, end - k, (size_t)k);
		len += (size_t)k;
	}
	return len;
}

/* The shortest of %.15g and %.17g that strtod turns back into v. */
static size_t
format_general(double v, char *out, size_t size)
{
	int len = snprintf(out, size, "%.15g", v);

	if (strtod(out, NULL) != v)
		len = snprintf(out, size, "%.17g", v);
	return (size_t)len;
}

static void
put_value(struct row *r, double v)
{
	char *p;
	size_t len;

	if (isnan(v))
		return;
	p = row_room(r, 40);
	if (!isfinite(v) || (len = format_decimal(v, p)) == 0)
		len = format_general(v, p, 40);
	r->n += len;
}

void
rawcsv_write_header(FILE *fp)
{
	fputs(RAWCSV_COLUMNS "\n", fp);
}

/* The timestamp text: rows come in runs sharing one instant (all metrics of
 * a node's reading), so the last text is kept.  It depends on the instant
 * and the zone's offset only, so both are the key. */
static void
put_time(struct row *r, usec_t t)
{
	static struct {
		int valid, offset;
		usec_t t;
		size_t len;
		char text[40];
	} last;
	int offset = time_utc_offset(t);

	if (!last.valid || last.t != t || last.offset != offset) {
		last.len = time_format_iso(t, last.text);
		last.t = t;
		last.offset = offset;
		last.valid = 1;
	}
	memcpy(r->b + r->n, last.text, last.len);
	r->n += last.len;
}

void
rawcsv_write_row(FILE *fp, const struct sample *s)
{
	struct row r;

	r.fp = fp;
	r.n = 0;
	put_time(&r, s->t);
	row_putc(&r, ',');
	put_field(&r, s->hostname);
	row_putc(&r, ',');
	put_field(&r, s->source);
	row_putc(&r, ',');
	put_field(&r, s->fqdd);
	row_putc(&r, ',');
	put_value(&r, s->value);
	row_putc(&r, ',');
	put_field(&r, s->units);
	row_putc(&r, ',');
	put_field(&r, s->metric);
	row_putc(&r, '\n');
	row_flush(&r);
}
