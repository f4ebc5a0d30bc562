/*
 * test_outdir.c - the report directory appears whole or not at all, replaces
 * an earlier one atomically, and never follows a planted symlink, not even
 * when a neighbour who can write the parent swaps names for links the moment
 * inotify tells them a run touched something (issue 16 part 5).  The
 * two-user cases run as root, which plays both users by their uids.
 */
#include "testutil.h"

#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "outdir.h"


static void
write_report(const char *text)
{
	struct outdir od;
	FILE *fp;

	ck_assert_int_eq(outdir_begin(&od, tu_scratch, "77"), PR_OK);
	fp = outdir_fopen(&od, "a.txt");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(outdir_fclose(fp, "a.txt"), PR_OK);
	ck_assert_int_eq(outdir_commit(&od), PR_OK);
	outdir_free(&od);
}

static char *
read_report(void)
{
	char *p, *s;

	ck_assert(asprintf(&p, "%s/power_77/a.txt", tu_scratch) > 0);
	s = tu_read(p, NULL);
	free(p);
	return s;
}

START_TEST(first_report_appears_whole)
{
	char *s;

	write_report("one");
	s = read_report();
	ck_assert_str_eq(s, "one");
	free(s);
	ck_assert_int_eq(tu_count_entries(tu_scratch), 1);	/* no temporary left */
}
END_TEST

START_TEST(regeneration_replaces_and_cleans_up)
{
	char *s;

	write_report("one");
	write_report("two");
	s = read_report();
	ck_assert_str_eq(s, "two");
	free(s);
	ck_assert_int_eq(tu_count_entries(tu_scratch), 1);
}
END_TEST

START_TEST(failed_run_keeps_previous_report)
{
	struct outdir od;
	FILE *fp;
	char *s;

	write_report("good");
	ck_assert_int_eq(outdir_begin(&od, tu_scratch, "77"), PR_OK);
	fp = outdir_fopen(&od, "a.txt");
	fputs("half", fp);
	fclose(fp);
	outdir_abort(&od);
	outdir_free(&od);
	s = read_report();
	ck_assert_str_eq(s, "good");
	free(s);
	ck_assert_int_eq(tu_count_entries(tu_scratch), 1);
}
END_TEST

START_TEST(planted_symlink_is_not_followed)
{
	char *victim = tu_victim(), *link;
	struct stat st;

	ck_assert(asprintf(&link, "%s/power_77", tu_scratch) > 0);
	ck_assert_int_eq(symlink(victim, link), 0);
	write_report("report");
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));		/* a real directory now */
	tu_victim_untouched(victim);
	free(link);
}
END_TEST

START_TEST(missing_parent_is_an_output_error)
{
	struct outdir od;
	char *p;

	ck_assert(asprintf(&p, "%s/nope", tu_scratch) > 0);
	ck_assert_int_eq(outdir_begin(&od, p, "77"), PR_EOUTPUT);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "--outdir"));
	outdir_free(&od);
	free(p);
}
END_TEST

START_TEST(existing_file_is_not_overwritten_inside)
{
	struct outdir od;
	FILE *fp;

	ck_assert_int_eq(outdir_begin(&od, tu_scratch, "77"), PR_OK);
	fp = outdir_fopen(&od, "x");
	fclose(fp);
	ck_assert_ptr_null(outdir_fopen(&od, "x"));	/* O_EXCL */
	outdir_free(&od);
	ck_assert_int_eq(tu_count_entries(tu_scratch), 0);
}
END_TEST

/* Two users of one project group, played by uid. */
#define GROUP 60000
#define VICTIM 60001
#define NEIGHBOUR 60002
#define NFILES 3000

static void
become(uid_t uid)
{
	gid_t gid = GROUP;

	if (setgroups(1, &gid) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(uid, uid, uid) != 0)
		_exit(120);
}

static char *
path_in(const char *parent, const char *name)
{
	char *p;

	ck_assert(asprintf(&p, "%s/%s", parent, name) > 0);
	return p;
}

