/*
 * test_prom.c - metrics.prom and its publication (issue 15 part 4): the file
 * passes `promtool check metrics` and agrees with energy.csv, label values
 * are escaped, a bad prefix is refused, and against a real Pushgateway
 * (the Debian prometheus-pushgateway, started here on a free loopback port
 * with its own storage and basic auth, stopped by its process id) a run
 * pushes, the values come back from its /metrics, the group is deleted,
 * scripts/pushgateway-expire removes old groups; refused credentials and a
 * dead gateway are warnings, and a hung gateway is left at once on SIGTERM
 * (exit 9), the report kept in every case; the textfile mode writes one
 * whole file.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "error.h"
#include "pushgateway.h"
#include "reportfix.h"
#include "strbuf.h"

#define JOB "4242"
/* The gateway lets in only this user (its web config holds the bcrypt
 * hash of the password, made once with crypt(3) at cost 4). */
#define USER_PASS "powerreport:pushpass"
#define WEB_CONFIG "basic_auth_users:\n  powerreport: " \
	"$2b$04$6L0w0ywS3pwDIRd6DBaW8em5mBpvltGSieyYVEL54mru.YlRXBwum\n"

static struct tu_child gateway;	/* pid 0: not running */
static pid_t owner;
static int gateway_port;
static char *gateway_dir, *auth_file;

/* ---- the Pushgateway ---- */

static int
free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return -1;
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static size_t
collect(char *data, size_t size, size_t n, void *ctx)
{
	strbuf_add(ctx, data, size * n);
	return size * n;
}

/* GET url into *body (malloc'd); the HTTP status, or -1. */
static long
http_get(const char *url, char **body)
{
	struct strbuf b = { 0 };
	CURL *c = curl_easy_init();
	long code = -1;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_USERPWD, USER_PASS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	strbuf_puts(&b, "");
	*body = b.s;
	return code;
}

static void
gateway_stop(void)
{
	struct run_result r;

	if (gateway.pid <= 0 || getpid() != owner)
		return;
	kill(gateway.pid, SIGTERM);
	r = tu_reap(&gateway, -1);
	tu_run_free(&r);
	gateway.pid = 0;
	tu_rmrf(gateway_dir);
}

static char *
gateway_url(const char *path)
{
	char *u;

	if (asprintf(&u, "http://127.0.0.1:%d%s", gateway_port, path) < 0)
		abort();
	return u;
}

/* Start prometheus-pushgateway and wait until it answers /-/ready. */
static int
gateway_start(void)
{
	char listen[64], store[4096], web[4096], tmpl[] = "/tmp/prtest.XXXXXX";
	char *url, *body, *path;
	FILE *fp;

	if (mkdtemp(tmpl) == NULL)	/* not tu_tmpdir: no test is running yet */
		return -1;
	gateway_dir = strdup(tmpl);
	if (asprintf(&auth_file, "%s/auth", gateway_dir) < 0 ||
	    asprintf(&path, "%s/web.yml", gateway_dir) < 0 ||
	    (fp = fopen(path, "w")) == NULL || fputs(WEB_CONFIG, fp) < 0 || fclose(fp) != 0 ||
	    (fp = fopen(auth_file, "w")) == NULL || fputs(USER_PASS "\n", fp) < 0 ||
	    fclose(fp) != 0)
		return -1;
	snprintf(web, sizeof web, "--web.config.file=%s", path);
	free(path);
	gateway_port = free_port();
	snprintf(listen, sizeof listen, "--web.listen-address=127.0.0.1:%d", gateway_port);
	snprintf(store, sizeof store, "--persistence.file=%s/data", gateway_dir);
	owner = getpid();
	if (tu_launch(&gateway, (const char *const[]){ "prometheus-pushgateway", listen, store,
	    web, "--log.level=warn", NULL }, NULL, NULL) != 0)
		return -1;
	atexit(gateway_stop);
	url = gateway_url("/-/ready");
	for (int i = 0; i < 100; i++) {
		long code = http_get(url, &body);
		free(body);
		if (code == 200) {
			free(url);
			return 0;
		}
		if (!tu_running(&gateway))
			break;
		usleep(100000);
	}
	free(url);
	fprintf(stderr, "test_prom: prometheus-pushgateway did not start (see "
	    "scripts/install-deps)\n");
	return -1;
}

