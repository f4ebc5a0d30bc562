/*
 * chart_palette.h - the colours of the charts: a fixed colour per component
 * and metric role (the same in every chart and in the tables of
 * report.html), the heat scale, and the tones of text, grid and axes.
 */
#ifndef PR_CHART_PALETTE_H
#define PR_CHART_PALETTE_H

#include "report.h"

#define INK 0x222222
#define MUTED 0x666666
#define GRID 0xE6E6E6
#define AXIS 0x8C8C8C
#define NODATA 0xE3E3E3
#define WHITE 0xFFFFFF
#define MISSING 0xB2182B	/* strip where samples are missing: no line's colour */

/* Fixed colour per component/role across every chart (assets/palette),
 * as 0xRRGGBB. */
unsigned chart_role_colour(enum metric_role role);
unsigned chart_component_colour(enum component comp);

/* Colour a + (b - a) * t, channel by channel. */
unsigned chart_mix(unsigned a, unsigned b, double t);

/* The heat scale of assets/palette.def at f (0..1). */
unsigned chart_heat_colour(double f);

#endif
