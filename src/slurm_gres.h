/*
 * slurm_gres.h - which GPUs a job held on a node, from Slurm's own words:
 * one node's entry of slurmrestd's gres_detail ("gpu:h100:2(IDX:0-1)"),
 * the text scontrol show job -d prints as GRES=.  Strict: text of any
 * other shape is unknown, never a guess (attribution_gpu.c then charges
 * the node's GPUs by the job's CPU share and says why).
 */
#ifndef PR_SLURM_GRES_H
#define PR_SLURM_GRES_H

#include <stdint.h>

#define GRES_MAX_INDEX 63	/* GPU indices 0..63: one bit each */
#define GRES_MAX_TEXT 1024	/* a longer entry is not Slurm's */

enum gres_parse {
	GRES_OK,		/* *mask: the GPUs held (0: none on the node) */
	GRES_SHARED_GPUS,	/* shards or MPS: a part of GPUs, not whole ones */
	GRES_MALFORMED		/* not a gres_detail entry this code can read */
};

/* The GPU indices of one gres_detail entry as bits of *mask: items
 * "name[:type][:count][(inner)]" separated by commas outside parentheses;
 * "gpu" items need inner "IDX:" and a list of indices and ranges (0,2 or
 * 0-1,3), each at most GRES_MAX_INDEX, never repeated, as many as the
 * count when there is one; other GRES (nic, ...) are skipped; "" and
 * "(null)" hold no GRES. */
enum gres_parse slurm_gres_gpus(const char *text, uint64_t *mask);

#endif
