/*
 * outdir.c - write the report into a hidden temporary sibling, then move it
 * into place in one step, so readers never see half a report and a failed
 * run keeps the previous one.  Everything after opening the parent goes
 * through directory descriptors, so names swapped for links by a neighbour
 * who can write the parent are never followed (see outdir.h).
 */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#define TMP_PREFIX ".power_"

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* "uid 1001 (bob)", or just "uid 1001" for a uid without a name. */
static char *
describe_uid(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	if (pw == NULL)
		return xasprintf("uid %u", (unsigned)uid);
	return xasprintf("uid %u (%s)", (unsigned)uid, pw->pw_name);
}

/* The last component of path is a symlink: follow it once, only when the
 * link itself belongs to the running user or root (nobody else can then have
 * planted it), and only to a directory that is not a link again. */
static int
open_via_link(const char *path)
{
	int lfd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC), base, fd = -1;
	char target[PATH_MAX], *copy;
	struct stat st = { 0 };
	ssize_t n = -1;

	if (lfd >= 0 && fstat(lfd, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (st.st_uid == geteuid() || st.st_uid == 0))
		n = readlinkat(lfd, "", target, sizeof target - 1);
	if (lfd >= 0)
		close(lfd);
	if (n <= 0) {
		errno = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
		return -1;
	}
	target[n] = '\0';
	copy = xstrdup(path);
	base = target[0] == '/' ? AT_FDCWD : open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (base != -1)
		fd = openat(base, target, DIR_FLAGS);
	if (base >= 0)
		close(base);
	return fd;
}

/* The parent, opened once.  Trailing slashes are dropped first: "link/"
 * would make the kernel follow the link whatever O_NOFOLLOW says. */
static int
open_parent(struct outdir *od)
{
	char *p = xstrdup(od->parent);
	size_t n = strlen(p);
	int e;

	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	od->pfd = open(p, DIR_FLAGS);
	if (od->pfd < 0 && (errno == ELOOP || errno == ENOTDIR))
		od->pfd = open_via_link(p);
	e = errno;
	free(p);
	if (od->pfd >= 0)
		return PR_OK;
	if (e == ENOTDIR)
		return pr_fail(PR_EOUTPUT, "output directory %s is not a directory: "
		    "choose another with --outdir", od->parent);
	if (e == ELOOP)
		return pr_fail(PR_EOUTPUT, "output directory %s is a symbolic link "
		    "of another user (or to another link): give the real "
		    "directory with --outdir", od->parent);
	return pr_fail(PR_EOUTPUT, "output directory %s: %s: create it or "
	    "choose another with --outdir", od->parent, strerror(e));
}

/* Root never creates files in another user's directory as root: it becomes
 * the directory's owner (and that user's primary group) for good. */
static int
become_owner(const struct outdir *od)
{
	struct stat st;
	struct passwd *pw;
	char *who;
	gid_t gid;

	if (geteuid() != 0)
		return PR_OK;
	if (fstat(od->pfd, &st) != 0)
		return pr_fail(PR_EOUTPUT, "output directory %s: %s", od->parent,
		    strerror(errno));
	if (st.st_uid == 0)
		return PR_OK;
	pw = getpwuid(st.st_uid);
	gid = pw != NULL ? pw->pw_gid : st.st_gid;
	if (setgroups(1, &gid) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(st.st_uid, st.st_uid, st.st_uid) != 0)
		return pr_fail(PR_EOUTPUT, "cannot switch to uid %u, the owner of "
		    "%s: %s: run as that user or choose another directory with "
		    "--outdir", (unsigned)st.st_uid, od->parent, strerror(errno));
	who = describe_uid(st.st_uid);
	pr_log(1, "%s belongs to %s: writing it, and reading the database, as "
	    "that user", od->parent, who);
	free(who);
	return PR_OK;
}

/* A power_<id> already there must be the running user's own; *st gets what
 * it is (all zero when there is none). */
static int
check_existing(const struct outdir *od, struct stat *st)
{
	char *who;

	if (fstatat(od->pfd, od->name, st, AT_SYMLINK_NOFOLLOW) != 0) {
		memset(st, 0, sizeof *st);
		return PR_OK;
	}
	if (st->st_uid == geteuid())
		return PR_OK;
	who = describe_uid(st->st_uid);
	pr_fail(PR_EOUTPUT, "%s belongs to %s, not to you (uid %u): it is not "
	    "replaced; ask them or an admin to remove it, or choose another "
	    "directory with --outdir", od->final, who, (unsigned)geteuid());
	free(who);
	return PR_EOUTPUT;
}

