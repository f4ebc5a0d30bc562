/*
 * test_attribution.c - the job's share of shared nodes, idle energy and
 * utilisation, against a real PostgreSQL (tests/pgserver.c) loaded with
 * tests/fixtures/shared.sql: constant power, so every attributed energy has
 * a closed form (exact to 1e-9 relative), the shares of all jobs plus the
 * unallocated part add up to the node, stale rows and a node without a CPU
 * count are warnings.  A job alone on its nodes, and a database without
 * the slurm tables, give the very numbers they gave before, bit for bit.
 */
#include "testutil.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attribution.h"
#include "error.h"
#include "pgserver.h"
#include "reportfix.h"
#include "slurm_gres.h"
#include "strlist.h"

#define T0 INT64_C(1700000000)
#define T1 (T0 + 3600)
#define KWH(j) ((j) / 3.6e6)
#define WINDOW "--start", "1700000000", "--end", "1700003600"

static struct strlist garbage;	/* strings freed by teardown */
static struct strlist dirs;	/* scratch directories removed by teardown */

static char *
own(char *p)
{
	strlist_add(&garbage, p);
	free(p);
	return garbage.v[garbage.n - 1];
}

/* A scratch directory for this test, removed by teardown. */
static char *
scratch(void)
{
	char *dir = own(tu_tmpdir());

	strlist_add(&dirs, dir);
	return dir;
}

static void
teardown(void)
{
	for (size_t i = 0; i < dirs.n; i++)
		tu_rmrf(dirs.v[i]);
	strlist_free(&dirs);
	strlist_free(&garbage);
}

static void
assert_rel(double got, double want, const char *what)
{
	ck_assert_msg(fabs(got - want) <= 1e-9 * fabs(want), "%s: %.17g, want %.17g",
	    what, got, want);
}

/* A config serving rpc* from database db of the test server, with extra
 * keys for the rule and the top level ("" for none). */
static char *
write_config_with(const char *dir, const char *db, const char *rule, const char *top)
{
	char *path = own(xasprintf("%s/config.json", dir));

	tu_write(path, own(xasprintf(
	    "{\"rules\": [{\"match\": \"rpc*\", \"database\": \"%s\", \"metrics\":"
	    " [\"SystemInputPower\", \"TotalCPUPower\", \"TotalMemoryPower\"]%s}],"
	    " \"database\": {\"conninfo\": \"host=%s port=%d user=postgres\"}%s}",
	    db, rule, pgs_dir(), pgs_port(), top)));
	return path;
}

static char *
write_config(const char *dir, const char *db)
{
	return write_config_with(dir, db, "", "");
}

/* Run the binary with config cfg for job id over the fixtures' window,
 * writing into dir; the summary.json (and the report directory). */
static cJSON *
report_in(const char *dir, const char *cfg, const char *nodes, const char *id,
    const char *formats, char **dirp)
{
	const char *argv[] = { WINDOW, "--nodelist", nodes, "--job-id", id, "--outdir",
	    dir, "--config", cfg, "--formats", formats, "-q", NULL };
	struct run_result r = tu_run(argv, NULL, NULL);
	cJSON *root;

	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	tu_run_free(&r);
	root = rf_json(own(xasprintf("%s/power_%s/summary.json", dir, id)));
	if (dirp != NULL)
		*dirp = own(xasprintf("%s/power_%s", dir, id));
	return root;
}

static cJSON *
report_as(const char *db, const char *nodes, const char *id, const char *formats,
    char **dirp)
{
	char *dir = scratch();

	return report_in(dir, write_config(dir, db), nodes, id, formats, dirp);
}

static const cJSON *
by_host(const cJSON *array, const char *host)
{
	const cJSON *n;

	cJSON_ArrayForEach(n, array)
		if (strcmp(cJSON_GetObjectItem(n, "hostname")->valuestring, host) == 0)
			return n;
	ck_abort_msg("no node %s", host);
	return NULL;
}

static cJSON *
report(const char *db, const char *nodes, const char *id, char **dirp)
{
	return report_as(db, nodes, id, "json,csv", dirp);
}

/* energy_kwh.<comp> (or node_energy_kwh when whole) of a node. */
static double
node_kwh(const cJSON *root, const char *host, const char *comp, int whole)
{
	const cJSON *n = by_host(cJSON_GetObjectItem(root, "nodes"), host);

	return rf_num(cJSON_GetObjectItem(n, whole ? "node_energy_kwh" : "energy_kwh"), comp);
}

static const cJSON *
attr_node(const cJSON *root, const char *host)
{
	return by_host(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "attribution"),
	    "nodes"), host);
}

static int
node_warns(const cJSON *root, const char *host, const char *text)
{
	const cJSON *w;

	cJSON_ArrayForEach(w, cJSON_GetObjectItem(by_host(cJSON_GetObjectItem(root,
	    "nodes"), host), "warnings"))
		if (strstr(w->valuestring, text) != NULL)
			return 1;
	return 0;
}

START_TEST(shared_node_charged_its_share)
{
	char *dir, *csv;
	cJSON *s = report("shared", "rpc-[1-4]", "4242", &dir);
	const cJSON *tot = cJSON_GetObjectItem(s, "totals");

	/* rpc-1: 64 of 256 CPUs of 400 W in, 200 W CPU */
	assert_rel(node_kwh(s, "rpc-1", "total", 0), KWH(0.25 * 400 * 3600), "rpc-1 total");
	assert_rel(node_kwh(s, "rpc-1", "cpu", 0), KWH(0.25 * 200 * 3600), "rpc-1 cpu");
	assert_rel(node_kwh(s, "rpc-1", "others", 0), KWH(0.25 * 200 * 3600), "rpc-1 others");
	assert_rel(node_kwh(s, "rpc-1", "total", 1), KWH(400.0 * 3600), "rpc-1 node");
	/* its range is the job's: the node's 5 % of input power, charged the
	 * same quarter (not the node's 380-420 Wh around the job's 100) */
	assert_rel(rf_num(cJSON_GetObjectItem(by_host(cJSON_GetObjectItem(s, "nodes"), "rpc-1"),
	    "energy_kwh_low"), "total"), KWH(0.25 * 380 * 3600), "rpc-1 low");
	assert_rel(rf_num(cJSON_GetObjectItem(by_host(cJSON_GetObjectItem(s, "nodes"), "rpc-1"),
	    "energy_kwh_high"), "total"), KWH(0.25 * 420 * 3600), "rpc-1 high");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(attr_node(s, "rpc-1"), "shared")));
	assert_rel(rf_num(attr_node(s, "rpc-1"), "share"), 0.25, "rpc-1 share");
	ck_assert_str_eq(cJSON_GetObjectItem(attr_node(s, "rpc-1"), "cpus_from")->valuestring,
	    "public.nodes");
	assert_rel(rf_num(attr_node(s, "rpc-1"), "core_hours"), 64, "rpc-1 core-hours");
	/* rpc-2: alone with all CPUs, the whole node */
	assert_rel(node_kwh(s, "rpc-2", "total", 0), KWH(250.0 * 3600), "rpc-2 total");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(attr_node(s, "rpc-2"), "shared")));
	/* rpc-3: a quarter until the rows go stale at T0 + 2040, then whole */
	assert_rel(node_kwh(s, "rpc-3", "total", 0), KWH(100 * (0.25 * 2040 + 1560)),
	    "rpc-3 total");
	assert_rel(rf_num(attr_node(s, "rpc-3"), "share"), 2070.0 / 3600, "rpc-3 share");
	ck_assert(node_warns(s, "rpc-3", "no fresh row for 26 min"));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(attr_node(s, "rpc-3"), "core_hours")));
	/* rpc-4: no CPU count, a quarter of the CPUs allocated */
	assert_rel(node_kwh(s, "rpc-4", "total", 0), KWH(0.25 * 80 * 3600), "rpc-4 total");
	ck_assert(node_warns(s, "rpc-4", "CPU count is unknown"));
	ck_assert_str_eq(cJSON_GetObjectItem(attr_node(s, "rpc-4"), "cpus_from")->valuestring,
	    "allocated CPUs");
	/* the totals are the job's; the nodes' beside them */
	assert_rel(rf_num(cJSON_GetObjectItem(tot, "energy_kwh"), "total"),
	    KWH(0.25 * 400 * 3600 + 250.0 * 3600 + 100 * 2070 + 0.25 * 80 * 3600), "job total");
	assert_rel(rf_num(cJSON_GetObjectItem(tot, "node_energy_kwh"), "total"),
	    KWH((400.0 + 250 + 100 + 80) * 3600), "node total");
	assert_rel(rf_num(tot, "avg_power_w"), 0.25 * 400 + 250 + 100 * 2070 / 3600.0 +
	    0.25 * 80, "average power");
	csv = tu_read(own(xasprintf("%s/energy.csv", dir)), NULL);
	ck_assert_ptr_nonnull(strstr(csv, "energy_kwh,node_energy_kwh\n"));
	ck_assert_ptr_nonnull(strstr(csv, "node,rpc-1,total,,0.1,0.4\n"));
	free(csv);
	cJSON_Delete(s);
}
END_TEST

