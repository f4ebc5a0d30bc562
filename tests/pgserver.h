/*
 * pgserver.h - a throwaway PostgreSQL server for tests: initdb + pg_ctl in a
 * temporary directory (as the unprivileged user "nobody" when running as
 * root, since postgres refuses root), listening on a socket in that
 * directory and on 127.0.0.1 at a private port.  Start it in main() before
 * srunner_run_all() so every forked test shares it; it is stopped at exit
 * and on SIGINT/SIGTERM of that process, even when tests fail.  No
 * autovacuum, so the statistics of a database count only what tests do.
 * On request a PgBouncer in front of it, stopped with it.
 */
#ifndef PR_PGSERVER_H
#define PR_PGSERVER_H

/* Start the server (once).  Local socket connections are trusted; TCP
 * connections need a password (scram-sha-256).  0, or -1 after printing
 * why on stderr. */
int pgs_start(void);
void pgs_stop(void);

const char *pgs_dir(void);	/* socket directory */
int pgs_port(void);
/* Process id of the postmaster (0 when not running). */
int pgs_postmaster_pid(void);

/* Start a PgBouncer (once) in front of the server, as the same user, in
 * transaction pooling with pool_size server connections per database, all
 * kept open (min_pool_size) and handed out in turn (server_round_robin), so
 * that consecutive transactions of one client land on different ones;
 * listening on a socket in
 * pgs_dir() at port pgs_bouncer_port() and letting anyone in as postgres.
 * It is stopped by its recorded process id before the server stops.  0, or
 * -1 after printing why on stderr. */
int pgs_start_bouncer(int pool_size);
int pgs_bouncer_port(void);

/* conninfo for the superuser "postgres" over the socket (malloc'd). */
char *pgs_conninfo(const char *dbname);

/* Run sql (any number of statements) in dbname; 0, or -1 after printing the
 * server's message. */
int pgs_exec(const char *dbname, const char *sql);
/* The first field of sql's first row in dbname as an integer; -1 when the
 * statement fails or returns no row. */
long long pgs_scalar(const char *dbname, const char *sql);
/* Run the SQL file at path (psql -f, so \copy works) in dbname. */
int pgs_exec_file(const char *dbname, const char *path);
/* CREATE DATABASE name, load the MonSter schema (tests/fixtures/monster.sql)
 * and then each file of the NULL-terminated list (names in tests/fixtures). */
int pgs_create_monster(const char *name, const char *const *files);

#endif
