/*
 * prom_config.c - the "prometheus" section of the configuration (see
 * prom_config.h): keys, checks and defaults.
 */
#include "prom_config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "jsonc.h"

#define NAME_FIRST "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:"
#define NAME_REST NAME_FIRST "0123456789"
#define PREFIX_MAX 64

bool
prom_metric_name_ok(const char *name)
{
	return name[0] != '\0' && strchr(NAME_FIRST, name[0]) != NULL &&
	    strspn(name, NAME_REST) == strlen(name);
}

void
prom_config_defaults(struct prom_config *pc)
{
	memset(pc, 0, sizeof *pc);
	pc->prefix = xstrdup("powerreport");
	pc->push_timeout_s = 10;
}

void
prom_config_free(struct prom_config *pc)
{
	free(pc->prefix);
	free(pc->pushgateway_url);
	free(pc->auth_file);
	free(pc->cacert);
	free(pc->textfile_dir);
	memset(pc, 0, sizeof *pc);
}

static int
set_prefix(struct jsonc *j, const cJSON *item, void *dst)
{
	int status = jsonc_want_text(j, item);

	if (status != PR_OK)
		return status;
	if (strlen(item->valuestring) > PREFIX_MAX ||
	    !prom_metric_name_ok(item->valuestring))
		return jsonc_fail(j, item, "not a Prometheus metric name: use "
		    "letters, digits, _ and : (no digit first), at most %d "
		    "characters", PREFIX_MAX);
	jsonc_replace(dst, xstrdup(item->valuestring));
	return PR_OK;
}

static int
set_url(struct jsonc *j, const cJSON *item, void *dst)
{
	int status = jsonc_want_text(j, item);
	const char *s = item->valuestring;
	char *url;

	if (status != PR_OK)
		return status;
	if ((strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0) ||
	    strpbrk(s, " \t\r\n?#") != NULL)
		return jsonc_fail(j, item, "expected the Pushgateway's base URL, "
		    "http://host:9091 or https://host/path, without query");
	url = xstrdup(s);	/* the grouping key path is appended to it */
	for (size_t n = strlen(url); n > 0 && url[n - 1] == '/'; n--)
		url[n - 1] = '\0';
	jsonc_replace(dst, url);
	return PR_OK;
}

#define PC(m) offsetof(struct prom_config, m)

static const struct jsonc_field fields[] = {
	{ "prefix", set_prefix, PC(prefix), NULL },
	{ "pushgateway_url", set_url, PC(pushgateway_url), NULL },
	{ "auth_file", jsonc_set_text, PC(auth_file), NULL },
	{ "cacert", jsonc_set_text, PC(cacert), NULL },
	{ "push_timeout_s", jsonc_set_positive_int, PC(push_timeout_s), NULL },
	{ "textfile_dir", jsonc_set_text, PC(textfile_dir), NULL },
	{ NULL, NULL, 0, NULL }
};

int
prom_config_set(struct jsonc *j, const struct cJSON *item, void *dst)
{
	return jsonc_apply_object(j, item, fields, dst);
}
