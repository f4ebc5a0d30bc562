/*
 * test_slurm_e2e.c - powerreport the way a site runs it: a one-node Slurm
 * cluster (tests/slurm-lab.sh: munged, slurmctld, slurmd on loopback) whose
 * EpilogSlurmctld is the epilog installed by `make install`, the test
 * PostgreSQL holding telemetry for node rpc-91-1 around now, a user of its
 * own submitting jobs, a second account playing an unprivileged SlurmUser,
 * and a group (RUN_GROUP) that alone may read the configuration.  It checks
 * what users and admins see: the report beside the job's output, owned by
 * the user, with the energy the telemetry implies (plain, array and
 * cancelled jobs); nothing for a job that did not ask; the sudo and fallback
 * ways; regeneration by the user and by an admin (the same job description
 * as the epilog's, and the credentials ways of doc/slurm.md run from its own
 * blocks); a normally completed job and a log line saying why when the
 * database is down; an epilog that returns at once and whose worker
 * survives slurmctld's kill of its process group.  Needs root (it creates users and runs the daemons); skipped, with
 * a message, otherwise.
 */
#include "testutil.h"

#include "pgserver.h"
#include "reportfix.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <grp.h>
#include <math.h>
#include <stdbool.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NODE "rpc-91-1"
/* Telemetry of the node: constant powers (W), so energies are exact. */
#define P_IN 400.0
#define P_OUT 380.0
#define P_CPU 150.0
#define P_MEM 40.0
#define P_STORAGE 10.0
#define P_FAN 30.0
/* The read-only role's password: TCP connections to the test server need
 * one (scram-sha-256), so the credentials setup of doc/slurm.md is real. */
#define PASSWORD "e2e-Secret-7"

static pid_t owner;		/* the process that built the lab */
static char *lab;		/* the lab directory, NULL when none */
static char *prefix;		/* install prefix inside the lab */
static char *home;		/* the test user's home */
static char user[32];		/* submits the jobs */
static uid_t user_uid;
static gid_t user_gid;
static char slurm_account[32];	/* plays an unprivileged SlurmUser */
static uid_t slurm_uid;
static char sudoers[64];	/* the sudoers rule while a test needs it */
static char group[32];		/* RUN_GROUP: may read the config, the user may not */
static gid_t group_gid;
static char *setup_error;	/* why the lab could not be built */

static char *
fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

/* Run argv in cwd (NULL: here), its stdout and then its stderr into *out
 * when out is not NULL; returns the exit status (128 + signal when killed),
 * -1 when it could not be started. */
static int
run_cmd(char **out, const char *cwd, const char *const *argv)
{
	struct tu_child c;
	struct run_result r;

	if (tu_launch(&c, argv, NULL, cwd) != 0)
		return -1;
	r = tu_reap(&c, -1);
	if (out != NULL)
		*out = fmt("%s%s", r.out, r.err);
	tu_run_free(&r);
	return r.status;
}

/* slurm-lab.sh CMD LAB [ARG [ARG2]] */
static int
lab_cmd2(char **out, const char *cmd, const char *arg, const char *arg2)
{
	char *script = tu_top("tests/slurm-lab.sh");
	int rc = run_cmd(out, NULL, (const char *const[]){ "sh", script, cmd, lab, arg, arg2,
	    NULL });

	free(script);
	return rc;
}

static int
lab_cmd(char **out, const char *cmd, const char *arg)
{
	return lab_cmd2(out, cmd, arg, NULL);
}

