/*
 * draw_cairo.c - the raster backend: cairo draws antialiased paths and
 * DejaVu Sans (found through fontconfig by cairo's font API) into an image
 * surface, whose pixels draw_png.c writes with libpng.  The font is loaded
 * with FreeType from the same files the PDF embeds (draw_font_file), not
 * looked up through fontconfig: cairo 1.16's toy font API leaks a
 * fontconfig pattern on every lookup, and this way all backends measure
 * the very same glyphs.  Also measures text
 * for the SVG backend, which has no font engine of its own.
 */
#include "draw_cairo.h"

#include <cairo-ft.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "draw_png.h"
#include "error.h"

struct cairo_ctx {
	cairo_surface_t *surf;
	cairo_t *cr;
};

static void
set_rgb(cairo_t *cr, unsigned rgb, double alpha)
{
	unsigned char c[3];

	draw_rgb_bytes(rgb, c);
	cairo_set_source_rgba(cr, c[0] / 255.0, c[1] / 255.0, c[2] / 255.0, alpha);
}

static void
done_face(void *ft)
{
	FT_Done_Face(ft);
}

/* The regular or bold face, loaded once; NULL if the file cannot be read
 * (text is then set in cairo's fallback font). */
static cairo_font_face_t *
font_face(bool bold)
{
	static cairo_font_face_t *faces[2];
	static FT_Library lib;
	static const cairo_user_data_key_t key;
	FT_Face ft;
	char *path;

	if (faces[bold] != NULL)
		return faces[bold];
	if (lib == NULL && FT_Init_FreeType(&lib) != 0)
		return NULL;
	path = draw_font_file(bold);
	if (FT_New_Face(lib, path, 0, &ft) == 0) {
		faces[bold] = cairo_ft_font_face_create_for_ft_face(ft, 0);
		cairo_font_face_set_user_data(faces[bold], &key, ft, done_face);
	}
	free(path);
	return faces[bold];
}

/* Select the font; hinting of metrics off so that widths scale linearly
 * and match the PDF and SVG layouts. */
static void
set_font(cairo_t *cr, const struct draw_font *font)
{
	static cairo_font_options_t *opts;
	cairo_font_face_t *face = font_face(font->bold);

	if (opts == NULL) {
		opts = cairo_font_options_create();
		cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
		cairo_font_options_set_antialias(opts, CAIRO_ANTIALIAS_GRAY);
	}
	cairo_set_font_options(cr, opts);
	if (face != NULL)
		cairo_set_font_face(cr, face);
	cairo_set_font_size(cr, font->size);
}

static double
measure(cairo_t *cr, const char *utf8, const struct draw_font *font)
{
	cairo_text_extents_t ext;

	set_font(cr, font);
	cairo_text_extents(cr, utf8, &ext);
	return ext.x_advance;
}

double
draw_cairo_measure(const char *utf8, const struct draw_font *font)
{
	static cairo_t *scratch;

	if (scratch == NULL) {
		cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);

		scratch = cairo_create(s);
		cairo_surface_destroy(s);
	}
	return measure(scratch, utf8, font);
}

static void
c_move_to(void *ctx, double x, double y)
{
	cairo_move_to(((struct cairo_ctx *)ctx)->cr, x, y);
}

static void
c_line_to(void *ctx, double x, double y)
{
	cairo_line_to(((struct cairo_ctx *)ctx)->cr, x, y);
}

static void
c_curve_to(void *ctx, double x1, double y1, double x2, double y2,
    double x3, double y3)
{
	cairo_curve_to(((struct cairo_ctx *)ctx)->cr, x1, y1, x2, y2, x3, y3);
}

static void
c_close_path(void *ctx)
{
	cairo_close_path(((struct cairo_ctx *)ctx)->cr);
}

static void
c_stroke(void *ctx, unsigned rgb, double width, const double *dash, int ndash)
{
	cairo_t *cr = ((struct cairo_ctx *)ctx)->cr;

	set_rgb(cr, rgb, 1);
	cairo_set_line_width(cr, width);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_dash(cr, dash, dash ? ndash : 0, 0);
	cairo_stroke(cr);
}

static void
c_fill(void *ctx, unsigned rgb, double alpha)
{
	cairo_t *cr = ((struct cairo_ctx *)ctx)->cr;

	set_rgb(cr, rgb, alpha);
	cairo_fill(cr);
}

