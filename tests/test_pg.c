/*
 * test_pg.c - the PostgreSQL source and job lookup against a real server
 * (tests/pgserver.c) loaded with the MonSter fixtures of tests/fixtures:
 * energies against closed-form values, the missing pieces reported as
 * notes, and the faults (refused, wrong password, timeout, server process
 * killed mid-stream) as PR_ESOURCE with a message naming the database.
 * A server that stalls mid-COPY or never answers the startup (behind
 * tests/stallrelay.c): SIGTERM ends the run at once, the idle-read and
 * connect bounds end it unsignalled, and nothing is left behind.
 * --wait-for-data against telemetry that arrives while the binary waits.
 * Everything again through a PgBouncer in transaction pooling, where no
 * statement may depend on an earlier one's session.
 */
#include "testutil.h"
#include "reportfix.h"

#include <cjson/cJSON.h>
#include <libpq-fe.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "jobdb.h"
#include "pg_conn.h"
#include "pgserver.h"
#include "source.h"
#include "stallrelay.h"

#define T0 INT64_C(1700000000)
#define T1 (T0 + 3600)
#define US(s) ((usec_t)(s) * USEC_PER_SEC)

/* ---- a sink that keeps every sample, checks the ordering contract and
 * integrates like DESIGN.md says (trapezoids, edges interpolated from the
 * samples just outside, held where samples do not reach) ---- */

struct tseries {
	char *host, *metric, *fqdd, *units, *source;
	usec_t *t;
	double *v;
	size_t n, nnan;
};

struct tsink {
	struct tseries s[64];
	size_t ns, total;
	struct strlist notes;
	/* fault injection */
	size_t stop_after;	/* return PR_EDATA after this many (0: never) */
	size_t interrupt_after;
	size_t kill_after;
	int killed;
};

static struct tseries *
find_series(struct tsink *k, const char *host, const char *metric, const char *fqdd)
{
	for (size_t i = 0; i < k->ns; i++)
		if (strcmp(k->s[i].host, host) == 0 && strcmp(k->s[i].metric, metric) == 0 &&
		    strcmp(k->s[i].fqdd, fqdd) == 0)
			return &k->s[i];
	return NULL;
}

/* SIGKILL the server process that streams to powerreport (the server then
 * restarts, telling every other session; this one does not listen). */
static void
kill_backend(void)
{
	long long pid = pgs_scalar("postgres", "SELECT pid FROM pg_stat_activity WHERE "
	    "application_name = 'powerreport' AND state = 'active'");

	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(kill((pid_t)pid, SIGKILL), 0);
}

static int
tsink_sample(void *ctx, const struct sample *s)
{
	struct tsink *k = ctx;
	struct tseries *se = find_series(k, s->hostname, s->metric, s->fqdd);

	k->total++;
	if (k->stop_after > 0 && k->total >= k->stop_after)
		return PR_EDATA;
	if (k->interrupt_after > 0 && k->total >= k->interrupt_after)
		pr_interrupted = 1;
	if (k->kill_after > 0 && k->total == k->kill_after && !k->killed) {
		kill_backend();
		k->killed = 1;
	}
	if (k->kill_after > 0 || k->stop_after > 0 || k->interrupt_after > 0)
		return PR_OK;
	if (se == NULL) {
		ck_assert_uint_lt(k->ns, 64);
		se = &k->s[k->ns++];
		se->host = strdup(s->hostname);
		se->metric = strdup(s->metric);
		se->fqdd = strdup(s->fqdd);
		se->units = strdup(s->units);
		se->source = strdup(s->source);
	}
	ck_assert_msg(se->n == 0 || se->t[se->n - 1] <= s->t, "%s %s %s out of order",
	    s->hostname, s->metric, s->fqdd);
	ck_assert_str_eq(se->units, s->units);
	se->t = realloc(se->t, (se->n + 1) * sizeof *se->t);
	se->v = realloc(se->v, (se->n + 1) * sizeof *se->v);
	se->t[se->n] = s->t;
	se->v[se->n++] = s->value;
	if (isnan(s->value))
		se->nnan++;
	return PR_OK;
}

static void
tsink_note(void *ctx, const char *host, const char *msg)
{
	struct tsink *k = ctx;

	strlist_addf(&k->notes, "%s: %s", host != NULL ? host : "job", msg);
}

static void
tsink_free(struct tsink *k)
{
	for (size_t i = 0; i < k->ns; i++) {
		struct tseries *se = &k->s[i];

		free(se->host);
		free(se->metric);
		free(se->fqdd);
		free(se->units);
		free(se->source);
		free(se->t);
		free(se->v);
	}
	strlist_free(&k->notes);
	memset(k, 0, sizeof *k);
}

static int
has_note(const struct tsink *k, const char *a, const char *b)
{
	for (size_t i = 0; i < k->notes.n; i++)
		if (strstr(k->notes.v[i], a) != NULL && strstr(k->notes.v[i], b) != NULL)
			return 1;
	return 0;
}

/* Value of the series at t: linear between samples, held beyond them. */
static double
value_at(const struct tseries *se, const size_t *idx, size_t n, usec_t t)
{
	size_t i;

	if (t <= se->t[idx[0]])
		return se->v[idx[0]];
	for (i = 1; i < n; i++)
		if (t <= se->t[idx[i]]) {
			double a = (double)(t - se->t[idx[i - 1]]);
			double w = (double)(se->t[idx[i]] - se->t[idx[i - 1]]);

			return w == 0 ? se->v[idx[i]] :
			    se->v[idx[i - 1]] + (se->v[idx[i]] - se->v[idx[i - 1]]) * a / w;
		}
	return se->v[idx[n - 1]];
}

/* Energy over [T0, T1] in value-units x seconds. */
static double
energy(const struct tseries *se)
{
	size_t *idx = calloc(se->n, sizeof *idx), n = 0, i;
	double e = 0;
	usec_t prev = US(T0), t;

	for (i = 0; i < se->n; i++)
		if (!isnan(se->v[i]))
			idx[n++] = i;
	ck_assert_uint_gt(n, 0);
	for (i = 0; i <= n; i++) {
		t = i < n ? se->t[idx[i]] : US(T1);
		if (t <= prev)
			continue;
		if (t > US(T1))
			t = US(T1);
		e += (value_at(se, idx, n, prev) + value_at(se, idx, n, t)) / 2 *
		    (double)(t - prev) / USEC_PER_SEC;
		prev = t;
	}
	free(idx);
	return e;
}

static size_t
count_between(const struct tseries *se, usec_t a, usec_t b)
{
	size_t n = 0;

	for (size_t i = 0; i < se->n; i++)
		n += se->t[i] >= a && se->t[i] <= b;
	return n;
}

/* ---- configuration and plans built directly (no config file) ---- */

static struct rule *rules;
static struct config cfg;

/* Strings a test makes (paths, conninfos), freed by its teardown. */
static char *owned[32];
static size_t nowned;

static char *
own(char *p)
{
	ck_assert_uint_lt(nowned, 32);
	return owned[nowned++] = p;
}

static void
teardown(void)
{
	while (nowned > 0)
		free(owned[--nowned]);
	config_free(&cfg);
	rules = NULL;
}

static void
setup_config(const char *zen4_metrics, const char *h100_metrics)
{
	const char *lists[2] = { zen4_metrics, h100_metrics };
	const char *names[2][2] = { { "rpc-*", "zen4" }, { "rpg-*", "h100" } };

	config_free(&cfg);
	rules = xcalloc(2, sizeof *rules);
	for (int i = 0; i < 2; i++) {
		char *copy = xstrdup(lists[i]), *save = NULL;

		rules[i].match = xstrdup(names[i][0]);
		rules[i].database = xstrdup(names[i][1]);
		rules[i].schema = xstrdup("idrac");
		for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save))
			strlist_add(&rules[i].metrics, m);
		free(copy);
	}
	cfg.rules = rules;
	cfg.nrules = 2;
	cfg.conninfo = xasprintf("host=%s port=%d user=postgres", pgs_dir(), pgs_port());
	cfg.connect_timeout_s = 5;
	cfg.statement_timeout_ms = 30000;
	cfg.jobs_schema = xstrdup("slurm");
	cfg.sampling_interval_s = 5;
	pr_errclear();
	pr_interrupted = 0;
}

