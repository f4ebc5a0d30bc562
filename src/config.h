/*
 * config.h - site configuration: which database and metrics serve which
 * nodes, how to connect, how to display.  Read from JSON with comments
 * (jsonc.h); built-in defaults match the MonSter deployment (rpc* -> zen4,
 * rpg* -> h100).
 */
#ifndef PR_CONFIG_H
#define PR_CONFIG_H

#include "strlist.h"

struct rule {
	char *match;		/* glob on the hostname ("rpc*", "rpg-0[0-4]*") */
	char *database;		/* "zen4" */
	char *schema;		/* "idrac"; a checked SQL identifier */
	struct strlist metrics;	/* metric ids, e.g. "SystemInputPower" */
	char *conninfo;		/* per-rule libpq conninfo, or NULL */
};

struct config {
	char *path;		/* file it came from, or NULL for built-in */
	struct rule *rules;
	size_t nrules;
	char *conninfo;		/* base libpq conninfo (dbname from the rule) */
	int connect_timeout_s;	/* default 10 */
	int statement_timeout_ms; /* default 120000 */
	char *jobs_schema;	/* schema of the jobs table, default "slurm" */
	char *timezone;		/* display zone, NULL = process TZ */
	double sampling_interval_s; /* telemetry interval; 0 (default): per series,
				 * from the database or the median spacing */
	double max_node_w;	/* plausible limits; 0: hardware defaults */
	double max_gpu_w;	/* (series_default_max_w) */
	double max_component_w;
	double banner_coverage;	/* input coverage below this: banner, default 0.95 */
	char *template_dir;	/* NULL = installed templates */
	char *paper;		/* "A4" (default) or "Letter" */
	double price_per_kwh;	/* NAN when not configured */
	char *currency;		/* "USD" */
	double co2_g_per_kwh;	/* NAN when not configured */
	int formats;		/* FMT_ mask of the default output formats */
	double history_runs;	/* earlier runs shown in a report (history.runs), 0: none */
	int history_budget_ms;	/* time they may take (history.budget_ms), 3000 */
	int stale_temporary_s;	/* a killed run's .power_* older than this goes; 3600 */
};

/* Built-in defaults. */
void config_defaults(struct config *cfg);

/* Load path on top of the defaults.  Unknown key, wrong type, bad value:
 * pr_fail(PR_ECONFIG, "FILE: key \"x\": ...").  Unreadable: PR_ECONFIG.
 * cfg must already hold config_defaults() (or an earlier load); on failure
 * it may be partly updated but is still valid for config_free. */
int config_load(struct config *cfg, const char *path);

/* config_load on the len bytes at data instead of a file (name is used in
 * messages and as cfg->path); for tests and fuzzing. */
int config_load_buffer(struct config *cfg, const char *name, const char *data,
    size_t len);

/* Find the configuration the documented way: explicit path, else
 * $POWERREPORT_CONFIG, else SYSCONFDIR/powerreport/config.json if present,
 * else built-in defaults.  Like config_load, cfg must already hold
 * config_defaults(); config_free it even on failure. */
int config_find_and_load(struct config *cfg, const char *explicit_path);

/* First rule whose glob matches hostname, or NULL. */
const struct rule *config_rule_for(const struct config *cfg, const char *hostname);

void config_free(struct config *cfg);

#endif
