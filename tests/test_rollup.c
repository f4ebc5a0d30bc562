/*
 * test_rollup.c - energies computed by the database (pg_energy.c) against
 * the streaming path on every fixture, and `powerreport summary` over a
 * month of analytic jobs, against the test PostgreSQL (tests/pgserver.c).
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../src/collect.h"
#include "../src/config.h"
#include "../src/error.h"
#include "../src/job.h"
#include "../src/pg_energy.h"
#include "../src/plan.h"
#include "../src/report.h"
#include "../src/source.h"
#include "pgserver.h"
#include "reportfix.h"
#include "testutil.h"

#define T0 INT64_C(1700000000)
#define US(s) ((usec_t)(s) * USEC_PER_SEC)

static struct config cfg;

/* interval_s: 0, or 5 for a configured sampling interval of 5 s. */
/* The fixtures' rules (tests/test_pg.c's, with every metric the tables
 * have, GPUs included) on the test server. */
static void
load_config(const char *rules_json, double interval_s)
{
	char *text = xasprintf("{ \"rules\": [%s], \"database\": { \"conninfo\":"
	    " \"host=%s port=%d user=postgres\" }%s }", rules_json, pgs_dir(), pgs_port(),
	    interval_s > 0 ? ", \"telemetry\": { \"sampling_interval_s\": 5 }" : "");

	config_free(&cfg);
	config_defaults(&cfg);
	pr_errclear();
	ck_assert_msg(config_load_buffer(&cfg, "test", text, strlen(text)) == PR_OK, "%s",
	    pr_errmsg());
	free(text);
}

static const char fixture_rules[] =
	"{ \"match\": \"rpc-*\", \"database\": \"zen4\", \"metrics\": [\"SystemInputPower\","
	" \"TotalCPUPower\", \"TotalMemoryPower\", \"TotalFanPower\", \"SystemOutputPower\"] },"
	"{ \"match\": \"rpg-*\", \"database\": \"h100\", \"metrics\": [\"SystemInputPower\","
	" \"PowerConsumption\"] }";

/* The streaming path's report of hosts over [start, end]. */
static void
stream_report(const char *const *hosts, usec_t start, usec_t end, struct job *job,
    struct plan *plan, struct report *rep)
{
	struct collector *c;
	struct source src;

	memset(job, 0, sizeof *job);
	job->id = xstrdup("1");
	for (size_t i = 0; hosts[i] != NULL; i++)
		strlist_add(&job->nodes, hosts[i]);
	job->start = start;
	job->end = end;
	job->have_window = true;
	plan_for_csv(plan, job, &cfg);
	c = collector_new(job, plan, &cfg, NULL);
	ck_assert_int_eq(source_pg_open(&src, &cfg, 0), PR_OK);
	ck_assert_int_eq(src.pull(&src, plan, start, end, collector_sink(c)), PR_OK);
	src.close(&src);
	memset(rep, 0, sizeof *rep);
	ck_assert_int_eq(collector_finish(c, rep), PR_OK);
	collector_free(c);
}

/* The database's row for window w, host's series (metric, fqdd), or NULL. */
static const struct energy_series *
db_row(const struct energy_set *set, size_t w, const char *metric, const char *fqdd)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i].window == w && strcmp(set->v[i].metric, metric) == 0 &&
		    strcmp(set->v[i].fqdd, fqdd) == 0)
			return &set->v[i];
	return NULL;
}

static int
agrees(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b)) + 1e-9;
}

