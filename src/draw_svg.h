/*
 * draw_svg.h - the SVG backend of the drawing interface, for report.html.
 */
#ifndef PR_DRAW_SVG_H
#define PR_DRAW_SVG_H

#include "draw.h"

/* SVG text into a growable buffer; draw_svg_finish returns the complete
 * <svg> element (malloc'd) and frees the drawing. */
struct draw *draw_svg_new(double w, double h);
char *draw_svg_finish(struct draw *d);
/* Leave out the hover read-outs from here on (a phone has no pointer). */
void draw_svg_no_tips(struct draw *d);

#endif