static void
c_clip(void *ctx, double x, double y, double w, double h)
{
	cairo_t *cr = ((struct cairo_ctx *)ctx)->cr;

	cairo_save(cr);
	cairo_new_path(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
}

static void
c_unclip(void *ctx)
{
	cairo_restore(((struct cairo_ctx *)ctx)->cr);
}

static void
c_text(void *ctx, double x, double y, const char *utf8,
    const struct draw_font *font, unsigned rgb, double angle)
{
	cairo_t *cr = ((struct cairo_ctx *)ctx)->cr;

	cairo_save(cr);
	cairo_new_path(cr);
	set_font(cr, font);
	set_rgb(cr, rgb, 1);
	cairo_translate(cr, x, y);
	cairo_rotate(cr, -angle * M_PI / 180);
	cairo_move_to(cr, 0, 0);
	cairo_show_text(cr, utf8);
	cairo_restore(cr);
}

static double
c_text_width(void *ctx, const char *utf8, const struct draw_font *font)
{
	return measure(((struct cairo_ctx *)ctx)->cr, utf8, font);
}

static void
c_image(void *ctx, const unsigned *rgb, int w, int h, double x, double y,
    double dw, double dh)
{
	cairo_t *cr = ((struct cairo_ctx *)ctx)->cr;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	unsigned char *data = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);

	if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(img);
		return;
	}
	for (int r = 0; r < h; r++)
		for (int c = 0; c < w; c++)
			((uint32_t *)(data + (size_t)r * stride))[c] = rgb[(size_t)r * w + c];
	cairo_surface_mark_dirty(img);
	cairo_save(cr);
	cairo_new_path(cr);
	cairo_rectangle(cr, x, y, dw, dh);
	cairo_clip(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, dw / w, dh / h);
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
	cairo_paint(cr);
	cairo_restore(cr);
	cairo_surface_destroy(img);
}

static const struct draw_ops cairo_ops = {
	c_move_to, c_line_to, c_curve_to, c_close_path, c_stroke, c_fill,
	c_clip, c_unclip, c_text, c_text_width, c_image,
	NULL, NULL,		/* a raster has no tooltips */
};

struct draw *
draw_cairo_new(int w, int h)
{
	struct draw *d = xcalloc(1, sizeof *d);
	struct cairo_ctx *c = xcalloc(1, sizeof *c);

	c->surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	c->cr = cairo_create(c->surf);
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	cairo_paint(c->cr);
	d->ops = &cairo_ops;
	d->ctx = c;
	d->w = w;
	d->h = h;
	return d;
}

static void
file_sink(void *arg, const unsigned char *data, size_t len)
{
	fwrite(data, 1, len, arg);
}

int
draw_cairo_write_png(struct draw *d, FILE *fp, const char *name,
    const char *title, const char *comment)
{
	struct cairo_ctx *c = d->ctx;
	int w = cairo_image_surface_get_width(c->surf);
	int h = cairo_image_surface_get_height(c->surf);
	int stride = cairo_image_surface_get_stride(c->surf);
	const unsigned char *px;
	unsigned char *rgb;
	char *software = xasprintf("powerreport %s", PR_VERSION);
	const char *text[] = { "Title", title, "Software", software,
	    "Comment", comment };
	int rc;

	if (cairo_surface_status(c->surf) != CAIRO_STATUS_SUCCESS) {
		free(software);
		return pr_fail(PR_EINTERNAL, "cannot draw %s: %s", name,
		    cairo_status_to_string(cairo_surface_status(c->surf)));
	}
	cairo_surface_flush(c->surf);
	px = cairo_image_surface_get_data(c->surf);
	rgb = xmalloc((size_t)w * h * 3);
	for (int y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(px + (size_t)y * stride);
		unsigned char *o = rgb + (size_t)y * w * 3;

		for (int x = 0; x < w; x++)
			draw_rgb_bytes(row[x], o + 3 * x);
	}
	rc = draw_png_encode(rgb, w, h, (size_t)w * 3, text, 3, file_sink, fp);
	free(rgb);
	free(software);
	if (rc == PR_OK && ferror(fp))
		rc = pr_fail(PR_EOUTPUT, "cannot write %s: %s", name,
		    "check free space in the output directory");
	return rc;
}

void
draw_cairo_free(struct draw *d)
{
	struct cairo_ctx *c;

	if (d == NULL)
		return;
	c = d->ctx;
	cairo_destroy(c->cr);
	cairo_surface_destroy(c->surf);
	free(c);
	free(d);
}
