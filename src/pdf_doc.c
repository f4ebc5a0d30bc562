/*
 * pdf_font.c - the TrueType font every PDF of powerreport embeds: DejaVu
 * Sans from PR_FONT (found by configure) and DejaVuSans-Bold.ttf beside it,
 * with UTF-8 encoding so names and units such as "µ" or "–" print as
 * they are.  Each document loads a font file once; later calls find it.
 */
#include "pdf_doc.h"

#include <hpdf_doc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "error.h"

/* Font name libharu gave each file, learnt at the first load. */
static char *loaded_name[2];

HPDF_Font
pdf_font(HPDF_Doc doc, bool bold)
{
	const char *name = loaded_name[bold];
	HPDF_Font font;
	char *path;

	if (HPDF_Doc_FindEncoder(doc, "UTF-8") == NULL &&
	    HPDF_UseUTFEncodings(doc) != HPDF_OK) {
		pr_fail(PR_EINTERNAL, "libharu cannot use UTF-8 encodings");
		return NULL;
	}
	if (name == NULL || HPDF_Doc_FindFontDef(doc, name) == NULL) {
		path = draw_font_file(bold);
		name = HPDF_LoadTTFontFromFile(doc, path, HPDF_TRUE);
		if (name == NULL) {
			pr_fail(PR_EINTERNAL, "cannot embed the font %s in a PDF: "
			    "reinstall fonts-dejavu-core or rerun ./configure", path);
			free(path);
			return NULL;
		}
		free(path);
		if (loaded_name[bold] == NULL)
			loaded_name[bold] = xstrdup(name);
	}
	font = HPDF_GetFont(doc, name, "UTF-8");
	if (font == NULL)
		pr_fail(PR_EINTERNAL, "libharu cannot use the font %s with UTF-8", name);
	return font;
}