/* ---- runs of the sample job ---- */


/* A configuration in tu_scratch with the given "prometheus" members; its path. */
static char *
config_with(const char *prom_members)
{
	char *path, *text;

	if (asprintf(&path, "%s/config.json", tu_scratch) < 0 ||
	    asprintf(&text, "{ \"prometheus\": { %s } }\n", prom_members) < 0)
		abort();
	tu_write(path, text);
	free(text);
	return path;
}

/* A configuration pushing to the gateway at port with the credentials in
 * the file auth, plus the members extra ("" or ", \"key\": value"). */
static char *
push_config(int port, const char *auth, const char *extra)
{
	char *members, *path;

	ck_assert(asprintf(&members, "\"pushgateway_url\": \"http://127.0.0.1:%d/\", "
	    "\"auth_file\": \"%s\"%s", port, auth, extra) > 0);
	path = config_with(members);
	free(members);
	return path;
}

/* powerreport on samples/raw_power.csv as job 4242 into tu_scratch. */
static struct run_result
run_sample(const char *config, const char *user, const char *formats)
{
	char *csv = tu_top("samples/raw_power.csv");
	const char *argv[] = { "--from-csv", csv, "--job-id", JOB, "--user", user,
	    "--start", "2026-11-20T14:00:00-06:00", "--end", "2026-11-20T17:05:00-06:00",
	    "--outdir", tu_scratch, "--formats", formats,
	    config != NULL ? "--config" : NULL, config, NULL };
	struct run_result r = tu_run(argv, NULL, NULL);

	free(csv);
	return r;
}

static char *
report_file(const char *name)
{
	char *p, *s;

	if (asprintf(&p, "%s/power_" JOB "/%s", tu_scratch, name) < 0)
		abort();
	s = tu_read(p, NULL);
	free(p);
	return s;
}

/* The job's total in energy.csv, in joules. */
static double
csv_total_j(void)
{
	char *csv = report_file("energy.csv"), *p;
	double kwh;

	ck_assert_ptr_nonnull(csv);
	p = strstr(csv, "\njob,,total,,");
	ck_assert_ptr_nonnull(p);
	kwh = strtod(p + strlen("\njob,,total,,"), NULL);
	free(csv);
	return kwh * 3.6e6;
}

/* The value of the first sample in text whose line starts with name{ and
 * holds every label of want ("a=\"b\"" ...); NAN when none. */
static double
sample_value(const char *text, const char *name, const char *const *want)
{
	size_t n = strlen(name);

	for (const char *l = text; l != NULL && *l != '\0'; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		const char *end = strchr(l, '\n'), *close;
		int all = 1;
		if (strncmp(l, name, n) != 0 || l[n] != '{' || (close = strstr(l, "} ")) == NULL)
			continue;
		for (size_t i = 0; want[i] != NULL && all; i++) {
			const char *hit = strstr(l, want[i]);
			all = hit != NULL && hit < close && (end == NULL || hit < end);
		}
		if (all)
			return strtod(close + 2, NULL);
	}
	return NAN;
}

static void
assert_close(double got, double want)
{
	ck_assert_msg(fabs(got - want) <= 1e-9 * fabs(want), "got %.17g, want %.17g",
	    got, want);
}

/* promtool check metrics on path: its exit status, its output in *out. */
static int
promtool(const char *path, char **out)
{
	char *cmd;
	struct run_result r;

	if (asprintf(&cmd, "promtool check metrics < '%s' 2>&1", path) < 0)
		abort();
	const char *argv[] = { "sh", "-c", cmd, NULL };
	r = tu_run_cmd(argv, NULL, NULL);
	free(cmd);
	*out = r.out;
	free(r.err);
	return r.status;
}

