/*
 * hostlist.c - Slurm hostlist expressions, expanded in the order
 * `scontrol show hostnames` prints them and compressed back for display.
 *
 * Grammar (what Slurm accepts, minus its silent repairs):
 *   list   = host { sep host }        sep = ',' or blanks (blanks around ',')
 *   host   = { text | group }, a group only as the last piece or followed
 *            by another piece that ends in a group ("a[1-2]-b[3-4]")
 *   group  = '[' range { ',' range } ']'      range = num [ '-' num ]
 * The width of a range is the number of digits of its low bound, so
 * "[001-010]" pads to 3 and "[8-12]" does not pad.  With several groups,
 * Slurm's recursive expansion makes the last group vary fastest, then the
 * first, second, ... up to the second-to-last, which varies slowest.
 *
 * Expansion runs in two passes: the first validates the whole expression
 * and counts its hosts, so an oversized one is refused before any host is
 * allocated; the second emits them.
 */
#include "hostlist.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "strbuf.h"

#define HOSTNAME_MAX 255	/* longest host name accepted */
#define DIGITS_MAX 18		/* longest number inside brackets */

struct range {
	uint64_t lo, hi;
	int width;
};

struct group {
	size_t lit, litlen;	/* literal text before the group */
	size_t first, last;	/* its ranges: ranges[first .. last] */
	uint64_t count;		/* values in all its ranges */
};

struct token {
	const char *expr;
	size_t start, end;	/* [start, end) within expr */
	struct range *ranges;
	size_t nranges, rcap;
	struct group *groups;
	size_t ngroups, gcap;
	uint64_t count;		/* hosts it expands to */
	size_t maxlen;		/* longest name it expands to */
};

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
bad(const char *expr, size_t pos, const char *what)
{
	return pr_fail(PR_EUSAGE, "nodelist \"%.100s\": %s at position %zu: "
	    "use a Slurm hostlist such as rpc-91-[1-3,10]", expr, what,
	    pos + 1);
}

static int
too_many(const char *expr)
{
	return pr_fail(PR_EUSAGE, "nodelist \"%.100s\": more than %d hosts: "
	    "give a smaller node list", expr, HOSTLIST_MAX);
}

