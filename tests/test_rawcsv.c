/*
 * test_rawcsv.c - the raw_power.csv writer and the CSV source together:
 * whatever the writer produces reads back field for field and bit for bit,
 * and the reader takes foreign files (other column order, CRLF) but refuses
 * malformed ones with the file and line named.
 */
#include "testutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "error.h"
#include "rawcsv.h"
#include "reportfix.h"
#include "render.h"
#include "source.h"
#include "source_csv.h"
#include "strlist.h"

/* What a sink received, copied. */
struct got {
	size_t n, cap;
	struct sample *v;
	const struct sample *expect;	/* compare on the fly instead, when set */
	size_t stop_after;		/* return PR_EOUTPUT after that many, when set */
};

static int
take(void *ctx, const struct sample *s)
{
	struct got *g = ctx;
	struct sample *c;

	if (g->expect != NULL) {
		const struct sample *e = &g->expect[g->n++];

		ck_assert_str_eq(s->hostname, e->hostname);
		ck_assert_str_eq(s->metric, e->metric);
		ck_assert_str_eq(s->fqdd, e->fqdd);
		ck_assert_str_eq(s->source, e->source);
		ck_assert_str_eq(s->units, e->units);
		ck_assert_int_eq(s->t, e->t);
		if (isnan(e->value))
			ck_assert(isnan(s->value));
		else
			ck_assert_msg(memcmp(&s->value, &e->value, sizeof(double)) == 0,
			    "row %zu: read %.17g, wrote %.17g", g->n, s->value, e->value);
		return PR_OK;
	}
	if (g->stop_after && g->n == g->stop_after)
		return PR_EOUTPUT;
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 16;
		g->v = realloc(g->v, g->cap * sizeof *g->v);
	}
	c = &g->v[g->n++];
	*c = *s;
	c->hostname = strdup(s->hostname);
	c->metric = strdup(s->metric);
	c->fqdd = strdup(s->fqdd);
	c->source = strdup(s->source);
	c->units = strdup(s->units);
	return PR_OK;
}

static void
got_free(struct got *g)
{
	for (size_t i = 0; i < g->n && g->v != NULL; i++) {
		free((char *)g->v[i].hostname);
		free((char *)g->v[i].metric);
		free((char *)g->v[i].fqdd);
		free((char *)g->v[i].source);
		free((char *)g->v[i].units);
	}
	free(g->v);
}

/* Pull every row of path into g; returns the pull's status. */
static int
pull_all(const char *path, struct got *g)
{
	struct sample_sink sink = { take, NULL, g };
	struct source src;
	struct plan plan = { 0 };
	int st;

	pr_errclear();
	if ((st = source_csv_open(&src, path)) != PR_OK)
		return st;
	ck_assert_str_eq(src.name, "csv");
	st = src.pull(&src, &plan, 0, INT64_MAX, &sink);
	src.close(&src);
	return st;
}

/* A file named name with text in a fresh scratch dir; *dir to remove. */
static char *
scratch_file(char **dir, const char *name, const char *text)
{
	char *path;

	*dir = tu_tmpdir();
	if (asprintf(&path, "%s/%s", *dir, name) < 0)
		abort();
	if (text != NULL)
		tu_write(path, text);
	return path;
}

static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Every field survives the trip: awkward strings, NAN, fractional seconds,
 * decimals that have no exact binary form, random bit patterns.  Enough rows
 * to cross the reader's buffer boundaries several times. */