/* tu_scratch/shared: root's, writable by the group, with the given mode (0770: a
 * group project directory; 01777: sticky like /tmp). */
static char *
shared_dir(mode_t mode)
{
	char *p = path_in(tu_scratch, "shared");

	ck_assert_int_eq(mkdir(p, 0700), 0);
	ck_assert_int_eq(chown(p, 0, GROUP), 0);
	ck_assert_int_eq(chmod(p, mode), 0);
	return p;
}

/* parent/name: a directory of uid holding NFILES empty files f0000... */
static char *
filled_dir(const char *parent, const char *name, uid_t uid)
{
	char *p = path_in(parent, name), f[PATH_MAX];
	int fd;

	ck_assert_int_eq(mkdir(p, 0755), 0);
	ck_assert_int_eq(chown(p, uid, GROUP), 0);
	for (int i = 0; i < NFILES; i++) {
		snprintf(f, sizeof f, "%s/f%04d", p, i);
		fd = open(f, O_WRONLY | O_CREAT | O_EXCL, 0644);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(fchown(fd, uid, GROUP), 0);
		close(fd);
	}
	return p;
}

/* Move parent's entry name aside and put a symlink to target in its place. */
static void
swap_for_link(int pfd, const char *name, const char *target)
{
	static int n;
	char stash[64];

	snprintf(stash, sizeof stash, "stash.%d", n++);
	if (renameat(pfd, name, pfd, stash) == 0)
		symlinkat(target, pfd, name);
}

/* The hostile neighbour, as NEIGHBOUR: watches parent with inotify.  With
 * watch == NULL it swaps every .power_* the moment it is created; else it
 * remembers the .power_* a rename brings in and swaps it when the directory
 * watch (which it can read) is opened.  Runs until killed. */
static pid_t
start_neighbour(const char *parent, const char *watch, const char *target)
{
	int ready[2], ifd, pfd, pwd, wwd = -1;
	char buf[8192] __attribute__((aligned(8))), name[NAME_MAX + 1] = "", c = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(ready), 0);
	if ((pid = fork()) != 0) {
		close(ready[1]);
		ck_assert_int_eq(read(ready[0], &c, 1), 1);	/* watches are set */
		close(ready[0]);
		return pid;
	}
	become(NEIGHBOUR);
	ifd = inotify_init1(0);
	pfd = open(parent, O_RDONLY | O_DIRECTORY);
	pwd = inotify_add_watch(ifd, parent, IN_CREATE | IN_MOVED_TO);
	if (watch != NULL)
		wwd = inotify_add_watch(ifd, watch, IN_OPEN);
	if (pfd < 0 || pwd < 0 || (watch != NULL && wwd < 0))
		_exit(121);
	if (write(ready[1], "r", 1) != 1)
		_exit(122);
	for (;;) {
		ssize_t len = read(ifd, buf, sizeof buf);

		for (char *p = buf; len > 0 && p < buf + len;) {
			struct inotify_event *ev = (struct inotify_event *)p;

			p += sizeof *ev + ev->len;
			/* directories only: not the links it makes itself */
			if (ev->wd == pwd && (ev->mask & IN_ISDIR) &&
			    strncmp(ev->name, ".power_", 7) == 0) {
				snprintf(name, sizeof name, "%s", ev->name);
				if (watch == NULL)
					swap_for_link(pfd, name, target);
			} else if (ev->wd == wwd && name[0] != '\0') {
				swap_for_link(pfd, name, target);
				name[0] = '\0';
			}
		}
	}
}

