/*
 * formats.c - reading a list of output formats (see formats.h).
 */
#include "formats.h"

#include <stdio.h>
#include <string.h>

#define SEPARATORS ", \t"
#define EXPECTED "expected a comma list of csv,json,png,html,pdf,prom"

static const char *const names[] = { "csv", "json", "png", "html", "pdf", "prom" };

int
formats_parse(const char *list, int *mask, char *why, size_t size)
{
	const char *p = list + strspn(list, SEPARATORS);
	size_t len, i;
	int m = 0;

	for (; *p != '\0'; p += len, p += strspn(p, SEPARATORS)) {
		len = strcspn(p, SEPARATORS);
		for (i = 0; i < sizeof names / sizeof *names; i++)
			if (strlen(names[i]) == len && strncmp(p, names[i], len) == 0)
				break;
		if (i == sizeof names / sizeof *names || (m & 1 << i)) {
			snprintf(why, size, "\"%.*s\" is %s: " EXPECTED,
			    len > 32 ? 32 : (int)len, p,
			    i < sizeof names / sizeof *names ? "listed twice" :
			    "not a format");
			return -1;
		}
		m |= 1 << i;
	}
	if (m == 0) {
		snprintf(why, size, EXPECTED);
		return -1;
	}
	*mask = m;
	return 0;
}