START_TEST(round_trip)
{
	static const char *hosts[] = { "rpc-91-1", "odd,host", "say \"hi\"", "two\nlines",
	    "cr\rlf\r\n", "\"", "," };
	static const char *fqdds[] = { "", "Video.Slot.38-1", "a \"quoted\", fqdd",
	    "=HYPERLINK(\"http://x\",\"y\")", "'@SUM(A1)", "''", "-", "'", "\tx", "+1" };
	static const double fixed[] = { 0.1, 1e-7, 0.3, 123.456, -42.5, 0, -0.0, 1e300,
	    4.9e-324, 2.2250738585072014e-308, 9007199254740993.0, 1e22, 123456789012.123,
	    0.000123, 1.7976931348623157e308, -1e-300, 5e-10, 1234567.0000001, NAN,
	    INFINITY, -INFINITY };
	enum { N = 40000 };
	struct sample *rows = calloc(N, sizeof *rows);
	struct got g = { 0 };
	char *dir, *path = scratch_file(&dir, "raw_power.csv", NULL);
	uint64_t seed = 42, bits;
	FILE *fp;
	size_t i, nfixed = sizeof fixed / sizeof fixed[0];

	ck_assert_int_eq(time_set_zone("America/Chicago"), PR_OK);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	rawcsv_write_header(fp);
	for (i = 0; i < N; i++) {
		struct sample *s = &rows[i];

		s->hostname = hosts[i % 7];
		s->fqdd = fqdds[i % 10];
		s->source = i % 5 ? "PowerMetrics" : "";
		s->units = i % 2 ? "W" : "mW";
		s->metric = i % 11 ? "SystemInputPower" : "Power,\"Consumption\"";
		/* around 2026-11 (DST ends 2026-11-01 in Chicago), some fractional */
		s->t = INT64_C(1790000000000000) + (int64_t)i * 4999731 * (i % 2 ? 1 : 1000);
		if (i < nfixed)
			s->value = fixed[i];
		else if (i % 3 == 0) {
			do {
				bits = rnd(&seed);
				memcpy(&s->value, &bits, sizeof bits);
			} while (!isfinite(s->value));
		} else
			s->value = (double)(rnd(&seed) % 2000000) / 1000.0;
		rawcsv_write_row(fp, s);
	}
	ck_assert_int_eq(fclose(fp), 0);
	g.expect = rows;
	ck_assert_int_eq(pull_all(path, &g), PR_OK);
	ck_assert_uint_eq(g.n, N);
	tu_rmrf(dir);
	free(dir);
	free(path);
	free(rows);
}
END_TEST

/* The exact text of a few rows: integers plain, quoting only when needed. */
START_TEST(row_text)
{
	struct sample s = { "rpg-93-1", "PowerConsumption", "Video.Slot.38-1", "PowerMetrics",
	    "mW", 0, 68000, 0 };
	char *buf = NULL;
	size_t len;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_int_eq(time_set_zone("UTC"), PR_OK);
	rawcsv_write_header(fp);
	s.t = INT64_C(1795708800) * 1000000;	/* 2026-11-26T16:00:00Z */
	rawcsv_write_row(fp, &s);
	s.value = NAN;
	s.hostname = "a,b";
	rawcsv_write_row(fp, &s);
	s.value = -0.25;
	s.fqdd = "x\"y";
	rawcsv_write_row(fp, &s);
	fclose(fp);
	ck_assert_str_eq(buf,
	    "timestamp,hostname,source,fqdd,value,units,metric\n"
	    "2026-11-26T16:00:00+00:00,rpg-93-1,PowerMetrics,Video.Slot.38-1,68000,mW,PowerConsumption\n"
	    "2026-11-26T16:00:00+00:00,\"a,b\",PowerMetrics,Video.Slot.38-1,,mW,PowerConsumption\n"
	    "2026-11-26T16:00:00+00:00,\"a,b\",PowerMetrics,\"x\"\"y\",-0.25,mW,PowerConsumption\n");
	free(buf);
}
END_TEST

/* Columns in another order, extra columns, no source/fqdd columns, CRLF,
 * blank lines, a quoted header, no LF after the last row. */
