/*
 * attribution_gpu.c - GPUs charged by the GPUs the job held, where that is
 * known (attribution.h).  On a shared node the CPU share says little about
 * GPUs: a job with a quarter of the CPUs may hold all four GPUs.  Where
 * Slurm said which GPU indices the job held (slurm.jobs' gres_detail,
 * read by slurm_gres.c) and the node's rule maps its GPU FQDDs to those
 * indices (gpu_fqdds), each mapped GPU series is charged whole to the job
 * when it held the GPU and not at all when it did not; the GPUs it did not
 * hold go to the other jobs and the unallocated part in proportion to
 * their CPUs.  The difference moves into the node's input and output
 * series too, so the job is charged its CPU share of the node without its
 * GPUs plus its own GPUs, and job + others + unallocated stays the node.
 * Anything less than both facts: the CPU share, as before, and the
 * report says why.
 */
#include "attribution.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "slurm_gres.h"

#define MAX_QUOTED 64	/* bytes of Slurm's text quoted in a note */

const char *const gpu_method_label[] = { NULL, "cpu_share", "gpu_index" };

const char *const gpu_why_label[GPU_WHY_N] = {
	[GPU_WHY_NONE] = NULL,
	[GPU_WHY_WHOLE_NODE] = "the job had the node to itself",
	[GPU_WHY_NO_MAPPING] = "the node's rule has no gpu_fqdds",
	[GPU_WHY_UNKNOWN] = "Slurm did not say which GPUs",
	[GPU_WHY_UNREADABLE] = "Slurm's list of the job's GPUs is not readable",
	[GPU_WHY_SHARDS] = "the job held shares of GPUs (shard, MPS), not whole GPUs",
	[GPU_WHY_BEYOND] = "Slurm's GPU index is beyond the rule's gpu_fqdds",
	[GPU_WHY_UNMAPPED] = "none of its GPU series is in the rule's gpu_fqdds",
};

/* ---- what Slurm said ---- */

static struct node_usage *
node_named(struct attribution *a, const char *hostname)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->nodes[i].hostname, hostname) == 0)
			return &a->nodes[i];
	return NULL;
}

/* Database text in a note: printable, at most MAX_QUOTED bytes. */
static char *
quoted(const char *s)
{
	char *q = strndup(s, MAX_QUOTED);

	for (char *p = q; *p; p++)
		if (!isprint((unsigned char)*p) || *p == '"')
			*p = '?';
	return q;
}

/* One node's entry of the GRES column into n. */
static void
take_entry(struct attribution *a, struct node_usage *n, const cJSON *entry,
    const char *column)
{
	char *q;

	if (cJSON_IsString(entry)) {
		switch (slurm_gres_gpus(entry->valuestring, &n->job_gpus)) {
		case GRES_OK:
			n->gres = GRES_KNOWN;
			return;
		case GRES_SHARED_GPUS:
			n->gres = GRES_SHARDS;
			return;
		case GRES_MALFORMED:
			break;
		}
	}
	n->gres = GRES_UNREADABLE;
	q = quoted(cJSON_IsString(entry) ? entry->valuestring : "(not a string)");
	strlist_addf(&a->notes, "%s\t%s for the node, \"%s\", is not a list of GPU "
	    "indices (e.g. gpu:h100:2(IDX:0-1)): its GPUs are charged by the job's "
	    "CPU share", n->hostname, column, q);
	free(q);
}

void
attribution_gpu_take(struct attribution *a, const char *nodes_json,
    const char *gres_json, const char *column)
{
	cJSON *nodes = nodes_json != NULL ? cJSON_Parse(nodes_json) : NULL;
	cJSON *gres = gres_json != NULL ? cJSON_Parse(gres_json) : NULL;
	const cJSON *host, *entry;
	int n = cJSON_GetArraySize(nodes);

	/* no column, null or [] (no GRES at all): unknown, nothing to say */
	bool there = gres != NULL && !cJSON_IsNull(gres) && cJSON_GetArraySize(gres) > 0;

	if (there && (!cJSON_IsArray(gres) || !cJSON_IsArray(nodes) ||
	    cJSON_GetArraySize(gres) != n))
		strlist_addf(&a->notes, "%s does not give one entry per node of the "
		    "job: which GPUs it held is unknown", column);
	else if (there) {
		entry = gres->child;
		cJSON_ArrayForEach(host, nodes) {
			struct node_usage *u = cJSON_IsString(host) ?
			    node_named(a, host->valuestring) : NULL;

			if (u != NULL)
				take_entry(a, u, entry, column);
			entry = entry->next;
		}
	}
	cJSON_Delete(nodes);
	cJSON_Delete(gres);
}

/* ---- the weights of a GPU series ---- */

static double
first(double a, double b)
{
	(void)b;
	return a;
}

/* A GPU the job did not hold: the other jobs' and the unallocated part
 * in proportion to their CPUs (unallocated when the job held them all). */
static double
others_part(double others, double free)
{
	return others + free > 0 ? others / (others + free) : 0;
}

static double
free_part(double others, double free)
{
	return others + free > 0 ? free / (others + free) : 1;
}

static int
highest_index(uint64_t mask)
{
	int i = -1;

	for (; mask != 0; mask >>= 1)
		i++;
	return i;
}

