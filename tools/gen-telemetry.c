/*
 * gen-telemetry.c - writes synthetic but lifelike raw_power.csv telemetry
 * for a job, so the sample report, the tests and the benchmark have data
 * without a cluster.
 *
 * N CPU nodes (rpc-91-*) and M GPU nodes (rpg-93-*, four GPUs each) are
 * sampled every interval over the job window: idle, a ramp, compute phases
 * with noise and a checkpoint dip, GPU bursts, fans that follow the load with
 * a lag, PSU output about 94 % of input.  Like real iDRAC data it has jitter
 * of +-0.4 s, a few minutes-long gaps, the odd duplicated sample and the odd
 * empty value, and per series one sample before the window and one after it.
 * The same seed gives the same bytes; a node's data do not depend on how many
 * other nodes there are.
 *
 *   gen-telemetry --start 2026-11-20T14:00:00-06:00 --duration 11100
 *       [--cpu N] [--gpu M] [--interval S] [--seed N] [--zone ZONE] [-o FILE]
 */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "rawcsv.h"
#include "timefmt.h"

#define NGPUS 4
#define NGAPS 2
#define JITTER_US 400000
#define PSU_EFFICIENCY 0.94

enum metric { M_IN, M_OUT, M_CPU, M_MEM, M_STORAGE, M_FAN, M_GPU, NMETRICS };

static const char *const metric_ids[NMETRICS] = {
	"SystemInputPower", "SystemOutputPower", "TotalCPUPower", "TotalMemoryPower",
	"TotalStoragePower", "TotalFanPower", "PowerConsumption"
};

/* What a kind of node draws, in W, idle and at full load. */
struct profile {
	const char *prefix;
	int gpus;
	double cpu_idle, cpu_full, mem_idle, mem_full, fan_idle, fan_full, board;
};

static const struct profile cpu_node = { "rpc-91-", 0, 110, 680, 24, 94, 35, 145, 70 };
static const struct profile gpu_node = { "rpg-93-", NGPUS, 90, 300, 20, 60, 60, 300, 90 };

struct node {
	const struct profile *kind;
	char name[32];
	uint64_t rng;
	double scale;		/* how hard this node works, ~1 */
	double shift;		/* seconds its phases lag the job's */
	double phase;		/* its sampling instant within the interval */
	double fan;		/* current fan power (lags the load) */
	double gap_at[NGAPS], gap_len[NGAPS];	/* seconds into the window */
	double gpu_eff[NGPUS], gpu_offset[NGPUS];
};

struct options {
	int ncpu, ngpu;
	usec_t start, duration, interval;
	uint64_t seed;
	const char *zone, *out;
};

static uint64_t
next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
uniform(uint64_t *s)
{
	return (double)(next(s) >> 11) * 0x1.0p-53;
}

/* Standard normal (Box-Muller). */
static double
gauss(uint64_t *s)
{
	double u = uniform(s), v = uniform(s);

	return sqrt(-2 * log(1 - u)) * cos(2 * M_PI * v);
}

/* The job's load at x seconds into a window of d seconds: idle, ramp,
 * compute, checkpoint dip, compute, ramp down, idle. */
static double
job_load(double x, double d)
{
	double u = x / d;

	if (u < 0.04 || u > 0.96)
		return 0.02;
	if (u < 0.08)
		return 0.02 + 0.83 * (u - 0.04) / 0.04;
	if (u < 0.45)
		return 0.85 + 0.05 * sin(x / 400);
	if (u < 0.48)
		return 0.35;
	if (u < 0.92)
		return 0.9 + 0.04 * sin(x / 300);
	return 0.9 - 0.88 * (u - 0.92) / 0.04;
}