START_TEST(foreign_layout)
{
	char *dir, *path = scratch_file(&dir, "x.csv",
	    "\xef\xbb\xbfMetric,value,comment,\"timestamp\",HOSTNAME,units\r\n"
	    "SystemInputPower,512.5,\"note, with comma\",2026-11-20T14:00:05-06:00,rpc-91-1,W\r\n"
	    "\r\n"
	    "\n"
	    "TotalFanPower,,,2026-11-20T20:00:10.25Z,rpc-91-1,W");
	struct got g = { 0 };

	ck_assert_int_eq(pull_all(path, &g), PR_OK);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_str_eq(g.v[0].metric, "SystemInputPower");
	ck_assert_str_eq(g.v[0].hostname, "rpc-91-1");
	ck_assert_str_eq(g.v[0].units, "W");
	ck_assert_str_eq(g.v[0].fqdd, "");
	ck_assert_str_eq(g.v[0].source, "");
	ck_assert(g.v[0].value == 512.5);
	ck_assert_int_eq(g.v[0].t, INT64_C(1795204805) * 1000000);
	ck_assert_str_eq(g.v[1].metric, "TotalFanPower");
	ck_assert_str_eq(g.v[1].units, "W");
	ck_assert(isnan(g.v[1].value));
	ck_assert_int_eq(g.v[1].t, INT64_C(1795204810) * 1000000 + 250000);
	got_free(&g);
	tu_rmrf(dir);
	free(dir);
	free(path);
}
END_TEST

START_TEST(missing_column)
{
	char *dir, *path = scratch_file(&dir, "x.csv",
	    "timestamp,hostname,source,fqdd,value,metric\n"
	    "2026-11-20T14:00:05-06:00,rpc-91-1,,,5,SystemInputPower\n");
	struct source src;

	pr_errclear();
	ck_assert_int_eq(source_csv_open(&src, path), PR_EDATA);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "\"units\""));
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), path));
	tu_rmrf(dir);
	free(dir);
	free(path);
}
END_TEST

/* Each kind of bad row fails with the file, the right line, and the text. */
START_TEST(bad_rows)
{
	static const struct {
		const char *row, *says;
	} bad[] = {
		{ "2026-11-20 14:00:05,rpc-91-1,,,5,W,M\n", "bad timestamp \"2026-11-20 14:00:05\"" },
		{ "yesterday,rpc-91-1,,,5,W,M\n", "bad timestamp" },
		{ "2026-11-20T14:00:05Z,rpc-91-1,,,5 W,W,M\n", "bad value \"5 W\"" },
		{ "2026-11-20T14:00:05Z,rpc-91-1,,,1.2.3,W,M\n", "bad value" },
		{ "2026-11-20T14:00:05Z,rpc-91-1,,,-,W,M\n", "bad value" },
		{ "2026-11-20T14:00:05Z,rpc-91-1,,5,W,M\n", "6 fields where the header has 7" },
		{ "2026-11-20T14:00:05Z,rpc-91-1,,,5,W,M,extra\n", "more than the header's 7 fields" },
		{ "2026-11-20T14:00:05Z,rpc\"91,,,5,W,M\n", "quote inside unquoted field 2" },
		{ "2026-11-20T14:00:05Z,\"rpc\"91,,,5,W,M\n", "text after a closing quote in field 2" },
		{ "2026-11-20T14:00:05Z,,,,5,W,M\n", "empty hostname" },
		{ "2026-11-20T14:00:05Z,h,,,5,W,\n", "empty metric" },
		{ "2026-11-20T14:00:05Z,\"h,,,5,W,M\n", "quoted field not closed" },
	};
	/* line 3 holds a quoted line break, so the bad row is on line 5 */
	const char *head = "timestamp,hostname,source,fqdd,value,units,metric\n"
	    "2026-11-20T14:00:00Z,rpc-91-1,,,5,W,SystemInputPower\n"
	    "2026-11-20T14:00:05Z,\"rpc\n91\",,,5,W,SystemInputPower\n";
	char *dir, *path, *text, *where;
	struct got g = { 0 };
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (asprintf(&text, "%s%s", head, bad[i].row) < 0)
			abort();
		path = scratch_file(&dir, "bad.csv", text);
		memset(&g, 0, sizeof g);
		ck_assert_int_eq(pull_all(path, &g), PR_EDATA);
		ck_assert_uint_eq(g.n, 2);
		if (asprintf(&where, "%s:5: ", path) < 0)
			abort();
		ck_assert_msg(strncmp(pr_errmsg(), where, strlen(where)) == 0,
		    "row %zu: %s", i, pr_errmsg());
		ck_assert_msg(strstr(pr_errmsg(), bad[i].says) != NULL, "row %zu: %s", i, pr_errmsg());
		got_free(&g);
		free(where);
		free(text);
		tu_rmrf(dir);
		free(dir);
		free(path);
	}
}
END_TEST

