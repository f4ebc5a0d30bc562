/*
 * test_trust.c - the figures that say how far to trust a report (issue 14)
 * against closed-form values: CO2 and cost under carbon intensity and
 * price that step at known times (from a CSV file and from a table of a
 * real PostgreSQL, tests/pgserver.c), the flat factor where a series stops,
 * and the flat factor alone when none is configured; energy ranges that
 * hold the true energy of analytic signals and shrink with the interval.
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
#include "reportfix.h"
#include "series.h"
#include "slurm_energy.h"
#include "tariff.h"
#include "uncertainty.h"

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

/* ---- energy ranges ---- */

#define STEP_AT 1234.5		/* a step of +200 W, between samples */
#define PERIOD 900.0

/* A signal no sampling follows exactly: a slow wave and a step. */
static double
wave_w(double s)
{
	return 400 + 150 * sin(2 * M_PI * s / PERIOD) + (s >= STEP_AT ? 200 : 0);
}

/* Its energy over [0, len] seconds, in joules. */
static double
wave_j(double len)
{
	return 400 * len + 150 * PERIOD / (2 * M_PI) * (1 - cos(2 * M_PI * len / PERIOD)) +
	    200 * (len - STEP_AT);
}

/* wave_w sampled every dt seconds from 0.7 s on (none inside [gap_a,
 * gap_b]) over one hour; its range under accuracy a. */
static void
wave_range(double dt, double gap_a, double gap_b, struct accuracy a, double *lo,
    double *hi)
{
	struct series s;

	series_init(&s, "SystemInputPower", "", "W", S(T0), S(T0 + HOUR), S(3 * dt));
	for (double t = 0.7; t <= HOUR + dt; t += dt)
		if (t < gap_a || t > gap_b)
			series_add(&s, S(T0 + t), wave_w(t));
	series_finish(&s);
	uncertainty_series(&s, a, lo, hi);
	ck_assert(*lo <= s.energy_j && s.energy_j <= *hi);
	series_free(&s);
}

/* With perfect sensors the range still holds the truth, from the sampling
 * alone, and narrows as the interval shrinks; with the default accuracy it
 * is wider and holds it too. */
START_TEST(range_holds_truth_and_shrinks)
{
	static const double dts[] = { 60, 20, 5, 1 };
	struct accuracy exact = { NULL, 0, 0 }, psu = { NULL, 5, 10 };
	double truth = wave_j(HOUR), lo, hi, width = INFINITY, plo, phi;

	for (size_t i = 0; i < sizeof dts / sizeof dts[0]; i++) {
		wave_range(dts[i], INFINITY, INFINITY, exact, &lo, &hi);
		ck_assert_msg(lo <= truth && truth <= hi, "dt %g: %g..%g misses %g",
		    dts[i], lo, hi, truth);
		ck_assert_msg(hi - lo < width, "dt %g: width %g not below %g",
		    dts[i], hi - lo, width);
		width = hi - lo;
		wave_range(dts[i], INFINITY, INFINITY, psu, &plo, &phi);
		ck_assert(plo <= lo && phi >= hi && plo <= truth && truth <= phi);
		ck_assert(phi - plo >= 2 * 0.05 * truth * 0.99);
	}
	ck_assert_msg(width < 0.002 * truth, "1 s sampling leaves %g of %g", width, truth);
}
END_TEST

/* A ten-minute gap across the step is bounded by the observed minimum and
 * maximum: the range holds the truth and is wider than without the gap. */
START_TEST(range_bounds_gaps)
{
	struct accuracy exact = { NULL, 0, 0 };
	double truth = wave_j(HOUR), lo, hi, glo, ghi;

	wave_range(5, INFINITY, INFINITY, exact, &lo, &hi);
	wave_range(5, 1000, 1600, exact, &glo, &ghi);
	ck_assert_msg(glo <= truth && truth <= ghi, "%g..%g misses %g", glo, ghi, truth);
	ck_assert(ghi - glo > (hi - lo) + 600 * 300);
}
END_TEST

/* One ramp from 100 W to 200 W between two samples 10 s apart, in a window
 * that is exactly those 10 s: the sampling term is |200 - 100| / 2 x 10 J. */