static void
make_plan(struct plan *plan, const char *const *hosts)
{
	size_t n = 0;

	while (hosts[n] != NULL)
		n++;
	plan->nodes = xcalloc(n, sizeof *plan->nodes);
	plan->n = n;
	for (size_t i = 0; i < n; i++) {
		plan->nodes[i].hostname = xstrdup(hosts[i]);
		plan->nodes[i].rule = hosts[i][2] == 'c' ? &rules[0] : &rules[1];
	}
}

static int
pull(const char *const *hosts, struct tsink *k)
{
	struct sample_sink sink = { tsink_sample, tsink_note, k };
	struct source src;
	struct plan plan;
	int rc;

	make_plan(&plan, hosts);
	ck_assert_int_eq(source_pg_open(&src, &cfg, 0), PR_OK);
	ck_assert_str_eq(src.name, "postgresql");
	rc = src.pull(&src, &plan, US(T0), US(T1), &sink);
	src.close(&src);
	plan_free(&plan);
	return rc;
}

static const char *const all_hosts[] = { "rpc-1", "rpc-2", "rpc-3", "rpc-4", "rpg-1",
	"rpg-2", NULL };

START_TEST(energies_from_two_databases)
{
	struct tsink k = { 0 };
	struct tseries *se;
	size_t inside = 0;

	setup_config("SystemInputPower,TotalCPUPower,TotalMemoryPower,TotalFanPower",
	    "SystemInputPower,PowerConsumption");
	ck_assert_msg(pull(all_hosts, &k) == PR_OK, "%s", pr_errmsg());

	/* the ramp: jitter, gap, NULL, duplicates, scrambled inserts */
	se = find_series(&k, "rpc-1", "SystemInputPower", "System.Embedded.1");
	ck_assert_ptr_nonnull(se);
	ck_assert_str_eq(se->units, "W");
	ck_assert_str_eq(se->source, "iDRAC.Embedded.1");
	ck_assert_double_eq_tol(energy(se), 684000, 1e-3);
	ck_assert_uint_eq(se->nnan, 1);
	for (int i = -40; i <= 760; i++) {
		double t = (double)T0 + 5 * i + ((i * 37) % 7 - 3) * 0.1;

		if ((i < 200 || i > 260) && t >= T0 && t <= T1)
			inside += (i >= 100 && i <= 105) ? 2 : 1;
	}
	ck_assert_uint_eq(count_between(se, US(T0), US(T1)), inside);
	ck_assert_uint_eq(se->n, inside + 2);	/* one sample beyond each edge */
	ck_assert_int_lt(se->t[0], US(T0));
	ck_assert_int_ge(se->t[0], US(T0 - 6));
	ck_assert_int_gt(se->t[se->n - 1], US(T1));
	ck_assert_int_le(se->t[se->n - 1], US(T1 + 6));

	se = find_series(&k, "rpc-2", "SystemInputPower", "System.Embedded.1");
	ck_assert_ptr_nonnull(se);
	ck_assert_uint_eq(se->n, 481);
	ck_assert_double_eq_tol(energy(se), 900000, 1e-6);

	se = find_series(&k, "rpc-1", "TotalCPUPower", "CPU.Socket.1");
	ck_assert_ptr_nonnull(se);
	ck_assert_double_eq_tol(energy(se), 432000, 1e-6);
	se = find_series(&k, "rpc-1", "TotalMemoryPower", "System.Embedded.1");
	ck_assert_ptr_nonnull(se);
	ck_assert_str_eq(se->units, "");
	ck_assert_double_eq_tol(energy(se), 108000, 1e-6);

	for (int g = 1; g <= 4; g++) {
		char fqdd[32];

		snprintf(fqdd, sizeof fqdd, "Video.Slot.38-%d", g);
		se = find_series(&k, "rpg-1", "PowerConsumption", fqdd);
		ck_assert_msg(se != NULL, "no series for %s", fqdd);
		ck_assert_str_eq(se->units, "mW");
		ck_assert_uint_eq(se->n, 723);
		ck_assert_double_eq_tol(energy(se), (40000.0 + 10000 * g) * 3600, 1e-3);
	}
	se = find_series(&k, "rpg-1", "SystemInputPower", "System.Embedded.1");
	ck_assert_ptr_nonnull(se);
	ck_assert_double_eq_tol(energy(se), 3600000, 1e-6);
	se = find_series(&k, "rpg-2", "SystemInputPower", "System.Embedded.1");
	ck_assert_ptr_nonnull(se);
	ck_assert_double_eq_tol(energy(se), 2448000, 1e-6);

	/* exactly these series: nothing from rpc-9, none for rpc-3/rpc-4 */
	ck_assert_uint_eq(k.ns, 10);
	for (size_t i = 0; i < k.ns; i++)
		for (size_t j = 0; j < k.s[i].n; j++)
			ck_assert(isnan(k.s[i].v[j]) || k.s[i].v[j] != 9999);

	ck_assert(has_note(&k, "rpc-3", "not in public.nodes of database \"zen4\""));
	ck_assert(has_note(&k, "rpc-4", "no samples in the window"));
	ck_assert(has_note(&k, "job", "idrac.totalfanpower does not exist"));
	ck_assert(has_note(&k, "TotalMemoryPower", "no units"));
	ck_assert_uint_eq(k.notes.n, 4);
	tsink_free(&k);
}
END_TEST

/* Transactions the zen4 database has run, once every powerreport session
 * has ended and flushed its statistics. */
static long long
zen4_statements(void)
{
	long long n;

	for (int i = 0; i < 200 && pgs_scalar("postgres", "SELECT count(*) FROM "
	    "pg_stat_activity WHERE application_name = 'powerreport'") != 0; i++)
		usleep(10000);
	n = pgs_scalar("postgres", "SELECT xact_commit + xact_rollback FROM pg_stat_database"
	    " WHERE datname = 'zen4'");
	ck_assert_int_ge(n, 0);
	return n;
}

/* One connection per database and a number of statements that does not
 * grow with the nodes: one node or four, the same count. */
START_TEST(round_trips_do_not_grow_with_nodes)
{
	const char *const one[] = { "rpc-1", NULL };
	const char *const four[] = { "rpc-1", "rpc-2", "rpc-3", "rpc-4", NULL };
	struct tsink k = { 0 };
	long long n0, n1, n4;

	setup_config("SystemInputPower,TotalCPUPower,TotalMemoryPower", "SystemInputPower");
	n0 = zen4_statements();
	ck_assert_int_eq(pull(one, &k), PR_OK);
	n1 = zen4_statements();
	tsink_free(&k);
	ck_assert_int_eq(pull(four, &k), PR_OK);
	n4 = zen4_statements();
	/* connecting, the metadata (nodes, names, metric info), then per metric
	 * one with the window settings and three COPYs */
	ck_assert_int_eq(n1 - n0, 2 + 3);
	ck_assert_int_eq(n4 - n1, n1 - n0);
	tsink_free(&k);
}
END_TEST

/* A sink that stops the pull: its status comes back, and the connection is
 * left clean (a second pull on the same source works). */
