/*
 * source_csv.c - a raw_power.csv file as a telemetry source, so a report can
 * be rebuilt with no database at all.
 *
 * Files run to millions of rows, so the reader is a small hand-made one: the
 * file is read in large chunks into one buffer, each record is split in
 * place (RFC 4180 quoting, CRLF tolerated) and the samples point into that
 * buffer.  Nothing is allocated per row.  Columns are found by their header
 * names; rows are delivered in file order, which for a file powerreport wrote
 * is the per-series order the original source delivered.
 */
#include "source_csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "rawcsv.h"
#include "strlist.h"

/* tests/fuzz/fuzz_csv.c includes this file with tiny sizes, so that its
 * short inputs exercise refills and growth. */
#ifndef CHUNK
#define CHUNK (1 << 20)		/* bytes asked of read() at a time */
#endif
#ifndef RECORD_MAX
#define RECORD_MAX (64 << 20)	/* a longer record is not telemetry */
#endif
#define POLL_ROWS 4096		/* rows between looks at pr_interrupted */
#define CSV_END (-1)		/* csv_next: no more rows */

enum column { C_TIME, C_HOST, C_SOURCE, C_FQDD, C_VALUE, C_UNITS, C_METRIC, NCOLUMNS };

static const struct {
	const char *name;
	int required;
} columns[NCOLUMNS] = {
	[C_TIME] = { "timestamp", 1 },
	[C_HOST] = { "hostname", 1 },
	[C_SOURCE] = { "source", 0 },
	[C_FQDD] = { "fqdd", 0 },
	[C_VALUE] = { "value", 1 },
	[C_UNITS] = { "units", 1 },
	[C_METRIC] = { "metric", 1 },
};

/* An open raw CSV and the record last split. */
struct csvfile {
	const char *path;
	int fd;
	int eof;
	char *buf;		/* cap + 1 bytes: room to terminate the last field */
	size_t cap, len, pos;	/* bytes held, start of the next record */
	long line;		/* line of the next record */
	long rec_line;		/* first line of the current record */
	unsigned long rows;
	int header;		/* splitting the header: nf still grows */
	size_t nf;		/* fields per record (from the header) */
	char **field;		/* nf NUL-terminated fields of the record */
	size_t *flen;
	int col[NCOLUMNS];	/* field index of each column, -1 absent */
	usec_t last_t;		/* the last timestamp parsed and its text: */
	size_t last_len;	/* rows come in runs sharing one instant */
	char last_text[48];
};

/* Read more bytes after the held ones, growing the buffer when a single
 * record fills it.  Sets eof at the end of the file. */
static int
csv_fill(struct csvfile *cf)
{
	ssize_t got;

	if (cf->pos > 0) {
		memmove(cf->buf, cf->buf + cf->pos, cf->len - cf->pos);
		cf->len -= cf->pos;
		cf->pos = 0;
	}
	if (cf->len == cf->cap) {
		if (cf->cap >= RECORD_MAX)
			return pr_fail(PR_EDATA, "%s:%ld: record longer than %d bytes: "
			    "not a raw_power.csv file", cf->path, cf->line, RECORD_MAX);
		cf->cap *= 2;
		cf->buf = xrealloc(cf->buf, cf->cap + 1);
	}
	do
		got = read(cf->fd, cf->buf + cf->len, cf->cap - cf->len);
	while (got < 0 && errno == EINTR && !pr_interrupted);
	if (got < 0 && errno == EINTR)
		return pr_fail(PR_EINTR, "interrupted while reading %s", cf->path);
	if (got < 0)
		return pr_fail(PR_EDATA, "%s: %s", cf->path, strerror(errno));
	if (got == 0)
		cf->eof = 1;
	cf->len += (size_t)got;
	return PR_OK;
}

/* End of the record starting at p: the LF that ends it outside quotes, or
 * NULL when the held bytes end first (*open: inside a quoted field).
 * Only a quote that opens a field (or follows a closing one: "") opens a
 * quoted section.  *quoted tells whether the record holds any quote;
 * *lines counts the line breaks inside its quoted fields. */
