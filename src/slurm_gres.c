/*
 * slurm_gres.c - the GPU indices of one node's gres_detail entry
 * (slurm_gres.h).  A hand-written reader because the text is small and
 * its grammar Slurm's own; every character is checked, so text of another
 * shape is GRES_MALFORMED rather than half read.
 */
#include "slurm_gres.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* An index at *p (moved past it): 0..GRES_MAX_INDEX, else -1. */
static int
index_at(const char **p, const char *end)
{
	int v = 0, digits = 0;

	while (*p < end && isdigit((unsigned char)**p) && digits < 3) {
		v = 10 * v + (**p - '0');
		(*p)++;
		digits++;
	}
	if (digits == 0 || (*p < end && isdigit((unsigned char)**p)) || v > GRES_MAX_INDEX)
		return -1;
	return v;
}

/* "0-1,3" from p to end into *mask, *count more indices; false when
 * malformed or an index comes twice. */
static bool
index_list(const char *p, const char *end, uint64_t *mask, int *count)
{
	for (;;) {
		int lo = index_at(&p, end), hi = lo;

		if (lo >= 0 && p < end && *p == '-') {
			p++;
			hi = index_at(&p, end);
		}
		if (lo < 0 || hi < lo)
			return false;
		for (int i = lo; i <= hi; i++) {
			if (*mask & (UINT64_C(1) << i))
				return false;
			*mask |= UINT64_C(1) << i;
			(*count)++;
		}
		if (p == end)
			return true;
		if (*p++ != ',')
			return false;
	}
}

/* Letters, digits and _ (a name), with - and . (a type or count). */
static bool
field_ok(const char *p, const char *end, bool name)
{
	if (p == end)
		return false;
	for (; p < end; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' &&
		    (name || (*p != '-' && *p != '.')))
			return false;
	return true;
}

/* A count of at most 4 digits from p to end, else -1. */
static long
count_of(const char *p, const char *end)
{
	long v = 0;

	if (p == end || end - p > 4)
		return -1;
	for (; p < end; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = 10 * v + (*p - '0');
	}
	return v;
}

/* The head "name[:type][:count]" from p to end: where the name ends and
 * the count (-1: none); false when malformed. */
static bool
head(const char *p, const char *end, const char **name_end, long *count)
{
	const char *field[3], *colon;
	size_t n = 0;

	for (const char *c = p;; c = colon + 1) {
		if (n == 3)
			return false;
		colon = memchr(c, ':', (size_t)(end - c));
		field[n] = c;
		if (!field_ok(c, colon != NULL ? colon : end, n == 0))
			return false;
		n++;
		if (colon == NULL)
			break;
	}
	*name_end = n > 1 ? field[1] - 1 : end;
	*count = n > 1 ? count_of(field[n - 1], end) : -1;
	return n < 3 || *count >= 0;	/* name:type:count */
}

static bool
is_name(const char *p, const char *name_end, const char *name)
{
	size_t len = strlen(name);

	return (size_t)(name_end - p) == len && memcmp(p, name, len) == 0;
}

/* One item from p to end (inner: its "(...)" without the parentheses, or
 * NULL); *shared set by shards and MPS. */
static bool
item(const char *p, const char *end, const char *inner, uint64_t *mask, bool *shared)
{
	const char *name_end, *head_end = inner != NULL ? inner - 1 : end;
	long count;
	int n = 0;

	if (!head(p, head_end, &name_end, &count))
		return false;
	if (is_name(p, name_end, "shard") || is_name(p, name_end, "mps"))
		*shared = true;
	if (!is_name(p, name_end, "gpu"))
		return true;
	if (inner == NULL || end - inner < 5 || strncmp(inner, "IDX:", 4) != 0 ||
	    !index_list(inner + 4, end - 1, mask, &n))
		return false;
	return count < 0 || count == n;
}

enum gres_parse
slurm_gres_gpus(const char *text, uint64_t *mask)
{
	const char *p = text, *inner = NULL;
	size_t len = strlen(text);
	bool shared = false;
	uint64_t m = 0;

	*mask = 0;
	if (len == 0 || strcmp(text, "(null)") == 0)
		return GRES_OK;
	if (len > GRES_MAX_TEXT)
		return GRES_MALFORMED;
	/* items end at commas outside parentheses */
	for (const char *c = text; c <= text + len; c++) {
		if (*c == '(') {
			if (inner != NULL)
				return GRES_MALFORMED;
			inner = c + 1;
		} else if (*c == ')') {
			if (inner == NULL || (c[1] != ',' && c[1] != '\0'))
				return GRES_MALFORMED;
		} else if (*c == '\0' || (*c == ',' && (inner == NULL || c[-1] == ')'))) {
			if ((inner != NULL && c[-1] != ')') ||
			    !item(p, c, inner, &m, &shared))
				return GRES_MALFORMED;
			p = c + 1;
			inner = NULL;
		} else if (!isprint((unsigned char)*c))
			return GRES_MALFORMED;
	}
	*mask = m;
	return shared ? GRES_SHARED_GPUS : GRES_OK;
}
