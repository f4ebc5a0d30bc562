/*
 * hostlist.h - Slurm hostlist expressions ("rpc-91-[1-3,10]",
 * "rpg-[001-010]", "a[1-2]-b[3-4]", "x1,y[2-3]") expanded exactly as
 * Slurm's scontrol show hostnames does, and compressed back for display.
 */
#ifndef PR_HOSTLIST_H
#define PR_HOSTLIST_H

#include "strlist.h"

/* Largest number of hosts one expression may expand to. */
#define HOSTLIST_MAX 65536

/* Append the hosts of expr to out, in Slurm's order, duplicates removed
 * (keeping the first).  Malformed input or more than HOSTLIST_MAX hosts:
 * pr_fail(PR_EUSAGE, ...) naming the problem and the position. */
int hostlist_expand(const char *expr, struct strlist *out);

/* Compress hosts back into a hostlist expression ("rpc-91-[1-3,10]").
 * Returns a malloc'd string. */
char *hostlist_compress(const struct strlist *hosts);

#endif
