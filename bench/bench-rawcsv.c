/*
 * bench-rawcsv.c - how fast the raw CSV reader and writer are on their own:
 * reads a raw_power.csv through the CSV source and writes every sample back
 * with the raw_power.csv writer, then prints rows/s and peak RSS.  Used by
 * bench/bench-csv.sh next to the whole pipeline's numbers.
 *
 *   bench-rawcsv IN.csv OUT.csv [ZONE]
 *   bench-rawcsv --writer ROWS
 *
 * With the zone IN was written in, OUT is byte for byte IN.  --writer
 * times the writer alone: ROWS float4 (REAL) readings to /dev/null, once as
 * the collector hands them over (shortest decimal, "231.2") and once
 * widened to double as they used to be ("231.19999694824219").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "rawcsv.h"
#include "series.h"
#include "source.h"
#include "source_csv.h"

struct copy {
	FILE *out;
	unsigned long rows;
};

static int
copy_row(void *ctx, const struct sample *s)
{
	struct copy *c = ctx;

	rawcsv_write_row(c->out, s);
	c->rows++;
	return PR_OK;
}

/* Peak resident set size in MiB (VmHWM), -1 when unknown. */
static double
peak_rss_mib(void)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];
	double kib = -1;

	while (fp != NULL && fgets(line, sizeof line, fp) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0)
			kib = atof(line + 6);
	if (fp != NULL)
		fclose(fp);
	return kib < 0 ? -1 : kib / 1024;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Rows/s of the writer alone on rows float4 readings, 8 metrics per
 * instant, taken through float4_decimal when shortest is set. */
static double
writer_rate(unsigned long rows, int shortest)
{
	struct sample s = { "rpc-91-1", "SystemInputPower", "System.Embedded.1",
	    "PowerMetrics", "W", 1795708800000000, 0, 0 };
	FILE *out = fopen("/dev/null", "w");
	double t0, secs;

	if (out == NULL)
		return 0;
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	t0 = now();
	for (unsigned long i = 0; i < rows; i++) {
		float f = (float)(150 + (double)(i % 4099) * 0.1);

		s.t += i % 8 == 0 ? 5000000 : 0;
		s.value = shortest ? float4_decimal(f) : f;
		rawcsv_write_row(out, &s);
	}
	fclose(out);
	secs = now() - t0;
	return (double)rows / secs;
}

int
main(int argc, char **argv)
{
	struct copy c = { NULL, 0 };
	struct sample_sink sink = { copy_row, NULL, &c };
	struct plan plan = { 0 };
	struct source src;
	double t0, secs;
	int st;

	if (argc == 3 && strcmp(argv[1], "--writer") == 0) {
		unsigned long rows = strtoul(argv[2], NULL, 10);

		printf("writer alone, %lu float4 readings: %.0f rows/s as shortest "
		    "decimal (231.2), %.0f rows/s widened (231.19999694824219)\n",
		    rows, writer_rate(rows, 1), writer_rate(rows, 0));
		return PR_OK;
	}
	if (argc < 3 || argc > 4) {
		fputs("usage: bench-rawcsv IN.csv OUT.csv [ZONE] | --writer ROWS\n", stderr);
		return PR_EUSAGE;
	}
	if (time_set_zone(argv[3]) != PR_OK) {
		fprintf(stderr, "bench-rawcsv: %s\n", pr_errmsg());
		return PR_EUSAGE;
	}
	if ((c.out = fopen(argv[2], "w")) == NULL) {
		perror(argv[2]);
		return PR_EOUTPUT;
	}
	setvbuf(c.out, NULL, _IOFBF, 1 << 20);
	t0 = now();
	st = source_csv_open(&src, argv[1]);
	if (st == PR_OK) {
		rawcsv_write_header(c.out);
		st = src.pull(&src, &plan, INT64_MIN, INT64_MAX, &sink);
		src.close(&src);
	}
	if (fclose(c.out) != 0 && st == PR_OK)
		st = pr_fail(PR_EOUTPUT, "%s: write failed", argv[2]);
	secs = now() - t0;
	if (st != PR_OK) {
		fprintf(stderr, "bench-rawcsv: %s\n", pr_errmsg());
		return st;
	}
	printf("read+write: %lu rows in %.2f s: %.0f rows/s, peak RSS %.1f MiB\n",
	    c.rows, secs, (double)c.rows / secs, peak_rss_mib());
	return PR_OK;
}