START_TEST(range_terms)
{
	struct series s;
	struct accuracy a = { NULL, 0, 0 };
	double lo, hi;

	series_init(&s, "SystemInputPower", "", "W", S(T0), S(T0 + 10), S(30));
	series_add(&s, S(T0), 100);
	series_add(&s, S(T0 + 10), 200);
	series_finish(&s);
	uncertainty_series(&s, a, &lo, &hi);
	close_to(s.energy_j, 1500);
	close_to(hi - s.energy_j, 500);
	close_to(s.energy_j - lo, 500);
	a.percent = 5;
	uncertainty_series(&s, a, &lo, &hi);
	close_to(hi - s.energy_j, 500 + 75);
	a.watts = 10;		/* 10 W x 10 s = 100 J > 5 % of 1500 J */
	uncertainty_series(&s, a, &lo, &hi);
	close_to(hi - s.energy_j, 500 + 100);
	series_free(&s);
}
END_TEST

/* Defaults per kind of metric, and a rule's "accuracy" over them. */
START_TEST(accuracy_config)
{
	static const char text[] = "{\"rules\": [{\"match\": \"rpc\", \"database\": "
	    "\"zen4\", \"accuracy\": {\"systeminputpower\": {\"percent\": 1}, "
	    "\"TotalCPUPower\": {\"percent\": 2, \"watts\": 3}}}]}";
	static const char bad[] = "{\"rules\": [{\"match\": \"rpc\", \"database\": "
	    "\"zen4\", \"accuracy\": {\"SystemInputPower\": {\"percent\": -1}}}]}";
	struct config cfg;
	struct series in, gpu, cpu;
	struct accuracy a;

	series_init(&in, "SystemInputPower", "", "W", 0, 1, 0);
	series_init(&gpu, "PowerConsumption", "", "mW", 0, 1, 0);
	series_init(&cpu, "TotalCPUPower", "", "W", 0, 1, 0);
	a = uncertainty_accuracy(NULL, &in);
	ck_assert(a.percent == 5 && a.watts == 10);
	a = uncertainty_accuracy(NULL, &gpu);
	ck_assert(a.percent == 5 && a.watts == 5);
	a = uncertainty_accuracy(NULL, &cpu);
	ck_assert(a.percent == 10 && a.watts == 5);
	config_defaults(&cfg);
	ck_assert_int_eq(config_load_buffer(&cfg, "t.json", text, strlen(text)), PR_OK);
	a = uncertainty_accuracy(config_rule_for(&cfg, "rpc-1"), &in);
	ck_assert(a.percent == 1 && a.watts == 10);
	a = uncertainty_accuracy(config_rule_for(&cfg, "rpc-1"), &cpu);
	ck_assert(a.percent == 2 && a.watts == 3);
	config_free(&cfg);
	config_defaults(&cfg);
	ck_assert_int_eq(config_load_buffer(&cfg, "t.json", bad, strlen(bad)), PR_ECONFIG);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "accuracy.SystemInputPower.percent"));
	pr_errclear();
	config_free(&cfg);
	series_free(&in), series_free(&gpu), series_free(&cpu);
}
END_TEST

/* The facility section: off by default, racks checked when read. */
START_TEST(facility_config)
{
	static const struct {
		const char *text, *key;
	} bad[] = {
		{ "{\"facility\": {\"racks\": [{\"name\": \"91\", \"nodes\": \"rpc-91-*\"}]}}",
		    "facility.racks[0]" },
		{ "{\"facility\": {\"scope\": \"building\"}}", "facility.scope" },
		{ "{\"facility\": {\"schema\": \"x; drop\"}}", "facility.schema" },
	};
	static const char files[] = "{\"cost\": {\"co2_series\": {\"csv\": \"grid.csv\"}, "
	    "\"price_series\": {\"csv\": \"/srv/price.csv\"}}}";
	struct config cfg;

	config_defaults(&cfg);
	ck_assert_ptr_null(cfg.facility.database);
	ck_assert_str_eq(cfg.facility.scope, "racks");
	config_free(&cfg);
	/* a relative series file is found beside the configuration file */
	config_defaults(&cfg);
	ck_assert_int_eq(config_load_buffer(&cfg, "/etc/pr/config.json", files,
	    strlen(files)), PR_OK);
	ck_assert_str_eq(cfg.co2_series.csv, "/etc/pr/grid.csv");
	ck_assert_str_eq(cfg.price_series.csv, "/srv/price.csv");
	config_free(&cfg);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		config_defaults(&cfg);
		ck_assert_int_eq(config_load_buffer(&cfg, "t.json", bad[i].text,
		    strlen(bad[i].text)), PR_ECONFIG);
		ck_assert_msg(strstr(pr_errmsg(), bad[i].key) != NULL, "%s", pr_errmsg());
		pr_errclear();
		config_free(&cfg);
	}
}
END_TEST

