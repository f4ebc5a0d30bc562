/*
 * units.h - how energy and power are written, the one rule the charts,
 * report.html and report.pdf share, so that no two of them show the same
 * figure differently.
 */
#ifndef PR_UNITS_H
#define PR_UNITS_H

#include <stddef.h>

/* Energy in kWh with decimals for the size of ref (the figure itself, or
 * the largest one shown beside it): 3 below 1 kWh, 2 below 100 kWh, else 1.
 * "9.84 kWh". */
void units_energy(double joules, double ref_joules, char *buf, size_t size);

/* The factor from watts to the unit power figures up to max_watts are
 * written in: 1 (W), or 1e-3 (kW) from 10 kW on. */
double units_power_scale(double max_watts);

/* Power in the unit of scale (units_power_scale): "456 W", "12.3 kW";
 * "n/a" for NAN. */
void units_power(double watts, double scale, char *buf, size_t size);

#endif
