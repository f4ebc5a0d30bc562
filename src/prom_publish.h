/*
 * prom_publish.h - publishing a written report's metrics where Prometheus
 * finds them: a Pushgateway and/or a node_exporter textfile directory, as
 * the "prometheus" configuration says.  The report is already committed:
 * a failure here is a warning, never a lost report.
 */
#ifndef PR_PROM_PUBLISH_H
#define PR_PROM_PUBLISH_H

#include "report.h"

/* Push and/or write the textfile for rep.  Failures are logged as
 * warnings and PR_OK returned; PR_EINTR when a signal interrupted. */
int prom_publish(const struct report *rep);

#endif