static double
now_s(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

/* --- building and removing the lab --- */

static void
teardown(void)
{
	char *path, *log;

	if (lab == NULL || getpid() != owner)
		return;
	/* What the epilog said, for whoever reads the test output. */
	path = fmt("%s/log/epilog.log", lab);
	log = tu_read(path, NULL);
	if (log != NULL && log[0] != '\0')
		fprintf(stderr, "test_slurm_e2e: the epilog log:\n%s", log);
	free(log);
	free(path);
	if (sudoers[0] != '\0')
		unlink(sudoers);
	lab_cmd(NULL, "stop", NULL);
	lab_cmd(NULL, "deluser", NULL);
	tu_rmrf(lab);
	free(lab);
	lab = NULL;
	pgs_stop();
}

static void
on_signal(int sig)
{
	teardown();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Why this machine cannot run the lab, or NULL. */
static const char *
unusable(void)
{
	static const char *const need[] = {
		"/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch",
		"/usr/bin/squeue", "/usr/sbin/munged", "/usr/sbin/mungekey",
		"/usr/sbin/runuser", "/usr/sbin/useradd",
		"/usr/lib/postgresql/15/bin/initdb", NULL
	};

	if (geteuid() != 0)
		return "needs root: it creates a test user and runs munged, slurmctld "
		    "and slurmd (CI runs as root)";
	for (int i = 0; need[i] != NULL; i++)
		if (access(need[i], X_OK) != 0)
			return fmt("%s is missing: run scripts/install-deps", need[i]);
	return NULL;
}

/* Telemetry for NODE every 2 s from 10 minutes ago to 20 minutes ahead, and
 * a read-only role for the generator. */
static int
load_telemetry(void)
{
	static const struct { const char *table; double w; } m[] = {
		{ "systeminputpower", P_IN }, { "systemoutputpower", P_OUT },
		{ "totalcpupower", P_CPU }, { "totalmemorypower", P_MEM },
		{ "totalstoragepower", P_STORAGE }, { "totalfanpower", P_FAN },
	};
	long t0 = (long)time(NULL) - 600;
	char *sql;
	int rc;

	if (pgs_create_monster("zen4", NULL) != 0)
		return -1;
	rc = pgs_exec("zen4",
	    "INSERT INTO public.nodes (nodeid, hostname) VALUES (7, '" NODE "');"
	    "INSERT INTO public.source (id, source) VALUES (1, 'iDRAC.Embedded.1');"
	    "INSERT INTO public.fqdd (id, fqdd) VALUES (1, 'System.Embedded.1');"
	    "INSERT INTO public.metrics_definition (metric_id, units) VALUES"
	    " ('SystemInputPower', 'W'), ('SystemOutputPower', 'W'),"
	    " ('TotalCPUPower', 'W'), ('TotalMemoryPower', 'W'),"
	    " ('TotalStoragePower', 'W'), ('TotalFanPower', 'W');"
	    "DO $$ BEGIN CREATE ROLE reader LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
	    "ALTER ROLE reader PASSWORD '" PASSWORD "';"
	    "GRANT USAGE ON SCHEMA idrac, slurm TO reader;"
	    "GRANT SELECT ON ALL TABLES IN SCHEMA public, idrac, slurm TO reader;");
	for (size_t i = 0; rc == 0 && i < sizeof m / sizeof m[0]; i++) {
		sql = fmt("INSERT INTO idrac.%s SELECT to_timestamp(%ld + 2 * i), 7, 1, 1, %g"
		    " FROM generate_series(0, 900) i", m[i].table, t0, m[i].w);
		rc = pgs_exec("zen4", sql);
		free(sql);
	}
	return rc;
}

/* Write text into path, mode 0644 (setup runs outside any test, so no
 * ck_assert here). */
static int
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0) {
		setup_error = fmt("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return chmod(path, 0644);
}

/* The generator's config with the given password in its conninfo, put in
 * place the way doc/slurm.md ("A password users cannot read") says:
 * install -o root -g RUN_GROUP -m 0640 config.json DEST. */
static int
install_config(const char *password)
{
	char *src = fmt("%s/config.json.new", lab), *dest = fmt("%s/config.json", lab);
	char *cfg = fmt("{ \"database\": { \"conninfo\": \"host=127.0.0.1 port=%d user=reader"
	    " password=%s\", \"connect_timeout_s\": 3 } }\n", pgs_port(), password);
	char *out = NULL;
	int rc = write_file(src, cfg);

	if (rc == 0 && run_cmd(&out, NULL, (const char *const[]){ "install", "-o", "root", "-g",
	    group, "-m", "0640", src, dest, NULL }) != 0) {
		setup_error = fmt("install %s failed: %s", dest, out);
		rc = -1;
	}
	unlink(src);
	free(out);
	free(src);
	free(dest);
	free(cfg);
	return rc;
}

/* The settings file of the installed epilog and the generator's config. */
static int
write_settings(void)
{
	char *path = fmt("%s/etc/powerreport/epilog.conf", prefix);
	char *text = fmt("# written by test_slurm_e2e\n"
	    "LOG_FILE=%s/log/epilog.log\n"
	    "POWERREPORT_CONFIG=%s/config.json\n"
	    "SLURM_CONF=%s/etc/slurm.conf\n"
	    "FALLBACK_DIR=%s/fallback\n"
	    "RUN_GROUP=%s\n"
	    "SETTLE_DELAY=0\nRETRY_INTERVAL=1\nWAIT_LIMIT=4\nTIMEOUT=60\n",
	    lab, lab, lab, lab, group);
	int rc = write_file(path, text) || install_config(PASSWORD) ? -1 : 0;

	free(path);
	free(text);
	return rc;
}

/* Does the installed file rel (under prefix) hold want (about prefix)? */
static int
installed_names(const char *rel, const char *want)
{
	char *path = fmt("%s/%s", prefix, rel), *text = tu_read(path, NULL);
	char *w = fmt(want, prefix);
	int rc = 0;

	if (text == NULL || strstr(text, w) == NULL) {
		setup_error = fmt("%s does not say \"%s\": the install rule did not fill in "
		    "@sysconfdir@", path, w);
		rc = -1;
	}
	free(text);
	free(w);
	free(path);
	return rc;
}

/* The installed epilog must read its settings from the lab, or it would
 * log into the system's /var/log (and no test could pass); the installed
 * config names the place it was installed to. */
static int
check_installed_paths(void)
{
	return installed_names("libexec/powerreport/epilog",
	    "\nSETTINGS=%s/etc/powerreport/epilog.conf\n") ||
	    installed_names("etc/powerreport/config.json",
	    "(installed as %s/etc/powerreport/config.json)") ? -1 : 0;
}

/* Install into the lab.  bindir sits inside the data directory so that the
 * relocated binary finds its templates and assets next to itself. */
static int
install(void)
{
	char *top = tu_top(".");
	char *a[5] = {
		fmt("prefix=%s", prefix), fmt("sysconfdir=%s/etc", prefix),
		fmt("libexecdir=%s/libexec", prefix), fmt("datadir=%s/share", prefix),
		fmt("bindir=%s/share/powerreport", prefix),
	};
	char *mandir = fmt("mandir=%s/man", prefix), *out = NULL;
	int rc = run_cmd(&out, NULL, (const char *const[]){ "make", "-s", "-C", top, "install",
	    a[0], a[1], a[2], a[3], a[4], mandir, NULL });

	if (rc != 0)
		setup_error = fmt("make install into the lab failed:\n%s", out);
	else
		rc = check_installed_paths();
	for (int i = 0; i < 5; i++)
		free(a[i]);
	free(mandir);
	free(out);
	free(top);
	return rc;
}

static int
add_user(const char *name, uid_t *uid)
{
	char *out = NULL;
	struct passwd *pw;

	if (lab_cmd(&out, "adduser", name) != 0 || (pw = getpwnam(name)) == NULL) {
		setup_error = fmt("cannot create user %s:\n%s", name, out);
		free(out);
		return -1;
	}
	free(out);
	*uid = pw->pw_uid;
	if (uid == &user_uid)
		user_gid = pw->pw_gid;
	return 0;
}

/* FALLBACK_DIR, belonging to the unprivileged account. */
static int
share_with_account(void)
{
	char *fb = fmt("%s/fallback", lab);
	int rc = 0;

	if (mkdir(fb, 02750) != 0 || chown(fb, slurm_uid, (gid_t)-1) != 0 ||
	    chmod(fb, 02750) != 0) {
		setup_error = fmt("cannot prepare %s: %s", fb, strerror(errno));
		rc = -1;
	}
	free(fb);
	return rc;
}

static int
build_lab(void)
{
	char tmpl[] = "/tmp/prslurm.XXXXXX";
	char *epilog, *out = NULL;
	struct group *gr;

	if (mkdtemp(tmpl) == NULL) {
		setup_error = fmt("mkdtemp: %s", strerror(errno));
		return -1;
	}
	lab = strdup(tmpl);
	owner = getpid();
	chmod(lab, 0755);
	atexit(teardown);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	prefix = fmt("%s/inst", lab);
	if (install() != 0)
		return -1;
	if (pgs_start() != 0 || load_telemetry() != 0) {
		setup_error = fmt("the test PostgreSQL did not start or load (see above)");
		return -1;
	}
	epilog = fmt("%s/libexec/powerreport/epilog", prefix);
	if (lab_cmd(&out, "start", epilog) != 0) {
		setup_error = fmt("the Slurm lab did not start:\n%s", out);
		free(epilog);
		free(out);
		return -1;
	}
	free(epilog);
	free(out);
	snprintf(user, sizeof user, "prt%d", (int)getpid());
	snprintf(slurm_account, sizeof slurm_account, "prs%d", (int)getpid());
	snprintf(sudoers, sizeof sudoers, "/etc/sudoers.d/powerreport-e2e-%d", (int)getpid());
	snprintf(group, sizeof group, "prg%d", (int)getpid());
	if (add_user(user, &user_uid) != 0 || add_user(slurm_account, &slurm_uid) != 0)
		return -1;
	if (lab_cmd2(&out, "addgroup", group, slurm_account) != 0 || (gr = getgrnam(group)) == NULL) {
		setup_error = fmt("cannot create group %s:\n%s", group, out);
		free(out);
		return -1;
	}
	free(out);
	group_gid = gr->gr_gid;
	home = fmt("%s/home/%s", lab, user);
	if (write_settings() != 0)
		return -1;
	return share_with_account();
}

/* --- what the tests use --- */

static void
need_lab(void)
{
	ck_assert_msg(setup_error == NULL, "%s", setup_error);
}

/* sbatch --wrap WRAP as the test user, output into ~/runs/PATTERN;
 * comment and more (one more option) NULL for none.  Returns the job id. */
static long
sbatch(const char *comment, const char *pattern, const char *more, const char *wrap)
{
	char *conf = fmt("SLURM_CONF=%s/etc/slurm.conf", lab);
	char *o = fmt("--output=%s/runs/%s", home, pattern);
	char *opt = comment != NULL ? fmt("--comment=%s", comment) : NULL;
	const char *argv[16] = { "runuser", "-u", user, "--", "env", conf, "sbatch",
	    "--parsable", o, "--wrap", wrap };
	char *out = NULL, *p;
	long id = -1;
	int n = 11, rc;

	if (opt != NULL)
		argv[n++] = opt;
	if (more != NULL)
		argv[n++] = more;
	rc = run_cmd(&out, home, argv);

	ck_assert_msg(rc == 0, "sbatch failed (%d): %s", rc, out);
	id = strtol(out, &p, 10);
	ck_assert_msg(id > 0, "sbatch said: %s", out);
	free(conf);
	free(opt);
	free(o);
	free(out);
	return id;
}

static long
submit(const char *comment)
{
	return sbatch(comment, "%x-%j.out", NULL, "sleep 3");
}

/* Wait until job id has left the queue; returns "STATE EXITCODE". */
static char *
wait_job_done(long id, int timeout_s)
{
	char *arg = fmt("%ld", id), *out = NULL;
	double until = now_s() + timeout_s;

	for (;;) {
		free(out);
		lab_cmd(&out, "job", arg);
		if (strncmp(out, "PENDING", 7) != 0 && strncmp(out, "RUNNING", 7) != 0 &&
		    strncmp(out, "COMPLETING", 10) != 0 && strncmp(out, "CONFIGURING", 11) != 0)
			break;
		ck_assert_msg(now_s() < until, "job %ld still %s after %d s", id, out, timeout_s);
		usleep(200000);
	}
	out[strcspn(out, "\n")] = '\0';
	free(arg);
	return out;
}

/* The epilog log line of job id (malloc'd), or NULL when none. */
static char *
log_line(long id)
{
	char *path = fmt("%s/log/epilog.log", lab), *text = tu_read(path, NULL);
	char *key = fmt(" job=%ld ", id), *line = NULL, *p, *e;

	if (text != NULL && (p = strstr(text, key)) != NULL) {
		while (p > text && p[-1] != '\n')
			p--;
		e = p + strcspn(p, "\n");
		line = strndup(p, (size_t)(e - p));
	}
	free(path);
	free(text);
	free(key);
	return line;
}

static char *
wait_log_line(long id, int timeout_s)
{
	double until = now_s() + timeout_s;
	char *line;

	while ((line = log_line(id)) == NULL) {
		ck_assert_msg(now_s() < until, "no epilog log line for job %ld after %d s", id,
		    timeout_s);
		usleep(200000);
	}
	return line;
}

static double
num(const cJSON *j, const char *a, const char *b, const char *c)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, a);

	if (b != NULL)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	if (c != NULL)
		v = cJSON_GetObjectItemCaseSensitive(v, c);
	ck_assert_msg(cJSON_IsNumber(v), "summary.json: %s.%s.%s is not a number", a,
	    b ? b : "", c ? c : "");
	return v->valuedouble;
}

