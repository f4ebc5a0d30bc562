/*
 * error.c - the recorded failure message, logging and checked allocation
 * (see error.h for the convention every module follows).
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pr_verbosity = 1;
volatile int pr_interrupted;
static char errmsg[1024];

int
pr_fail(int status, const char *fmt, ...)
{
	va_list ap;

	if (errmsg[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(errmsg, sizeof errmsg, fmt, ap);
		va_end(ap);
	}
	return status;
}

const char *
pr_errmsg(void)
{
	return errmsg;
}

void
pr_errclear(void)
{
	errmsg[0] = '\0';
}

void
pr_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > pr_verbosity)
		return;
	fputs("powerreport: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *
checked(void *p)
{
	if (p == NULL) {
		fputs("powerreport: out of memory\n", stderr);
		exit(PR_EINTERNAL);
	}
	return p;
}

void *
xmalloc(size_t n)
{
	return checked(malloc(n ? n : 1));
}

void *
xcalloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size ? size : 1));
}

void *
xrealloc(void *p, size_t n)
{
	return checked(realloc(p, n ? n : 1));
}

char *
xstrdup(const char *s)
{
	return checked(strdup(s));
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		return checked(NULL);
	return s;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}