/* ---- the sample job through the real binary ---- */

/* Report the sample job with the configuration text; its summary.json. */
static cJSON *
sample_summary(const char *config_text, char **err)
{
	char *dir = tu_tmpdir(), *conf = xasprintf("%s/config.json", dir);
	char *raw = tu_top("samples/raw_power.csv");
	char *path = xasprintf("%s/power_4242/summary.json", dir);
	const char *argv[] = { "--config", conf, "--from-csv", raw, "--job-id", "4242",
		"--start", "2026-11-20T14:00:00-06:00", "--end",
		"2026-11-20T17:05:00-06:00", "--outdir", dir, "--formats", "json", NULL };
	struct run_result r;
	cJSON *root;

	tu_write(conf, config_text);
	r = tu_run(argv, NULL, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	root = rf_json(path);
	if (err != NULL)
		*err = xstrdup(r.err);
	tu_run_free(&r);
	tu_rmrf(dir);
	free(dir), free(conf), free(raw), free(path);
	return root;
}

static double
num_at(const cJSON *root, const char *a, const char *b, const char *c)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, a);

	if (b != NULL)
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

	double kwh = num_at(root, "totals", "energy_kwh", "total");
	const cJSON *node = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root,
	    "nodes"), 0);

	close_to(num_at(root, "totals", "co2_kg", NULL), kwh * 0.4);
	/* the range sits around every total, at least the 5 % of the PSUs */
	ck_assert(num_at(root, "totals", "energy_kwh_low", "total") <= 0.95 * kwh);
	ck_assert(num_at(root, "totals", "energy_kwh_high", "total") >= 1.05 * kwh);
	ck_assert(num_at(node, "energy_kwh_low", "cpu", NULL) <=
	    num_at(node, "energy_kwh", "cpu", NULL));
	ck_assert(num_at(node, "energy_kwh_high", "gpu", NULL) >=
	    num_at(node, "energy_kwh", "gpu", NULL));
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

/* ---- facility: measured PUE and the rack cross-check ---- */

/* A report from trust_nodes with tail added to the configuration: of job
 * id by lookup (slurm.jobs, then sacct, the first one found on PATH with
 * path_dir before it), or with id NULL of job 77 on rpc-91-1 over
 * [T0, T0 + 1 h].  Its summary.json, warnings and report.html. */
static cJSON *
nodes_run(const char *tail, const char *id, const char *path_dir, char **warnings,
    char **html)
{
	char *dir = tu_tmpdir(), *conf = xasprintf("%s/config.json", dir);
	char *nodes = pgs_conninfo("trust_nodes"), *path, *text;
	char *env_path = xasprintf("PATH=%s:%s", path_dir ? path_dir : "/nonexistent",
	    getenv("PATH"));
	const char *window[] = { "--config", conf, "--start", "1700000000", "--end",
		"1700003600", "--nodelist", "rpc-91-1", "--job-id", "77", "--outdir", dir,
		"--formats", "json,html", NULL };
	const char *lookup[] = { id, "--config", conf, "--outdir", dir, "--formats",
		"json,html", NULL };
	const char *env[] = { env_path, NULL };
	struct run_result r;
	cJSON *root;

	text = xasprintf("{\"rules\": [{\"match\": \"rpc\", \"database\": "
	    "\"trust_nodes\", \"conninfo\": \"%s\", \"metrics\": "
	    "[\"SystemInputPower\"]}], %s}", nodes, tail);
	tu_write(conf, text);
	r = tu_run(id != NULL ? lookup : window, env, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	path = xasprintf("%s/power_%s/report.html", dir, id != NULL ? id : "77");
	*html = tu_read(path, NULL);
	free(path);
	path = xasprintf("%s/power_%s/summary.json", dir, id != NULL ? id : "77");
	root = rf_json(path);
	*warnings = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(root, "warnings"));
	tu_run_free(&r);
	tu_rmrf(dir);
	free(dir), free(conf), free(nodes), free(path), free(text), free(env_path);
	return root;
}