START_TEST(unreadable)
{
	char *dir, *path = scratch_file(&dir, "none.csv", NULL);
	struct source src;
	struct strlist hosts = { 0 };
	usec_t a, b;

	pr_errclear();
	ck_assert_int_eq(source_csv_open(&src, path), PR_EDATA);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "No such file or directory"));
	pr_errclear();
	ck_assert_int_eq(source_csv_scan(dir, &a, &b, &hosts), PR_EDATA);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "Is a directory"));
	tu_write(path, "");
	pr_errclear();
	ck_assert_int_eq(source_csv_open(&src, path), PR_EDATA);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "empty file"));
	tu_write(path, "timestamp,hostname,source,fqdd,value,units,metric\r\n\r\n");
	pr_errclear();
	ck_assert_int_eq(source_csv_scan(path, &a, &b, &hosts), PR_ENODATA);
	ck_assert_uint_eq(hosts.n, 0);
	tu_rmrf(dir);
	free(dir);
	free(path);
}
END_TEST

START_TEST(scan_span_hosts)
{
	char *dir, *path = scratch_file(&dir, "x.csv",
	    "timestamp,hostname,source,fqdd,value,units,metric\n"
	    "2026-11-20T14:00:05-06:00,rpc-91-1,,,5,W,SystemInputPower\n"
	    "2026-11-20T13:59:58-06:00,rpg-93-1,,,5,W,SystemInputPower\n"
	    "2026-11-20T14:00:10-06:00,rpc-91-1,,,,W,SystemInputPower\n"
	    "2026-11-20T17:05:03.5-06:00,rpg-93-1,,,7,W,SystemInputPower\n"
	    "2026-11-20T15:00:00-06:00,\"rpc,odd\",,,7,W,SystemInputPower\n");
	struct strlist hosts = { 0 };
	usec_t first, last;

	ck_assert_int_eq(source_csv_scan(path, &first, &last, &hosts), PR_OK);
	ck_assert_int_eq(first, INT64_C(1795204798) * 1000000);
	ck_assert_int_eq(last, INT64_C(1795215903) * 1000000 + 500000);
	ck_assert_uint_eq(hosts.n, 3);
	ck_assert_str_eq(hosts.v[0], "rpc-91-1");
	ck_assert_str_eq(hosts.v[1], "rpg-93-1");
	ck_assert_str_eq(hosts.v[2], "rpc,odd");
	strlist_free(&hosts);
	tu_rmrf(dir);
	free(dir);
	free(path);
}
END_TEST

/* The bundled sample job reads cleanly: its two nodes, one sample before
 * the window (14:00 CST) and one after its end (17:05). */
START_TEST(bundled_sample)
{
	char *path = tu_top("samples/raw_power.csv");
	struct strlist hosts = { 0 };
	usec_t first, last, start, end;

	ck_assert_int_eq(time_parse("2026-11-20T14:00:00-06:00", &start), PR_OK);
	ck_assert_int_eq(time_parse("2026-11-20T17:05:00-06:00", &end), PR_OK);
	ck_assert_int_eq(source_csv_scan(path, &first, &last, &hosts), PR_OK);
	ck_assert_uint_eq(hosts.n, 2);
	ck_assert_str_eq(hosts.v[0], "rpc-91-1");
	ck_assert_str_eq(hosts.v[1], "rpg-93-1");
	ck_assert(first < start && first > start - 5 * USEC_PER_SEC);
	ck_assert(last > end && last < end + 10 * USEC_PER_SEC);
	strlist_free(&hosts);
	free(path);
}
END_TEST

