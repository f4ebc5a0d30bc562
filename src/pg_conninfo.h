/*
 * pg_conninfo.h - whether libpq accepts a connection string, checked when
 * the configuration is read, with no connection and without pulling the
 * connection code (which reads the configuration) into the loader.
 */
#ifndef PG_CONNINFO_H
#define PG_CONNINFO_H

/* Whether libpq accepts conninfo ("" does) as key=value pairs or a
 * postgresql:// URI.  Its reasons are not kept: they may quote a password. */
int pg_conninfo_ok(const char *conninfo);

#endif