static void
node_init(struct node *n, const struct profile *kind, int index, const struct options *o)
{
	double d = (double)o->duration / USEC_PER_SEC;
	int i;

	memset(n, 0, sizeof *n);
	n->kind = kind;
	snprintf(n->name, sizeof n->name, "%s%d", kind->prefix, index + 1);
	n->rng = o->seed * 1000003 + (uint64_t)index * 2 + (kind->gpus > 0);
	n->scale = 0.92 + 0.12 * uniform(&n->rng);
	n->shift = 40 * uniform(&n->rng) - 20;
	n->phase = (0.1 + 0.8 * uniform(&n->rng)) * (double)o->interval / USEC_PER_SEC;
	n->fan = kind->fan_idle;
	for (i = 0; i < NGAPS; i++) {
		n->gap_at[i] = d * (0.15 + 0.7 * uniform(&n->rng));
		n->gap_len[i] = 60 + 180 * uniform(&n->rng);
	}
	for (i = 0; i < kind->gpus; i++) {
		n->gpu_eff[i] = 0.9 + 0.1 * uniform(&n->rng);
		n->gpu_offset[i] = 15 * uniform(&n->rng);
	}
}

static int
in_gap(const struct node *n, double x)
{
	for (int i = 0; i < NGAPS; i++)
		if (x >= n->gap_at[i] && x < n->gap_at[i] + n->gap_len[i])
			return 1;
	return 0;
}

/* One row, now and then missing its value or written twice. */
static void
emit(FILE *fp, struct node *n, struct sample *s, double value)
{
	double r = uniform(&n->rng);

	s->value = r < 0.001 ? NAN : value;
	rawcsv_write_row(fp, s);
	if (r > 0.998)
		rawcsv_write_row(fp, s);
}

/* Power of GPU g at x seconds (mW): bursts of 45 s every 2 min under load. */
static double
gpu_power(struct node *n, int g, double x, double load)
{
	int burst = fmod(x + n->gpu_offset[g], 120) < 45;
	double util = load * (burst ? 1.0 : 0.62) * n->gpu_eff[g];

	return 1000 * fmax(60, 68 + 620 * util + 6 * gauss(&n->rng));
}

/* All series of node n at instant t (x seconds into the window). */
static void
node_sample(FILE *fp, struct node *n, usec_t t, double x, double d, double dt)
{
	const struct profile *k = n->kind;
	double load = fmin(1, job_load(x - n->shift, d) * n->scale);
	double cpu, mem, storage, gpus = 0, out, gw[NGPUS];
	struct sample s = { n->name, NULL, "System.Embedded.1", "PowerMetrics", "W", t, 0, 0 };
	char fqdd[32];
	int g;

	n->fan += (k->fan_idle + (k->fan_full - k->fan_idle) * load - n->fan) * (1 - exp(-dt / 60));
	cpu = k->cpu_idle + (k->cpu_full - k->cpu_idle) * load + 6 * gauss(&n->rng);
	mem = k->mem_idle + (k->mem_full - k->mem_idle) * load + 1.5 * gauss(&n->rng);
	storage = 11.5 + (load > 0.3 && load < 0.4 ? 9 : 1.5 * uniform(&n->rng));
	for (g = 0; g < k->gpus; g++)
		gpus += (gw[g] = gpu_power(n, g, x, load)) / 1000;
	out = cpu + mem + storage + n->fan + k->board + gpus + 3 * gauss(&n->rng);
	s.metric = metric_ids[M_IN];
	emit(fp, n, &s, round(out / PSU_EFFICIENCY + 2 * gauss(&n->rng)));
	s.metric = metric_ids[M_OUT];
	emit(fp, n, &s, round(out));
	s.metric = metric_ids[M_CPU];
	emit(fp, n, &s, round(cpu));
	s.metric = metric_ids[M_MEM];
	emit(fp, n, &s, round(mem));
	s.metric = metric_ids[M_STORAGE];
	emit(fp, n, &s, round(storage * 10) / 10);
	s.metric = metric_ids[M_FAN];
	emit(fp, n, &s, round(n->fan + gauss(&n->rng)));
	s.metric = metric_ids[M_GPU];
	s.units = "mW";
	s.fqdd = fqdd;
	for (g = 0; g < k->gpus; g++) {
		snprintf(fqdd, sizeof fqdd, "Video.Slot.38-%d", g + 1);
		emit(fp, n, &s, round(gw[g]));
	}
}

/* Sampling instant k of node n in whole ms: jittered, but never across a
 * window edge, so each series has exactly one sample before the start and
 * one after the end. */
