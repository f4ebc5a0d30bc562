/*
 * pgserver.c - the throwaway PostgreSQL server of the tests (see
 * pgserver.h).  Uses Debian's PostgreSQL 15 binaries; everything lives in
 * one temporary directory that is removed when the server stops; Debian's
 * PgBouncer in the same directory when a test asks for one.
 */
#include "pgserver.h"

#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PGBIN "/usr/lib/postgresql/15/bin"
#define RUN_AS "nobody"
#define PGBOUNCER "/usr/sbin/pgbouncer"

static char dir[64];		/* temporary directory, "" when not running */
static int port;
static pid_t owner;		/* the process that started it (not a forked test) */
static int bouncer_port;
static pid_t bouncer;		/* PgBouncer's process id, 0 when not running */

const char *
pgs_dir(void)
{
	return dir;
}

int
pgs_port(void)
{
	return port;
}

/* Run argv in cwd (NULL: here) and wait for it; its status and output, or
 * -1 (nothing to free) when it could not be started. */
static int
run_here(const char *const *argv, const char *cwd, struct run_result *r)
{
	struct tu_child c;

	if (tu_launch(&c, argv, NULL, cwd) != 0)
		return -1;
	*r = tu_reap(&c, -1);
	return r->status;
}

/* Run argv (as RUN_AS when we are root) in dir with output into
 * dir/setup.log; returns its exit status. */
static int
run(const char *const *argv)
{
	const char *av[32];
	char logpath[128];
	struct run_result r;
	int n = 0, st;
	FILE *log;

	if (geteuid() == 0) {
		av[n++] = "runuser";
		av[n++] = "-u";
		av[n++] = RUN_AS;
		av[n++] = "--";
	}
	for (int i = 0; argv[i] != NULL && n < 31; i++)
		av[n++] = argv[i];
	av[n] = NULL;
	if ((st = run_here(av, dir, &r)) < 0)
		return -1;
	snprintf(logpath, sizeof logpath, "%s/setup.log", dir);
	if ((log = fopen(logpath, "a")) != NULL) {
		fputs(r.out, log);
		fputs(r.err, log);
		fclose(log);
	}
	tu_run_free(&r);
	return st;
}

static void
show_log(const char *name)
{
	char path[128], line[512];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL)
		fprintf(stderr, "  %s: %s", name, line);
	fclose(fp);
}

/* A TCP port nobody listens on right now. */
static int
free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), p = 0;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		p = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return p;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

/* SIGTERM PgBouncer (a daemon, not our child) and wait until it is gone. */
static void
stop_bouncer(void)
{
	if (bouncer <= 0 || kill(bouncer, SIGTERM) != 0) {
		bouncer = 0;
		return;
	}
	for (int i = 0; i < 100 && kill(bouncer, 0) == 0; i++)
		usleep(20000);
	kill(bouncer, SIGKILL);
	bouncer = 0;
}

void
pgs_stop(void)
{
	char data[96];

	if (dir[0] == '\0' || getpid() != owner)
		return;
	stop_bouncer();
	snprintf(data, sizeof data, "%s/data", dir);
	run((const char *const[]){ PGBIN "/pg_ctl", "-D", data, "-m", "immediate", "-w",
	    "stop", NULL });
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	dir[0] = '\0';
}

static void
on_signal(int sig)
{
	pgs_stop();
	signal(sig, SIG_DFL);
	raise(sig);
}

int
pgs_postmaster_pid(void)
{
	char path[96], line[32] = "";
	FILE *fp;

	snprintf(path, sizeof path, "%s/data/postmaster.pid", dir);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(line, sizeof line, fp) == NULL)
		line[0] = '\0';
	fclose(fp);
	return atoi(line);
}

int
pgs_start(void)
{
	char data[96], opts[256];
	struct passwd *pw;

	if (dir[0] != '\0')
		return 0;
	snprintf(dir, sizeof dir, "/tmp/prpg.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("pgserver: mkdtemp");
		dir[0] = '\0';
		return -1;
	}
	owner = getpid();
	atexit(pgs_stop);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (geteuid() == 0 && (pw = getpwnam(RUN_AS)) != NULL &&
	    chown(dir, pw->pw_uid, pw->pw_gid) != 0)
		perror("pgserver: chown");
	chmod(dir, 0755);
	port = free_port();
	snprintf(data, sizeof data, "%s/data", dir);
	snprintf(opts, sizeof opts, "-k %s -p %d -c listen_addresses=127.0.0.1 -c fsync=off "
	    "-c synchronous_commit=off -c full_page_writes=off -c autovacuum=off", dir, port);
	if (run((const char *const[]){ PGBIN "/initdb", "-D", data, "-U", "postgres",
	    "-E", "UTF8", "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256",
	    "--no-sync", NULL }) != 0) {
		fprintf(stderr, "pgserver: initdb failed\n");
		show_log("setup.log");
		return -1;
	}
	if (run((const char *const[]){ PGBIN "/pg_ctl", "-D", data, "-l", "server.log",
	    "-o", opts, "-w", "-t", "60", "start", NULL }) != 0) {
		fprintf(stderr, "pgserver: pg_ctl start failed\n");
		show_log("setup.log");
		show_log("server.log");
		return -1;
	}
	return 0;
}

