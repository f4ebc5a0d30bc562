/*
 * test_trust.c - the figures that say how far to trust a report (issue 14)
 * against closed-form values: CO2 and cost under carbon intensity and
 * price that step at known times (from a CSV file and from a table of a
 * real PostgreSQL, tests/pgserver.c), the flat factor where a series stops,
 * and the flat factor alone when none is configured.
 */
#include "testutil.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "error.h"
#include "pgserver.h"
#include "series.h"
#include "tariff.h"

#define S(x) ((usec_t)llround((x) * 1e6))	/* seconds -> usec_t */
#define T0 1700000000			/* a window start, epoch seconds */
#define HOUR 3600.0
#define REL 1e-9

/* Power of the analytic job: a ramp, so every trapezoid is exact. */
static double
ramp_w(double s)
{
	return 500 + 0.1 * s;
}

/* Energy in kWh of ramp_w over [a, b] seconds. */
static double
ramp_kwh(double a, double b)
{
	return (500 * (b - a) + 0.05 * (b * b - a * a)) / 3.6e6;
}

static void
close_to(double got, double want)
{
	ck_assert_msg(fabs(got - want) <= REL * fabs(want) + 1e-12,
	    "got %.12g, want %.12g", got, want);
}

/* A config whose co2_series (and price_series when price is set) is the
 * CSV file text, written in dir. */
static void
rate_config(struct config *cfg, const char *dir, const char *co2_csv,
    const char *price_csv)
{
	char *path;

	config_defaults(cfg);
	if (co2_csv != NULL) {
		path = xasprintf("%s/co2.csv", dir);
		tu_write(path, co2_csv);
		cfg->co2_series.csv = path;
	}
	if (price_csv != NULL) {
		path = xasprintf("%s/price.csv", dir);
		tu_write(path, price_csv);
		cfg->price_series.csv = path;
	}
}

/* The analytic job over [0, len] seconds, sampled every dt seconds from
 * first on, through a tariff: returns the job's energy in joules. */
static double
stream_job(struct tariff *tf, double len, double first, double dt)
{
	struct series s;
	double e;

	series_init(&s, "SystemInputPower", "", "W", S(T0), S(T0 + len), 0);
	series_set_cuts(&s, tariff_cuts(tf));
	for (double t = first; t <= len + dt; t += dt)
		series_add(&s, S(T0 + t), ramp_w(t));
	series_finish(&s);
	e = s.energy_j;
	series_free(&s);
	return e;
}

/* "2023-11-14T22:13:20Z"-style text of T0 + s. */
static char *
at(double s)
{
	return xasprintf("%.0f", T0 + s);
}

/* Carbon steps 100 / 300 / 200 g/kWh starting at -1 h, 1 h, 2 h; price 0.1
 * then 0.3 from 1.5 h: every step change falls between two samples. */
START_TEST(steps_exact)
{
	char *dir = tu_tmpdir(), *a = at(-HOUR), *b = at(HOUR), *c = at(2 * HOUR);
	char *d = at(1.5 * HOUR), *e = at(4 * HOUR);
	char *co2 = xasprintf("start,value\n%s,100\n%s,300\n%s,200\n%s,\n", a, b, c, e);
	char *price = xasprintf("%s,0.1\n%s,0.3\n%s,\n", a, d, e);
	struct config cfg;
	struct tariff tf;
	double len = 3 * HOUR, j, kwh;

	rate_config(&cfg, dir, co2, price);
	cfg.co2_g_per_kwh = 999;
	ck_assert_int_eq(tariff_load(&tf, &cfg, S(T0), S(T0 + len)), PR_OK);
	ck_assert_ptr_nonnull(tariff_cuts(&tf));
	ck_assert_uint_eq(tariff_cuts(&tf)->n, 3);
	j = stream_job(&tf, len, -3, 7);
	tariff_compute(&tf, &cfg, j);
	kwh = ramp_kwh(0, len);
	close_to(j / 3.6e6, kwh);
	close_to(tf.co2.total, (100 * ramp_kwh(0, HOUR) + 300 * ramp_kwh(HOUR, 2 * HOUR) +
	    200 * ramp_kwh(2 * HOUR, len)) / 1000);
	close_to(tf.co2.flat, 999 * kwh / 1000);
	close_to(tf.co2.covered_kwh, kwh);
	ck_assert_double_eq(tf.co2.fallback_kwh, 0);
	ck_assert(isnan(tf.cost.flat));	/* no flat price configured */
	close_to(tf.cost.total, 0.1 * ramp_kwh(0, 1.5 * HOUR) +
	    0.3 * ramp_kwh(1.5 * HOUR, len));
	/* cleanest and dirtiest hour, clipped to the window */
	ck_assert(tf.co2.low_start == S(T0) && tf.co2.low_end == S(T0 + HOUR));
	ck_assert_double_eq(tf.co2.low_v, 100);
	ck_assert(tf.co2.high_start == S(T0 + HOUR) && tf.co2.high_end == S(T0 + 2 * HOUR));
	ck_assert_uint_eq(tf.notes.n, 0);
	tariff_free(&tf);
	config_free(&cfg);
	free(a), free(b), free(c), free(d), free(e), free(co2), free(price);
	tu_rmrf(dir);
	free(dir);
}
END_TEST

