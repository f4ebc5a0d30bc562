/*
 * draw.c - what every backend shares, built on the primitives of
 * struct draw_ops: arcs as Bézier curves, rectangles, aligned and rotated
 * text, shortening text to fit, tooltips.  Keeping this here means the
 * backends stay a thin translation to cairo, libharu and SVG.
 */
#include "draw.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "textfit.h"

/* DejaVu Sans metrics (em fractions) for vertical anchoring. */
#define CAP_HEIGHT 0.73
#define DESCENT 0.24

void
draw_move(struct draw *d, double x, double y)
{
	d->ops->move_to(d->ctx, x, y);
}

void
draw_line(struct draw *d, double x, double y)
{
	d->ops->line_to(d->ctx, x, y);
}

void
draw_close(struct draw *d)
{
	d->ops->close_path(d->ctx);
}

void
draw_arc(struct draw *d, double cx, double cy, double r, double a0,
    double a1, bool join)
{
	int n = (int)ceil(fabs(a1 - a0) / (M_PI / 2));
	double step, k;

	if (n < 1)
		n = 1;
	step = (a1 - a0) / n;
	k = 4.0 / 3.0 * tan(step / 4);
	if (join)
		draw_line(d, cx + r * cos(a0), cy + r * sin(a0));
	else
		draw_move(d, cx + r * cos(a0), cy + r * sin(a0));
	for (int i = 0; i < n; i++) {
		double s = a0 + i * step, e = s + step;
		double c0 = cos(s), s0 = sin(s), c1 = cos(e), s1 = sin(e);

		d->ops->curve_to(d->ctx,
		    cx + r * (c0 - k * s0), cy + r * (s0 + k * c0),
		    cx + r * (c1 + k * s1), cy + r * (s1 - k * c1),
		    cx + r * c1, cy + r * s1);
	}
}

void
draw_rect_path(struct draw *d, double x, double y, double w, double h)
{
	draw_move(d, x, y);
	draw_line(d, x + w, y);
	draw_line(d, x + w, y + h);
	draw_line(d, x, y + h);
	draw_close(d);
}

void
draw_stroke(struct draw *d, unsigned rgb, double width)
{
	d->ops->stroke(d->ctx, rgb, width, NULL, 0);
}

void
draw_stroke_dashed(struct draw *d, unsigned rgb, double width,
    const double *dash, int ndash)
{
	d->ops->stroke(d->ctx, rgb, width, ndash > 0 ? dash : NULL, ndash);
}

void
draw_fill(struct draw *d, unsigned rgb)
{
	d->ops->fill(d->ctx, rgb, 1.0);
}

void
draw_fill_alpha(struct draw *d, unsigned rgb, double alpha)
{
	d->ops->fill(d->ctx, rgb, alpha);
}

void
draw_segment(struct draw *d, double x0, double y0, double x1, double y1,
    unsigned rgb, double width)
{
	draw_move(d, x0, y0);
	draw_line(d, x1, y1);
	draw_stroke(d, rgb, width);
}

void
draw_rect(struct draw *d, double x, double y, double w, double h, unsigned rgb)
{
	draw_rect_path(d, x, y, w, h);
	draw_fill(d, rgb);
}

void
draw_clip(struct draw *d, double x, double y, double w, double h)
{
	d->ops->clip(d->ctx, x, y, w, h);
}

void
draw_unclip(struct draw *d)
{
	d->ops->unclip(d->ctx);
}

void
draw_image(struct draw *d, const unsigned *rgb, int w, int h,
    double x, double y, double dw, double dh)
{
	if (w > 0 && h > 0)
		d->ops->image(d->ctx, rgb, w, h, x, y, dw, dh);
}

double
draw_text_width(struct draw *d, const char *utf8, const struct draw_font *font)
{
	return d->ops->text_width(d->ctx, utf8, font);
}

double
draw_text(struct draw *d, double x, double y, const char *utf8,
    const struct draw_font *font, unsigned rgb, enum draw_halign ha,
    enum draw_valign va, double angle)
{
	double w = draw_text_width(d, utf8, font);
	double a = angle * M_PI / 180, dx = 0, dy = 0;

	if (ha == DRAW_CENTER)
		dx = -w / 2;
	else if (ha == DRAW_RIGHT)
		dx = -w;
	if (va == DRAW_TOP)
		dy = CAP_HEIGHT * font->size;
	else if (va == DRAW_MIDDLE)
		dy = CAP_HEIGHT / 2 * font->size;
	else if (va == DRAW_BOTTOM)
		dy = -DESCENT * font->size;
	/* Offsets along the text direction (cos, -sin) and its downward
	 * normal (sin, cos); y grows downwards. */
	d->ops->text(d->ctx, x + dx * cos(a) + dy * sin(a),
	    y - dx * sin(a) + dy * cos(a), utf8, font, rgb, angle);
	return w;
}

bool
draw_has_tips(const struct draw *d)
{
	return d->ops->tip_begin != NULL;
}

void
draw_tip_begin(struct draw *d, const char *fmt, ...)
{
	va_list ap;
	char *text;

	if (!draw_has_tips(d))
		return;
	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	d->ops->tip_begin(d->ctx, text);
	free(text);
}

void
draw_tip_end(struct draw *d)
{
	if (d->ops->tip_end != NULL)
		d->ops->tip_end(d->ctx);
}

void
draw_tip_area(struct draw *d, double x, double y, double w, double h,
    const char *utf8)
{
	if (!draw_has_tips(d))
		return;
	d->ops->tip_begin(d->ctx, utf8);
	/* Fully transparent, yet painted: it takes the pointer. */
	draw_rect_path(d, x, y, w, h);
	draw_fill_alpha(d, 0x000000, 0);
	draw_tip_end(d);
}

struct fit_ctx {
	struct draw *d;
	const struct draw_font *font;
};

static double
fit_width(void *ctx, const char *utf8)
{
	struct fit_ctx *f = ctx;

	return draw_text_width(f->d, utf8, f->font);
}

char *
draw_fit_text(struct draw *d, const char *utf8, const struct draw_font *font,
    double maxw)
{
	struct fit_ctx f = { d, font };

	return textfit(utf8, maxw, fit_width, &f);
}

double
draw_luminance(unsigned rgb)
{
	unsigned char b[3];
	double c[3];

	draw_rgb_bytes(rgb, b);
	for (int i = 0; i < 3; i++) {
		double v = b[i] / 255.0;

		c[i] = v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

char *
draw_font_file(bool bold)
{
	const char *slash = strrchr(PR_FONT, '/');
	int dirlen = slash ? (int)(slash - PR_FONT) : 1;
	char *path;

	if (!bold)
		return xstrdup(PR_FONT);
	path = xasprintf("%.*s/DejaVuSans-Bold.ttf", dirlen, slash ? PR_FONT : ".");
	if (access(path, R_OK) != 0) {
		/* Without the bold face, bold text is set in the regular one. */
		free(path);
		return xstrdup(PR_FONT);
	}
	return path;
}