int
pgs_bouncer_port(void)
{
	return bouncer_port;
}

/* The process id in PgBouncer's pidfile, once the daemon has written it
 * and answers on its socket (0 when it does not within 10 s). */
static pid_t
bouncer_pid(const char *pidpath)
{
	char ci[128], line[32];
	pid_t pid = 0;
	FILE *fp;

	snprintf(ci, sizeof ci, "host=%s port=%d user=postgres dbname=postgres", dir,
	    bouncer_port);
	for (int i = 0; i < 500 && pid == 0; i++) {
		if ((fp = fopen(pidpath, "r")) != NULL) {
			if (fgets(line, sizeof line, fp) != NULL && PQping(ci) == PQPING_OK)
				pid = atoi(line);
			fclose(fp);
		}
		if (pid == 0)
			usleep(20000);
	}
	return pid;
}

int
pgs_start_bouncer(int pool_size)
{
	char ini[128], pidpath[128];
	FILE *fp;

	if (bouncer != 0)
		return 0;
	bouncer_port = free_port();
	snprintf(ini, sizeof ini, "%s/pgbouncer.ini", dir);
	snprintf(pidpath, sizeof pidpath, "%s/pgbouncer.pid", dir);
	if ((fp = fopen(ini, "w")) == NULL) {
		perror("pgserver: pgbouncer.ini");
		return -1;
	}
	fprintf(fp, "[databases]\n* = host=%s port=%d user=postgres\n[pgbouncer]\n"
	    "listen_addr =\nlisten_port = %d\nunix_socket_dir = %s\nauth_type = any\n"
	    "pool_mode = transaction\ndefault_pool_size = %d\nmin_pool_size = %d\n"
	    "server_round_robin = 1\nmax_client_conn = 200\nlogfile = %s/pgbouncer.log\n"
	    "pidfile = %s\n",
	    dir, port, bouncer_port, dir, pool_size, pool_size, dir, pidpath);
	fclose(fp);
	if (run((const char *const[]){ PGBOUNCER, "-d", ini, NULL }) != 0 ||
	    (bouncer = bouncer_pid(pidpath)) == 0) {
		fprintf(stderr, "pgserver: pgbouncer did not start (scripts/install-deps "
		    "installs it)\n");
		show_log("setup.log");
		show_log("pgbouncer.log");
		return -1;
	}
	return 0;
}

char *
pgs_conninfo(const char *dbname)
{
	char *s;

	if (asprintf(&s, "host=%s port=%d user=postgres dbname=%s", dir, port, dbname) < 0)
		abort();
	return s;
}

/* Run sql in dbname; 0, or -1 after printing the server's message.  With
 * first: the first field of the first row as an integer, -1 when none. */
static int
run_sql(const char *dbname, const char *sql, long long *first)
{
	char *ci = pgs_conninfo(dbname);
	PGconn *conn = PQconnectdb(ci);
	PGresult *res;
	int rc = -1;

	free(ci);
	if (first != NULL)
		*first = -1;
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "pgserver: connect to %s: %s", dbname, PQerrorMessage(conn));
	} else {
		res = PQexec(conn, sql);
		if (PQresultStatus(res) == PGRES_COMMAND_OK ||
		    PQresultStatus(res) == PGRES_TUPLES_OK)
			rc = 0;
		else
			fprintf(stderr, "pgserver: %s: %s", dbname, PQerrorMessage(conn));
		if (rc == 0 && first != NULL && PQntuples(res) > 0 && PQnfields(res) > 0)
			*first = atoll(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	PQfinish(conn);
	return rc;
}

int
pgs_exec(const char *dbname, const char *sql)
{
	return run_sql(dbname, sql, NULL);
}

long long
pgs_scalar(const char *dbname, const char *sql)
{
	long long v;

	run_sql(dbname, sql, &v);
	return v;
}

int
pgs_exec_file(const char *dbname, const char *path)
{
	char p[16];
	const char *argv[] = { PGBIN "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", dir,
		"-p", p, "-U", "postgres", "-d", dbname, "-f", path, NULL };
	struct run_result r;
	int rc;

	snprintf(p, sizeof p, "%d", port);
	if ((rc = run_here(argv, NULL, &r)) < 0)
		return -1;
	fputs(r.err, stderr);
	tu_run_free(&r);
	if (rc != 0) {
		fprintf(stderr, "pgserver: loading %s into %s failed\n", path, dbname);
		return -1;
	}
	return 0;
}

int
pgs_create_monster(const char *name, const char *const *files)
{
	const char *top = getenv("POWERREPORT_TOP");
	char sql[128], path[512];

	snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", name);
	if (pgs_exec("postgres", sql) != 0)
		return -1;
	if (top == NULL)
		top = ".";
	snprintf(path, sizeof path, "%s/tests/fixtures/monster.sql", top);
	if (pgs_exec_file(name, path) != 0)
		return -1;
	for (size_t i = 0; files != NULL && files[i] != NULL; i++) {
		snprintf(path, sizeof path, "%s/tests/fixtures/%s", top, files[i]);
		if (pgs_exec_file(name, path) != 0)
			return -1;
	}
	return 0;
}