START_TEST(metrics_prom_passes_promtool_and_matches_energy_csv)
{
	struct run_result r = run_sample(NULL, "alice", "csv,prom");
	const char *total[] = { "job_id=\"4242\"", "user=\"alice\"", "component=\"total\"", NULL };
	const char *gpu[] = { "node=\"rpg-93-1\"", "device=\"Video.Slot.38-1\"", NULL };
	const char *user[] = { "user=\"alice\"", NULL };
	char *path, *text, *lint;

	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert(asprintf(&path, "%s/power_" JOB "/metrics.prom", tu_scratch) > 0);
	ck_assert_int_eq(promtool(path, &lint), 0);
	ck_assert_msg(lint[0] == '\0', "promtool: %s", lint);
	text = tu_read(path, NULL);
	assert_close(sample_value(text, "powerreport_job_energy_joules", total), csv_total_j());
	ck_assert(sample_value(text, "powerreport_gpu_energy_joules", gpu) > 0);
	ck_assert_double_eq(sample_value(text, "powerreport_job_duration_seconds",
	    user), 11100);
	ck_assert_ptr_nonnull(strstr(text, "\n# EOF\n"));
	free(text);
	free(lint);
	free(path);
	tu_run_free(&r);
}
END_TEST

/* The job's idle energy and, with sacct answering, its CPU efficiency are
 * exported as summary.json has them; unknown ones are absent, never 0. */
START_TEST(idle_energy_and_cpu_efficiency_exported)
{
	char *bin, *sacct, *path, *env, *csv = tu_top("samples/raw_power.csv"), *text, *lint;
	const char *argv[] = { "--from-csv", csv, "--job-id", JOB, "--start",
	    "2026-11-20T14:00:00-06:00", "--end", "2026-11-20T17:05:00-06:00",
	    "--outdir", tu_scratch, "--formats", "json,prom", NULL };
	const char *envv[2] = { NULL, NULL };
	const char *job[] = { "job_id=\"4242\"", NULL };
	struct run_result r;
	cJSON *root;

	ck_assert(asprintf(&bin, "%s/bin", tu_scratch) > 0 && mkdir(bin, 0755) == 0);
	ck_assert(asprintf(&sacct, "%s/sacct", bin) > 0);
	tu_write(sacct, "#!/bin/sh\necho '4242|01:00:00|11100|32'\n");
	ck_assert_int_eq(chmod(sacct, 0755), 0);
	ck_assert(asprintf(&env, "PATH=%s:%s", bin, getenv("PATH")) > 0);
	envv[0] = env;
	r = tu_run(argv, envv, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert(asprintf(&path, "%s/power_" JOB "/summary.json", tu_scratch) > 0);
	root = rf_json(path);
	text = report_file("metrics.prom");
	free(path);
	ck_assert(asprintf(&path, "%s/power_" JOB "/metrics.prom", tu_scratch) > 0);
	ck_assert_int_eq(promtool(path, &lint), 0);
	ck_assert_msg(lint[0] == '\0', "promtool: %s", lint);
	free(lint);
	assert_close(sample_value(text, "powerreport_job_idle_energy_joules", job),
	    rf_num(cJSON_GetObjectItemCaseSensitive(root, "idle"), "energy_kwh") * 3.6e6);
	assert_close(sample_value(text, "powerreport_job_cpu_efficiency_ratio", job),
	    3600.0 / (11100.0 * 32));
	free(text);
	tu_run_free(&r);
	tu_write(sacct, "#!/bin/sh\nexit 1\n");	/* fails: efficiency unknown */
	r = tu_run(argv, envv, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	text = report_file("metrics.prom");
	ck_assert_ptr_null(strstr(text, "cpu_efficiency"));
	free(text);
	tu_run_free(&r);
	cJSON_Delete(root);
	free(bin), free(sacct), free(path), free(env), free(csv);
}
END_TEST

START_TEST(label_values_are_escaped_and_utf8)
{
	struct run_result r = run_sample(NULL, "a\"b\\c\nd\xff", "prom");
	char *path, *text, *lint;

	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert(asprintf(&path, "%s/power_" JOB "/metrics.prom", tu_scratch) > 0);
	text = tu_read(path, NULL);
	ck_assert_ptr_nonnull(strstr(text, "user=\"a\\\"b\\\\c\\nd\xef\xbf\xbd\""));
	ck_assert_int_eq(promtool(path, &lint), 0);
	free(lint);
	free(text);
	free(path);
	tu_run_free(&r);
}
END_TEST

START_TEST(a_bad_prefix_is_refused)
{
	char *cfg = config_with("\"prefix\": \"9power\"");
	struct run_result r = run_sample(cfg, "alice", "prom");

	ck_assert_int_eq(r.status, PR_ECONFIG);
	ck_assert_ptr_nonnull(strstr(r.err, "prometheus.prefix"));
	ck_assert_int_eq(tu_count_entries(tu_scratch), 1);	/* the config only */
	free(cfg);
	tu_run_free(&r);
}
END_TEST

START_TEST(push_scrape_and_delete)
{
	char *cfg = push_config(gateway_port, auth_file, ""), *url = gateway_url("/metrics"), *body;
	const char *total[] = { "job=\"powerreport\"", "job_id=\"4242\"",
	    "component=\"total\"", NULL };
	struct prom_config pc;
	struct run_result r;

	r = run_sample(cfg, "alice", "csv,prom");
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_null(strstr(r.err, "warning"));
	ck_assert_int_eq(http_get(url, &body), 200);
	assert_close(sample_value(body, "powerreport_job_energy_joules", total),
	    csv_total_j());
	free(body);

	prom_config_defaults(&pc);
	pc.pushgateway_url = gateway_url("");
	ck_assert_int_eq(pushgateway_send(&pc, JOB, NULL), PR_ESOURCE);	/* no auth */
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "HTTP status 401"));
	pc.auth_file = strdup(auth_file);
	ck_assert_int_eq(pushgateway_send(&pc, JOB, NULL), PR_OK);
	ck_assert_int_eq(http_get(url, &body), 200);
	ck_assert_ptr_null(strstr(body, "job_id=\"4242\""));
	free(body);
	prom_config_free(&pc);
	free(url);
	free(cfg);
	tu_run_free(&r);
}
END_TEST

