/*
 * attribution.h - whose energy it was and how busy the nodes were.  From
 * MonSter's per-node Slurm metrics (slurm.node_jobs, slurm.cpu_load, memory
 * use) it builds, per node, step functions over the job window: the job's
 * share of the node (its CPUs over the node's), the other jobs' share, the
 * unallocated rest, and the job's share while the node sat idle.  Power
 * samples are weighted by them as they stream past, so the job is charged
 * its share of each stretch exactly, and the shares of all jobs plus the
 * unallocated part add up to the node's energy.  A shared node's GPUs go
 * by the GPUs the job held where Slurm and the configuration say which
 * (attribution_gpu.c).  Nodes the job had to itself are left alone: their
 * numbers are the node's, bit for bit.
 * doc/attribution.md explains the method to users.
 */
#ifndef PR_ATTRIBUTION_H
#define PR_ATTRIBUTION_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"
#include "source.h"
#include "steps.h"
#include "timeline.h"

/* The weights a power series is integrated against. */
enum share_channel {
	CH_JOB,		/* the job's share of the node */
	CH_OTHERS,	/* other jobs' share */
	CH_FREE,	/* unallocated CPUs */
	CH_IDLE,	/* the job's share while the node's load was low */
	CH_N
};


/* A run of slurm.node_jobs rows of one node that say the same, as the job
 * sees them, none further than the stale limit from the one before: the
 * database sends runs, not rows, so memory grows with the changes. */
struct node_jobs_run {
	usec_t t, last;		/* first and last row */
	int job_cpus;		/* -1: the job is not in the rows */
	int all_cpus;		/* CPUs of every job in the rows */
	int njobs;
};

/* A run of slurm.cpu_load rows on the same side of the idle threshold. */
struct load_run {
	usec_t t, last;
	bool idle;
	double sum;		/* of the loads of its rows inside the window */
	size_t count;		/* those rows */
};

/* One power series weighted by every channel, integrated as it streams. */
struct wseries {
	char *metric, *fqdd;
	enum metric_role role;
	double scale;		/* units -> W; 0: unusable */
	bool have_last;
	usec_t first_t, last_t;
	double first_w, last_w;
	size_t cur[CH_N];	/* step holding last_t, per channel */
	double j[CH_N];		/* joules (2x W x us while streaming) */
	/* a GPU charged by index: the same against its own weights */
	const struct steps *gch;	/* NULL: by CPU share only */
	size_t gcur[CH_N];
	double g[CH_N];
};

/* What Slurm said about the job's GPUs on a node (slurm.jobs). */
enum gres_state {
	GRES_UNKNOWN,		/* nothing: no column, no row, no entry */
	GRES_KNOWN,		/* node_usage.job_gpus */
	GRES_UNREADABLE,	/* an entry slurm_gres.c cannot read */
	GRES_SHARDS		/* shards or MPS: parts of GPUs */
};

/* How a node's GPU series were charged (attribution_gpu.c). */
enum gpu_method { GPU_METHOD_NONE, GPU_METHOD_CPU_SHARE, GPU_METHOD_INDEX };
extern const char *const gpu_method_label[];	/* NULL, "cpu_share", "gpu_index" */

/* Why by CPU share (GPU_WHY_NONE: by index, or no GPU series). */
enum gpu_why {
	GPU_WHY_NONE, GPU_WHY_WHOLE_NODE, GPU_WHY_NO_MAPPING, GPU_WHY_UNKNOWN,
	GPU_WHY_UNREADABLE, GPU_WHY_SHARDS, GPU_WHY_BEYOND, GPU_WHY_UNMAPPED,
	GPU_WHY_N
};
extern const char *const gpu_why_label[];	/* "Slurm did not say which GPUs", ... */

/* How a node's idle stretches were found. */
enum idle_from {
	IDLE_NONE,		/* not at all: no cpu_load, no input power */
	IDLE_CPU_LOAD,		/* CPU load under low_load of the CPUs */
	IDLE_CONFIGURED,	/* input power within the margin of the rule's idle_w */
	IDLE_LOWEST,		/* ... of the lowest sustained level seen */
	IDLE_GPU_UTIL,		/* a GPU's utilisation under low_load */
	IDLE_FROM_N
};
extern const char *const idle_from_label[];	/* "none", "cpu_load", ... */

/* A stretch of time a node sat idle. */
struct idle_stretch {
	usec_t t0, t1;
};

/* One GPU's power in the heatmap's time buckets, for its idle energy. */
struct gpu_idle {
	char *metric, *fqdd;
	double scale;		/* units -> W; 0: unusable */
	bool have_last;
	usec_t last_t;
	double last_w;
	double integ[TL_HEAT_BUCKETS];	/* W x us inside each bucket */
	double cov[TL_HEAT_BUCKETS];	/* us measured */
	/* results */
	enum idle_from from;
	double level_w;		/* idle power used, NAN: no samples */
	double idle_j;		/* the job's energy while idle, NAN: unknown */
};

