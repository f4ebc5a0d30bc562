/*
 * trust_html.c - the trust section of report.html (templates/trust.html.tpl),
 * from the rows and method text trust_text.c formats for both documents.
 */
#include "trust_html.h"

#include <stdlib.h>

#include "trust_text.h"

void
html_trust(struct tpl *d, const struct report *rep)
{
	struct text_fields f = { 0 };
	char *method = text_trust_method(rep);

	text_trust(rep, &f);
	for (size_t i = 0; i < f.label.n; i++) {
		struct tpl *row = tpl_row(d, "ROW");

		tpl_set(row, "LABEL", f.label.v[i]);
		tpl_set(row, "VALUE", f.value.v[i]);
		tpl_set(row, "NOTE", f.note.v[i]);
	}
	if (f.label.n > 0)
		tpl_show(d, "HAS_TRUST");
	if (method != NULL) {
		tpl_set(d, "METHOD", method);
		tpl_show(d, "HAS_METHOD");
	}
	free(method);
	text_fields_free(&f);
}