/* Every series of every window, both ways; the number of series compared. */
static size_t
compare_paths(const char *const *hosts, const usec_t (*win)[2], size_t nwin)
{
	size_t nh = 0, compared = 0, matched = 0, i, j, k, s;
	struct energy_window *w;
	struct energy_set set;
	struct report rep;
	struct plan plan;
	struct job job;

	while (hosts[nh] != NULL)
		nh++;
	w = xcalloc(nwin * nh, sizeof *w);
	for (i = 0; i < nwin; i++)
		for (j = 0; j < nh; j++)
			w[i * nh + j] = (struct energy_window){ hosts[j], win[i][0], win[i][1] };
	ck_assert_msg(pg_energy(&cfg, w, nwin * nh, &set) == PR_OK, "%s", pr_errmsg());
	for (i = 0; i < nwin; i++) {
		stream_report(hosts, win[i][0], win[i][1], &job, &plan, &rep);
		for (k = 0; k < rep.nnodes; k++) {
			j = (size_t)strlist_find(&job.nodes, rep.nodes[k].hostname);
			for (s = 0; s < rep.nodes[k].nseries; s++) {
				const struct series *se = &rep.nodes[k].series[s];
				const struct energy_series *e = db_row(&set, i * nh + j,
				    se->metric, se->fqdd);

				if (se->nsamples == 0) {
					ck_assert_msg(e == NULL, "%s %s: no samples, yet a row",
					    rep.nodes[k].hostname, se->metric);
					continue;
				}
				ck_assert_msg(e != NULL, "window %zu %s %s %s: no row", i,
				    rep.nodes[k].hostname, se->metric, se->fqdd);
				ck_assert_msg(agrees(se->energy_j, e->energy_j),
				    "window %zu %s %s %s: streamed %.17g J, database %.17g J", i,
				    rep.nodes[k].hostname, se->metric, se->fqdd, se->energy_j,
				    e->energy_j);
				ck_assert_uint_eq(se->nsamples, e->nsamples);
				compared++;
			}
		}
		report_free(&rep);
		plan_free(&plan);
		job_free(&job);
	}
	for (i = 0; i < set.n; i++)
		matched += set.v[i].nsamples > 0;
	ck_assert_uint_eq(matched, compared);	/* no row the stream lacks */
	ck_assert_uint_eq(set.statements, 2);
	energy_set_free(&set);
	free(w);
	return compared;
}

/* Windows that put every edge rule to work: the fixtures' hour, edges in
 * a gap and between jittered samples, a window the data only reaches from
 * outside, one before all data with a stray row inside it, one reaching
 * past the data's end. */
static const usec_t windows[][2] = {
	{ US(T0), US(T0 + 3600) },
	{ US(T0) + 1234567, US(T0 + 1100) + 2500 },
	{ US(T0 + 1010), US(T0 + 1290) },
	{ US(T0 - 7200), US(T0 - 3000) },
	{ US(T0 + 3500) + 77, US(T0 + 4000) },
	{ US(T0 - 250), US(T0 + 30) },
};
static const char *const fixture_hosts[] = { "rpc-1", "rpc-2", "rpc-3", "rpc-4",
	"rpc-9", "rpg-1", "rpg-2", NULL };

START_TEST(database_and_stream_agree)
{
	size_t n;

	load_config(fixture_rules, _i == 0 ? 0 : 5);
	n = compare_paths(fixture_hosts, windows, sizeof windows / sizeof windows[0]);
	ck_assert_uint_ge(n, 40);
}
END_TEST

/* The closed forms of the fixtures (tests/fixtures/zen4.sql, h100.sql). */
START_TEST(database_energies_closed_form)
{
	const struct energy_window w[] = {
		{ "rpc-1", US(T0), US(T0 + 3600) }, { "rpc-2", US(T0), US(T0 + 3600) },
		{ "rpg-2", US(T0), US(T0 + 3600) }, { "login1", US(T0), US(T0 + 3600) },
		{ "rpc-3", US(T0), US(T0 + 3600) },
	};
	double input[5], gpu[5];
	size_t ngpus[5];
	struct energy_set set;

	load_config(fixture_rules, 0);
	ck_assert_msg(pg_energy(&cfg, w, 5, &set) == PR_OK, "%s", pr_errmsg());
	energy_set_totals(&set, 5, input, gpu, ngpus);
	ck_assert_double_eq_tol(input[0], 684000, 684000 * 1e-9);
	ck_assert_double_eq_tol(input[1], 900000, 1e-6);
	ck_assert_double_eq_tol(input[2], 2448000, 1e-6);
	ck_assert(isnan(input[3]) && isnan(input[4]));	/* no rule; not in public.nodes */
	ck_assert_double_eq_tol(db_row(&set, 0, "TotalCPUPower", "CPU.Socket.1")->energy_j,
	    432000, 1e-6);
	ck_assert_double_eq(db_row(&set, 0, "TotalMemoryPower", "System.Embedded.1")->energy_j,
	    0);	/* no units */
	ck_assert_uint_eq(ngpus[2], 0);
	energy_set_free(&set);

	/* a GPU node: four GPUs in mW */
	{
		const struct energy_window g[] = { { "rpg-1", US(T0), US(T0 + 3600) } };

		ck_assert_int_eq(pg_energy(&cfg, g, 1, &set), PR_OK);
		energy_set_totals(&set, 1, input, gpu, ngpus);
		ck_assert_uint_eq(ngpus[0], 4);
		ck_assert_double_eq_tol(gpu[0], 260 * 3600.0, 1e-6);
		ck_assert_double_eq_tol(input[0], 1000 * 3600.0, 1e-6);
		energy_set_free(&set);
	}
}
END_TEST

