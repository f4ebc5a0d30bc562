// sources: src/hostlist.c src/strlist.c src/error.c src/strbuf.c
/*
 * fuzz_hostlist.c - libFuzzer harness for hostlist_expand/compress: any
 * input either expands to 1..HOSTLIST_MAX distinct hosts with a message-free
 * success, or fails with a recorded message; and what it expands to
 * compresses to an expression that expands back to the same list.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hostlist.h"

static void
check_roundtrip(const struct strlist *hosts)
{
	struct strlist again = { 0 };
	char *c = hostlist_compress(hosts);

	if (hostlist_expand(c, &again) != PR_OK || again.n != hosts->n)
		abort();
	for (size_t i = 0; i < hosts->n; i++)
		if (strcmp(again.v[i], hosts->v[i]) != 0)
			abort();
	strlist_free(&again);
	free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist hosts = { 0 };
	char *expr = malloc(size + 1);

	memcpy(expr, data, size);
	expr[size] = '\0';
	pr_errclear();
	if (hostlist_expand(expr, &hosts) == PR_OK) {
		if (hosts.n == 0 || hosts.n > HOSTLIST_MAX || pr_errmsg()[0])
			abort();
		for (size_t i = 0; i < hosts.n; i++)
			if (hosts.v[i][0] == '\0' || strlen(hosts.v[i]) > 255)
				abort();
		check_roundtrip(&hosts);
	} else if (pr_errmsg()[0] == '\0' || hosts.n != 0) {
		abort();
	}
	strlist_free(&hosts);
	free(expr);
	return 0;
}
