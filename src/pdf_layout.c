/*
 * pdf_layout.c - text, headings, paragraphs and tables flowing down the
 * pages of a libharu document (pdf_layout.h).  libharu reports errors to a
 * handler (pdf_doc.c); the first one is kept and turned into a pr_fail
 * status when the document is saved.
 */
#include "pdf_layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "draw.h"
#include "error.h"
#include "pdf_doc.h"
#include "textfit.h"

#define FOOTER_SIZE 8.0
#define LINE 1.45		/* line height as a multiple of the font size */
#define MUTED 0x5b6575u
#define RULE 0xd0d5ddu

static void
fill_rgb(HPDF_Page page, unsigned c)
{
	unsigned char v[3];

	draw_rgb_bytes(c, v);
	HPDF_Page_SetRGBFill(page, v[0] / 255.0, v[1] / 255.0, v[2] / 255.0);
}

static void
stroke_rgb(HPDF_Page page, unsigned c)
{
	unsigned char v[3];

	draw_rgb_bytes(c, v);
	HPDF_Page_SetRGBStroke(page, v[0] / 255.0, v[1] / 255.0, v[2] / 255.0);
}

int
pdf_layout_begin(struct pdf_layout *l, const char *paper)
{
	memset(l, 0, sizeof *l);
	if ((l->doc = pdf_doc_new(&l->status, "report.pdf")) == NULL)
		return PR_EINTERNAL;
	if ((l->font = pdf_font(l->doc, false)) == NULL ||
	    (l->bold = pdf_font(l->doc, true)) == NULL)
		return pr_fail(PR_EINTERNAL, "report.pdf: cannot load the font");
	HPDF_SetCurrentEncoder(l->doc, "UTF-8");	/* metadata text */
	if (paper != NULL && strcasecmp(paper, "Letter") == 0) {
		l->width = 612;
		l->height = 792;
	} else {
		l->width = 595.276;
		l->height = 841.89;
	}
	l->margin = 48;
	l->left = l->margin;
	l->right = l->width - l->margin;
	l->bottom = 56;
	pdf_new_page(l);
	return PR_OK;
}

void
pdf_layout_free(struct pdf_layout *l)
{
	if (l->doc != NULL)
		HPDF_Free(l->doc);
	free(l->pages);
	memset(l, 0, sizeof *l);
}

void
pdf_new_page(struct pdf_layout *l)
{
	l->page = HPDF_AddPage(l->doc);
	HPDF_Page_SetWidth(l->page, l->width);
	HPDF_Page_SetHeight(l->page, l->height);
	l->pages = xrealloc(l->pages, (l->npages + 1) * sizeof *l->pages);
	l->pages[l->npages++] = l->page;
	l->y = l->height - l->margin;
}

void
pdf_need(struct pdf_layout *l, double h)
{
	if (l->y - h < l->bottom)
		pdf_new_page(l);
}

void
pdf_skip(struct pdf_layout *l, double h)
{
	l->y -= h;
}

/* Length of the UTF-8 sequence at s and its code point (an invalid byte
 * is one character U+FFFD). */
static size_t
utf8_next(const unsigned char *s, unsigned *cp)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 :
	    s[0] >= 0xc0 ? 2 : 0;

	*cp = len == 1 ? s[0] : len == 2 ? s[0] & 0x1f : len == 3 ? s[0] & 0x0f :
	    s[0] & 0x07;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			len = 0;
			break;
		}
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (len == 0) {
		*cp = 0xfffd;
		return 1;
	}
	return len;
}

char *
pdf_printable(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	char *out = xmalloc(3 * strlen(text) + 1), *o = out;

	while (*p != '\0') {
		unsigned cp;
		size_t n = utf8_next(p, &cp);

		if (cp <= 0xffff && cp != 0xfffd) {
			memcpy(o, p, n);
			o += n;
		} else {
			memcpy(o, "\uFFFD", 3);
			o += 3;
		}
		p += n;
	}
	*o = '\0';
	return out;
}

/* The font that has a glyph for cp: the document's (bold or regular),
 * else the fallback (looked for once, at the first character that needs
 * it); NULL when none has. */
