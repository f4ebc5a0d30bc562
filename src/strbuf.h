/*
 * strbuf.h - a growable, always NUL-terminated string being built (hostlist
 * compression, filename patterns, SVG text).  The companion of strlist.h.
 */
#ifndef PR_STRBUF_H
#define PR_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;		/* NULL until something is added */
	size_t len, cap;
};

void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