static void
stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* As VICTIM, write a report of job 77 into parent; the outdir status. */
static int
victim_report(const char *parent)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct outdir od;
		FILE *fp;
		int rc;

		become(VICTIM);
		rc = outdir_begin(&od, parent, "77");
		if (rc == PR_OK && (fp = outdir_fopen(&od, "a.txt")) != NULL) {
			fputs("new", fp);
			rc = outdir_fclose(fp, "a.txt");
		}
		if (rc == PR_OK)
			rc = outdir_commit(&od);
		outdir_free(&od);
		_exit(rc);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* The deletion race: power_77 (of owner) holds the names of the victim's
 * files in keep/; when the run's cleanup opens the old power_77 at its
 * temporary name, the neighbour swaps that name for a link to keep/.  The
 * old code deleted keep/'s files through the link (most tries; two tries
 * here).  want: the run's status. */
static void
deletion_race(uid_t owner, int want)
{
	for (int i = 0; i < 2; i++) {
		char *shared = shared_dir(0770), *s;
		char *keep = filled_dir(shared, "keep", VICTIM);
		char *old = filled_dir(shared, "power_77", owner);
		char *mine = path_in(shared, "power_77/a.txt");
		pid_t n = start_neighbour(shared, old, keep);
		int rc = victim_report(shared);

		stop(n);
		ck_assert_int_eq(tu_count_entries(keep), NFILES);
		ck_assert_int_eq(rc, want);
		if (want == PR_OK) {
			s = tu_read(mine, NULL);
			ck_assert_str_eq(s, "new");
			free(s);
		}
		tu_rmrf(shared);
		free(mine);
		free(keep);
		free(old);
		free(shared);
	}
}

START_TEST(deletion_race_on_a_report_of_ones_own)
{
	deletion_race(VICTIM, PR_OK);
}
END_TEST

START_TEST(deletion_race_on_a_neighbours_directory)
{
	deletion_race(NEIGHBOUR, PR_EOUTPUT);	/* and it is never exchanged */
}
END_TEST

/* The chmod race: the fresh temporary is swapped for a link to a private
 * file of the victim; the old code's chmod by path made it 0755. */
