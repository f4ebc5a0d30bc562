/*
 * pushgateway.h - sending a job's metrics to a Prometheus Pushgateway, the
 * group job="powerreport",job_id=<id> replaced as a whole (HTTP PUT), and
 * removing a group (DELETE), through libcurl.
 */
#ifndef PR_PUSHGATEWAY_H
#define PR_PUSHGATEWAY_H

#include <stddef.h>

#include "prom_config.h"

/* PUT text (OpenMetrics/Prometheus text) as the group of job_id, or with
 * text NULL DELETE that group, at pc->pushgateway_url; basic auth from
 * pc->auth_file, TLS checked by libcurl (pc->cacert when set), the whole
 * exchange bounded by pc->push_timeout_s.  PR_OK; PR_EINTR when
 * pr_interrupted is set meanwhile (checked at least once a second);
 * PR_ESOURCE with a one-line message (never the password) otherwise. */
int pushgateway_send(const struct prom_config *pc, const char *job_id,
    const char *text);

#endif
