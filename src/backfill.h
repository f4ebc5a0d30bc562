/*
 * backfill.h - many reports in one process: `powerreport --jobs-from FILE`
 * and `--jobs-since DATE`, each job made by a worker of its own (fork),
 * at most -j of them at a time.
 */
#ifndef PR_BACKFILL_H
#define PR_BACKFILL_H

#include "cli.h"

/* Make or refresh the report of every job o selects, one line per job on
 * stdout ("ID ok PATH" or "ID failed (exit N): why").  PR_OK when every
 * job succeeded; else the status of the first failed job in list order,
 * with a message naming the failed ids; PR_EINTR after a signal (passed on
 * to the running workers, which are waited for). */
int backfill(const struct options *o);

#endif
