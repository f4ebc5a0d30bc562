/*
 * trust_text.c - the trust figures as report rows: CO2 and cost under
 * carbon intensity and price that follow the clock, beside the flat-factor
 * figure, with the cleanest / cheapest stretch of the window.  report.html
 * (trust_html.c) and report.pdf (trust_pdf.c) print these same strings.
 */
#include "trust_text.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "strbuf.h"
#include "trust.h"

/* "15:00" in the display zone. */
static void
clock_of(usec_t t, char out[6])
{
	char iso[48];

	time_format_iso(t, iso);
	memcpy(out, iso + 11, 5);
	out[5] = '\0';
}

/* "lowest 310 g/kWh 15:00-16:00, highest 440 g/kWh 17:00-17:05" */
static void
add_extremes(struct strbuf *b, const struct tariff_result *r, const char *unit)
{
	char a[6], z[6];

	if (r->low_end <= r->low_start)
		return;
	clock_of(r->low_start, a);
	clock_of(r->low_end, z);
	strbuf_printf(b, "; lowest %g %s %s\u2013%s", r->low_v, unit, a, z);
	clock_of(r->high_start, a);
	clock_of(r->high_end, z);
	strbuf_printf(b, ", highest %g %s %s\u2013%s", r->high_v, unit, a, z);
}

static void
tariff_row(struct text_fields *out, const char *label, const struct tariff_result *r,
    const char *unit, const char *currency, bool co2)
{
	struct strbuf note = { 0 };
	char *value;

	if (!r->have_series)
		return;
	if (isnan(r->total))
		value = xstrdup("unknown");
	else if (co2)
		value = xasprintf("%.2f kg", r->total);
	else
		value = xasprintf("%.2f %s", r->total, currency);
	if (!isnan(r->flat) && co2)
		strbuf_printf(&note, "flat factor: %.2f kg", r->flat);
	else if (!isnan(r->flat))
		strbuf_printf(&note, "flat price: %.2f %s", r->flat, currency);
	else
		strbuf_puts(&note, "no flat factor configured");
	if (r->fallback_kwh > 0)
		strbuf_printf(&note, "; %.3g kWh outside the series at the flat factor",
		    r->fallback_kwh);
	add_extremes(&note, r, unit);
	strlist_add(&out->label, label);
	strlist_add(&out->value, value);
	strlist_add(&out->note, note.s != NULL ? note.s : "");
	free(value);
	free(note.s);
}

/* "8.8-10.9 kWh" for the job's total energy, in the unit of its card. */
static void
range_row(const struct report *rep, struct text_fields *out)
{
	const struct energy_range *r = &rep->trust->range.job;
	double e = rep->energy_j[COMP_TOTAL];
	struct units_fmt fmt = units_energy_fmt(e);
	char *v = trust_range_text(rep, fmt), total[32];

	units_energy(e, e, total, sizeof total);
	strlist_add(&out->label, "Total energy range");
	strlist_addf(&out->value, "%s %s", v, fmt.unit);
	strlist_addf(&out->note, "%.1f %% below to %.1f %% above the %s "
	    "computed", e > 0 ? (e - r->lo[COMP_TOTAL]) / e * 100 : 0,
	    e > 0 ? (r->hi[COMP_TOTAL] - e) / e * 100 : 0, total);
	free(v);
}

/* Measured PUE, the job at the building's wall, each rack's cross-check. */
static void
facility_rows(const struct report *rep, struct text_fields *out)
{
	const struct facility *f = &rep->trust->facility;
	const struct energy_range *r = &rep->trust->range.job;
	double it = rep->energy_j[COMP_TOTAL] / 3.6e6;
	struct strbuf note = { 0 };

	if (f->measured) {
		strlist_add(&out->label, "Measured PUE");
		strlist_addf(&out->value, "%.2f", f->pue);
		strlist_addf(&out->note, "over the %s in the job window: %.3g kWh at "
		    "the PDUs, %.3g kWh of cooling", strcmp(f->scope, "room") == 0 ?
		    "whole room" : "job's racks", f->pdu_j / 3.6e6, f->cooling_j / 3.6e6);
		strlist_add(&out->label, "Facility energy");
		strlist_addf(&out->value, "%.3g kWh (%.3g\u2013%.3g)", it * f->pue,
		    r->lo[COMP_TOTAL] / 3.6e6 * f->pue, r->hi[COMP_TOTAL] / 3.6e6 * f->pue);
		strbuf_printf(&note, "the job's %.3g kWh x measured PUE", it);
		if (!isnan(rep->co2_kg))
			strbuf_printf(&note, "; CO\u2082 %.2f kg", rep->co2_kg * f->pue);
		if (!isnan(rep->cost))
			strbuf_printf(&note, "; cost %.2f %s", rep->cost * f->pue,
			    rep->cfg->currency);
		strlist_add(&out->note, note.s);
		free(note.s);
	}
	for (size_t i = 0; i < f->nracks; i++) {
		const struct rack_check *c = &f->racks[i];

		if (isnan(c->ratio))
			continue;
		strlist_addf(&out->label, "Rack %s: nodes / PDUs", c->name);
		strlist_addf(&out->value, "%.2f", c->ratio);
		strlist_addf(&out->note, "%.3g kWh at the inputs of its %zu node%s, "
		    "%.3g kWh at its PDUs", c->nodes_j / 3.6e6, c->nnodes,
		    c->nnodes == 1 ? "" : "s", c->pdu_j / 3.6e6);
	}
}

