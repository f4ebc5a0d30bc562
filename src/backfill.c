/*
 * backfill.c - a bounded pool of workers making one report each (see
 * backfill.h).  A worker is a fork of this process running the ordinary
 * single-job run(), so each report is as atomic as always and a crash or
 * leak in one job cannot touch another.  What a worker prints (its report's
 * path, or its one-line failure) comes back through a pipe and becomes the
 * job's summary line.
 *
 * The signals that ask us to stop, and SIGCHLD, are blocked except inside
 * sigsuspend(), so neither a worker's end nor a SIGTERM can slip in between
 * a check and the wait: a SIGTERM is passed on to every running worker at
 * once, no new one starts, and all are waited for.
 */
#include "backfill.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "error.h"
#include "jobids.h"
#include "run.h"
#include "strbuf.h"

#define SAID_MAX 4096		/* what a worker says: a path or a message */
#define LIST_MAX 50		/* failed ids named in the closing message */

struct worker {
	pid_t pid;		/* 0: free slot */
	int fd;			/* read end of the worker's stdout */
	size_t job;		/* index into the id list */
};

struct pool {
	const struct options *o;
	struct strlist *ids;
	struct worker *w;
	int nw;
	size_t next, running, failed;
	int *status;		/* each job's exit status, in list order */
	bool forwarded;
	sigset_t wait_mask;	/* the mask to sigsuspend with */
};

static void
on_child(int sig)
{
	(void)sig;
}

/* Inside a worker: one job as `powerreport ID`, its path or failure to fd. */
static void
work(const struct pool *p, size_t job, int fd)
{
	struct options o = *p->o;
	int rc;

	sigprocmask(SIG_SETMASK, &p->wait_mask, NULL);
	signal(SIGCHLD, SIG_DFL);
	if (dup2(fd, STDOUT_FILENO) < 0)
		_exit(PR_EINTERNAL);
	close(fd);
	if (pr_verbosity == 1)
		pr_verbosity = 0;	/* the summary line says it; warnings stay */
	o.mode = MODE_JOBID;
	o.job_id = p->ids->v[job];
	o.user = NULL;		/* a filter here, not a name to show */
	rc = run(&o);
	if (rc != PR_OK)
		printf("%s", pr_errmsg()[0] ? pr_errmsg() : "failed without a message");
	fflush(stdout);
	_exit(rc);
}