/* A field longer than the reader's buffer makes it grow, not fail. */
START_TEST(long_field)
{
	enum { LEN = 3 << 20 };
	char *dir, *path = scratch_file(&dir, "x.csv", NULL);
	char *fqdd = malloc(LEN + 1);
	struct sample s = { "h", "M", NULL, "", "W", 1000000, 1.5, 0 };
	struct sample rows[3];
	struct got g = { 0 };
	FILE *fp = fopen(path, "w");

	memset(fqdd, 'x', LEN);
	fqdd[LEN] = '\0';
	fqdd[LEN / 2] = ',';
	fqdd[LEN / 2 + 1] = '\n';
	rawcsv_write_header(fp);
	s.fqdd = "short";
	rows[0] = s;
	rawcsv_write_row(fp, &s);
	s.fqdd = fqdd;
	rows[1] = s;
	rawcsv_write_row(fp, &s);
	s.fqdd = "short again";
	rows[2] = s;
	rawcsv_write_row(fp, &s);
	fclose(fp);
	g.expect = rows;
	ck_assert_int_eq(pull_all(path, &g), PR_OK);
	ck_assert_uint_eq(g.n, 3);
	free(fqdd);
	tu_rmrf(dir);
	free(dir);
	free(path);
}
END_TEST

/* A sink's failure and an interrupt both stop the pull with their status. */
START_TEST(stops)
{
	char *dir, *path = scratch_file(&dir, "x.csv", NULL);
	struct sample s = { "h", "M", "", "", "W", 0, 1, 0 };
	struct got g = { 0 };
	FILE *fp = fopen(path, "w");
	int i;

	rawcsv_write_header(fp);
	for (i = 0; i < 10000; i++) {
		s.t = (usec_t)i * 5000000;
		rawcsv_write_row(fp, &s);
	}
	fclose(fp);
	g.stop_after = 7;
	ck_assert_int_eq(pull_all(path, &g), PR_EOUTPUT);
	ck_assert_uint_eq(g.n, 7);
	got_free(&g);
	memset(&g, 0, sizeof g);
	pr_interrupted = 1;
	ck_assert_int_eq(pull_all(path, &g), PR_EINTR);
	pr_interrupted = 0;
	ck_assert_uint_lt(g.n, 10000);
	got_free(&g);
	tu_rmrf(dir);
	free(dir);
	free(path);
}
END_TEST

/* Text a spreadsheet would run gets a single quote in front, inside the
 * RFC 4180 quotes when the field needs them; numbers stay numbers. */
START_TEST(formula_guard)
{
	struct sample s = { "rpg-93-1", "PowerConsumption", "=HYPERLINK(\"http://x\")",
	    "@src", "W", 0, -5, 0 };
	char *buf = NULL;
	size_t len;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_int_eq(time_set_zone("UTC"), PR_OK);
	s.t = INT64_C(1795708800) * 1000000;
	rawcsv_write_row(fp, &s);
	s.fqdd = "-1,2";
	s.source = "'+x";
	rawcsv_write_row(fp, &s);
	csv_write_text(fp, "Video.Slot.33-1,999999,");
	fclose(fp);
	ck_assert_str_eq(buf,
	    "2026-11-26T16:00:00+00:00,rpg-93-1,'@src,\"'=HYPERLINK(\"\"http://x\"\")\",-5,W,PowerConsumption\n"
	    "2026-11-26T16:00:00+00:00,rpg-93-1,''+x,\"'-1,2\",-5,W,PowerConsumption\n"
	    "\"Video.Slot.33-1,999999,\"");
	ck_assert(csv_formula_like("=1") && csv_formula_like("''@") && csv_formula_like("\r"));
	ck_assert(!csv_formula_like("'") && !csv_formula_like("a=1") && !csv_formula_like(""));
	free(buf);
}
END_TEST

/* A powerreport --from-csv run on a text in a scratch directory. */
struct run {
	char *dir, *out, *report;	/* scratch, --outdir, the report in it */
	struct run_result r;
};

#define WINDOW_START "2026-11-20T14:00:00-06:00"
#define WINDOW_END "2026-11-20T14:10:00-06:00"

