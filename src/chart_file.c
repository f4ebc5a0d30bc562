/*
 * chart_file.c - the chart files of a report: timeseries.png,
 * energy_pie.png, energy_pie.pdf and, for multi-node jobs, node_heatmap.png
 * and node_energy.png, each a chart of charts.h drawn on a cairo raster or
 * a libharu page.
 */
#include "chart_file.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "draw_cairo.h"
#include "draw_pdf.h"
#include "error.h"
#include "pdf_doc.h"
#include "render.h"

int
chart_pdf_draw(const struct report *rep, enum chart_kind kind,
    HPDF_Doc doc, HPDF_Page page, double x, double y, double w, double h)
{
	struct draw *d = draw_pdf_new(doc, page, x, y, w, h);

	if (d == NULL)
		return PR_EINTERNAL;
	chart_draw(d, rep, kind);
	return draw_pdf_free(d);
}

struct chart_file {
	enum chart_kind kind;
	const char *name;
	const char *what;	/* PNG Title */
};

static const struct chart_file png_files[] = {
	{ CHART_TIMESERIES, "timeseries.png", "Power over time" },
	{ CHART_PIE, "energy_pie.png", "Energy by component" },
	{ CHART_NODE_HEATMAP, "node_heatmap.png", "Input power per node" },
	{ CHART_NODE_ENERGY, "node_energy.png", "Energy per node" },
};

/* PNG size of a chart: per-node charts grow with the nodes, up to a
 * limit beyond which rows get thinner and labels sparser. */
static void
png_size(const struct report *rep, enum chart_kind kind, int *w, int *h)
{
	*w = 1200;
	*h = 600;
	if (kind == CHART_PIE)
		*w = 1100;
	if (kind == CHART_NODE_HEATMAP || kind == CHART_NODE_ENERGY) {
		double rows = 160 + 16.0 * rep->nnodes;

		*h = (int)fmin(1600, fmax(340, rows));
	}
}

static int
write_png(const struct report *rep, const struct outdir *od,
    const struct chart_file *cf)
{
	struct draw *d;
	char *title, *comment;
	FILE *fp;
	int w, h, rc;

	png_size(rep, cf->kind, &w, &h);
	d = draw_cairo_new(w, h);
	chart_draw(d, rep, cf->kind);
	if ((fp = outdir_fopen(od, cf->name)) == NULL) {
		draw_cairo_free(d);
		return PR_EOUTPUT;
	}
	title = xasprintf("%s, job %s", cf->what, rep->job->id);
	comment = xasprintf("job %s", rep->job->id);
	rc = draw_cairo_write_png(d, fp, cf->name, title, comment);
	free(title);
	free(comment);
	draw_cairo_free(d);
	if (rc != PR_OK) {
		fclose(fp);
		return rc;
	}
	return outdir_fclose(fp, cf->name);
}

/* energy_pie.pdf: the ring as vector graphics on a page of its own. */
static int
write_pie_pdf(const struct report *rep, const struct outdir *od)
{
	const double w = 792, h = 432;	/* 11 x 6 in */
	struct pdf_status st;
	HPDF_Doc doc = pdf_doc_new(&st, "energy_pie.pdf");
	HPDF_Page page;
	char *title;
	int rc;

	if (doc == NULL)
		return PR_EINTERNAL;
	title = xasprintf("Energy by component, job %s", rep->job->id);
	HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, title);
	HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "powerreport " PR_VERSION);
	free(title);
	page = HPDF_AddPage(doc);
	HPDF_Page_SetWidth(page, w);
	HPDF_Page_SetHeight(page, h);
	rc = chart_pdf_draw(rep, CHART_PIE, doc, page, 0, 0, w, h);
	if (rc == PR_OK)
		rc = pdf_doc_save(doc, &st, od, "energy_pie.pdf");
	HPDF_Free(doc);
	return rc;
}

int
render_charts(const struct report *rep, const struct outdir *od)
{
	int rc;

	for (size_t i = 0; i < sizeof png_files / sizeof *png_files; i++)
		if (chart_applies(rep, png_files[i].kind) &&
		    (rc = write_png(rep, od, &png_files[i])) != PR_OK)
			return rc;
	return write_pie_pdf(rep, od);
}
