/*
 * steps.h - step functions over a time window: value v[i] on [t[i],
 * t[i+1]), the last one up to the window's end; t[0] is its start.  The
 * job's share of a node and the weights of its power series are these
 * (attribution.h).
 */
#ifndef PR_STEPS_H
#define PR_STEPS_H

#include <stddef.h>

#include "timefmt.h"

struct steps {
	usec_t *t;
	double *v;
	size_t n, cap;
};

/* v from t on; an equal value is no new step, a step at the same t is
 * replaced. */
void steps_add(struct steps *s, usec_t t, double v);
void steps_free(struct steps *s);
/* End of step k of s in a window ending at end. */
usec_t step_end(const struct steps *s, size_t k, usec_t end);
/* out = f(a, b), both over the same window ending at end. */
void steps_combine(const struct steps *a, const struct steps *b, usec_t end,
    double (*f)(double, double), struct steps *out);

#endif
