/*
 * metrics_prom.h - the job's figures as OpenMetrics text: metrics.prom in
 * the report directory, and the same text pushed to a Pushgateway or left
 * for node_exporter's textfile collector (prom_publish.h).
 */
#ifndef PR_METRICS_PROM_H
#define PR_METRICS_PROM_H

#include "report.h"
#include "strbuf.h"

/* Append the exposition of rep to b: energy per job, node and component,
 * per GPU, coverage per series, duration and window, every sample labelled
 * job_id, user, account, partition, cluster (empty when unknown) and node
 * where it has one; names start with rep->cfg->prom.prefix.  Nodes without
 * data have no energy samples (unknown, not zero).  Ends with "# EOF". */
void metrics_prom_text(const struct report *rep, struct strbuf *b);

#endif
