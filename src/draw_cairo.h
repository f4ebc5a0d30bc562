/*
 * draw_cairo.h - the raster backend of the drawing interface (cairo), for the
 * PNG chart files, and text measured the way it draws.
 */
#ifndef PR_DRAW_CAIRO_H
#define PR_DRAW_CAIRO_H

#include <stdio.h>

#include "draw.h"

/* A w x h raster, ended with draw_cairo_free. */
struct draw *draw_cairo_new(int w, int h);
/* Write the raster as PNG with tEXt Title, Software and Comment.  PR_OK
 * or PR_EOUTPUT naming name. */
int draw_cairo_write_png(struct draw *d, FILE *fp, const char *name,
    const char *title, const char *comment);
void draw_cairo_free(struct draw *d);
/* Text width measured with cairo (DejaVu Sans), for backends that cannot
 * measure themselves. */
double draw_cairo_measure(const char *utf8, const struct draw_font *font);

#endif