static HPDF_Font
font_for(struct pdf_layout *l, bool bold, unsigned cp)
{
	HPDF_Font main = bold ? l->bold : l->font;

	if (pdf_font_has(main, cp))
		return main;
	if (cp > 0xffff)
		return NULL;
	if (!l->fallback_tried) {
		l->fallback_tried = true;
		l->fallback = pdf_fallback_font(l->doc, &l->status, cp);
	}
	return l->fallback != NULL && pdf_font_has(l->fallback, cp) ?
	    l->fallback : NULL;
}

/* text cut into runs of one font each; what no font has becomes U+FFFD in
 * the main font.  Calls fn(run, font, arg) per run; returns the width of
 * the whole at size. */
static double
font_runs(struct pdf_layout *l, bool bold, double size, const char *text,
    void (*fn)(const char *, HPDF_Font, double, void *), void *arg)
{
	const unsigned char *p = (const unsigned char *)text;
	char *run = xmalloc(3 * strlen(text) + 1);
	size_t len = 0;
	HPDF_Font cur = NULL;
	double width = 0;

	for (;;) {
		unsigned cp = 0;
		size_t n = *p != '\0' ? utf8_next(p, &cp) : 0;
		HPDF_Font f = n > 0 ? font_for(l, bold, cp) : NULL;
		HPDF_Font use = n == 0 || f != NULL ? f : bold ? l->bold : l->font;

		if (len > 0 && (n == 0 || use != cur)) {
			run[len] = '\0';
			if (fn != NULL)
				fn(run, cur, width, arg);
			width += HPDF_Font_TextWidth(cur, (const HPDF_BYTE *)run,
			    len).width * size / 1000;
			len = 0;
		}
		if (n == 0)
			break;
		cur = use;
		memcpy(run + len, f != NULL ? (const char *)p : "\uFFFD", f != NULL ? n : 3);
		len += f != NULL ? n : 3;
		p += n;
	}
	free(run);
	return width;
}

/* Where and how a text is drawn (font_runs callback). */
struct text_place {
	HPDF_Page page;
	double x, y, size;
};

static void
draw_run(const char *run, HPDF_Font font, double dx, void *arg)
{
	const struct text_place *t = arg;

	HPDF_Page_SetFontAndSize(t->page, font, t->size);
	HPDF_Page_TextOut(t->page, t->x + dx, t->y, run);
}

static void
text_on(struct pdf_layout *l, HPDF_Page page, double x, double y, bool bold,
    double size, unsigned colour, const char *text)
{
	struct text_place t = { page, x, y, size };

	fill_rgb(page, colour);
	HPDF_Page_BeginText(page);
	font_runs(l, bold, size, text, draw_run, &t);
	HPDF_Page_EndText(page);
}

void
pdf_text(struct pdf_layout *l, double x, double y, bool bold, double size,
    unsigned colour, const char *text)
{
	text_on(l, l->page, x, y, bold, size, colour, text);
}

void
pdf_rect(struct pdf_layout *l, double x, double y, double w, double h, unsigned colour)
{
	fill_rgb(l->page, colour);
	HPDF_Page_Rectangle(l->page, x, y, w, h);
	HPDF_Page_Fill(l->page);
}

double
pdf_text_width(struct pdf_layout *l, bool bold, double size, const char *text)
{
	return font_runs(l, bold, size, text, NULL, NULL);
}

struct fit_ctx {
	struct pdf_layout *l;
	bool bold;
	double size;
};

static double
fit_width(void *ctx, const char *text)
{
	struct fit_ctx *f = ctx;

	return pdf_text_width(f->l, f->bold, f->size, text);
}

char *
pdf_fit(struct pdf_layout *l, bool bold, double size, const char *text, double width)
{
	struct fit_ctx f = { l, bold, size };

	return textfit(text, width, fit_width, &f);
}

static void
rule(struct pdf_layout *l, double x0, double x1, double y, double w, unsigned colour)
{
	stroke_rgb(l->page, colour);
	HPDF_Page_SetLineWidth(l->page, w);
	HPDF_Page_MoveTo(l->page, x0, y);
	HPDF_Page_LineTo(l->page, x1, y);
	HPDF_Page_Stroke(l->page);
}

