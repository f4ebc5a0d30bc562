/*
 * pdf_doc.c - the libharu document every PDF of powerreport is (pdf_doc.h):
 * started compressed with its first error kept (libharu reports errors to
 * a handler), saved into the report directory by one path, and the TrueType
 * font it embeds: DejaVu Sans from PR_FONT (found by configure) and
 * DejaVuSans-Bold.ttf beside it, with UTF-8 encoding so names and units
 * such as "µ" or "–" print as they are.  Each document loads a font file
 * once; later calls find it.
 */
#include "pdf_doc.h"

#include <hpdf_doc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "error.h"

static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct pdf_status *st = user;

	if (st->error == HPDF_OK) {
		st->error = error;
		st->detail = detail;
	}
}

HPDF_Doc
pdf_doc_new(struct pdf_status *st, const char *name)
{
	HPDF_Doc doc;

	st->error = st->detail = HPDF_OK;
	if ((doc = HPDF_New(on_error, st)) == NULL) {
		pr_fail(PR_EINTERNAL, "libharu cannot start %s", name);
		return NULL;
	}
	HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
	return doc;
}

int
pdf_doc_save(HPDF_Doc doc, const struct pdf_status *st,
    const struct outdir *od, const char *name)
{
	HPDF_BYTE buf[65536];
	HPDF_UINT32 len;
	FILE *fp;

	if (st->error == HPDF_OK)
		HPDF_SaveToStream(doc);
	if (st->error != HPDF_OK)
		return pr_fail(PR_EINTERNAL, "libharu error 0x%04X (detail %u) "
		    "while making %s", (unsigned)st->error, (unsigned)st->detail,
		    name);
	if ((fp = outdir_fopen(od, name)) == NULL)
		return PR_EOUTPUT;
	HPDF_ResetStream(doc);
	do {
		len = sizeof buf;
		if (HPDF_ReadFromStream(doc, buf, &len) != HPDF_OK && len == 0)
			break;
		fwrite(buf, 1, len, fp);
	} while (len == sizeof buf);
	return outdir_fclose(fp, name);
}

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