/* Over the window, job 4242 + job 5151 + unallocated = the node. */
START_TEST(conservation)
{
	cJSON *a = report("shared", "rpc-[1,3]", "4242", NULL);
	cJSON *b = report("shared", "rpc-1", "5151", NULL);
	const cJSON *n3 = attr_node(a, "rpc-3");

	assert_rel(node_kwh(b, "rpc-1", "total", 0), KWH(0.75 * 400 * 3600), "job 5151");
	assert_rel(node_kwh(a, "rpc-1", "total", 0) + node_kwh(b, "rpc-1", "total", 0) +
	    rf_num(attr_node(a, "rpc-1"), "unallocated_kwh"), node_kwh(a, "rpc-1", "total", 1),
	    "rpc-1 conserved");
	assert_rel(rf_num(attr_node(a, "rpc-1"), "other_jobs_kwh"),
	    node_kwh(b, "rpc-1", "total", 0), "the other job, seen from 4242");
	assert_rel(node_kwh(a, "rpc-3", "total", 0) + rf_num(n3, "other_jobs_kwh") +
	    rf_num(n3, "unallocated_kwh"), node_kwh(a, "rpc-3", "total", 1), "rpc-3 conserved");
	assert_rel(rf_num(n3, "unallocated_kwh"), KWH(0.75 * 100 * 2040), "rpc-3 unallocated");
	cJSON_Delete(a);
	cJSON_Delete(b);
}
END_TEST

/* Idle: the job's quarter of rpc-1 during the half hour of low load. */
START_TEST(idle_energy_and_utilisation)
{
	cJSON *s = report("shared", "rpc-[1-2]", "4242", NULL);
	const cJSON *idle = cJSON_GetObjectItem(s, "idle");
	const cJSON *u = by_host(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "utilisation"),
	    "nodes"), "rpc-1");

	assert_rel(rf_num(by_host(cJSON_GetObjectItem(idle, "nodes"), "rpc-1"), "energy_kwh"),
	    KWH(0.25 * 400 * 1800), "rpc-1 idle");
	ck_assert_str_eq(cJSON_GetObjectItem(by_host(cJSON_GetObjectItem(idle, "nodes"),
	    "rpc-1"), "definition")->valuestring, "cpu_load");
	/* rpc-2 has no cpu_load rows: its constant 250 W is its lowest
	 * sustained level, and flat power cannot tell idle from busy: unknown */
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(by_host(cJSON_GetObjectItem(idle, "nodes"),
	    "rpc-2"), "energy_kwh")));
	assert_rel(rf_num(by_host(cJSON_GetObjectItem(idle, "nodes"), "rpc-2"), "idle_w"),
	    250, "rpc-2 lowest sustained level");
	ck_assert_str_eq(cJSON_GetObjectItem(by_host(cJSON_GetObjectItem(idle, "nodes"),
	    "rpc-2"), "definition")->valuestring, "lowest sustained power");
	assert_rel(rf_num(idle, "energy_kwh"), KWH(0.25 * 400 * 1800), "job idle");
	assert_rel(rf_num(idle, "share"), 0.25 * 400 * 1800 / (0.25 * 400 * 3600 + 250.0 * 3600),
	    "idle share");
	assert_rel(rf_num(u, "cpu_load"), (16.0 + 200.0) / 2 / 256, "rpc-1 load");
	assert_rel(rf_num(u, "low_load_share"), 0.5, "rpc-1 low-load time");
	assert_rel(rf_num(u, "memory"), 50, "rpc-1 memory");
	cJSON_Delete(s);
}
END_TEST

/* report.html and report.pdf give the job's share first, the node's beside
 * it, and the per-node section with its one-sentence method. */
START_TEST(documents_show_the_share)
{
	char *dir, *html, *pdf;
	cJSON *s = report_as("shared", "rpc-[1-2]", "4242", "json,html,pdf", &dir);
	const char *argv[] = { "pdftotext", "-layout", NULL, "-", NULL };
	struct run_result r;

	html = tu_read(own(xasprintf("%s/report.html", dir)), NULL);
	ck_assert_ptr_nonnull(html);
	ck_assert_ptr_nonnull(strstr(html, "Shared nodes, utilisation and idle energy"));
	ck_assert_ptr_nonnull(strstr(html, "rpc-1 (shared)"));
	ck_assert_ptr_nonnull(strstr(html, "Job&#39;s share"));
	ck_assert_msg(strstr(html, "its nodes drew; 1 of 2 nodes shared") != NULL, "%s", strstr(html, "its nodes"));
	ck_assert_ptr_nonnull(strstr(html, "its CPUs&#39; share"));
	/* the heatmap's strip on the shared row, with its read-out */
	ck_assert_ptr_nonnull(strstr(html, "rpc-1: the job&#39;s share 25 %"));
	ck_assert_ptr_null(strstr(html, "rpc-2: the job&#39;s share"));
	argv[2] = own(xasprintf("%s/report.pdf", dir));
	r = tu_run_cmd(argv, NULL, NULL);
	ck_assert_int_eq(r.status, 0);
	pdf = r.out;
	ck_assert_ptr_nonnull(strstr(pdf, "Shared nodes, utilisation and idle energy"));
	ck_assert_ptr_nonnull(strstr(pdf, "rpc-1 (shared)"));
	tu_run_free(&r);
	free(html);
	cJSON_Delete(s);
}
END_TEST

/* Every number of energy_kwh, series and totals.energy_kwh as text. */
static void
energies(const cJSON *root, struct strlist *out)
{
	const cJSON *n, *e, *s;

	cJSON_ArrayForEach(n, cJSON_GetObjectItem(root, "nodes")) {
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(n, "energy_kwh"))
			strlist_addf(out, "%s %s %.17g", cJSON_GetObjectItem(n, "hostname")->
			    valuestring, e->string, e->valuedouble);
		cJSON_ArrayForEach(s, cJSON_GetObjectItem(n, "series"))
			strlist_addf(out, "series %.17g", rf_num(s, "energy_kwh"));
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(cJSON_GetObjectItem(root, "totals"),
	    "energy_kwh"))
		strlist_addf(out, "total %s %.17g", e->string, e->valuedouble);
	e = cJSON_GetObjectItem(root, "totals");
	strlist_addf(out, "avg %.17g peak %.17g", rf_num(e, "avg_power_w"),
	    rf_num(e, "peak_power_w"));
}

