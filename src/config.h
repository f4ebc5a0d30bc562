/*
 * config.h - site configuration: which database and metrics serve which
 * nodes, how to connect, how to display.  Read from JSON with comments
 * (jsonc.h); built-in defaults match the MonSter deployment (rpc* -> zen4,
 * rpg* -> h100).
 */
#ifndef PR_CONFIG_H
#define PR_CONFIG_H

#include "prom_config.h"
#include "strlist.h"

/* How accurate a metric's readings are (uncertainty.c): percent of the
 * reading or a fixed band in watts, whichever is larger; NAN: the
 * documented default of the metric's kind. */
struct accuracy {
	char *metric;
	double percent, watts;
};

struct rule {
	char *match;		/* glob on the hostname ("rpc*", "rpg-0[0-4]*") */
	char *database;		/* "zen4" */
	char *schema;		/* "idrac"; a checked SQL identifier */
	struct strlist metrics;	/* metric ids, e.g. "SystemInputPower" */
	char *conninfo;		/* per-rule libpq conninfo, or NULL */
	int cpus;		/* CPUs of each node, 0: from public.nodes */
	double idle_w;		/* input power of an idle node, 0: lowest sustained level */
	double gpu_idle_w;	/* power of an idle GPU, 0: its lowest sustained level */
	struct strlist gpu_fqdds;	/* GPU FQDDs by Slurm GPU index; empty: none */
	struct strlist gpu_util_metrics;	/* GPU utilisation metric ids (%), none by default */
	struct accuracy *accuracy;	/* per metric, overriding the defaults */
	size_t naccuracy;
};

/* Where a value per kWh that changes with time comes from (tariff.c): a
 * CSV file of start times and values, or a table of a database; NULL
 * fields are unset, neither set: the flat factor alone. */
struct rate_source {
	char *csv;		/* path of "start,value" rows */
	char *database;		/* database of the table */
	char *conninfo;		/* its libpq conninfo, or NULL: the base one */
	char *schema, *table;	/* checked SQL identifiers */
	char *time_column;	/* TIMESTAMPTZ, default "start_time" */
	char *value_column;	/* number, default "value" */
};

/* A rack of the machine room (facility.c): the nodes in it and the PDUs
 * and in-row coolers that feed and cool it, as hostname globs. */
struct rack {
	char *name;		/* "91" */
	char *nodes;		/* "rp?-91-*" */
	char *pdus;		/* "pdu-91-*" */
	char *coolers;		/* "irc-91-*" */
};

/* The facility database (MonSter's infra): off while database is NULL. */
struct facility_source {
	char *database;		/* "infra" */
	char *conninfo;		/* or NULL: the base one */
	char *schema;		/* of the metric tables, default "idrac" */
	char *scope;		/* PUE over "racks" (the job's, default) or "room" */
	double rack_mismatch;	/* nodes/PDU energy off by more: a warning (0.15) */
	struct rack *racks;
	size_t nracks;
};

struct config {
	char *path;		/* file it came from, or NULL for built-in */
	struct rule *rules;
	size_t nrules;
	char *conninfo;		/* base libpq conninfo (dbname from the rule) */
	int connect_timeout_s;	/* default 10 */
	int statement_timeout_ms; /* default 120000 */
	int idle_read_timeout_s;  /* 0: pg_idle_limit_s's default */
	char *jobs_schema;	/* schema of the jobs table, default "slurm" */
	char *jobs_energy_column;	/* its ConsumedEnergy column, or NULL */
	char *jobs_gres_column;	/* its per-node GRES column, "gres_detail" */
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
	double node_jobs_stale_s; /* a slurm.node_jobs row older is stale, default 300 */
	double low_load;	/* CPU load share under which a node is idle, default 0.1 */
	double idle_margin;	/* without cpu_load: idle within this share above idle power, 0.1 */
	double sacct_timeout_s;	/* bound on sacct for the CPU efficiency; NAN: the job
				 * lookup's (connect + statement timeout), 0: not asked */
	double co2_g_per_kwh;	/* NAN when not configured */
	struct rate_source co2_series, price_series;	/* optional */
	struct facility_source facility;		/* optional */
	int formats;		/* FMT_ mask of the default output formats */
	double history_runs;	/* earlier runs shown in a report (history.runs), 0: none */
	int history_budget_ms;	/* time they may take (history.budget_ms), 3000 */
	int stale_temporary_s;	/* a killed run's .power_* older than this goes; 3600 */
	struct prom_config prom;	/* metrics.prom and where it is published */
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
