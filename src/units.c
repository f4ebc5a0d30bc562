/*
 * units.c - energy and power as every document writes them (units.h).
 */
#include "units.h"

#include <math.h>
#include <stdio.h>

#include "report.h"

void
units_energy(double joules, double ref_joules, char *buf, size_t size)
{
	double ref = joules_to_kwh(ref_joules);

	snprintf(buf, size, "%.*f kWh", ref >= 100 ? 1 : ref >= 1 ? 2 : 3,
	    joules_to_kwh(joules));
}

double
units_power_scale(double max_watts)
{
	return fabs(max_watts) >= 10000 ? 1e-3 : 1;
}

void
units_power(double watts, double scale, char *buf, size_t size)
{
	if (isnan(watts))
		snprintf(buf, size, "n/a");
	else if (scale < 1)
		snprintf(buf, size, "%.1f kW", watts / 1000);
	else
		snprintf(buf, size, "%.0f W", watts);
}
