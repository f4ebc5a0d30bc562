/*
 * bench-render.c - how long the renders of the sample job take: the chart
 * files, report.html and report.pdf, i.e. the part of a run after the
 * samples are in.  The report model is built once from
 * samples/raw_power.csv with the library's CSV source and collector; each
 * renderer is then timed over several runs (best and median printed).
 * Built and run from the top of the tree by `make bench-render`; not part
 * of `make check`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collect.h"
#include "error.h"
#include "render.h"

#define RUNS 9

enum { R_CHARTS, R_HTML, R_PDF, R_ALL, R_N };
static const char *const label[R_N] = { "charts", "report.html", "report.pdf", "all three" };

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The sample job as its README describes it, collected into rep. */
static int
sample_report(struct job *job, struct config *cfg, struct plan *plan,
    struct report *rep)
{
	struct source src = { 0 };
	struct collector *c;
	int rc;

	config_defaults(cfg);
	job->id = xstrdup("4242");
	job->name = xstrdup("lammps-melt");
	job->user = xstrdup("alice");
	if ((rc = time_set_zone("America/Chicago")) != PR_OK ||
	    (rc = job_set_nodelist(job, "rpc-91-1,rpg-93-1")) != PR_OK ||
	    (rc = time_parse("2026-11-20T14:00:00-06:00", &job->start)) != PR_OK ||
	    (rc = time_parse("2026-11-20T17:05:00-06:00", &job->end)) != PR_OK ||
	    (rc = plan_build(plan, job, cfg)) != PR_OK ||
	    (rc = source_csv_open(&src, "samples/raw_power.csv")) != PR_OK)
		return rc;
	job->have_window = true;
	c = collector_new(job, plan, cfg, NULL);
	rc = src.pull(&src, plan, job->start, job->end, collector_sink(c));
	if (rc == PR_OK)
		rc = collector_finish(c, rep);
	collector_free(c);
	rep->source_name = src.name;
	rep->generated_at = (usec_t)time(NULL) * USEC_PER_SEC;
	src.close(&src);
	return rc;
}

/* One round of all three renderers into a fresh directory under parent. */
static int
render_once(const struct report *rep, const char *parent, double ms[R_N])
{
	struct outdir od = { 0 };
	double t0, t1, t2, t3;
	int rc;

	if ((rc = outdir_begin(&od, parent, rep->job->id)) != PR_OK)
		return rc;
	t0 = now_ms();
	rc = render_charts(rep, &od);
	t1 = now_ms();
	if (rc == PR_OK)
		rc = render_html(rep, &od, ".");
	t2 = now_ms();
	if (rc == PR_OK)
		rc = render_pdf(rep, &od, ".");
	t3 = now_ms();
	outdir_abort(&od);
	outdir_free(&od);
	ms[R_CHARTS] = t1 - t0;
	ms[R_HTML] = t2 - t1;
	ms[R_PDF] = t3 - t2;
	ms[R_ALL] = t3 - t0;
	return rc;
}

int
main(void)
{
	struct job job = { 0 };
	struct config cfg;
	struct plan plan = { 0 };
	struct report rep = { 0 };
	double ms[R_N][RUNS], one[R_N];
	char parent[] = "/tmp/bench-render.XXXXXX";
	int rc;

	if ((rc = sample_report(&job, &cfg, &plan, &rep)) != PR_OK ||
	    mkdtemp(parent) == NULL) {
		fprintf(stderr, "bench-render: %s\n", pr_errmsg());
		return rc != PR_OK ? rc : 1;
	}
	for (int i = 0; i < RUNS && rc == PR_OK; i++) {
		rc = render_once(&rep, parent, one);
		for (int r = 0; r < R_N; r++)
			ms[r][i] = one[r];
	}
	remove(parent);
	if (rc != PR_OK) {
		fprintf(stderr, "bench-render: %s\n", pr_errmsg());
		return rc;
	}
	printf("render of the sample job (%zu nodes, %zu samples), %d runs:\n",
	    rep.nnodes, rep.nsamples, RUNS);
	for (int r = 0; r < R_N; r++) {
		qsort(ms[r], RUNS, sizeof ms[r][0], cmp);
		printf("  %-12s best %7.1f ms   median %7.1f ms\n", label[r],
		    ms[r][0], ms[r][RUNS / 2]);
	}
	report_free(&rep);
	plan_free(&plan);
	job_free(&job);
	config_free(&cfg);
	return 0;
}