START_TEST(sink_stop_and_interrupt)
{
	struct tsink k = { .stop_after = 100 };
	struct sample_sink sink = { tsink_sample, tsink_note, &k };
	const char *const hosts[] = { "rpg-1", NULL };
	struct source src;
	struct plan plan;

	setup_config("SystemInputPower", "BigPower,SystemInputPower");
	make_plan(&plan, hosts);
	source_pg_open(&src, &cfg, 0);
	ck_assert_int_eq(src.pull(&src, &plan, US(T0), US(T1), &sink), PR_EDATA);
	k.stop_after = 0;
	k.interrupt_after = 5000;
	k.total = 0;
	ck_assert_int_eq(src.pull(&src, &plan, US(T0), US(T1), &sink), PR_EINTR);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "interrupted"));
	pr_interrupted = 0;
	k.interrupt_after = 0;
	k.total = 0;
	strlist_free(&rules[1].metrics);
	strlist_add(&rules[1].metrics, "SystemInputPower");
	ck_assert_int_eq(src.pull(&src, &plan, US(T0), US(T1), &sink), PR_OK);
	ck_assert_uint_eq(k.total, 723);
	src.close(&src);
	plan_free(&plan);
	tsink_free(&k);
}
END_TEST

START_TEST(refused)
{
	struct tsink k = { 0 };
	const char *const hosts[] = { "rpc-1", NULL };
	int port = pgs_port() + 1;

	setup_config("SystemInputPower", "SystemInputPower");
	free(cfg.conninfo);
	cfg.conninfo = xasprintf("host=127.0.0.1 port=%d", port);
	while (port < 65000) {	/* make sure nothing listens there */
		char *ci = xasprintf("host=127.0.0.1 port=%d connect_timeout=2", port);

		PGPing p = PQping(ci);
		free(ci);
		if (p == PQPING_NO_RESPONSE)
			break;
		port++;
	}
	free(cfg.conninfo);
	cfg.conninfo = xasprintf("host=127.0.0.1 port=%d", port);
	ck_assert_int_eq(pull(hosts, &k), PR_ESOURCE);
	ck_assert_msg(strstr(pr_errmsg(), "database \"zen4\": cannot connect") != NULL &&
	    strstr(pr_errmsg(), "is the server running") != NULL, "%s", pr_errmsg());
	ck_assert_ptr_null(strchr(pr_errmsg(), '\n'));
	tsink_free(&k);
}
END_TEST

/* The value of keyword in conn's options ("" when unset), malloc'd. */
static char *
conn_option(PGconn *conn, const char *keyword)
{
	PQconninfoOption *opts = PQconninfo(conn), *o;
	char *v = NULL;

	for (o = opts; o->keyword != NULL && v == NULL; o++)
		if (strcmp(o->keyword, keyword) == 0)
			v = xstrdup(o->val != NULL ? o->val : "");
	PQconninfoFree(opts);
	return v;
}

/* Connections are non-blocking and have TCP keepalives, which a conninfo
 * may tune. */
START_TEST(keepalives_and_nonblocking)
{
	const char *want[2] = { "60", "7" };
	PGconn *conn;

	setup_config("SystemInputPower", "SystemInputPower");
	for (int i = 0; i < 2; i++) {
		free(cfg.conninfo);
		cfg.conninfo = xasprintf("host=127.0.0.1 port=%d user=reader password=R3ad-0nly%s",
		    pgs_port(), i == 0 ? "" : " keepalives_idle=7");
		ck_assert_msg(pg_connect(&cfg, &rules[0], &conn) == PR_OK, "%s", pr_errmsg());
		ck_assert_int_eq(PQisnonblocking(conn), 1);
		ck_assert_str_eq(own(conn_option(conn, "keepalives")), "1");
		ck_assert_str_eq(own(conn_option(conn, "keepalives_idle")), want[i]);
		ck_assert_str_eq(own(conn_option(conn, "keepalives_count")), "6");
		PQfinish(conn);
	}
}
END_TEST

START_TEST(wrong_password)
{
	struct tsink k = { 0 };
	const char *const hosts[] = { "rpc-1", NULL };

	setup_config("SystemInputPower", "SystemInputPower");
	free(cfg.conninfo);
	cfg.conninfo = xasprintf("host=127.0.0.1 port=%d user=reader password=Wr0ng-Secret",
	    pgs_port());
	ck_assert_int_eq(pull(hosts, &k), PR_ESOURCE);
	ck_assert_msg(strstr(pr_errmsg(), "zen4") != NULL &&
	    strstr(pr_errmsg(), "password authentication failed") != NULL &&
	    strstr(pr_errmsg(), ".pgpass") != NULL, "%s", pr_errmsg());
	ck_assert_ptr_null(strstr(pr_errmsg(), "Wr0ng-Secret"));
	tsink_free(&k);
}
END_TEST

/* The read-only role through ~/.pgpass-style PGPASSFILE, then through a
 * service file; the rule's database is added to the base conninfo. */
START_TEST(pgpass_and_service_file)
{
	char *dir = own(tu_tmpdir());
	char *pass = own(xasprintf("%s/pgpass", dir)), *svc = own(xasprintf("%s/services", dir));
	const char *const hosts[] = { "rpc-1", "rpg-1", NULL };
	struct tsink k = { 0 };

	tu_write(pass, own(xasprintf("127.0.0.1:%d:*:reader:R3ad-0nly\n", pgs_port())));
	chmod(pass, 0600);
	tu_write(svc, own(xasprintf("[monster]\nhost=127.0.0.1\nport=%d\nuser=reader\n",
	    pgs_port())));
	setenv("PGPASSFILE", pass, 1);
	setenv("PGSERVICEFILE", svc, 1);

	setup_config("SystemInputPower", "PowerConsumption");
	free(cfg.conninfo);
	cfg.conninfo = xasprintf("host=127.0.0.1 port=%d user=reader", pgs_port());
	ck_assert_msg(pull(hosts, &k) == PR_OK, "%s", pr_errmsg());
	ck_assert_uint_eq(k.ns, 5);

	tsink_free(&k);
	free(cfg.conninfo);
	cfg.conninfo = xstrdup("service=monster");
	ck_assert_msg(pull(hosts, &k) == PR_OK, "%s", pr_errmsg());
	ck_assert_uint_eq(k.ns, 5);
	tu_rmrf(dir);
	tsink_free(&k);
}
END_TEST

START_TEST(query_timeout)
{
	struct tsink k = { 0 };
	const char *const hosts[] = { "rpg-1", NULL };

	setup_config("SystemInputPower", "SlowPower");
	cfg.statement_timeout_ms = 300;
	ck_assert_int_eq(pull(hosts, &k), PR_ESOURCE);
	ck_assert_msg(strstr(pr_errmsg(), "database \"h100\"") != NULL &&
	    strstr(pr_errmsg(), "idrac.slowpower") != NULL &&
	    strstr(pr_errmsg(), "statement_timeout") != NULL, "%s", pr_errmsg());
	tsink_free(&k);
}
END_TEST

START_TEST(bad_identifier)
{
	struct tsink k = { 0 };
	const char *const hosts[] = { "rpc-1", NULL };

	setup_config("SystemInputPower", "SystemInputPower");
	free(rules[0].schema);
	rules[0].schema = xstrdup("idrac; DROP TABLE x");
	ck_assert_int_eq(pull(hosts, &k), PR_ECONFIG);
	setup_config("Power\"Input", "SystemInputPower");
	ck_assert_int_eq(pull(hosts, &k), PR_ECONFIG);
	tsink_free(&k);
}
END_TEST

/* Wait for the server to accept connections again (after a crash restart). */
static void
wait_server(void)
{
	char *ci = pgs_conninfo("postgres");

	for (int i = 0; i < 300 && PQping(ci) != PQPING_OK; i++)
		usleep(100000);
	free(ci);
}

