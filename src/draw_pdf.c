/*
 * draw_pdf.c - the PDF backend: vector paths and text with the embedded
 * DejaVu Sans (pdf_font) on a libharu page, inside a box of the page.
 *
 * Paths are recorded and replayed when they are painted, because PDF
 * allows no graphics-state change (such as the transparency of a filled
 * envelope) between building a path and painting it.
 */
#include "draw_pdf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pdf_doc.h"

enum pop { OP_MOVE, OP_LINE, OP_CURVE, OP_CLOSE };

struct pathop {
	enum pop op;
	double p[6];
};

struct pdf_ctx {
	HPDF_Doc doc;
	HPDF_Page page;
	double ox, oy, h;	/* box origin (lower left) and height */
	HPDF_Font font[2];	/* regular, bold */
	struct pathop *ops;
	size_t nops, capops;
	struct {
		double alpha;
		HPDF_ExtGState gs;
	} alpha[8];
	int nalpha;
};

static double
px(const struct pdf_ctx *c, double x)
{
	return c->ox + x;
}

static double
py(const struct pdf_ctx *c, double y)
{
	return c->oy + c->h - y;
}

static void
record(struct pdf_ctx *c, enum pop op, const double *p, int n)
{
	struct pathop *o;

	if (c->nops == c->capops) {
		c->capops = c->capops ? 2 * c->capops : 64;
		c->ops = xrealloc(c->ops, c->capops * sizeof *c->ops);
	}
	o = &c->ops[c->nops++];
	o->op = op;
	for (int i = 0; i < n; i++)
		o->p[i] = i % 2 == 0 ? px(c, p[i]) : py(c, p[i]);
}

static void
replay(struct pdf_ctx *c)
{
	for (size_t i = 0; i < c->nops; i++) {
		const double *p = c->ops[i].p;

		switch (c->ops[i].op) {
		case OP_MOVE:
			HPDF_Page_MoveTo(c->page, p[0], p[1]);
			break;
		case OP_LINE:
			HPDF_Page_LineTo(c->page, p[0], p[1]);
			break;
		case OP_CURVE:
			HPDF_Page_CurveTo(c->page, p[0], p[1], p[2], p[3], p[4], p[5]);
			break;
		case OP_CLOSE:
			HPDF_Page_ClosePath(c->page);
			break;
		}
	}
	c->nops = 0;
}

static void
p_move_to(void *ctx, double x, double y)
{
	double p[2] = { x, y };

	record(ctx, OP_MOVE, p, 2);
}

static void
p_line_to(void *ctx, double x, double y)
{
	double p[2] = { x, y };

	record(ctx, OP_LINE, p, 2);
}

static void
p_curve_to(void *ctx, double x1, double y1, double x2, double y2,
    double x3, double y3)
{
	double p[6] = { x1, y1, x2, y2, x3, y3 };

	record(ctx, OP_CURVE, p, 6);
}

static void
p_close_path(void *ctx)
{
	record(ctx, OP_CLOSE, NULL, 0);
}

static void
set_rgb(struct pdf_ctx *c, unsigned rgb, bool stroke)
{
	unsigned char v[3];

	draw_rgb_bytes(rgb, v);
	if (stroke)
		HPDF_Page_SetRGBStroke(c->page, v[0] / 255.0, v[1] / 255.0,
		    v[2] / 255.0);
	else
		HPDF_Page_SetRGBFill(c->page, v[0] / 255.0, v[1] / 255.0,
		    v[2] / 255.0);
}

static void
p_stroke(void *ctx, unsigned rgb, double width, const double *dash, int ndash)
{
	struct pdf_ctx *c = ctx;
	HPDF_UINT16 ptn[8];

	if (c->nops == 0)
		return;
	if (ndash > 8)
		ndash = 8;
	for (int i = 0; dash != NULL && i < ndash; i++)
		ptn[i] = (HPDF_UINT16)(dash[i] < 1 ? 1 : lround(dash[i]));
	set_rgb(c, rgb, true);
	HPDF_Page_SetLineWidth(c->page, width);
	HPDF_Page_SetLineJoin(c->page, HPDF_ROUND_JOIN);
	HPDF_Page_SetDash(c->page, dash ? ptn : NULL, dash ? (HPDF_UINT)ndash : 0, 0);
	replay(c);
	HPDF_Page_Stroke(c->page);
}

