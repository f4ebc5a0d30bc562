/*
 * rate.c - a value per kWh that changes with time, as steps, and the CSV
 * form a site keeps it in (samples/carbon_intensity.csv).  The file is part
 * of the configuration, so a row that does not parse is a configuration
 * error with its line number, never a silently shorter series.
 */
#include "rate.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fileio.h"

#define RATE_MAX_BYTES (64 << 20)
#define ONE_HOUR (3600 * USEC_PER_SEC)

void
rate_push(struct rate *r, usec_t t, double v)
{
	if ((r->n & (r->n - 1)) == 0) {	/* 0, 1, 2, 4, ...: grow */
		size_t cap = r->n ? r->n * 2 : 1;
		r->t = xrealloc(r->t, cap * sizeof *r->t);
		r->v = xrealloc(r->v, cap * sizeof *r->v);
	}
	r->t[r->n] = t;
	r->v[r->n] = v;
	r->n++;
}

void
rate_close(struct rate *r)
{
	usec_t step;

	if (r->n == 0 || isnan(r->v[r->n - 1]))
		return;
	step = r->n > 1 ? r->t[r->n - 1] - r->t[r->n - 2] : ONE_HOUR;
	rate_push(r, r->t[r->n - 1] + step, NAN);
}

double
rate_at(const struct rate *r, usec_t t)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {	/* first start after t */
		size_t mid = lo + (hi - lo) / 2;
		if (r->t[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? NAN : r->v[lo - 1];
}

/* One row "start,value" of len bytes: 0, or -1 when it is not one. */
static int
parse_row(const char *s, size_t len, usec_t *t, double *v)
{
	const char *comma = memchr(s, ',', len);
	char num[64], *end;
	size_t vlen;

	if (comma == NULL)
		return -1;
	if (time_parse_iso(s, (size_t)(comma - s), t) != 0) {
		char sec[32];
		size_t tlen = (size_t)(comma - s);
		if (tlen == 0 || tlen >= sizeof sec)
			return -1;
		memcpy(sec, s, tlen);
		sec[tlen] = '\0';
		if (time_parse(sec, t) != PR_OK) {
			pr_errclear();
			return -1;
		}
	}
	vlen = len - (size_t)(comma + 1 - s);
	while (vlen > 0 && (comma[vlen] == ' ' || comma[vlen] == '\r'))
		vlen--;
	if (vlen == 0) {
		*v = NAN;
		return 0;
	}
	if (vlen >= sizeof num)
		return -1;
	memcpy(num, comma + 1, vlen);
	num[vlen] = '\0';
	errno = 0;
	*v = strtod(num, &end);
	return *end != '\0' || errno != 0 || !isfinite(*v) || *v < 0 ? -1 : 0;
}

/* Take one line of the file; rows counts the rows seen so far. */
static int
take_line(struct rate *r, const char *path, long line, const char *s, size_t len,
    size_t *rows)
{
	usec_t t;
	double v;

	while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == ' '))
		len--;
	if (len == 0 || s[0] == '#')
		return PR_OK;
	if (parse_row(s, len, &t, &v) != 0) {
		if ((*rows)++ == 0)
			return PR_OK;	/* a header */
		return pr_fail(PR_ECONFIG, "%s: line %ld: not a \"start,value\" row "
		    "(ISO 8601 time with offset, a number of at least 0): fix the "
		    "file or remove it from the configuration", path, line);
	}
	(*rows)++;
	if (r->n > 0 && t <= r->t[r->n - 1])
		return pr_fail(PR_ECONFIG, "%s: line %ld: start times must ascend: "
		    "sort the file", path, line);
	rate_push(r, t, v);
	return PR_OK;
}

int
rate_load_csv(struct rate *r, const char *path)
{
	char *data, *p, *nl;
	size_t len, rows = 0;
	long line = 1;
	int err = fileio_read(path, RATE_MAX_BYTES, &data, &len), rc = PR_OK;

	if (err != 0)
		return pr_fail(PR_ECONFIG, "%s: cannot read: %s: fix the path in "
		    "the configuration (cost.*_series.csv)", path, strerror(err));
	for (p = data; rc == PR_OK && p < data + len; p = nl + 1, line++) {
		nl = memchr(p, '\n', (size_t)(data + len - p));
		if (nl == NULL)
			nl = data + len;
		rc = take_line(r, path, line, p, (size_t)(nl - p), &rows);
	}
	free(data);
	if (rc == PR_OK) {
		rate_close(r);
		r->origin = xstrdup(path);
	}
	return rc;
}

void
rate_free(struct rate *r)
{
	free(r->t);
	free(r->v);
	free(r->origin);
	memset(r, 0, sizeof *r);
}