START_TEST(server_killed_mid_stream)
{
	struct tsink k = { .kill_after = 2000 };
	const char *const hosts[] = { "rpg-1", NULL };
	int rc;

	setup_config("SystemInputPower", "BigPower");
	rc = pull(hosts, &k);
	wait_server();
	ck_assert(k.killed);
	ck_assert_int_eq(rc, PR_ESOURCE);
	ck_assert_msg(strstr(pr_errmsg(), "database \"h100\"") != NULL &&
	    strstr(pr_errmsg(), "idrac.bigpower") != NULL &&
	    strstr(pr_errmsg(), "went away") != NULL, "%s", pr_errmsg());
	ck_assert_uint_lt(k.total, 400000);
	tsink_free(&k);
}
END_TEST

START_TEST(job_lookup)
{
	struct job job = { 0 };

	setup_config("SystemInputPower", "SystemInputPower");
	ck_assert_msg(jobdb_lookup(&cfg, "4242", &job) == PR_OK, "%s", pr_errmsg());
	ck_assert_str_eq(job.id, "4242");
	ck_assert_str_eq(job.name, "lammps run");
	ck_assert_str_eq(job.user, "alice");
	ck_assert_str_eq(job.partition, "zen4");
	ck_assert_str_eq(job.workdir, "/home/alice/run");
	ck_assert_str_eq(job.exit_state, "COMPLETED (exit code 0)");	/* as the epilog says */
	ck_assert(job.have_window);
	ck_assert_int_eq(job.start, US(T0));
	ck_assert_int_eq(job.end, US(T1));
	ck_assert_uint_eq(job.nodes.n, 3);
	ck_assert_str_eq(job.nodes.v[2], "rpc-3");
	ck_assert_str_eq(job.nodelist, "rpc-[1-3]");

	/* found in the second database */
	ck_assert_msg(jobdb_lookup(&cfg, "4343", &job) == PR_OK, "%s", pr_errmsg());
	ck_assert_str_eq(job.user, "bob");
	ck_assert_str_eq(job.nodelist, "rpg-1");
	ck_assert_str_eq(job.exit_state, "FAILED (exit 1)");

	ck_assert_int_eq(jobdb_lookup(&cfg, "99999", &job), PR_ENOJOB);
	ck_assert_msg(strstr(pr_errmsg(), "slurm.jobs in database \"zen4\"") != NULL &&
	    strstr(pr_errmsg(), "slurm.jobs in database \"h100\"") != NULL &&
	    strstr(pr_errmsg(), "sacct") != NULL, "%s", pr_errmsg());
	job_free(&job);
}
END_TEST

/* ---- through the real binary ---- */

/* A config file for the binary in a new scratch dir; conninfo as given
 * (NULL: the test server over its socket) and keys added to its
 * "database" section. */
static char *
binary_setup_keys(const char *conninfo, const char *keys, const char *gpu_metric,
    char **cfgpath)
{
	char *dir = own(tu_tmpdir()), *text;

	if (conninfo == NULL)
		conninfo = own(xasprintf("host=%s port=%d user=postgres", pgs_dir(), pgs_port()));
	*cfgpath = own(xasprintf("%s/config.json", dir));
	text = own(xasprintf(
	    "{\"rules\": ["
	    " {\"match\": \"rpc*\", \"database\": \"zen4\", \"schema\": \"idrac\", \"metrics\":"
	    "  [\"SystemInputPower\", \"TotalCPUPower\", \"TotalMemoryPower\", \"TotalFanPower\"]},"
	    " {\"match\": \"rpg*\", \"database\": \"h100\", \"schema\": \"idrac\", \"metrics\":"
	    "  [\"SystemInputPower\", \"%s\"]}],"
	    " \"database\": {\"conninfo\": \"%s\", %s}}", gpu_metric, conninfo, keys));
	tu_write(*cfgpath, text);
	return dir;
}

/* The same with connect_timeout_s 5 and statement_timeout_ms as given. */
static char *
binary_setup(const char *conninfo, int statement_timeout_ms, const char *gpu_metric,
    char **cfgpath)
{
	return binary_setup_keys(conninfo, own(xasprintf("\"connect_timeout_s\": 5, "
	    "\"statement_timeout_ms\": %d", statement_timeout_ms)), gpu_metric, cfgpath);
}

static const cJSON *
node_energy(const cJSON *root, const char *host)
{
	const cJSON *n;

	cJSON_ArrayForEach(n, cJSON_GetObjectItem(root, "nodes"))
		if (strcmp(cJSON_GetObjectItem(n, "hostname")->valuestring, host) == 0)
			return cJSON_GetObjectItem(n, "energy_kwh");
	ck_abort_msg("no node %s in summary.json", host);
	return NULL;
}

/* interval_from of the first series of host with this metric. */
static const char *
interval_from(const cJSON *root, const char *host, const char *metric)
{
	const cJSON *n, *s;

	cJSON_ArrayForEach(n, cJSON_GetObjectItem(root, "nodes"))
		if (strcmp(cJSON_GetObjectItem(n, "hostname")->valuestring, host) == 0)
			cJSON_ArrayForEach(s, cJSON_GetObjectItem(n, "series"))
				if (strcmp(cJSON_GetObjectItem(s, "metric")->valuestring, metric) == 0)
					return cJSON_GetObjectItem(s, "interval_from")->valuestring;
	ck_abort_msg("no %s series of %s in summary.json", metric, host);
	return NULL;
}

/* Every number in the tree as "path=value" lines (the generator block,
 * which says when and from what the report was made, left out). */
static void
numbers(const cJSON *j, const char *path, struct strlist *out)
{
	const cJSON *c;
	char *sub;
	int i = 0;

	if (cJSON_IsNumber(j))
		strlist_addf(out, "%s=%.17g", path, j->valuedouble);
	cJSON_ArrayForEach(c, j) {
		if (c->string != NULL && strcmp(c->string, "generator") == 0)
			continue;
		sub = c->string != NULL ? xasprintf("%s/%s", path, c->string) :
		    xasprintf("%s/%d", path, i);
		numbers(c, sub, out);
		free(sub);
		i++;
	}
}

#define BIN_WINDOW "--start", "1700000000", "--end", "1700003600"

/* The closed-form energies of tests/fixtures/zen4.sql and h100.sql in the
 * report of rpc-[1-4],rpg-[1-2] over BIN_WINDOW. */
static void
assert_fixture_energies(const cJSON *s)
{
	ck_assert_double_eq_tol(rf_num(node_energy(s, "rpc-1"), "total"), 0.19, 1e-9);
	ck_assert_double_eq_tol(rf_num(node_energy(s, "rpc-1"), "cpu"), 0.12, 1e-9);
	ck_assert_double_eq_tol(rf_num(node_energy(s, "rpc-2"), "total"), 0.25, 1e-9);
	ck_assert_double_eq_tol(rf_num(node_energy(s, "rpg-1"), "total"), 1.0, 1e-9);
	ck_assert_double_eq_tol(rf_num(node_energy(s, "rpg-1"), "gpu"), 0.26, 1e-9);
	ck_assert_double_eq_tol(rf_num(node_energy(s, "rpg-2"), "total"), 0.68, 1e-9);
	ck_assert_double_eq_tol(rf_num(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "totals"),
	    "energy_kwh"), "total"), 2.12, 1e-9);
}