static int
start(struct pool *p, struct worker *w)
{
	int fds[2];

	if (pipe(fds) != 0)
		return pr_fail(PR_EINTERNAL, "cannot make a pipe for a worker: %s",
		    strerror(errno));
	fflush(stdout);
	fflush(stderr);
	if ((w->pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		w->pid = 0;
		return pr_fail(PR_EINTERNAL, "cannot start a worker: %s", strerror(errno));
	}
	if (w->pid == 0) {
		close(fds[0]);
		work(p, p->next, fds[1]);
	}
	close(fds[1]);
	w->fd = fds[0];
	w->job = p->next++;
	p->running++;
	return PR_OK;
}

/* What the worker wrote, up to SAID_MAX bytes, its first line kept. */
static void
said(int fd, char *buf)
{
	size_t n = 0;
	ssize_t r;

	while (n < SAID_MAX - 1 && ((r = read(fd, buf + n, SAID_MAX - 1 - n)) > 0 ||
	    (r < 0 && errno == EINTR)))
		n += r > 0 ? (size_t)r : 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static void
finish(struct pool *p, struct worker *w, int status)
{
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : PR_EINTERNAL;
	const char *id = p->ids->v[w->job];
	char buf[SAID_MAX];

	said(w->fd, buf);
	close(w->fd);
	if (rc == PR_OK)
		printf("%s ok %s\n", id, buf);
	else if (WIFSIGNALED(status))
		printf("%s failed (killed by signal %d)\n", id, WTERMSIG(status));
	else
		printf("%s failed (exit %d): %s\n", id, rc, buf);
	fflush(stdout);
	p->status[w->job] = rc;
	p->failed += rc != PR_OK;
	w->pid = 0;
	p->running--;
}

/* Reap every worker that has ended; 1 if any had. */
static int
reap(struct pool *p)
{
	int status, any = 0;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (int i = 0; i < p->nw; i++)
			if (p->w[i].pid == pid) {
				finish(p, &p->w[i], status);
				any = 1;
			}
	return any;
}

static void
forward_signal(struct pool *p)
{
	for (int i = 0; i < p->nw; i++)
		if (p->w[i].pid > 0)
			kill(p->w[i].pid, SIGTERM);
	p->forwarded = true;
}

static int
drive(struct pool *p)
{
	int rc = PR_OK;

	while (p->running > 0 || (p->next < p->ids->n && !pr_interrupted && rc == PR_OK)) {
		for (int i = 0; i < p->nw && rc == PR_OK && !pr_interrupted &&
		    p->next < p->ids->n; i++)
			if (p->w[i].pid == 0)
				rc = start(p, &p->w[i]);
		if (pr_interrupted && !p->forwarded)
			forward_signal(p);
		if (!reap(p) && p->running > 0)
			sigsuspend(&p->wait_mask);
	}
	return rc;
}

/* The closing message: which jobs failed (the first LIST_MAX, in list
 * order); the status is the first failed job's. */
static int
verdict(const struct pool *p)
{
	struct strbuf list = { 0 };
	int rc = PR_OK, first = PR_OK;
	size_t named = 0;

	for (size_t i = 0; i < p->ids->n; i++) {
		if (p->status[i] == PR_OK)
			continue;
		if (first == PR_OK)
			first = p->status[i];
		if (named++ < LIST_MAX)
			strbuf_printf(&list, " %s", p->ids->v[i]);
	}
	if (named > LIST_MAX)
		strbuf_puts(&list, " ...");
	if (pr_interrupted)
		rc = pr_fail(PR_EINTR, "interrupted by a signal: %zu of %zu jobs "
		    "done, %zu failed, %zu not started", p->next - p->failed,
		    p->ids->n, p->failed, p->ids->n - p->next);
	else if (p->failed > 0)
		rc = pr_fail(first, "%zu of %zu jobs failed:%s (each line "
		    "above says why)", p->failed, p->ids->n, list.s);
	free(list.s);
	return rc;
}

static int
select_ids(const struct options *o, struct strlist *ids)
{
	struct jobids_filter f = { .user = o->user, .partition = o->partition };
	struct config cfg;
	int rc;

	if (o->jobs_from != NULL)
		return jobids_from_file(o->jobs_from, ids);
	config_defaults(&cfg);
	rc = config_find_and_load(&cfg, o->config);
	if (rc == PR_OK)
		rc = time_set_zone(o->timezone != NULL ? o->timezone : cfg.timezone);
	if (rc == PR_OK)
		rc = time_parse_date(o->jobs_since, &f.since);
	if (rc == PR_OK && o->jobs_until != NULL)
		rc = time_parse_date(o->jobs_until, &f.until);
	if (rc == PR_OK)
		rc = jobids_since(&cfg, &f, ids);
	config_free(&cfg);
	return rc;
}

int
backfill(const struct options *o)
{
	struct strlist ids = { 0 };
	struct pool p = { .o = o, .ids = &ids, .nw = o->parallel };
	sigset_t block;
	struct sigaction sa;
	int rc = select_ids(o, &ids);

	if (rc == PR_OK && o->jobs_from != NULL)
		jobids_unique(&ids);
	if (rc != PR_OK) {
		strlist_free(&ids);
		return rc;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &p.wait_mask);
	p.w = xcalloc((size_t)p.nw, sizeof *p.w);
	p.status = xcalloc(ids.n + 1, sizeof *p.status);
	rc = drive(&p);
	sigprocmask(SIG_SETMASK, &p.wait_mask, NULL);
	if (rc == PR_OK)
		rc = verdict(&p);
	free(p.w);
	free(p.status);
	strlist_free(&ids);
	return rc;
}
