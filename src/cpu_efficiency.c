/*
 * cpu_efficiency.c - the job's CPU efficiency from Slurm's accounting:
 * TotalCPU (user plus system time of all its tasks) over ElapsedRaw x
 * AllocCPUS, the figure seff and jobstats show, here beside the energy.
 * One `sacct -P -n` call asks for JobID,TotalCPU,ElapsedRaw,AllocCPUS
 * (sacct.c runs it, bounded like the job lookup) and reads the first
 * line, the job's.  Not with -X: that stops slurmdbd sending the steps,
 * and sacct adds the job's TotalCPU up from its (finished) steps, so the
 * job line would say 00:00:00 for every job.  sacct's answer is text
 * from another program: every field is parsed strictly, and a figure that
 * is malformed or impossible (no elapsed time, no CPUs, more CPU time than
 * the CPUs could give) is unknown with a note, never a number.  Without
 * sacct, or for a job id Slurm would not know, nothing is asked and
 * nothing said: the figure is an extra, not something a report lacks.
 */
#include "cpu_efficiency.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "sacct.h"

/* A little above 1: TotalCPU and ElapsedRaw are rounded apart, and the
 * job's processes may run a moment past its end. */
#define MAX_EFFICIENCY 1.05

static const char fields[] = "JobID,TotalCPU,ElapsedRaw,AllocCPUS";

void
cpu_efficiency_init(struct cpu_efficiency *e)
{
	memset(e, 0, sizeof *e);
	e->total_cpu_s = e->elapsed_s = e->value = NAN;
}

void
cpu_efficiency_free(struct cpu_efficiency *e)
{
	strlist_free(&e->notes);
}

/* A number of exactly min..max digits at *p (advanced past them); -1 when
 * there is none of that length. */
static long long
number(const char **p, int min, int max)
{
	long long v = 0;
	int n = 0;

	while (isdigit((unsigned char)**p) && n <= max) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n >= min && n <= max ? v : -1;
}

/* Two digits below limit, then sep (or the end when sep is 0). */
static long long
part(const char **p, long long limit, char sep)
{
	long long v = number(p, 2, 2);

	if (v < 0 || v >= limit || **p != sep)
		return -1;
	if (sep != '\0')
		(*p)++;
	return v;
}

/* ".mmm" (1 to 6 digits) or nothing, then the end. */
static int
fraction(const char *p, double *f)
{
	const char *start = p + 1;
	long long v;

	*f = 0;
	if (*p == '\0')
		return 0;
	if (*p != '.' || (v = number(&start, 1, 6)) < 0 || *start != '\0')
		return -1;
	*f = (double)v / pow(10, (double)(start - p - 1));
	return 0;
}

int
cpu_efficiency_parse_time(const char *text, double *seconds)
{
	const char *p = text, *colon2 = NULL;
	long long days = 0, h = 0, m, s;
	double f;

	*seconds = NAN;
	if (strchr(text, '-') != NULL && ((days = number(&p, 1, 8)) < 0 || *p++ != '-'))
		return -1;
	/* with days, or with two colons, hours come first */
	colon2 = strchr(p, ':') != NULL ? strchr(strchr(p, ':') + 1, ':') : NULL;
	if ((p != text || colon2 != NULL) && (h = part(&p, 24, ':')) < 0)
		return -1;
	if ((m = part(&p, 60, ':')) < 0)
		return -1;
	s = number(&p, 2, 2);
	if (s < 0 || s >= 60 || fraction(p, &f) != 0)
		return -1;
	*seconds = (double)days * 86400 + (double)h * 3600 + (double)m * 60 + (double)s + f;
	return 0;
}

/* A whole number of 1 to max digits and nothing else; -1 otherwise. */
static long long
whole(const char *text, int max)
{
	const char *p = text;
	long long v = number(&p, 1, max);

	return *p == '\0' ? v : -1;
}

/* A field quoted for a note when it is short, printable text, else a
 * description: what sacct printed is no text to pass on unchecked. */
static char *
quoted(const char *field)
{
	size_t n = strlen(field);

	if (n == 0)
		return xstrdup("empty");
	for (size_t i = 0; i < n && n <= 32; i++)
		if (!isprint((unsigned char)field[i]) || field[i] == '"')
			n = SIZE_MAX;
	return n <= 32 ? xasprintf("\"%s\"", field) : xstrdup("long or unprintable text");
}

static void
malformed(struct cpu_efficiency *e, const char *job, const char *what, const char *field)
{
	char *q = quoted(field);

	strlist_addf(&e->notes, "CPU efficiency unknown: sacct's %s for job %s is %s, "
	    "not what sacct prints", what, job, q);
	free(q);
}