static enum gpu_why
why_not_by_index(const struct node_usage *n)
{
	size_t ngpus = n->gpu_fqdds != NULL ? n->gpu_fqdds->n : 0;

	if (!n->shared)
		return GPU_WHY_WHOLE_NODE;
	if (ngpus == 0)
		return GPU_WHY_NO_MAPPING;
	switch (n->gres) {
	case GRES_UNKNOWN:
		return GPU_WHY_UNKNOWN;
	case GRES_UNREADABLE:
		return GPU_WHY_UNREADABLE;
	case GRES_SHARDS:
		return GPU_WHY_SHARDS;
	case GRES_KNOWN:
		break;
	}
	if (ngpus <= GRES_MAX_INDEX && (n->job_gpus >> ngpus) != 0)
		return GPU_WHY_BEYOND;
	return GPU_WHY_NONE;
}

static void
build_weights(struct node_usage *n, usec_t start, usec_t end)
{
	steps_add(&n->held[CH_JOB], start, 1);
	steps_add(&n->held[CH_OTHERS], start, 0);
	steps_add(&n->held[CH_FREE], start, 0);
	if (n->idle_on.n > 0)
		steps_combine(&n->idle_on, &n->held[CH_JOB], end, first, &n->held[CH_IDLE]);
	steps_add(&n->not_held[CH_JOB], start, 0);
	steps_combine(&n->ch[CH_OTHERS], &n->ch[CH_FREE], end, others_part,
	    &n->not_held[CH_OTHERS]);
	steps_combine(&n->ch[CH_OTHERS], &n->ch[CH_FREE], end, free_part,
	    &n->not_held[CH_FREE]);
}

void
attribution_gpu_prepare(struct attribution *a, usec_t start, usec_t end)
{
	for (size_t i = 0; i < a->n; i++) {
		struct node_usage *n = &a->nodes[i];

		n->gpu_why = why_not_by_index(n);
		n->by_index = n->gpu_why == GPU_WHY_NONE;
		if (n->by_index)
			build_weights(n, start, end);
		if (n->gpu_why == GPU_WHY_BEYOND)
			strlist_addf(&a->notes, "%s\tSlurm says the job held GPU index "
			    "%d, but the rule's gpu_fqdds names %zu GPUs: its GPUs are "
			    "charged by the job's CPU share", n->hostname,
			    highest_index(n->job_gpus), n->gpu_fqdds->n);
	}
}

const struct steps *
attribution_gpu_steps(const struct node_usage *n, const char *fqdd)
{
	int k = n->by_index ? strlist_find(n->gpu_fqdds, fqdd) : -1;

	if (k < 0)
		return NULL;
	return (n->job_gpus >> k) & 1 ? n->held : n->not_held;
}

double
attribution_gpu_count(const struct node_usage *n, const struct node_result *nr)
{
	double gpus = 0;

	for (size_t k = 0; k < nr->nseries; k++) {
		int idx = n->by_index ? strlist_find(n->gpu_fqdds, nr->series[k].fqdd) : -1;

		if (nr->series[k].role != ROLE_GPU)
			continue;
		if (!n->shared)
			gpus += 1;
		else if (idx >= 0)
			gpus += (double)((n->job_gpus >> idx) & 1);
		else
			gpus += n->mean_share;
	}
	return gpus;
}

/* ---- charging ---- */

/* The first usable series of a role, NULL: none. */
static struct wseries *
first_of_role(struct node_usage *n, enum metric_role role)
{
	for (size_t k = 0; k < n->nws; k++)
		if (n->ws[k].role == role && n->ws[k].have_last && n->ws[k].scale != 0)
			return &n->ws[k];
	return NULL;
}

static void
add_channels(struct wseries *ws, const double d[CH_N])
{
	for (int c = 0; ws != NULL && c < CH_N; c++)
		ws->j[c] += d[c];
}

void
attribution_gpu_charge(struct attribution *a, struct node_usage *n)
{
	double d[CH_N] = { 0 };
	size_t mapped = 0;

	for (size_t k = 0; k < n->nws; k++) {
		struct wseries *ws = &n->ws[k];

		if (ws->role != ROLE_GPU)
			continue;
		if (ws->gch == NULL && n->by_index) {
			char *q = quoted(ws->fqdd);

			strlist_addf(&a->notes, "%s\tGPU %s is not in the rule's "
			    "gpu_fqdds: charged by the job's CPU share", n->hostname, q);
			free(q);
		}
		if (ws->gch == NULL)
			continue;
		mapped++;
		for (int c = 0; c < CH_N; c++) {
			d[c] += ws->g[c] - ws->j[c];
			ws->j[c] = ws->g[c];
		}
	}
	add_channels(first_of_role(n, ROLE_INPUT), d);
	add_channels(first_of_role(n, ROLE_OUTPUT), d);
	if (n->ngpus == 0)
		n->gpu_method = GPU_METHOD_NONE;
	else if (mapped > 0)
		n->gpu_method = GPU_METHOD_INDEX;
	else {
		n->gpu_method = GPU_METHOD_CPU_SHARE;
		if (n->gpu_why == GPU_WHY_NONE)
			n->gpu_why = GPU_WHY_UNMAPPED;
	}
}
