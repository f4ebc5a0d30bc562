/*
 * bench-render.c - how long the renders of the sample job take: the chart
 * files, report.html and report.pdf, i.e. the part of a run after the
 * samples are in.  The report model is built once from
 * samples/raw_power.csv with the library's CSV source and collector; each
 * renderer is then timed over several runs: best and median of the wall
 * time, and best of the CPU time (closer to an idle machine's wall time
 * when other work shares the cores).
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
#include "source_csv.h"

#define RUNS 9

enum { R_CHARTS, R_HTML, R_PDF, R_ALL, R_N };
static const char *const label[R_N] = { "charts", "report.html", "report.pdf", "all three" };

static double
ms_of(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Wall and CPU milliseconds at this point. */
static void
stamp(double *wall, double *cpu)
{
	*wall = ms_of(CLOCK_MONOTONIC);
	*cpu = ms_of(CLOCK_PROCESS_CPUTIME_ID);
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

/* One round of all three renderers into a fresh directory under parent:
 * wall[r] and cpu[r] milliseconds per renderer. */
static int
render_once(const struct report *rep, const char *parent, double wall[R_N],
    double cpu[R_N])
{
	struct outdir od = { 0 };
	double w[4], c[4];
	int rc;

	if ((rc = outdir_begin(&od, parent, rep->job->id)) != PR_OK)
		return rc;
	stamp(&w[0], &c[0]);
	rc = render_charts(rep, &od);
	stamp(&w[1], &c[1]);
	if (rc == PR_OK)
		rc = render_html(rep, &od, ".");
	stamp(&w[2], &c[2]);
	if (rc == PR_OK)
		rc = render_pdf(rep, &od, ".");
	stamp(&w[3], &c[3]);
	outdir_abort(&od);
	outdir_free(&od);
	for (int r = 0; r < R_ALL; r++) {
		wall[r] = w[r + 1] - w[r];
		cpu[r] = c[r + 1] - c[r];
	}
	wall[R_ALL] = w[3] - w[0];
	cpu[R_ALL] = c[3] - c[0];
	return rc;
}

int
main(void)
{
	struct job job = { 0 };
	struct config cfg;
	struct plan plan = { 0 };
	struct report rep = { 0 };
	double wall[R_N][RUNS], cpu[R_N][RUNS], w1[R_N], c1[R_N];
	char parent[] = "/tmp/bench-render.XXXXXX";
	int rc;

	if ((rc = sample_report(&job, &cfg, &plan, &rep)) != PR_OK ||
	    mkdtemp(parent) == NULL) {
		fprintf(stderr, "bench-render: %s\n", pr_errmsg());
		return rc != PR_OK ? rc : 1;
	}
	for (int i = 0; i < RUNS && rc == PR_OK; i++) {
		rc = render_once(&rep, parent, w1, c1);
		for (int r = 0; r < R_N; r++) {
			wall[r][i] = w1[r];
			cpu[r][i] = c1[r];
		}
	}
	remove(parent);
	if (rc != PR_OK) {
		fprintf(stderr, "bench-render: %s\n", pr_errmsg());
		return rc;
	}
	printf("render of the sample job (%zu nodes, %zu samples), %d runs:\n",
	    rep.nnodes, rep.nsamples, RUNS);
	for (int r = 0; r < R_N; r++) {
		qsort(wall[r], RUNS, sizeof wall[r][0], cmp);
		qsort(cpu[r], RUNS, sizeof cpu[r][0], cmp);
		printf("  %-12s wall best %7.1f ms, median %7.1f ms;  CPU best "
		    "%7.1f ms\n", label[r], wall[r][0], wall[r][RUNS / 2], cpu[r][0]);
	}
	report_free(&rep);
	plan_free(&plan);
	job_free(&job);
	config_free(&cfg);
	return 0;
}