/* Split line at '|' into exactly n fields (in copy); 0 when it has another
 * number of them. */
static int
split(char *copy, char **f, int n)
{
	int k = 0;

	for (char *p = copy; p != NULL && k < n; k++) {
		f[k] = p;
		if ((p = strchr(p, '|')) != NULL)
			*p++ = '\0';
		if (k == n - 1 && p != NULL)
			return 0;
	}
	return k == n;
}

/* The fields into e; 0, or -1 with a note (e untouched). */
static int
read_fields(struct cpu_efficiency *e, const char *job, char **f)
{
	long long elapsed = whole(f[2], 10), cpus = whole(f[3], 8);
	double total;

	if (!sacct_job_id(f[0]))
		malformed(e, job, "JobID", f[0]);
	else if (cpu_efficiency_parse_time(f[1], &total) != 0)
		malformed(e, job, "TotalCPU", f[1]);
	else if (elapsed < 0)
		malformed(e, job, "ElapsedRaw", f[2]);
	else if (cpus < 0)
		malformed(e, job, "AllocCPUS", f[3]);
	else {
		e->total_cpu_s = total;
		e->elapsed_s = (double)elapsed;
		e->alloc_cpus = (int)cpus;
		return 0;
	}
	return -1;
}

/* The efficiency of well-formed fields when it is possible at all. */
static void
judge(struct cpu_efficiency *e, const char *job)
{
	double v;

	if (e->elapsed_s == 0 || e->alloc_cpus == 0) {
		strlist_addf(&e->notes, "CPU efficiency unknown: sacct gives job %s %s "
		    "(it has not run, or was never given CPUs)", job, e->elapsed_s == 0 ?
		    "no elapsed time" : "no allocated CPUs");
		return;
	}
	v = e->total_cpu_s / (e->elapsed_s * e->alloc_cpus);
	if (v > MAX_EFFICIENCY)
		strlist_addf(&e->notes, "CPU efficiency unknown: sacct's TotalCPU for job %s "
		    "is %.0f %% of its elapsed time x %d allocated CPUs, more than they "
		    "can give", job, v * 100, e->alloc_cpus);
	else
		e->value = v;
}

void
cpu_efficiency_parse(struct cpu_efficiency *e, const char *job, const char *line)
{
	char *copy = xstrdup(line), *f[4];

	e->value = NAN;
	if (!split(copy, f, 4))
		strlist_addf(&e->notes, "CPU efficiency unknown: sacct's answer for job %s "
		    "is not JobID|TotalCPU|ElapsedRaw|AllocCPUS", job);
	else if (read_fields(e, job, f) == 0)
		judge(e, job);
	free(copy);
}

/* Why sacct gave no line. */
static void
no_answer(struct cpu_efficiency *e, const char *job, int status, int timeout_s)
{
	if (status == SACCT_TIMED_OUT)
		strlist_addf(&e->notes, "CPU efficiency unknown: sacct gave no answer "
		    "within %d s and was stopped (is slurmdbd up?)", timeout_s);
	else if (status == 0)
		strlist_addf(&e->notes, "CPU efficiency unknown: sacct does not know "
		    "job %s", job);
	else if (status == SACCT_NOT_RUN)
		strlist_add(&e->notes, "CPU efficiency unknown: sacct could not be started");
	else
		strlist_addf(&e->notes, "CPU efficiency unknown: sacct failed (exit %d): "
		    "is Slurm accounting reachable?", status);
}

void
cpu_efficiency_find(struct cpu_efficiency *e, const struct config *cfg,
    const struct job *job)
{
	const char *id = job->slurm_id != NULL ? job->slurm_id : job->id;
	int timeout_s = isnan(cfg->sacct_timeout_s) ? sacct_timeout_s(cfg) :
	    (int)fmin(ceil(cfg->sacct_timeout_s), 86400), st;
	char *line = NULL;

	if (id == NULL || timeout_s == 0 || !sacct_job_id(id) || !sacct_installed())
		return;
	e->from = "sacct";
	st = sacct_run(id, fields, true, timeout_s, &line);
	if (st == SACCT_NO_ACCOUNTING) {	/* nothing to ask, as without sacct */
		e->from = NULL;
		return;
	}
	if (st == 0 && line != NULL && *line != '\0')
		cpu_efficiency_parse(e, id, line);
	else
		no_answer(e, id, st, timeout_s);
	free(line);
}

void
cpu_efficiency_attach(struct cpu_efficiency *e, struct report *rep)
{
	for (size_t i = 0; i < e->notes.n; i++)
		strlist_add(&rep->warnings, e->notes.v[i]);
	strlist_free(&e->notes);
	rep->cpu_eff = e->from != NULL ? e : NULL;
}
