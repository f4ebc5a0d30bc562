/*
 * sacct.c - running Slurm's sacct for one job.  Two things ask it: the job
 * lookup (jobdb.c: who, where, when) and the CPU efficiency
 * (cpu_efficiency.c: TotalCPU, ElapsedRaw, AllocCPUS).  Both need the same
 * care: no shell (the job id is data), times as epoch seconds whatever the
 * user's SLURM_TIME_FORMAT, stderr kept aside (it tells a machine without
 * Slurm accounting from a failing slurmdbd), and a bound on the wait, after
 * which sacct is killed, so a slurmdbd that does not answer cannot hold a
 * report (or an epilog worker) for ever.
 */
#include "sacct.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"

extern char **environ;

bool
sacct_installed(void)
{
	const char *path = getenv("PATH");
	char *copy, *save = NULL, *d, *full;
	bool found = false;

	if (path == NULL)
		path = "/usr/bin:/bin";
	copy = xstrdup(path);
	for (d = strtok_r(copy, ":", &save); d != NULL && !found; d = strtok_r(NULL, ":", &save)) {
		full = xasprintf("%s/sacct", d);
		found = access(full, X_OK) == 0;
		free(full);
	}
	free(copy);
	return found;
}

/* 1 to 9 digits at s, then end (the length), or 0. */
static size_t
digits(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= 9 ? n : 0;
}

bool
sacct_job_id(const char *id)
{
	size_t n = digits(id);

	if (n == 0)
		return false;
	if (id[n] == '_')
		return digits(id + n + 1) > 0 && id[n + 1 + digits(id + n + 1)] == '\0';
	return id[n] == '\0';
}

int
sacct_timeout_s(const struct config *cfg)
{
	return cfg->connect_timeout_s + (cfg->statement_timeout_ms + 999) / 1000;
}

/* Read what fd gives into buf (NUL-terminated, the rest dropped) until EOF
 * or until timeout_ms have passed.  0 at EOF, -1 on timeout or error. */
static int
read_until(int fd, char *buf, size_t size, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec now;
	char chunk[4096];
	long long deadline;
	size_t n = 0;
	ssize_t r;
	int left;

	clock_gettime(CLOCK_MONOTONIC, &now);
	deadline = now.tv_sec * 1000LL + now.tv_nsec / 1000000 + timeout_ms;
	buf[0] = '\0';
	for (;;) {
		if (pr_interrupted)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (int)(deadline - (now.tv_sec * 1000LL + now.tv_nsec / 1000000));
		if (left <= 0 || (poll(&pfd, 1, left) < 0 && errno != EINTR))
			return -1;
		if (pfd.revents == 0)
			continue;
		r = read(fd, chunk, sizeof chunk);
		if (r == 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		for (ssize_t i = 0; i < r && n < size - 1; i++)
			buf[n++] = chunk[i];
		buf[n] = '\0';
	}
}

/* The environment with SLURM_TIME_FORMAT=%s (the array only: the strings
 * are environ's). */
static char **
epoch_env(void)
{
	size_t i, n = 0;
	char **env;

	for (i = 0; environ[i] != NULL; i++)
		;
	env = xcalloc(i + 2, sizeof *env);
	for (i = 0; environ[i] != NULL; i++)
		if (strncmp(environ[i], "SLURM_TIME_FORMAT=", 18) != 0)
			env[n++] = environ[i];
	env[n] = "SLURM_TIME_FORMAT=%s";
	return env;
}

/* What sacct says when there is no accounting to ask: not configured on
 * this machine, or the cluster stores none. */
static const char *const no_accounting[] = {
	"Could not establish a configuration source",
	"accounting storage is disabled",
};

/* Whether the stderr sacct left in fd (a memfd) says so. */
static bool
says_no_accounting(int fd)
{
	char buf[4096];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);

	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (size_t i = 0; i < sizeof no_accounting / sizeof *no_accounting; i++)
		if (strstr(buf, no_accounting[i]) != NULL)
			return true;
	return false;
}

/* sacct with argv, its stdout into out, its stderr into err (< 0:
 * /dev/null), the environment's times as epoch seconds; 0 or an errno. */
static int
spawn(char **argv, int out, int out_other_end, int err, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	char **env = epoch_env();
	int st;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_addclose(&fa, out_other_end);
	if (err >= 0)
		posix_spawn_file_actions_adddup2(&fa, err, 2);
	else
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	st = posix_spawnp(pid, "sacct", &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	return st;
}

int
sacct_run(const char *jobid, const char *format, bool steps, int timeout_s,
    char **line)
{
	char *fmt = xasprintf("--format=%s", format);
	char *argv[] = { "sacct", "-j", (char *)jobid, "-P", "-n", fmt, "-X", NULL };
	char buf[8192];
	int fds[2], st, timed_out, errfd = memfd_create("sacct-stderr", MFD_CLOEXEC);
	pid_t pid;

	*line = NULL;
	if (steps)
		argv[6] = NULL;
	st = pipe(fds);
	if (st == 0) {
		st = spawn(argv, fds[1], fds[0], errfd, &pid);
		close(fds[1]);
		if (st != 0)
			close(fds[0]);
	}
	free(fmt);
	if (st != 0) {
		st = SACCT_NOT_RUN;
	} else {
		timed_out = read_until(fds[0], buf, sizeof buf, timeout_s * 1000) != 0;
		close(fds[0]);
		if (timed_out)
			kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		st = timed_out ? SACCT_TIMED_OUT : WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	}
	if (st > 0 && errfd >= 0 && says_no_accounting(errfd))
		st = SACCT_NO_ACCOUNTING;
	if (errfd >= 0)
		close(errfd);
	if (st >= 0) {
		buf[strcspn(buf, "\n")] = '\0';
		*line = xstrdup(buf);
	}
	return st;
}