START_TEST(binary_db_run_and_csv_rerun_agree)
{
	char *cfgpath, *dir = binary_setup(NULL, 30000, "PowerConsumption", &cfgpath);
	char *d1 = own(xasprintf("%s/db", dir)), *d2 = own(xasprintf("%s/csv", dir));
	char *csv = own(xasprintf("%s/power_77/raw_power.csv", d1)), *text;
	struct strlist n1 = { 0 }, n2 = { 0 };
	struct run_result r;
	cJSON *s1, *s2;

	mkdir(d1, 0755);
	mkdir(d2, 0755);
	const char *run1[] = { BIN_WINDOW, "--nodelist", "rpc-[1-4],rpg-[1-2]", "--job-id",
	    "77", "--outdir", d1, "--config", cfgpath, "-q", NULL };
	const char *run2[] = { "--from-csv", csv, BIN_WINDOW, "--nodelist",
	    "rpc-[1-4],rpg-[1-2]", "--job-id", "77", "--outdir", d2, "--config", cfgpath,
	    "-q", NULL };

	r = tu_run(run1, NULL, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	tu_run_free(&r);
	r = tu_run(run2, NULL, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	tu_run_free(&r);

	s1 = rf_summary(own(xasprintf("%s/power_77", d1)));
	s2 = rf_summary(own(xasprintf("%s/power_77", d2)));
	assert_fixture_energies(s1);
	/* metrics_definition.sensing_interval where it is ISO 8601 (PT5S);
	 * the median spacing otherwise, and from a CSV */
	ck_assert_str_eq(interval_from(s1, "rpg-1", "PowerConsumption"), "given");
	ck_assert_str_eq(interval_from(s1, "rpg-1", "SystemInputPower"), "median spacing");
	ck_assert_str_eq(interval_from(s2, "rpg-1", "PowerConsumption"), "median spacing");
	text = cJSON_PrintUnformatted(s1);
	ck_assert_msg(strstr(text, "not in public.nodes") != NULL, "rpc-3 not reported");
	ck_assert_msg(strstr(text, "idrac.totalfanpower does not exist") != NULL,
	    "missing table not reported");
	free(text);

	numbers(s1, "", &n1);
	numbers(s2, "", &n2);
	ck_assert_uint_gt(n1.n, 20);
	ck_assert_uint_eq(n1.n, n2.n);
	for (size_t i = 0; i < n1.n; i++)
		ck_assert_str_eq(n1.v[i], n2.v[i]);
	strlist_free(&n1);
	strlist_free(&n2);
	cJSON_Delete(s1);
	cJSON_Delete(s2);
	tu_rmrf(dir);
}
END_TEST

START_TEST(binary_job_id_lookup)
{
	char *cfgpath, *dir = binary_setup(NULL, 30000, "PowerConsumption", &cfgpath);
	const char *found[] = { "4343", "--outdir", dir, "--config", cfgpath, "-q", NULL };
	const char *unknown[] = { "99999", "--outdir", dir, "--config", cfgpath, NULL };
	struct run_result r;
	cJSON *s;

	r = tu_run(found, NULL, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	tu_run_free(&r);
	s = rf_summary(own(xasprintf("%s/power_4343", dir)));
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "job"), "user")->valuestring,
	    "bob");
	ck_assert_double_eq_tol(rf_num(node_energy(s, "rpg-1"), "gpu"), 0.26, 1e-9);
	cJSON_Delete(s);

	r = tu_run(unknown, NULL, NULL);
	ck_assert_int_eq(r.status, PR_ENOJOB);
	ck_assert_msg(strstr(r.err, "99999") != NULL && strstr(r.err, "slurm.jobs") != NULL,
	    "%s", r.err);
	tu_run_free(&r);
	tu_rmrf(dir);
}
END_TEST

/* Run the binary expecting PR_ESOURCE, a message naming the database, no
 * secret in it and no report left behind. */
static void
binary_fault(const char *conninfo, int timeout_ms, const char *gpu_metric, const char *node,
    const char *want)
{
	char *cfgpath, *dir = binary_setup(conninfo, timeout_ms, gpu_metric, &cfgpath);
	const char *argv[] = { BIN_WINDOW, "--nodelist", node, "--job-id", "78", "--outdir",
	    dir, "--config", cfgpath, NULL };
	struct run_result r = tu_run(argv, NULL, NULL);

	ck_assert_msg(r.status == PR_ESOURCE, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.err, want) != NULL, "%s", r.err);
	ck_assert_ptr_null(strstr(r.err, "Wr0ng-Secret"));
	ck_assert_int_eq(tu_count_entries(dir), 1);	/* only config.json */
	tu_run_free(&r);
	tu_rmrf(dir);
}

START_TEST(binary_faults)
{
	char *nobody = own(xasprintf("host=%s port=%d user=postgres", pgs_dir(), pgs_port() + 1));
	char *badpw = own(xasprintf("host=127.0.0.1 port=%d user=reader password=Wr0ng-Secret",
	    pgs_port()));

	binary_fault(nobody, 30000, "PowerConsumption", "rpc-1",
	    "database \"zen4\": cannot connect");
	binary_fault(badpw, 30000, "PowerConsumption", "rpc-1", "password authentication failed");
	binary_fault(NULL, 300, "SlowPower", "rpg-1", "statement_timeout");
}
END_TEST

/* Nodes the database knows but without a sample in the window (rpc-4),
 * or does not know at all (rpc-3): no data for the job, its own exit code. */
START_TEST(binary_no_data)
{
	char *cfgpath, *dir = binary_setup(NULL, 30000, "PowerConsumption", &cfgpath);
	const char *argv[] = { BIN_WINDOW, "--nodelist", "rpc-[3-4]", "--job-id", "80",
	    "--outdir", dir, "--config", cfgpath, NULL };
	struct run_result r = tu_run(argv, NULL, NULL);

	ck_assert_msg(r.status == PR_ENODATA, "exit %d: %s", r.status, r.err);
	ck_assert_int_eq(tu_count_entries(dir), 1);
	tu_run_free(&r);
	tu_rmrf(dir);
}
END_TEST

/* In a child: SIGKILL the server process as soon as it is reading
 * idrac.bigpower for the binary. */
static void
kill_when_streaming(void)
{
	long long pid;

	for (int i = 0; i < 1000; i++) {
		pid = pgs_scalar("postgres", "SELECT pid FROM pg_stat_activity WHERE "
		    "application_name = 'powerreport' AND state = 'active' AND query LIKE "
		    "'COPY%bigpower%'");
		if (pid > 0)
			_exit(kill((pid_t)pid, SIGKILL) == 0 ? 0 : 2);
		usleep(10000);
	}
	_exit(1);
}

START_TEST(binary_server_killed_mid_stream)
{
	char *cfgpath, *dir = binary_setup(NULL, 30000, "BigPower", &cfgpath);
	const char *argv[] = { BIN_WINDOW, "--nodelist", "rpg-1", "--job-id", "79", "--outdir",
	    dir, "--config", cfgpath, NULL };
	struct run_result r;
	pid_t killer = fork();
	int st;

	ck_assert_int_ge(killer, 0);
	if (killer == 0)
		kill_when_streaming();
	r = tu_run(argv, NULL, NULL);
	ck_assert_int_eq(waitpid(killer, &st, 0), killer);
	wait_server();
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the killer did not kill");
	ck_assert_msg(r.status == PR_ESOURCE, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.err, "database \"h100\"") != NULL &&
	    strstr(r.err, "went away") != NULL, "%s", r.err);
	ck_assert_int_eq(tu_count_entries(dir), 1);	/* only config.json */
	tu_run_free(&r);
	tu_rmrf(dir);
}
END_TEST

/* The sacct fallback, with a recorded sacct in PATH (Slurm accounting
 * cannot run here): times asked as epoch seconds, "Unknown" / "None
 * assigned" / empty fields meaning not known. */