/* Run it over [start, end] for nodelist, csv and json only. */
static void
run_csv(struct run *run, const char *text, const char *nodelist,
    const char *start, const char *end)
{
	char *csv = scratch_file(&run->dir, "raw_power.csv", text);
	const char *argv[] = { "--from-csv", csv, "--job-id", "7", "--start", start,
	    "--end", end, "--nodelist", nodelist, "--outdir", NULL, "--formats",
	    "csv,json", "--timezone", "America/Chicago", "--quiet", NULL };

	if (asprintf(&run->out, "%s/out", run->dir) < 0 ||
	    asprintf(&run->report, "%s/power_7", run->out) < 0)
		abort();
	mkdir(run->out, 0700);
	argv[11] = run->out;
	run->r = tu_run(argv, NULL, NULL);
	free(csv);
}

static void
run_free(struct run *run)
{
	tu_run_free(&run->r);
	tu_rmrf(run->dir);
	free(run->dir);
	free(run->out);
	free(run->report);
}

/* summary.json's number at a path of keys (arrays by index), NAN for null. */
static double
json_num(const cJSON *o, const char *const *keys)
{
	for (; *keys != NULL; keys++)
		o = cJSON_IsArray(o) ? cJSON_GetArrayItem(o, atoi(*keys)) :
		    cJSON_GetObjectItemCaseSensitive(o, *keys);
	ck_assert_ptr_nonnull(o);
	return cJSON_IsNull(o) ? NAN : o->valuedouble;
}

#define HDR "timestamp,hostname,source,fqdd,value,units,metric\n"
#define AT(mmss) "2026-11-20T14:" mmss "-06:00"

/* 300 W every 30 s from 13:59:30 to 14:10:30 on rpc-91-1 (device S), then
 * the rows of extra. */
static char *
clean_30s(const char *extra)
{
	char *text = strdup(HDR "2026-11-20T13:59:30-06:00,rpc-91-1,P,S,300,W,SystemInputPower\n");

	for (int i = 0; i <= 21; i++) {
		char *more;

		if (asprintf(&more, "%s2026-11-20T14:%02d:%02d-06:00,rpc-91-1,P,S,300,W,"
		    "SystemInputPower\n", text, i / 2, i % 2 * 30) < 0)
			abort();
		free(text);
		text = more;
	}
	if (extra != NULL) {
		char *more;
		if (asprintf(&more, "%s%s", text, extra) < 0)
			abort();
		free(text);
		text = more;
	}
	return text;
}

/* A clean 30 s series is fully covered (it was "0 %, 480 gaps" when every
 * series was judged against 5 s); Infinity, 3.4e38, 1e308, 0x1p1023,
 * -5e4 and a row in year 9999 (a second input series, T) are dropped,
 * counted and never reach the energy; rows far outside the window stay out
 * of raw_power.csv. */
