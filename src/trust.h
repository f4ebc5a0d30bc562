/*
 * trust.h - how far to trust the job's numbers, beside the numbers
 * themselves (issue 14): a range on every energy figure, Slurm's own
 * ConsumedEnergy beside the total, the measured PUE and rack cross-check
 * from the facility database, and CO2 and cost under
 * carbon intensity and price that change with time.  Everything here is optional: what is not configured or
 * not available is absent, never a failure of the report.
 */
#ifndef PR_TRUST_H
#define PR_TRUST_H

#include "facility.h"
#include "report.h"
#include "units.h"
#include "tariff.h"
#include "uncertainty.h"

/* Slurm's ConsumedEnergy beside the telemetry's total. */
struct slurm_check {
	const char *from;	/* where it was asked; NULL: nowhere */
	double slurm_j;		/* 0: absent or zero */
};

struct trust {
	struct tariff tariff;
	struct uncertainty range;
	struct facility facility;
	struct slurm_check slurm;
};

/* What has to be known before samples stream (the tariff's cut times),
 * into a new rep->trust.  PR_ECONFIG for a bad configured file. */
int trust_begin(struct report *rep, const struct config *cfg, const struct job *job);
/* Where the collector splits input energy in time (NULL: nowhere). */
const struct series_cuts *trust_cuts(const struct report *rep);
/* The figures, once the report model is complete (the facility database
 * is read here); what fell back goes to rep->warnings.  PR_OK unless
 * interrupted. */
int trust_finish(struct report *rep);
void trust_free(struct trust *t);

/* The range of the job's total energy written in fmt's unit without it,
 * "9.4\u201310.3", rounded outwards to one decimal less than fmt gives the
 * figure (malloc'd), or NULL when there is none.  Each node's range is in
 * summary.json only. */
char *trust_range_text(const struct report *rep, struct units_fmt fmt);
/* value (a formatted energy in fmt, taken over) with that range after it:
 * "9.84 (9.4\u201310.3)", or value alone. */
char *trust_total_range(const struct report *rep, char *value, struct units_fmt fmt);

#endif
