/*
 * draw_svg.c - the SVG backend for report.html: the drawing becomes SVG
 * text in a growable buffer.  Text is measured with cairo and DejaVu Sans,
 * the font the SVG asks for first, so the layout is the one the PNG has
 * (an approximation table would drift from the real glyph widths); images
 * are embedded as base64 PNG so the HTML stays one self-contained file.
 * Tooltips are <g class="tip"><title>…</title>…</g>: the browser shows
 * them by itself, and report.css tints the group under the pointer.
 */
#include "draw_svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw_cairo.h"
#include "draw_png.h"
#include "error.h"
#include "strbuf.h"

struct svg_ctx {
	struct strbuf out, path;
	int nclip;
	unsigned id;		/* makes clip ids unique within a document */
};

#define sb_lit(b, lit) strbuf_add((b), (lit), sizeof(lit) - 1)

/* A coordinate with at most two decimals and no trailing zeros. */
static void
sb_num(struct strbuf *b, double v)
{
	char tmp[32];
	int len;

	if (!isfinite(v) || fabs(v) < 0.005)
		v = 0;	/* and never "-0" */
	len = snprintf(tmp, sizeof tmp, "%.2f", v);
	while (len > 0 && tmp[len - 1] == '0')
		len--;
	if (len > 0 && tmp[len - 1] == '.')
		len--;
	strbuf_add(b, tmp, (size_t)len);
}

static void
sb_point(struct strbuf *b, char op, double x, double y)
{
	strbuf_add(b, &op, 1);
	sb_num(b, x);
	sb_lit(b, " ");
	sb_num(b, y);
}

static void
sb_escaped(struct strbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': sb_lit(b, "&amp;"); break;
		case '<': sb_lit(b, "&lt;"); break;
		case '>': sb_lit(b, "&gt;"); break;
		case '"': sb_lit(b, "&quot;"); break;
		case '\'': sb_lit(b, "&#39;"); break;
		default:
			/* Control characters are not allowed in XML 1.0. */
			if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
				strbuf_add(b, s, 1);
		}
	}
}

static void
s_move_to(void *ctx, double x, double y)
{
	sb_point(&((struct svg_ctx *)ctx)->path, 'M', x, y);
}

static void
s_line_to(void *ctx, double x, double y)
{
	sb_point(&((struct svg_ctx *)ctx)->path, 'L', x, y);
}

static void
s_curve_to(void *ctx, double x1, double y1, double x2, double y2,
    double x3, double y3)
{
	struct strbuf *p = &((struct svg_ctx *)ctx)->path;

	sb_point(p, 'C', x1, y1);
	sb_point(p, ' ', x2, y2);
	sb_point(p, ' ', x3, y3);
}

static void
s_close_path(void *ctx)
{
	sb_lit(&((struct svg_ctx *)ctx)->path, "Z");
}

static void
path_start(struct svg_ctx *s)
{
	sb_lit(&s->out, "<path d=\"");
	strbuf_add(&s->out, s->path.s ? s->path.s : "", s->path.len);
	sb_lit(&s->out, "\"");
	s->path.len = 0;
}

static void
s_stroke(void *ctx, unsigned rgb, double width, const double *dash, int ndash)
{
	struct svg_ctx *s = ctx;

	if (s->path.len == 0)
		return;
	path_start(s);
	strbuf_printf(&s->out, " fill=\"none\" stroke=\"#%06x\" stroke-width=\"", rgb & 0xFFFFFF);
	sb_num(&s->out, width);
	sb_lit(&s->out, "\" stroke-linejoin=\"round\"");
	if (dash != NULL) {
		sb_lit(&s->out, " stroke-dasharray=\"");
		for (int i = 0; i < ndash; i++) {
			if (i > 0)
				sb_lit(&s->out, ",");
			sb_num(&s->out, dash[i]);
		}
		sb_lit(&s->out, "\"");
	}
	sb_lit(&s->out, "/>\n");
}

static void
s_fill(void *ctx, unsigned rgb, double alpha)
{
	struct svg_ctx *s = ctx;

	if (s->path.len == 0)
		return;
	path_start(s);
	strbuf_printf(&s->out, " fill=\"#%06x\"", rgb & 0xFFFFFF);
	if (alpha < 1) {
		sb_lit(&s->out, " fill-opacity=\"");
		sb_num(&s->out, alpha);
		sb_lit(&s->out, "\"");
	}
	sb_lit(&s->out, "/>\n");
}

static void
s_clip(void *ctx, double x, double y, double w, double h)
{
	struct svg_ctx *s = ctx;

	s->nclip++;
	strbuf_printf(&s->out, "<clipPath id=\"prclip%u-%d\"><rect x=\"", s->id, s->nclip);
	sb_num(&s->out, x);
	sb_lit(&s->out, "\" y=\"");
	sb_num(&s->out, y);
	sb_lit(&s->out, "\" width=\"");
	sb_num(&s->out, w);
	sb_lit(&s->out, "\" height=\"");
	sb_num(&s->out, h);
	strbuf_printf(&s->out, "\"/></clipPath>\n<g clip-path=\"url(#prclip%u-%d)\">\n",
	    s->id, s->nclip);
}

