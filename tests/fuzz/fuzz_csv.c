// sources: src/rawcsv.c src/timefmt.c src/strlist.c src/strbuf.c src/error.c
/*
 * fuzz_csv.c - libFuzzer harness for the raw CSV reader over arbitrary bytes.
 * Checks: never crashes or reads out of bounds; scan and pull agree (same
 * success, same rows, span = min/max of the timestamps); a failure always
 * leaves a message; and what was read, written with the raw CSV writer and
 * read again, writes the very same text (the writer's output is a fixed
 * point of read+write, so no field is lost or changed on the way).
 * The reader is built in here with a 16-byte read size and a 1 KiB record
 * limit, so short inputs split records across refills, grow the buffer and
 * hit the limit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error.h"
#include "render.h"
#include "source.h"
#include "strlist.h"

#define CHUNK 16
#define RECORD_MAX 1024
#include "../../src/source_csv.c"

/* Instants whose local date has a four-digit year (the writer's range). */
#define SAFE_MIN INT64_C(-62135596800000000)
#define SAFE_MAX INT64_C(253370764800000000)

struct pass {
	FILE *out;		/* the rows as the writer writes them */
	unsigned long rows;
	usec_t min, max;
	int unsafe;		/* an instant outside the writer's range */
};

static int fds[2];
static char paths[2][64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	for (int i = 0; i < 2; i++) {
		if ((fds[i] = memfd_create("fuzz_csv", 0)) < 0)
			abort();
		snprintf(paths[i], sizeof paths[i], "/proc/self/fd/%d", fds[i]);
	}
	if (time_set_zone("America/Chicago") != PR_OK)
		abort();
	return 0;
}

static void
put_file(int i, const void *data, size_t size)
{
	if (ftruncate(fds[i], 0) != 0 || pwrite(fds[i], data, size, 0) != (ssize_t)size)
		abort();
}

static int
take(void *ctx, const struct sample *s)
{
	struct pass *p = ctx;

	if (strlen(s->hostname) == 0 || strlen(s->metric) == 0)
		abort();
	(void)strlen(s->fqdd);
	(void)strlen(s->source);
	(void)strlen(s->units);
	if (p->rows++ == 0 || s->t < p->min)
		p->min = s->t;
	if (p->rows == 1 || s->t > p->max)
		p->max = s->t;
	if (s->t < SAFE_MIN || s->t > SAFE_MAX)
		p->unsafe = 1;
	rawcsv_write_row(p->out, s);
	return PR_OK;
}

/* Pull file i through the writer into *text; returns the pull's status. */
static int
pass(int i, struct pass *p, char **text, size_t *len)
{
	struct sample_sink sink = { take, NULL, p };
	struct plan plan = { 0 };
	struct source src;
	int st;

	memset(p, 0, sizeof *p);
	p->out = open_memstream(text, len);
	rawcsv_write_header(p->out);
	pr_errclear();
	st = source_csv_open(&src, paths[i]);
	if (st == PR_OK) {
		st = src.pull(&src, &plan, INT64_MIN, INT64_MAX, &sink);
		src.close(&src);
	}
	fclose(p->out);
	if ((st != PR_OK) != (pr_errmsg()[0] != '\0'))
		abort();	/* a failure without a message, or the reverse */
	return st;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist hosts = { 0 };
	struct pass first, again;
	char *text1 = NULL, *text2 = NULL;
	size_t len1, len2;
	usec_t lo = 0, hi = 0;
	int st, scan;

	put_file(0, data, size);
	st = pass(0, &first, &text1, &len1);
	pr_errclear();
	scan = source_csv_scan(paths[0], &lo, &hi, &hosts);
	if (st == PR_OK && first.rows > 0 &&
	    (scan != PR_OK || lo != first.min || hi != first.max || hosts.n == 0))
		abort();
	if (st == PR_OK && first.rows == 0 && scan != PR_ENODATA)
		abort();
	if (st != PR_OK && st != PR_EDATA)
		abort();
	if (st == PR_EDATA && scan != PR_EDATA)
		abort();
	strlist_free(&hosts);
	if (st == PR_OK && !first.unsafe) {
		put_file(1, text1, len1);
		st = pass(1, &again, &text2, &len2);
		/* The writer may lengthen a record (timestamps in full form), so
		 * one just under this build's tiny RECORD_MAX can come back over
		 * it: not a loss, and the only failure allowed here. */
		if (st != PR_OK && strstr(pr_errmsg(), "record longer than") == NULL)
			abort();
		if (st == PR_OK && (again.rows != first.rows || len2 != len1 ||
		    memcmp(text1, text2, len1) != 0))
			abort();
	}
	free(text1);
	free(text2);
	return 0;
}
