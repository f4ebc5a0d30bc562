/*
 * testutil.c - shared helpers of the Check tests (see testutil.h).
 */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"

extern char **environ;

char *
tu_tmpdir(void)
{
	char tmpl[] = "/tmp/prtest.XXXXXX";
	char *d = mkdtemp(tmpl);

	ck_assert_ptr_nonnull(d);
	chmod(d, 0755);
	return strdup(d);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	chmod(path, 0700);
	return remove(path);
}

void
tu_rmrf(const char *path)
{
	if (path != NULL)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_scratch;

void
tu_scratch_setup(void)
{
	tu_scratch = tu_tmpdir();
	pr_errclear();	/* each test starts with no failure recorded */
}

void
tu_scratch_teardown(void)
{
	tu_rmrf(tu_scratch);
	free(tu_scratch);
	tu_scratch = NULL;
}

char *
tu_victim(void)
{
	char *victim = tu_tmpdir(), *keep;

	ck_assert(asprintf(&keep, "%s/precious", victim) > 0);
	tu_write(keep, "mine");
	free(keep);
	return victim;
}

void
tu_victim_untouched(char *victim)
{
	char *keep, *s;

	ck_assert(asprintf(&keep, "%s/precious", victim) > 0);
	s = tu_read(keep, NULL);
	ck_assert_msg(s != NULL && strcmp(s, "mine") == 0, "%s was changed", keep);
	ck_assert_int_eq(tu_count_entries(victim), 1);
	free(s);
	free(keep);
	tu_rmrf(victim);
	free(victim);
}

char *
tu_top(const char *rel)
{
	const char *top = getenv("POWERREPORT_TOP");
	char *p;

	if (top == NULL)
		top = ".";
	if (asprintf(&p, "%s/%s", top, rel) < 0)
		abort();
	return p;
}

/* All in the file fd from its start, NUL-terminated, its length in *len
 * (when not NULL); by pread, since a running child writing to the file
 * shares its offset. */
static char *
read_all(int fd, size_t *len)
{
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t r;

	while ((r = pread(fd, buf + n, cap - n - 1, (off_t)n)) > 0 ||
	    (r < 0 && errno == EINTR)) {
		if (r > 0)
			n += (size_t)r;
		if (cap - n < 2)
			buf = realloc(buf, cap *= 2);
	}
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

const char *
tu_bin(void)
{
	const char *bin = getenv("POWERREPORT_BIN");

	ck_assert_msg(bin != NULL, "POWERREPORT_BIN is not set (run via make check)");
	return bin;
}

/* An unlinked temporary file open for reading and writing, not passed on
 * to programs started (only as a child's stdout or stderr); -1 on failure. */
static int
scratch_file(void)
{
	char path[] = "/tmp/prout.XXXXXX";
	int fd = mkostemp(path, O_CLOEXEC);

	if (fd >= 0)
		unlink(path);
	return fd;
}

int
tu_launch(struct tu_child *c, const char *const *argv, const char *const *env,
    const char *cwd)
{
	*c = (struct tu_child){ -1, scratch_file(), scratch_file(), 0, -1 };
	fflush(NULL);
	if (c->outfd < 0 || c->errfd < 0 || (c->pid = fork()) < 0) {
		int e = errno;

		close(c->outfd);
		close(c->errfd);
		errno = e;
		return -1;
	}
	if (c->pid == 0) {
		for (size_t i = 0; env != NULL && env[i] != NULL; i++)
			putenv((char *)env[i]);
		if (cwd != NULL && chdir(cwd) != 0)
			_exit(126);
		dup2(c->outfd, 1);
		dup2(c->errfd, 2);
		execvp(argv[0], (char **)argv);
		_exit(127);
	}
	return 0;
}

/* Reap the child if it has ended (block: wait for it); 1 once reaped. */
static int
try_reap(struct tu_child *c, int block)
{
	pid_t got;
	int st;

	if (c->reaped)
		return 1;
	while ((got = waitpid(c->pid, &st, block ? 0 : WNOHANG)) < 0 && errno == EINTR)
		;
	if (got != c->pid)
		return 0;
	c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	c->reaped = 1;
	return 1;
}

int
tu_running(struct tu_child *c)
{
	return !try_reap(c, 0);
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

int
tu_child_says(struct tu_child *c, const char *want, double limit)
{
	const struct timespec nap = { 0, 10 * 1000 * 1000 };
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int ended = !tu_running(c);
		char *err = read_all(c->errfd, NULL);
		int said = strstr(err, want) != NULL;

		free(err);
		if (said || ended || seconds_since(&t0) > limit)
			return said;
		nanosleep(&nap, NULL);
	}
}

struct run_result
tu_reap(struct tu_child *c, double limit)
{
	const struct timespec nap = { 0, 10 * 1000 * 1000 };
	struct run_result r;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (limit >= 0 && tu_running(c)) {
		if (seconds_since(&t0) > limit) {
			kill(c->pid, SIGKILL);
			break;
		}
		nanosleep(&nap, NULL);
	}
	try_reap(c, 1);
	r.status = c->status;
	r.out = read_all(c->outfd, NULL);
	r.err = read_all(c->errfd, NULL);
	close(c->outfd);
	close(c->errfd);
	return r;
}

struct run_result
tu_run_cmd(const char *const *argv, const char *const *env, const char *cwd)
{
	struct tu_child c;

	ck_assert_msg(tu_launch(&c, argv, env, cwd) == 0, "cannot start %s: %s", argv[0],
	    strerror(errno));
	return tu_reap(&c, -1);
}

int
tu_launch_bin(struct tu_child *c, const char *const *argv, const char *const *env,
    const char *cwd)
{
	size_t n = 0;
	const char **av;
	int rc;

	while (argv[n] != NULL)
		n++;
	av = calloc(n + 2, sizeof *av);
	av[0] = tu_bin();
	memcpy(av + 1, argv, n * sizeof *av);
	rc = tu_launch(c, av, env, cwd);
	free(av);
	return rc;
}

struct run_result
tu_run(const char *const *argv, const char *const *env, const char *cwd)
{
	struct tu_child c;

	ck_assert_msg(tu_launch_bin(&c, argv, env, cwd) == 0, "cannot start %s: %s", tu_bin(),
	    strerror(errno));
	return tu_reap(&c, -1);
}

void
tu_run_free(struct run_result *r)
{
	free(r->out);
	free(r->err);
}

char *
tu_read(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	char *s;

	if (fd < 0)
		return NULL;
	s = read_all(fd, len);
	close(fd);
	return s;
}

void
tu_write(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_msg(fp != NULL, "cannot write %s", path);
	fputs(text, fp);
	fclose(fp);
}

int
tu_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int
tu_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

int
tu_main(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