/* mkdirat under a fresh random name, mode 0700 until the commit: nobody can
 * look in or plant anything while the report is written.  The lock tells
 * outdir_sweep of another run that this one is alive. */
static int
make_tmp(struct outdir *od, const char *jobid)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[6];
	struct stat st;
	int e = EEXIST;

	for (int tries = 0; tries < 100 && e == EEXIST; tries++) {
		if (getrandom(rnd, sizeof rnd, 0) != sizeof rnd)
			return pr_fail(PR_EINTERNAL, "getrandom: %s", strerror(errno));
		free(od->tmpname);
		od->tmpname = xasprintf(TMP_PREFIX "%s.%c%c%c%c%c%c", jobid,
		    abc[rnd[0] % 62], abc[rnd[1] % 62], abc[rnd[2] % 62],
		    abc[rnd[3] % 62], abc[rnd[4] % 62], abc[rnd[5] % 62]);
		e = mkdirat(od->pfd, od->tmpname, 0700) == 0 ? 0 : errno;
	}
	/* Opened by name once more: it must be the directory just made. */
	if (e == 0 && (od->tfd = openat(od->pfd, od->tmpname, DIR_FLAGS)) >= 0 &&
	    fstat(od->tfd, &st) == 0 && st.st_uid == geteuid() &&
	    (st.st_mode & 077) == 0) {
		flock(od->tfd, LOCK_EX | LOCK_NB);
		return PR_OK;
	}
	if (e == 0)
		e = od->tfd < 0 ? errno : EEXIST;
	if (od->tfd >= 0)
		close(od->tfd);
	od->tfd = -1;
	free(od->tmpname);
	od->tmpname = NULL;
	return pr_fail(PR_EOUTPUT, "cannot write in %s: %s: choose a writable "
	    "directory with --outdir", od->parent, strerror(e));
}

int
outdir_begin(struct outdir *od, const char *parent, const char *jobid)
{
	struct stat st;
	int rc;

	memset(od, 0, sizeof *od);
	od->pfd = od->tfd = -1;
	od->parent = xstrdup(parent);
	od->name = xasprintf("power_%s", jobid);
	od->final = xasprintf("%s/%s", parent, od->name);
	if ((rc = open_parent(od)) != PR_OK || (rc = become_owner(od)) != PR_OK ||
	    (rc = check_existing(od, &st)) != PR_OK)
		return rc;
	return make_tmp(od, jobid);
}