/* An entry in the viewer's outline leading to the current page. */
static void
bookmark(struct pdf_layout *l, const char *title)
{
	HPDF_Outline o = HPDF_CreateOutline(l->doc, NULL, title,
	    HPDF_GetEncoder(l->doc, "UTF-8"));

	if (o != NULL)
		HPDF_Outline_SetDestination(o, HPDF_Page_CreateDestination(l->page));
}

void
pdf_heading(struct pdf_layout *l, int level, const char *text, double keep)
{
	double size = level == 1 ? 13 : 10.5;

	pdf_skip(l, level == 1 ? 12 : 6);
	pdf_need(l, size * 2 + keep);
	pdf_text(l, l->left, l->y - size, true, size, 0x1d2430, text);
	if (level == 1) {
		rule(l, l->left, l->right, l->y - size - 5, 0.6, RULE);
		bookmark(l, text);
	}
	l->y -= size + (level == 1 ? 14 : 8);
}

/* Length of the longest prefix of s (at most len bytes, whole UTF-8
 * characters, at least one) that fits width. */
static size_t
fitting_prefix(struct pdf_layout *l, double size, const char *s, size_t len, double width)
{
	struct fit_ctx f = { l, false, size };
	size_t n = textfit_prefix(s, len, "", width, fit_width, &f);

	/* When not even one character fits, one is taken anyway. */
	return n > 0 ? n : textfit_char_end(s, 0, len);
}

/* Next line of text that fits width, from *p (advanced past it and the
 * space after); words wider than a line are cut.  *p is not at a space.
 * malloc'd. */
static char *
next_line(struct pdf_layout *l, double size, const char **p, double width)
{
	const char *s = *p, *stop = s;
	char *line;

	for (;;) {
		const char *sp = strchr(stop == s ? s : stop + 1, ' ');
		const char *end = sp != NULL ? sp : s + strlen(s);
		char *try = xmalloc(end - s + 1);

		memcpy(try, s, end - s);
		try[end - s] = '\0';
		if (pdf_text_width(l, false, size, try) > width) {
			free(try);
			break;
		}
		free(try);
		stop = end;
		if (sp == NULL)
			break;
	}
	if (stop == s)		/* one word wider than the line */
		stop = s + fitting_prefix(l, size, s, strcspn(s, " "), width);
	line = xmalloc(stop - s + 1);
	memcpy(line, s, stop - s);
	line[stop - s] = '\0';
	*p = *stop == ' ' ? stop + 1 : stop;
	return line;
}

double
pdf_paragraph_height(struct pdf_layout *l, double size, const char *text)
{
	const char *p = text;
	double h = 0;

	for (;;) {
		p += strspn(p, " ");
		if (*p == '\0')
			return h;
		free(next_line(l, size, &p, l->right - l->left));
		h += size * LINE;
	}
}

void
pdf_paragraph(struct pdf_layout *l, double size, unsigned colour, const char *text)
{
	const char *p = text;

	for (;;) {
		char *line;

		p += strspn(p, " ");
		if (*p == '\0')
			break;
		line = next_line(l, size, &p, l->right - l->left);
		pdf_need(l, size * LINE);
		pdf_text(l, l->left, l->y - size, false, size, colour, line);
		l->y -= size * LINE;
		free(line);
	}
}

/* x of column c's left edge and its width. */
static double
col_x(const struct pdf_layout *l, const struct pdf_table *t, size_t c, double *w)
{
	double x0 = t->x1 > t->x0 ? t->x0 : l->left;
	double x1 = t->x1 > t->x0 ? t->x1 : l->right;
	double sum = 0, before = 0, span = x1 - x0;

	for (size_t i = 0; i < t->ncols; i++) {
		if (i < c)
			before += t->weight[i];
		sum += t->weight[i];
	}
	*w = span * t->weight[c] / sum;
	return x0 + span * before / sum;
}

/* Horizontal rule under the current line of table t. */
static void
table_rule(struct pdf_layout *l, const struct pdf_table *t, double w)
{
	double cw, x0 = col_x(l, t, 0, &cw), xn = col_x(l, t, t->ncols - 1, &cw) + cw;

	rule(l, x0, xn, l->y + 2, w, RULE);
}

