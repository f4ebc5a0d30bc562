/*
 * bench-charts.c - what the charts cost for a big job: 64 nodes x 24 h of
 * synthetic 5 s telemetry (input, output, CPU, memory, storage, fans, and
 * four GPUs on every other node) streamed through timeline_add, then every
 * chart file written by render_charts.  Each configuration runs in a child
 * process so its peak RSS is its own; a second run at 1 s sampling (5x the
 * samples) shows that memory does not grow with the sample count.
 * Built and run by `make bench-charts`; `bench-charts DIR` keeps the charts
 * of the 5 s run in DIR/power_64x24h/ to look at.  Not part of `make check`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "outdir.h"
#include "render.h"
#include "report.h"

#define NODES 64
#define HOURS 24
#define START (INT64_C(1795204800) * USEC_PER_SEC)

static const struct {
	enum metric_role role;
	enum component comp;
	double base, swing;	/* watts at idle, extra at full load */
} parts[] = {
	{ ROLE_CPU, COMP_CPU, 180, 420 },
	{ ROLE_MEMORY, COMP_MEMORY, 50, 40 },
	{ ROLE_STORAGE, COMP_STORAGE, 12, 6 },
	{ ROLE_FAN, COMP_FAN, 35, 60 },
	{ ROLE_GPU, COMP_GPU, 70, 330 },	/* per GPU */
};

static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Job load 0..1 at second s: phases, a checkpoint dip and short bursts. */
static double
load(long s, int node)
{
	double l = s < 600 ? 0.1 : 0.75 + 0.15 * sin(s / 1800.0 + node * 0.1);

	if (s % 7200 < 240)
		l = 0.3;	/* checkpoint */
	if (s % 300 < 20)
		l += 0.15;	/* burst */
	if (node == 17)
		l *= 1.3;	/* the outlier */
	return l;
}

/* Stream the job into rep (energy by the rectangle rule, enough for a
 * benchmark fixture). */
static void
stream(struct report *rep, struct job *job, long step)
{
	static char *names[NODES];
	int handle[NODES][10];

	for (int n = 0; n < NODES; n++)
		names[n] = rep->nodes[n].hostname;
	timeline_init(&rep->tl, job->start, job->end, 3 * step * USEC_PER_SEC,
	    NODES, names);
	for (int n = 0; n < NODES; n++) {
		handle[n][0] = timeline_series(&rep->tl, n, ROLE_INPUT, names[n], "System.Embedded.1");
		handle[n][1] = timeline_series(&rep->tl, n, ROLE_OUTPUT, names[n], "System.Embedded.1");
		for (int k = 0; k < 4; k++)
			handle[n][2 + k] = timeline_series(&rep->tl, n, parts[k].role,
			    names[n], "System.Embedded.1");
		for (int g = 0; g < 4 && n % 2 == 0; g++) {
			char fqdd[32];

			snprintf(fqdd, sizeof fqdd, "Video.Slot.3%d-1", g);
			handle[n][6 + g] = timeline_series(&rep->tl, n, ROLE_GPU, names[n], fqdd);
		}
	}
	for (long s = 0; s <= HOURS * 3600L; s += step) {
		usec_t t = job->start + s * USEC_PER_SEC;

		for (int n = 0; n < NODES; n++) {
			struct node_result *nd = &rep->nodes[n];
			double l = load(s, n), sum = 0;
			int ngpu = n % 2 == 0 ? 4 : 0;

			if (n == 40 && s > 30000 && s < 31800)
				continue;	/* half an hour without telemetry */
			for (int k = 0; k < 4 + ngpu; k++) {
				int p = k < 4 ? k : 4;
				double w = parts[p].base + parts[p].swing * l;

				timeline_add(&rep->tl, handle[n][2 + k], t, w);
				nd->energy_j[parts[p].comp] += w * step;
				sum += w;
			}
			timeline_add(&rep->tl, handle[n][0], t, sum * 1.07 + 60);
			timeline_add(&rep->tl, handle[n][1], t, sum * 1.01 + 30);
			nd->energy_j[COMP_TOTAL] += (sum * 1.07 + 60) * step;
			nd->energy_j[COMP_PSU_LOSS] += (sum * 0.06 + 30) * step;
			nd->energy_j[COMP_OTHERS] += 30.0 * step;
		}
	}
	timeline_finish(&rep->tl);
	for (int n = 0; n < NODES; n++)
		for (int c = 0; c < COMP_N; c++)
			rep->energy_j[c] += rep->nodes[n].energy_j[c];
}

static void
run(long step, const char *keep)
{
	struct job job = { 0 };
	struct report rep = { 0 };
	struct outdir od = { 0 };
	double t0, t1, t2, c1, c2;
	char *dir = keep ? strdup(keep) : strdup("/tmp/bench-charts.XXXXXX");
	int rc;

	if (keep == NULL && mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	job.id = "64x24h";
	job.start = START;
	job.end = START + HOURS * 3600 * USEC_PER_SEC;
	rep.job = &job;
	rep.nnodes = NODES;
	rep.nodes = xcalloc(NODES, sizeof *rep.nodes);
	for (int n = 0; n < NODES; n++)
		rep.nodes[n].hostname = xasprintf(n % 2 ? "rpc-%02d-1" : "rpg-%02d-1", n);
	t0 = clock_s(CLOCK_MONOTONIC);
	stream(&rep, &job, step);
	t1 = clock_s(CLOCK_MONOTONIC);
	c1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	if ((rc = outdir_begin(&od, dir, job.id)) != PR_OK ||
	    (rc = render_charts(&rep, &od)) != PR_OK ||
	    (keep != NULL && (rc = outdir_commit(&od)) != PR_OK)) {
		fprintf(stderr, "bench-charts: %s\n", pr_errmsg());
		exit(1);
	}
	t2 = clock_s(CLOCK_MONOTONIC);
	c2 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	printf("%2ld s sampling: %5.1f M samples streamed in %6.3f s (%4.0f ns/sample); "
	    "all charts rendered in %.3f s (%.3f s CPU)\n", step,
	    (double)NODES * (6 + 2) * (HOURS * 3600 / step + 1) / 1e6, t1 - t0,
	    (t1 - t0) * 1e9 / ((double)NODES * 8 * (HOURS * 3600 / step + 1)),
	    t2 - t1, c2 - c1);
	fflush(stdout);
	outdir_free(&od);
	if (keep == NULL)
		rmdir(dir);
	free(dir);
}

int
main(int argc, char **argv)
{
	static const long steps[] = { 5, 1 };

	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		struct rusage ru;
		int st;
		pid_t pid;

		fflush(stdout);	/* or the child would print it again */
		pid = fork();

		if (pid == 0) {
			run(steps[i], i == 0 && argc > 1 ? argv[1] : NULL);
			_exit(0);
		}
		if (pid < 0 || wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			return 1;
		printf("   peak RSS %ld MB\n", ru.ru_maxrss / 1024);
	}
	return 0;
}