START_TEST(job_lookup_sacct_fallback)
{
	char *dir = own(tu_tmpdir()), *sacct = own(xasprintf("%s/sacct", dir));
	char *path = own(xasprintf("%s:%s", dir, getenv("PATH")));
	struct job job = { 0 };
	time_t t0;

	tu_write(sacct, "#!/bin/sh\n"
	    "[ \"$SLURM_TIME_FORMAT\" = %s ] || exit 1\n"
	    "case \"$2\" in\n"
	    "4545) echo '4545|my job|carol|zen4|1700000000|Unknown|rpc-[1-2]|/home/carol|RUNNING|0:0' ;;\n"
	    "4546) echo '4546|x|dave|zen4|1700000000|1700003600|None assigned||CANCELLED by 0|0:0' ;;\n"
	    "4548) exec sleep 60 ;;\n"
	    "esac\n");
	chmod(sacct, 0755);
	setenv("PATH", path, 1);
	setup_config("SystemInputPower", "SystemInputPower");

	ck_assert_msg(jobdb_lookup(&cfg, "4545", &job) == PR_OK, "%s", pr_errmsg());
	ck_assert_str_eq(job.name, "my job");
	ck_assert_str_eq(job.user, "carol");
	ck_assert_str_eq(job.workdir, "/home/carol");
	ck_assert_str_eq(job.exit_state, "RUNNING (exit code 0)");
	ck_assert(!job.have_window);	/* still running: no end */
	ck_assert_uint_eq(job.nodes.n, 2);
	ck_assert_str_eq(job.nodelist, "rpc-[1-2]");

	job_free(&job);
	memset(&job, 0, sizeof job);
	ck_assert_msg(jobdb_lookup(&cfg, "4546", &job) == PR_OK, "%s", pr_errmsg());
	ck_assert(job.have_window);
	ck_assert_int_eq(job.end, US(T1));
	ck_assert_uint_eq(job.nodes.n, 0);
	ck_assert_ptr_null(job.workdir);
	ck_assert_str_eq(job.exit_state, "CANCELLED (exit code 0)");

	ck_assert_int_eq(jobdb_lookup(&cfg, "4547", &job), PR_ENOJOB);
	ck_assert_msg(strstr(pr_errmsg(), "sacct (no such job)") != NULL, "%s", pr_errmsg());

	/* a sacct that never answers is killed after connect + statement timeout */
	cfg.connect_timeout_s = 1;
	cfg.statement_timeout_ms = 1000;
	pr_errclear();
	t0 = time(NULL);
	ck_assert_int_eq(jobdb_lookup(&cfg, "4548", &job), PR_ENOJOB);
	ck_assert_msg(time(NULL) - t0 <= 4, "sacct held the lookup %lld s",
	    (long long)(time(NULL) - t0));
	ck_assert_msg(strstr(pr_errmsg(), "sacct (no answer in time") != NULL, "%s", pr_errmsg());

	/* no database reachable and no sacct: a source fault, not an unknown job */
	setenv("PATH", dir, 1);
	unlink(sacct);
	free(cfg.conninfo);
	cfg.conninfo = xasprintf("host=%s port=%d", pgs_dir(), pgs_port() + 1);
	pr_errclear();
	ck_assert_int_eq(jobdb_lookup(&cfg, "4242", &job), PR_ESOURCE);
	ck_assert_msg(strstr(pr_errmsg(), "sacct (not installed)") != NULL &&
	    strstr(pr_errmsg(), "database \"zen4\": cannot connect") != NULL, "%s", pr_errmsg());
	tu_rmrf(dir);
	job_free(&job);
}
END_TEST

/* ---- waiting for late telemetry (--wait-for-data) ----
 * Nodes of their own, rpc-11..rpc-14 (ids 11-14 in zen4), each used by one
 * test, in a ten-minute window a day after the fixtures' where
 * P = 100 + 0.5 (t - W0) W: 150000 J over the window, but only when the
 * samples up to its end have been read. */

#define W0 (T0 + 86400)
#define W1 (W0 + 600)
#define WAIT_WINDOW "--start", "1700086400", "--end", "1700087000"
#define RAMP_KWH (150000.0 / 3.6e6)

/* The ramp's samples i = first..last of node id, at W0 + 5 i. */
static void
insert_ramp(int nodeid, int first, int last)
{
	char *sql = xasprintf("INSERT INTO idrac.systeminputpower SELECT"
	    " to_timestamp(%lld + 5 * i), %d, 1, 1, 100 + 2.5 * i FROM generate_series(%d, %d) i",
	    (long long)W0, nodeid, first, last);

	ck_assert_int_eq(pgs_exec("zen4", sql), 0);
	free(sql);
}

/* Run the binary on nodes in the wait window, verbose, with the given
 * budget, writing summary.json only; its wall time in *secs. */
static struct run_result
wait_run(const char *dir, const char *cfgpath, const char *nodes, const char *budget,
    double *secs)
{
	const char *argv[] = { WAIT_WINDOW, "--nodelist", nodes, "--job-id", "90", "--outdir",
	    dir, "--config", cfgpath, "--formats", "json", "-v", "--wait-for-data", budget, NULL };
	struct timespec t0;
	struct run_result r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = tu_run(argv, NULL, NULL);
	*secs = time_elapsed(&t0);
	return r;
}

/* Lines of the wait's progress in what the binary said. */
static int
polls(const char *err)
{
	int n = 0;

	for (const char *p = err; (p = strstr(p, "waiting for telemetry:")) != NULL; p++)
		n++;
	return n;
}

/* Run as wait_run does, first without a wait, then with budget (*r, *secs:
 * that run); how many more statements the database ran for the second. */
static long long
wait_statements(const char *dir, const char *cfgpath, const char *nodes, const char *budget,
    struct run_result *r, double *secs)
{
	long long n0 = zen4_statements(), n1;

	*r = wait_run(dir, cfgpath, nodes, "0", secs);
	ck_assert_msg(r->status == 0, "exit %d: %s", r->status, r->err);
	ck_assert_int_eq(polls(r->err), 0);
	tu_run_free(r);
	n1 = zen4_statements();
	*r = wait_run(dir, cfgpath, nodes, budget, secs);
	ck_assert_msg(r->status == 0, "exit %d: %s", r->status, r->err);
	return (zen4_statements() - n1) - (n1 - n0);
}

/* The energy host has in the report in dir: the whole ramp's. */
static void
assert_ramp_energy(const char *dir, const char *host)
{
	cJSON *s = rf_summary(own(xasprintf("%s/power_90", dir)));

	ck_assert_double_eq_tol(rf_num(node_energy(s, host), "total"), RAMP_KWH, 1e-9);
	cJSON_Delete(s);
}

/* Telemetry already reaches the end: one look (one statement in the
 * database), no waiting.  A node absent from public.nodes (rpc-3) and one
 * without any sample (rpc-4) do not hold the run up. */
START_TEST(wait_not_needed)
{
	char *cfgpath, *dir = binary_setup(NULL, 30000, "PowerConsumption", &cfgpath);
	struct run_result r;
	double secs;

	insert_ramp(11, -1, 121);
	ck_assert_int_eq(wait_statements(dir, cfgpath, "rpc-[3-4],rpc-11", "30", &r, &secs), 1);
	ck_assert_int_eq(polls(r.err), 1);
	ck_assert_msg(secs < 2, "took %.1f s", secs);
	printf("wait_not_needed: %.3f s\n", secs);
	assert_ramp_energy(dir, "rpc-11");
	tu_run_free(&r);
	tu_rmrf(dir);
}
END_TEST

/* Sessions of zen4 inside a transaction but doing nothing. */
static int
idle_in_transaction(void)
{
	return (int)pgs_scalar("postgres", "SELECT count(*) FROM pg_stat_activity WHERE "
	    "datname = 'zen4' AND state LIKE 'idle in transaction%'");
}

/* The last minute of samples of node rpc-<id> arrives 2 s into a run
 * through conninfo (NULL: straight to the server): the report holds the
 * energy of the whole window, and while the run waits between looks no
 * transaction is left open (it would pin a pooled server connection). */