/* Job 77 with the facility section text: its totals.facility (or NULL),
 * warnings and report.html. */
static cJSON *
facility_run(const char *facility, char **warnings, char **html)
{
	char *tail = xasprintf("\"facility\": %s", facility);
	cJSON *root = nodes_run(tail, NULL, NULL, warnings, html);
	cJSON *f = cJSON_DetachItemFromObject(cJSON_GetObjectItemCaseSensitive(root,
	    "totals"), "facility");

	cJSON_Delete(root);
	free(tail);
	return f;
}

static char *
facility_text(const char *scope, double mismatch)
{
	char *infra = pgs_conninfo("trust_infra");
	char *text = xasprintf("{\"database\": \"trust_infra\", \"conninfo\": \"%s\", "
	    "\"scope\": \"%s\", \"rack_mismatch\": %g, \"racks\": ["
	    "{\"name\": \"91\", \"nodes\": \"rpc-91-*\", \"pdus\": \"pdu-91-*\", "
	    "\"coolers\": \"irc-91-*\"}, {\"name\": \"92\", \"nodes\": "
	    "\"rpc-92-[0-9]\", \"pdus\": \"pdu-92-*\", \"coolers\": \"irc-92-*\"}]}",
	    infra, scope, mismatch);

	free(infra);
	return text;
}

/* Over the job's rack: PUE (4000 + 500 + 100) / 4000; the job's 1.8 kWh at
 * the wall of the building 1.8 x 1.15; the rack's nodes 3800 W against its
 * PDUs' 4000 W, within 15 %: no warning. */
START_TEST(facility_rack_pue)
{
	char *text = facility_text("racks", 0.15), *warnings, *html;
	cJSON *f = facility_run(text, &warnings, &html);
	const cJSON *rack;

	ck_assert_ptr_nonnull(f);
	close_to(num_at(f, "pue", NULL, NULL), 1.15);
	close_to(num_at(f, "pdu_kwh", NULL, NULL), 4.0);
	close_to(num_at(f, "cooling_kwh", NULL, NULL), 0.6);
	close_to(num_at(f, "it_kwh", NULL, NULL), 1.8);
	close_to(num_at(f, "facility_kwh", NULL, NULL), 1.8 * 1.15);
	ck_assert(num_at(f, "facility_kwh_low", NULL, NULL) < 1.8 * 1.15);
	rack = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(f, "racks"), 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(f, "racks")), 1);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(rack, "rack")->valuestring, "91");
	close_to(num_at(rack, "nodes_input_kwh", NULL, NULL), 3.8);
	close_to(num_at(rack, "nodes_to_pdu_ratio", NULL, NULL), 0.95);
	ck_assert_msg(strstr(warnings, "rack") == NULL, "%s", warnings);
	ck_assert_ptr_nonnull(strstr(html, "Measured PUE</th><td class=\"num\">1.15<"));
	ck_assert_ptr_nonnull(strstr(html, "Facility energy</th><td class=\"num\">2.07 kWh"));
	ck_assert_ptr_nonnull(strstr(html, "Rack 91: nodes / PDUs</th><td class=\"num\">0.95<"));
	cJSON_Delete(f);
	free(text), free(warnings), free(html);
}
END_TEST

/* The whole room: (5000 + 1600) / 5000; a tighter tolerance makes rack 91 a
 * warning that names it. */
START_TEST(facility_room_and_mismatch)
{
	char *text = facility_text("room", 0.03), *warnings, *html;
	cJSON *f = facility_run(text, &warnings, &html);

	close_to(num_at(f, "pue", NULL, NULL), 1.32);
	ck_assert_msg(strstr(warnings, "rack 91: its 2 nodes drew 3.8 kWh") != NULL,
	    "%s", warnings);
	cJSON_Delete(f);
	free(text), free(warnings), free(html);
}
END_TEST

