/*
 * trust.c - the figures that say how far to trust a report, computed around
 * the one streaming pass: loaded before it (what the integrator must split
 * at), finished after it from the report model.  Each part lives in a file
 * of its own (tariff.c); this file only sequences them.
 */
#include "trust.h"

#include <stdlib.h>

#include "error.h"

int
trust_begin(struct report *rep, const struct config *cfg, const struct job *job)
{
	rep->trust = xcalloc(1, sizeof *rep->trust);
	return tariff_load(&rep->trust->tariff, cfg, job->start, job->end);
}

const struct series_cuts *
trust_cuts(const struct report *rep)
{
	return rep->trust != NULL ? tariff_cuts(&rep->trust->tariff) : NULL;
}

/* Move every note of from to the report's warnings. */
static void
take_notes(struct report *rep, struct strlist *from)
{
	for (size_t i = 0; i < from->n; i++)
		strlist_add(&rep->warnings, from->v[i]);
	strlist_free(from);
}

int
trust_finish(struct report *rep)
{
	struct trust *t = rep->trust;

	if (t == NULL)
		return PR_OK;
	tariff_compute(&t->tariff, rep->cfg, rep->energy_j[COMP_TOTAL]);
	take_notes(rep, &t->tariff.notes);
	return PR_OK;
}

void
trust_free(struct trust *t)
{
	if (t == NULL)
		return;
	tariff_free(&t->tariff);
	free(t);
}