/* node_jobs showing the job alone with all CPUs gives the numbers of a
 * database without the table, which are the closed forms of zen4.sql. */
START_TEST(exclusive_unchanged)
{
	cJSON *plain = report("plain", "rpc-[1-4]", "4242", NULL);
	cJSON *alone = report("alone", "rpc-[1-4]", "4242", NULL);
	struct strlist a = { 0 }, b = { 0 };
	char *text = cJSON_PrintUnformatted(plain);

	assert_rel(node_kwh(plain, "rpc-1", "total", 0), 0.19, "rpc-1");
	assert_rel(node_kwh(plain, "rpc-2", "total", 0), 0.25, "rpc-2");
	energies(plain, &a);
	energies(alone, &b);
	ck_assert_uint_gt(a.n, 20);
	ck_assert_uint_eq(a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		ck_assert_str_eq(a.v[i], b.v[i]);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(attr_node(alone, "rpc-1"), "shared")));
	assert_rel(rf_num(attr_node(alone, "rpc-1"), "share"), 1, "share alone");
	ck_assert_msg(strstr(text, "slurm.node_jobs, cpu_load and memoryusage are not in "
	    "database \\\"plain\\\": its nodes are charged whole") != NULL,
	    "the missing tables are not one note");
	free(text);
	strlist_free(&a);
	strlist_free(&b);
	cJSON_Delete(plain);
	cJSON_Delete(alone);
}
END_TEST

/* Transactions the shared database has committed, once powerreport's
 * sessions have ended. */
static long long
transactions(void)
{
	for (int i = 0; i < 200 && pgs_scalar("postgres", "SELECT count(*) FROM "
	    "pg_stat_activity WHERE application_name = 'powerreport'") != 0; i++)
		usleep(10000);
	return pgs_scalar("postgres", "SELECT xact_commit + xact_rollback FROM"
	    " pg_stat_database WHERE datname = 'shared'");
}

/* The slurm tables and utilisation of job 4242 on hosts, read with the
 * config at path. */
static void
read_with(const char *path, const char *const *hosts, struct attribution *a)
{
	struct config cfg;
	struct plan plan = { 0 };
	struct job job = { .id = (char *)"4242", .start = T0 * USEC_PER_SEC,
	    .end = T1 * USEC_PER_SEC };

	config_defaults(&cfg);
	ck_assert_int_eq(config_load(&cfg, path), PR_OK);
	for (size_t i = 0; hosts[i] != NULL; i++)
		strlist_add(&job.nodes, hosts[i]);
	ck_assert_int_eq(plan_build(&plan, &job, &cfg), PR_OK);
	attribution_init(a, &plan, &cfg);
	ck_assert_msg(attribution_read_pg(a, &cfg, &plan, &job) == PR_OK, "%s", pr_errmsg());
	ck_assert(a->have_node_jobs && a->have_load && a->have_mem);
	plan_free(&plan);
	strlist_free(&job.nodes);
	config_free(&cfg);
}

static long long
read_for(const char *const *hosts, struct attribution *a)
{
	long long before = transactions();

	read_with(write_config(scratch(), "shared"), hosts, a);
	return transactions() - before;
}

/* One transaction per database, whether it serves one node or four. */
START_TEST(round_trips_do_not_grow_with_nodes)
{
	const char *const one[] = { "rpc-1", NULL };
	const char *const four[] = { "rpc-1", "rpc-2", "rpc-3", "rpc-4", NULL };
	struct attribution a1, a4;
	long long n1 = read_for(one, &a1), n4 = read_for(four, &a4);

	ck_assert_int_eq(n1, n4);
	ck_assert_int_le(n1, 2);
	/* runs, not rows: 62 rows of rpc-1 that say the same are one */
	ck_assert_uint_eq(a1.nodes[0].njobs, 1);
	ck_assert_int_eq(a1.nodes[0].jobs[0].t, (T0 - 60) * USEC_PER_SEC);
	ck_assert_int_eq(a1.nodes[0].jobs[0].last, T1 * USEC_PER_SEC);
	ck_assert_uint_eq(a4.nodes[2].njobs, 1);
	ck_assert_int_eq(a4.nodes[2].jobs[0].last, (T0 + 1740) * USEC_PER_SEC);
	ck_assert_int_eq(a4.nodes[0].cpus, 256);
	ck_assert_int_eq(a4.nodes[3].cpus, 0);
	ck_assert_int_eq(a4.nodes[0].jobs[0].job_cpus, 64);
	ck_assert_int_eq(a4.nodes[0].jobs[0].all_cpus, 256);
	ck_assert_int_eq(a4.nodes[3].jobs[0].job_cpus, 10);
	ck_assert_int_eq(a4.nodes[3].jobs[0].all_cpus, 40);
	/* idle the first half hour, busy the second: two runs */
	ck_assert_uint_eq(a4.nodes[0].nload, 2);
	ck_assert(a4.nodes[0].load[0].idle && !a4.nodes[0].load[1].idle);
	ck_assert_uint_eq(a4.nodes[0].load[0].count, 30);
	ck_assert_double_eq(a4.nodes[0].load[0].sum, 30 * 16);
	ck_assert_double_eq(a4.nodes[0].mem_mean, 50);
	attribution_free(&a1);
	attribution_free(&a4);
}
END_TEST

/* The utilisation series: server buckets of 15 s, each node's value held
 * to its next row (rows a minute apart), so constant load is exact in
 * every bucket: rpc-1's 16 of 256 CPUs the first half hour, 200 the
 * second, memory 50 %; the other nodes have no rows and do not count. */
START_TEST(utilisation_buckets_exact)
{
	const char *const four[] = { "rpc-1", "rpc-2", "rpc-3", "rpc-4", NULL };
	struct attribution a;

	read_for(four, &a);
	ck_assert(attribution_util_known(&a));
	ck_assert(a.util[UTIL_CPU].read && a.util[UTIL_MEM].read && !a.util[UTIL_GPU].read);
	for (int b = 0; b < UTIL_BUCKETS; b++) {
		ck_assert_uint_eq(a.util[UTIL_CPU].n[b], 1);
		ck_assert_double_eq(attribution_util(&a, UTIL_CPU, b),
		    b < UTIL_BUCKETS / 2 ? 16.0 / 256 : 200.0 / 256);
		ck_assert_double_eq(attribution_util(&a, UTIL_MEM, b), 0.5);
		ck_assert(isnan(attribution_util(&a, UTIL_GPU, b)));
	}
	ck_assert_double_eq(attribution_util_mean(&a, UTIL_CPU), (16.0 + 200.0) / 2 / 256);
	ck_assert(isnan(attribution_util_mean(&a, UTIL_GPU)));
	ck_assert_uint_eq(a.util[UTIL_CPU].dropped, 0);
	attribution_free(&a);
}
END_TEST

/* A config for rpg-1 in dir, from database db, its rule with extra keys
 * rule. */
static char *
util_config(const char *dir, const char *db, const char *rule)
{
	char *cfg = own(xasprintf("%s/config.json", dir));

	tu_write(cfg, own(xasprintf("{\"rules\": [{\"match\": \"rpg*\", \"database\":"
	    " \"%s\", \"cpus\": 96, \"metrics\": [\"SystemInputPower\", \"powerconsumption\"]%s}],"
	    " \"database\": {\"conninfo\": \"host=%s port=%d user=postgres\"}}",
	    db, rule, pgs_dir(), pgs_port())));
	return cfg;
}

