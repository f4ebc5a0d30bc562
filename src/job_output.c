/*
 * job_output.c - where the report directory of a job belongs, by the
 * documented order: the --outdir option, the directory of the job's
 * (pattern-expanded) stdout file, its work directory, MONSTER_POWER_OUTDIR,
 * the current directory.
 */
#include "job_output.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "slurm_pattern.h"

/* dirname of the expanded stdout file; NULL if it is under /dev. */
static char *
stdout_parent(const struct job *job)
{
	char *path = slurm_pattern_expand(job->stdout_path, job);
	char *dir = NULL;

	if (path[0] != '\0' && strcmp(path, "/dev") != 0 &&
	    strncmp(path, "/dev/", 5) != 0)
		dir = xstrdup(dirname(path));
	free(path);
	return dir;
}

char *
job_output_parent(const struct job *job, const char *explicit_outdir)
{
	const char *v;
	char *dir;

	if (explicit_outdir != NULL && *explicit_outdir != '\0')
		return xstrdup(explicit_outdir);
	if (job->stdout_path != NULL && *job->stdout_path != '\0' &&
	    (dir = stdout_parent(job)) != NULL)
		return dir;
	if (job->workdir != NULL && *job->workdir != '\0')
		return xstrdup(job->workdir);
	if ((v = getenv("MONSTER_POWER_OUTDIR")) != NULL && *v != '\0')
		return xstrdup(v);
	return xstrdup(".");
}
