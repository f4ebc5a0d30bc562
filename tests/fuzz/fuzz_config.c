// sources: src/config.c src/jsonc.c src/fileio.c src/formats.c src/pg_conn.c src/error.c src/strlist.c src/strbuf.c
/*
 * fuzz_config.c - libFuzzer harness for the configuration loader: any bytes
 * must either load into a configuration that keeps its invariants, or fail
 * with PR_ECONFIG and a message naming the file (and, for a bad key, the
 * line).  Never a crash, an out-of-bounds read or a leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "error.h"

static void
check_loaded(const struct config *cfg)
{
	for (size_t i = 0; i < cfg->nrules; i++) {
		const struct rule *r = &cfg->rules[i];

		if (r->match == NULL || r->database == NULL || r->schema == NULL ||
		    r->metrics.n == 0)
			abort();
	}
	if (cfg->connect_timeout_s <= 0 || cfg->statement_timeout_ms <= 0 ||
	    !(cfg->sampling_interval_s > 0) || cfg->formats == 0 ||
	    (strcmp(cfg->paper, "A4") != 0 && strcmp(cfg->paper, "Letter") != 0))
		abort();
	config_rule_for(cfg, "rpc-91-1");
}

static void
check_failed(int status)
{
	const char *msg = pr_errmsg();

	if (status != PR_ECONFIG || strncmp(msg, "fuzz.json: ", 11) != 0)
		abort();
	/* Every item is located, so a key error always has its line. */
	if (strstr(msg, ": key \"") != NULL && strncmp(msg, "fuzz.json: line ", 16) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	int status;

	pr_errclear();
	config_defaults(&cfg);
	status = config_load_buffer(&cfg, "fuzz.json", (const char *)data, size);
	if (status == PR_OK)
		check_loaded(&cfg);
	else
		check_failed(status);
	config_free(&cfg);
	return 0;
}
