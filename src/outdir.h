/*
 * outdir.h - the report directory appears whole or not at all: files are
 * written into a temporary sibling of power_<job_id>/, which is then renamed
 * into place (atomically exchanged with an earlier report, which is then
 * removed).  Symlinks are never followed; a failed or interrupted run leaves
 * the previous report as it was.
 */
#ifndef PR_OUTDIR_H
#define PR_OUTDIR_H

#include <stdio.h>

struct outdir {
	char *parent;		/* where power_<id>/ goes */
	char *final;		/* parent/power_<id> */
	char *tmp;		/* parent/.power_<id>.XXXXXX while writing */
};

/* Create the temporary directory.  Parent missing / not writable: PR_EOUTPUT
 * with a message saying which directory and what to do. */
int outdir_begin(struct outdir *od, const char *parent, const char *jobid);
/* Full path of a file inside the temporary directory (malloc'd). */
char *outdir_path(const struct outdir *od, const char *name);
/* Create name inside the temporary directory for writing (O_EXCL,
 * O_NOFOLLOW).  NULL and pr_fail(PR_EOUTPUT) on failure. */
FILE *outdir_fopen(const struct outdir *od, const char *name);
/* Close fp, reporting write errors (disk full) as PR_EOUTPUT naming name. */
int outdir_fclose(FILE *fp, const char *name);
/* Move the finished directory into place; PR_EOUTPUT on failure. */
int outdir_commit(struct outdir *od);
/* Remove the temporary directory (after a failure); safe to call twice. */
void outdir_abort(struct outdir *od);
void outdir_free(struct outdir *od);

#endif