/* A summary.json and report.html of rpg-1 (util_config). */
static cJSON *
util_report(const char *db, const char *rule, char **html)
{
	char *dir = scratch(), *cfg = util_config(dir, db, rule), *out;
	cJSON *s;

	s = report_in(dir, cfg, "rpg-1", "77", "json,html", &out);
	*html = own(tu_read(own(xasprintf("%s/report.html", out)), NULL));
	return s;
}

static int
warns(const cJSON *root, const char *text)
{
	const cJSON *w;

	cJSON_ArrayForEach(w, cJSON_GetObjectItem(root, "warnings"))
		if (strstr(w->valuestring, text) != NULL)
			return 1;
	return 0;
}

/* GPU utilisation from the rule's metric ids: four GPUs at 2, 5, 50 and
 * 90 %, the implausible rows left out (and said), a missing table and one
 * of text (a state metric) a note each, never a failed report;
 * the strip under the power chart shows all three lanes. */
START_TEST(gpu_utilisation)
{
	char *html;
	cJSON *s = util_report("gpuutil", ", \"gpu_util_metrics\": [\"GPUUtilization\","
	    " \"NoSuchUtil\", \"GPUState\"]", &html);
	const cJSON *u = cJSON_GetObjectItem(s, "utilisation");

	assert_rel(rf_num(u, "cpu_load_mean"), 0.5, "job CPU load");
	assert_rel(rf_num(u, "memory_mean"), 0.25, "job memory");
	assert_rel(rf_num(u, "gpu_util_mean"), (0.02 + 0.05 + 0.5 + 0.9) / 4, "job GPU util");
	assert_rel(rf_num(by_host(cJSON_GetObjectItem(u, "nodes"), "rpg-1"), "gpu_util"),
	    (0.02 + 0.05 + 0.5 + 0.9) / 4, "rpg-1 GPU util");
	ck_assert(warns(s, "idrac.NoSuchUtil is not in database \"gpuutil\""));
	ck_assert(warns(s, "idrac.GPUState in database \"gpuutil\" holds no numbers (its value "
	    "column is text)"));
	ck_assert(warns(s, "5 values of idrac.gpuutilization in database \"gpuutil\" outside"));
	ck_assert_ptr_nonnull(html);
	ck_assert_ptr_nonnull(strstr(html, "CPU load — mean 50.0 %"));
	ck_assert_ptr_nonnull(strstr(html, "Memory — mean 25.0 %"));
	ck_assert_ptr_nonnull(strstr(html, "GPU util — mean 36.7 %"));
	/* GPUs 38-1 (50 W) and 38-2 (60 W) under 10 % utilisation: idle all
	 * hour by utilisation, not by power */
	assert_rel(rf_num(cJSON_GetObjectItem(s, "idle"), "gpu_energy_kwh"), KWH(110.0 * 3600),
	    "GPUs idle by utilisation");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(s, "idle"), "gpus"), 0), "definition")->valuestring, "gpu_util");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(s, "idle"), "gpus"), 0), "idle_w")));
	ck_assert_ptr_nonnull(strstr(html, "GPU utilisation under 10 %"));
	ck_assert_ptr_nonnull(strstr(html, ">GPU util</th>"));
	/* memory stops at half time: a gap in its lane, not a line at 0 */
	ck_assert_ptr_nonnull(strstr(html, ">no data<"));
	cJSON_Delete(s);
}
END_TEST

/* The slurm tables there but no reading for the job's nodes ("alone" has
 * node_jobs rows only): notes, and no strip of empty lanes. */
START_TEST(empty_utilisation_no_strip)
{
	char *dir, *html;
	cJSON *s = report_as("alone", "rpc-[1-4]", "4242", "json,html", &dir);

	ck_assert(warns(s, "slurm.cpu_load in database \"alone\" has no readings"));
	ck_assert(warns(s, "slurm.memoryusage in database \"alone\" has no readings"));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "utilisation"),
	    "cpu_load_mean")));
	html = own(tu_read(own(xasprintf("%s/report.html", dir)), NULL));
	ck_assert_ptr_nonnull(html);
	ck_assert_ptr_null(strstr(html, "CPU load — mean"));
	cJSON_Delete(s);
}
END_TEST

/* Per GPU and bucket, the implausible rows of 38-4 left out (its value
 * held over them); memory held for the stale limit (300 s) after its last
 * row at T0 + 1740, unknown from bucket 136 (T0 + 2040) on. */
START_TEST(gpu_util_buckets)
{
	const char *const hosts[] = { "rpg-1", NULL };
	struct attribution a;

	read_with(util_config(scratch(), "gpuutil",
	    ", \"gpu_util_metrics\": [\"GPUUtilization\"]"), hosts, &a);
	ck_assert_uint_eq(a.util[UTIL_GPU].dropped, 5);
	for (int b = 0; b < UTIL_BUCKETS; b++) {
		ck_assert_uint_eq(a.util[UTIL_GPU].n[b], 4);
		assert_rel(attribution_util(&a, UTIL_GPU, b), (0.02 + 0.05 + 0.5 + 0.9) / 4,
		    "GPU util bucket");
		ck_assert_double_eq(attribution_util(&a, UTIL_CPU, b), 0.5);
		if (b < 136)
			ck_assert_double_eq(attribution_util(&a, UTIL_MEM, b), 0.25);
		else
			ck_assert(isnan(attribution_util(&a, UTIL_MEM, b)));
	}
	attribution_free(&a);
}
END_TEST

/* Without gpu_util_metrics no GPU lane and no GPU figure; without the
 * slurm tables (database "gpu") no strip at all, notes instead. */
START_TEST(no_utilisation_no_strip)
{
	char *html;
	cJSON *s = util_report("gpuutil", "", &html);
	const cJSON *u = cJSON_GetObjectItem(s, "utilisation");

	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(u, "gpu_util_mean")));
	ck_assert_ptr_nonnull(strstr(html, "CPU load — mean 50.0 %"));
	ck_assert_ptr_null(strstr(html, "GPU util — mean"));
	ck_assert_ptr_null(strstr(html, ">GPU util</th>"));
	/* the GPUs' idle energy from their power, as before */
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(s, "idle"), "gpus"), 0), "definition")->valuestring,
	    "lowest sustained power");
	cJSON_Delete(s);
	s = util_report("gpu", ", \"gpu_util_metrics\": [\"GPUUtilization\"]", &html);
	u = cJSON_GetObjectItem(s, "utilisation");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(u, "cpu_load_mean")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(u, "gpu_util_mean")));
	ck_assert(warns(s, "slurm.node_jobs, cpu_load and memoryusage are not in database "
	    "\"gpu\""));	/* one note for the lot */
	ck_assert(!warns(s, "slurm.cpu_load is not in database"));
	ck_assert(warns(s, "idrac.GPUUtilization is not in database \"gpu\""));
	ck_assert_ptr_null(strstr(html, "CPU load — mean"));
	ck_assert_ptr_null(strstr(html, "GPU util — mean"));
	cJSON_Delete(s);
	/* memory_used alone: megabytes, no share; its mean as stored */
	s = util_report("memused", "", &html);
	u = cJSON_GetObjectItem(s, "utilisation");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(u, "memory_mean")));
	assert_rel(rf_num(by_host(cJSON_GetObjectItem(u, "nodes"), "rpg-1"), "memory"), 120000,
	    "memory_used as stored");
	ck_assert(warns(s, "slurm.memory_used in database \"memused\" is in MB"));
	ck_assert_ptr_null(strstr(html, "Memory — mean"));
	cJSON_Delete(s);
}
END_TEST