static void
s_unclip(void *ctx)
{
	sb_lit(&((struct svg_ctx *)ctx)->out, "</g>\n");
}

static void
s_text(void *ctx, double x, double y, const char *utf8,
    const struct draw_font *font, unsigned rgb, double angle)
{
	struct strbuf *o = &((struct svg_ctx *)ctx)->out;

	sb_lit(o, "<text x=\"");
	sb_num(o, x);
	sb_lit(o, "\" y=\"");
	sb_num(o, y);
	sb_lit(o, "\" font-size=\"");
	sb_num(o, font->size);
	sb_lit(o, "\"");
	if (font->bold)
		sb_lit(o, " font-weight=\"bold\"");
	if (rgb != 0)
		strbuf_printf(o, " fill=\"#%06x\"", rgb & 0xFFFFFF);
	if (angle != 0) {
		sb_lit(o, " transform=\"rotate(");
		sb_num(o, -angle);
		sb_lit(o, " ");
		sb_num(o, x);
		sb_lit(o, " ");
		sb_num(o, y);
		sb_lit(o, ")\"");
	}
	sb_lit(o, ">");
	sb_escaped(o, utf8);
	sb_lit(o, "</text>\n");
}

static double
s_text_width(void *ctx, const char *utf8, const struct draw_font *font)
{
	return draw_cairo_measure(utf8, font);
}

static void
mem_sink(void *arg, const unsigned char *data, size_t len)
{
	strbuf_add(arg, (const char *)data, len);
}

static void
sb_base64(struct strbuf *b, const unsigned char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = tab[(v >> 18) & 63];
		q[1] = tab[(v >> 12) & 63];
		q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		strbuf_add(b, q, 4);
	}
}

static void
s_image(void *ctx, const unsigned *rgb, int w, int h, double x, double y,
    double dw, double dh)
{
	struct strbuf *o = &((struct svg_ctx *)ctx)->out;
	struct strbuf png = { 0 };
	unsigned char *px = xmalloc((size_t)w * h * 3);

	for (size_t i = 0; i < (size_t)w * h; i++)
		draw_rgb_bytes(rgb[i], px + 3 * i);
	if (draw_png_encode(px, w, h, (size_t)w * 3, NULL, 0, mem_sink, &png) == PR_OK) {
		sb_lit(o, "<image x=\"");
		sb_num(o, x);
		sb_lit(o, "\" y=\"");
		sb_num(o, y);
		sb_lit(o, "\" width=\"");
		sb_num(o, dw);
		sb_lit(o, "\" height=\"");
		sb_num(o, dh);
		sb_lit(o, "\" preserveAspectRatio=\"none\" "
		    "style=\"image-rendering:pixelated\" href=\"data:image/png;base64,");
		sb_base64(o, (unsigned char *)png.s, png.len);
		sb_lit(o, "\"/>\n");
	}
	free(png.s);
	free(px);
}

static void
s_tip_begin(void *ctx, const char *utf8)
{
	struct strbuf *o = &((struct svg_ctx *)ctx)->out;

	sb_lit(o, "<g class=\"tip\"><title>");
	sb_escaped(o, utf8);
	sb_lit(o, "</title>\n");
}

static void
s_tip_end(void *ctx)
{
	sb_lit(&((struct svg_ctx *)ctx)->out, "</g>\n");
}

static const struct draw_ops svg_ops = {
	s_move_to, s_line_to, s_curve_to, s_close_path, s_stroke, s_fill,
	s_clip, s_unclip, s_text, s_text_width, s_image, s_tip_begin, s_tip_end,
};

/* The same without read-outs, for drawings no pointer rests on. */
static const struct draw_ops svg_ops_no_tips = {
	s_move_to, s_line_to, s_curve_to, s_close_path, s_stroke, s_fill,
	s_clip, s_unclip, s_text, s_text_width, s_image, NULL, NULL,
};

void
draw_svg_no_tips(struct draw *d)
{
	d->ops = &svg_ops_no_tips;
}

struct draw *
draw_svg_new(double w, double h)
{
	static unsigned serial;
	struct draw *d = xcalloc(1, sizeof *d);
	struct svg_ctx *s = xcalloc(1, sizeof *s);

	s->id = ++serial;
	d->ops = &svg_ops;
	d->ctx = s;
	d->w = w;
	d->h = h;
	return d;
}

/* The <svg> element opens with the canvas size at the end, so a chart may
 * set the height it needs (draw.h) before it draws. */
char *
draw_svg_finish(struct draw *d)
{
	struct svg_ctx *s = d->ctx;
	struct strbuf out = { 0 };

	sb_lit(&out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
	sb_num(&out, d->w);
	sb_lit(&out, " ");
	sb_num(&out, d->h);
	sb_lit(&out, "\" width=\"");
	sb_num(&out, d->w);
	sb_lit(&out, "\" height=\"");
	sb_num(&out, d->h);
	sb_lit(&out, "\" font-family=\"'DejaVu Sans', Verdana, sans-serif\" "
	    "role=\"img\">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
	strbuf_add(&out, s->out.s ? s->out.s : "", s->out.len);
	sb_lit(&out, "</svg>\n");
	free(s->out.s);
	free(s->path.s);
	free(s);
	free(d);
	return out.s;
}