START_TEST(database_energy_bad_identifier)
{
	const struct energy_window w[] = { { "rpc-1", US(T0), US(T0 + 3600) } };
	struct energy_set set;

	/* the configuration refuses such a name; pg_energy does not rely on it */
	load_config(fixture_rules, 0);
	free(cfg.rules[0].metrics.v[1]);
	cfg.rules[0].metrics.v[1] = xstrdup("x; DROP TABLE y");
	ck_assert_int_eq(pg_energy(&cfg, w, 1, &set), PR_ECONFIG);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "not a plain SQL identifier"));
	ck_assert_uint_eq(set.n, 0);
}
END_TEST

/* Beyond the shared fixtures: a float4 column with values that are no
 * short decimal in binary, and values to drop (Infinity, NaN, negative,
 * above the 20 kW limit), some of them as the edge rows. */
static const char float4_sql[] =
	"ALTER TABLE idrac.systemoutputpower ALTER COLUMN value TYPE real;"
	"INSERT INTO public.metrics_definition (metric_id, units)"
	" VALUES ('SystemOutputPower', ' watts ');"
	"INSERT INTO idrac.systemoutputpower SELECT to_timestamp(1700000000 + 5 * i + 0.37),"
	" 2, 1, 1, (90.1 + 0.013 * i)::real FROM generate_series(-3, 723) i;"
	"INSERT INTO idrac.systemoutputpower VALUES"
	" (to_timestamp(1700000000 - 1), 2, 1, 1, 'Infinity'),"
	" (to_timestamp(1700000300.5), 2, 1, 1, 'NaN'), (to_timestamp(1700000400.5), 2, 1, 1, -5),"
	" (to_timestamp(1700000500.5), 2, 1, 1, 25000), (to_timestamp(1700003601), 2, 1, 1, 30000),"
	" (to_timestamp(1700001100.1), 1, 1, 1, 81.3), (to_timestamp(1700001200.2), 1, 1, 1, 82.7);";

/* ---- powerreport summary over tests/fixtures/month.sql ---- */

/* A config file in dir for the month database, with extra top-level keys. */
static char *
month_config(const char *dir, const char *extra)
{
	char *path = xasprintf("%s/config.json", dir);
	char *text = xasprintf("{ \"rules\": ["
	    "{ \"match\": \"mc-*\", \"database\": \"month\", \"metrics\": [\"SystemInputPower\"] },"
	    "{ \"match\": \"mg-*\", \"database\": \"month\", \"metrics\": [\"SystemInputPower\","
	    " \"PowerConsumption\"] } ],"
	    " \"database\": { \"conninfo\": \"host=%s port=%d user=postgres\" },"
	    " \"display\": { \"timezone\": \"UTC\" }%s }", pgs_dir(), pgs_port(), extra);

	tu_write(path, text);
	free(text);
	return path;
}

static const char with_cost[] = ", \"cost\": { \"price_per_kwh\": 0.25,"
	" \"currency\": \"EUR\", \"co2_g_per_kwh\": 400 }";

