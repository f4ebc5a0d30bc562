/*
 * pdf_doc.h - what every libharu document of powerreport (report.pdf,
 * energy_pie.pdf) shares: how it starts, the embedded font, and the one way
 * it is saved into the report directory.
 */
#ifndef PR_PDF_DOC_H
#define PR_PDF_DOC_H

#include <stdbool.h>

#include <hpdf.h>

#include "outdir.h"

/* The first error libharu reported on a document (0: none). */
struct pdf_status {
	HPDF_STATUS error, detail;
};

/* A new compressed document whose errors are kept in *st (which must
 * outlive it).  NULL + pr_fail naming name when libharu cannot start one. */
HPDF_Doc pdf_doc_new(struct pdf_status *st, const char *name);

/* The finished document into name inside the output directory: PR_OK,
 * PR_EOUTPUT, or PR_EINTERNAL naming the first libharu error. */
int pdf_doc_save(HPDF_Doc doc, const struct pdf_status *st,
    const struct outdir *od, const char *name);

/* The embedded TrueType font (PR_FONT, DejaVu Sans; bold variant when bold)
 * with UTF-8 encoding, loaded once per document.  NULL + pr_fail on error. */
HPDF_Font pdf_font(HPDF_Doc doc, bool bold);
/* An installed TrueType font with a glyph for code (fontconfig), loaded
 * into doc with UTF-8 encoding; NULL, and no error kept in *st, when there
 * is none libharu can embed. */
HPDF_Font pdf_fallback_font(HPDF_Doc doc, struct pdf_status *st, unsigned code);
/* Whether font (from pdf_font) has a glyph for the Unicode code point. */
bool pdf_font_has(HPDF_Font font, unsigned code);

#endif