/* The series stops at 2 h: the last hour is priced at the flat factor and
 * a note says so; with no flat factor the total is unknown, not smaller. */
START_TEST(uncovered_falls_back)
{
	char *dir = tu_tmpdir(), *a = at(0), *b = at(HOUR), *c = at(2 * HOUR);
	char *co2 = xasprintf("%s,100\n%s,300\n%s,\n", a, b, c);
	struct config cfg;
	struct tariff tf;
	double len = 3 * HOUR, j;

	rate_config(&cfg, dir, co2, NULL);
	cfg.co2_g_per_kwh = 400;
	ck_assert_int_eq(tariff_load(&tf, &cfg, S(T0), S(T0 + len)), PR_OK);
	j = stream_job(&tf, len, 0, 5);
	tariff_compute(&tf, &cfg, j);
	close_to(tf.co2.total, (100 * ramp_kwh(0, HOUR) + 300 * ramp_kwh(HOUR, 2 * HOUR) +
	    400 * ramp_kwh(2 * HOUR, len)) / 1000);
	close_to(tf.co2.fallback_kwh, ramp_kwh(2 * HOUR, len));
	ck_assert_uint_eq(tf.notes.n, 1);
	ck_assert_ptr_nonnull(strstr(tf.notes.v[0], "flat cost.co2_g_per_kwh"));
	tariff_free(&tf);

	cfg.co2_g_per_kwh = NAN;
	ck_assert_int_eq(tariff_load(&tf, &cfg, S(T0), S(T0 + len)), PR_OK);
	j = stream_job(&tf, len, 0, 5);
	tariff_compute(&tf, &cfg, j);
	ck_assert(isnan(tf.co2.total));
	close_to(tf.co2.unpriced_kwh, ramp_kwh(2 * HOUR, len));
	ck_assert_ptr_nonnull(strstr(tf.notes.v[0], "total is unknown"));
	tariff_free(&tf);
	config_free(&cfg);
	free(a), free(b), free(c), free(co2);
	tu_rmrf(dir);
	free(dir);
}
END_TEST

/* No series configured: nothing is split and nothing changes. */
START_TEST(no_series_no_cuts)
{
	struct config cfg;
	struct tariff tf;

	config_defaults(&cfg);
	cfg.co2_g_per_kwh = 400;
	ck_assert_int_eq(tariff_load(&tf, &cfg, S(T0), S(T0 + HOUR)), PR_OK);
	ck_assert_ptr_null(tariff_cuts(&tf));
	close_to(stream_job(&tf, HOUR, 0, 5) / 3.6e6, ramp_kwh(0, HOUR));
	tariff_compute(&tf, &cfg, 1e6);
	ck_assert(!tf.co2.have_series);
	tariff_free(&tf);
	config_free(&cfg);
}
END_TEST

