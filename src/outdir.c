/*
 * outdir.c - write the report into a hidden temporary sibling, then move it
 * into place in one step, so readers never see half a report and a failed
 * run keeps the previous one (see outdir.h).
 */
#include "outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

int
outdir_begin(struct outdir *od, const char *parent, const char *jobid)
{
	struct stat st;
	mode_t mask;

	memset(od, 0, sizeof *od);
	if (stat(parent, &st) != 0)
		return pr_fail(PR_EOUTPUT, "output directory %s: %s: create it or "
		    "choose another with --outdir", parent, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return pr_fail(PR_EOUTPUT, "output directory %s is not a directory: "
		    "choose another with --outdir", parent);
	od->parent = xstrdup(parent);
	od->final = xasprintf("%s/power_%s", parent, jobid);
	od->tmp = xasprintf("%s/.power_%s.XXXXXX", parent, jobid);
	if (mkdtemp(od->tmp) == NULL) {
		int e = errno;
		free(od->tmp);
		od->tmp = NULL;
		return pr_fail(PR_EOUTPUT, "cannot write in %s: %s: choose a writable "
		    "directory with --outdir", parent, strerror(e));
	}
	mask = umask(0);
	umask(mask);
	chmod(od->tmp, 0777 & ~mask);
	return PR_OK;
}

char *
outdir_path(const struct outdir *od, const char *name)
{
	return xasprintf("%s/%s", od->tmp, name);
}

FILE *
outdir_fopen(const struct outdir *od, const char *name)
{
	char *path = outdir_path(od, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	FILE *fp = fd < 0 ? NULL : fdopen(fd, "w");

	if (fp == NULL) {
		pr_fail(PR_EOUTPUT, "cannot create %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	free(path);
	return fp;
}

int
outdir_fclose(FILE *fp, const char *name)
{
	int bad = fflush(fp) != 0 || ferror(fp);
	int e = errno;

	if (fclose(fp) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (bad)
		return pr_fail(PR_EOUTPUT, "writing %s failed: %s: free some space "
		    "or choose another directory with --outdir", name, strerror(e));
	return PR_OK;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove path and, when it is a real directory, everything below it; links
 * are removed themselves, never followed. */
static void
remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int
outdir_commit(struct outdir *od)
{
	/* First report for this job: a plain rename that refuses to replace. */
	if (renameat2(AT_FDCWD, od->tmp, AT_FDCWD, od->final, RENAME_NOREPLACE) == 0)
		goto done;
	if (errno != EEXIST)
		return pr_fail(PR_EOUTPUT, "cannot move the report to %s: %s",
		    od->final, strerror(errno));
	/* An earlier report (or anything else, a symlink included) is there:
	 * swap the two atomically; the old one now sits at the temporary name. */
	if (renameat2(AT_FDCWD, od->tmp, AT_FDCWD, od->final, RENAME_EXCHANGE) != 0)
		return pr_fail(PR_EOUTPUT, "cannot replace %s: %s", od->final,
		    strerror(errno));
	remove_tree(od->tmp);
done:
	free(od->tmp);
	od->tmp = NULL;
	return PR_OK;
}

void
outdir_abort(struct outdir *od)
{
	if (od->tmp == NULL)
		return;
	remove_tree(od->tmp);
	free(od->tmp);
	od->tmp = NULL;
}

void
outdir_free(struct outdir *od)
{
	outdir_abort(od);
	free(od->parent);
	free(od->final);
	od->parent = od->final = NULL;
}
