/*
 * units.h - how energy, power and percentages are written, the one rule
 * the charts, report.html and report.pdf share, so that no two of them show
 * the same figure differently:
 *
 *  - the unit comes from the largest figure shown together (a table, a
 *    legend) or from the figure itself (a card, a sentence): Wh below
 *    1 kWh, kWh below 1000 kWh, then MWh; W below 10 kW, then kW;
 *  - that largest figure gets four significant digits (1000 Wh reads
 *    "1.000 kWh", 0.8402 kWh "840.2 Wh"), and every figure beside it the
 *    same decimals;
 *  - a percentage is cut, never rounded up, so 94.96 % reads "94.9 %" and
 *    does not pass a 95 % threshold it is compared with.
 */
#ifndef PR_UNITS_H
#define PR_UNITS_H

#include <stddef.h>

/* A unit and the decimals figures are written with in it. */
struct units_fmt {
	double per;		/* SI base units (J, W) per unit */
	const char *unit;	/* "kWh", "W", ... */
	int decimals;
};

/* The format for energies up to ref_joules / powers up to ref_watts. */
struct units_fmt units_energy_fmt(double ref_joules);
struct units_fmt units_power_fmt(double ref_watts);

/* Decimals of f set so that ref (J or W) gets four significant digits in
 * f's unit: a table whose unit its total sets, and its digits its rows. */
void units_fit_decimals(struct units_fmt *f, double ref);

/* A table of rows up to row_max joules and their sum total: the rows set
 * unit and digits, unless the total would then need more than four
 * integer digits; then the total sets the unit and the rows the digits. */
struct units_fmt units_energy_table_fmt(double row_max, double total);

/* value (J or W) as a number in fmt, without the unit: "57.27"; NAN: "n/a". */
void units_number(double value, struct units_fmt fmt, char *buf, size_t size);

/* Energy with its unit in the format of ref (the figure itself, or the
 * largest one shown beside it): "9.840 kWh", "820.3 Wh"; NAN: "n/a". */
void units_energy(double joules, double ref_joules, char *buf, size_t size);

/* The factor from watts to the unit power figures up to max_watts are
 * written in: 1 (W), or 1e-3 (kW) from 10 kW on. */
double units_power_scale(double max_watts);

/* Power in the unit of scale (units_power_scale): "456 W", "12.3 kW";
 * "n/a" for NAN. */
void units_power(double watts, double scale, char *buf, size_t size);

/* A share 0..1 as "85.9 %", cut to one decimal ("100 %" and "0 %" only
 * when exactly so, "< 0.1 %" for a sliver); NAN: "n/a". */
void units_percent(double fraction, char *buf, size_t size);

#endif
