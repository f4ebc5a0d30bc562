/*
 * trust.c - the figures that say how far to trust a report, computed around
 * the one streaming pass: loaded before it (what the integrator must split
 * at), finished after it from the report model.  Each part lives in a file
 * of its own (tariff.c, uncertainty.c, facility.c, slurm_energy.c); this
 * file only sequences them.
 */
#include "trust.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "error.h"
#include "slurm_energy.h"

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
	struct strlist slurm_notes = { 0 };
	int rc;

	if (t == NULL)
		return PR_OK;
	tariff_compute(&t->tariff, rep->cfg, rep->energy_j[COMP_TOTAL]);
	uncertainty_compute(&t->range, rep);
	rc = facility_measure(&t->facility, rep->cfg, rep->job);
	if (rc == PR_OK)
		rc = slurm_energy_find(rep->cfg, rep->job, &t->slurm.slurm_j,
		    &t->slurm.from, &slurm_notes);
	take_notes(rep, &t->tariff.notes);
	take_notes(rep, &t->facility.notes);
	take_notes(rep, &slurm_notes);
	if (t->slurm.from != NULL && t->slurm.slurm_j <= 0)
		strlist_addf(&rep->warnings, "Slurm recorded no energy for this job "
		    "(%s): no acct_gather_energy plugin, or the job was not accounted",
		    t->slurm.from);
	return rc;
}

void
trust_free(struct trust *t)
{
	if (t == NULL)
		return;
	tariff_free(&t->tariff);
	uncertainty_free(&t->range);
	facility_free(&t->facility);
	free(t);
}

char *
trust_range_text(const struct report *rep, struct units_fmt fmt)
{
	const struct energy_range *r;
	int decimals = fmt.decimals > 0 ? fmt.decimals - 1 : 0;
	double f = pow(10, decimals), lo, hi;

	if (rep->trust == NULL)
		return NULL;
	r = &rep->trust->range.job;
	lo = floor(r->lo[COMP_TOTAL] / fmt.per * f) / f;
	hi = ceil(r->hi[COMP_TOTAL] / fmt.per * f) / f;
	return xasprintf("%.*f\u2013%.*f", decimals, lo, decimals, hi);
}

char *
trust_total_range(const struct report *rep, char *value, struct units_fmt fmt)
{
	char *range = trust_range_text(rep, fmt), *out;

	if (range == NULL)
		return value;
	out = xasprintf("%s (%s)", value, range);
	free(value);
	free(range);
	return out;
}
