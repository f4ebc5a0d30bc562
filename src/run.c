/*
 * run.c - one powerreport run from options to a finished report directory.
 * Each step is a function of its own; data flows one way through them:
 * config -> job -> plan -> source -> collector -> report -> renderers -> outdir.
 */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "attribution.h"
#include "collect.h"
#include "cpu_efficiency.h"
#include "datadir.h"
#include "error.h"
#include "hostlist.h"
#include "history.h"
#include "job_describe.h"
#include "job_output.h"
#include "jobdb.h"
#include "prom_publish.h"
#include "render.h"
#include "source_csv.h"
#include "trust.h"

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
    struct source *src, const struct outdir *od, int formats, struct attribution *attr,
    struct report *rep)
{
	FILE *raw = NULL;
	struct collector *c;
	int rc;

	if ((formats & FMT_CSV) && (raw = outdir_fopen(od, "raw_power.csv")) == NULL)
		return PR_EOUTPUT;
	if (raw != NULL)
		setvbuf(raw, NULL, _IOFBF, 1 << 20);
	c = collector_new(job, plan, cfg, raw);
	attribution_prepare(attr, job->start, job->end);
	collector_set_cuts(c, trust_cuts(rep));
	rc = src->pull(src, plan, job->start, job->end,
	    attribution_sink(attr, collector_sink(c)));
	if (rc == PR_OK)
		rc = collector_finish(c, rep);
	if (rc == PR_OK)
		attribution_apply(attr, rep);
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
	if (rc == PR_OK && (formats & FMT_PROM))
		rc = render_metrics_prom(rep, od);
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
	struct attribution attr;
	struct cpu_efficiency eff;
	struct timespec t0;
	char *parent;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = open_source(o, cfg, &src)) != PR_OK)
		return rc;
	attribution_init(&attr, plan, cfg);
	attribution_set_work(&attr, o->work, o->work_unit, job->comment);
	if (o->mode != MODE_CSV)
		rc = attribution_read_pg(&attr, cfg, plan, job);
	cpu_efficiency_init(&eff);
	if (rc == PR_OK)
		cpu_efficiency_find(&eff, cfg, job);
	if (attr.job_cpus == 0)		/* the core-hours' count: sacct's AllocCPUS */
		attr.job_cpus = eff.alloc_cpus;
	parent = job_output_parent(job, o->outdir);
	if (rc == PR_OK)
		rc = outdir_begin(&od, parent, job->id);
	free(parent);
	if (rc == PR_OK)
		outdir_sweep(&od, cfg->stale_temporary_s);
	rep.generated_at = (usec_t)time(NULL) * USEC_PER_SEC;
	if (rc == PR_OK)
		rc = trust_begin(&rep, cfg, job);
	if (rc == PR_OK)
		rc = gather(job, plan, cfg, &src, &od, formats, &attr, &rep);
	if (rc == PR_OK)
		rc = trust_finish(&rep);
	if (rc == PR_OK)
		cpu_efficiency_attach(&eff, &rep);
	if (rc == PR_OK && o->mode != MODE_CSV)
		history_attach(&rep);
	if (rc == PR_OK)
		rc = render_all(&rep, &od, formats);
	if (rc == PR_OK)
		rc = outdir_commit(&od);
	if (rc == PR_OK)
		say_done(&rep, &od, &t0);
	if (rc == PR_OK)
		rc = prom_publish(&rep);
	outdir_free(&od);
	trust_free(rep.trust);
	history_free(rep.history);
	report_free(&rep);
	attribution_free(&attr);
	cpu_efficiency_free(&eff);
	src.close(&src);
	return rc;
}

int
run(const struct options *o)
{
	struct config cfg;
	struct job job = { 0 };
	struct plan plan = { 0 };
	int formats, rc;

	config_defaults(&cfg);
	rc = load_config(o, &cfg);
	formats = cfg.formats;
	if (rc == PR_OK && o->formats != NULL)
		rc = cli_formats(o->formats, &formats);
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
