/*
 * strlist.h - a growable list of owned strings (node names, metrics,
 * warnings).  Small and used everywhere, so it lives on its own.
 */
#ifndef PR_STRLIST_H
#define PR_STRLIST_H

#include <stddef.h>

struct strlist {
	char **v;
	size_t n, cap;
};

void strlist_add(struct strlist *l, const char *s);	/* copies s */
void strlist_addf(struct strlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int strlist_find(const struct strlist *l, const char *s); /* index or -1 */
char *strlist_join(const struct strlist *l, const char *sep); /* malloc'd */
void strlist_free(struct strlist *l);

#endif
