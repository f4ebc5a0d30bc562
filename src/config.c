/*
 * config.c - the site configuration: built-in defaults for the MonSter
 * deployment, overridden by a JSON file that may carry comments.  This is
 * the schema (keys, types, allowed values, unsafe SQL names refused); the
 * strict reading of the file, and the file, line and key path in every
 * message, is jsonc.c's.  A typo is reported, never silently ignored.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <grp.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fileio.h"
#include "formats.h"
#include "jsonc.h"
#include "pg_conninfo.h"
#include "slurm_gres.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define SYSTEM_CONFIG SYSCONFDIR "/powerreport/config.json"

#define CONFIG_MAX_BYTES (1 << 20)
#define IDENT_MAX 63		/* PostgreSQL truncates longer names */

static const char *const base_metrics[] = {
	"TotalCPUPower", "TotalMemoryPower", "TotalStoragePower",
	"TotalFanPower", "SystemInputPower", "SystemOutputPower", NULL
};

static void
rule_init(struct rule *r)
{
	memset(r, 0, sizeof *r);
	r->schema = xstrdup("idrac");
	for (size_t i = 0; base_metrics[i] != NULL; i++)
		strlist_add(&r->metrics, base_metrics[i]);
}

static void
rules_free(struct rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rules[i].match);
		free(rules[i].database);
		free(rules[i].schema);
		strlist_free(&rules[i].metrics);
		strlist_free(&rules[i].gpu_fqdds);
		strlist_free(&rules[i].gpu_util_metrics);
		free(rules[i].conninfo);
		for (size_t k = 0; k < rules[i].naccuracy; k++)
			free(rules[i].accuracy[k].metric);
		free(rules[i].accuracy);
	}
	free(rules);
}

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->nrules = 2;
	cfg->rules = xcalloc(cfg->nrules, sizeof *cfg->rules);
	rule_init(&cfg->rules[0]);
	cfg->rules[0].match = xstrdup("rpc*");
	cfg->rules[0].database = xstrdup("zen4");
	rule_init(&cfg->rules[1]);
	cfg->rules[1].match = xstrdup("rpg*");
	cfg->rules[1].database = xstrdup("h100");
	strlist_add(&cfg->rules[1].metrics, "PowerConsumption");
	cfg->conninfo = xstrdup("");
	cfg->connect_timeout_s = 10;
	cfg->node_jobs_stale_s = 300;
	cfg->low_load = 0.1;
	cfg->idle_margin = 0.1;
	cfg->sacct_timeout_s = NAN;
	cfg->statement_timeout_ms = 120000;
	cfg->jobs_schema = xstrdup("slurm");
	cfg->jobs_gres_column = xstrdup("gres_detail");
	cfg->banner_coverage = 0.95;
	cfg->stale_temporary_s = 3600;
	cfg->history_runs = 10;
	cfg->history_budget_ms = 3000;
	cfg->paper = xstrdup("A4");
	cfg->price_per_kwh = NAN;
	cfg->currency = xstrdup("USD");
	cfg->co2_g_per_kwh = NAN;
	cfg->formats = FMT_ALL;
	prom_config_defaults(&cfg->prom);
	cfg->facility.schema = xstrdup("idrac");
	cfg->facility.scope = xstrdup("racks");
	cfg->facility.rack_mismatch = 0.15;
}

static void
racks_free(struct rack *racks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(racks[i].name);
		free(racks[i].nodes);
		free(racks[i].pdus);
		free(racks[i].coolers);
	}
	free(racks);
}

static void
facility_free(struct facility_source *f)
{
	free(f->database);
	free(f->conninfo);
	free(f->schema);
	free(f->scope);
	racks_free(f->racks, f->nracks);
}

static void
rate_source_free(struct rate_source *r)
{
	free(r->csv);
	free(r->database);
	free(r->conninfo);
	free(r->schema);
	free(r->table);
	free(r->time_column);
	free(r->value_column);
}