static int
digits_of(uint64_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* What is wrong with expr[pos] where a digit, ',' or ']' was expected. */
static int
bad_in_group(const char *expr, size_t pos)
{
	switch (expr[pos]) {
	case ',':
	case ']':
	case '-':
		return bad(expr, pos, "empty range");
	case '\0':
		return bad(expr, pos, "'[' not closed");
	case '[':
		return bad(expr, pos, "nested '['");
	default:
		return bad(expr, pos, "only digits, '-' and ',' may stand "
		    "inside brackets");
	}
}

/* Read a number of up to DIGITS_MAX digits at expr[*pos]. */
static int
parse_num(const char *expr, size_t *pos, uint64_t *v, int *width)
{
	size_t p = *pos;

	*v = 0;
	while (expr[p] >= '0' && expr[p] <= '9') {
		if (p - *pos == DIGITS_MAX)
			return bad(expr, *pos, "number too long");
		*v = *v * 10 + (uint64_t)(expr[p] - '0');
		p++;
	}
	if (p == *pos)
		return bad_in_group(expr, p);
	*width = (int)(p - *pos);
	*pos = p;
	return PR_OK;
}

static void
add_range(struct token *t, struct range r)
{
	if (t->nranges == t->rcap) {
		t->rcap = t->rcap ? t->rcap * 2 : 8;
		t->ranges = xrealloc(t->ranges, t->rcap * sizeof *t->ranges);
	}
	t->ranges[t->nranges++] = r;
}

static struct group *
add_group(struct token *t)
{
	if (t->ngroups == t->gcap) {
		t->gcap = t->gcap ? t->gcap * 2 : 4;
		t->groups = xrealloc(t->groups, t->gcap * sizeof *t->groups);
	}
	memset(&t->groups[t->ngroups], 0, sizeof *t->groups);
	return &t->groups[t->ngroups++];
}

/* One range "lo" or "lo-hi" at expr[*pos]; adds its size to g->count. */
static int
parse_range(struct token *t, struct group *g, size_t *pos)
{
	const char *expr = t->expr;
	size_t at = *pos;
	struct range r;
	int st, hiwidth = 0;

	if ((st = parse_num(expr, pos, &r.lo, &r.width)) != PR_OK)
		return st;
	r.hi = r.lo;
	if (expr[*pos] == '-') {
		(*pos)++;
		if ((st = parse_num(expr, pos, &r.hi, &hiwidth)) != PR_OK)
			return st;
		if (r.hi < r.lo)
			return bad(expr, at, "range runs backwards (low bound "
			    "first)");
	}
	if (r.hi - r.lo >= HOSTLIST_MAX)
		return too_many(expr);
	g->count += r.hi - r.lo + 1;
	if (g->count > HOSTLIST_MAX)
		return too_many(expr);
	add_range(t, r);
	return PR_OK;
}

/* A bracket group; *pos is at '[' and is left after ']'. */
static int
parse_group(struct token *t, size_t lit, size_t *pos)
{
	const char *expr = t->expr;
	struct group *g = add_group(t);
	int st, w, maxw = 0;

	g->lit = lit;
	g->litlen = *pos - lit;
	g->first = t->nranges;
	(*pos)++;
	for (;;) {
		if ((st = parse_range(t, g, pos)) != PR_OK)
			return st;
		if (expr[*pos] == ']')
			break;
		if (expr[*pos] == '-')
			return bad(expr, *pos, "a range has one '-'");
		if (expr[*pos] != ',')
			return bad_in_group(expr, *pos);
		(*pos)++;
	}
	(*pos)++;
	g->last = t->nranges - 1;
	for (size_t i = g->first; i < t->nranges; i++) {
		w = digits_of(t->ranges[i].hi);
		if (t->ranges[i].width > w)
			w = t->ranges[i].width;
		if (w > maxw)
			maxw = w;
	}
	t->maxlen += g->litlen + (size_t)maxw;
	if (t->count > HOSTLIST_MAX / g->count)
		return too_many(expr);
	t->count *= g->count;
	return PR_OK;
}

/* Parse the host expression starting at *pos (not a separator) into t. */
static int
parse_token(struct token *t, size_t *pos)
{
	const char *expr = t->expr;
	size_t lit = *pos;
	int st;

	t->start = *pos;
	t->count = 1;
	for (;;) {
		char c = expr[*pos];

		if (c == '\0' || c == ',' || is_blank(c))
			break;
		if (c == '[') {
			if ((st = parse_group(t, lit, pos)) != PR_OK)
				return st;
			lit = *pos;
		} else if (c == ']')
			return bad(expr, *pos, "']' without '['");
		else if (!is_name_char(c))
			return bad(expr, *pos, "character not allowed in a "
			    "host name");
		else
			(*pos)++;
	}
	t->end = *pos;
	if (t->ngroups > 0 && lit != t->end)
		return bad(expr, lit, "text after the last bracket group");
	t->maxlen += t->end - lit;
	if (t->maxlen > HOSTNAME_MAX)
		return bad(expr, t->start, "host name too long");
	return PR_OK;
}

/* Where the expansion of one group stands: range r, value v. */
struct cursor {
	size_t r;
	uint64_t v;
};

static void
cursor_reset(struct cursor *c, const struct token *t, const struct group *g)
{
	c->r = g->first;
	c->v = t->ranges[g->first].lo;
}

/* Step to the next value; false (and back at the start) after the last. */
static bool
cursor_next(struct cursor *c, const struct token *t, const struct group *g)
{
	if (c->v < t->ranges[c->r].hi) {
		c->v++;
		return true;
	}
	if (c->r < g->last) {
		c->r++;
		c->v = t->ranges[c->r].lo;
		return true;
	}
	cursor_reset(c, t, g);
	return false;
}

/* Set of names already in a list, to drop duplicates in O(1). */
struct nameset {
	size_t *slot;		/* index into list->v + 1; 0 = empty */
	size_t mask;
	struct strlist *list;
};

static uint64_t
hash_name(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	while (*s)
		h = (h ^ (unsigned char)*s++) * UINT64_C(1099511628211);
	return h;
}

/* Add list->v[i] to the set unless it is there; false if it was. */
static bool
nameset_add(struct nameset *set, size_t i)
{
	size_t h = (size_t)hash_name(set->list->v[i]) & set->mask;

	while (set->slot[h] != 0) {
		if (strcmp(set->list->v[set->slot[h] - 1], set->list->v[i]) == 0)
			return false;
		h = (h + 1) & set->mask;
	}
	set->slot[h] = i + 1;
	return true;
}

static void
nameset_init(struct nameset *set, struct strlist *list, size_t expect)
{
	size_t size = 16;

	while (size < 2 * (list->n + expect))
		size *= 2;
	set->slot = xcalloc(size, sizeof *set->slot);
	set->mask = size - 1;
	set->list = list;
	for (size_t i = 0; i < list->n; i++)
		nameset_add(set, i);
}

/* Append the hosts of t to out in Slurm's order, skipping duplicates. */
static void
emit_token(const struct token *t, struct nameset *set)
{
	struct strlist *out = set->list;
	size_t ng = t->ngroups;
	struct cursor *cur = xcalloc(ng ? ng : 1, sizeof *cur);
	char name[HOSTNAME_MAX + 1];

	for (size_t g = 0; g < ng; g++)
		cursor_reset(&cur[g], t, &t->groups[g]);
	for (uint64_t n = 0; n < t->count; n++) {
		size_t len = 0;

		for (size_t g = 0; g < ng; g++) {
			const struct group *gr = &t->groups[g];

			memcpy(name + len, t->expr + gr->lit, gr->litlen);
			len += gr->litlen;
			len += (size_t)snprintf(name + len, sizeof name - len,
			    "%0*llu", t->ranges[cur[g].r].width,
			    (unsigned long long)cur[g].v);
		}
		if (ng == 0) {
			memcpy(name, t->expr + t->start, t->end - t->start);
			len = t->end - t->start;
		}
		name[len] = '\0';
		strlist_add(out, name);
		if (!nameset_add(set, out->n - 1))
			free(out->v[--out->n]);
		/* Odometer: last group fastest, then groups 0, 1, ... ng-2. */
		for (size_t step = 0; step < ng; step++) {
			size_t g = step == 0 ? ng - 1 : step - 1;

			if (cursor_next(&cur[g], t, &t->groups[g]))
				break;
		}
	}
	free(cur);
}

static void
token_free(struct token *t)
{
	free(t->ranges);
	free(t->groups);
	memset(t, 0, sizeof *t);
}

/* Walk expr; with set == NULL only validate and count into *total. */
static int
walk(const char *expr, struct nameset *set, uint64_t *total)
{
	size_t pos = 0, comma = 0;
	bool need_host = true, any = false;
	int st = PR_OK;

	*total = 0;
	while (st == PR_OK) {
		struct token t = { .expr = expr };

		while (is_blank(expr[pos]))
			pos++;
		if (expr[pos] == '\0')
			break;
		if (expr[pos] == ',') {
			if (need_host)
				return bad(expr, pos, "empty host name");
			need_host = true;
			comma = pos++;
			continue;
		}
		st = parse_token(&t, &pos);
		if (st == PR_OK) {
			*total += t.count;
			if (*total > HOSTLIST_MAX)
				st = too_many(expr);
			else if (set != NULL)
				emit_token(&t, set);
		}
		token_free(&t);
		need_host = false;
		any = true;
	}
	if (st != PR_OK)
		return st;
	if (!any)
		return pr_fail(PR_EUSAGE, "empty nodelist: give at least one "
		    "host name");
	if (need_host)
		return bad(expr, comma, "empty host name after ','");
	return PR_OK;
}

int
hostlist_expand(const char *expr, struct strlist *out)
{
	struct nameset set;
	uint64_t total;
	int st;

	if (expr == NULL)
		expr = "";
	if ((st = walk(expr, NULL, &total)) != PR_OK)
		return st;
	nameset_init(&set, out, (size_t)total);
	st = walk(expr, &set, &total);
	free(set.slot);
	return st;
}

/* Split host into prefix length and its trailing number (if any). */
static bool
split_number(const char *host, size_t *plen, uint64_t *num, int *width)
{
	size_t len = strlen(host), p = len;

	while (p > 0 && host[p - 1] >= '0' && host[p - 1] <= '9')
		p--;
	if (p == len || len - p > DIGITS_MAX)
		return false;
	*plen = p;
	*width = (int)(len - p);
	*num = strtoull(host + p, NULL, 10);
	return true;
}

/* Does number v, printed with the range's width, give digits of width w? */
static bool
extends(const struct range *r, uint64_t v, int w)
{
	int printed = digits_of(v) > r->width ? digits_of(v) : r->width;

	return v == r->hi + 1 && printed == w;
}

static void
buf_range(struct strbuf *b, const struct range *r)
{
	char tmp[2 * DIGITS_MAX + 4];
	int n;

	if (r->lo == r->hi)
		n = snprintf(tmp, sizeof tmp, "%0*llu", r->width,
		    (unsigned long long)r->lo);
	else
		n = snprintf(tmp, sizeof tmp, "%0*llu-%0*llu", r->width,
		    (unsigned long long)r->lo, r->width,
		    (unsigned long long)r->hi);
	strbuf_add(b, tmp, (size_t)n);
}

/* Emit hosts[i..] sharing hosts[i]'s prefix as one group; returns next i. */
static size_t
compress_run(const struct strlist *hosts, size_t i, struct strbuf *b)
{
	size_t plen, p2;
	struct range r;
	uint64_t v;
	int w, nranges = 0;
	size_t j = i + 1;
	struct strbuf inner = { 0 };

	if (!split_number(hosts->v[i], &plen, &r.lo, &r.width)) {
		strbuf_add(b, hosts->v[i], strlen(hosts->v[i]));
		return j;
	}
	r.hi = r.lo;
	for (; j < hosts->n; j++) {
		if (!split_number(hosts->v[j], &p2, &v, &w) || p2 != plen ||
		    strncmp(hosts->v[i], hosts->v[j], plen) != 0)
			break;
		if (extends(&r, v, w)) {
			r.hi = v;
			continue;
		}
		if (nranges++ > 0)
			strbuf_add(&inner, ",", 1);
		buf_range(&inner, &r);
		r.lo = r.hi = v;
		r.width = w;
	}
	if (nranges++ > 0)
		strbuf_add(&inner, ",", 1);
	buf_range(&inner, &r);
	strbuf_add(b, hosts->v[i], plen);
	if (j == i + 1)
		strbuf_add(b, inner.s, inner.len);
	else {
		strbuf_add(b, "[", 1);
		strbuf_add(b, inner.s, inner.len);
		strbuf_add(b, "]", 1);
	}
	free(inner.s);
	return j;
}

char *
hostlist_compress(const struct strlist *hosts)
{
	struct strbuf b = { 0 };

	strbuf_add(&b, "", 0);
	for (size_t i = 0; i < hosts->n;) {
		if (i > 0)
			strbuf_add(&b, ",", 1);
		i = compress_run(hosts, i, &b);
	}
	return b.s;
}
