/*
 * config.c - the site configuration: built-in defaults for the MonSter
 * deployment, overridden by a JSON file that may carry // and block comments.
 * The file is checked strictly (unknown keys, wrong types, unsafe SQL names)
 * so that a typo is reported with file, line and key instead of being
 * silently ignored.  cJSON does the parsing; comments are blanked out first
 * so that offsets, and hence line numbers, stay those of the file.
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cJSON.h>
#include <libpq-fe.h>

#include "error.h"

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

static const char *const known_formats[] = {
	"csv", "json", "png", "html", "pdf", NULL
};

/* A file being loaded: its name, its comment-blanked text, where each JSON
 * item starts in it, and the key path of the item being checked. */
struct loader {
	const char *name;
	const char *text;
	struct spot {
		const cJSON *item;
		size_t off;
	} *spots;
	size_t nspots, capspots;
	char key[256];
};

/* One key of an object: either a setter of the member at off in the target
 * struct, or a nested section checked against sub (same target). */
struct field {
	const char *name;
	int (*set)(struct loader *, const cJSON *, void *);
	size_t off;
	const struct field *sub;
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
		free(rules[i].conninfo);
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
	cfg->statement_timeout_ms = 120000;
	cfg->jobs_schema = xstrdup("slurm");
	cfg->sampling_interval_s = 5;
	cfg->paper = xstrdup("A4");
	cfg->price_per_kwh = NAN;
	cfg->currency = xstrdup("USD");
	cfg->co2_g_per_kwh = NAN;
	cfg->formats = xstrdup("csv,json,png,html,pdf");
}