void
config_free(struct config *cfg)
{
	free(cfg->path);
	rules_free(cfg->rules, cfg->nrules);
	free(cfg->conninfo);
	free(cfg->jobs_schema);
	free(cfg->jobs_energy_column);
	free(cfg->jobs_gres_column);
	free(cfg->timezone);
	free(cfg->template_dir);
	free(cfg->paper);
	free(cfg->currency);
	prom_config_free(&cfg->prom);
	rate_source_free(&cfg->co2_series);
	rate_source_free(&cfg->price_series);
	facility_free(&cfg->facility);
	memset(cfg, 0, sizeof *cfg);
}

const struct rule *
config_rule_for(const struct config *cfg, const char *hostname)
{
	for (size_t i = 0; i < cfg->nrules; i++)
		if (fnmatch(cfg->rules[i].match, hostname, 0) == 0)
			return &cfg->rules[i];
	return NULL;
}

/* --- setters of the values only this schema has --- */

/* A libpq connection string ("host=db user=ro" or a postgresql:// URI),
 * checked by the connection code.  Its reasons are not repeated: they may
 * quote a password. */
static int
set_conninfo(struct jsonc *j, const cJSON *item, void *dst)
{
	int status = jsonc_want_string(j, item);

	if (status != PR_OK)
		return status;
	if (!pg_conninfo_ok(item->valuestring))
		return jsonc_fail(j, item, "not a libpq connection string: write "
		    "key=value pairs (host=db user=ro) or a postgresql:// URI");
	jsonc_replace(dst, xstrdup(item->valuestring));
	return PR_OK;
}

static int
is_ident(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_");

	return n > 0 && n <= IDENT_MAX && s[n] == '\0' &&
	    !(s[0] >= '0' && s[0] <= '9');
}

static int
want_ident(struct jsonc *j, const cJSON *item)
{
	int status = jsonc_want_string(j, item);

	if (status == PR_OK && !is_ident(item->valuestring))
		return jsonc_fail(j, item, "\"%.64s\" is not a plain SQL name: "
		    "use letters, digits and _ (not first), at most %d characters",
		    item->valuestring, IDENT_MAX);
	return status;
}

static int
set_ident(struct jsonc *j, const cJSON *item, void *dst)
{
	int status = want_ident(j, item);

	if (status == PR_OK)
		jsonc_replace(dst, xstrdup(item->valuestring));
	return status;
}

/* A match without glob characters is a hostname prefix. */
static int
set_match(struct jsonc *j, const cJSON *item, void *dst)
{
	int status = jsonc_want_text(j, item);
	const char *s = item->valuestring;

	if (status != PR_OK)
		return status;
	jsonc_replace(dst, strpbrk(s, "*?[") ? xstrdup(s) : xasprintf("%s*", s));
	return PR_OK;
}

static int
set_paper(struct jsonc *j, const cJSON *item, void *dst)
{
	int status = jsonc_want_string(j, item);

	if (status != PR_OK)
		return status;
	if (strcasecmp(item->valuestring, "A4") == 0)
		jsonc_replace(dst, xstrdup("A4"));
	else if (strcasecmp(item->valuestring, "Letter") == 0)
		jsonc_replace(dst, xstrdup("Letter"));
	else
		return jsonc_fail(j, item, "expected \"A4\" or \"Letter\"");
	return PR_OK;
}

static int
set_formats(struct jsonc *j, const cJSON *item, void *dst)
{
	int status = jsonc_want_string(j, item);
	char why[128];

	if (status == PR_OK && formats_parse(item->valuestring, dst, why,
	    sizeof why) != 0)
		return jsonc_fail(j, item, "%s", why);
	return status;
}

/* A non-empty array of at most max distinct strings, each checked by
 * want; expected says what in a message. */
static int
set_unique_list(struct jsonc *j, const cJSON *item, void *dst,
    int (*want)(struct jsonc *, const cJSON *), size_t max, const char *expected)
{
	struct strlist list = { 0 };
	const cJSON *c;
	size_t i = 0, mark;
	int status = PR_OK;

	if (!cJSON_IsArray(item) || item->child == NULL ||
	    (size_t)cJSON_GetArraySize(item) > max)
		return jsonc_fail(j, item, "expected a non-empty array of %s", expected);
	for (c = item->child; c != NULL && status == PR_OK; c = c->next, i++) {
		mark = jsonc_key_push(j, "[%zu]", i);
		status = want(j, c);
		if (status == PR_OK && strlist_find(&list, c->valuestring) >= 0)
			status = jsonc_fail(j, c, "\"%.64s\" is listed twice",
			    c->valuestring);
		if (status == PR_OK)
			strlist_add(&list, c->valuestring);
		jsonc_key_pop(j, mark);
	}
	if (status == PR_OK) {
		strlist_free(dst);
		*(struct strlist *)dst = list;
	} else
		strlist_free(&list);
	return status;
}

