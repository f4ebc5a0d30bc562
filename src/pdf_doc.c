/*
 * pdf_doc.c - the libharu document every PDF of powerreport is (pdf_doc.h):
 * started compressed with its first error kept (libharu reports errors to
 * a handler), saved into the report directory by one path, and the TrueType
 * font it embeds: DejaVu Sans from PR_FONT (found by configure) and
 * DejaVuSans-Bold.ttf beside it, with UTF-8 encoding so names and units
 * such as "µ" or "–" print as they are.  Each document loads a font file
 * once; later calls find it.  libharu gives such a font a copy of its
 * encoding CMap as /ToUnicode, which poppler rejects ("Invalid
 * 'begincidrange' operator in ToUnicode CMap") and text extraction cannot
 * use; since its character codes are the Unicode code points themselves,
 * the font gets an identity ToUnicode CMap instead.  Text the font has no
 * glyph for (a CJK job name) may be set in a fallback font that fontconfig
 * finds among the installed TrueType fonts (libharu cannot embed CFF ones).
 */
#include "pdf_doc.h"

#include <fontconfig/fontconfig.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
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

/* Codes 0000..FFFF (surrogates aside) map to the same UTF-16 code unit. */
static HPDF_STATUS
write_identity_cmap(HPDF_Stream st)
{
	char line[40];
	HPDF_STATUS err = HPDF_Stream_WriteStr(st,
	    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
	    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");

	for (unsigned hi = 0, n = 0; hi < 256 && err == HPDF_OK; hi++) {
		if (hi >= 0xd8 && hi <= 0xdf)
			continue;
		if (n % 100 == 0)	/* at most 100 ranges to a block */
			err = HPDF_Stream_WriteStr(st, n == 0 ? "100 beginbfrange\n" :
			    n == 200 ? "endbfrange\n48 beginbfrange\n" :
			    "endbfrange\n100 beginbfrange\n");
		snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
		if (err == HPDF_OK)
			err = HPDF_Stream_WriteStr(st, line);
		n++;
	}
	if (err == HPDF_OK)
		err = HPDF_Stream_WriteStr(st, "endbfrange\nendcmap\nCMapName "
		    "currentdict /CMap defineresource pop\nend\nend\n");
	return err;
}

/* Give font the identity ToUnicode CMap, once. */
static void
fix_to_unicode(HPDF_Doc doc, HPDF_Font font)
{
	HPDF_Dict old = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	HPDF_Dict cmap;

	if (old == NULL || HPDF_Dict_GetItem(old, "CMapName", HPDF_OCLASS_NAME) == NULL)
		return;		/* none, or ours already */
	if ((cmap = HPDF_DictStream_New(doc->mmgr, doc->xref)) == NULL)
		return;		/* the error handler has the cause */
	if (doc->compression_mode & HPDF_COMP_TEXT)
		cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	if (write_identity_cmap(cmap->stream) == HPDF_OK)
		HPDF_Dict_Add(font, "ToUnicode", cmap);
}

bool
pdf_font_has(HPDF_Font font, unsigned code)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;

	if (code >= 0x20 && code < 0x7f)
		return true;	/* every text font has ASCII; the lookup is a scan */
	return code <= 0xffff &&
	    HPDF_TTFontDef_GetGlyphid(attr->fontdef, (HPDF_UINT16)code) != 0;
}

/* The first installed TrueType font (.ttf, or a face of a .ttc) with a
 * glyph for code, by fontconfig's preference; NULL when there is none. */
static char *
fallback_file(unsigned code, int *index)
{
	FcPattern *pat = FcPatternCreate();
	FcCharSet *cs = FcCharSetCreate();
	FcFontSet *set;
	FcResult res;
	char *file = NULL;

	FcCharSetAddChar(cs, code);
	FcPatternAddCharSet(pat, FC_CHARSET, cs);
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	set = FcFontSort(NULL, pat, FcFalse, NULL, &res);
	for (int i = 0; set != NULL && i < set->nfont && file == NULL; i++) {
		FcChar8 *path, *format;
		FcCharSet *has;
		const char *ext;

		if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &path) != FcResultMatch ||
		    FcPatternGetString(set->fonts[i], FC_FONTFORMAT, 0, &format) != FcResultMatch ||
		    FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &has) != FcResultMatch ||
		    strcmp((const char *)format, "TrueType") != 0 ||
		    !FcCharSetHasChar(has, code) ||
		    (ext = strrchr((const char *)path, '.')) == NULL ||
		    (strcmp(ext, ".ttf") != 0 && strcmp(ext, ".ttc") != 0))
			continue;
		if (FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, index) != FcResultMatch)
			*index = 0;
		file = xstrdup((const char *)path);
	}
	if (set != NULL)
		FcFontSetDestroy(set);
	FcCharSetDestroy(cs);
	FcPatternDestroy(pat);
	FcFini();	/* fontconfig serves only this look-up: let its caches go */
	return file;
}

HPDF_Font
pdf_fallback_font(HPDF_Doc doc, struct pdf_status *st, unsigned code)
{
	struct pdf_status before = *st;
	const char *name = NULL;
	HPDF_Font font = NULL;
	int index = 0;
	char *file = fallback_file(code, &index);

	if (file == NULL)
		return NULL;
	name = strcmp(strrchr(file, '.'), ".ttc") == 0 ?
	    HPDF_LoadTTFontFromFile2(doc, file, index, HPDF_TRUE) :
	    HPDF_LoadTTFontFromFile(doc, file, HPDF_TRUE);
	if (name != NULL)
		font = HPDF_GetFont(doc, name, "UTF-8");
	if (font == NULL) {	/* a font libharu cannot read: do without */
		HPDF_ResetError(doc);
		*st = before;
	} else {
		fix_to_unicode(doc, font);
	}
	free(file);
	return font;
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
	else
		fix_to_unicode(doc, font);
	return font;
}
