/*
 * chart_palette.c - the colours of the charts (chart_palette.h), compiled in
 * from assets/palette.def.
 */
#include "chart_palette.h"

#include <math.h>

#include "draw.h"

/* The tables of assets/palette.def, one X-macro pass each. */
#define COMPONENT(k, c)
#define HEAT(c)
#define ROLE(r, c) [r] = c,
static const unsigned role_colour[ROLE_N] = {
#include "../assets/palette.def"
};
#undef ROLE
#undef COMPONENT
#define ROLE(r, c)
#define COMPONENT(k, c) [k] = c,
static const unsigned comp_colour[COMP_N] = {
#include "../assets/palette.def"
};
#undef COMPONENT
#undef HEAT
#define COMPONENT(k, c)
#define HEAT(c) c,
static const unsigned heat_scale[] = {
#include "../assets/palette.def"
};
#undef COMPONENT
#undef HEAT
#undef ROLE

#define NHEAT (sizeof heat_scale / sizeof *heat_scale)

unsigned
chart_role_colour(enum metric_role role)
{
	return role >= 0 && role < ROLE_N ? role_colour[role] : INK;
}

unsigned
chart_component_colour(enum component comp)
{
	return comp >= 0 && comp < COMP_N ? comp_colour[comp] : INK;
}

unsigned
chart_mix(unsigned a, unsigned b, double t)
{
	unsigned char ca[3], cb[3];
	unsigned out = 0;

	draw_rgb_bytes(a, ca);
	draw_rgb_bytes(b, cb);
	for (int i = 0; i < 3; i++)
		out = out << 8 | (unsigned)lround(ca[i] + (cb[i] - ca[i]) * t);
	return out;
}

unsigned
chart_heat_colour(double f)
{
	double x = fmax(0, fmin(1, f)) * (NHEAT - 1);
	int i = (int)x;

	if (i >= (int)NHEAT - 1)
		return heat_scale[NHEAT - 1];
	return chart_mix(heat_scale[i], heat_scale[i + 1], x - i);
}