void
config_free(struct config *cfg)
{
	free(cfg->path);
	rules_free(cfg->rules, cfg->nrules);
	free(cfg->conninfo);
	free(cfg->jobs_schema);
	free(cfg->timezone);
	free(cfg->template_dir);
	free(cfg->paper);
	free(cfg->currency);
	free(cfg->formats);
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

/* --- locating items and reporting errors --- */

static long
line_at(const char *text, size_t off)
{
	long line = 1;

	for (size_t i = 0; i < off && text[i] != '\0'; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

static void
spot_add(struct loader *ld, const cJSON *item, size_t off)
{
	if (ld->nspots == ld->capspots) {
		ld->capspots = ld->capspots ? ld->capspots * 2 : 64;
		ld->spots = xrealloc(ld->spots, ld->capspots * sizeof *ld->spots);
	}
	ld->spots[ld->nspots].item = item;
	ld->spots[ld->nspots].off = off;
	ld->nspots++;
}

/* cJSON treats every byte up to the space as white space; so do we. */
static size_t
skip_ws(const char *s, size_t i)
{
	while (s[i] != '\0' && (unsigned char)s[i] <= ' ')
		i++;
	return i;
}

static size_t
skip_string(const char *s, size_t i)
{
	for (i++; s[i] != '\0' && s[i] != '"'; i++)
		if (s[i] == '\\' && s[i + 1] != '\0')
			i++;
	return s[i] == '"' ? i + 1 : i;
}

/* Walk the text of item (which cJSON parsed from it, starting at i) and
 * remember where each of its members and elements starts: the key of an
 * object member, the value of an array element.  Returns the offset past
 * item.  Stops at the terminating NUL whatever happens. */
static size_t
locate(struct loader *ld, const cJSON *item, size_t i)
{
	const char *s = ld->text;

	i = skip_ws(s, i);
	if (s[i] == '"')
		return skip_string(s, i);
	if (s[i] != '{' && s[i] != '[') {
		while (s[i] != '\0' && strchr(",]}", s[i]) == NULL &&
		    (unsigned char)s[i] > ' ')
			i++;
		return i;
	}
	i++;
	for (const cJSON *c = item->child; c != NULL; c = c->next) {
		i = skip_ws(s, i);
		spot_add(ld, c, i);
		if (cJSON_IsObject(item)) {
			i = skip_ws(s, skip_string(s, i));
			if (s[i] == ':')
				i++;
		}
		i = skip_ws(s, locate(ld, c, i));
		if (s[i] == ',')
			i++;
	}
	i = skip_ws(s, i);
	return s[i] != '\0' ? i + 1 : i;
}

static long
line_of(const struct loader *ld, const cJSON *item)
{
	for (size_t i = 0; i < ld->nspots; i++)
		if (ld->spots[i].item == item)
			return line_at(ld->text, ld->spots[i].off);
	return 0;
}

/* Fail naming file, line and key path: FILE: line N: key "a.b": what. */
static int __attribute__((format(printf, 3, 4)))
bad(struct loader *ld, const cJSON *item, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	long line = line_of(ld, item);

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (line > 0)
		return pr_fail(PR_ECONFIG, "%s: line %ld: key \"%s\": %s",
		    ld->name, line, ld->key, what);
	return pr_fail(PR_ECONFIG, "%s: key \"%s\": %s", ld->name, ld->key, what);
}

/* Append to the key path (printable bytes only); returns the old length
 * for key_pop. */
static size_t __attribute__((format(printf, 2, 3)))
key_push(struct loader *ld, const char *fmt, ...)
{
	size_t mark = strlen(ld->key);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ld->key + mark, sizeof ld->key - mark, fmt, ap);
	va_end(ap);
	for (char *p = ld->key + mark; *p != '\0'; p++)
		if ((unsigned char)*p < ' ' || *p == '"' || *p == 0x7f)
			*p = '?';
	return mark;
}

static void
key_pop(struct loader *ld, size_t mark)
{
	ld->key[mark] = '\0';
}

static const char *
type_name(const cJSON *item)
{
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsObject(item))
		return "an object";
	if (cJSON_IsArray(item))
		return "an array";
	if (cJSON_IsBool(item))
		return "true/false";
	return "null";
}

/* --- typed setters: check one value and store it --- */

static int
want_string(struct loader *ld, const cJSON *item)
{
	if (!cJSON_IsString(item))
		return bad(ld, item, "expected a string, got %s", type_name(item));
	return PR_OK;
}

static int
want_text(struct loader *ld, const cJSON *item)
{
	int status = want_string(ld, item);

	if (status == PR_OK && item->valuestring[0] == '\0')
		return bad(ld, item, "expected a non-empty string");
	return status;
}

static void
replace(char **dst, char *value)
{
	free(*dst);
	*dst = value;
}

static int
set_text(struct loader *ld, const cJSON *item, void *dst)
{
	int status = want_text(ld, item);

	if (status == PR_OK)
		replace(dst, xstrdup(item->valuestring));
	return status;
}

/* A libpq connection string ("host=db user=ro" or a postgresql:// URI).
 * libpq's own message is not repeated: it may quote a password. */
static int
set_conninfo(struct loader *ld, const cJSON *item, void *dst)
{
	int status = want_string(ld, item);
	PQconninfoOption *opts;
	char *err = NULL;

	if (status != PR_OK)
		return status;
	if (item->valuestring[0] != '\0') {
		opts = PQconninfoParse(item->valuestring, &err);
		PQfreemem(err);
		if (opts == NULL)
			return bad(ld, item, "not a libpq connection string: write "
			    "key=value pairs (host=db user=ro) or a postgresql:// URI");
		PQconninfoFree(opts);
	}
	replace(dst, xstrdup(item->valuestring));
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
want_ident(struct loader *ld, const cJSON *item)
{
	int status = want_string(ld, item);

	if (status == PR_OK && !is_ident(item->valuestring))
		return bad(ld, item, "\"%.64s\" is not a plain SQL name: use letters, "
		    "digits and _ (not first), at most %d characters",
		    item->valuestring, IDENT_MAX);
	return status;
}

static int
set_ident(struct loader *ld, const cJSON *item, void *dst)
{
	int status = want_ident(ld, item);

	if (status == PR_OK)
		replace(dst, xstrdup(item->valuestring));
	return status;
}

/* A match without glob characters is a hostname prefix. */
static int
set_match(struct loader *ld, const cJSON *item, void *dst)
{
	int status = want_text(ld, item);
	const char *s = item->valuestring;

	if (status != PR_OK)
		return status;
	replace(dst, strpbrk(s, "*?[") ? xstrdup(s) : xasprintf("%s*", s));
	return PR_OK;
}

static int
set_paper(struct loader *ld, const cJSON *item, void *dst)
{
	int status = want_string(ld, item);

	if (status != PR_OK)
		return status;
	if (strcasecmp(item->valuestring, "A4") == 0)
		replace(dst, xstrdup("A4"));
	else if (strcasecmp(item->valuestring, "Letter") == 0)
		replace(dst, xstrdup("Letter"));
	else
		return bad(ld, item, "expected \"A4\" or \"Letter\"");
	return PR_OK;
}

/* "csv, json" -> "csv,json"; every item known, none twice. */
static int
set_formats(struct loader *ld, const cJSON *item, void *dst)
{
	int status = want_string(ld, item);
	char *out, *list, *tok, *save;
	unsigned seen = 0;
	size_t k;

	if (status != PR_OK)
		return status;
	list = xstrdup(item->valuestring);
	out = xcalloc(1, strlen(list) + 1);
	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		tok += strspn(tok, " \t");
		tok[strcspn(tok, " \t")] = '\0';
		for (k = 0; known_formats[k] && strcmp(known_formats[k], tok); k++)
			;
		if (known_formats[k] == NULL || (seen & 1u << k)) {
			status = bad(ld, item, "\"%.32s\" is %s: expected a comma "
			    "list of csv,json,png,html,pdf", tok,
			    known_formats[k] ? "listed twice" : "not a format");
			break;
		}
		seen |= 1u << k;
		if (out[0] != '\0')
			strcat(out, ",");
		strcat(out, tok);
	}
	if (status == PR_OK && seen == 0)
		status = bad(ld, item, "expected a comma list of csv,json,png,html,pdf");
	free(list);
	if (status == PR_OK)
		replace(dst, out);
	else
		free(out);
	return status;
}

static int
want_number(struct loader *ld, const cJSON *item)
{
	if (!cJSON_IsNumber(item))
		return bad(ld, item, "expected a number, got %s", type_name(item));
	if (!isfinite(item->valuedouble))
		return bad(ld, item, "number out of range");
	return PR_OK;
}

static int
set_positive_int(struct loader *ld, const cJSON *item, void *dst)
{
	int status = want_number(ld, item);
	double v = item->valuedouble;

	if (status != PR_OK)
		return status;
	if (v != floor(v) || v < 1 || v > INT_MAX)
		return bad(ld, item, "expected a whole number from 1 to %d", INT_MAX);
	*(int *)dst = (int)v;
	return PR_OK;
}

static int
set_positive_number(struct loader *ld, const cJSON *item, void *dst)
{
	int status = want_number(ld, item);

	if (status != PR_OK)
		return status;
	if (item->valuedouble <= 0)
		return bad(ld, item, "expected a number greater than 0");
	*(double *)dst = item->valuedouble;
	return PR_OK;
}

/* Prices and emission factors: >= 0, or null for "not configured". */
static int
set_amount(struct loader *ld, const cJSON *item, void *dst)
{
	int status;

	if (cJSON_IsNull(item)) {
		*(double *)dst = NAN;
		return PR_OK;
	}
	status = want_number(ld, item);
	if (status != PR_OK)
		return status;
	if (item->valuedouble < 0)
		return bad(ld, item, "expected a number of at least 0 (or null)");
	*(double *)dst = item->valuedouble;
	return PR_OK;
}

static int
set_metrics(struct loader *ld, const cJSON *item, void *dst)
{
	struct strlist metrics = { 0 };
	const cJSON *c;
	size_t i = 0, mark;
	int status = PR_OK;

	if (!cJSON_IsArray(item) || item->child == NULL)
		return bad(ld, item, "expected a non-empty array of metric ids, "
		    "e.g. [\"SystemInputPower\"]");
	for (c = item->child; c != NULL && status == PR_OK; c = c->next, i++) {
		mark = key_push(ld, "[%zu]", i);
		status = want_ident(ld, c);
		if (status == PR_OK && strlist_find(&metrics, c->valuestring) >= 0)
			status = bad(ld, c, "\"%s\" is listed twice", c->valuestring);
		if (status == PR_OK)
			strlist_add(&metrics, c->valuestring);
		key_pop(ld, mark);
	}
	if (status == PR_OK) {
		strlist_free(dst);
		*(struct strlist *)dst = metrics;
	} else
		strlist_free(&metrics);
	return status;
}

/* --- the schema --- */

#define CFG(m) offsetof(struct config, m)
#define RULE(m) offsetof(struct rule, m)

static const struct field rule_fields[] = {
	{ "match", set_match, RULE(match), NULL },
	{ "database", set_text, RULE(database), NULL },
	{ "schema", set_ident, RULE(schema), NULL },
	{ "metrics", set_metrics, RULE(metrics), NULL },
	{ "conninfo", set_conninfo, RULE(conninfo), NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct field database_fields[] = {
	{ "conninfo", set_conninfo, CFG(conninfo), NULL },
	{ "connect_timeout_s", set_positive_int, CFG(connect_timeout_s), NULL },
	{ "statement_timeout_ms", set_positive_int, CFG(statement_timeout_ms), NULL },
	{ "idle_read_timeout_s", set_positive_int, CFG(idle_read_timeout_s), NULL },
	{ "jobs_schema", set_ident, CFG(jobs_schema), NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct field display_fields[] = {
	{ "timezone", set_text, CFG(timezone), NULL },
	{ "paper", set_paper, CFG(paper), NULL },
	{ "template_dir", set_text, CFG(template_dir), NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct field telemetry_fields[] = {
	{ "sampling_interval_s", set_positive_number, CFG(sampling_interval_s), NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct field cost_fields[] = {
	{ "price_per_kwh", set_amount, CFG(price_per_kwh), NULL },
	{ "currency", set_text, CFG(currency), NULL },
	{ "co2_g_per_kwh", set_amount, CFG(co2_g_per_kwh), NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct field output_fields[] = {
	{ "formats", set_formats, CFG(formats), NULL },
	{ NULL, NULL, 0, NULL }
};

static int set_rules(struct loader *, const cJSON *, void *);

static const struct field top_fields[] = {
	{ "rules", set_rules, 0, NULL },
	{ "database", NULL, 0, database_fields },
	{ "display", NULL, 0, display_fields },
	{ "telemetry", NULL, 0, telemetry_fields },
	{ "cost", NULL, 0, cost_fields },
	{ "output", NULL, 0, output_fields },
	{ NULL, NULL, 0, NULL }
};

static int
unknown_key(struct loader *ld, const cJSON *item, const struct field *fields)
{
	char known[200] = "";

	for (const struct field *f = fields; f->name != NULL; f++) {
		if (f != fields)
			strcat(known, ", ");
		strcat(known, f->name);
	}
	return bad(ld, item, "unknown key (known here: %s)", known);
}

/* Check every member of obj against fields and store it into base. */
static int
apply_object(struct loader *ld, const cJSON *obj, const struct field *fields,
    void *base)
{
	const struct field *f;
	unsigned seen = 0;
	size_t mark;
	int status = PR_OK;

	if (!cJSON_IsObject(obj))
		return bad(ld, obj, "expected an object { ... }, got %s",
		    type_name(obj));
	for (const cJSON *c = obj->child; c != NULL && status == PR_OK; c = c->next) {
		mark = key_push(ld, "%s%s", ld->key[0] ? "." : "", c->string);
		for (f = fields; f->name != NULL && strcmp(f->name, c->string); f++)
			;
		if (f->name == NULL)
			status = unknown_key(ld, c, fields);
		else if (seen & 1u << (f - fields))
			status = bad(ld, c, "given twice");
		else if (f->sub != NULL)
			status = apply_object(ld, c, f->sub, base);
		else
			status = f->set(ld, c, (char *)base + f->off);
		seen |= 1u << (f - fields);
		key_pop(ld, mark);
	}
	return status;
}

static int
load_rule(struct loader *ld, const cJSON *obj, struct rule *r)
{
	int status;

	rule_init(r);
	status = apply_object(ld, obj, rule_fields, r);
	if (status == PR_OK && (r->match == NULL || r->database == NULL))
		return bad(ld, obj, "a rule needs \"match\" (host glob or prefix) "
		    "and \"database\"");
	return status;
}

/* Rules in a file replace the built-in ones as a whole. */
static int
set_rules(struct loader *ld, const cJSON *item, void *dst)
{
	struct config *cfg = dst;
	struct rule *rules;
	size_t n, i = 0, mark;
	int status = PR_OK;

	if (!cJSON_IsArray(item))
		return bad(ld, item, "expected an array of rules "
		    "[{\"match\": \"rpc*\", \"database\": \"zen4\"}, ...], got %s",
		    type_name(item));
	n = (size_t)cJSON_GetArraySize(item);
	rules = xcalloc(n, sizeof *rules);
	for (const cJSON *c = item->child; c && status == PR_OK; c = c->next, i++) {
		mark = key_push(ld, "[%zu]", i);
		status = load_rule(ld, c, &rules[i]);
		key_pop(ld, mark);
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

/* --- reading and parsing --- */

/* Turn // and block comments outside strings into spaces, keeping newlines,
 * so cJSON parses plain JSON at unchanged offsets. */
static int
blank_comments(const char *name, char *s, size_t len)
{
	size_t i = 0, start;

	while (i < len) {
		if (s[i] == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
		} else if (s[i] == '/' && i + 1 < len && s[i + 1] == '/') {
			while (i < len && s[i] != '\n')
				s[i++] = ' ';
		} else if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
			start = i;
			s[i++] = ' ';
			s[i++] = ' ';
			while (i + 1 < len && !(s[i] == '*' && s[i + 1] == '/')) {
				if (s[i] != '\n')
					s[i] = ' ';
				i++;
			}
			if (i + 1 >= len)
				return pr_fail(PR_ECONFIG, "%s: line %ld: comment "
				    "not closed with */", name, line_at(s, start));
			s[i++] = ' ';
			s[i++] = ' ';
		} else
			i++;
	}
	return PR_OK;
}

static int
syntax_error(const char *name, const char *text, size_t len, const char *at)
{
	size_t off = at != NULL && at >= text && at <= text + len ?
	    (size_t)(at - text) : len;
	char near[32];
	size_t n = 0;

	off = skip_ws(text, off);
	if (off >= len)
		return pr_fail(PR_ECONFIG, "%s: line %ld: not valid JSON: the file "
		    "ends too early (a missing } or ]?)", name, line_at(text, off));
	while (n < sizeof near - 1 && off + n < len &&
	    (unsigned char)text[off + n] >= ' ' && text[off + n] != 0x7f) {
		near[n] = text[off + n];
		n++;
	}
	near[n] = '\0';
	return pr_fail(PR_ECONFIG, "%s: line %ld: not valid JSON near \"%s\" "
	    "(check commas, quotes and brackets)", name, line_at(text, off), near);
}

int
config_load_buffer(struct config *cfg, const char *name, const char *data,
    size_t len)
{
	struct loader ld = { .name = name };
	char *text;
	const char *end = NULL, *nul;
	cJSON *root;
	size_t start;
	int status;

	if ((nul = memchr(data, '\0', len)) != NULL)
		return pr_fail(PR_ECONFIG, "%s: line %ld: NUL byte: not a JSON text "
		    "file", name, line_at(data, (size_t)(nul - data)));
	text = xmalloc(len + 1);
	memcpy(text, data, len);
	text[len] = '\0';
	status = blank_comments(name, text, len);
	if (status != PR_OK) {
		free(text);
		return status;
	}
	root = cJSON_ParseWithOpts(text, &end, 1);
	if (root == NULL) {
		status = syntax_error(name, text, len, end ? end : cJSON_GetErrorPtr());
		free(text);
		return status;
	}
	ld.text = text;
	start = strncmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	spot_add(&ld, root, skip_ws(text, start));
	locate(&ld, root, start);
	if (!cJSON_IsObject(root))
		status = pr_fail(PR_ECONFIG, "%s: line %ld: expected one JSON object "
		    "{ \"rules\": ..., \"database\": ... }", name, line_of(&ld, root));
	else
		status = apply_object(&ld, root, top_fields, cfg);
	if (status == PR_OK)
		replace(&cfg->path, xstrdup(name));
	cJSON_Delete(root);
	free(ld.spots);
	free(text);
	return status;
}

static int
read_file(const char *path, char **data, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	size_t cap = 8192, n = 0, got;
	char *buf;
	int err;

	if (fp == NULL)
		return pr_fail(PR_ECONFIG, "%s: cannot read the configuration: %s",
		    path, strerror(errno));
	buf = xmalloc(cap);
	while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n > CONFIG_MAX_BYTES)
			break;
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	err = ferror(fp) ? errno : 0;
	fclose(fp);
	if (err != 0 || n > CONFIG_MAX_BYTES) {
		free(buf);
		if (err != 0)
			return pr_fail(PR_ECONFIG, "%s: cannot read the "
			    "configuration: %s", path, strerror(err));
		return pr_fail(PR_ECONFIG, "%s: larger than %d bytes: not a "
		    "configuration file?", path, CONFIG_MAX_BYTES);
	}
	*data = buf;
	*len = n;
	return PR_OK;
}

int
config_load(struct config *cfg, const char *path)
{
	char *data;
	size_t len;
	int status = read_file(path, &data, &len);

	if (status != PR_OK)
		return status;
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