static struct run_result
summary(const char *dir, const char *config_extra, const char *const *extra)
{
	char *cfgpath = month_config(dir, config_extra);
	const char *argv[24] = { "summary", "--since", "2026-11-01", "--until", "2026-12-01",
		"--config", cfgpath, "--outdir", dir };
	size_t n = 9;
	struct run_result r;

	for (size_t i = 0; extra != NULL && extra[i] != NULL; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	r = tu_run(argv, NULL, NULL);
	free(cfgpath);
	return r;
}

/* The total of key in summary.json's by.<by>, or NULL. */
static const cJSON *
group(const cJSON *root, const char *by, const char *key)
{
	const cJSON *g, *a = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(root, "by"), by);

	cJSON_ArrayForEach(g, a)
		if (strcmp(cJSON_GetObjectItemCaseSensitive(g, "key")->valuestring, key) == 0)
			return g;
	return NULL;
}

START_TEST(summary_of_a_month)
{
	char *dir = tu_tmpdir(), *out = xasprintf("%s/power_summary_2026-11-01_2026-12-01", dir);
	char *p, *html, *csv;
	struct run_result r = summary(dir, with_cost, NULL);
	const cJSON *t, *top;
	cJSON *root;

	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, out));
	root = rf_summary(out);
	t = cJSON_GetObjectItemCaseSensitive(root, "total");
	ck_assert_double_eq_tol(rf_num(t, "energy_kwh"), 18 + 15 + 12.6, 1e-9);
	ck_assert_double_eq(rf_num(t, "jobs"), 30 + 15 + 6 + 1);
	ck_assert_double_eq(rf_num(t, "jobs_without_data"), 1);
	ck_assert_double_eq_tol(rf_num(t, "node_hours"), 120 + 15 + 36, 1e-9);
	ck_assert_double_eq_tol(rf_num(t, "gpu_hours"), 60, 1e-9);
	ck_assert_double_eq_tol(rf_num(t, "gpu_kwh"), 15 * 0.8, 1e-9);
	ck_assert_double_eq_tol(rf_num(t, "cost"), 45.6 * 0.25, 1e-9);
	ck_assert_double_eq_tol(rf_num(t, "co2_kg"), 45.6 * 0.4, 1e-9);
	ck_assert_double_eq_tol(rf_num(group(root, "user", "alice"), "energy_kwh"), 18, 1e-9);
	ck_assert_double_eq_tol(rf_num(group(root, "user", "alice"), "kwh_per_node_hour"),
	    0.15, 1e-12);
	ck_assert_double_eq_tol(rf_num(group(root, "account", "physics"), "energy_kwh"),
	    30.6, 1e-9);
	ck_assert_double_eq_tol(rf_num(group(root, "partition", "gpu"), "energy_kwh"), 15, 1e-9);
	ck_assert_double_eq(rf_num(group(root, "user", "dave"), "energy_kwh"), 0);
	ck_assert_double_eq(rf_num(group(root, "user", "dave"), "jobs_without_data"), 1);
	/* day 2026-11-01: alice 0.6 + bob 1.0 + carol 2.1 */
	ck_assert_double_eq_tol(rf_num(group(root, "day", "2026-11-01"), "energy_kwh"), 3.7,
	    1e-9);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(root, "by"), "day")), 30);
	top = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "top_jobs"), 0);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(top, "job_id")->valuestring, "3000");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "top_jobs")),
	    10);
	/* two statements to the one database: the jobs, then every energy */
	ck_assert_double_eq(rf_num(root, "statements"), 2);
	cJSON_Delete(root);

	p = xasprintf("%s/index.html", out);
	html = tu_read(p, NULL);
	free(p);
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	ck_assert_ptr_null(strstr(html, " src="));	/* nothing fetched */
	ck_assert_ptr_null(strstr(html, "<link"));
	ck_assert_ptr_null(strstr(html, "href=\"http"));
	ck_assert_ptr_nonnull(strstr(html, "<svg"));
	ck_assert_ptr_nonnull(strstr(html, "45.60 kWh"));
	free(html);

	p = xasprintf("%s/jobs.csv", out);
	csv = tu_read(p, NULL);
	free(p);
	ck_assert_ptr_nonnull(strstr(csv, ",\"'=HYPERLINK(\"\"x\"\")\","));	/* quoted, formula-safe */
	ck_assert_ptr_nonnull(strstr(csv, "\n1000,md,alice,physics,cpu,COMPLETED,"
	    "2026-11-01T01:00:00+00:00,2026-11-01T03:00:00+00:00,2,2,0.600000,"));
	ck_assert_ptr_nonnull(strstr(csv, "\n4000,"));	/* unknown: empty cells */
	ck_assert_ptr_nonnull(strstr(csv, ",1,0,,,0.000000,0.000000,,,\n"));
	ck_assert_ptr_null(strstr(csv, "\n999,"));
	ck_assert_ptr_null(strstr(csv, "\n5000,"));
	free(csv);
	tu_run_free(&r);
	free(out);
	tu_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(summary_filters)
{
	char *dir = tu_tmpdir(), *p;
	const char *const extra[] = { "--user", "bob", "--user", "carol", "--partition", "gpu",
		"--partition", "cpu", "--account", "chem", NULL };
	struct run_result r = summary(dir, "", extra);
	cJSON *root;

	ck_assert_msg(r.status == 0, "%s", r.err);
	p = xasprintf("%s/power_summary_2026-11-01_2026-12-01/summary.json", dir);
	root = rf_json(p);
	free(p);
	ck_assert_double_eq_tol(rf_num(cJSON_GetObjectItemCaseSensitive(root, "total"),
	    "energy_kwh"), 15, 1e-9);
	ck_assert_ptr_null(group(root, "user", "carol"));
	/* no price configured: unknown, not 0 */
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(root, "total"), "cost")));
	cJSON_Delete(root);
	tu_run_free(&r);
	tu_rmrf(dir);
	free(dir);
}
END_TEST