/* The last row with a value holds as long as the step before it. */
START_TEST(csv_last_step_and_header)
{
	char *dir = tu_tmpdir(), *path = xasprintf("%s/c.csv", dir);
	struct rate r = { 0 };

	tu_write(path, "# grid\nstart,value\n2023-11-14T22:00:00Z,10\n"
	    "\n2023-11-14T23:00:00+00:00,20\r\n");
	ck_assert_int_eq(rate_load_csv(&r, path), PR_OK);
	ck_assert_uint_eq(r.n, 3);
	ck_assert(isnan(r.v[2]) && r.t[2] - r.t[1] == S(HOUR));
	ck_assert(isnan(rate_at(&r, r.t[0] - 1)));
	ck_assert_double_eq(rate_at(&r, r.t[1]), 20);
	ck_assert(isnan(rate_at(&r, r.t[2])));
	rate_free(&r);
	tu_rmrf(dir);
	free(dir);
	free(path);
}
END_TEST

/* A row that does not parse, times that do not ascend: exit 3 naming the
 * file and line, no report. */
START_TEST(csv_bad_rows)
{
	static const char *const bad[] = {
		"start,value\n2023-11-14T22:00:00Z,10\n2023-11-14T23:00:00Z,ten\n",
		"2023-11-14T22:00:00Z,10\n2023-11-14T21:00:00Z,20\n",
		"2023-11-14T22:00:00Z,10\n2023-11-14T23:00:00Z,-5\n",
	};
	char *dir = tu_tmpdir(), *csv = xasprintf("%s/c.csv", dir);
	char *conf = xasprintf("%s/config.json", dir), *out = xasprintf("%s/out", dir);
	char *raw = tu_top("samples/raw_power.csv");
	const char *argv[] = { "--config", conf, "--from-csv", raw, "--job-id", "4242",
		"--start", "2026-11-20T14:00:00-06:00", "--end",
		"2026-11-20T17:05:00-06:00", "--outdir", out, NULL };
	char *text = xasprintf("{\"cost\": {\"co2_series\": {\"csv\": \"%s\"}}}", csv);

	tu_write(conf, text);
	mkdir(out, 0700);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct run_result r;

		tu_write(csv, bad[i]);
		r = tu_run(argv, NULL, NULL);
		ck_assert_int_eq(r.status, PR_ECONFIG);
		ck_assert_msg(strstr(r.err, "c.csv: line ") != NULL, "%s", r.err);
		ck_assert_int_eq(tu_count_entries(out), 0);
		tu_run_free(&r);
	}
	tu_rmrf(dir);
	free(dir), free(csv), free(conf), free(out), free(raw), free(text);
}
END_TEST

/* ---- the sample job through the real binary ---- */

/* Report the sample job with the configuration text; its summary.json. */
static cJSON *
sample_summary(const char *config_text, char **err)
{
	char *dir = tu_tmpdir(), *conf = xasprintf("%s/config.json", dir);
	char *raw = tu_top("samples/raw_power.csv"), *sum;
	char *path = xasprintf("%s/power_4242/summary.json", dir);
	const char *argv[] = { "--config", conf, "--from-csv", raw, "--job-id", "4242",
		"--start", "2026-11-20T14:00:00-06:00", "--end",
		"2026-11-20T17:05:00-06:00", "--outdir", dir, "--formats", "json", NULL };
	struct run_result r;
	cJSON *root;

	tu_write(conf, config_text);
	r = tu_run(argv, NULL, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	sum = tu_read(path, NULL);
	root = cJSON_Parse(sum);
	ck_assert_ptr_nonnull(root);
	if (err != NULL)
		*err = xstrdup(r.err);
	tu_run_free(&r);
	tu_rmrf(dir);
	free(dir), free(conf), free(raw), free(sum), free(path);
	return root;
}

static double
num_at(const cJSON *root, const char *a, const char *b, const char *c)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, a);

	o = cJSON_GetObjectItemCaseSensitive(o, b);
	if (c != NULL)
		o = cJSON_GetObjectItemCaseSensitive(o, c);
	ck_assert_msg(cJSON_IsNumber(o), "%s.%s.%s is not a number", a, b, c ? c : "");
	return o->valuedouble;
}

