/*
 * pg_conninfo.c - a conninfo checked by libpq's own parser (pg_conninfo.h).
 */
#include "pg_conninfo.h"

#include <libpq-fe.h>

int
pg_conninfo_ok(const char *conninfo)
{
	PQconninfoOption *opts;
	char *err = NULL;

	if (conninfo[0] == '\0')
		return 1;
	opts = PQconninfoParse(conninfo, &err);
	PQfreemem(err);
	PQconninfoFree(opts);
	return opts != NULL;
}