/* One transparency state per alpha value and drawing. */
static HPDF_ExtGState
alpha_state(struct pdf_ctx *c, double alpha)
{
	for (int i = 0; i < c->nalpha; i++)
		if (c->alpha[i].alpha == alpha)
			return c->alpha[i].gs;
	if (c->nalpha == 8)
		return c->alpha[7].gs;
	c->alpha[c->nalpha].alpha = alpha;
	c->alpha[c->nalpha].gs = HPDF_CreateExtGState(c->doc);
	HPDF_ExtGState_SetAlphaFill(c->alpha[c->nalpha].gs, alpha);
	return c->alpha[c->nalpha++].gs;
}

static void
p_fill(void *ctx, unsigned rgb, double alpha)
{
	struct pdf_ctx *c = ctx;

	if (c->nops == 0)
		return;
	if (alpha < 1) {
		HPDF_Page_GSave(c->page);
		HPDF_Page_SetExtGState(c->page, alpha_state(c, alpha));
	}
	set_rgb(c, rgb, false);
	replay(c);
	HPDF_Page_Fill(c->page);
	if (alpha < 1)
		HPDF_Page_GRestore(c->page);
}

static void
p_clip(void *ctx, double x, double y, double w, double h)
{
	struct pdf_ctx *c = ctx;

	HPDF_Page_GSave(c->page);
	HPDF_Page_Rectangle(c->page, px(c, x), py(c, y + h), w, h);
	HPDF_Page_Clip(c->page);
	HPDF_Page_EndPath(c->page);
}

static void
p_unclip(void *ctx)
{
	HPDF_Page_GRestore(((struct pdf_ctx *)ctx)->page);
}

static void
p_text(void *ctx, double x, double y, const char *utf8,
    const struct draw_font *font, unsigned rgb, double angle)
{
	struct pdf_ctx *c = ctx;
	double a = angle * M_PI / 180;

	HPDF_Page_BeginText(c->page);
	HPDF_Page_SetFontAndSize(c->page, c->font[font->bold], font->size);
	set_rgb(c, rgb, false);
	HPDF_Page_SetTextMatrix(c->page, cos(a), sin(a), -sin(a), cos(a),
	    px(c, x), py(c, y));
	HPDF_Page_ShowText(c->page, utf8);
	HPDF_Page_EndText(c->page);
}

static double
p_text_width(void *ctx, const char *utf8, const struct draw_font *font)
{
	struct pdf_ctx *c = ctx;
	HPDF_TextWidth tw = HPDF_Font_TextWidth(c->font[font->bold],
	    (const HPDF_BYTE *)utf8, (HPDF_UINT)strlen(utf8));

	return tw.width * font->size / 1000.0;
}

static void
p_image(void *ctx, const unsigned *rgb, int w, int h, double x, double y,
    double dw, double dh)
{
	struct pdf_ctx *c = ctx;
	HPDF_BYTE *buf = xmalloc((size_t)w * h * 3);
	HPDF_Image img;

	for (size_t i = 0; i < (size_t)w * h; i++)
		draw_rgb_bytes(rgb[i], buf + 3 * i);
	img = HPDF_LoadRawImageFromMem(c->doc, buf, (HPDF_UINT)w, (HPDF_UINT)h,
	    HPDF_CS_DEVICE_RGB, 8);
	if (img != NULL)
		HPDF_Page_DrawImage(c->page, img, px(c, x), py(c, y + dh), dw, dh);
	free(buf);
}

static const struct draw_ops pdf_ops = {
	p_move_to, p_line_to, p_curve_to, p_close_path, p_stroke, p_fill,
	p_clip, p_unclip, p_text, p_text_width, p_image,
	NULL, NULL,		/* a printed page has no tooltips */
};

struct draw *
draw_pdf_new(HPDF_Doc doc, HPDF_Page page, double x, double y, double w,
    double h)
{
	struct draw *d;
	struct pdf_ctx *c;
	HPDF_Font regular = pdf_font(doc, false), bold;

	if (regular == NULL || (bold = pdf_font(doc, true)) == NULL)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->doc = doc;
	c->page = page;
	c->ox = x;
	c->oy = y;
	c->h = h;
	c->font[0] = regular;
	c->font[1] = bold;
	d = xcalloc(1, sizeof *d);
	d->ops = &pdf_ops;
	d->ctx = c;
	d->w = w;
	d->h = h;
	HPDF_Page_GSave(page);
	return d;
}

int
draw_pdf_free(struct draw *d)
{
	struct pdf_ctx *c = d->ctx;
	HPDF_STATUS err;

	HPDF_Page_GRestore(c->page);
	err = HPDF_GetError(c->doc);
	free(c->ops);
	free(c);
	free(d);
	if (err != HPDF_OK)
		return pr_fail(PR_EINTERNAL, "libharu failed while drawing a chart "
		    "(error 0x%04lX)", (unsigned long)err);
	return PR_OK;
}