/* A flat factor alone: co2_kg as before, no time-varying figure. */
START_TEST(flat_factor_unchanged)
{
	cJSON *root = sample_summary("{\"cost\": {\"co2_g_per_kwh\": 400}}", NULL);
	const cJSON *totals = cJSON_GetObjectItemCaseSensitive(root, "totals");

	close_to(num_at(root, "totals", "co2_kg", NULL),
	    num_at(root, "totals", "energy_kwh", "total") * 0.4);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(totals, "co2_kg_time_varying"));
	cJSON_Delete(root);
}
END_TEST

/* The same steps from samples/carbon_intensity.csv and from grid.carbon
 * give the same CO2; a table that is not there is a warning, not a
 * failure, and the flat factor stands. */
START_TEST(series_from_table)
{
	char *ci = pgs_conninfo("grid"), *csv = tu_top("samples/carbon_intensity.csv");
	char *from_csv = xasprintf("{\"cost\": {\"co2_g_per_kwh\": 400, "
	    "\"co2_series\": {\"csv\": \"%s\"}}}", csv);
	char *from_db = xasprintf("{\"cost\": {\"co2_g_per_kwh\": 400, "
	    "\"co2_series\": {\"database\": \"grid\", \"conninfo\": \"%s\", "
	    "\"schema\": \"grid\", \"table\": \"%s\", \"time_column\": \"starts\", "
	    "\"value_column\": \"g\"}}}", ci, "carbon");
	char *missing = xasprintf("{\"cost\": {\"co2_g_per_kwh\": 400, "
	    "\"co2_series\": {\"database\": \"grid\", \"conninfo\": \"%s\", "
	    "\"table\": \"nosuch\"}}}", ci);
	cJSON *a = sample_summary(from_csv, NULL), *b = sample_summary(from_db, NULL), *c;
	double kwh = num_at(a, "totals", "energy_kwh", "total");
	double va = num_at(a, "totals", "co2_kg_time_varying", "value");
	char *err, *warnings;

	close_to(num_at(b, "totals", "co2_kg_time_varying", "value"), va);
	ck_assert(va < 0.4 * kwh && va > 0.31 * kwh);
	close_to(num_at(cJSON_GetObjectItemCaseSensitive(b, "totals"),
	    "co2_kg_time_varying", "lowest_step", "value"), 310);
	c = sample_summary(missing, &err);
	close_to(num_at(c, "totals", "co2_kg", NULL), 0.4 * kwh);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(c, "totals"), "co2_kg_time_varying"));
	warnings = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(c, "warnings"));
	ck_assert_msg(strstr(warnings, "grid") && strstr(warnings, "nosuch"), "%s", warnings);
	free(warnings);
	cJSON_Delete(a), cJSON_Delete(b), cJSON_Delete(c);
	free(ci), free(csv), free(from_csv), free(from_db), free(missing), free(err);
}
END_TEST

Suite *trust_suite(void);

Suite *
trust_suite(void)
{
	Suite *s = suite_create("trust");
	TCase *tariff = tcase_create("tariff"), *pg = tcase_create("pg");

	tcase_add_test(tariff, steps_exact);
	tcase_add_test(tariff, uncovered_falls_back);
	tcase_add_test(tariff, no_series_no_cuts);
	tcase_add_test(tariff, csv_last_step_and_header);
	tcase_add_test(tariff, csv_bad_rows);
	suite_add_tcase(s, tariff);
	tcase_add_test(pg, flat_factor_unchanged);
	tcase_add_test(pg, series_from_table);
	tcase_set_timeout(pg, 120);
	suite_add_tcase(s, pg);
	return s;
}

int
main(void)
{
	char *path = tu_top("tests/fixtures/trust_grid.sql");

	if (pgs_start() != 0 || pgs_exec("postgres", "CREATE DATABASE grid") != 0 ||
	    pgs_exec_file("grid", path) != 0) {
		fprintf(stderr, "test_trust: cannot start PostgreSQL with the fixtures\n");
		return EXIT_FAILURE;
	}
	free(path);
	return tu_main(trust_suite());
}
