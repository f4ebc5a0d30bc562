/*
 * units.c - energy, power and percentages as every document writes them
 * (units.h).
 */
#include "units.h"

#include <math.h>
#include <stdio.h>

/* Decimals that give v (in its unit, below 10000) four significant
 * digits, but none for a whole number of thousands or more. */
static int
decimals_for(double v)
{
	v = fabs(v);
	return v >= 999.95 ? 0 : v >= 99.995 ? 1 : v >= 9.9995 ? 2 : 3;
}

struct units_fmt
units_energy_fmt(double ref_joules)
{
	double ref = fabs(ref_joules);
	struct units_fmt f = { 3.6e9, "MWh", 0 };

	if (isnan(ref) || ref < 3.6e6 * 0.99995)
		f = (struct units_fmt){ 3.6e3, "Wh", 0 };
	else if (ref < 3.6e9 * 0.99995)
		f = (struct units_fmt){ 3.6e6, "kWh", 0 };
	f.decimals = isnan(ref) ? 1 : decimals_for(ref / f.per);
	return f;
}

struct units_fmt
units_power_fmt(double ref_watts)
{
	if (units_power_scale(ref_watts) < 1)
		return (struct units_fmt){ 1e3, "kW", 1 };
	return (struct units_fmt){ 1, "W", 0 };
}

void
units_fit_decimals(struct units_fmt *f, double ref)
{
	if (!isnan(ref))
		f->decimals = decimals_for(ref / f->per);
}

struct units_fmt
units_energy_table_fmt(double row_max, double total)
{
	struct units_fmt f = units_energy_fmt(row_max);

	if (fabs(total) / f.per >= 9999.95) {
		f = units_energy_fmt(total);
		units_fit_decimals(&f, row_max);
	}
	return f;
}

void
units_number(double value, struct units_fmt fmt, char *buf, size_t size)
{
	if (isnan(value))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%.*f", fmt.decimals, value / fmt.per);
}

void
units_energy(double joules, double ref_joules, char *buf, size_t size)
{
	struct units_fmt f = units_energy_fmt(ref_joules);

	if (isnan(joules))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%.*f %s", f.decimals, joules / f.per, f.unit);
}

double
units_power_scale(double max_watts)
{
	return fabs(max_watts) >= 10000 ? 1e-3 : 1;
}

void
units_power(double watts, double scale, char *buf, size_t size)
{
	struct units_fmt f = units_power_fmt(scale < 1 ? 1e4 : 0);

	if (isnan(watts))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%.*f %s", f.decimals, watts / f.per, f.unit);
}

void
units_percent(double fraction, char *buf, size_t size)
{
	/* the smallest tenth of a percent at or below, robust to 0.859 being
	 * stored as 0.85899999... */
	double tenths = floor(fraction * 1000 + 1e-6);

	if (isnan(fraction))
		snprintf(buf, size, "n/a");
	else if (fraction == 0 || fraction == 1)
		snprintf(buf, size, "%.0f %%", fraction * 100);
	else if (fraction > 0 && tenths < 1)
		snprintf(buf, size, "< 0.1 %%");
	else if (fraction < 1 && tenths >= 1000)
		snprintf(buf, size, "99.9 %%");
	else
		snprintf(buf, size, "%.1f %%", tenths / 10);
}