/* Call fn on every entry of the directory dfd except . and .. */
static void
each_entry(int dfd, void (*fn)(int dfd, const char *name, void *arg), void *arg)
{
	int fd = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	rewinddir(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			fn(dfd, e->d_name, arg);
	closedir(d);
}

/* A report directory is flat: a name is unlinked (a link is removed
 * itself), an empty directory removed; nothing is descended into. */
static void
remove_entry(int dfd, const char *name, void *arg)
{
	(void)arg;
	if (unlinkat(dfd, name, 0) != 0 && errno == EISDIR)
		unlinkat(dfd, name, AT_REMOVEDIR);
}

/* Empty the directory open at dfd and remove its name from the parent, but
 * only while that name still refers to the same directory. */
static void
remove_dir(const struct outdir *od, const char *name, int dfd)
{
	struct stat st, now;

	each_entry(dfd, remove_entry, NULL);
	if (fstat(dfd, &st) == 0 &&
	    fstatat(od->pfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    same_file(&st, &now) && unlinkat(od->pfd, name, AT_REMOVEDIR) != 0 &&
	    errno != ENOENT)
		pr_log(1, "cannot remove %s/%s: %s: remove it by hand",
		    od->parent, name, strerror(errno));
}

/* Open name in pfd as a directory of the running user that is the object
 * *want (when want is not NULL); -1 otherwise.  Never follows a link. */
static int
open_own_dir(int pfd, const char *name, const struct stat *want)
{
	int fd = openat(pfd, name, DIR_FLAGS);
	struct stat st;

	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_uid == geteuid() &&
	    (want == NULL || same_file(&st, want)))
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Newest modification time in a directory: the directory's own, or of any
 * file in it (raw_power.csv keeps changing while a long run streams). */
static void
newest_mtime(int dfd, const char *name, void *arg)
{
	time_t *newest = arg;
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_mtime > *newest)
		*newest = st.st_mtime;
}

struct sweep {
	const struct outdir *od;
	time_t cutoff;
};

static void
sweep_entry(int pfd, const char *name, void *arg)
{
	const struct sweep *sw = arg;
	struct stat st;
	time_t newest;
	int fd;

	if (strncmp(name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0 ||
	    (sw->od->tmpname != NULL && strcmp(name, sw->od->tmpname) == 0) ||
	    (fd = open_own_dir(pfd, name, NULL)) < 0)
		return;
	/* a live run holds its lock; a killed one's went with it (where
	 * directories cannot be locked, as on NFS, the age alone decides) */
	if ((flock(fd, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK) &&
	    fstat(fd, &st) == 0) {
		newest = st.st_mtime;
		each_entry(fd, newest_mtime, &newest);
		if (newest < sw->cutoff) {
			remove_dir(sw->od, name, fd);
			pr_log(1, "removed %s/%s, left by an interrupted run",
			    sw->od->parent, name);
		}
	}
	close(fd);
}

void
outdir_sweep(const struct outdir *od, int max_age_s)
{
	struct sweep sw = { od, time(NULL) - max_age_s };

	if (od->pfd >= 0)
		each_entry(od->pfd, sweep_entry, &sw);
}

FILE *
outdir_fopen(const struct outdir *od, const char *name)
{
	int fd = openat(od->tfd, name,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	FILE *fp = fd < 0 ? NULL : fdopen(fd, "w");

	if (fp == NULL) {
		pr_fail(PR_EOUTPUT, "cannot create %s/%s/%s: %s", od->parent,
		    od->tmpname, name, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
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

/* After the exchange the earlier report sits at the temporary name: remove
 * it if it is still the object checked before (old), else leave it be. */
static void
remove_old(struct outdir *od, const struct stat *old)
{
	struct stat now;
	int fd;

	if (S_ISDIR(old->st_mode)) {
		if ((fd = open_own_dir(od->pfd, od->tmpname, old)) >= 0) {
			remove_dir(od, od->tmpname, fd);
			close(fd);
			return;
		}
	} else if (fstatat(od->pfd, od->tmpname, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    same_file(&now, old)) {
		unlinkat(od->pfd, od->tmpname, 0);
		return;
	}
	pr_log(0, "%s/%s was swapped during the run: left as it is",
	    od->parent, od->tmpname);
}

/* What now sits at power_<id> must be this run's directory. */
static int
check_placed(const struct outdir *od)
{
	struct stat mine, there;

	if (fstat(od->tfd, &mine) == 0 &&
	    fstatat(od->pfd, od->name, &there, AT_SYMLINK_NOFOLLOW) == 0 &&
	    same_file(&mine, &there))
		return PR_OK;
	return pr_fail(PR_EOUTPUT, "the report directory was moved away from %s "
	    "while it was written: choose a directory only you can write with "
	    "--outdir", od->final);
}

static void
forget_tmp(struct outdir *od)
{
	close(od->tfd);
	od->tfd = -1;
	free(od->tmpname);
	od->tmpname = NULL;
}

/* An earlier report (or a link of ours) is at power_<id>: swap the two
 * atomically; the old one, described in *old, then sits at the temporary
 * name. */
static int
exchange(struct outdir *od, struct stat *old)
{
	int rc;

	if (errno != EEXIST)
		return pr_fail(PR_EOUTPUT, "cannot move the report to %s: %s",
		    od->final, strerror(errno));
	if ((rc = check_existing(od, old)) != PR_OK)
		return rc;
	if (renameat2(od->pfd, od->tmpname, od->pfd, od->name, RENAME_EXCHANGE) != 0)
		return pr_fail(PR_EOUTPUT, "cannot replace %s: %s", od->final,
		    strerror(errno));
	return PR_OK;
}

int
outdir_commit(struct outdir *od)
{
	mode_t mask = umask(0);
	struct stat old = { 0 };
	int rc;

	umask(mask);
	if (fchmod(od->tfd, 0777 & ~mask) != 0)
		return pr_fail(PR_EOUTPUT, "cannot set the permissions of %s: %s",
		    od->final, strerror(errno));
	/* First report for this job: a plain rename that refuses to replace. */
	if (renameat2(od->pfd, od->tmpname, od->pfd, od->name, RENAME_NOREPLACE) != 0 &&
	    (rc = exchange(od, &old)) != PR_OK)
		return rc;
	rc = check_placed(od);
	if (rc == PR_OK && old.st_mode != 0)
		remove_old(od, &old);
	forget_tmp(od);
	return rc;
}

void
outdir_abort(struct outdir *od)
{
	if (od->tmpname == NULL)
		return;
	remove_dir(od, od->tmpname, od->tfd);
	forget_tmp(od);
}

void
outdir_free(struct outdir *od)
{
	outdir_abort(od);
	if (od->pfd >= 0)
		close(od->pfd);
	od->pfd = -1;
	free(od->parent);
	free(od->final);
	free(od->name);
	od->parent = od->final = od->name = NULL;
}
