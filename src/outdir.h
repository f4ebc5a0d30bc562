/*
 * outdir.h - the report directory appears whole or not at all: files are
 * written into a temporary sibling of power_<job_id>/, which is then renamed
 * into place (atomically exchanged with an earlier report, which is then
 * removed).
 *
 * The parent may be writable by other users (a group project directory), so
 * after the parent is opened once every step works relative to directory
 * descriptors and never follows a symlink: a neighbour who swaps names for
 * links while a run works can neither redirect its files nor make it delete
 * or chmod anything through a link.  A power_<id> that belongs to another
 * user is never replaced or removed (PR_EOUTPUT naming its owner's uid).
 * Root writing into a directory it does not own becomes that directory's
 * owner first (see outdir_begin).
 */
#ifndef PR_OUTDIR_H
#define PR_OUTDIR_H

#include <stdio.h>

struct outdir {
	char *parent;		/* where power_<id>/ goes, as given */
	char *final;		/* parent/power_<id>, for messages */
	char *name;		/* "power_<id>" */
	char *tmpname;		/* ".power_<id>.XXXXXX" while writing, else NULL */
	int pfd;		/* the parent directory, opened once */
	int tfd;		/* the temporary directory */
};

/* Open parent (a symlink as its last component is followed only when the
 * link belongs to the running user or root) and create the temporary
 * directory in it.  Run as root on a directory root does not own, the
 * process first switches for good to the directory's owner (uid, primary
 * group, no supplementary groups), so every file is created as that user.
 * Parent missing / not writable / a power_<id> of another user there:
 * PR_EOUTPUT with a message saying which directory and what to do. */
int outdir_begin(struct outdir *od, const char *parent, const char *jobid);
/* Remove temporaries (.power_*) that the running user's earlier, killed runs
 * left in the parent and that nothing has written to for max_age_s seconds.
 * Only their own files go (the walk never descends or follows a link). */
void outdir_sweep(const struct outdir *od, int max_age_s);
/* Create name inside the temporary directory for writing (O_EXCL,
 * O_NOFOLLOW).  NULL and pr_fail(PR_EOUTPUT) on failure. */
FILE *outdir_fopen(const struct outdir *od, const char *name);
/* Close fp, reporting write errors (disk full) as PR_EOUTPUT naming name. */
int outdir_fclose(FILE *fp, const char *name);
/* Give the directory the user's umask permissions and move it into place;
 * PR_EOUTPUT on failure (nothing replaced). */
int outdir_commit(struct outdir *od);
/* Remove the temporary directory (after a failure); safe to call twice. */
void outdir_abort(struct outdir *od);
void outdir_free(struct outdir *od);

#endif