/* An infra database that is not there: a warning, the report as before. */
START_TEST(facility_unreachable)
{
	char *warnings, *html;
	cJSON *f = facility_run("{\"database\": \"no_such_infra\", \"conninfo\": "
	    "\"host=/nonexistent\"}", &warnings, &html);

	ck_assert_ptr_nonnull(f);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(f, "pue")));
	ck_assert_msg(strstr(warnings, "no_such_infra") != NULL, "%s", warnings);
	ck_assert_ptr_null(strstr(html, "Measured PUE"));
	cJSON_Delete(f);
	free(warnings), free(html);
}
END_TEST

/* ---- Slurm's ConsumedEnergy ---- */

START_TEST(slurm_energy_parsing)
{
	double j;

	ck_assert_int_eq(slurm_energy_parse("6840000", &j), 0);
	ck_assert_double_eq(j, 6840000);
	ck_assert_int_eq(slurm_energy_parse("", &j), 0);
	ck_assert_double_eq(j, 0);
	ck_assert_int_eq(slurm_energy_parse("cpu=4,mem=1G,energy=3600000,node=1", &j), 0);
	ck_assert_double_eq(j, 3600000);
	ck_assert_int_eq(slurm_energy_parse("cpu=4,node=1", &j), 0);
	ck_assert_double_eq(j, 0);
	ck_assert_int_eq(slurm_energy_parse("1.5K", &j), -1);
	ck_assert_int_eq(slurm_energy_parse("cpu=1,energy=lots", &j), -1);
	ck_assert_int_eq(slurm_energy_parse("-5", &j), -1);
}
END_TEST

/* The energy is the field after the ones the lookup asked for; a line
 * without it (an older recording) is left to the lookup as it is. */
START_TEST(slurm_energy_sacct_line)
{
	char with[] = "1|a|b|c|1|2|n|w|S|0:0|360", without[] = "1|a|b|c|1|2|n|w|S|0:0";
	struct job job = { 0 };

	ck_assert_str_eq(slurm_energy_take_sacct(&job, with, 10), "1|a|b|c|1|2|n|w|S|0:0");
	ck_assert_double_eq(job.slurm_energy_j, 360);
	ck_assert_str_eq(job.slurm_energy_from, "sacct ConsumedEnergyRaw");
	memset(&job, 0, sizeof job);
	ck_assert_str_eq(slurm_energy_take_sacct(&job, without, 10), "1|a|b|c|1|2|n|w|S|0:0");
	ck_assert_ptr_null(job.slurm_energy_from);
}
END_TEST

/* powerreport 77: not in slurm.jobs, so sacct (a fake one printing what
 * sacct -P prints, ConsumedEnergyRaw last) finds it; 1.9 kWh beside the
 * telemetry's 1800 W x 1 h.  Asked for the CPU efficiency it says 2 h of
 * CPU time in the hour on 4 CPUs: 50 %, for a job from the database too. */
START_TEST(slurm_energy_from_sacct)
{
	char *dir = tu_tmpdir(), *sacct = xasprintf("%s/sacct", dir), *warnings, *html;
	cJSON *root, *s;

	tu_write(sacct, "#!/bin/sh\ncase \"$*\" in *TotalCPU*) echo '77|02:00:00|3600|4' ;;\n"
	    "*) echo '77|md|alice|cpu|1700000000|1700003600|"
	    "rpc-91-1|/tmp|COMPLETED|0:0|6840000' ;;\nesac\n");
	chmod(sacct, 0755);
	root = nodes_run("\"display\": {}", "77", dir, &warnings, &html);
	s = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root,
	    "totals"), "slurm_consumed_energy");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(s, "source")->valuestring,
	    "sacct ConsumedEnergyRaw");
	close_to(num_at(s, "kwh", NULL, NULL), 1.9);
	close_to(num_at(s, "difference_kwh", NULL, NULL), 0.1);
	close_to(num_at(s, "difference_pct", NULL, NULL), 0.1 / 1.8 * 100);
	ck_assert_ptr_nonnull(strstr(html, "Slurm&#39;s ConsumedEnergy</th><td "
	    "class=\"num\">1.900 kWh</td><td class=\"note\">+0.100 kWh (+5.6 %)"));
	ck_assert_ptr_nonnull(strstr(html, "only meaningful for jobs"));
	close_to(num_at(root, "totals", "cpu_efficiency", NULL), 0.5);
	cJSON_Delete(root);
	tu_rmrf(dir);
	free(dir), free(sacct), free(warnings), free(html);
}
END_TEST