/* summary of bob's jobs with the jobs ids ("2000, 2002") run in workdir
 * for the while, so their reports are looked for there. */
static struct run_result
summary_in(const char *dir, const char *workdir, const char *ids)
{
	const char *const extra[] = { "--user", "bob", NULL };
	char *sql = xasprintf("UPDATE slurm.jobs SET current_working_directory = '%s'"
	    " WHERE job_id IN (%s)", workdir, ids);
	struct run_result r;

	ck_assert_int_eq(pgs_exec("month", sql), 0);
	free(sql);
	r = summary(dir, "", extra);
	sql = xasprintf("UPDATE slurm.jobs SET current_working_directory = '/nonexistent/bob'"
	    " WHERE job_id IN (%s)", ids);
	ck_assert_int_eq(pgs_exec("month", sql), 0);
	free(sql);
	ck_assert_msg(r.status == 0, "%s", r.err);
	return r;
}

/* A job whose report exists where the epilog writes it gets a link; the
 * same for an unreadable one does not. */
START_TEST(summary_links_reports)
{
	char *dir = tu_tmpdir(), *rep = xasprintf("%s/run dir/power_2000", dir), *p, *html;
	struct run_result r;

	p = xasprintf("%s/run dir", dir);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	free(p);
	ck_assert_int_eq(mkdir(rep, 0755), 0);
	p = xasprintf("%s/report.html", rep);
	tu_write(p, "<html></html>");
	free(p);
	p = xasprintf("%s/run dir", dir);
	r = summary_in(dir, p, "2000, 2002");
	free(p);
	p = xasprintf("%s/power_summary_2026-11-01_2026-12-01/index.html", dir);
	html = tu_read(p, NULL);
	free(p);
	p = xasprintf("<a href=\"%s/run%%20dir/power_2000/report.html\">2000</a>", dir);
	ck_assert_msg(strstr(html, p) != NULL, "no link %s", p);
	free(p);
	ck_assert_ptr_null(strstr(html, ">2002</a>"));
	free(html);
	free(rep);
	tu_run_free(&r);
	tu_rmrf(dir);
	free(dir);
}
END_TEST

/* A report's summary.json gives its job's idle share; the roll-up weighs
 * it by the job's energy and counts only jobs whose share is known: a
 * summary.json of another job or with idle above the total is ignored. */