static void
cells(struct pdf_layout *l, const struct pdf_table *t, const char *const *text,
    bool bold, unsigned colour)
{
	double pad = 3, base = l->y - t->size * 1.25;

	for (size_t c = 0; c < t->ncols; c++) {
		double w, x = col_x(l, t, c, &w);
		char *s = pdf_fit(l, bold, t->size, text[c], w - 2 * pad);

		if (t->right[c])
			x += w - pad - pdf_text_width(l, bold, t->size, s);
		else
			x += pad;
		pdf_text(l, x, base, bold, t->size, colour, s);
		free(s);
	}
}

/* Where a column head "CPU (kWh)" breaks onto two lines ("CPU" over
 * "(kWh)"): the offset of " (", or the length when it has no unit. */
static size_t
head_break(const char *head)
{
	const char *open = strrchr(head, '(');
	size_t len = strlen(head);

	if (open == NULL || open == head || open[-1] != ' ' || head[len - 1] != ')')
		return len;
	return (size_t)(open - 1 - head);
}

double
pdf_head_width(struct pdf_layout *l, double size, const char *head)
{
	size_t k = head_break(head);
	char *label = xasprintf("%.*s", (int)k, head);
	double w = pdf_text_width(l, true, size, label);

	if (head[k] != '\0')
		w = fmax(w, pdf_text_width(l, true, size, head + k + 1));
	free(label);
	return w;
}

void
pdf_table_header(struct pdf_layout *l, const struct pdf_table *t)
{
	double h = t->size * 1.8;
	char **label = xcalloc(t->ncols + 1, sizeof *label);
	const char **unit = xcalloc(t->ncols + 1, sizeof *unit);
	bool units = false;

	for (size_t c = 0; c < t->ncols; c++) {
		size_t k = head_break(t->head[c]);

		label[c] = xasprintf("%.*s", (int)k, t->head[c]);
		unit[c] = t->head[c][k] != '\0' ? t->head[c] + k + 1 : "";
		units |= unit[c][0] != '\0';
	}
	pdf_need(l, (units ? 3 : 2) * h);
	cells(l, t, (const char *const *)label, true, MUTED);
	l->y -= units ? t->size * 1.2 : h;
	if (units) {
		cells(l, t, unit, true, MUTED);
		l->y -= h;
	}
	table_rule(l, t, 0.9);
	for (size_t c = 0; c < t->ncols; c++)
		free(label[c]);
	free(label);
	free(unit);
}

void
pdf_table_need(struct pdf_layout *l, const struct pdf_table *t, double keep)
{
	if (l->y - t->size * 1.8 - keep < l->bottom) {
		pdf_new_page(l);
		pdf_table_header(l, t);
	}
}

void
pdf_table_row(struct pdf_layout *l, const struct pdf_table *t,
    const char *const *text, bool bold, const unsigned *fill)
{
	double h = t->size * 1.8;

	pdf_table_need(l, t, 0);
	for (size_t c = 0; fill != NULL && c < t->ncols; c++) {
		double w, x = col_x(l, t, c, &w);

		if (fill[c] != 0xffffff)
			pdf_rect(l, x, l->y - h + 2, w, h, fill[c]);
	}
	cells(l, t, text, bold, 0x1d2430);
	l->y -= h;
	table_rule(l, t, 0.3);
}

void
pdf_number_pages(struct pdf_layout *l, const char *left)
{
	for (size_t i = 0; i < l->npages; i++) {
		char *s = xasprintf("page %zu of %zu", i + 1, l->npages);
		double w = pdf_text_width(l, false, FOOTER_SIZE, s);
		char *lt = pdf_fit(l, false, FOOTER_SIZE, left,
		    l->right - l->left - w - 24);

		text_on(l, l->pages[i], l->left, l->margin / 2, false,
		    FOOTER_SIZE, MUTED, lt);
		text_on(l, l->pages[i], l->right - w, l->margin / 2, false,
		    FOOTER_SIZE, MUTED, s);
		free(lt);
		free(s);
	}
}

int
pdf_layout_save(struct pdf_layout *l, const struct outdir *od, const char *name)
{
	return pdf_doc_save(l->doc, &l->status, od, name);
}
