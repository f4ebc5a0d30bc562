/*
 * pdf_doc.h - what every libharu document of powerreport shares: the
 * embedded font.
 */
#ifndef PR_PDF_DOC_H
#define PR_PDF_DOC_H

#include <stdbool.h>

#include <hpdf.h>

/* The embedded TrueType font (PR_FONT, DejaVu Sans; bold variant when bold)
 * with UTF-8 encoding, loaded once per document.  NULL + pr_fail on error. */
HPDF_Font pdf_font(HPDF_Doc doc, bool bold);

#endif
