/*
 * slurm_pattern.c - expand the filename patterns of sbatch -o/-e the way
 * Slurm expands them for a batch job, so we find the directory the job's
 * stdout file really went to.
 *
 * Rules (sbatch(1) "filename pattern", and Slurm's expand_stdio_fields):
 *  - a backslash anywhere means "do not expand": backslashes are dropped and
 *    everything else is kept verbatim;
 *  - "%%" is "%"; "%" followed by a letter that is not a pattern stays
 *    verbatim; a lone "%" at the end is dropped;
 *  - "%4j": one digit of zero-padding; a number > 9 ("%12j") pads to 10;
 *    digits not followed by a pattern letter leave only the last digit;
 *  - for the batch step %s is "batch", %J is "<jobid>.batch", %n and %t are
 *    0, %N is the first node; %a of a job that is no array task is Slurm's
 *    NO_VAL (4294967294), %b is %a modulo 10.
 *  - a relative path is relative to the job's working directory.
 */
#include "slurm_pattern.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "job.h"
#include "strbuf.h"

#define NO_VAL "4294967294"
#define MAX_PAD 10


static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* A number (as text) zero-padded to pad digits; other text as it is. */
static void
put_num(struct strbuf *o, const char *num, int pad)
{
	int n = (int)strlen(num);

	if (all_digits(num))
		for (; n < pad; n++)
			strbuf_add(o, "0", 1);
	strbuf_puts(o, num);
}

static const char *
own_id(const struct job *job)
{
	if (job->slurm_id != NULL)
		return job->slurm_id;
	return job->id != NULL ? job->id : "unknown";
}

static const char *
task_id(const struct job *job)
{
	return job->array_task_id != NULL ? job->array_task_id : NO_VAL;
}

static bool
is_pattern(char c)
{
	return c != '\0' && strchr("AabJjNnstux", c) != NULL;
}

/* Expand the pattern letter c with zero-padding pad. */
static void
expand_one(struct strbuf *o, char c, int pad, const struct job *job)
{
	const char *t = task_id(job);

	switch (c) {
	case 'A':
		put_num(o, job->array_job_id ? job->array_job_id : own_id(job),
		    pad);
		break;
	case 'a':
		put_num(o, t, pad);
		break;
	case 'b':
		if (all_digits(t))
			put_num(o, (char[]){ t[strlen(t) - 1], '\0' }, pad);
		else
			put_num(o, t, pad);
		break;
	case 'J':
		put_num(o, own_id(job), pad);
		strbuf_puts(o, ".batch");
		break;
	case 'j':
		put_num(o, own_id(job), pad);
		break;
	case 'N':
		strbuf_puts(o, job->nodes.n > 0 ? job->nodes.v[0] : "");
		break;
	case 'n':
	case 't':
		put_num(o, "0", pad);
		break;
	case 's':
		strbuf_puts(o, "batch");
		break;
	case 'u':
		strbuf_puts(o, job->user ? job->user : job->uid ? job->uid : "");
		break;
	case 'x':
		strbuf_puts(o, job->name ? job->name : "");
		break;
	}
}

/* The pattern starting after a '%' at p; returns where to go on. */
static const char *
expand_at(struct strbuf *o, const char *p, const struct job *job)
{
	const char *start = p;
	int pad = 0;

	if (*p == '%') {
		strbuf_add(o, "%", 1);
		return p + 1;
	}
	if (*p >= '0' && *p <= '9') {
		if (strtoul(p, NULL, 10) > 9) {
			pad = MAX_PAD;
			p += strspn(p, "0123456789");
		} else
			pad = *p++ - '0';
		if (!is_pattern(*p)) {
			/* Slurm keeps only the last digit. */
			p = start + strspn(start, "0123456789") - 1;
			strbuf_add(o, p, 1);
			return p + 1;
		}
	}
	if (*p == '\0')
		return p;
	if (!is_pattern(*p)) {
		strbuf_add(o, "%", 1);
		strbuf_add(o, p, 1);
		return p + 1;
	}
	expand_one(o, *p, pad, job);
	return p + 1;
}

char *
slurm_pattern_expand(const char *path, const struct job *job)
{
	struct strbuf o = { 0 };

	strbuf_add(&o, "", 0);
	if (path[0] != '/' && job->workdir != NULL && job->workdir[0] != '\0') {
		strbuf_puts(&o, job->workdir);
		if (o.s[o.len - 1] != '/')
			strbuf_add(&o, "/", 1);
	}
	if (strchr(path, '\\') != NULL) {
		for (const char *p = path; *p; p++)
			if (*p != '\\')
				strbuf_add(&o, p, 1);
		return o.s;
	}
	for (const char *p = path; *p;) {
		const char *pct = strchr(p, '%');

		if (pct == NULL) {
			strbuf_puts(&o, p);
			break;
		}
		strbuf_add(&o, p, (size_t)(pct - p));
		p = expand_at(&o, pct + 1, job);
	}
	return o.s;
}
