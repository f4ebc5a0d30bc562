/*
 * draw_pdf.h - the PDF backend of the drawing interface: charts as vector
 * graphics on a libharu page.  Only the PDF producers include it, so
 * libharu stays out of draw.h and the charts.
 */
#ifndef PR_DRAW_PDF_H
#define PR_DRAW_PDF_H

#include <hpdf.h>

#include "draw.h"

/* Vector drawing on a libharu page inside the box with lower-left corner
 * (x, y) and size w x h points; fonts from pdf_font().  NULL + pr_fail
 * when the font cannot be loaded. */
struct draw *draw_pdf_new(HPDF_Doc doc, HPDF_Page page, double x, double y,
    double w, double h);
/* PR_OK, or PR_EINTERNAL when libharu reported an error while drawing. */
int draw_pdf_free(struct draw *d);

#endif