/* scripts/pushgateway-expire URL AGE deletes the groups pushed at least
 * AGE seconds ago, and only those. */
static void
expire(const char *age)
{
	char *script = tu_top("scripts/pushgateway-expire"), *url = gateway_url("");
	const char *argv[] = { "sh", script, url, age, NULL };
	const char *env[] = { "CURL_OPTS=-u " USER_PASS, NULL };
	struct run_result r = tu_run_cmd(argv, env, NULL);

	ck_assert_msg(r.status == 0, "%s", r.err);
	tu_run_free(&r);
	free(url);
	free(script);
}

START_TEST(old_groups_expire)
{
	char *cfg = push_config(gateway_port, auth_file, ""), *url = gateway_url("/metrics"), *body;
	struct run_result r = run_sample(cfg, "alice", "prom");

	ck_assert_msg(r.status == 0, "%s", r.err);
	expire("3600");
	ck_assert_int_eq(http_get(url, &body), 200);
	ck_assert_ptr_nonnull(strstr(body, "job_id=\"4242\""));	/* young: kept */
	free(body);
	expire("0");
	ck_assert_int_eq(http_get(url, &body), 200);
	ck_assert_ptr_null(strstr(body, "job_id=\"4242\""));
	free(body);
	free(url);
	free(cfg);
	tu_run_free(&r);
}
END_TEST

/* Wrong credentials: the gateway refuses, the report stays, a warning
 * says what to check. */
START_TEST(refused_credentials_are_a_warning)
{
	char *bad, *cfg, *prom;
	struct run_result r;

	ck_assert(asprintf(&bad, "%s/bad-auth", tu_scratch) > 0);
	tu_write(bad, "powerreport:wrong\n");
	cfg = push_config(gateway_port, bad, "");
	r = run_sample(cfg, "alice", "prom");
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "HTTP status 401 (check prometheus.auth_file)"));
	ck_assert_ptr_null(strstr(r.err, "wrong"));	/* never the password */
	prom = report_file("metrics.prom");
	ck_assert_ptr_nonnull(prom);
	free(prom);
	free(cfg);
	free(bad);
	tu_run_free(&r);
}
END_TEST