START_TEST(implausible_and_interval_e2e)
{
	static const char *const cov[] = { "nodes", "0", "series", "0", "coverage", NULL };
	static const char *const kwh[] = { "totals", "energy_kwh", "total", NULL };
	static const char *const nonfin[] = { "nodes", "0", "series", "1", "non_finite", NULL };
	static const char *const impl[] = { "nodes", "0", "series", "1", "implausible", NULL };
	static const char *const ival[] = { "nodes", "0", "series", "0", "interval_s", NULL };
	char *text = clean_30s(
	    AT("01:10") ",rpc-91-1,P,T,Infinity,W,SystemInputPower\n"
	    AT("02:10") ",rpc-91-1,P,T,3.4e38,W,SystemInputPower\n"
	    AT("03:10") ",rpc-91-1,P,T,1e308,W,SystemInputPower\n"
	    AT("04:10") ",rpc-91-1,P,T,0x1p1023,W,SystemInputPower\n"
	    AT("05:10") ",rpc-91-1,P,T,-5e4,W,SystemInputPower\n"
	    "9999-01-01T00:00:00+00:00,rpc-91-1,P,T,20000,W,SystemInputPower\n");
	struct run run;
	char *raw;
	cJSON *j;

	run_csv(&run, text, "rpc-91-1", WINDOW_START, WINDOW_END);
	ck_assert_msg(run.r.status == 0, "exit %d: %s", run.r.status, run.r.err);
	j = rf_summary(run.report);
	ck_assert_double_eq_tol(json_num(j, cov), 1, 1e-9);
	ck_assert_double_eq_tol(json_num(j, ival), 30, 1e-9);
	ck_assert_double_eq_tol(json_num(j, kwh), 300.0 * 600 / 3.6e6, 1e-12);
	ck_assert_double_eq(json_num(j, nonfin), 1);
	ck_assert_double_eq(json_num(j, impl), 4);
	raw = cJSON_PrintUnformatted(j);
	ck_assert(strstr(raw, "dropped as implausible") != NULL);
	free(raw);
	raw = rf_file(run.report, "raw_power.csv");
	ck_assert(strstr(raw, "9999-") == NULL);
	ck_assert(strstr(raw, "13:59:30") != NULL && strstr(raw, "14:10:30") != NULL);
	free(raw);
	cJSON_Delete(j);
	run_free(&run);
	free(text);

	/* nothing usable at all: bad input data, exit 4, no report */
	run_csv(&run, HDR AT("01:10") ",rpc-91-1,P,S,inf,W,SystemInputPower\n"
	    AT("02:10") ",rpc-91-1,P,S,-5e4,W,SystemInputPower\n", "rpc-91-1",
	    WINDOW_START, WINDOW_END);
	ck_assert_int_eq(run.r.status, PR_EDATA);
	ck_assert(strstr(run.r.err, "implausible") != NULL);
	ck_assert_int_eq(tu_count_entries(run.out), 0);
	run_free(&run);
}
END_TEST

/* A silent node is unknown, not zero: null energy with a reason, empty
 * cells in energy.csv, a banner sentence, node-hours over nodes with data.
 * A hostile device name neither shifts energy.csv's columns nor runs as a
 * formula, and comes back unchanged from raw_power.csv. */
START_TEST(silent_node_and_hostile_text_e2e)
{
	static const char *const silent[] = { "nodes", "1", "energy_kwh", "total", NULL };
	static const char *const node_h[] = { "totals", "node_hours", NULL };
	static const char *const with[] = { "totals", "nodes_with_data", NULL };
	char *text = clean_30s(
	    AT("00:00") ",rpc-91-1,P,\"Video.Slot.33-1,999999,\",50,W,PowerConsumption\n"
	    AT("10:00") ",rpc-91-1,P,\"Video.Slot.33-1,999999,\",50,W,PowerConsumption\n"
	    AT("00:00") ",rpc-91-1,P,=HYPERLINK(1),60,W,PowerConsumption\n"
	    AT("10:00") ",rpc-91-1,P,=HYPERLINK(1),60,W,PowerConsumption\n");
	struct run run;
	char *csv, *raw;
	const cJSON *banner, *reason;
	cJSON *j;

	run_csv(&run, text, "rpc-91-1,rpc-91-2", WINDOW_START, WINDOW_END);
	ck_assert_msg(run.r.status == 0, "exit %d: %s", run.r.status, run.r.err);
	j = rf_summary(run.report);
	ck_assert(isnan(json_num(j, silent)));
	ck_assert_double_eq_tol(json_num(j, node_h), 10.0 / 60, 1e-9);
	ck_assert_double_eq(json_num(j, with), 1);
	reason = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(j, "nodes"), 1), "energy_unknown");
	ck_assert(cJSON_IsString(reason));
	banner = cJSON_GetObjectItemCaseSensitive(j, "banner");
	ck_assert_int_eq(cJSON_GetArraySize(banner), 1);
	ck_assert_str_eq(cJSON_GetArrayItem(banner, 0)->valuestring,
	    "rpc-91-2 sent no telemetry; its energy is not in the total.");
	csv = rf_file(run.report, "energy.csv");
	ck_assert_msg(strstr(csv, "gpu,rpc-91-1,gpu,\"Video.Slot.33-1,999999,\",0.00833333333,0.00833333333\n")
	    != NULL, "%s", csv);
	ck_assert(strstr(csv, "gpu,rpc-91-1,gpu,'=HYPERLINK(1),0.01,0.01\n") != NULL);
	ck_assert(strstr(csv, "node,rpc-91-2,total,,,\n") != NULL);
	ck_assert(strstr(csv, "node,rpc-91-1,total,,0.05,0.05\n") != NULL);
	raw = rf_file(run.report, "raw_power.csv");
	ck_assert(strstr(raw, ",'=HYPERLINK(1),") != NULL);
	free(csv);
	cJSON_Delete(j);
	run_free(&run);

	/* raw_power.csv read back: the device names as they were */
	run_csv(&run, raw, "rpc-91-1", WINDOW_START, WINDOW_END);
	ck_assert_msg(run.r.status == 0, "exit %d: %s", run.r.status, run.r.err);
	csv = rf_file(run.report, "energy.csv");
	ck_assert(strstr(csv, "gpu,rpc-91-1,gpu,'=HYPERLINK(1),0.01,0.01\n") != NULL);
	free(csv);
	free(raw);
	run_free(&run);
	free(text);
}
END_TEST