static const char *
str(const cJSON *j, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, a), b);

	ck_assert_msg(cJSON_IsString(v), "summary.json: %s.%s is not a string", a, b);
	return v->valuestring;
}

/* --- the tests --- */

/* The report directory dir: a whole report, every file owned by owner,
 * for job jobid, with the energies the constant telemetry implies for the
 * job's duration. */
static void
check_report(const char *dir, const char *jobid, uid_t owner_uid)
{
	char *file;
	struct stat st;
	cJSON *sum;
	double dur, joules;

	ck_assert_msg(lstat(dir, &st) == 0 && S_ISDIR(st.st_mode), "%s missing", dir);
	ck_assert_msg(st.st_uid == owner_uid, "%s belongs to uid %d, not %d", dir,
	    (int)st.st_uid, (int)owner_uid);
	file = fmt("%s/raw_power.csv", dir);
	ck_assert_msg(lstat(file, &st) == 0 && st.st_uid == owner_uid && st.st_size > 100,
	    "%s missing, empty or not uid %d's", file, (int)owner_uid);
	free(file);
	file = fmt("%s/report.html", dir);
	ck_assert_msg(tu_exists(file), "%s missing", file);
	free(file);

	sum = rf_summary(dir);
	ck_assert_str_eq(str(sum, "job", "user"), user);
	ck_assert_str_eq(str(sum, "job", "id"), jobid);
	/* a job window forged by user text would make this huge */
	dur = num(sum, "job", "duration_s", NULL);
	ck_assert_msg(dur >= 2 && dur <= 10, "duration %g s for a 'sleep 3' job", dur);
	/* Constant powers: every energy is power x duration. */
	joules = num(sum, "totals", "energy_kwh", "total") * 3.6e6;
	ck_assert_msg(fabs(joules - P_IN * dur) < 0.5, "total %g J, expected %g", joules,
	    P_IN * dur);
	joules = num(sum, "totals", "energy_kwh", "cpu") * 3.6e6;
	ck_assert_msg(fabs(joules - P_CPU * dur) < 0.5, "cpu %g J, expected %g", joules,
	    P_CPU * dur);
	joules = num(sum, "totals", "energy_kwh", "psu_loss") * 3.6e6;
	ck_assert_msg(fabs(joules - (P_IN - P_OUT) * dur) < 0.5, "psu loss %g J", joules);
	cJSON_Delete(sum);
}

/* check_report for power_<id>/ in parent. */
static void
check_job_report(const char *parent, long id, uid_t owner_uid)
{
	char *dir = fmt("%s/power_%ld", parent, id), *jobid = fmt("%ld", id);

	check_report(dir, jobid, owner_uid);
	free(dir);
	free(jobid);
}

/* summary.json of power_<id>/ in parent says the job ended as want (or as
 * also, when not NULL). */
static void
check_exit_state(const char *parent, long id, const char *want, const char *also)
{
	char *path = fmt("%s/power_%ld/summary.json", parent, id);
	cJSON *sum = rf_json(path);
	const char *got = str(sum, "job", "exit_state");

	ck_assert_msg(strcmp(got, want) == 0 || (also != NULL && strcmp(got, also) == 0),
	    "job %ld ended \"%s\", wanted \"%s\"", id, got, want);
	cJSON_Delete(sum);
	free(path);
}

START_TEST(profiled_job_gets_report)
{
	long id;
	char *state, *line, *runs, *dir;
	struct stat st;

	need_lab();
	id = submit("power_profiling");
	state = wait_job_done(id, 120);
	ck_assert_msg(strcmp(state, "COMPLETED 0:0") == 0, "job %ld ended %s", id, state);
	line = wait_log_line(id, 60);
	ck_assert_msg(strstr(line, " outcome=ok exit=0 ") != NULL, "log: %s", line);
	ck_assert_msg(strstr(line, " runas=runuser ") != NULL, "log: %s", line);
	ck_assert_msg(strstr(line, " window=squeue") != NULL, "log: %s", line);
	runs = fmt("%s/runs", home);
	dir = fmt(" report=\"%s/power_%ld\"", runs, id);
	ck_assert_msg(strstr(line, dir) != NULL, "log names another report: %s", line);
	check_job_report(runs, id, user_uid);
	check_exit_state(runs, id, "COMPLETED (exit code 0)", NULL);
	free(dir);
	dir = fmt("%s/power_%ld/report.html", runs, id);
	ck_assert_msg(lstat(dir, &st) == 0 && (st.st_mode & 0777) == 0640,
	    "%s: mode %o, not 0640 (UMASK 0027)", dir, (unsigned)(st.st_mode & 0777));
	free(dir);
	dir = fmt("%s/power_%ld", runs, id);
	ck_assert_msg(lstat(dir, &st) == 0 && st.st_gid == group_gid,
	    "%s: group %d, not RUN_GROUP %s", dir, (int)st.st_gid, group);
	free(dir);
	free(runs);
	free(line);
	free(state);
}
END_TEST