START_TEST(chmod_race_on_the_fresh_temporary)
{
	char *shared = shared_dir(0770), *secret = path_in(tu_scratch, "secret");
	struct stat st;
	pid_t n, v;
	int status;

	tu_write(secret, "private");
	ck_assert_int_eq(chown(secret, VICTIM, GROUP), 0);
	ck_assert_int_eq(chmod(secret, 0600), 0);
	n = start_neighbour(shared, NULL, secret);
	if ((v = fork()) == 0) {
		become(VICTIM);
		umask(022);
		for (int i = 0; i < 10000; i++) {
			struct outdir od;

			outdir_begin(&od, shared, "77");
			outdir_free(&od);
			if (stat(secret, &st) == 0 && (st.st_mode & 07777) != 0600)
				_exit(1);
		}
		_exit(0);
	}
	ck_assert_int_eq(waitpid(v, &status, 0), v);
	stop(n);
	ck_assert_int_eq(stat(secret, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(status, 0);
	free(secret);
	free(shared);
}
END_TEST

/* The real binary as uid on the sample job, writing into parent. */
static struct run_result
report_as(uid_t uid, const char *parent)
{
	char *csv = tu_top("samples/raw_power.csv"), ruid[32], rgid[32];
	const char *argv[] = { "setpriv", ruid, rgid, "--clear-groups", tu_bin(),
	    "--from-csv", csv, "--job-id", "77", "--start", "2026-11-20T20:00:00Z",
	    "--end", "2026-11-20T20:30:00Z", "--formats", "csv,json", "--outdir",
	    parent, "-q", NULL };
	struct run_result r;

	snprintf(ruid, sizeof ruid, "--reuid=%u", (unsigned)uid);
	snprintf(rgid, sizeof rgid, "--regid=%u", (unsigned)GROUP);
	r = tu_run_cmd(uid == 0 ? argv + 4 : argv, NULL, NULL);
	free(csv);
	return r;
}

/* Another user's power_77 in a sticky directory: the owner learns who. */
static void
squatted(mode_t mode)
{
	char *shared = shared_dir(mode), *sq = path_in(shared, "power_77");
	struct run_result r;

	ck_assert_int_eq(mkdir(sq, 0755), 0);
	ck_assert_int_eq(chown(sq, NEIGHBOUR, GROUP), 0);
	r = report_as(VICTIM, shared);
	ck_assert_int_eq(r.status, PR_EOUTPUT);
	ck_assert_msg(strstr(r.err, "belongs to uid 60002") != NULL, "%s", r.err);
	ck_assert_ptr_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);	/* one line */
	ck_assert_int_eq(tu_count_entries(shared), 1);	/* no temporary left */
	tu_run_free(&r);
	free(sq);
	free(shared);
}

START_TEST(squatter_in_a_sticky_directory_is_named)
{
	squatted(01777);
}
END_TEST

START_TEST(squatter_in_a_group_directory_is_named)
{
	squatted(0770);
}
END_TEST

/* Root writing into a user's directory writes as that user. */
START_TEST(root_writes_as_the_directorys_owner)
{
	char *mine = path_in(tu_scratch, "mine"), *rep = path_in(mine, "power_77");
	char *f = path_in(rep, "summary.json");
	struct run_result r;
	struct stat st;

	ck_assert_int_eq(mkdir(mine, 0755), 0);
	ck_assert_int_eq(chown(mine, VICTIM, GROUP), 0);
	r = report_as(0, mine);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_int_eq(lstat(f, &st), 0);
	ck_assert_int_eq(st.st_uid, VICTIM);
	ck_assert_int_eq(lstat(rep, &st), 0);
	ck_assert_int_eq(st.st_uid, VICTIM);
	tu_run_free(&r);
	free(mine);
	free(rep);
	free(f);
}
END_TEST

/* A link as the last component of the output directory is followed only
 * when it is the running user's (or root's): a neighbour's link is not. */
START_TEST(parents_last_link_is_followed_only_when_trusted)
{
	char *shared = shared_dir(0770), *mine = path_in(tu_scratch, "mine");
	char *theirs = path_in(shared, "theirs"), *own = path_in(shared, "own");
	char *slash = path_in(shared, "theirs/");
	struct run_result r;

	ck_assert_int_eq(mkdir(mine, 0755), 0);
	ck_assert_int_eq(chown(mine, VICTIM, GROUP), 0);
	ck_assert_int_eq(symlink(mine, theirs), 0);
	ck_assert_int_eq(lchown(theirs, NEIGHBOUR, GROUP), 0);
	ck_assert_int_eq(symlink(mine, own), 0);
	ck_assert_int_eq(lchown(own, VICTIM, GROUP), 0);
	for (int i = 0; i < 2; i++) {
		r = report_as(VICTIM, i == 0 ? theirs : slash);
		ck_assert_int_eq(r.status, PR_EOUTPUT);
		ck_assert_msg(strstr(r.err, "symbolic link of another user") != NULL, "%s", r.err);
		tu_run_free(&r);
	}
	ck_assert_int_eq(tu_count_entries(mine), 0);
	r = report_as(VICTIM, own);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_int_eq(tu_count_entries(mine), 1);
	tu_run_free(&r);
	free(shared);
	free(mine);
	free(theirs);
	free(own);
	free(slash);
}
END_TEST

/* parent/name as a temporary of a killed run: a directory of uid holding
 * raw_power.csv, both last written age_s ago. */
static char *
leftover(const char *parent, const char *name, uid_t uid, int age_s)
{
	char *p = path_in(parent, name), *f = path_in(p, "raw_power.csv");
	struct timespec t[2] = { { time(NULL) - age_s, 0 }, { time(NULL) - age_s, 0 } };

	ck_assert_int_eq(mkdir(p, 0700), 0);
	tu_write(f, "timestamp\n");
	ck_assert_int_eq(lchown(f, uid, GROUP), 0);
	ck_assert_int_eq(lchown(p, uid, GROUP), 0);
	ck_assert_int_eq(utimensat(AT_FDCWD, f, t, AT_SYMLINK_NOFOLLOW), 0);
	ck_assert_int_eq(utimensat(AT_FDCWD, p, t, AT_SYMLINK_NOFOLLOW), 0);
	free(f);
	return p;
}

START_TEST(killed_runs_temporaries_are_swept)
{
	char *shared = shared_dir(0770);
	char *stale = leftover(shared, ".power_70.aaaaaa", VICTIM, 7200);
	char *recent = leftover(shared, ".power_71.bbbbbb", VICTIM, 600);
	char *theirs = leftover(shared, ".power_72.cccccc", NEIGHBOUR, 7200);
	char *keep = filled_dir(shared, "keep", VICTIM);
	char *live = leftover(shared, ".power_74.eeeeee", VICTIM, 7200);
	char *link = path_in(shared, ".power_73.dddddd"), *cfg = path_in(tu_scratch, "c.json");
	int lock = open(live, O_RDONLY | O_DIRECTORY);
	struct run_result r;

	ck_assert_int_eq(flock(lock, LOCK_EX), 0);	/* a run still at work */
	ck_assert_int_eq(symlink(keep, link), 0);
	ck_assert_int_eq(lchown(link, VICTIM, GROUP), 0);
	r = report_as(VICTIM, shared);
	ck_assert_msg(r.status == 0, "%s", r.err);
	tu_run_free(&r);
	ck_assert(!tu_exists(stale));		/* an hour old and the victim's */
	ck_assert(tu_exists(recent));		/* maybe still running */
	ck_assert(tu_exists(theirs));		/* another user's */
	ck_assert(tu_exists(live));		/* locked by a live run */
	ck_assert(tu_exists(link));		/* not a directory: not followed */
	ck_assert_int_eq(tu_count_entries(keep), NFILES);
	/* the age is configurable */
	tu_write(cfg, "{ \"output\": { \"stale_temporary_s\": 300 } }");
	ck_assert_int_eq(chmod(cfg, 0644), 0);
	setenv("POWERREPORT_CONFIG", cfg, 1);
	r = report_as(VICTIM, shared);
	unsetenv("POWERREPORT_CONFIG");
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert(!tu_exists(recent));
	ck_assert(tu_exists(theirs));
	tu_run_free(&r);
	close(lock);
	free(live);
	free(stale);
	free(recent);
	free(theirs);
	free(keep);
	free(link);
	free(cfg);
	free(shared);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("outdir");
	TCase *tc = tcase_create("atomic"), *users = tcase_create("neighbours");

	tcase_add_checked_fixture(tc, tu_scratch_setup, tu_scratch_teardown);
	tcase_add_test(tc, first_report_appears_whole);
	tcase_add_test(tc, regeneration_replaces_and_cleans_up);
	tcase_add_test(tc, failed_run_keeps_previous_report);
	tcase_add_test(tc, planted_symlink_is_not_followed);
	tcase_add_test(tc, missing_parent_is_an_output_error);
	tcase_add_test(tc, existing_file_is_not_overwritten_inside);
	suite_add_tcase(s, tc);
	/* Playing two users takes root; `make check` in CI runs as root. */
	if (geteuid() == 0) {
		tcase_add_checked_fixture(users, tu_scratch_setup, tu_scratch_teardown);
		tcase_set_timeout(users, 120);
		tcase_add_test(users, deletion_race_on_a_report_of_ones_own);
		tcase_add_test(users, deletion_race_on_a_neighbours_directory);
		tcase_add_test(users, chmod_race_on_the_fresh_temporary);
		tcase_add_test(users, squatter_in_a_sticky_directory_is_named);
		tcase_add_test(users, squatter_in_a_group_directory_is_named);
		tcase_add_test(users, root_writes_as_the_directorys_owner);
		tcase_add_test(users, killed_runs_temporaries_are_swept);
		tcase_add_test(users, parents_last_link_is_followed_only_when_trusted);
		suite_add_tcase(s, users);
	}
	return tu_main(s);
}
