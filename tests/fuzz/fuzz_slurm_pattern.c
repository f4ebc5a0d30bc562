// sources: src/slurm_pattern.c src/strlist.c src/error.c src/strbuf.c
/*
 * fuzz_slurm_pattern.c - libFuzzer harness for slurm_pattern_expand.  The
 * input holds the pattern and the job's fields, separated by '\n':
 * path, name, user, workdir, array job id, array task id, first node
 * (missing lines leave the field unset).  Checks: never crashes, a path
 * without '%' or '\' comes back unchanged (after the work directory for a
 * relative one), a path with '\' loses its backslashes and nothing else.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"
#include "slurm_pattern.h"

/* Next '\n'-separated field of *s (NUL-terminated in place), or NULL. */
static char *
field(char **s)
{
	char *f = *s, *nl;

	if (f == NULL)
		return NULL;
	if ((nl = strchr(f, '\n')) != NULL) {
		*nl = '\0';
		*s = nl + 1;
	} else
		*s = NULL;
	return f;
}

static void
check_plain(const char *path, const struct job *job, const char *out)
{
	size_t skip = 0;

	if (path[0] != '/' && job->workdir != NULL && job->workdir[0]) {
		skip = strlen(job->workdir);
		if (strncmp(out, job->workdir, skip) != 0)
			abort();
		if (job->workdir[skip - 1] != '/')
			skip++;
	}
	if (strchr(path, '\\') != NULL) {
		const char *o = out + skip;

		for (const char *p = path; *p; p++)
			if (*p != '\\' && *o++ != *p)
				abort();
		if (*o != '\0')
			abort();
	} else if (strchr(path, '%') == NULL && strcmp(out + skip, path))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *rest = buf, *path, *node, *out;
	struct job job = { 0 };

	memcpy(buf, data, size);
	buf[size] = '\0';
	path = field(&rest);
	job.name = field(&rest);
	job.user = field(&rest);
	job.workdir = field(&rest);
	job.array_job_id = field(&rest);
	job.array_task_id = field(&rest);
	if ((node = field(&rest)) != NULL) {
		job.nodes.v = &node;
		job.nodes.n = 1;
	}
	job.id = job.slurm_id = rest;
	out = slurm_pattern_expand(path, &job);
	check_plain(path, &job, out);
	free(out);
	free(buf);
	return 0;
}
