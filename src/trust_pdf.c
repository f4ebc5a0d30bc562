/*
 * trust_pdf.c - the trust section of report.pdf, after the data quality,
 * from the rows and method text trust_text.c formats for both documents.
 */
#include "trust_pdf.h"

#include <stdlib.h>

#include "error.h"
#include "trust_text.h"

#define INK 0x1d2430u
#define MUTED 0x5b6575u

void
pdf_trust(struct pdf_layout *l, const struct report *rep)
{
	struct text_fields f = { 0 };
	char *method;

	text_trust(rep, &f);
	if (f.label.n == 0)
		return;
	pdf_heading(l, 1, "How far to trust these numbers", 60);
	for (size_t i = 0; i < f.label.n; i++) {
		char *line = xasprintf("%s: %s", f.label.v[i], f.value.v[i]);

		pdf_paragraph(l, 9, INK, line);
		if (f.note.v[i][0] != '\0')
			pdf_paragraph(l, 8, MUTED, f.note.v[i]);
		pdf_skip(l, 4);
		free(line);
	}
	if ((method = text_trust_method(rep)) != NULL) {
		pdf_skip(l, 4);
		pdf_paragraph(l, 8, MUTED, method);
	}
	free(method);
	text_fields_free(&f);
}
