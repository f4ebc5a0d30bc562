/*
 * run.c - one powerreport run from options to a finished report directory.
 * Each step is a function of its own; data flows one way through them:
 * config -> job -> plan -> source -> collector -> report -> renderers -> outdir.
 */
#include "run.h"

#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collect.h"
#include "error.h"
#include "hostlist.h"
#include "render.h"
#include "summary_json.h"

static int
load_config(const struct options *o, struct config *cfg)
{
	int rc = config_find_and_load(cfg, o->config);

	if (rc != PR_OK)
		return rc;
	if (o->timezone != NULL) {
		free(cfg->timezone);
		cfg->timezone = xstrdup(o->timezone);
	}
	return time_set_zone(cfg->timezone);
}

static void
replace(char **field, const char *value)
{
	if (value == NULL)
		return;
	free(*field);
	*field = xstrdup(value);
}

static int
replace_nodelist(struct job *job, const char *expr)
{
	free(job->nodelist);
	job->nodelist = NULL;
	strlist_free(&job->nodes);
	return job_set_nodelist(job, expr);
}

/* Options given on the command line win over every other job source. */
static int
apply_options(const struct options *o, struct job *job)
{
	int rc;

	/* a looked-up job keeps the name the lookup gave it: an array task's
	 * own job id becomes ARRAYID_TASK, as the epilog names its report */
	if (o->mode != MODE_JOBID)
		replace(&job->id, o->job_id);
	replace(&job->name, o->job_name);
	replace(&job->user, o->user);
	if (o->start != NULL && (rc = time_parse(o->start, &job->start)) != PR_OK)
		return rc;
	if (o->end != NULL && (rc = time_parse(o->end, &job->end)) != PR_OK)
		return rc;
	if (o->start != NULL && o->end != NULL)
		job->have_window = true;
	else if (o->start != NULL || o->end != NULL) {
		if (!job->have_window)
			return pr_fail(PR_EUSAGE, "give both --start and --end");
	}
	if (o->nodelist != NULL)
		return replace_nodelist(job, o->nodelist);
	return PR_OK;
}

/* Epilog mode: Slurm >= 23.02 gives the window; 22.05 does not, so the job
 * is then looked up in the telemetry database.  A database that does not
 * know the job yet is PR_ENOJOB and one that is down PR_ESOURCE: the epilog
 * worker retries both. */
static int
job_from_epilog(const struct config *cfg, struct job *job)
{
	struct job found = { 0 };
	int rc = job_from_env(job);

	if (rc != PR_OK || job->have_window)
		return rc;
	/* an array task's own job id, which slurm.jobs and sacct know */
	rc = jobdb_lookup(cfg, job->slurm_id != NULL ? job->slurm_id : job->id, &found);
	if (rc == PR_OK) {
		job->start = found.start;
		job->end = found.end;
		job->have_window = true;
	} else if (rc == PR_ENOJOB) {
		pr_errclear();
		rc = pr_fail(PR_ENOJOB, "SLURM_JOB_START_TIME/SLURM_JOB_END_TIME "
		    "are not set and job %s is not in slurm.jobs (yet): export them "
		    "or pass --start and --end", job->id);
	}
	job_free(&found);
	return rc;
}

/* Re-render mode: job details from the summary.json beside the CSV, then the
 * options; what is still unknown (window, nodes) comes from the data. */
static int
job_from_csv(const struct options *o, struct job *job)
{
	char *copy = xstrdup(o->csv_path);
	char *summary = xasprintf("%s/summary.json", dirname(copy));
	struct strlist hosts = { 0 };
	usec_t first, last;
	int rc;

	free(copy);
	rc = summary_read_job(summary, job);
	free(summary);
	if (rc == PR_OK)
		rc = apply_options(o, job);
	if (rc != PR_OK || (job->have_window && job->nodelist != NULL))
		return rc;
	rc = source_csv_scan(o->csv_path, &first, &last, &hosts);
	if (rc == PR_OK && !job->have_window) {
		job->start = first;
		job->end = last;
		job->have_window = true;
	}
	if (rc == PR_OK && job->nodelist == NULL) {
		char *expr = hostlist_compress(&hosts);
		rc = replace_nodelist(job, expr);
		free(expr);
	}
	strlist_free(&hosts);
	return rc;
}

