/*
 * strlist.c - growable list of owned strings.
 */
#include "strlist.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "strbuf.h"

static void
push(struct strlist *l, char *owned)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = owned;
}

void
strlist_add(struct strlist *l, const char *s)
{
	push(l, xstrdup(s));
}

void
strlist_addf(struct strlist *l, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s == NULL)
		s = xstrdup("(out of memory formatting message)");
	push(l, s);
}

int
strlist_find(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return (int)i;
	return -1;
}

char *
strlist_join(const struct strlist *l, const char *sep)
{
	struct strbuf b = { 0 };

	strbuf_puts(&b, "");
	for (size_t i = 0; i < l->n; i++) {
		if (i > 0)
			strbuf_puts(&b, sep);
		strbuf_puts(&b, l->v[i]);
	}
	return b.s;
}

void
strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