static char *
record_end(char *start, char *end, int *quoted, int *open, long *lines)
{
	char *p = start, *nl, *q;

	*quoted = *open = 0;
	*lines = 0;
	for (;;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		q = memchr(p, '"', (size_t)((nl ? nl : end) - p));
		if (q == NULL)
			return nl;
		*quoted = 1;
		p = q + 1;
		if (q != start && q[-1] != ',' && q[-1] != '"')
			continue;	/* stray quote: split_quoted() reports it */
		q = memchr(p, '"', (size_t)(end - p));
		if (q == NULL) {
			*open = 1;
			return NULL;
		}
		for (nl = p; (nl = memchr(nl, '\n', (size_t)(q - nl))) != NULL; nl++)
			++*lines;
		p = q + 1;
	}
}

/* Room for field nf: the header sets the number of fields, a row with more
 * is malformed. */
static int
field_room(struct csvfile *cf, size_t nf)
{
	if (nf < cf->nf)
		return PR_OK;
	if (!cf->header)
		return pr_fail(PR_EDATA, "%s:%ld: more than the header's %zu fields: "
		    "quote fields that contain commas, or fix the row", cf->path,
		    cf->rec_line, cf->nf);
	cf->nf = cf->nf ? cf->nf * 2 : 8;
	cf->field = xrealloc(cf->field, cf->nf * sizeof *cf->field);
	cf->flen = xrealloc(cf->flen, cf->nf * sizeof *cf->flen);
	return PR_OK;
}

/* Split an unquoted record [p, end) at its commas. */
static int
split_plain(struct csvfile *cf, char *p, char *end, size_t *nf)
{
	char *comma;

	for (;;) {
		if (field_room(cf, *nf) != PR_OK)
			return PR_EDATA;
		comma = memchr(p, ',', (size_t)(end - p));
		cf->field[*nf] = p;
		cf->flen[*nf] = (size_t)((comma ? comma : end) - p);
		p[cf->flen[*nf]] = '\0';
		++*nf;
		if (comma == NULL)
			return PR_OK;
		p = comma + 1;
	}
}

/* Split a record with quoted fields, unquoting them in place. */
static int
split_quoted(struct csvfile *cf, char *p, char *end, size_t *nf)
{
	char *w;

	for (;;) {
		if (field_room(cf, *nf) != PR_OK)
			return PR_EDATA;
		cf->field[*nf] = w = p;
		if (p < end && *p == '"') {
			for (p++; p < end; p++) {
				if (*p == '"' && (++p == end || *p != '"'))
					break;
				*w++ = *p;
			}
			if (p < end && *p != ',')
				return pr_fail(PR_EDATA, "%s:%ld: text after a closing quote "
				    "in field %zu: double the quotes inside a quoted field",
				    cf->path, cf->rec_line, *nf + 1);
		} else {
			for (; p < end && *p != ','; p++) {
				if (*p == '"')
					return pr_fail(PR_EDATA, "%s:%ld: quote inside unquoted "
					    "field %zu: quote the whole field (RFC 4180)",
					    cf->path, cf->rec_line, *nf + 1);
			}
			w = p;
		}
		cf->flen[*nf] = (size_t)(w - cf->field[*nf]);
		*w = '\0';
		++*nf;
		if (p == end)
			return PR_OK;
		p++;
	}
}

/* Split the next non-blank record into cf->field.  Returns PR_OK, CSV_END
 * at the end of the file, or a failure. */
static int
csv_record(struct csvfile *cf)
{
	char *p, *end;
	size_t nf;
	long lines;
	int quoted, open, st;

	for (;;) {
		p = cf->buf + cf->pos;
		end = record_end(p, cf->buf + cf->len, &quoted, &open, &lines);
		if (end == NULL && !cf->eof) {
			if ((st = csv_fill(cf)) != PR_OK)
				return st;
			continue;
		}
		cf->rec_line = cf->line;
		cf->line += lines + 1;
		if (end == NULL) {	/* the last record has no LF */
			if (cf->pos == cf->len)
				return CSV_END;
			if (open)
				return pr_fail(PR_EDATA, "%s:%ld: quoted field not closed "
				    "before the end of the file: close the quote",
				    cf->path, cf->rec_line);
			end = cf->buf + cf->len;
		}
		cf->pos = (size_t)(end - cf->buf) + (end < cf->buf + cf->len);
		if (end > p && end[-1] == '\r')
			end--;
		if (end == p)
			continue;	/* blank line */
		nf = 0;
		st = quoted ? split_quoted(cf, p, end, &nf) : split_plain(cf, p, end, &nf);
		if (st != PR_OK)
			return st;
		if (cf->header)
			cf->nf = nf;
		else if (nf != cf->nf)
			return pr_fail(PR_EDATA, "%s:%ld: %zu fields where the header has %zu: "
			    "fix or remove the row", cf->path, cf->rec_line, nf, cf->nf);
		return PR_OK;
	}
}