START_TEST(summary_idle_share)
{
	char *dir = tu_tmpdir(), *p, *csv;
	const char *const ids[] = { "2000", "2002", "2004" };
	const char *const json[] = {
		"{ \"job\": { \"id\": \"2000\" }, \"totals\": { \"energy_kwh\": { \"total\": 0.8 } },"
		" \"idle\": { \"energy_kwh\": 0.2 } }",
		"{ \"job\": { \"id\": \"9999\" }, \"totals\": { \"energy_kwh\": { \"total\": 1 } },"
		" \"idle\": { \"energy_kwh\": 0.5 } }",
		"{ \"job\": { \"id\": \"2004\" }, \"totals\": { \"energy_kwh\": { \"total\": 1 } },"
		" \"idle\": { \"energy_kwh\": 2 } }",
	};
	const cJSON *bob, *job;
	cJSON *root;
	struct run_result r;

	for (size_t i = 0; i < 3; i++) {
		p = xasprintf("%s/power_%s", dir, ids[i]);
		ck_assert_int_eq(mkdir(p, 0755), 0);
		free(p);
		p = xasprintf("%s/power_%s/report.html", dir, ids[i]);
		tu_write(p, "<html></html>");
		free(p);
		p = xasprintf("%s/power_%s/summary.json", dir, ids[i]);
		tu_write(p, json[i]);
		free(p);
	}
	r = summary_in(dir, dir, "2000, 2002, 2004");
	p = xasprintf("%s/power_summary_2026-11-01_2026-12-01/summary.json", dir);
	root = rf_json(p);
	free(p);
	bob = group(root, "user", "bob");
	ck_assert_ptr_nonnull(bob);
	ck_assert_double_eq(rf_num(bob, "jobs_with_idle"), 1);
	ck_assert_double_eq_tol(rf_num(bob, "idle_share"), 0.25, 1e-12);
	ck_assert_double_eq_tol(rf_num(bob, "idle_kwh"), 0.25, 1e-9);	/* 1.0 kWh x 0.25 */
	ck_assert_double_eq_tol(rf_num(cJSON_GetObjectItemCaseSensitive(root, "total"),
	    "idle_share"), 0.25, 1e-12);
	cJSON_ArrayForEach(job, cJSON_GetObjectItemCaseSensitive(root, "top_jobs"))
		if (strcmp(cJSON_GetObjectItemCaseSensitive(job, "job_id")->valuestring, "2000") != 0)
			ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(job, "idle_share")));
	cJSON_Delete(root);
	p = xasprintf("%s/power_summary_2026-11-01_2026-12-01/jobs.csv", dir);
	csv = tu_read(p, NULL);
	free(p);
	ck_assert_msg(strstr(csv, ",idle_share\n") != NULL && strstr(csv, ",0.250000\n") != NULL,
	    "%s", csv);
	free(csv);
	p = xasprintf("%s/power_summary_2026-11-01_2026-12-01/index.html", dir);
	csv = tu_read(p, NULL);
	free(p);
	ck_assert_msg(strstr(csv, ">25.0 %<") != NULL && strstr(csv, "from the reports of 1 of ") != NULL,
	    "no idle share in index.html");
	free(csv);
	tu_run_free(&r);
	tu_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(summary_bad_usage)
{
	const char *const a1[] = { "summary", "--since", "2026-11-01", NULL };
	const char *const a2[] = { "summary", "--since", "2026-12-01", "--until", "2026-11-01",
		NULL };
	const char *const a3[] = { "summary", "--since", "yesterday", "--until", "2026-11-01",
		NULL };
	const char *const a4[] = { "summary", "--bogus", NULL };
	const char *const *argvs[] = { a1, a2, a3, a4 };

	for (size_t i = 0; i < 4; i++) {
		struct run_result r = tu_run(argvs[i], NULL, NULL);

		ck_assert_int_eq(r.status, 2);
		ck_assert_msg(strncmp(r.err, "powerreport: ", 13) == 0 &&
		    strchr(r.err, '\n') == r.err + strlen(r.err) - 1, "%s", r.err);
		tu_run_free(&r);
	}
}
END_TEST

