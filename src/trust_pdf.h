/*
 * trust_pdf.h - the trust section of report.pdf.
 */
#ifndef PR_TRUST_PDF_H
#define PR_TRUST_PDF_H

#include "pdf_layout.h"
#include "report.h"

/* A heading, one line per trust figure and the method paragraph, at the
 * cursor; nothing when the job has no trust figure. */
void pdf_trust(struct pdf_layout *l, const struct report *rep);

#endif