static int
check_job_id(const char *id)
{
	if (id[0] == '\0' || id[0] == '.' || strlen(id) > 64 ||
	    id[strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-")] != '\0')
		return pr_fail(PR_EUSAGE, "job id \"%s\" is not a Slurm job id "
		    "(letters, digits, '_', '-', '.'): check --job-id", id);
	return PR_OK;
}

static int
describe_job(const struct options *o, const struct config *cfg, struct job *job)
{
	int rc = PR_OK;

	switch (o->mode) {
	case MODE_ENV:
		rc = job_from_epilog(cfg, job);
		break;
	case MODE_JOBID:
		rc = check_job_id(o->job_id);
		if (rc == PR_OK)
			rc = jobdb_lookup(cfg, o->job_id, job);
		break;
	case MODE_CSV:
		return job_from_csv(o, job);
	case MODE_WINDOW:
		break;
	}
	if (rc == PR_OK)
		rc = apply_options(o, job);
	return rc;
}

static int
finish_job(struct job *job)
{
	int rc;

	if (job->id == NULL)
		job->id = xstrdup("unknown");
	if ((rc = check_job_id(job->id)) != PR_OK)
		return rc;
	if (job->nodes.n == 0)
		return pr_fail(PR_EUSAGE, "job %s has no nodes: give --nodelist", job->id);
	return job_check_window(job);
}

/* A raw CSV carries its own data: every node of the job is read from it,
 * whether or not a database rule matches the node. */
static void
plan_for_csv(struct plan *plan, const struct job *job, const struct config *cfg)
{
	plan->n = job->nodes.n;
	plan->nodes = xcalloc(plan->n, sizeof *plan->nodes);
	for (size_t i = 0; i < plan->n; i++) {
		plan->nodes[i].hostname = xstrdup(job->nodes.v[i]);
		plan->nodes[i].rule = config_rule_for(cfg, job->nodes.v[i]);
	}
}

/* Templates and assets: $POWERREPORT_DATADIR, else next to the binary when
 * it runs from its build tree, else <bindir>/../share/powerreport (an
 * install moved elsewhere), else the configured DATADIR. */
static char *
find_datadir(void)
{
	const char *env = getenv("POWERREPORT_DATADIR");
	static const char *const near[] = { "%s/templates", "%s/../share/powerreport/templates" };
	char exe[PATH_MAX], *dir, *probe;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	if (n <= 0)
		return xstrdup(DATADIR);
	exe[n] = '\0';
	dir = dirname(exe);
	for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
		probe = xasprintf(near[i], dir);
		if (access(probe, R_OK) == 0) {
			probe[strlen(probe) - strlen("/templates")] = '\0';
			return probe;
		}
		free(probe);
	}
	return xstrdup(DATADIR);
}

static int
open_source(const struct options *o, const struct config *cfg, struct source *src)
{
	if (o->mode == MODE_CSV)
		return source_csv_open(src, o->csv_path);
	return source_pg_open(src, cfg, o->wait_for_data_s);
}

/* Stream every sample through the collector into rep, writing raw_power.csv
 * on the way when asked. */
static int
gather(const struct job *job, const struct plan *plan, const struct config *cfg,
    struct source *src, const struct outdir *od, int formats, struct report *rep)
{
	FILE *raw = NULL;
	struct collector *c;
	int rc;

	if ((formats & FMT_CSV) && (raw = outdir_fopen(od, "raw_power.csv")) == NULL)
		return PR_EOUTPUT;
	if (raw != NULL)
		setvbuf(raw, NULL, _IOFBF, 1 << 20);
	c = collector_new(job, plan, cfg, raw);
	rc = src->pull(src, plan, job->start, job->end, collector_sink(c));
	if (rc == PR_OK)
		rc = collector_finish(c, rep);
	if (raw != NULL) {
		int crc = outdir_fclose(raw, "raw_power.csv");
		if (rc == PR_OK)
			rc = crc;
	}
	collector_free(c);
	rep->source_name = src->name;
	rep->has_csv = (formats & FMT_CSV) != 0;
	rep->has_json = (formats & FMT_JSON) != 0;
	return rc;
}

static int
render_all(const struct report *rep, const struct outdir *od, int formats)
{
	char *datadir = find_datadir();
	int rc = PR_OK;

	if (rc == PR_OK && (formats & FMT_CSV))
		rc = render_energy_csv(rep, od);
	if (rc == PR_OK && (formats & FMT_JSON))
		rc = render_summary_json(rep, od);
	if (rc == PR_OK && (formats & FMT_PNG))
		rc = render_charts(rep, od);
	if (rc == PR_OK && pr_interrupted)
		rc = pr_fail(PR_EINTR, "interrupted by a signal; no report written");
	if (rc == PR_OK && (formats & FMT_HTML))
		rc = render_html(rep, od, datadir);
	if (rc == PR_OK && (formats & FMT_PDF))
		rc = render_pdf(rep, od, datadir);
	if (rc == PR_OK && pr_interrupted)
		rc = pr_fail(PR_EINTR, "interrupted by a signal; no report written");
	free(datadir);
	return rc;
}

static void
say_done(const struct report *rep, const struct outdir *od, const struct timespec *t0)
{
	char *abs = realpath(od->final, NULL);
	struct rusage ru;
	double secs = time_elapsed(t0);

	getrusage(RUSAGE_SELF, &ru);
	printf("%s\n", abs != NULL ? abs : od->final);
	fflush(stdout);
	pr_log(1, "job %s: %.3f kWh on %zu node%s, report in %s/", rep->job->id,
	    joules_to_kwh(rep->energy_j[COMP_TOTAL]), rep->nnodes,
	    rep->nnodes == 1 ? "" : "s", abs != NULL ? abs : od->final);
	pr_log(2, "%zu samples in %.3f s (%.0f samples/s), peak RSS %.1f MB",
	    rep->nsamples, secs, secs > 0 ? (double)rep->nsamples / secs : 0.0,
	    (double)ru.ru_maxrss / 1024.0);
	free(abs);
}

/* From a described job to a committed report directory. */
static int
produce(const struct options *o, const struct job *job, const struct config *cfg,
    const struct plan *plan, int formats)
{
	struct source src = { 0 };
	struct outdir od = { 0 };
	struct report rep = { 0 };
	struct timespec t0;
	char *parent;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = open_source(o, cfg, &src)) != PR_OK)
		return rc;
	parent = job_output_parent(job, o->outdir);
	rc = outdir_begin(&od, parent, job->id);
	free(parent);
	rep.generated_at = (usec_t)time(NULL) * USEC_PER_SEC;
	if (rc == PR_OK)
		rc = gather(job, plan, cfg, &src, &od, formats, &rep);
	if (rc == PR_OK)
		rc = render_all(&rep, &od, formats);
	if (rc == PR_OK)
		rc = outdir_commit(&od);
	if (rc == PR_OK)
		say_done(&rep, &od, &t0);
	outdir_free(&od);
	report_free(&rep);
	src.close(&src);
	return rc;
}

int
run(const struct options *o)
{
	struct config cfg;
	struct job job = { 0 };
	struct plan plan = { 0 };
	int formats = FMT_ALL, rc;

	config_defaults(&cfg);
	rc = load_config(o, &cfg);
	if (rc == PR_OK && (o->formats != NULL || cfg.formats != NULL))
		rc = cli_formats(o->formats != NULL ? o->formats : cfg.formats, &formats);
	if (rc == PR_OK)
		rc = describe_job(o, &cfg, &job);
	if (rc == PR_OK)
		rc = finish_job(&job);
	if (rc == PR_OK && o->mode == MODE_CSV)
		plan_for_csv(&plan, &job, &cfg);
	else if (rc == PR_OK)
		rc = plan_build(&plan, &job, &cfg);
	/* --dry-run shows the plan even when no node has a source (exit 5). */
	if ((rc == PR_OK || (rc == PR_ENODATA && plan.n > 0)) && o->dry_run)
		plan_print(stdout, &plan);
	else if (rc == PR_OK)
		rc = produce(o, &job, &cfg, &plan, formats);
	plan_free(&plan);
	job_free(&job);
	config_free(&cfg);
	return rc;
}
