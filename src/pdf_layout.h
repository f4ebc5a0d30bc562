/*
 * pdf_layout.h - flowing text and tables down the pages of a libharu
 * document: a cursor that starts a new page when the next block does not
 * fit, tables whose header repeats on every page they reach, and page
 * numbers added once the page count is known.
 */
#ifndef PR_PDF_LAYOUT_H
#define PR_PDF_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include <hpdf.h>

#include "pdf_doc.h"

struct pdf_layout {
	HPDF_Doc doc;
	HPDF_Font font, bold;
	HPDF_Font fallback;	/* for glyphs font lacks (NULL: none found) */
	bool fallback_tried;
	HPDF_Page page;		/* current page */
	HPDF_Page *pages;
	size_t npages;
	double width, height;	/* page size, points */
	double margin;		/* left, right, top */
	double bottom;		/* lowest y text may reach (above the footer) */
	double left, right;	/* margins as x coordinates */
	double y;		/* cursor: top of the next block */
	struct pdf_status status;	/* first libharu error */
};

/* New document on paper ("A4" or "Letter", case-insensitive; anything else
 * is A4) with the embedded UTF-8 font, and its first page. */
int pdf_layout_begin(struct pdf_layout *l, const char *paper);
void pdf_layout_free(struct pdf_layout *l);

/* Start a new page; the cursor goes to its top. */
void pdf_new_page(struct pdf_layout *l);
/* Start a new page unless h points are left above the bottom. */
void pdf_need(struct pdf_layout *l, double h);

/* text with what libharu cannot encode (beyond U+FFFF: emoji) replaced by
 * U+FFFD, so that it shows as a mark rather than vanishing. malloc'd. */
char *pdf_printable(const char *text);
/* Text of size at (x, y baseline) in colour 0xRRGGBB; characters the font
 * lacks are set in a fallback font (pdf_fallback_font) or, when none has
 * them, as U+FFFD. */
void pdf_text(struct pdf_layout *l, double x, double y, bool bold, double size,
    unsigned colour, const char *text);
/* Filled rectangle, lower-left corner (x, y). */
void pdf_rect(struct pdf_layout *l, double x, double y, double w, double h, unsigned colour);
double pdf_text_width(struct pdf_layout *l, bool bold, double size, const char *text);
/* text cut (with an ellipsis) to fit width; malloc'd. */
char *pdf_fit(struct pdf_layout *l, bool bold, double size, const char *text, double width);

/* A section heading (level 1: ruled, and in the outline) or sub-heading
 * (level 2), kept on one page with the next `keep` points. */
void pdf_heading(struct pdf_layout *l, int level, const char *text, double keep);
/* A paragraph wrapped at the margins, and the height it takes. */
double pdf_paragraph_height(struct pdf_layout *l, double size, const char *text);
void pdf_paragraph(struct pdf_layout *l, double size, unsigned colour, const char *text);
/* Vertical space. */
void pdf_skip(struct pdf_layout *l, double h);

/* A table: column headers, relative widths and right-alignment.  Rows
 * flow across pages, the header repeated on each. */
struct pdf_table {
	size_t ncols;
	const char *const *head;
	const double *weight;	/* share of the text width per column */
	const bool *right;	/* right-aligned (numbers) */
	double size;		/* font size */
	double x0, x1;		/* horizontal extent; both 0: the margins */
};

/* The header: a head with a unit ("CPU (kWh)") on two lines, the unit
 * under the label, so unit columns need only the wider of the two. */
void pdf_table_header(struct pdf_layout *l, const struct pdf_table *t);
/* The width a head takes in the header (bold, at size). */
double pdf_head_width(struct pdf_layout *l, double size, const char *head);
/* Start a new page (with the header) unless a row and keep points more
 * fit: a table's last row asks for room for the note under it. */
void pdf_table_need(struct pdf_layout *l, const struct pdf_table *t, double keep);
/* One row (ncols cells); bold for totals.  fill: background 0xRRGGBB per
 * cell or NULL; a cell colour of 0xffffff means none. */
void pdf_table_row(struct pdf_layout *l, const struct pdf_table *t,
    const char *const *cells, bool bold, const unsigned *fill);

/* "page i of n" and left text on every page's footer. */
void pdf_number_pages(struct pdf_layout *l, const char *left);

/* The finished document into name inside the output directory
 * (pdf_doc_save). */
int pdf_layout_save(struct pdf_layout *l, const struct outdir *od, const char *name);

#endif
