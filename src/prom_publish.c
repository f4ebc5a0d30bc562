/*
 * prom_publish.c - after the report directory is in place, its metrics go
 * to the Pushgateway (pushgateway.c) and/or into node_exporter's textfile
 * directory as powerreport_job_<id>.prom, written under a hidden temporary
 * name (which the collector ignores) and renamed, so the collector never
 * reads half a file.
 */
#include "prom_publish.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "metrics_prom.h"
#include "pushgateway.h"

/* powerreport_job_<id>.prom with anything but [A-Za-z0-9_.-] in the id
 * made '_' (malloc'd). */
static char *
textfile_name(const char *job_id)
{
	char *id = xstrdup(job_id), *name;

	for (char *p = id; *p != '\0'; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_.-", *p) == NULL)
			*p = '_';
	name = xasprintf("powerreport_job_%s.prom", id);
	free(id);
	return name;
}

static int
write_all(int fd, const char *s, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, s, n)) < 0 && errno != EINTR)
			return -1;
		if (w > 0)
			s += w, n -= (size_t)w;
	}
	return 0;
}

/* dir/name, whole or not at all; PR_EOUTPUT with a message on failure. */
static int
write_textfile(const char *dir, const char *name, const struct strbuf *b)
{
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	char *final = xasprintf("%s/%s", dir, name);
	int fd = mkstemp(tmp), rc = PR_OK, ok, err;

	if (fd < 0) {
		rc = pr_fail(PR_EOUTPUT, "textfile directory %s: %s", dir, strerror(errno));
	} else {
		ok = write_all(fd, b->s, b->len) == 0 && fchmod(fd, 0644) == 0 &&
		    fsync(fd) == 0;
		err = errno;
		ok = close(fd) == 0 && ok;
		if (!ok || rename(tmp, final) != 0) {
			rc = pr_fail(PR_EOUTPUT, "writing %s: %s", final,
			    strerror(ok ? errno : err));
			unlink(tmp);
		}
	}
	free(tmp);
	free(final);
	return rc;
}

/* A failed publication is a warning: the report is already in place. */
static void
warn(void)
{
	pr_log(0, "warning: %s; the report itself is written", pr_errmsg());
	pr_errclear();
}

int
prom_publish(const struct report *rep)
{
	const struct prom_config *pc = &rep->cfg->prom;
	struct strbuf b = { 0 };
	char *name;
	int rc = PR_OK;

	if (pc->pushgateway_url == NULL && pc->textfile_dir == NULL)
		return PR_OK;
	metrics_prom_text(rep, &b);
	if (pc->textfile_dir != NULL) {
		name = textfile_name(rep->job->id);
		if ((rc = write_textfile(pc->textfile_dir, name, &b)) != PR_OK)
			warn();
		free(name);
	}
	if (pc->pushgateway_url != NULL) {
		rc = pushgateway_send(pc, rep->job->id, b.s);
		if (rc != PR_OK && rc != PR_EINTR)
			warn();
	}
	free(b.s);
	return rc == PR_EINTR ? rc : PR_OK;
}