static int
set_metrics(struct jsonc *j, const cJSON *item, void *dst)
{
	return set_unique_list(j, item, dst, want_ident, SIZE_MAX,
	    "metric ids, e.g. [\"SystemInputPower\"]");
}

/* Printable text of at most 64 bytes: an FQDD the telemetry names. */
static int
want_fqdd(struct jsonc *j, const cJSON *item)
{
	int status = jsonc_want_text(j, item);

	if (status != PR_OK)
		return status;
	for (const char *p = item->valuestring; *p; p++)
		if (!isprint((unsigned char)*p) || p - item->valuestring >= 64)
			return jsonc_fail(j, item, "expected an FQDD of at most 64 "
			    "printable characters, e.g. \"Video.Slot.38-1\"");
	return PR_OK;
}

/* The node's GPU FQDDs in the order of Slurm's GPU indices. */
static int
set_gpu_fqdds(struct jsonc *j, const cJSON *item, void *dst)
{
	return set_unique_list(j, item, dst, want_fqdd, GRES_MAX_INDEX + 1,
	    "at most 64 FQDDs in Slurm's GPU index order, e.g. "
	    "[\"Video.Slot.38-1\", \"Video.Slot.38-2\"]");
}

#define ACC(m) offsetof(struct accuracy, m)

static const struct jsonc_field accuracy_fields[] = {
	{ "percent", jsonc_set_amount, ACC(percent), NULL },
	{ "watts", jsonc_set_amount, ACC(watts), NULL },
	{ NULL, NULL, 0, NULL }
};

/* {"SystemInputPower": {"percent": 5, "watts": 10}, ...} */
static int
set_accuracy(struct jsonc *j, const cJSON *item, void *dst)
{
	struct rule *r = dst;
	size_t mark;
	int status = PR_OK;

	if (!cJSON_IsObject(item))
		return jsonc_fail(j, item, "expected an object of metric ids, e.g. "
		    "{\"SystemInputPower\": {\"percent\": 5, \"watts\": 10}}");
	for (const cJSON *c = item->child; c != NULL && status == PR_OK; c = c->next) {
		struct accuracy *a;

		mark = jsonc_key_push(j, ".%s", c->string);
		if (!is_ident(c->string) || !cJSON_IsObject(c))
			status = jsonc_fail(j, c, "expected a metric id (letters, digits, "
			    "_) and an object {\"percent\": 5, \"watts\": 10}");
		if (status == PR_OK) {
			r->accuracy = xrealloc(r->accuracy, (r->naccuracy + 1) *
			    sizeof *r->accuracy);
			a = &r->accuracy[r->naccuracy++];
			*a = (struct accuracy){ xstrdup(c->string), NAN, NAN };
			status = jsonc_apply_object(j, c, accuracy_fields, a);
		}
		jsonc_key_pop(j, mark);
	}
	return status;
}

/* --- the schema --- */

#define CFG(m) offsetof(struct config, m)
#define RULE(m) offsetof(struct rule, m)