/* The database unreachable: exit 6, no directory. */
START_TEST(summary_source_down)
{
	char *dir = tu_tmpdir(), *cfgpath = xasprintf("%s/c.json", dir);
	const char *argv[] = { "summary", "--since", "2026-11-01", "--until", "2026-12-01",
		"--config", cfgpath, "--outdir", dir, NULL };
	struct run_result r;

	tu_write(cfgpath, "{ \"rules\": [ { \"match\": \"mc-*\", \"database\": \"month\" } ],"
	    " \"database\": { \"conninfo\": \"host=127.0.0.1 port=1 user=postgres\","
	    " \"connect_timeout_s\": 2 } }");
	r = tu_run(argv, NULL, NULL);
	ck_assert_int_eq(r.status, 6);
	ck_assert_int_eq(tu_count_entries(dir), 1);	/* the config alone */
	tu_run_free(&r);
	free(cfgpath);
	tu_rmrf(dir);
	free(dir);
}
END_TEST

/* ---- earlier runs in a report ---- */

/* report.html of `powerreport JOBID` on the month database (malloc'd). */
static char *
report_of_job(const char *dir, const char *jobid, const char *extra)
{
	char *cfgpath = month_config(dir, extra), *p, *html;
	const char *argv[] = { jobid, "--config", cfgpath, "--outdir", dir, "--formats",
		"html,pdf", NULL };
	struct run_result r = tu_run(argv, NULL, NULL);

	ck_assert_msg(r.status == 0, "%s", r.err);
	p = xasprintf("%s/power_%s/report.html", dir, jobid);
	html = tu_read(p, NULL);
	free(p);
	ck_assert_ptr_nonnull(html);
	p = xasprintf("%s/power_%s/report.pdf", dir, jobid);
	ck_assert(tu_exists(p));
	free(p);
	free(cfgpath);
	tu_run_free(&r);
	return html;
}