/* Decimal text as a double.  Up to 15 digits the value is computed exactly
 * (an exact integer divided by an exact power of ten rounds correctly);
 * longer or exponent forms go to strtod.  Empty: a missing reading. */
static int
parse_value(const char *s, size_t len, double *out)
{
	static const double pow10tab[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
		1e13, 1e14, 1e15
	};
	const char *p = s, *end = s + len;
	uint64_t m = 0;
	int neg = 0, digits = 0, frac = 0;
	char *stop;

	if (len == 0) {
		*out = NAN;
		return 0;
	}
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++)
		m = m * 10 + (uint64_t)(*p - '0');
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, digits++, frac++)
			m = m * 10 + (uint64_t)(*p - '0');
	if (p == end && digits > 0 && digits <= 15) {
		*out = (double)m / pow10tab[frac];
		if (neg)
			*out = -*out;
		return 0;
	}
	*out = strtod(s, &stop);
	return stop == end && stop != s ? 0 : -1;
}

/* A timestamp field, the same text as the last one costing a memcmp. */
static int
parse_time(struct csvfile *cf, const char *text, size_t len, usec_t *t)
{
	if (len == cf->last_len && memcmp(text, cf->last_text, len) == 0) {
		*t = cf->last_t;
		return 0;
	}
	if (time_parse_iso(text, len, t) != 0)
		return -1;
	if (len < sizeof cf->last_text) {
		memcpy(cf->last_text, text, len);
		cf->last_len = len;
		cf->last_t = *t;
	}
	return 0;
}

/* A text field as written: the single quote a writer put in front of
 * formula-like text taken off (source.h). */
static inline const char *
text_field(const struct csvfile *cf, int column)
{
	const char *s = cf->field[cf->col[column]];

	return __builtin_expect(s[0] == '\'', 0) && csv_formula_like(s + 1) ? s + 1 : s;
}

/* The current record as a sample (strings point into the buffer). */
static int
record_sample(struct csvfile *cf, struct sample *s)
{
	const char *what;
	int bad;

	if (parse_time(cf, cf->field[cf->col[C_TIME]], cf->flen[cf->col[C_TIME]], &s->t) != 0)
		return pr_fail(PR_EDATA, "%s:%ld: bad timestamp \"%.40s\": write ISO 8601 "
		    "with a UTC offset, such as 2026-11-20T14:00:05-06:00", cf->path,
		    cf->rec_line, cf->field[cf->col[C_TIME]]);
	if (parse_value(cf->field[cf->col[C_VALUE]], cf->flen[cf->col[C_VALUE]], &s->value) != 0)
		return pr_fail(PR_EDATA, "%s:%ld: bad value \"%.40s\": write a decimal "
		    "number, or nothing for a missing reading", cf->path, cf->rec_line,
		    cf->field[cf->col[C_VALUE]]);
	s->interval = 0;	/* the file does not say: the consumer estimates it */
	s->hostname = text_field(cf, C_HOST);
	s->metric = text_field(cf, C_METRIC);
	s->units = text_field(cf, C_UNITS);
	s->source = cf->col[C_SOURCE] < 0 ? "" : text_field(cf, C_SOURCE);
	s->fqdd = cf->col[C_FQDD] < 0 ? "" : text_field(cf, C_FQDD);
	bad = s->hostname[0] == '\0' ? C_HOST : s->metric[0] == '\0' ? C_METRIC : -1;
	if (bad >= 0) {
		what = columns[bad].name;
		return pr_fail(PR_EDATA, "%s:%ld: empty %s: every row names its %s",
		    cf->path, cf->rec_line, what, what);
	}
	return PR_OK;
}

static void
csv_close(struct csvfile *cf)
{
	if (cf->fd >= 0)
		close(cf->fd);
	free(cf->buf);
	free(cf->field);
	free(cf->flen);
}