/* The figure of merit from the comment: only after the keyword, a number
 * and an optional unit; --work wins; malformed is a note, not a guess. */
START_TEST(work_from_comment)
{
	struct attribution a = { 0 };
	double w = 0;
	char *u = NULL;

	ck_assert_int_eq(attribution_parse_work("power_profiling,work=1.2e6:timesteps",
	    "power_profiling", &w, &u), 1);
	ck_assert_double_eq(w, 1.2e6);
	ck_assert_str_eq(u, "timesteps");
	free(u);
	u = NULL;
	ck_assert_int_eq(attribution_parse_work("x,power_profiling,work=42", "power_profiling",
	    &w, &u), 1);
	ck_assert_double_eq(w, 42);
	ck_assert_ptr_null(u);
	ck_assert_int_eq(attribution_parse_work("work=5,power_profiling", "power_profiling",
	    &w, &u), 0);
	ck_assert_int_eq(attribution_parse_work("power_profiling_x,work=5", "power_profiling",
	    &w, &u), 0);
	ck_assert_int_eq(attribution_parse_work("power_profiling,work=-3", "power_profiling",
	    &w, &u), -1);
	ck_assert_int_eq(attribution_parse_work("power_profiling,work=1e999", "power_profiling",
	    &w, &u), -1);
	ck_assert_int_eq(attribution_parse_work("power_profiling,work=7:a\tb",
	    "power_profiling", &w, &u), -1);
	ck_assert_int_eq(attribution_parse_work("power_profiling,work=7:"
	    "0123456789012345678901234567890123", "power_profiling", &w, &u), -1);

	unsetenv("MONSTER_POWER_COMMENT_KEYWORD");
	a.work = NAN;
	attribution_set_work(&a, 10, "images", "power_profiling,work=3:steps");
	ck_assert_double_eq(a.work, 10);
	ck_assert_str_eq(a.work_unit, "images");
	attribution_free(&a);
	a.work = NAN;
	attribution_set_work(&a, 0, NULL, "power_profiling,work=abc");
	ck_assert(isnan(a.work));
	ck_assert_uint_eq(a.notes.n, 1);
	attribution_free(&a);
}
END_TEST

/* --work through the binary: energy per unit in totals; a bad one is exit 2. */
START_TEST(work_option)
{
	char *dir = scratch(), *cfg = write_config(dir, "shared");
	const char *bad[] = { WINDOW, "--nodelist", "rpc-2", "--work", "0", NULL };
	const char *good[] = { WINDOW, "--nodelist", "rpc-2", "--job-id", "4242", "--outdir",
	    dir, "--config", cfg, "--formats", "json", "--work", "1e3", "--work-unit",
	    "timesteps", "-q", NULL };
	struct run_result r = tu_run(bad, NULL, NULL);
	cJSON *s;
	const cJSON *tot;

	ck_assert_int_eq(r.status, PR_EUSAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "--work \"0\""));
	tu_run_free(&r);
	r = tu_run(good, NULL, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	tu_run_free(&r);
	s = rf_json(own(xasprintf("%s/power_4242/summary.json", dir)));
	tot = cJSON_GetObjectItem(s, "totals");
	ck_assert_str_eq(cJSON_GetObjectItem(tot, "work_unit")->valuestring, "timesteps");
	assert_rel(rf_num(tot, "kwh_per_work"), KWH(250.0 * 3600) / 1e3, "kWh per timestep");
	assert_rel(rf_num(tot, "core_hours"), 256, "core-hours");
	assert_rel(rf_num(tot, "kwh_per_core_hour"), KWH(250.0 * 3600) / 256, "kWh per core-hour");
	cJSON_Delete(s);
}
END_TEST

/* The rule's "cpus" wins over public.nodes; attribution.stale_s moves
 * where rows go stale. */
START_TEST(config_cpus_and_stale_limit)
{
	char *dir = scratch();
	char *cfg = write_config_with(dir, "shared", ", \"cpus\": 400",
	    ", \"attribution\": {\"stale_s\": 3600, \"low_load\": 0.6}");
	cJSON *s = report_in(dir, cfg, "rpc-[1,3]", "4242", "json", NULL);

	assert_rel(node_kwh(s, "rpc-1", "total", 0), KWH(64.0 / 400 * 400 * 3600), "rpc-1");
	ck_assert_str_eq(cJSON_GetObjectItem(attr_node(s, "rpc-1"), "cpus_from")->valuestring,
	    "configuration");
	assert_rel(node_kwh(s, "rpc-3", "total", 0), KWH(32.0 / 400 * 100 * 3600), "rpc-3");
	ck_assert(!node_warns(s, "rpc-3", "no fresh row"));
	/* 16 of 400 and 200 of 400 are both under 60 % of the CPUs: idle all hour */
	assert_rel(rf_num(by_host(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "utilisation"),
	    "nodes"), "rpc-1"), "low_load_share"), 1, "low-load share");
	cJSON_Delete(s);
}
END_TEST

/* Without cpu_load, the rule's idle_w and attribution.idle_margin decide:
 * rpc-3 (100 W whole, a quarter share until T0 + 2040) is idle within 10 %
 * of 95 W, not within 10 % of 80 W. */
static double
idle_by_power(const char *idle_w, const char *margin)
{
	char *dir = scratch();
	char *cfg = write_config_with(dir, "shared", own(xasprintf(", \"idle_w\": %s",
	    idle_w)), own(xasprintf(", \"attribution\": {\"idle_margin\": %s}", margin)));
	cJSON *s = report_in(dir, cfg, "rpc-3", "4242", "json", NULL);
	const cJSON *n;
	double kwh;

	n = by_host(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "idle"), "nodes"), "rpc-3");
	ck_assert_str_eq(cJSON_GetObjectItem(n, "definition")->valuestring, "idle_w");
	assert_rel(rf_num(n, "idle_w"), atof(idle_w), "configured idle power");
	kwh = rf_num(n, "energy_kwh");
	cJSON_Delete(s);
	return kwh;
}

START_TEST(idle_from_configured_power)
{
	/* the job's share of rpc-3's energy, heatmap buckets cut at 2040 s
	 * exactly (3600 / 240 = 15 s buckets) */
	assert_rel(idle_by_power("95", "0.1"), KWH(100 * (0.25 * 2040 + 1560)), "idle at 95 W");
	ck_assert(idle_by_power("80", "0.1") == 0);
	assert_rel(idle_by_power("80", "0.3"), KWH(100 * (0.25 * 2040 + 1560)), "margin 30 %");
}
END_TEST

/* A config serving rpg* from database db with the metrics (a JSON list
 * without brackets), extra keys for the rule and for "database". */
static char *
write_gpu_config(const char *dir, const char *db, const char *metrics, const char *rule,
    const char *database)
{
	char *cfg = own(xasprintf("%s/config.json", dir));

	tu_write(cfg, own(xasprintf("{\"rules\": [{\"match\": \"rpg*\", \"database\":"
	    " \"%s\", \"metrics\": [%s]%s}], \"database\": {\"conninfo\": \"host=%s"
	    " port=%d user=postgres\"%s}}", db, metrics, rule, pgs_dir(), pgs_port(),
	    database)));
	return cfg;
}

/* h100.sql's rpg-1: four GPUs at a constant 50, 60, 70 and 80 W; the
 * idle part of the GPU energy, with the rule's gpu_idle_w ("" for none). */
static cJSON *
gpu_idle_report(const char *gpu_idle_w)
{
	char *dir = scratch();

	return report_in(dir, write_gpu_config(dir, "gpu", "\"SystemInputPower\", "
	    "\"powerconsumption\"", gpu_idle_w, ""), "rpg-1", "77", "json", NULL);
}