/* From the energy TRES the site keeps in slurm.jobs: job 78 has one equal
 * to the telemetry's; job 79 none, which is one warning and no row; job
 * 80 text that says nothing, which is a warning of its own. */
START_TEST(slurm_energy_from_jobs_table)
{
	const char *tail = "\"database\": {\"jobs_energy_column\": \"tres_usage_str\"}";
	char *warnings, *html;
	cJSON *root = nodes_run(tail, "78", NULL, &warnings, &html), *s;

	s = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root,
	    "totals"), "slurm_consumed_energy");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(s, "source")->valuestring,
	    "slurm.jobs");
	close_to(num_at(s, "kwh", NULL, NULL), 1.8);
	ck_assert(fabs(num_at(s, "difference_kwh", NULL, NULL)) < 1e-9);
	cJSON_Delete(root);
	free(warnings), free(html);
	root = nodes_run(tail, "79", NULL, &warnings, &html);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    root, "totals"), "slurm_consumed_energy"));
	ck_assert_msg(strstr(warnings, "Slurm recorded no energy for this job "
	    "(slurm.jobs)") != NULL, "%s", warnings);
	ck_assert_ptr_null(strstr(html, "ConsumedEnergy</th>"));
	cJSON_Delete(root);
	free(warnings), free(html);
	root = nodes_run(tail, "80", NULL, &warnings, &html);
	ck_assert_msg(strstr(warnings, "slurm.jobs.tres_usage_str of job 80 is not a "
	    "number of joules") != NULL, "%s", warnings);
	ck_assert_msg(strstr(warnings, "Slurm recorded no energy") == NULL, "%s", warnings);
	cJSON_Delete(root);
	free(warnings), free(html);
}
END_TEST

Suite *trust_suite(void);

Suite *
trust_suite(void)
{
	Suite *s = suite_create("trust");
	TCase *tariff = tcase_create("tariff"), *range = tcase_create("range");
	TCase *pg = tcase_create("pg");

	tcase_add_test(tariff, steps_exact);
	tcase_add_test(tariff, uncovered_falls_back);
	tcase_add_test(tariff, no_series_no_cuts);
	tcase_add_test(tariff, csv_last_step_and_header);
	tcase_add_test(tariff, csv_bad_rows);
	suite_add_tcase(s, tariff);
	tcase_add_test(range, range_holds_truth_and_shrinks);
	tcase_add_test(range, range_bounds_gaps);
	tcase_add_test(range, range_terms);
	tcase_add_test(range, accuracy_config);
	tcase_add_test(range, facility_config);
	tcase_add_test(range, slurm_energy_parsing);
	tcase_add_test(range, slurm_energy_sacct_line);
	suite_add_tcase(s, range);
	tcase_add_test(pg, flat_factor_unchanged);
	tcase_add_test(pg, series_from_table);
	tcase_add_test(pg, facility_rack_pue);
	tcase_add_test(pg, facility_room_and_mismatch);
	tcase_add_test(pg, facility_unreachable);
	tcase_add_test(pg, slurm_energy_from_sacct);
	tcase_add_test(pg, slurm_energy_from_jobs_table);
	tcase_set_timeout(pg, 120);
	suite_add_tcase(s, pg);
	return s;
}

int
main(void)
{
	char *path = tu_top("tests/fixtures/trust_grid.sql");

	static const char *const infra[] = { "trust_infra.sql", NULL };
	static const char *const nodes[] = { "trust_nodes.sql", NULL };

	if (pgs_start() != 0 || pgs_exec("postgres", "CREATE DATABASE grid") != 0 ||
	    pgs_exec_file("grid", path) != 0 ||
	    pgs_create_monster("trust_infra", infra) != 0 ||
	    pgs_create_monster("trust_nodes", nodes) != 0) {
		fprintf(stderr, "test_trust: cannot start PostgreSQL with the fixtures\n");
		return EXIT_FAILURE;
	}
	free(path);
	return tu_main(trust_suite());
}