/* Utilisation over time, job-wide, in UTIL_BUCKETS time buckets over the
 * job window (source_pg_util.c): the mean over the job's nodes (GPUs for
 * UTIL_GPU) of each one's share 0..1, only those with a value counting;
 * a bucket none has a value for is unknown. */
#define UTIL_BUCKETS TL_HEAT_BUCKETS
enum util_kind { UTIL_CPU, UTIL_MEM, UTIL_GPU, UTIL_N };
extern const char *const util_label[];	/* "CPU load", "Memory", "GPU util" */

struct util_series {
	bool read;			/* its table was read somewhere */
	double sum[UTIL_BUCKETS];	/* of the shares */
	unsigned n[UTIL_BUCKETS];	/* nodes or GPUs with a value */
	size_t dropped;			/* implausible rows left out */
};

/* One GPU's utilisation in the UTIL_BUCKETS buckets (0..1, NAN: unknown),
 * for its idle stretches. */
struct gpu_util {
	char *fqdd;
	double v[UTIL_BUCKETS];
};

enum cpus_from { CPUS_UNKNOWN, CPUS_CONFIG, CPUS_NODES_TABLE, CPUS_ALLOCATED };
extern const char *const cpus_from_label[];	/* "unknown", "config", ... */

struct node_usage {
	const char *hostname;		/* the plan's */
	int cpus;			/* the node's CPUs, 0: unknown */
	enum cpus_from cpus_from;
	/* as read */
	struct node_jobs_run *jobs;
	size_t njobs, jobs_cap;
	struct load_run *load;
	size_t nload, load_cap;
	double mem_mean;		/* memory use as stored, NAN: unknown */
	const struct rule *rule;	/* the plan's, NULL: no telemetry source */
	double gpu_util_mean;		/* 0..1 over its GPUs and time, NAN: unknown */
	/* derived (attribution_prepare) */
	struct steps ch[CH_N];
	bool shared;			/* the job's share is below 1 somewhere */
	bool weigh;			/* power samples go through ch[] */
	double mean_share;		/* time-weighted, NAN: no node_jobs */
	double core_hours;		/* the job's CPUs x time, NAN: unknown */
	double load_mean;		/* CPU load / CPUs, NAN: unknown */
	double low_load_share;		/* share of load rows under the threshold */
	/* streaming */
	struct wseries *ws;
	size_t nws, ws_cap, last;
	/* results (attribution_apply) */
	double node_j[COMP_N];		/* the whole node */
	double idle_j;			/* the job's energy while idle, NAN: unknown */
	enum idle_from idle_from;
	double idle_w;			/* the rule's idle power, 0: none */
	double idle_level_w;		/* idle power used, NAN: not from power */
	double gpu_idle_w;		/* the rule's idle power of a GPU, 0: none */
	struct idle_stretch *stretches;	/* when it sat idle, in time order */
	size_t nstretches, stretches_cap;
	struct gpu_idle *gpus;
	size_t ngpus, gpus_cap, last_gpu;
	struct gpu_util *gutil;		/* per GPU, where a utilisation metric has it */
	size_t ngutil;
	double free_j, others_j;	/* input energy of the rest of the node */
	double *series_job_j;		/* per node_result series; NULL: whole node */
	/* GPUs by index (attribution_gpu.c) */
	const struct strlist *gpu_fqdds;	/* the rule's, in GPU index order */
	enum gres_state gres;
	uint64_t job_gpus;		/* bit i: the job held GPU index i */
	bool by_index;			/* mapped GPU series go by held[], not_held[] */
	struct steps held[CH_N], not_held[CH_N];
	struct steps idle_on;		/* 1 where the CPU load was low */
	enum gpu_method gpu_method;
	enum gpu_why gpu_why;
};

struct attribution {
	struct node_usage *nodes;	/* plan order, like the report's */
	size_t n;
	bool have_node_jobs, have_load, have_mem;
	const char *mem_table;		/* "memoryusage", "memory_used" or NULL */
	bool any_shared;
	int job_cpus;			/* slurm.jobs.cpus, 0: unknown */
	bool job_row;			/* slurm.jobs had the job */
	struct util_series util[UTIL_N];	/* over the job window */
	double stale_s, low_load;	/* from the config */
	double idle_margin;
	struct {			/* metric ids seen, with their roles: */
		char *metric;		/* CSV rows interleave metrics, so a */
		enum metric_role role;	/* "last one" cache missed every row */
	} roles[16];
	size_t nroles;
	usec_t start, end;		/* the window (attribution_prepare) */
	struct strlist notes;		/* job-wide data-quality remarks */
	/* the sink that weighs samples, then hands them on */
	struct sample_sink sink;
	const struct sample_sink *next;
	size_t last;
	/* results */
	double node_j[COMP_N];		/* job totals, whole nodes */
	double idle_j;			/* NAN: unknown on every node */
	double gpu_idle_j;		/* the job's GPU energy while idle, NAN: no GPU */
	double core_hours, gpu_hours;	/* NAN: unknown */
	double kwh_per_core_hour, kwh_per_gpu_hour, kwh_per_work;
	double work;			/* NAN: none given */
	char *work_unit;
};