START_TEST(history_in_report)
{
	char *dir = tu_tmpdir(), *html = report_of_job(dir, "6000", "");

	ck_assert_ptr_nonnull(strstr(html, "This run against your earlier runs"));
	ck_assert_msg(strstr(html, "133 % above the median of your last 10 runs") != NULL,
	    "no sentence");
	ck_assert_ptr_nonnull(strstr(html, ">5000</td>"));	/* newest earlier run */
	ck_assert_ptr_nonnull(strstr(html, ">1021</td>"));	/* the tenth */
	ck_assert_ptr_null(strstr(html, ">1020</td>"));
	ck_assert_ptr_null(strstr(html, "Per GPU-hour (kWh)"));	/* no GPUs */
	ck_assert_ptr_nonnull(strstr(html, ">0.150</td>"));
	ck_assert_ptr_nonnull(strstr(html, ">0.350</td>"));
	free(html);
	tu_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(history_gpu_and_first_run)
{
	char *dir = tu_tmpdir(), *html = report_of_job(dir, "2028", "");

	ck_assert_ptr_nonnull(strstr(html, "Per GPU-hour (kWh)"));
	ck_assert_ptr_nonnull(strstr(html, ">0.250</td>"));	/* 1 kWh over 4 GPU-hours */
	ck_assert_ptr_nonnull(strstr(html, "within 1 % of the median of your last 10 runs"));
	free(html);
	html = report_of_job(dir, "2000", "");	/* bob's first train: no history */
	ck_assert_ptr_null(strstr(html, "earlier runs"));
	free(html);
	html = report_of_job(dir, "2028", ", \"history\": { \"runs\": 0 }");
	ck_assert_ptr_null(strstr(html, "earlier runs"));
	free(html);
	tu_rmrf(dir);
	free(dir);
}
END_TEST

/* An array task (from the epilog's environment) is compared with the
 * earlier tasks of its array, whatever their names. */
START_TEST(history_of_array_task)
{
	char *dir = tu_tmpdir(), *cfgpath = month_config(dir, ""), *p, *html;
	char start[32], end[32], cfgenv[512];
	const char *argv[] = { "--from-env", "--outdir", dir, NULL };
	const char *env[16];
	struct run_result r;

	snprintf(start, sizeof start, "SLURM_JOB_START_TIME=%d", 1796083200 + 3600 * 3);
	snprintf(end, sizeof end, "SLURM_JOB_END_TIME=%d", 1796083200 + 3600 * 4);
	snprintf(cfgenv, sizeof cfgenv, "POWERREPORT_CONFIG=%s", cfgpath);
	env[0] = "SLURM_JOB_ID=7003";
	env[1] = "SLURM_ARRAY_JOB_ID=7000";
	env[2] = "SLURM_ARRAY_TASK_ID=3";
	env[3] = "SLURM_JOB_USER=alice";
	env[4] = "SLURM_JOB_NAME=sweep-3";
	env[5] = "SLURM_JOB_NODELIST=mc-1";
	env[6] = start;
	env[7] = end;
	env[8] = cfgenv;
	env[9] = NULL;
	r = tu_run(argv, env, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	p = xasprintf("%s/power_7000_3/report.html", dir);
	html = tu_read(p, NULL);
	free(p);
	ck_assert_ptr_nonnull(html);
	ck_assert_ptr_nonnull(strstr(html, ">7001</td>"));
	ck_assert_ptr_nonnull(strstr(html, ">7002</td>"));
	ck_assert_ptr_null(strstr(html, ">7003</td>"));	/* itself */
	ck_assert_ptr_nonnull(strstr(html, "within 1 % of the median of your last 2 runs"));
	free(html);
	free(cfgpath);
	tu_run_free(&r);
	tu_rmrf(dir);
	free(dir);
}
END_TEST

/* A history that cannot be had in its budget: one line in the data
 * quality, and the report as ever. */
START_TEST(history_over_budget)
{
	char *dir = tu_tmpdir(), *html = report_of_job(dir, "6000",
	    ", \"history\": { \"budget_ms\": 1 }");

	ck_assert_ptr_null(strstr(html, "This run against your earlier runs"));
	ck_assert_ptr_nonnull(strstr(html, "earlier runs not shown: "));
	free(html);
	tu_rmrf(dir);
	free(dir);
}
END_TEST

static int
load_fixtures(void)
{
	const char *const zen4[] = { "indexes.sql", "zen4.sql", NULL };
	const char *const h100[] = { "indexes.sql", "h100.sql", NULL };
	const char *const month[] = { "indexes.sql", "month.sql", NULL };

	return pgs_create_monster("zen4", zen4) || pgs_create_monster("h100", h100) ||
	    pgs_exec("zen4", float4_sql) || pgs_create_monster("month", month);
}

int
main(void)
{
	Suite *s = suite_create("rollup");
	TCase *energy = tcase_create("energy");
	TCase *sum = tcase_create("summary");
	TCase *hist = tcase_create("history");

	if (pgs_start() != 0 || load_fixtures() != 0) {
		fprintf(stderr, "test_rollup: cannot start the test PostgreSQL\n");
		return EXIT_FAILURE;
	}
	tcase_set_timeout(energy, 120);
	tcase_add_loop_test(energy, database_and_stream_agree, 0, 2);
	tcase_add_test(energy, database_energies_closed_form);
	tcase_add_test(energy, database_energy_bad_identifier);
	suite_add_tcase(s, energy);
	tcase_set_timeout(sum, 120);
	tcase_add_test(sum, summary_of_a_month);
	tcase_add_test(sum, summary_filters);
	tcase_add_test(sum, summary_links_reports);
	tcase_add_test(sum, summary_idle_share);
	tcase_add_test(sum, summary_bad_usage);
	tcase_add_test(sum, summary_source_down);
	suite_add_tcase(s, sum);
	tcase_set_timeout(hist, 120);
	tcase_add_test(hist, history_in_report);
	tcase_add_test(hist, history_gpu_and_first_run);
	tcase_add_test(hist, history_over_budget);
	tcase_add_test(hist, history_of_array_task);
	suite_add_tcase(s, hist);
	return tu_main(s);
}