START_TEST(gpu_idle_from_own_power)
{
	cJSON *low = gpu_idle_report(""), *at55 = gpu_idle_report(", \"gpu_idle_w\": 55");
	const cJSON *il, *i55, *g;

	ck_assert_ptr_nonnull(low);
	ck_assert_ptr_nonnull(at55);
	il = cJSON_GetObjectItem(low, "idle");
	i55 = cJSON_GetObjectItem(at55, "idle");
	/* constant power is each GPU's lowest sustained level: flat, so
	 * unknown without gpu_idle_w */
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(il, "gpu_energy_kwh")));
	assert_rel(rf_num(cJSON_GetArrayItem(cJSON_GetObjectItem(il, "gpus"), 0), "idle_w"), 50,
	    "lowest sustained level of the first GPU");
	/* 50 and 60 W are within 10 % of 55 W, 70 and 80 W are not */
	assert_rel(rf_num(i55, "gpu_energy_kwh"), KWH(110.0 * 3600), "GPUs idle at 55 W");
	assert_rel(rf_num(i55, "gpu_share"), 110.0 / 260, "GPU idle share");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(i55, "gpus")), 4);
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(i55, "gpus")) {
		ck_assert_str_eq(cJSON_GetObjectItem(g, "definition")->valuestring, "idle_w");
		assert_rel(rf_num(g, "idle_w"), 55, "configured GPU idle power");
	}
	cJSON_Delete(low);
	cJSON_Delete(at55);
}
END_TEST

/* rpc-2..4 sit at 250, 100 and 80 W, all within 10 % of idle_w 250 W (idle
 * all hour by power), rpc-1 is idle by CPU load the first half hour: one
 * line for the three, one for rpc-1; summary.json lists each stretch. */
START_TEST(idle_stretches_grouped)
{
	char *dir = scratch(), *html;
	char *cfg = write_config_with(dir, "shared", ", \"idle_w\": 250", "");
	cJSON *s = report_in(dir, cfg, "rpc-[1-4]", "4242", "json,html", &dir);
	const cJSON *list = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "idle"), "stretches");

	ck_assert_int_eq(cJSON_GetArraySize(list), 4);
	assert_rel(rf_num(by_host(list, "rpc-1"), "seconds"), 1800, "rpc-1 idle stretch");
	assert_rel(rf_num(by_host(list, "rpc-4"), "seconds"), 3600, "rpc-4 idle stretch");
	html = tu_read(own(xasprintf("%s/report.html", dir)), NULL);
	ck_assert_ptr_nonnull(html);
	ck_assert_ptr_nonnull(strstr(html, "3 of 4 nodes idle "));
	ck_assert_ptr_nonnull(strstr(html, "rpc-1 idle "));
	ck_assert_ptr_null(strstr(html, "rpc-2 idle "));
	ck_assert_ptr_nonnull(strstr(html, "(the whole job)"));
	ck_assert_ptr_nonnull(strstr(html, "(start of the job)"));
	free(html);
	cJSON_Delete(s);
}
END_TEST

START_TEST(bad_idle_settings)
{
	static const char *const rule[] = { ", \"idle_w\": 0", "" };
	static const char *const top[] = { "", ", \"attribution\": {\"idle_margin\": -1}" };
	static const char *const key[] = { "idle_w", "idle_margin" };

	for (int k = 0; k < 2; k++) {
		char *dir = scratch();
		char *cfg = write_config_with(dir, "shared", rule[k], top[k]);
		const char *argv[] = { WINDOW, "--nodelist", "rpc-3", "--job-id", "4242",
		    "--outdir", dir, "--config", cfg, "--formats", "json", "-q", NULL };
		struct run_result r = tu_run(argv, NULL, NULL);

		ck_assert_int_eq(r.status, 3);
		ck_assert_msg(strstr(r.err, key[k]) != NULL, "%s", r.err);
		tu_run_free(&r);
	}
}
END_TEST

START_TEST(bad_work_unit)
{
	const char *const units[] = { "", "a\tb", "0123456789012345678901234567890123" };

	for (size_t i = 0; i < 3; i++) {
		const char *argv[] = { WINDOW, "--nodelist", "rpc-2", "--work", "5",
		    "--work-unit", units[i], NULL };
		struct run_result r = tu_run(argv, NULL, NULL);

		ck_assert_int_eq(r.status, PR_EUSAGE);
		ck_assert_ptr_nonnull(strstr(r.err, "--work-unit"));
		tu_run_free(&r);
	}
}
END_TEST

/* ---- GPUs charged by the GPUs the job held (gpu_shared.sql) ---- */

#define GPU_METRICS "\"SystemInputPower\", \"SystemOutputPower\", \"powerconsumption\""
#define GPU_MAP ", \"gpu_fqdds\": [\"Video.Slot.38-1\", \"Video.Slot.38-2\"," \
	" \"Video.Slot.38-3\", \"Video.Slot.38-4\"]"
#define GPU_W (50.0 + 60 + 70 + 80)	/* every node's mapped GPUs */

static cJSON *
gpu_report(const char *nodes, const char *id, const char *rule, const char *database,
    const char *formats, char **dirp)
{
	char *dir = scratch();

	return report_in(dir, write_gpu_config(dir, "gpushared", GPU_METRICS, rule, database),
	    nodes, id, formats, dirp);
}