/* Find each column by its name in the header record. */
static int
header_columns(struct csvfile *cf)
{
	const char *name;
	size_t i;
	int c;

	for (c = 0; c < NCOLUMNS; c++)
		cf->col[c] = -1;
	for (i = 0; i < cf->nf; i++) {
		name = cf->field[i];
		if (i == 0 && strncmp(name, "\xef\xbb\xbf", 3) == 0)
			name += 3;	/* UTF-8 byte order mark */
		for (c = 0; c < NCOLUMNS; c++)
			if (cf->col[c] < 0 && strcasecmp(name, columns[c].name) == 0)
				cf->col[c] = (int)i;
	}
	for (c = 0; c < NCOLUMNS; c++)
		if (columns[c].required && cf->col[c] < 0)
			return pr_fail(PR_EDATA, "%s:%ld: the header line has no column \"%s\": "
			    "a raw_power.csv starts with the line " RAWCSV_COLUMNS,
			    cf->path, cf->rec_line, columns[c].name);
	return PR_OK;
}

/* Open path and read its header line.  csv_close() it even on failure. */
static int
csv_open(struct csvfile *cf, const char *path)
{
	struct stat st;
	int status;

	memset(cf, 0, sizeof *cf);
	cf->path = path;
	cf->line = 1;
	cf->last_len = SIZE_MAX;
	cf->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (cf->fd < 0 || (fstat(cf->fd, &st) == 0 && S_ISDIR(st.st_mode)))
		return pr_fail(PR_EDATA, "cannot read %s: %s: give the path of a raw_power.csv "
		    "(--from-csv)", path, strerror(cf->fd < 0 ? errno : EISDIR));
	cf->cap = CHUNK;
	cf->buf = xmalloc(cf->cap + 1);
	cf->header = 1;
	status = csv_record(cf);
	cf->header = 0;
	if (status == CSV_END)
		return pr_fail(PR_EDATA, "%s: empty file: a raw_power.csv starts with the "
		    "line " RAWCSV_COLUMNS, path);
	if (status != PR_OK)
		return status;
	return header_columns(cf);
}

/* The next row as a sample: PR_OK, CSV_END, or a failure. */
static int
csv_next(struct csvfile *cf, struct sample *s)
{
	int st;

	if (++cf->rows % POLL_ROWS == 0 && pr_interrupted)
		return pr_fail(PR_EINTR, "interrupted while reading %s", cf->path);
	if ((st = csv_record(cf)) != PR_OK)
		return st;
	return record_sample(cf, s);
}

/* The file stays open from source_csv_open() to the pull, so a pipe or
 * FIFO is read once, header included. */
static int
csv_pull(struct source *src, const struct plan *plan, usec_t start, usec_t end,
    const struct sample_sink *sink)
{
	struct csvfile *cf = src->priv;
	struct sample s;
	int st = PR_OK;

	while (st == PR_OK && (st = csv_next(cf, &s)) == PR_OK)
		st = sink->sample(sink->ctx, &s);
	return st == CSV_END ? PR_OK : st;
}

static void
csv_source_close(struct source *src)
{
	if (src->priv != NULL)
		csv_close(src->priv);
	free(src->priv);
	src->priv = NULL;
}

int
source_csv_open(struct source *src, const char *path)
{
	struct csvfile *cf = xmalloc(sizeof *cf);
	int st = csv_open(cf, path);	/* fail early on a missing file or header */

	if (st != PR_OK) {
		csv_close(cf);
		free(cf);
		return st;
	}
	src->name = "csv";
	src->pull = csv_pull;
	src->close = csv_source_close;
	src->priv = cf;
	return PR_OK;
}

int
source_csv_scan(const char *path, usec_t *first, usec_t *last, struct strlist *hosts)
{
	struct csvfile cf;
	struct sample s;
	unsigned long n = 0;
	int st, host = -1;

	st = csv_open(&cf, path);
	while (st == PR_OK && (st = csv_next(&cf, &s)) == PR_OK) {
		if (n++ == 0 || s.t < *first)
			*first = s.t;
		if (n == 1 || s.t > *last)
			*last = s.t;
		if (host >= 0 && strcmp(hosts->v[host], s.hostname) == 0)
			continue;
		if ((host = strlist_find(hosts, s.hostname)) < 0) {
			strlist_add(hosts, s.hostname);
			host = (int)hosts->n - 1;
		}
	}
	csv_close(&cf);
	if (st != CSV_END)
		return st;
	if (n == 0)
		return pr_fail(PR_ENODATA, "%s: no samples, only the header line", path);
	return PR_OK;
}