static void
wait_for_tail(const char *conninfo, int id)
{
	char *cfgpath, *dir = binary_setup(conninfo, 30000, "PowerConsumption", &cfgpath);
	char *host = own(xasprintf("rpc-%d", id));
	struct run_result r;
	pid_t late;
	double secs;
	int st;

	insert_ramp(id, -1, 108);
	late = fork();
	ck_assert_int_ge(late, 0);
	if (late == 0) {
		sleep(1);
		if (idle_in_transaction() != 0)
			_exit(3);
		sleep(1);
		insert_ramp(id, 109, 121);
		_exit(0);
	}
	r = wait_run(dir, cfgpath, host, "10", &secs);
	ck_assert_int_eq(waitpid(late, &st, 0), late);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) != 3, "a transaction open while waiting");
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the tail was not inserted");
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_msg(secs >= 2 && secs < 9, "took %.1f s", secs);
	ck_assert_int_ge(polls(r.err), 2);
	printf("wait for the tail of %s: %.3f s, %d looks\n", host, secs, polls(r.err));
	assert_ramp_energy(dir, host);
	tu_run_free(&r);
	tu_rmrf(dir);
}

START_TEST(wait_until_the_tail_arrives)
{
	wait_for_tail(NULL, 12);
}
END_TEST

/* Samples stop 40 s before the end and no more come: after the budget the
 * report is made anyway, warning about the node; one statement per look. */
START_TEST(wait_budget_runs_out)
{
	char *cfgpath, *dir = binary_setup(NULL, 30000, "PowerConsumption", &cfgpath);
	struct run_result r;
	double secs;
	cJSON *s;
	char *text;

	insert_ramp(13, -1, 112);
	ck_assert_int_eq(wait_statements(dir, cfgpath, "rpc-13", "2", &r, &secs), 2);
	ck_assert_msg(secs >= 2 && secs < 4, "took %.1f s", secs);
	ck_assert_int_eq(polls(r.err), 2);
	printf("wait_budget_runs_out: %.3f s\n", secs);
	s = rf_summary(own(xasprintf("%s/power_90", dir)));
	text = cJSON_PrintUnformatted(cJSON_GetObjectItem(s, "warnings"));
	ck_assert_msg(strstr(text, "rpc-13: telemetry ends 40 s before the job end; "
	    "waited 2 s") != NULL, "%s", text);
	free(text);
	cJSON_Delete(s);
	tu_run_free(&r);
	tu_rmrf(dir);
}
END_TEST

/* SIGTERM while waiting: exit 9 at once, nothing left in the output
 * directory, not even the hidden temporary. */
START_TEST(wait_sigterm)
{
	char *cfgpath, *dir = binary_setup(NULL, 30000, "PowerConsumption", &cfgpath);
	const char *argv[] = { tu_bin(), WAIT_WINDOW, "--nodelist", "rpc-14", "--job-id", "94",
	    "--outdir", dir, "--config", cfgpath, "-v", "--wait-for-data", "60", NULL };
	struct tu_child run;
	struct run_result r;
	struct timespec t0;
	double secs;
	int waiting;

	insert_ramp(14, -1, 112);
	ck_assert_int_eq(tu_launch(&run, argv, NULL, NULL), 0);
	/* the first look has been reported: the run is waiting */
	waiting = tu_child_says(&run, "waiting for telemetry:", 30);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (waiting)
		ck_assert_int_eq(kill(run.pid, SIGTERM), 0);
	r = tu_reap(&run, waiting ? 30 : 0);
	secs = time_elapsed(&t0);
	ck_assert_msg(waiting, "not waiting for telemetry: %s", r.err);
	ck_assert_msg(r.status == PR_EINTR, "status %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.err, "interrupted while waiting") != NULL, "%s", r.err);
	ck_assert_msg(secs < 1, "exit %.2f s after SIGTERM", secs);
	printf("wait_sigterm: exit %.3f s after SIGTERM\n", secs);
	ck_assert_int_eq(tu_count_entries(dir), 1);	/* only config.json */
	tu_run_free(&r);
	tu_rmrf(dir);
}
END_TEST

/* ---- a server that stalls (tests/stallrelay.c between the binary and
 * the test server): every wait ends on a signal and within its bound ---- */

/* Run the binary on rpc-1 through a relay in mode, with the database keys
 * of the config given in keys; SIGTERM it once the relay has stalled when
 * term, else let it run.  The run must end within limit seconds of the
 * stall (or of the SIGTERM) with status want, a message holding msg, and
 * nothing left in the output directory.  Returns those seconds. */
static double
stalled_run(enum relay_mode mode, const char *conninfo_extra, const char *keys, int term,
    double limit, int want, const char *msg)
{
	struct relay relay;
	char *conninfo, *cfgpath, *dir;
	struct tu_child run;
	struct run_result r;
	struct timespec t0;
	double secs;
	int stalled;

	wait_server();
	ck_assert_int_eq(relay_start(mode, &relay), 0);
	conninfo = own(xasprintf("host=127.0.0.1 port=%d user=reader password=R3ad-0nly "
	    "sslmode=disable gssencmode=disable %s", relay.port, conninfo_extra));
	dir = binary_setup_keys(conninfo, keys, "PowerConsumption", &cfgpath);
	const char *argv[] = { tu_bin(), BIN_WINDOW, "--nodelist", "rpc-1", "--job-id", "95",
	    "--outdir", dir, "--config", cfgpath, NULL };

	ck_assert_int_eq(tu_launch(&run, argv, NULL, NULL), 0);
	stalled = relay_wait(&relay, 20) == 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!stalled) {
		r = tu_reap(&run, 0);
		ck_abort_msg("the relay never stalled; the run (status %d) said: %s", r.status,
		    r.err);
	}
	if (term)
		ck_assert_int_eq(kill(run.pid, SIGTERM), 0);
	r = tu_reap(&run, 30);
	secs = time_elapsed(&t0);
	relay_stop(&relay);
	ck_assert_msg(r.status == want, "status %d after %.1f s: %s", r.status, secs, r.err);
	ck_assert_msg(secs < limit, "ended %.2f s after the %s", secs, term ? "SIGTERM" : "stall");
	ck_assert_msg(strstr(r.err, msg) != NULL, "%s", r.err);
	ck_assert_msg(strchr(r.err, '\n') == strrchr(r.err, '\n'), "more than one line: %s",
	    r.err);
	ck_assert_int_eq(tu_count_entries(dir), 1);	/* only config.json, no .power_* */
	tu_run_free(&r);
	tu_rmrf(dir);
	return secs;
}

/* A relay in mode stalls the run: SIGTERM ends it within a few seconds
 * with term_msg, and without a signal the idle-read limit ends it.  The
 * relay stalls every new connection too: the cancel request goes
 * unanswered. */
static void
stall_both_ways(enum relay_mode mode, const char *term_msg, const char *label)
{
	double secs = stalled_run(mode, "", "\"connect_timeout_s\": 5", 1, 3, PR_EINTR,
	    term_msg);

	printf("%s: exit %.3f s after SIGTERM\n", label, secs);
	secs = stalled_run(mode, "", "\"idle_read_timeout_s\": 2", 0, 5, PR_ESOURCE,
	    "database \"zen4\": the server sent nothing for 2 s");
	ck_assert_msg(secs >= 2, "gave up %.2f s after the stall", secs);
}

START_TEST(stall_mid_copy)
{
	stall_both_ways(RELAY_STALL_COPY, "interrupted while reading from database \"zen4\"",
	    "stall mid-COPY");
}
END_TEST

/* Inside a query (the first one a run sends, before any COPY: which of
 * MonSter's slurm tables the database has, for attribution). */
START_TEST(stall_mid_query)
{
	stall_both_ways(RELAY_STALL_QUERY, "interrupted while looking for the slurm tables "
	    "from database \"zen4\"", "stall mid-query");
}
END_TEST