static const char *
attr_str(const cJSON *root, const char *host, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(attr_node(root, host), key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The job's (or the node's, whole) energy of GPU fqdd of node host. */
static double
gpu_kwh(const cJSON *root, const char *host, const char *fqdd, int whole)
{
	const cJSON *g;

	cJSON_ArrayForEach(g, cJSON_GetObjectItem(by_host(cJSON_GetObjectItem(root, "nodes"),
	    host), "gpus"))
		if (strcmp(cJSON_GetObjectItem(g, "fqdd")->valuestring, fqdd) == 0)
			return rf_num(g, whole ? "node_energy_kwh" : "energy_kwh");
	ck_abort_msg("no GPU %s on %s", fqdd, host);
	return NAN;
}

/* job + other jobs + unallocated = the node, on node host. */
static void
assert_conserved(const cJSON *root, const char *host)
{
	const cJSON *a = attr_node(root, host);

	assert_rel(node_kwh(root, host, "total", 0) + rf_num(a, "other_jobs_kwh") +
	    rf_num(a, "unallocated_kwh"), node_kwh(root, host, "total", 1), host);
}

/* rpg-1: job 4242 holds GPUs 0,1 (50 + 60 W) and a quarter of the CPUs:
 * its GPUs whole, a quarter of the rest of the node; rpg-3: GPU 2 (70 W)
 * whole, the unmapped 90 W GPU at a quarter; rpg-2: Slurm's text is
 * malformed, a quarter of everything; rpg-4: alone, the whole node. */
START_TEST(gpus_charged_by_index)
{
	char *dir, *html;
	cJSON *s = gpu_report("rpg-[1-4]", "4242", GPU_MAP, "", "json,html", &dir);
	const cJSON *idx = cJSON_GetObjectItem(attr_node(s, "rpg-1"), "gpu_indices");

	assert_rel(node_kwh(s, "rpg-1", "gpu", 0), KWH(110.0 * 3600), "rpg-1 GPUs");
	assert_rel(gpu_kwh(s, "rpg-1", "Video.Slot.38-2", 0), KWH(60.0 * 3600), "GPU 1");
	assert_rel(gpu_kwh(s, "rpg-1", "Video.Slot.38-2", 1), KWH(60.0 * 3600), "GPU 1 node");
	ck_assert(gpu_kwh(s, "rpg-1", "Video.Slot.38-3", 0) == 0);
	assert_rel(node_kwh(s, "rpg-1", "total", 0), KWH((0.25 * (1000 - GPU_W) + 110) * 3600),
	    "rpg-1 total");
	assert_rel(node_kwh(s, "rpg-1", "psu_loss", 0), KWH(0.25 * 50 * 3600), "rpg-1 PSU loss");
	assert_rel(rf_num(attr_node(s, "rpg-1"), "other_jobs_kwh"),
	    KWH((0.75 * (1000 - GPU_W) + 150) * 3600), "rpg-1 other job");
	assert_conserved(s, "rpg-1");
	ck_assert_str_eq(attr_str(s, "rpg-1", "gpu_method"), "gpu_index");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(attr_node(s, "rpg-1"), "gpu_reason")));
	ck_assert_int_eq(cJSON_GetArraySize(idx), 2);
	ck_assert_int_eq(cJSON_GetArrayItem(idx, 1)->valueint, 1);
	/* rpg-3 */
	assert_rel(node_kwh(s, "rpg-3", "gpu", 0), KWH((70 + 0.25 * 90) * 3600), "rpg-3 GPUs");
	assert_rel(node_kwh(s, "rpg-3", "total", 0), KWH((0.25 * (1000 - GPU_W) + 70) * 3600),
	    "rpg-3 total");
	assert_rel(rf_num(attr_node(s, "rpg-3"), "unallocated_kwh"),
	    KWH((0.5 * (1000 - GPU_W) + (GPU_W - 70) * 2 / 3) * 3600), "rpg-3 unallocated");
	assert_conserved(s, "rpg-3");
	ck_assert(node_warns(s, "rpg-3", "GPU Video.Slot.40-1 is not in the rule's gpu_fqdds"));
	/* rpg-2 */
	assert_rel(node_kwh(s, "rpg-2", "gpu", 0), KWH(0.25 * GPU_W * 3600), "rpg-2 GPUs");
	assert_rel(node_kwh(s, "rpg-2", "total", 0), KWH(0.25 * 1000 * 3600), "rpg-2 total");
	ck_assert_str_eq(attr_str(s, "rpg-2", "gpu_method"), "cpu_share");
	ck_assert_str_eq(attr_str(s, "rpg-2", "gpu_reason"),
	    "Slurm's list of the job's GPUs is not readable");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(attr_node(s, "rpg-2"), "gpu_indices")));
	ck_assert(node_warns(s, "rpg-2", "\"gpu:h100:2(IDX:0-1\", is not a list of GPU indices"));
	/* rpg-4, alone: the node's numbers themselves */
	ck_assert(node_kwh(s, "rpg-4", "total", 0) == node_kwh(s, "rpg-4", "total", 1));
	ck_assert(node_kwh(s, "rpg-4", "gpu", 0) == node_kwh(s, "rpg-4", "gpu", 1));
	ck_assert_str_eq(attr_str(s, "rpg-4", "gpu_reason"), "the job had the node to itself");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "attribution"),
	    "gpu_method")->valuestring, "mixed");
	/* GPU-hours are the job's GPUs: rpg-1 two held, rpg-3 one held plus a
	 * quarter of the unmapped one, rpg-2 a quarter of four, rpg-4 all four */
	assert_rel(rf_num(cJSON_GetObjectItem(s, "totals"), "gpu_hours"), 2 + 1.25 + 1 + 4,
	    "GPU-hours");
	html = tu_read(own(xasprintf("%s/report.html", dir)), NULL);
	ck_assert_msg(strstr(html, "GPUs charged by the job&#39;s GPUs (rpg-1: 0,1 of 4; "
	    "rpg-3: 2 of 4); else by CPU share (rpg-2: Slurm&#39;s list of the job&#39;s "
	    "GPUs is not readable).") != NULL, "%s", strstr(html, "GPUs charged"));
	/* the GPU table's energy is the job's part, and says so */
	ck_assert_ptr_nonnull(strstr(html, "Job&#39;s energy"));
	ck_assert_ptr_nonnull(strstr(html, "the energy is the job&#39;s part of each GPU"));
	free(html);
	cJSON_Delete(s);
}
END_TEST

/* Seen from both jobs of rpg-1: each has its own GPUs, and the two plus
 * the (empty) unallocated part are the node. */
START_TEST(gpus_conserved_across_jobs)
{
	cJSON *a = gpu_report("rpg-1", "4242", GPU_MAP, "", "json", NULL);
	cJSON *b = gpu_report("rpg-1", "5151", GPU_MAP, "", "json", NULL);

	assert_rel(node_kwh(b, "rpg-1", "gpu", 0), KWH(150.0 * 3600), "job 5151 GPUs");
	assert_rel(node_kwh(a, "rpg-1", "gpu", 0) + node_kwh(b, "rpg-1", "gpu", 0),
	    node_kwh(a, "rpg-1", "gpu", 1), "GPUs conserved");
	assert_rel(node_kwh(a, "rpg-1", "total", 0) + node_kwh(b, "rpg-1", "total", 0),
	    node_kwh(a, "rpg-1", "total", 1), "node conserved");
	assert_rel(rf_num(attr_node(a, "rpg-1"), "other_jobs_kwh"),
	    node_kwh(b, "rpg-1", "total", 0), "the other job, seen from 4242");
	assert_conserved(b, "rpg-1");
	cJSON_Delete(a);
	cJSON_Delete(b);
}
END_TEST

/* Without the gres column (a configured name the table lacks: the same
 * read as a site whose slurm.jobs has no gres_detail) or without a
 * mapping: the CPU share, and the report says why. */
START_TEST(gpus_by_cpu_share_when_unknown)
{
	char *dir, *html;
	cJSON *s = gpu_report("rpg-1", "4242", GPU_MAP, ", \"jobs_gres_column\": "
	    "\"no_such_column\"", "json,html", &dir);
	cJSON *plain = gpu_report("rpg-1", "4242", "", "", "json", NULL);

	assert_rel(node_kwh(s, "rpg-1", "gpu", 0), KWH(0.25 * GPU_W * 3600), "GPUs by share");
	assert_rel(node_kwh(s, "rpg-1", "total", 0), KWH(0.25 * 1000 * 3600), "total by share");
	assert_conserved(s, "rpg-1");
	ck_assert_str_eq(attr_str(s, "rpg-1", "gpu_method"), "cpu_share");
	ck_assert_str_eq(attr_str(s, "rpg-1", "gpu_reason"), "Slurm did not say which GPUs");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(attr_node(s, "rpg-1"), "gpu_indices")));
	html = tu_read(own(xasprintf("%s/report.html", dir)), NULL);
	ck_assert_msg(strstr(html, "GPUs charged by CPU share (Slurm did not say "
	    "which GPUs).") != NULL, "%s", strstr(html, "GPUs charged"));
	free(html);
	assert_rel(node_kwh(plain, "rpg-1", "gpu", 0), KWH(0.25 * GPU_W * 3600), "no mapping");
	ck_assert_str_eq(attr_str(plain, "rpg-1", "gpu_reason"),
	    "the node's rule has no gpu_fqdds");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(attr_node(plain, "rpg-1"),
	    "gpu_indices")), 2);
	cJSON_Delete(s);
	cJSON_Delete(plain);
}
END_TEST

/* GPUs 0 and 1 (50 and 60 W) are idle within 10 % of 55 W: job 4242 holds
 * them and is charged all their idle energy, job 5151 none of it. */
