/*
 * testutil.h - what the Check tests share: a scratch directory per test,
 * running the real powerreport binary and capturing what it says, reading
 * files back.  POWERREPORT_BIN and POWERREPORT_TOP come from `make check`.
 */
#ifndef PR_TESTUTIL_H
#define PR_TESTUTIL_H

#include <check.h>
#include <stddef.h>
#include <sys/types.h>

struct run_result {
	int status;		/* exit code, or 128+signal */
	char *out, *err;	/* captured stdout / stderr (malloc'd) */
};

/* A fresh scratch directory (malloc'd path) removed by tu_rmrf. */
char *tu_tmpdir(void);
void tu_rmrf(const char *path);
/* The scratch directory of the running test: made by tu_scratch_setup,
 * removed and freed by tu_scratch_teardown; setup also clears any failure
 * recorded by an earlier test (pr_errclear).  Both make a Check fixture
 * (tcase_add_checked_fixture(tc, tu_scratch_setup, tu_scratch_teardown)),
 * or are called first and last by a test file's own setup and teardown. */
extern char *tu_scratch;
void tu_scratch_setup(void);
void tu_scratch_teardown(void);
/* A directory a planted link points at (malloc'd path): one file,
 * "precious", holding "mine".  tu_victim_untouched asserts it still holds
 * just that, then removes and frees it. */
char *tu_victim(void);
void tu_victim_untouched(char *victim);
/* Path of a file of the source tree ("samples/raw_power.csv"), malloc'd. */
char *tu_top(const char *rel);
/* A program running in the background, its stdout and stderr going to
 * files of its own (unlinked), read back when it is reaped. */
struct tu_child {
	pid_t pid;
	int outfd, errfd;
	int reaped, status;	/* status once reaped: exit code or 128+signal */
};
/* Start argv (argv[0] searched in PATH) with the extra environment env
 * ("K=V", NULL-terminated, or NULL) in cwd (NULL: here).  0, or -1 with
 * errno when it could not be started; asserts nothing, so servers can be
 * started with it before the tests run. */
int tu_launch(struct tu_child *c, const char *const *argv, const char *const *env,
    const char *cwd);
/* The same for the powerreport binary, argv without argv[0]. */
int tu_launch_bin(struct tu_child *c, const char *const *argv, const char *const *env,
    const char *cwd);
/* Whether it still runs (reaping it when it has ended). */
int tu_running(struct tu_child *c);
/* Wait up to limit seconds until what it said on stderr holds want (or it
 * has ended); 1 if it does. */
int tu_child_says(struct tu_child *c, const char *want, double limit);
/* Wait for it through any signal, SIGKILLing it after limit seconds (< 0:
 * no limit), so a run that hangs fails its test instead of hanging it; its
 * status and all it said.  The files are closed. */
struct run_result tu_reap(struct tu_child *c, double limit);
/* Run the powerreport binary with argv (NULL-terminated, without argv[0]),
 * extra environment entries env ("K=V", NULL-terminated or NULL), in cwd
 * (NULL: current). */
struct run_result tu_run(const char *const *argv, const char *const *env, const char *cwd);
/* The same for any program: argv[0] is the program (searched in PATH), so
 * the binary can run under a wrapper (prlimit, valgrind). */
struct run_result tu_run_cmd(const char *const *argv, const char *const *env, const char *cwd);
/* Path of the powerreport binary under test. */
const char *tu_bin(void);
void tu_run_free(struct run_result *r);
/* Whole file, NUL-terminated (NULL if unreadable); its byte length in *len
 * when len is not NULL (binary files too). */
char *tu_read(const char *path, size_t *len);
/* Write text to path (creating it). */
void tu_write(const char *path, const char *text);
/* 1 if path exists (lstat). */
int tu_exists(const char *path);
/* Number of entries in a directory, not counting . and .. (-1 if none). */
int tu_count_entries(const char *dir);
/* Run a Check suite and return the exit status for main(). */
int tu_main(Suite *s);

#endif