static const struct jsonc_field rule_fields[] = {
	{ "match", set_match, RULE(match), NULL },
	{ "database", jsonc_set_text, RULE(database), NULL },
	{ "schema", set_ident, RULE(schema), NULL },
	{ "metrics", set_metrics, RULE(metrics), NULL },
	{ "conninfo", set_conninfo, RULE(conninfo), NULL },
	{ "cpus", jsonc_set_positive_int, RULE(cpus), NULL },
	{ "idle_w", jsonc_set_positive_number, RULE(idle_w), NULL },
	{ "gpu_idle_w", jsonc_set_positive_number, RULE(gpu_idle_w), NULL },
	{ "gpu_fqdds", set_gpu_fqdds, RULE(gpu_fqdds), NULL },
	{ "gpu_util_metrics", set_metrics, RULE(gpu_util_metrics), NULL },
	{ "accuracy", set_accuracy, 0, NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct jsonc_field database_fields[] = {
	{ "conninfo", set_conninfo, CFG(conninfo), NULL },
	{ "connect_timeout_s", jsonc_set_positive_int, CFG(connect_timeout_s), NULL },
	{ "statement_timeout_ms", jsonc_set_positive_int, CFG(statement_timeout_ms),
	    NULL },
	{ "idle_read_timeout_s", jsonc_set_positive_int, CFG(idle_read_timeout_s), NULL },
	{ "jobs_schema", set_ident, CFG(jobs_schema), NULL },
	{ "jobs_energy_column", set_ident, CFG(jobs_energy_column), NULL },
	{ "jobs_gres_column", set_ident, CFG(jobs_gres_column), NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct jsonc_field display_fields[] = {
	{ "timezone", jsonc_set_text, CFG(timezone), NULL },
	{ "paper", set_paper, CFG(paper), NULL },
	{ "template_dir", jsonc_set_text, CFG(template_dir), NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct jsonc_field telemetry_fields[] = {
	{ "sampling_interval_s", jsonc_set_positive_number,
	    CFG(sampling_interval_s), NULL },
	{ "max_node_w", jsonc_set_positive_number, CFG(max_node_w), NULL },
	{ "max_gpu_w", jsonc_set_positive_number, CFG(max_gpu_w), NULL },
	{ "max_component_w", jsonc_set_positive_number, CFG(max_component_w), NULL },
	{ "banner_coverage", jsonc_set_positive_number, CFG(banner_coverage), NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct jsonc_field attribution_fields[] = {
	{ "stale_s", jsonc_set_positive_number, CFG(node_jobs_stale_s), NULL },
	{ "low_load", jsonc_set_positive_number, CFG(low_load), NULL },
	{ "idle_margin", jsonc_set_positive_number, CFG(idle_margin), NULL },
	{ "sacct_timeout_s", jsonc_set_amount, CFG(sacct_timeout_s), NULL },
	{ NULL, NULL, 0, NULL }
};
/* A file the configuration names: a relative path is taken from the
 * directory of the configuration file, not from wherever the run starts
 * (an epilog's working directory is nobody's choice). */
static int
set_file(struct jsonc *j, const cJSON *item, void *dst)
{
	int status = jsonc_want_text(j, item);
	const char *slash = strrchr(j->name, '/');

	if (status != PR_OK)
		return status;
	if (item->valuestring[0] == '/' || slash == NULL)
		jsonc_replace(dst, xstrdup(item->valuestring));
	else
		jsonc_replace(dst, xasprintf("%.*s/%s", (int)(slash - j->name), j->name,
		    item->valuestring));
	return PR_OK;
}

#define RATE_FIELDS(src) { \
	{ "csv", set_file, CFG(src.csv), NULL }, \
	{ "database", jsonc_set_text, CFG(src.database), NULL }, \
	{ "conninfo", set_conninfo, CFG(src.conninfo), NULL }, \
	{ "schema", set_ident, CFG(src.schema), NULL }, \
	{ "table", set_ident, CFG(src.table), NULL }, \
	{ "time_column", set_ident, CFG(src.time_column), NULL }, \
	{ "value_column", set_ident, CFG(src.value_column), NULL }, \
	{ NULL, NULL, 0, NULL } \
}

static const struct jsonc_field co2_series_fields[] = RATE_FIELDS(co2_series);
static const struct jsonc_field price_series_fields[] = RATE_FIELDS(price_series);

static const struct jsonc_field cost_fields[] = {
	{ "price_per_kwh", jsonc_set_amount, CFG(price_per_kwh), NULL },
	{ "currency", jsonc_set_text, CFG(currency), NULL },
	{ "co2_g_per_kwh", jsonc_set_amount, CFG(co2_g_per_kwh), NULL },
	{ "co2_series", NULL, 0, co2_series_fields },
	{ "price_series", NULL, 0, price_series_fields },
	{ NULL, NULL, 0, NULL }
};

static const struct jsonc_field output_fields[] = {
	{ "formats", set_formats, CFG(formats), NULL },
	{ "stale_temporary_s", jsonc_set_positive_int, CFG(stale_temporary_s), NULL },
	{ NULL, NULL, 0, NULL }
};

static int
set_scope(struct jsonc *j, const cJSON *item, void *dst)
{
	int status = jsonc_want_string(j, item);

	if (status != PR_OK)
		return status;
	if (strcmp(item->valuestring, "racks") != 0 && strcmp(item->valuestring, "room") != 0)
		return jsonc_fail(j, item, "expected \"racks\" (the job's racks) or "
		    "\"room\" (every PDU and cooler)");
	jsonc_replace(dst, xstrdup(item->valuestring));
	return PR_OK;
}

#define RACK(m) offsetof(struct rack, m)

static const struct jsonc_field rack_fields[] = {
	{ "name", jsonc_set_text, RACK(name), NULL },
	{ "nodes", jsonc_set_text, RACK(nodes), NULL },
	{ "pdus", jsonc_set_text, RACK(pdus), NULL },
	{ "coolers", jsonc_set_text, RACK(coolers), NULL },
	{ NULL, NULL, 0, NULL }
};

/* [{"name": "91", "nodes": "rp?-91-*", "pdus": "pdu-91-*", "coolers": "irc-91-*"}] */
static int
set_racks(struct jsonc *j, const cJSON *item, void *dst)
{
	struct facility_source *f = dst;
	struct rack *racks;
	size_t n, i = 0, mark;
	int status = PR_OK;

	if (!cJSON_IsArray(item))
		return jsonc_fail(j, item, "expected an array of racks [{\"name\": "
		    "\"91\", \"nodes\": \"rp?-91-*\", \"pdus\": \"pdu-91-*\", "
		    "\"coolers\": \"irc-91-*\"}, ...]");
	n = (size_t)cJSON_GetArraySize(item);
	racks = xcalloc(n, sizeof *racks);
	for (const cJSON *c = item->child; c && status == PR_OK; c = c->next, i++) {
		mark = jsonc_key_push(j, "[%zu]", i);
		status = jsonc_apply_object(j, c, rack_fields, &racks[i]);
		if (status == PR_OK && (racks[i].name == NULL || racks[i].nodes == NULL ||
		    racks[i].pdus == NULL))
			status = jsonc_fail(j, c, "a rack needs \"name\", \"nodes\" and "
			    "\"pdus\" (\"coolers\" is optional)");
		jsonc_key_pop(j, mark);
	}
	if (status != PR_OK) {
		racks_free(racks, n);
		return status;
	}
	racks_free(f->racks, f->nracks);
	f->racks = racks;
	f->nracks = n;
	return PR_OK;
}

static const struct jsonc_field facility_fields[] = {
	{ "database", jsonc_set_text, CFG(facility.database), NULL },
	{ "conninfo", set_conninfo, CFG(facility.conninfo), NULL },
	{ "schema", set_ident, CFG(facility.schema), NULL },
	{ "scope", set_scope, CFG(facility.scope), NULL },
	{ "rack_mismatch", jsonc_set_positive_number, CFG(facility.rack_mismatch), NULL },
	{ "racks", set_racks, CFG(facility), NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct jsonc_field history_fields[] = {
	{ "runs", jsonc_set_amount, CFG(history_runs), NULL },
	{ "budget_ms", jsonc_set_positive_int, CFG(history_budget_ms), NULL },
	{ NULL, NULL, 0, NULL }
};

static int set_rules(struct jsonc *, const cJSON *, void *);

static const struct jsonc_field top_fields[] = {
	{ "rules", set_rules, 0, NULL },
	{ "database", NULL, 0, database_fields },
	{ "display", NULL, 0, display_fields },
	{ "telemetry", NULL, 0, telemetry_fields },
	{ "attribution", NULL, 0, attribution_fields },
	{ "cost", NULL, 0, cost_fields },
	{ "output", NULL, 0, output_fields },
	{ "prometheus", prom_config_set, CFG(prom), NULL },
	{ "facility", NULL, 0, facility_fields },
	{ "history", NULL, 0, history_fields },
	{ NULL, NULL, 0, NULL }
};

static int
load_rule(struct jsonc *j, const cJSON *obj, struct rule *r)
{
	int status;

	rule_init(r);
	status = jsonc_apply_object(j, obj, rule_fields, r);
	if (status == PR_OK && (r->match == NULL || r->database == NULL))
		return jsonc_fail(j, obj, "a rule needs \"match\" (host glob or "
		    "prefix) and \"database\"");
	return status;
}

/* Rules in a file replace the built-in ones as a whole. */
static int
set_rules(struct jsonc *j, const cJSON *item, void *dst)
{
	struct config *cfg = dst;
	struct rule *rules;
	size_t n, i = 0, mark;
	int status = PR_OK;

	if (!cJSON_IsArray(item))
		return jsonc_fail(j, item, "expected an array of rules "
		    "[{\"match\": \"rpc*\", \"database\": \"zen4\"}, ...], got %s",
		    jsonc_type_name(item));
	n = (size_t)cJSON_GetArraySize(item);
	rules = xcalloc(n, sizeof *rules);
	for (const cJSON *c = item->child; c && status == PR_OK; c = c->next, i++) {
		mark = jsonc_key_push(j, "[%zu]", i);
		status = load_rule(j, c, &rules[i]);
		jsonc_key_pop(j, mark);
	}
	if (status != PR_OK) {
		rules_free(rules, i);
		return status;
	}
	rules_free(cfg->rules, cfg->nrules);
	cfg->rules = rules;
	cfg->nrules = n;
	return PR_OK;
}

/* --- loading --- */

int
config_load_buffer(struct config *cfg, const char *name, const char *data,
    size_t len)
{
	struct jsonc j;
	int status = jsonc_parse(&j, name, PR_ECONFIG, data, len);

	if (status == PR_OK && !cJSON_IsObject(j.root))
		status = pr_fail(PR_ECONFIG, "%s: line %ld: expected one JSON object "
		    "{ \"rules\": ..., \"database\": ... }", name,
		    jsonc_line(&j, j.root));
	else if (status == PR_OK)
		status = jsonc_apply_object(&j, j.root, top_fields, cfg);
	if (status == PR_OK)
		jsonc_replace(&cfg->path, xstrdup(name));
	jsonc_free(&j);
	return status;
}

/* A configuration this user may not read holds the database password
 * (doc/slurm.md, "Regenerating a report"): say which way the site gives
 * access, the group that may read it when there is one. */
static int
unreadable(const char *path)
{
	struct stat st;
	const struct group *g = stat(path, &st) == 0 && (st.st_mode & 044) == 040 ?
	    getgrgid(st.st_gid) : NULL;

	if (g != NULL)
		return pr_fail(PR_ECONFIG, "%s: cannot read the configuration: only group "
		    "\"%s\" may: regenerate with `sudo -g %s powerreport ...` where the site "
		    "allows it, or ask an administrator (doc/slurm.md, \"Regenerating a "
		    "report\")", path, g->gr_name, g->gr_name);
	return pr_fail(PR_ECONFIG, "%s: cannot read the configuration: %s: ask an "
	    "administrator how this site regenerates reports (doc/slurm.md, "
	    "\"Regenerating a report\")", path, strerror(EACCES));
}

int
config_load(struct config *cfg, const char *path)
{
	char *data;
	size_t len;
	int err = fileio_read(path, CONFIG_MAX_BYTES, &data, &len), status;

	if (err == EFBIG)
		return pr_fail(PR_ECONFIG, "%s: larger than %d bytes: not a "
		    "configuration file?", path, CONFIG_MAX_BYTES);
	if (err == EACCES)
		return unreadable(path);
	if (err != 0)
		return pr_fail(PR_ECONFIG, "%s: cannot read the configuration: %s",
		    path, strerror(err));
	status = config_load_buffer(cfg, path, data, len);
	free(data);
	return status;
}

int
config_find_and_load(struct config *cfg, const char *explicit_path)
{
	const char *path = explicit_path;

	if (path == NULL) {
		path = getenv("POWERREPORT_CONFIG");
		if (path != NULL && path[0] == '\0')
			path = NULL;
	}
	if (path == NULL && access(SYSTEM_CONFIG, F_OK) == 0)
		path = SYSTEM_CONFIG;
	if (path == NULL)
		return PR_OK;
	pr_log(2, "configuration: %s", path);
	return config_load(cfg, path);
}