START_TEST(gpu_idle_by_index)
{
	cJSON *a = gpu_report("rpg-1", "4242", GPU_MAP ", \"gpu_idle_w\": 55", "", "json", NULL);
	cJSON *b = gpu_report("rpg-1", "5151", GPU_MAP ", \"gpu_idle_w\": 55", "", "json", NULL);

	assert_rel(rf_num(cJSON_GetObjectItem(a, "idle"), "gpu_energy_kwh"),
	    KWH(110.0 * 3600), "idle GPUs held");
	ck_assert(rf_num(cJSON_GetObjectItem(b, "idle"), "gpu_energy_kwh") == 0);
	cJSON_Delete(a);
	cJSON_Delete(b);
}
END_TEST

/* slurm_gres_gpus: Slurm's shapes read, anything else unknown. */
START_TEST(gres_parser)
{
	static const struct {
		const char *text;
		enum gres_parse want;
		uint64_t mask;
	} c[] = {
		{ "gpu:h100:2(IDX:0-1)", GRES_OK, 0x3 },
		{ "gpu:2(IDX:0,2)", GRES_OK, 0x5 },
		{ "gpu(IDX:3)", GRES_OK, 0x8 },
		{ "gpu:a100:1(IDX:0),gpu:v100:1(IDX:5)", GRES_OK, 0x21 },
		{ "nic:1,gpu:h100:3(IDX:0-1,3)", GRES_OK, 0xb },
		{ "gpu:h100:1(IDX:63)", GRES_OK, UINT64_C(1) << 63 },
		{ "", GRES_OK, 0 },
		{ "(null)", GRES_OK, 0 },
		{ "nic:1", GRES_OK, 0 },
		{ "gpu:h100:4(IDX:0-3),shard:h100:2(2/8,0/8)", GRES_SHARED_GPUS, 0xf },
		{ "mps:100", GRES_SHARED_GPUS, 0 },
		{ "gpu:h100:2(IDX:0-1", GRES_MALFORMED, 0 },
		{ "gpu:h100:3(IDX:0-1)", GRES_MALFORMED, 0 },	/* count differs */
		{ "gpu(IDX:N/A)", GRES_MALFORMED, 0 },
		{ "gpu(IDX:64)", GRES_MALFORMED, 0 },
		{ "gpu(IDX:1-0)", GRES_MALFORMED, 0 },
		{ "gpu(IDX:0,0)", GRES_MALFORMED, 0 },
		{ "gpu(IDX:0),", GRES_MALFORMED, 0 },
		{ "gpu(IDX:0)x", GRES_MALFORMED, 0 },
		{ "gpu", GRES_MALFORMED, 0 },
		{ "gpu:h100:2(IDX:0-1)(S:0)", GRES_MALFORMED, 0 },
		{ "gpu((IDX:0))", GRES_MALFORMED, 0 },
		{ "gpu:a:b:2(IDX:0)", GRES_MALFORMED, 0 },
		{ "gpu(IDX:0\n)", GRES_MALFORMED, 0 },
		{ "gpu(IDX:0001)", GRES_MALFORMED, 0 },
	};

	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		uint64_t mask = 42;

		ck_assert_msg(slurm_gres_gpus(c[i].text, &mask) == c[i].want, "%s", c[i].text);
		ck_assert_msg(mask == c[i].mask, "%s: %llx", c[i].text, (unsigned long long)mask);
	}
}
END_TEST

/* gpu_fqdds: a list of distinct, printable FQDDs. */
START_TEST(bad_gpu_fqdds)
{
	static const char *const rule[] = {
		", \"gpu_fqdds\": []", ", \"gpu_fqdds\": [\"a\", \"a\"]",
		", \"gpu_fqdds\": [1]", ", \"gpu_fqdds\": [\"a\\tb\"]",
	};
	static const char *const why[] = {
		"\"rules[0].gpu_fqdds\": expected a non-empty array of at most 64 FQDDs",
		"\"rules[0].gpu_fqdds[1]\": \"a\" is listed twice",
		"\"rules[0].gpu_fqdds[0]\": expected a string",
		"\"rules[0].gpu_fqdds[0]\": expected an FQDD of at most 64 printable",
	};

	for (size_t k = 0; k < sizeof rule / sizeof rule[0]; k++) {
		char *dir = scratch();
		const char *argv[] = { WINDOW, "--nodelist", "rpg-1", "--job-id", "4242",
		    "--outdir", dir, "--config", write_gpu_config(dir, "gpushared", GPU_METRICS,
		    rule[k], ""), "--formats", "json", "-q", NULL };
		struct run_result r = tu_run(argv, NULL, NULL);

		ck_assert_int_eq(r.status, 3);
		ck_assert_msg(strstr(r.err, why[k]) != NULL, "%s", r.err);
		tu_run_free(&r);
	}
}
END_TEST

static int
load_fixtures(void)
{
	const char *const shared[] = { "slurm_metrics.sql", "shared.sql", "indexes.sql", NULL };
	const char *const plain[] = { "indexes.sql", "zen4.sql", NULL };
	const char *const alone[] = { "slurm_metrics.sql", "indexes.sql", "zen4.sql",
	    "alone.sql", NULL };

	const char *const gpu[] = { "indexes.sql", "h100.sql", NULL };
	const char *const gpushared[] = { "slurm_metrics.sql", "gpu_shared.sql", NULL };
	const char *const memused[] = { "indexes.sql", "h100.sql", "memory_used.sql", NULL };
	const char *const gpuutil[] = { "indexes.sql", "slurm_metrics.sql", "h100.sql",
	    "gpu_util.sql", NULL };

	return pgs_create_monster("shared", shared) || pgs_create_monster("plain", plain) ||
	    pgs_create_monster("alone", alone) || pgs_create_monster("gpu", gpu) ||
	    pgs_create_monster("gpushared", gpushared) ||
	    pgs_create_monster("gpuutil", gpuutil) || pgs_create_monster("memused", memused);
}

int
main(void)
{
	Suite *s = suite_create("attribution");
	TCase *tc = tcase_create("attribution");

	if (pgs_start() != 0 || load_fixtures() != 0) {
		fprintf(stderr, "test_attribution: cannot start the test PostgreSQL\n");
		return EXIT_FAILURE;
	}
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, shared_node_charged_its_share);
	tcase_add_test(tc, conservation);
	tcase_add_test(tc, idle_energy_and_utilisation);
	tcase_add_test(tc, exclusive_unchanged);
	tcase_add_test(tc, round_trips_do_not_grow_with_nodes);
	tcase_add_test(tc, documents_show_the_share);
	tcase_add_test(tc, work_from_comment);
	tcase_add_test(tc, work_option);
	tcase_add_test(tc, config_cpus_and_stale_limit);
	tcase_add_test(tc, bad_work_unit);
	tcase_add_test(tc, idle_from_configured_power);
	tcase_add_test(tc, bad_idle_settings);
	tcase_add_test(tc, gpu_idle_from_own_power);
	tcase_add_test(tc, idle_stretches_grouped);
	tcase_add_test(tc, gpus_charged_by_index);
	tcase_add_test(tc, gpus_conserved_across_jobs);
	tcase_add_test(tc, gpus_by_cpu_share_when_unknown);
	tcase_add_test(tc, gpu_idle_by_index);
	tcase_add_test(tc, gres_parser);
	tcase_add_test(tc, bad_gpu_fqdds);
	tcase_add_test(tc, utilisation_buckets_exact);
	tcase_add_test(tc, gpu_utilisation);
	tcase_add_test(tc, gpu_util_buckets);
	tcase_add_test(tc, empty_utilisation_no_strip);
	tcase_add_test(tc, no_utilisation_no_strip);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
