/*
 * chart_file.h - a chart of charts.h on a libharu page, for the PDF
 * documents (energy_pie.pdf here, report.pdf in report_pdf.c).
 */
#ifndef PR_CHART_FILE_H
#define PR_CHART_FILE_H

#include <hpdf.h>

#include "charts.h"

/* Draw the chart as vector graphics on page, in the box with lower-left
 * corner (x, y) and size w x h (PDF points). */
int chart_pdf_draw(const struct report *rep, enum chart_kind kind,
    HPDF_Doc doc, HPDF_Page page, double x, double y, double w, double h);

#endif
