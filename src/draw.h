/*
 * draw.h - the small drawing interface every chart is described against,
 * so one chart function serves the PNG files (cairo), the PDF documents
 * (libharu) and the SVG in report.html.
 *
 * Coordinates are user units with the origin at the top left and y growing
 * downwards (pixels for PNG, points for PDF).  A backend implements only
 * the primitive operations in struct draw_ops; arcs, rectangles, aligned
 * text and the like are built on them in draw.c.
 *
 * The backends have a header each (draw_cairo.h, draw_svg.h, draw_pdf.h):
 * each *_new returns a struct draw the caller ends with the matching *_free
 * (or *_finish for the ones that produce output).
 *
 * Hover read-outs (tooltips) exist only where the output can carry them:
 * the SVG of report.html shows them natively, with no script; PNG and PDF
 * leave the hooks NULL and come out exactly as without them.
 */
#ifndef PR_DRAW_H
#define PR_DRAW_H

#include <stdbool.h>
#include <stddef.h>

enum draw_halign { DRAW_LEFT, DRAW_CENTER, DRAW_RIGHT };
enum draw_valign { DRAW_BASELINE, DRAW_TOP, DRAW_MIDDLE, DRAW_BOTTOM };

struct draw_font {
	double size;		/* em size in user units */
	bool bold;
};

struct draw_ops {
	void (*move_to)(void *ctx, double x, double y);
	void (*line_to)(void *ctx, double x, double y);
	void (*curve_to)(void *ctx, double x1, double y1, double x2, double y2,
	    double x3, double y3);
	void (*close_path)(void *ctx);
	/* Stroke / fill the current path and start a new one.  dash: ndash
	 * on/off lengths, or NULL for a solid line.  alpha: 0..1. */
	void (*stroke)(void *ctx, unsigned rgb, double width,
	    const double *dash, int ndash);
	void (*fill)(void *ctx, unsigned rgb, double alpha);
	/* Clip everything drawn until the matching unclip to a rectangle. */
	void (*clip)(void *ctx, double x, double y, double w, double h);
	void (*unclip)(void *ctx);
	/* UTF-8 text with its baseline starting at (x, y), turned by angle
	 * degrees counter-clockwise around that point. */
	void (*text)(void *ctx, double x, double y, const char *utf8,
	    const struct draw_font *font, unsigned rgb, double angle);
	double (*text_width)(void *ctx, const char *utf8, const struct draw_font *font);
	/* A w x h grid of 0xRRGGBB cells (row by row, top row first) scaled
	 * without smoothing onto the rectangle (x, y, dw, dh). */
	void (*image)(void *ctx, const unsigned *rgb, int w, int h,
	    double x, double y, double dw, double dh);
	/* Optional (NULL: no tooltips): what is drawn until the matching
	 * tip_end shows utf8 while the pointer rests on it. */
	void (*tip_begin)(void *ctx, const char *utf8);
	void (*tip_end)(void *ctx);
};

struct draw {
	const struct draw_ops *ops;
	void *ctx;
	double w, h;		/* canvas size; a chart drawn narrow for the SVG
				 * sets h to the height it needs (charts.h) */
};

/* Path helpers (draw.c). */
void draw_move(struct draw *d, double x, double y);
void draw_line(struct draw *d, double x, double y);
void draw_close(struct draw *d);
/* Arc around (cx, cy) from angle a0 to a1 (radians, clockwise on screen,
 * 0 = 3 o'clock), joined by a line to the current point when join. */
void draw_arc(struct draw *d, double cx, double cy, double r, double a0,
    double a1, bool join);
void draw_rect_path(struct draw *d, double x, double y, double w, double h);

void draw_stroke(struct draw *d, unsigned rgb, double width);
void draw_stroke_dashed(struct draw *d, unsigned rgb, double width,
    const double *dash, int ndash);
void draw_fill(struct draw *d, unsigned rgb);
void draw_fill_alpha(struct draw *d, unsigned rgb, double alpha);
void draw_segment(struct draw *d, double x0, double y0, double x1, double y1,
    unsigned rgb, double width);
void draw_rect(struct draw *d, double x, double y, double w, double h, unsigned rgb);
void draw_clip(struct draw *d, double x, double y, double w, double h);
void draw_unclip(struct draw *d);
void draw_image(struct draw *d, const unsigned *rgb, int w, int h,
    double x, double y, double dw, double dh);

/* Text anchored at (x, y) by halign / valign, turned by angle degrees
 * counter-clockwise.  Returns the text width. */
double draw_text(struct draw *d, double x, double y, const char *utf8,
    const struct draw_font *font, unsigned rgb, enum draw_halign ha,
    enum draw_valign va, double angle);
double draw_text_width(struct draw *d, const char *utf8, const struct draw_font *font);
/* Copy of utf8 shortened with "…" to at most maxw wide (malloc'd). */
char *draw_fit_text(struct draw *d, const char *utf8,
    const struct draw_font *font, double maxw);

/* Hover read-outs.  draw_tip_begin / draw_tip_end bracket what the tooltip
 * (printf-style) belongs to; draw_tip_area puts one (utf8) on an invisible
 * rectangle.  Nothing is formatted or drawn where the backend has no
 * tooltips (draw_has_tips false), so callers build text for
 * draw_tip_area only when it is true. */
bool draw_has_tips(const struct draw *d);
void draw_tip_begin(struct draw *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void draw_tip_end(struct draw *d);
void draw_tip_area(struct draw *d, double x, double y, double w, double h,
    const char *utf8);

/* The red, green and blue bytes of a colour 0xRRGGBB (higher bits, such
 * as cairo's alpha, ignored): the one place colours are taken apart. */
static inline void
draw_rgb_bytes(unsigned rgb, unsigned char out[3])
{
	out[0] = (rgb >> 16) & 0xFF;
	out[1] = (rgb >> 8) & 0xFF;
	out[2] = rgb & 0xFF;
}

/* Relative luminance 0..1 of a colour, to pick black or white text on it. */
double draw_luminance(unsigned rgb);

/* The TrueType file every backend draws with: PR_FONT (DejaVu Sans, found
 * by configure) or DejaVuSans-Bold.ttf beside it (the regular one when the
 * bold file is missing).  malloc'd. */
char *draw_font_file(bool bold);

#endif
