/*
 * steps.c - step functions over a time window (steps.h): the shares and
 * weights attribution.c and attribution_gpu.c integrate power against.
 */
#include "steps.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

void
steps_add(struct steps *s, usec_t t, double v)
{
	if (s->n > 0 && s->v[s->n - 1] == v)
		return;
	if (s->n > 0 && s->t[s->n - 1] == t) {
		s->v[s->n - 1] = v;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->t = xrealloc(s->t, s->cap * sizeof *s->t);
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->t[s->n] = t;
	s->v[s->n++] = v;
}

void
steps_free(struct steps *s)
{
	free(s->t);
	free(s->v);
	memset(s, 0, sizeof *s);
}

usec_t
step_end(const struct steps *s, size_t k, usec_t end)
{
	return k + 1 < s->n ? s->t[k + 1] : end;
}

void
steps_combine(const struct steps *a, const struct steps *b, usec_t end,
    double (*f)(double, double), struct steps *out)
{
	size_t i = 0, k = 0;

	while (i < a->n && k < b->n) {
		usec_t t = a->t[i] > b->t[k] ? a->t[i] : b->t[k];
		usec_t ea = step_end(a, i, end), eb = step_end(b, k, end);

		steps_add(out, t, f(a->v[i], b->v[k]));
		if (ea <= eb)
			i++;
		if (eb <= ea)
			k++;
	}
}