/* --from-csv with a window shorter than the file: raw_power.csv and the
 * sample count hold the window and the two edge samples per series, and a
 * float4 value is written as its shortest text. */
START_TEST(window_slice_e2e)
{
	static const char *const samples[] = { "totals", "samples", NULL };
	char *text = clean_30s(AT("04:40") ",rpc-91-1,P,S,231.19999694824219,W,TotalCPUPower\n"
	    AT("04:50") ",rpc-91-1,P,S,231.19999694824219,W,TotalCPUPower\n");
	struct run run;
	char *raw;
	cJSON *j;

	run_csv(&run, text, "rpc-91-1", "2026-11-20T14:04:00-06:00",
	    "2026-11-20T14:04:45-06:00");
	ck_assert_msg(run.r.status == 0, "exit %d: %s", run.r.status, run.r.err);
	raw = rf_file(run.report, "raw_power.csv");
	/* input: 14:03:30 (edge), 14:04:00, 14:04:30, 14:05:00 (edge);
	 * CPU: 14:04:40 and 14:04:50 (edge) */
	ck_assert_msg(strcmp(raw, HDR
	    "2026-11-20T14:03:30-06:00,rpc-91-1,P,S,300,W,SystemInputPower\n"
	    "2026-11-20T14:04:00-06:00,rpc-91-1,P,S,300,W,SystemInputPower\n"
	    "2026-11-20T14:04:30-06:00,rpc-91-1,P,S,300,W,SystemInputPower\n"
	    "2026-11-20T14:05:00-06:00,rpc-91-1,P,S,300,W,SystemInputPower\n"
	    "2026-11-20T14:04:40-06:00,rpc-91-1,P,S,231.2,W,TotalCPUPower\n"
	    "2026-11-20T14:04:50-06:00,rpc-91-1,P,S,231.2,W,TotalCPUPower\n") == 0,
	    "%s", raw);
	j = rf_summary(run.report);
	ck_assert_double_eq(json_num(j, samples), 6);
	cJSON_Delete(j);
	free(raw);
	run_free(&run);
	free(text);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rawcsv");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, row_text);
	tcase_add_test(tc, foreign_layout);
	tcase_add_test(tc, missing_column);
	tcase_add_test(tc, bad_rows);
	tcase_add_test(tc, unreadable);
	tcase_add_test(tc, scan_span_hosts);
	tcase_add_test(tc, bundled_sample);
	tcase_add_test(tc, long_field);
	tcase_add_test(tc, stops);
	tcase_add_test(tc, formula_guard);
	tcase_add_test(tc, implausible_and_interval_e2e);
	tcase_add_test(tc, silent_node_and_hostile_text_e2e);
	tcase_add_test(tc, window_slice_e2e);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