/* An empty attribution for the nodes of plan (nothing known yet). */
void attribution_init(struct attribution *a, const struct plan *plan,
    const struct config *cfg);
void attribution_free(struct attribution *a);

/* Read node_jobs, cpu_load, memory use, node CPU counts and the job's CPU
 * count from every database of the plan (source_pg_slurm.c): one read-only
 * transaction per database, one statement per table, whatever the number
 * of nodes.  Missing tables are notes; a database fault is PR_ESOURCE. */
int attribution_read_pg(struct attribution *a, const struct config *cfg,
    const struct plan *plan, const struct job *job);

/* The job-wide share of kind in bucket b, NAN: unknown; its mean over
 * the buckets that have one (NAN: none); whether any kind has a value
 * anywhere (else no strip under the power chart). */
double attribution_util(const struct attribution *a, enum util_kind kind, int b);
double attribution_util_mean(const struct attribution *a, enum util_kind kind);
bool attribution_util_known(const struct attribution *a);

/* CPUs the load of node n is a share of: the node's, else the most
 * allocated at once (0: unknown). */
int attribution_node_cpus(const struct node_usage *n);

/* Turn the runs into step functions over [start, end) and decide which
 * nodes need their samples weighed.  Warnings about stale or missing rows
 * go to the node's notes (added to the report by attribution_apply). */
void attribution_prepare(struct attribution *a, usec_t start, usec_t end);

/* Idle energy from input power (attribution_idle.c) on every node whose
 * CPU load said nothing: the heatmap buckets within idle_margin of the
 * rule's idle_w, else of the lowest sustained level (5th percentile of
 * the buckets), charged at the job's share. */
void attribution_power_idle(struct attribution *a, const struct report *rep);

/* A GPU power sample of node n into its buckets (a window from start to end). */
void attribution_gpu_sample(struct node_usage *n, const struct sample *smp,
    usec_t start, usec_t end);

/* Each GPU's idle energy, like the nodes' from power, with the rule's
 * gpu_idle_w; charged at the job's share of the node. */
void attribution_gpu_idle(struct attribution *a);
void attribution_gpu_free(struct node_usage *n);

/* The job's row of slurm.jobs as read (attribution_gpu.c): nodes_json its
 * nodes (a JSON array of hostnames, or a hostlist string) and gres_json
 * the per-node GRES column (a JSON array, one entry per node; NULL or
 * "null": not there); column names it in notes. */
void attribution_gpu_take(struct attribution *a, const char *nodes_json,
    const char *gres_json, const char *column);
/* After the shares: which shared nodes charge their GPUs by index, and
 * the weights of a GPU the job held and of one it did not. */
void attribution_gpu_prepare(struct attribution *a, usec_t start, usec_t end);
/* The weights of GPU series fqdd of node n, NULL: the node's CPU share. */
const struct steps *attribution_gpu_steps(const struct node_usage *n, const char *fqdd);
/* The GPUs of node n (its series in nr) the job had, for its GPU-hours:
 * every GPU when it had the node alone, else those it held where known,
 * else each GPU at the job's time-weighted CPU share. */
double attribution_gpu_count(const struct node_usage *n, const struct node_result *nr);
/* After the streams: GPU series by index into the node's input and output
 * series (so job + others + free stays the node), the method and notes. */
void attribution_gpu_charge(struct attribution *a, struct node_usage *n);
/* The idle stretches of node n (attribution_power_idle fills them). */
void attribution_stretches_free(struct node_usage *n);

/* A sink that weighs each sample and passes it on to next. */
const struct sample_sink *attribution_sink(struct attribution *a,
    const struct sample_sink *next);

/* After the collector: keep the whole-node figures, charge the job its
 * share, fill the idle energy and the per-unit-of-work figures, add the
 * data-quality notes.  rep->attr points at a afterwards. */
void attribution_apply(struct attribution *a, struct report *rep);

/* The whole-node breakdown of node i (its own when nothing was attributed). */
const double *attribution_node_energy(const struct report *rep, size_t i);
/* Job totals of the whole nodes. */
const double *attribution_total_node_energy(const struct report *rep);
/* The job's part of series k of node i (the measured energy when whole). */
double attribution_series_energy(const struct report *rep, size_t i, size_t k);

/* "work=1.2e6:timesteps" after keyword in a job comment: 1 and the figure
 * and unit (malloc'd) when there, 0 when not, -1 when malformed. */
int attribution_parse_work(const char *comment, const char *keyword,
    double *work, char **unit);

/* The figure of merit: work > 0 (--work, with unit or NULL) wins, else
 * "work=" in the job comment after the keyword ($MONSTER_POWER_COMMENT_KEYWORD,
 * default power_profiling); a malformed one is a note. */
void attribution_set_work(struct attribution *a, double work, const char *unit,
    const char *comment);

#endif