/* Slurm's ConsumedEnergy and how far it is from the telemetry's total. */
static void
slurm_row(const struct report *rep, struct text_fields *out)
{
	const struct slurm_check *s = &rep->trust->slurm;
	double ours = rep->energy_j[COMP_TOTAL];

	if (s->from == NULL || s->slurm_j <= 0)
		return;
	strlist_add(&out->label, "Slurm's ConsumedEnergy");
	strlist_addf(&out->value, "%.3f kWh", s->slurm_j / 3.6e6);
	if (ours > 0)
		strlist_addf(&out->note, "%+.3f kWh (%+.1f %%) against the telemetry's "
		    "%.3f kWh; from %s", (s->slurm_j - ours) / 3.6e6,
		    (s->slurm_j - ours) / ours * 100, ours / 3.6e6, s->from);
	else
		strlist_addf(&out->note, "from %s", s->from);
}

void
text_trust(const struct report *rep, struct text_fields *out)
{
	const struct tariff *tf;
	char unit[64];

	if (rep->trust == NULL)
		return;
	range_row(rep, out);
	slurm_row(rep, out);
	tf = &rep->trust->tariff;
	snprintf(unit, sizeof unit, "%s/kWh", rep->cfg->currency);
	tariff_row(out, "CO\u2082 at the grid's intensity of the hour", &tf->co2,
	    "g/kWh", NULL, true);
	tariff_row(out, "Cost at the price of the hour", &tf->cost, unit,
	    rep->cfg->currency, false);
	facility_rows(rep, out);
}

static const char range_method[] =
    "The range after each total (low\u2013high) adds three bounds: the "
    "sensors' accuracy (the larger of a share of the reading and a fixed "
    "band: PSU input and output 5 % or 10 W, GPUs 5 % or 5 W, other "
    "components 10 % or 5 W unless the site configured its own), the "
    "sampling (between two samples power may have sat anywhere between "
    "their values) and the gaps (power is taken to stay within the "
    "series' observed minimum and maximum where no sample covers the "
    "window).  It is a bound, added up over series and nodes without "
    "cancellation, not a standard deviation.  It does not cover a sensor "
    "outside its specification, spikes shorter than the sampling interval "
    "beyond the observed extremes, or what the sensors do not measure.";

/* The paragraph on the series that follow the clock, or NULL. */
static char *
tariff_method(const struct tariff *tf)
{
	if (!tf->co2.have_series && !tf->cost.have_series)
		return NULL;
	return xasprintf("CO\u2082 and cost follow the clock: the input power of "
	    "every node is integrated stretch by stretch between the times the "
	    "carbon intensity or price changes, and each stretch's energy is "
	    "multiplied by the value in force (%s%s%s).  Energy the series do not "
	    "cover is taken at the flat factor, and the report says how much.  "
	    "The values are what the site's series says for the grid, not "
	    "a measurement of the electricity this machine drew.",
	    tf->co2_rate.origin ? tf->co2_rate.origin : "",
	    tf->co2_rate.origin && tf->price_rate.origin ? ", " : "",
	    tf->price_rate.origin ? tf->price_rate.origin : "");
}

static const char slurm_method[] =
    "Slurm's ConsumedEnergy comes from its own energy plugin "
    "(acct_gather_energy: IPMI, RAPL, GPU counters), covers only what that "
    "plugin measures, over the job's steps, and is only meaningful for jobs "
    "that had their nodes to themselves: on shared nodes it counts the "
    "neighbours' energy too.";

static const char facility_method[] =
    "The measured PUE is (PDU energy + cooling energy) / PDU energy over the "
    "job window, from the rack PDUs and in-row coolers of the facility "
    "database, each series integrated like node power; the facility energy "
    "is the job's energy times it.  It shares the cooling out by energy, "
    "not by the heat each job made; the room's other loads (lights, "
    "chillers outside the rows, UPS losses) are not in it.  The rack "
    "cross-check sets the input power of every node of a rack against its "
    "PDUs: close to 1 means the two agree.";

char *
text_trust_method(const struct report *rep)
{
	struct strbuf b = { 0 };
	char *tariff;

	if (rep->trust == NULL)
		return NULL;
	strbuf_puts(&b, range_method);
	if (rep->trust->slurm.from != NULL && rep->trust->slurm.slurm_j > 0) {
		strbuf_puts(&b, "  ");
		strbuf_puts(&b, slurm_method);
	}
	if (rep->trust->facility.measured || rep->trust->facility.nracks > 0) {
		strbuf_puts(&b, "  ");
		strbuf_puts(&b, facility_method);
	}
	if ((tariff = tariff_method(&rep->trust->tariff)) != NULL) {
		strbuf_puts(&b, "  ");
		strbuf_puts(&b, tariff);
	}
	free(tariff);
	return b.s;
}