/* A server that accepts the connection and never answers the startup:
 * connect_timeout=0 in the conninfo does not make the wait endless. */
START_TEST(mute_server_connect_bound)
{
	double secs = stalled_run(RELAY_MUTE, "connect_timeout=0", "\"connect_timeout_s\": 2",
	    0, 5, PR_ESOURCE, "no answer within 2 s");

	ck_assert_msg(secs >= 1.5, "gave up %.2f s after connecting", secs);
}
END_TEST

START_TEST(mute_server_sigterm)
{
	double secs = stalled_run(RELAY_MUTE, "connect_timeout=0", "\"connect_timeout_s\": 60",
	    1, 1, PR_EINTR, "interrupted while connecting to database \"zen4\"");

	printf("mute_server_sigterm: exit %.3f s after SIGTERM\n", secs);
}
END_TEST

/* ---- through PgBouncer in transaction pooling (pgs_start_bouncer): two
 * server connections handed out in turn, so consecutive transactions of a
 * run land on different ones, and runs at the same time share them ---- */

static char *
bouncer_conninfo(void)
{
	return own(xasprintf("host=%s port=%d user=postgres", pgs_dir(), pgs_bouncer_port()));
}

#define POOL_RUNS 3

/* At once, POOL_RUNS times each: the fixtures' window on six nodes, the
 * ramp of rpc-15 in a window a day later on one, and job 4343 by id.  A
 * statement landing on another run's server connection would read that
 * run's nodes or window: every report must hold its exact energies. */
START_TEST(pool_runs_at_once)
{
	char *cfgpath, *dir = binary_setup(bouncer_conninfo(), 30000, "PowerConsumption",
	    &cfgpath);
	struct tu_child run[3 * POOL_RUNS];
	struct run_result r;
	char sub[3 * POOL_RUNS][256];
	cJSON *s;

	insert_ramp(15, -1, 121);
	for (int i = 0; i < 3 * POOL_RUNS; i++) {
		snprintf(sub[i], sizeof sub[i], "%s/%d", dir, i);
		mkdir(sub[i], 0755);
		const char *fixture[] = { BIN_WINDOW, "--nodelist", "rpc-[1-4],rpg-[1-2]",
		    "--job-id", "77", "--outdir", sub[i], "--config", cfgpath, "-q", NULL };
		const char *ramp[] = { WAIT_WINDOW, "--nodelist", "rpc-15", "--job-id", "90",
		    "--outdir", sub[i], "--config", cfgpath, "-q", NULL };
		const char *byid[] = { "4343", "--outdir", sub[i], "--config", cfgpath, "-q", NULL };
		const char *const *argv[3] = { fixture, ramp, byid };

		ck_assert_int_eq(tu_launch_bin(&run[i], argv[i % 3], NULL, NULL), 0);
	}
	for (int i = 0; i < 3 * POOL_RUNS; i++) {
		r = tu_reap(&run[i], 60);
		ck_assert_msg(r.status == 0, "run %d: status %d: %s", i, r.status, r.err);
		tu_run_free(&r);
	}
	for (int i = 0; i < 3 * POOL_RUNS; i += 3) {
		s = rf_summary(own(xasprintf("%s/power_77", sub[i])));
		assert_fixture_energies(s);
		cJSON_Delete(s);
		assert_ramp_energy(sub[i + 1], "rpc-15");
		s = rf_summary(own(xasprintf("%s/power_4343", sub[i + 2])));
		ck_assert_double_eq_tol(rf_num(node_energy(s, "rpg-1"), "gpu"), 0.26, 1e-9);
		cJSON_Delete(s);
	}
	tu_rmrf(dir);
}
END_TEST

START_TEST(pool_wait_for_data)
{
	wait_for_tail(bouncer_conninfo(), 16);
}
END_TEST

static int
load_fixtures(void)
{
	const char *const zen4[] = { "indexes.sql", "zen4.sql", NULL };
	const char *const h100[] = { "indexes.sql", "h100.sql", NULL };
	const char *grants = "GRANT USAGE ON SCHEMA idrac, slurm TO reader;"
	    "GRANT SELECT ON ALL TABLES IN SCHEMA public, idrac, slurm TO reader;";

	return pgs_create_monster("zen4", zen4) || pgs_create_monster("h100", h100) ||
	    pgs_exec("postgres", "CREATE ROLE reader LOGIN PASSWORD 'R3ad-0nly'") ||
	    pgs_exec("zen4", grants) || pgs_exec("h100", grants) ||
	    pgs_exec("zen4", "INSERT INTO public.nodes (nodeid, hostname) VALUES"
	    " (11, 'rpc-11'), (12, 'rpc-12'), (13, 'rpc-13'), (14, 'rpc-14'),"
	    " (15, 'rpc-15'), (16, 'rpc-16')");
}

int
main(void)
{
	Suite *s = suite_create("pg");
	TCase *tc = tcase_create("source");
	TCase *faults = tcase_create("faults");
	TCase *bin = tcase_create("binary");
	TCase *wait = tcase_create("wait");
	TCase *pool = tcase_create("pool");
	TCase *stall = tcase_create("stall");

	if (pgs_start() != 0 || load_fixtures() != 0 || pgs_start_bouncer(2) != 0) {
		fprintf(stderr, "test_pg: cannot start the test PostgreSQL\n");
		return EXIT_FAILURE;
	}
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_checked_fixture(faults, NULL, teardown);
	tcase_add_checked_fixture(bin, NULL, teardown);
	tcase_add_checked_fixture(wait, NULL, teardown);
	tcase_add_checked_fixture(pool, NULL, teardown);
	tcase_add_checked_fixture(stall, NULL, teardown);
	tcase_set_timeout(tc, 60);
	tcase_set_timeout(faults, 60);
	tcase_add_test(tc, energies_from_two_databases);
	tcase_add_test(tc, sink_stop_and_interrupt);
	tcase_add_test(tc, round_trips_do_not_grow_with_nodes);
	tcase_add_test(tc, pgpass_and_service_file);
	tcase_add_test(tc, job_lookup);
	tcase_add_test(tc, job_lookup_sacct_fallback);
	tcase_add_test(faults, refused);
	tcase_add_test(faults, wrong_password);
	tcase_add_test(faults, keepalives_and_nonblocking);
	tcase_add_test(faults, query_timeout);
	tcase_add_test(faults, bad_identifier);
	tcase_add_test(faults, server_killed_mid_stream);
	tcase_set_timeout(bin, 120);
	tcase_add_test(bin, binary_db_run_and_csv_rerun_agree);
	tcase_add_test(bin, binary_job_id_lookup);
	tcase_add_test(bin, binary_faults);
	tcase_add_test(bin, binary_no_data);
	tcase_add_test(bin, binary_server_killed_mid_stream);
	tcase_set_timeout(wait, 60);
	tcase_add_test(wait, wait_not_needed);
	tcase_add_test(wait, wait_until_the_tail_arrives);
	tcase_add_test(wait, wait_budget_runs_out);
	tcase_add_test(wait, wait_sigterm);
	tcase_set_timeout(stall, 60);
	tcase_add_test(stall, stall_mid_copy);
	tcase_add_test(stall, stall_mid_query);
	tcase_add_test(stall, mute_server_connect_bound);
	tcase_add_test(stall, mute_server_sigterm);
	tcase_set_timeout(pool, 60);
	tcase_add_test(pool, pool_runs_at_once);
	tcase_add_test(pool, pool_wait_for_data);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, wait);
	suite_add_tcase(s, stall);	/* before the tests that kill a server process */
	suite_add_tcase(s, pool);
	suite_add_tcase(s, bin);
	suite_add_tcase(s, faults);
	return tu_main(s);
}