static usec_t
instant(struct node *n, const struct options *o, long k, usec_t *base)
{
	usec_t end = o->start + o->duration, t;

	*base = o->start + (usec_t)(n->phase * 1000) * 1000 + k * o->interval;
	t = *base + (usec_t)((2 * uniform(&n->rng) - 1) * JITTER_US / 1000) * 1000;
	if (*base < o->start)
		return t < o->start ? t : o->start - 1000;
	if (*base <= end)
		return t < o->start ? o->start : t > end ? end : t;
	return t > end ? t : end + 1000;
}

static int
generate(FILE *fp, const struct options *o)
{
	int nn = o->ncpu + o->ngpu, i, live;
	struct node *nodes = xcalloc((size_t)nn, sizeof *nodes);
	double d = (double)o->duration / USEC_PER_SEC, dt = (double)o->interval / USEC_PER_SEC;
	usec_t base, t;
	long k;

	for (i = 0; i < nn; i++)
		node_init(&nodes[i], i < o->ncpu ? &cpu_node : &gpu_node,
		    i < o->ncpu ? i : i - o->ncpu, o);
	rawcsv_write_header(fp);
	for (k = -1, live = 1; live; k++) {
		live = 0;
		for (i = 0; i < nn; i++) {
			t = instant(&nodes[i], o, k, &base);
			if (base - o->interval > o->start + o->duration)
				continue;	/* its sample after the end is out */
			live = 1;
			if (!in_gap(&nodes[i], (double)(t - o->start) / USEC_PER_SEC))
				node_sample(fp, &nodes[i], t, (double)(t - o->start) / USEC_PER_SEC, d, dt);
		}
	}
	free(nodes);
	if (fflush(fp) != 0 || ferror(fp))
		return pr_fail(PR_EOUTPUT, "write failed: check the disk");
	return PR_OK;
}

static void
usage(void)
{
	fputs("usage: gen-telemetry --start TIME --duration SECONDS [--cpu N] [--gpu M]\n"
	    "                     [--interval SECONDS] [--seed N] [--zone ZONE] [-o FILE]\n", stderr);
	exit(PR_EUSAGE);
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "cpu", required_argument, NULL, 'c' },
		{ "gpu", required_argument, NULL, 'g' },
		{ "start", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "interval", required_argument, NULL, 'i' },
		{ "seed", required_argument, NULL, 'r' },
		{ "zone", required_argument, NULL, 'z' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	int c, have_start = 0;

	*o = (struct options){ 1, 1, 0, 0, 5 * USEC_PER_SEC, 1, NULL, NULL };
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->ncpu = atoi(optarg); break;
		case 'g': o->ngpu = atoi(optarg); break;
		case 's':
			if (time_parse(optarg, &o->start) != PR_OK)
				return PR_EUSAGE;
			have_start = 1;
			break;
		case 'd': o->duration = (usec_t)(atof(optarg) * USEC_PER_SEC); break;
		case 'i': o->interval = (usec_t)(atof(optarg) * USEC_PER_SEC); break;
		case 'r': o->seed = strtoull(optarg, NULL, 10); break;
		case 'z': o->zone = optarg; break;
		case 'o': o->out = optarg; break;
		default: usage();
		}
	}
	if (optind != argc || !have_start || o->duration <= 0 || o->interval <= 0 ||
	    o->ncpu < 0 || o->ngpu < 0)
		usage();
	return time_set_zone(o->zone);
}

int
main(int argc, char **argv)
{
	struct options o;
	FILE *fp = stdout;
	int st;

	if ((st = parse_options(argc, argv, &o)) != PR_OK) {
		fprintf(stderr, "gen-telemetry: %s\n", pr_errmsg());
		return st;
	}
	if (o.out != NULL && (fp = fopen(o.out, "w")) == NULL) {
		fprintf(stderr, "gen-telemetry: %s: %m\n", o.out);
		return PR_EOUTPUT;
	}
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	st = generate(fp, &o);
	if (fclose(fp) != 0 && st == PR_OK)
		st = pr_fail(PR_EOUTPUT, "%s: write failed", o.out ? o.out : "stdout");
	if (st != PR_OK)
		fprintf(stderr, "gen-telemetry: %s\n", pr_errmsg());
	return st;
}
