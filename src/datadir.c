/*
 * datadir.c - where the templates and assets the HTML and PDF reports are
 * built from are found at run time.
 */
#include "datadir.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

/* Templates and assets: $POWERREPORT_DATADIR, else next to the binary when
 * it runs from its build tree, else <bindir>/../share/powerreport (an
 * install moved elsewhere), else the configured DATADIR. */
char *
find_datadir(void)
{
	const char *env = getenv("POWERREPORT_DATADIR");
	static const char *const near[] = { "%s/templates", "%s/../share/powerreport/templates" };
	char exe[PATH_MAX], *dir, *probe;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	if (n <= 0)
		return xstrdup(DATADIR);
	exe[n] = '\0';
	dir = dirname(exe);
	for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
		probe = xasprintf(near[i], dir);
		if (access(probe, R_OK) == 0) {
			probe[strlen(probe) - strlen("/templates")] = '\0';
			return probe;
		}
		free(probe);
	}
	return xstrdup(DATADIR);
}