/* Run the installed epilog as account for job id of job_user, with the
 * variables slurmctld gives it and x1, x2 (variables, NULL for none); it
 * must return at once with 0. */
static void
run_epilog_for(const char *account, long id, const char *job_user, const char *x1,
    const char *x2)
{
	const char *ctx = "SLURM_SCRIPT_CONTEXT=epilog_slurmctld";
	char *epilog = fmt("%s/libexec/powerreport/epilog", prefix);
	char *v[] = {
		fmt("SLURM_JOB_ID=%ld", id), fmt("SLURM_JOB_USER=%s", job_user),
		fmt("SLURM_JOB_UID=%d", (int)user_uid), fmt("SLURM_JOB_GID=%d", (int)user_gid),
		fmt("SLURM_JOB_STDOUT=%s/runs/%%x-%%j.out", home),
		fmt("SLURM_JOB_WORK_DIR=%s", home),
	};
	double t0 = now_s();
	int rc = run_cmd(NULL, "/", (const char *const[]){ "runuser", "-u", account, "--",
	    "env", "-i", v[0], v[1], v[2], v[3], v[4], v[5], "SLURM_JOB_NAME=wrap",
	    "SLURM_JOB_COMMENT=power_profiling", "SLURM_JOB_NODELIST=" NODE,
	    "SLURM_JOB_PARTITION=debug", x1 != NULL ? x1 : ctx, x2 != NULL ? x2 : ctx, epilog,
	    NULL });

	ck_assert_int_eq(rc, 0);
	ck_assert_msg(now_s() - t0 < 1.0, "epilog took %.2f s", now_s() - t0);
	for (int i = 0; i < 6; i++)
		free(v[i]);
	free(epilog);
}

static void
run_epilog_as(const char *account, long id)
{
	run_epilog_for(account, id, user, NULL, NULL);
}

/* SlurmUser is an unprivileged account: with the sudoers rule of
 * doc/slurm.md the report is written as the job user beside the output;
 * without it, into FALLBACK_DIR/USER as that account. */