START_TEST(a_dead_gateway_is_a_warning)
{
	char *cfg = push_config(free_port(), auth_file, ", \"push_timeout_s\": 5"), *html;
	struct run_result r;

	r = run_sample(cfg, "alice", "html,prom");
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "warning: Pushgateway push failed"));
	html = report_file("report.html");
	ck_assert_ptr_nonnull(html);
	free(html);
	free(cfg);
	tu_run_free(&r);
}
END_TEST

/* A gateway that takes the connection and never answers holds the push
 * until its timeout; SIGTERM ends it within about a second, exit 9, and
 * the report written before the push stays. */
START_TEST(sigterm_leaves_a_hung_push_quickly)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	char *cfg, *csv = tu_top("samples/raw_power.csv"), *prom;
	struct timespec t0, t1;
	struct tu_child run;
	struct run_result r;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(lfd, 4), 0);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
	cfg = push_config(ntohs(a.sin_port), auth_file, ", \"push_timeout_s\": 60");
	ck_assert_int_eq(tu_launch(&run, (const char *const[]){ tu_bin(), "--from-csv", csv,
	    "--job-id", JOB, "--start", "2026-11-20T14:00:00-06:00", "--end",
	    "2026-11-20T17:05:00-06:00", "--outdir", tu_scratch, "--formats", "prom",
	    "--config", cfg, NULL }, NULL, NULL), 0);
	for (int i = 0; i < 300 && (prom = report_file("metrics.prom")) == NULL; i++)
		usleep(50000);
	ck_assert_ptr_nonnull(prom);	/* committed: the push has begun */
	usleep(300000);
	ck_assert(tu_running(&run));	/* held by the push */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kill(run.pid, SIGTERM);
	r = tu_reap(&run, 30);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(r.status, PR_EINTR);
	tu_run_free(&r);
	ck_assert((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9 < 3.0);
	free(prom);
	prom = report_file("metrics.prom");
	ck_assert_ptr_nonnull(prom);
	free(prom);
	close(lfd);
	free(csv);
	free(cfg);
}
END_TEST

START_TEST(textfile_mode_writes_one_whole_file)
{
	char *tdir, *members, *cfg, *path, *text, *prom;
	struct run_result r;

	ck_assert(asprintf(&tdir, "%s/textfile", tu_scratch) > 0);
	ck_assert_int_eq(mkdir(tdir, 0755), 0);
	ck_assert(asprintf(&members, "\"textfile_dir\": \"%s\"", tdir) > 0);
	cfg = config_with(members);
	r = run_sample(cfg, "alice", "prom");
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_int_eq(tu_count_entries(tdir), 1);	/* no temporary left */
	ck_assert(asprintf(&path, "%s/powerreport_job_" JOB ".prom", tdir) > 0);
	text = tu_read(path, NULL);
	prom = report_file("metrics.prom");
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, prom);
	free(prom);
	free(text);
	free(path);
	free(cfg);
	free(members);
	free(tdir);
	tu_run_free(&r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("prom");
	TCase *tc = tcase_create("prom");

	if (gateway_start() != 0)
		return 1;
	tcase_add_checked_fixture(tc, tu_scratch_setup, tu_scratch_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, metrics_prom_passes_promtool_and_matches_energy_csv);
	tcase_add_test(tc, idle_energy_and_cpu_efficiency_exported);
	tcase_add_test(tc, label_values_are_escaped_and_utf8);
	tcase_add_test(tc, a_bad_prefix_is_refused);
	tcase_add_test(tc, push_scrape_and_delete);
	tcase_add_test(tc, old_groups_expire);
	tcase_add_test(tc, refused_credentials_are_a_warning);
	tcase_add_test(tc, a_dead_gateway_is_a_warning);
	tcase_add_test(tc, sigterm_leaves_a_hung_push_quickly);
	tcase_add_test(tc, textfile_mode_writes_one_whole_file);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
