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
#include <unistd.h>

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
}

void
tu_scratch_teardown(void)
{
	tu_rmrf(tu_scratch);
	free(tu_scratch);
	tu_scratch = NULL;
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

static char *
drain_len(int fd, size_t *len)
{
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t r;

	while ((r = read(fd, buf + n, cap - n - 1)) > 0) {
		n += (size_t)r;
		if (cap - n < 2)
			buf = realloc(buf, cap *= 2);
	}
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

static char *
drain(int fd)
{
	return drain_len(fd, NULL);
}

const char *
tu_bin(void)
{
	const char *bin = getenv("POWERREPORT_BIN");

	ck_assert_msg(bin != NULL, "POWERREPORT_BIN is not set (run via make check)");
	return bin;
}

struct run_result
tu_run_cmd(const char *const *argv, const char *const *env, const char *cwd)
{
	struct run_result r = { -1, NULL, NULL };
	char outp[] = "/tmp/prout.XXXXXX", errp[] = "/tmp/prerr.XXXXXX";
	int ofd = mkstemp(outp), efd = mkstemp(errp), st;
	pid_t pid;

	ck_assert(ofd >= 0 && efd >= 0);
	pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		for (size_t i = 0; env != NULL && env[i] != NULL; i++)
			putenv((char *)env[i]);
		if (cwd != NULL && chdir(cwd) != 0)
			_exit(126);
		dup2(ofd, 1);
		dup2(efd, 2);
		execvp(argv[0], (char **)argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	lseek(ofd, 0, SEEK_SET);
	lseek(efd, 0, SEEK_SET);
	r.out = drain(ofd);
	r.err = drain(efd);
	close(ofd);
	close(efd);
	unlink(outp);
	unlink(errp);
	return r;
}

struct run_result
tu_run(const char *const *argv, const char *const *env, const char *cwd)
{
	size_t n = 0;
	const char **av;
	struct run_result r;

	while (argv[n] != NULL)
		n++;
	av = calloc(n + 2, sizeof *av);
	av[0] = tu_bin();
	memcpy(av + 1, argv, n * sizeof *av);
	r = tu_run_cmd(av, env, cwd);
	free(av);
	return r;
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
	s = drain_len(fd, len);
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