START_TEST(unprivileged_slurmuser)
{
	long id;
	char *state, *line, *rule, *runs, *fb, *log;
	struct stat st;

	need_lab();
	if (access("/usr/bin/sudo", X_OK) != 0) {
		fprintf(stderr, "test_slurm_e2e: sudo is not installed: the sudo way is not "
		    "tested (scripts/install-deps installs it)\n");
		return;
	}
	/* Two accounts share one test log only here: the epilog made it
	 * 0640 root:adm (LOG_MODE, LOG_GROUP). */
	log = fmt("%s/log/epilog.log", lab);
	ck_assert_int_eq(chmod(log, 0666), 0);
	free(log);
	/* The job asks for nothing from root's epilog; we play slurmctld. */
	id = submit("not_this_time");
	state = wait_job_done(id, 120);
	ck_assert_msg(strcmp(state, "COMPLETED 0:0") == 0, "job %ld ended %s", id, state);
	rule = fmt("%s ALL=(ALL,!root : %s) NOPASSWD:SETENV: %s/share/powerreport/powerreport\n",
	    slurm_account, group, prefix);
	ck_assert_int_eq(write_file(sudoers, rule), 0);
	free(rule);
	chmod(sudoers, 0440);
	ck_assert_int_eq(run_cmd(NULL, NULL, (const char *const[]){ "visudo", "-c", "-q", "-f",
	    sudoers, NULL }), 0);
	run_epilog_as(slurm_account, id);
	line = wait_log_line(id, 60);
	unlink(sudoers);
	ck_assert_msg(strstr(line, " outcome=ok exit=0 ") != NULL, "log: %s", line);
	ck_assert_msg(strstr(line, " runas=sudo window=squeue") != NULL, "log: %s", line);
	runs = fmt("%s/runs", home);
	check_job_report(runs, id, user_uid);
	free(line);

	/* No rule: the fallback directory, the account's own files, for the
	 * account alone (no FALLBACK_GROUP). */
	id = submit("not_this_time");
	free(state);
	state = wait_job_done(id, 120);
	run_epilog_as(slurm_account, id);
	line = wait_log_line(id, 60);
	ck_assert_msg(strstr(line, " outcome=ok exit=0 ") != NULL, "log: %s", line);
	ck_assert_msg(strstr(line, " runas=fallback ") != NULL, "log: %s", line);
	fb = fmt("%s/fallback/%s", lab, user);
	ck_assert_msg(lstat(fb, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700,
	    "%s missing or not mode 0700", fb);
	check_job_report(fb, id, slurm_uid);
	free(fb);
	free(runs);
	free(line);
	free(state);
}
END_TEST

START_TEST(job_without_keyword_gets_nothing)
{
	long plain, other;
	char *state, *dir, *line;

	need_lab();
	plain = submit(NULL);
	other = submit("power_profilingX,no-power_profiling");
	free(wait_job_done(plain, 120));
	state = wait_job_done(other, 120);
	ck_assert_msg(strcmp(state, "COMPLETED 0:0") == 0, "job ended %s", state);
	sleep(3);	/* a worker would have written by now (SETTLE_DELAY=0) */
	ck_assert_msg((line = log_line(plain)) == NULL, "log line for job %ld: %s", plain, line);
	ck_assert_msg((line = log_line(other)) == NULL, "log line for job %ld: %s", other, line);
	dir = fmt("%s/runs/power_%ld", home, plain);
	ck_assert_msg(!tu_exists(dir), "%s exists", dir);
	free(dir);
	dir = fmt("%s/runs/power_%ld", home, other);
	ck_assert_msg(!tu_exists(dir), "%s exists", dir);
	free(dir);
	free(state);
}
END_TEST

/* Run path the way slurmctld runs EpilogSlurmctld: its own process group,
 * only the given environment, and the whole group killed the moment it
 * exits (slurmctld's "kill children too").  Returns the exit status. */
static int
run_like_slurmctld(const char *path, char *const *envp)
{
	pid_t pid;
	int st;

	fflush(NULL);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		if (chdir("/") == 0)
			execve(path, (char *const[]){ (char *)path, NULL }, envp);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The installed epilog run as slurmctld runs it, ten times in a row: it
 * returns at once with 0 each time, and every worker survives the kill of
 * its epilog's process group (one lost in four under load before the epilog
 * waited for the worker's setsid). */
START_TEST(epilog_returns_at_once)
{
	char *epilog, *line, *dir;
	char *env[] = {
		fmt("SLURM_JOB_USER=%s", user), fmt("SLURM_JOB_STDOUT=%s/runs/direct.out", home),
		NULL, "SLURM_JOB_COMMENT=power_profiling",
		"SLURM_JOB_NODELIST=" NODE, "SLURM_SCRIPT_CONTEXT=epilog_slurmctld", NULL
	};
	double t0;
	struct stat st;

	need_lab();
	epilog = fmt("%s/libexec/powerreport/epilog", prefix);
	for (long id = 990001; id <= 990010; id++) {
		env[2] = fmt("SLURM_JOB_ID=%ld", id);
		t0 = now_s();
		ck_assert_int_eq(run_like_slurmctld(epilog, env), 0);
		ck_assert_msg(now_s() - t0 < 1.0, "epilog took %.2f s", now_s() - t0);
		free(env[2]);
	}
	/* Slurm has no such jobs and the database no slurm.jobs rows: each
	 * worker reports that, and nothing is written. */
	for (long id = 990001; id <= 990010; id++) {
		line = wait_log_line(id, 30);
		ck_assert_msg(strstr(line, " window=database ") != NULL, "log: %s", line);
		ck_assert_msg(strstr(line, " outcome=ok ") == NULL, "log: %s", line);
		ck_assert_msg(strstr(line, "reason=\"") != NULL, "log: %s", line);
		free(line);
		dir = fmt("%s/runs/power_%ld", home, id);
		ck_assert_msg(!tu_exists(dir), "%s exists", dir);
		free(dir);
	}
	/* The first worker made the log: LOG_MODE 0640, LOG_GROUP adm. */
	dir = fmt("%s/log/epilog.log", lab);
	ck_assert_msg(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0640 && st.st_uid == 0 &&
	    (getgrnam("adm") == NULL || st.st_gid == getgrnam("adm")->gr_gid),
	    "%s: mode %o uid %d gid %d, not 0640 root:adm", dir, (unsigned)(st.st_mode & 0777),
	    (int)st.st_uid, (int)st.st_gid);
	free(dir);
	free(env[0]);
	free(env[1]);
	free(epilog);
}
END_TEST

/* Run the installed generator as account (NULL: root), with RUN_GROUP as
 * its primary group when in_group (as `sudo -g` would), in cwd with
 * --config and the arguments given; returns its exit status, *out what it
 * printed. */
static int
generator(char **out, const char *account, bool in_group, const char *cwd, const char *a1,
    const char *a2, const char *a3)
{
	char *bin = fmt("%s/share/powerreport/powerreport", prefix);
	char *cfg = fmt("%s/config.json", lab);
	const char *argv[16] = { "runuser", "-u", account != NULL ? account : "root" };
	int n = 3, rc;

	if (in_group) {
		argv[n++] = "-g";
		argv[n++] = group;
		argv[n++] = "-G";
		argv[n++] = account;	/* the account's own group, named like it */
	}
	argv[n++] = "--";
	argv[n++] = bin;
	argv[n++] = "--config";
	argv[n++] = cfg;
	argv[n++] = a1;
	argv[n++] = a2;
	argv[n++] = a3;
	rc = run_cmd(out, cwd, argv);
	free(bin);
	free(cfg);
	return rc;
}

/* Array tasks: one report per task, named ARRAYID_TASK, beside the output
 * named with %A and %a.  Once slurm.jobs knows a task, the user regenerates
 * it by the name they know (ARRAYID_TASK) or by its own job id, and either
 * way gets power_ARRAYID_TASK again, with the epilog's job description. */
START_TEST(array_tasks_get_a_report_each)
{
	long a, start, end;
	char *dir, *jobid, *sum, *times = NULL, *sql, *runs, *out = NULL, *raw;
	double until;
	cJSON *j;

	need_lab();
	a = sbatch("power_profiling", "%x-%A_%a.out", "--array=1-2", "sleep 3");
	for (int t = 1; t <= 2; t++) {
		dir = fmt("%s/runs/power_%ld_%d", home, a, t);
		jobid = fmt("%ld_%d", a, t);
		sum = fmt("%s/summary.json", dir);
		until = now_s() + 120;
		while (!tu_exists(sum)) {
			ck_assert_msg(now_s() < until, "no %s after 120 s", sum);
			usleep(200000);
		}
		check_report(dir, jobid, user_uid);
		free(sum);
		free(jobid);
		free(dir);
	}

	jobid = fmt("%ld_1", a);
	raw = fmt("%ld", 900000 + a);	/* the task's own job id, as MonSter records it */
	lab_cmd(&times, "times", jobid);
	ck_assert_msg(sscanf(times, "%ld %ld", &start, &end) == 2, "times: %s", times);
	sql = fmt("INSERT INTO slurm.jobs (job_id, array_job_id, array_task_id, name, user_name,"
	    " cluster, partition, nodes, node_count, start_time, end_time,"
	    " current_working_directory, job_state, exit_code) VALUES (%s, %ld, 1, 'wrap', '%s',"
	    " 'lab', 'debug', '{" NODE "}', 1, %ld, %ld, '%s', '{COMPLETED}', 0)",
	    raw, a, user, start, end, home);
	ck_assert_int_eq(pgs_exec("zen4", sql), 0);
	runs = fmt("%s/runs", home);
	for (int k = 0; k < 2; k++) {
		ck_assert_msg(generator(&out, user, true, "/", k == 0 ? jobid : raw, "--outdir", runs)
		    == 0, "powerreport %s: %s", k == 0 ? jobid : raw, out);
		free(out);
		dir = fmt("%s/power_%s", runs, jobid);
		check_report(dir, jobid, user_uid);
		sum = fmt("%s/summary.json", dir);
		j = rf_json(sum);
		ck_assert_str_eq(str(j, "job", "cluster"), "lab");	/* as from the epilog */
		cJSON_Delete(j);
		free(sum);
		free(dir);
	}
	dir = fmt("%s/power_%s", runs, raw);
	ck_assert_msg(!tu_exists(dir), "%s: not named as the epilog names it", dir);
	free(dir);
	free(runs);
	free(sql);
	free(raw);
	free(times);
	free(jobid);
}
END_TEST

/* Regenerating: once the telemetry database's slurm.jobs knows the job (as
 * MonSter records it), the user runs `powerreport JOBID`: into the job's
 * working directory, or where --outdir says (replacing the epilog's report
 * in place); an administrator writes wherever --outdir says. */
/* Record job id in slurm.jobs as MonSter does (exit_code the raw wait
 * status) once it has left the queue. */
static void
record_job(long id)
{
	long start, end;
	char *times = NULL, *jobid = fmt("%ld", id), *sql;

	lab_cmd(&times, "times", jobid);
	ck_assert_msg(sscanf(times, "%ld %ld", &start, &end) == 2, "times: %s", times);
	sql = fmt("INSERT INTO slurm.jobs (job_id, name, user_name, cluster, partition, nodes,"
	    " node_count, start_time, end_time, current_working_directory, job_state, exit_code)"
	    " VALUES (%ld, 'wrap', '%s', 'lab', 'debug', '{" NODE "}', 1, %ld, %ld, '%s',"
	    " '{COMPLETED}', 0)", id, user, start, end, home);
	ck_assert_int_eq(pgs_exec("zen4", sql), 0);
	free(sql);
	free(times);
	free(jobid);
}

/* The job objects of two summary.json files agree field by field. */
static void
assert_same_job(const char *epilog_dir, const char *regenerated_dir)
{
	char *a = fmt("%s/summary.json", epilog_dir), *b = fmt("%s/summary.json", regenerated_dir);
	cJSON *ja = rf_json(a), *jb = rf_json(b);
	const cJSON *oa = cJSON_GetObjectItemCaseSensitive(ja, "job");
	const cJSON *ob = cJSON_GetObjectItemCaseSensitive(jb, "job"), *f;
	char *va, *vb;

	ck_assert_int_eq(cJSON_GetArraySize(oa), cJSON_GetArraySize(ob));
	cJSON_ArrayForEach(f, oa) {
		va = cJSON_PrintUnformatted(f);
		vb = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(ob, f->string));
		ck_assert_msg(vb != NULL && strcmp(va, vb) == 0, "job.%s: epilog %s, regenerated %s",
		    f->string, va, vb != NULL ? vb : "(missing)");
		free(va);
		free(vb);
	}
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	free(a);
	free(b);
}

/* Regenerating: once the telemetry database's slurm.jobs knows the job (as
 * MonSter records it), the user runs `powerreport JOBID`: into the job's
 * working directory, or where --outdir says (replacing the epilog's report
 * in place, with the same job description); an administrator writes
 * wherever --outdir says. */
START_TEST(regenerate_on_demand)
{
	long id;
	char *jobid, *runs, *out = NULL, *admin, *kept, *epilog_dir;

	need_lab();
	id = submit("power_profiling");
	free(wait_job_done(id, 120));
	free(wait_log_line(id, 60));
	jobid = fmt("%ld", id);
	record_job(id);
	epilog_dir = fmt("%s/runs/power_%ld", home, id);
	kept = fmt("%s/epilog_%ld", lab, id);
	ck_assert_msg(run_cmd(&out, NULL, (const char *const[]){ "cp", "-r", epilog_dir, kept,
	    NULL }) == 0, "%s", out);
	free(out);

	/* Alone, the user cannot read the credentials (the config here). */
	ck_assert_msg(generator(&out, user, false, "/", jobid, NULL, NULL) == 3,
	    "the user read the group-only config: %s", out);
	/* ... and are told which group may, and where the ways are written */
	ck_assert_msg(strstr(out, group) != NULL && strstr(out, "Regenerating a report") != NULL,
	    "%s", out);
	free(out);
	runs = fmt("%s/runs", home);
	ck_assert_msg(generator(&out, user, true, home, jobid, "--outdir", runs) == 0, "%s", out);
	check_job_report(runs, id, user_uid);
	assert_same_job(kept, epilog_dir);
	free(out);
	ck_assert_msg(generator(&out, user, true, "/", jobid, NULL, NULL) == 0, "%s", out);
	check_job_report(home, id, user_uid);
	free(out);
	admin = fmt("%s/admin", lab);
	ck_assert_int_eq(mkdir(admin, 0755), 0);
	ck_assert_msg(generator(&out, NULL, false, "/", jobid, "--outdir", admin) == 0, "%s", out);
	check_job_report(admin, id, 0);
	free(out);
	/* Another user's job: the lookup works, the user's files do not. */
	ck_assert_msg(generator(&out, slurm_account, true, "/", jobid, NULL, NULL) == 7,
	    "another user wrote into %s: %s", home, out);
	free(out);
	free(admin);
	free(runs);
	free(kept);
	free(epilog_dir);
	free(jobid);
}
END_TEST

/* The block of doc/slurm.md after "<!-- e2e:NAME -->", its list indent
 * removed, with the site's names the doc uses replaced by the lab's: the
 * commands run as the doc shows them, with cfg as the configuration. */
static char *
doc_block(const char *name, const char *cfg, long id)
{
	char *path = tu_top("doc/slurm.md"), *doc = tu_read(path, NULL);
	char *mark = fmt("<!-- e2e:%s -->", name);
	char *p = doc != NULL ? strstr(doc, mark) : NULL, *end, *text;
	const char *from[] = { "powerreport 1234", "/usr/local/etc/powerreport", "/home/alice",
	    "db.example.org", "5432", "-g powerreport", "alice", NULL };
	char *to[7];
	size_t n = 0, k;

	ck_assert_msg(p != NULL && (p = strstr(p, "```\n")) != NULL &&
	    (end = strstr(p + 4, "```")) != NULL, "doc/slurm.md has no block %s", name);
	to[0] = fmt("%s/share/powerreport/powerreport --config %s %ld", prefix, cfg, id);
	to[1] = fmt("%s", lab);
	to[2] = fmt("%s", home);
	to[3] = fmt("127.0.0.1");
	to[4] = fmt("%d", pgs_port());
	to[5] = fmt("-g %s", group);
	to[6] = fmt("%s", user);
	text = calloc(1, 4096);
	ck_assert_ptr_nonnull(text);
	/* one pass: a replacement is never searched again */
	for (p += 4; p < end && n < 4000; ) {
		if (p[-1] == '\n' && strncmp(p, "   ", 3) == 0) {
			p += 3;
			continue;
		}
		for (k = 0; from[k] != NULL && strncmp(p, from[k], strlen(from[k])) != 0; k++)
			;
		if (from[k] != NULL) {
			n += (size_t)snprintf(text + n, 4096 - n, "%s", to[k]);
			p += strlen(from[k]);
		} else
			text[n++] = *p++;
	}
	for (k = 0; k < 7; k++)
		free(to[k]);
	free(mark);
	free(doc);
	free(path);
	return text;
}

/* Run the shell command cmd in home as account (NULL: root). */
static int
shell_as(char **out, const char *account, const char *cmd)
{
	return run_cmd(out, home, (const char *const[]){ "runuser", "-u",
	    account != NULL ? account : "root", "--", "sh", "-c", cmd, NULL });
}

/* The ways to regenerate of doc/slurm.md ("Credentials for regenerating"),
 * their blocks run as the doc shows them: a role of the user's own, a site
 * service file with the user's ~/.pgpass and a configuration without a
 * secret; the admin path with the group. */
START_TEST(regenerate_credentials_as_documented)
{
	char *own = fmt("%s/config-own.json", lab), *group_cfg = fmt("%s/config.json", lab);
	char *runs = fmt("%s/runs", home), *path, *text, *out = NULL;
	long id;

	need_lab();
	id = submit("power_profiling");
	free(wait_job_done(id, 120));
	free(wait_log_line(id, 60));
	record_job(id);

	text = doc_block("role-sql", own, id);
	ck_assert_msg(pgs_exec("zen4", text) == 0, "%s", text);
	free(text);
	path = fmt("%s/pg_service.conf", lab);
	tu_write(path, text = doc_block("service-file", own, id));
	ck_assert_int_eq(chmod(path, 0644), 0);
	free(text);
	free(path);
	tu_write(own, text = doc_block("service-config", own, id));
	ck_assert_int_eq(chmod(own, 0644), 0);
	free(text);
	text = doc_block("user-pgpass", own, id);
	ck_assert_msg(shell_as(&out, user, text) == 0, "%s: %s", text, out);
	free(out);
	free(text);
	text = doc_block("user-regenerate", own, id);
	ck_assert_msg(shell_as(&out, user, text) == 0, "%s: %s", text, out);
	check_job_report(runs, id, user_uid);
	free(out);
	free(text);

	text = doc_block("admin-regenerate", group_cfg, id);
	ck_assert_msg(shell_as(&out, NULL, text) == 0, "%s: %s", text, out);
	check_job_report(runs, id, user_uid);
	free(out);
	free(text);

	path = fmt("%s/.pgpass", home);
	unlink(path);
	free(path);
	free(runs);
	free(group_cfg);
	free(own);
}
END_TEST

/* A job cancelled while running still gets its report, over the time it
 * ran (the epilog starts a few ms before its processes are gone). */
START_TEST(cancelled_job_gets_report)
{
	long id;
	char *conf = fmt("SLURM_CONF=%s/etc/slurm.conf", lab), *jobid, *state = NULL;
	char *line, *dir, *text;
	double until = now_s() + 60;
	cJSON *sum;
	double dur;

	need_lab();
	id = sbatch("power_profiling", "%x-%j.out", NULL, "sleep 300");
	jobid = fmt("%ld", id);
	do {
		free(state);
		ck_assert_msg(now_s() < until, "job %ld did not start", id);
		usleep(200000);
		lab_cmd(&state, "job", jobid);
	} while (strncmp(state, "RUNNING", 7) != 0);
	sleep(2);
	ck_assert_int_eq(run_cmd(NULL, home, (const char *const[]){ "runuser", "-u", user, "--",
	    "env", conf, "scancel", jobid, NULL }), 0);
	line = wait_log_line(id, 60);
	ck_assert_msg(strstr(line, " outcome=ok exit=0 ") != NULL, "log: %s", line);
	dir = fmt("%s/runs/power_%ld/summary.json", home, id);
	sum = rf_json(dir);
	dur = num(sum, "job", "duration_s", NULL);
	ck_assert_msg(dur >= 1 && dur < 60, "cancelled after ~2 s, duration %g s", dur);
	text = cJSON_PrintUnformatted(sum);
	ck_assert_msg(num(sum, "totals", "energy_kwh", "total") > 0, "no energy: %s", text);
	free(text);
	cJSON_Delete(sum);
	free(dir);
	dir = fmt("%s/runs", home);
	/* the batch shell either dies of the SIGTERM or exits 143 once its
	 * child has: a race inside the job, both are what Slurm recorded */
	check_exit_state(dir, id, "CANCELLED (signal 15)", "CANCELLED (exit 143)");
	free(dir);
	free(line);
	free(state);
	free(jobid);
	free(conf);
}
END_TEST

/* User text is data: a comment or job name that spells "StartTime=1" does
 * not widen the window (the report covers the 3 s the job ran, not the
 * years since 1970: check_report bounds the duration), and a comment full
 * of globs is not expanded (that took 23 s and 400 MB per job). */
START_TEST(hostile_text_is_data)
{
	long forged, glob;
	char *state, *line, *runs = fmt("%s/runs", home), *comment;
	double dur;

	need_lab();
	comment = fmt("power_profiling StartTime=1 EndTime=%ld", (long)time(NULL));
	forged = sbatch(comment, "%j.out", "--job-name=w StartTime=1 EndTime=2", "sleep 3");
	glob = sbatch("power_profiling /*/*/*/*/*/*/*", "%j.out", NULL, "sleep 3");
	free(wait_job_done(forged, 120));
	state = wait_job_done(glob, 120);
	ck_assert_msg(strcmp(state, "COMPLETED 0:0") == 0, "job %ld ended %s", glob, state);
	line = wait_log_line(forged, 60);
	ck_assert_msg(strstr(line, " outcome=ok ") != NULL && strstr(line, " window=squeue") != NULL,
	    "log: %s", line);
	check_job_report(runs, forged, user_uid);
	free(line);
	line = wait_log_line(glob, 60);
	ck_assert_msg(strstr(line, " outcome=ok ") != NULL, "log: %s", line);
	ck_assert_msg(sscanf(strstr(line, " duration="), " duration=%lfs", &dur) == 1 && dur < 10,
	    "the worker took long (globbing?): %s", line);
	check_job_report(runs, glob, user_uid);
	free(line);
	free(state);
	free(comment);
	free(runs);
}
END_TEST

/* Whatever a variable holds, one job is one log line: a newline in
 * SLURM_JOB_USER is escaped, not a forged line.  A job of root gets no
 * report: the generator never runs as root. */
START_TEST(log_escapes_and_root_jobs)
{
	char *path = fmt("%s/log/epilog.log", lab), *text, *line;

	need_lab();
	run_epilog_for("root", 990101, "x\nforged outcome=ok", NULL, NULL);
	run_epilog_for("root", 990102, "root", NULL, NULL);
	line = wait_log_line(990101, 30);
	ck_assert_msg(strstr(line, " user=x\\nforged outcome=ok outcome=skipped ") != NULL,
	    "log: %s", line);
	free(line);
	text = tu_read(path, NULL);
	ck_assert_msg(strstr(text, "\nforged") == NULL, "a forged log line:\n%s", text);
	line = wait_log_line(990102, 30);
	ck_assert_msg(strstr(line, " user=root outcome=skipped ") != NULL &&
	    strstr(line, "never runs as root") != NULL, "log: %s", line);
	ck_assert_msg(!tu_exists("/root/power_990102"), "a report for root's job");
	free(line);
	free(text);
	free(path);
}
END_TEST

/* A window from slurmctld (newer Slurm) is checked too: one of 40 years
 * is longer than MAX_WINDOW (30 days), so no report reads that much. */
START_TEST(implausible_window_refused)
{
	char *line, *start = fmt("SLURM_JOB_START_TIME=%ld", (long)time(NULL) - 40L * 365 * 86400);
	char *end = fmt("SLURM_JOB_END_TIME=%ld", (long)time(NULL));

	need_lab();
	run_epilog_for("root", 990201, user, start, end);
	line = wait_log_line(990201, 30);
	ck_assert_msg(strstr(line, " outcome=skipped ") != NULL &&
	    strstr(line, "longer than MAX_WINDOW=2592000 s") != NULL, "log: %s", line);
	free(line);
	line = fmt("%s/runs/power_990201", home);
	ck_assert_msg(!tu_exists(line), "%s exists", line);
	free(line);
	free(start);
	free(end);
}
END_TEST

/* A wrong password cannot fix itself: one attempt, the cause in the log
 * (not 12 attempts over WAIT_LIMIT).  A password file readable by the
 * group is skipped by libpq, and the message says so. */
START_TEST(credentials_fail_fast)
{
	long id;
	char *line, *pass = fmt("%s/pgpass", lab), *cfg = fmt("%s/passfile.json", lab);
	char *text, *bin = fmt("%s/share/powerreport/powerreport", prefix), *out = NULL;
	int rc;

	need_lab();
	ck_assert_int_eq(install_config("not-the-password"), 0);
	id = submit("power_profiling");
	free(wait_job_done(id, 120));
	line = wait_log_line(id, 60);
	ck_assert_int_eq(install_config(PASSWORD), 0);
	ck_assert_msg(strstr(line, " outcome=source-unreachable exit=6 ") != NULL &&
	    strstr(line, " attempts=1 ") != NULL &&
	    strstr(line, "password authentication failed") != NULL, "log: %s", line);
	ck_assert_msg(strstr(line, "not-the-password") == NULL, "password in the log: %s", line);
	free(line);

	text = fmt("127.0.0.1:%d:*:reader:%s\n", pgs_port(), PASSWORD);
	ck_assert_int_eq(write_file(pass, text), 0);
	ck_assert_int_eq(chown(pass, 0, group_gid) | chmod(pass, 0640), 0);
	free(text);
	text = fmt("{ \"database\": { \"conninfo\": \"host=127.0.0.1 port=%d user=reader"
	    " passfile=%s\" } }\n", pgs_port(), pass);
	ck_assert_int_eq(write_file(cfg, text), 0);
	rc = run_cmd(&out, "/", (const char *const[]){ "runuser", "-u", user, "-g", group, "--",
	    bin, "--config", cfg, "--start", "1700000000", "--end", "1700000060", "--nodelist",
	    NODE, "--outdir", "/tmp", NULL });
	ck_assert_msg(rc == 6 && strstr(out, "ignored the password file") != NULL &&
	    strstr(out, "mode 0640") != NULL, "exit %d: %s", rc, out);
	free(out);
	free(text);
	free(bin);
	free(cfg);
	free(pass);
}
END_TEST

/* A job that hits its time limit (1 minute; Slurm checks every 30 s) is
 * reported as TIMEOUT, from the job record, not as "exit code 0". */
START_TEST(timed_out_job_state)
{
	long id;
	char *line, *path, *state;
	cJSON *sum;

	need_lab();
	id = sbatch("power_profiling", "%x-%j.out", "--time=1", "sleep 300");
	state = wait_job_done(id, 200);
	ck_assert_msg(strncmp(state, "TIMEOUT ", 8) == 0, "job %ld ended %s", id, state);
	line = wait_log_line(id, 60);
	ck_assert_msg(strstr(line, " outcome=ok exit=0 ") != NULL, "log: %s", line);
	path = fmt("%s/runs/power_%ld/summary.json", home, id);
	sum = rf_json(path);
	ck_assert_msg(strncmp(str(sum, "job", "exit_state"), "TIMEOUT", 7) == 0,
	    "exit_state %s", str(sum, "job", "exit_state"));
	cJSON_Delete(sum);
	free(path);
	free(line);
	free(state);
}
END_TEST

/* The job removed the directory of its own output: the report goes to
 * FALLBACK_DIR/USER/ instead (here SlurmUser is root, so the directory is
 * made the user's and the user writes it), and the log says where and why. */
START_TEST(vanished_directory_falls_back)
{
	char *gone = fmt("%s/runs/vanish", home), *wrap = fmt("sleep 3; rm -rf %s", gone);
	char *top = fmt("%s/fallback", lab), *fb = fmt("%s/%s", top, user), *line, *want;
	struct stat st;
	long id;

	need_lab();
	/* FALLBACK_DIR of SlurmUser root now, not of the unprivileged account */
	tu_rmrf(fb);
	ck_assert_int_eq(chown(top, 0, 0) | chmod(top, 0755), 0);
	ck_assert_int_eq(mkdir(gone, 0755) | chown(gone, user_uid, user_gid), 0);
	id = sbatch("power_profiling", "vanish/%j.out", NULL, wrap);
	free(wait_job_done(id, 120));
	line = wait_log_line(id, 60);
	want = fmt(" report=\"%s/power_%ld\"", fb, id);
	ck_assert_msg(strstr(line, " outcome=ok exit=0 ") != NULL && strstr(line, want) != NULL &&
	    strstr(line, "written to FALLBACK_DIR instead") != NULL, "log: %s", line);
	ck_assert_msg(stat(fb, &st) == 0 && st.st_uid == user_uid && (st.st_mode & 0777) == 0700,
	    "%s not the user's alone", fb);
	check_job_report(fb, id, user_uid);
	free(want);
	free(line);
	free(fb);
	free(top);
	free(wrap);
	free(gone);
}
END_TEST

/* Last: stops the database for good. */
START_TEST(database_down)
{
	int pm = pgs_postmaster_pid();
	long id;
	char *state, *line, *dir;

	need_lab();
	ck_assert_int_gt(pm, 0);
	kill(pm, SIGINT);	/* fast shutdown */
	for (int i = 0; i < 100 && kill(pm, 0) == 0; i++)
		usleep(100000);
	ck_assert_msg(kill(pm, 0) != 0, "postmaster %d did not stop", pm);

	id = submit("power_profiling");
	state = wait_job_done(id, 120);
	ck_assert_msg(strcmp(state, "COMPLETED 0:0") == 0, "job %ld ended %s", id, state);
	line = wait_log_line(id, 60);
	ck_assert_msg(strstr(line, " outcome=source-unreachable exit=6 ") != NULL, "log: %s",
	    line);
	ck_assert_msg(strstr(line, " attempts=1 ") == NULL, "no retry: %s", line);
	ck_assert_msg(strstr(line, "reason=\"") != NULL, "log gives no reason: %s", line);
	dir = fmt("%s/runs/power_%ld", home, id);
	ck_assert_msg(!tu_exists(dir), "%s exists", dir);
	free(dir);
	free(line);
	free(state);
}
END_TEST

/* After everything else (it breaks the settings file): a settings error is
 * logged for every job that asks, into the configured LOG_FILE, naming the
 * job and its user, and nothing runs. */
START_TEST(settings_error_logged)
{
	char *path = fmt("%s/etc/powerreport/epilog.conf", prefix), *text = tu_read(path, NULL);
	char *bad = fmt("%sNO_SUCH_KEY=1\n", text), *line;
	char *want = fmt(" job=990301 user=%s outcome=settings-error ", user);

	need_lab();
	ck_assert_int_eq(write_file(path, bad), 0);
	run_epilog_as("root", 990301);
	line = log_line(990301);	/* written before the epilog returned */
	ck_assert_msg(line != NULL && strstr(line, want) != NULL &&
	    strstr(line, "unknown setting NO_SUCH_KEY") != NULL, "log: %s", line);
	ck_assert_int_eq(write_file(path, text), 0);
	free(want);
	free(line);
	free(bad);
	free(text);
	free(path);
}
END_TEST

START_TEST(skipped)
{
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("slurm_e2e");
	TCase *tc = tcase_create("lab");
	const char *why = unusable();

	if (why != NULL) {
		fprintf(stderr, "test_slurm_e2e: SKIPPED: %s\n", why);
		tcase_add_test(tc, skipped);
	} else {
		if (build_lab() != 0)
			fprintf(stderr, "test_slurm_e2e: %s\n", setup_error);
		tcase_set_timeout(tc, 300);
		tcase_add_test(tc, epilog_returns_at_once);
		tcase_add_test(tc, profiled_job_gets_report);
		tcase_add_test(tc, job_without_keyword_gets_nothing);
		tcase_add_test(tc, unprivileged_slurmuser);
		tcase_add_test(tc, array_tasks_get_a_report_each);
		tcase_add_test(tc, regenerate_on_demand);
		tcase_add_test(tc, regenerate_credentials_as_documented);
		tcase_add_test(tc, cancelled_job_gets_report);
		tcase_add_test(tc, hostile_text_is_data);
		tcase_add_test(tc, log_escapes_and_root_jobs);
		tcase_add_test(tc, implausible_window_refused);
		tcase_add_test(tc, credentials_fail_fast);
		tcase_add_test(tc, vanished_directory_falls_back);
		tcase_add_test(tc, timed_out_job_state);
		tcase_add_test(tc, database_down);
		tcase_add_test(tc, settings_error_logged);
	}
	suite_add_tcase(s, tc);
	return tu_main(s);
}
