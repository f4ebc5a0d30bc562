/*
 * prom_config.h - the "prometheus" section of the configuration: the metric
 * name prefix of metrics.prom, and where the metrics are published after a
 * report is written (a Pushgateway, a node_exporter textfile directory).
 * Its own module so config.c holds only a one-line hook.
 */
#ifndef PR_PROM_CONFIG_H
#define PR_PROM_CONFIG_H

#include <stdbool.h>

struct jsonc;
struct cJSON;

struct prom_config {
	char *prefix;		/* metric name prefix, default "powerreport" */
	char *pushgateway_url;	/* http(s)://host:port[/path]; NULL: no push */
	char *auth_file;	/* one line "user:password" for basic auth, or NULL */
	char *cacert;		/* CA bundle for https; NULL: libcurl's default */
	int push_timeout_s;	/* the whole push, connect included; default 10 */
	char *textfile_dir;	/* node_exporter textfile collector directory, or NULL */
};

void prom_config_defaults(struct prom_config *pc);
void prom_config_free(struct prom_config *pc);

/* jsonc_field setter of the "prometheus" object into a struct prom_config. */
int prom_config_set(struct jsonc *j, const struct cJSON *item, void *dst);

/* A metric name by the exposition rules: [a-zA-Z_:][a-zA-Z0-9_:]*. */
bool prom_metric_name_ok(const char *name);

#endif
