/*
 * report_html.c - report.html: the report model poured into the ctemplate
 * HTML templates in templates/ (auto-escaped) with the stylesheet and the
 * SVG charts inlined, so the one file can be mailed or published as it is.
 */
#include "render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attribution_text.h"
#include "chart_palette.h"
#include "charts.h"
#include "error.h"
#include "fileio.h"
#include "history.h"
#include "report_text.h"
#include "template_shim.h"
#include "trust_html.h"

#define STYLESHEET_MAX_BYTES (16 << 20)

/* The stylesheet, whole. */
static int
read_stylesheet(const char *path, char **out)
{
	size_t len;
	int err = fileio_read(path, STYLESHEET_MAX_BYTES, out, &len);

	if (err != 0)
		return pr_fail(PR_ECONFIG, "%s: %s: reinstall powerreport or fix "
		    "template_dir", path, strerror(err));
	return PR_OK;
}

/* A site's template directory may carry its own report.css; otherwise the
 * installed stylesheet is used. */
static char *
stylesheet_path(const char *sitedir, const char *datadir)
{
	char *p;

	if (sitedir != NULL) {
		p = xasprintf("%s/report.css", sitedir);
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	return xasprintf("%s/assets/report.css", datadir);
}

static void
fill_fields(struct tpl *d, const char *section, const struct text_fields *f)
{
	for (size_t i = 0; i < f->label.n; i++) {
		struct tpl *row = tpl_row(d, section);

		tpl_set(row, "LABEL", f->label.v[i]);
		tpl_set(row, "VALUE", f->value.v[i]);
		tpl_set(row, "NOTE", f->note.v[i]);
		if (*f->note.v[i] != '\0')
			tpl_show(row, "HAS_NOTE");
		if (strlen(f->value.v[i]) > 40)
			tpl_show(row, "WIDE");	/* long hostlists get a line */
	}
}

/* Set a variable to an allocated string and free it. */
static void
set_value(struct tpl *d, const char *name, char *owned)
{
	tpl_set(d, name, owned);
	free(owned);
}

static void
set_job_name(struct tpl *d, const struct report *rep)
{
	tpl_set(d, "JOB_ID", rep->job->id);
	if (rep->job->name != NULL && *rep->job->name != '\0') {
		tpl_set(d, "JOB_NAME", rep->job->name);
		tpl_show(d, "HAS_NAME");
	}
}

static void
fill_header(struct tpl *d, const struct report *rep)
{
	struct text_fields f = { 0 };

	set_job_name(d, rep);
	for (size_t i = 0; i < rep->banner.n; i++)
		tpl_set(tpl_row(d, "BANNER"), "TEXT", rep->banner.v[i]);
	if (rep->banner.n > 0)
		tpl_show(d, "HAS_BANNER");
	text_header(rep, &f);
	fill_fields(d, "FIELD", &f);
	text_fields_free(&f);
}

static void
fill_figures(struct tpl *d, const struct report *rep)
{
	struct text_fields f = { 0 };

	text_figures(rep, &f);
	text_attribution_figures(rep, &f);
	fill_fields(d, "FIGURE", &f);
	text_fields_free(&f);
}

/* Show section with the chart's SVG and caption when the chart belongs to
 * the report. */
static bool
chart(struct tpl *d, const char *section, const struct report *rep,
    enum chart_kind kind, double w, double h)
{
	struct tpl *row;

	if (!chart_applies(rep, kind))
		return false;
	row = tpl_row(d, section);
	set_value(row, "SVG", chart_html(rep, kind, w, h));
	tpl_set(row, "CAPTION", chart_caption(kind));
	return true;
}

static void
fill_breakdown(struct tpl *d, const struct report *rep)
{
	struct text_fields f = { 0 };
	enum component comp[COMP_N];

	text_breakdown(rep, &f, comp);
	for (size_t i = 0; i < f.label.n; i++) {
		struct tpl *row = tpl_row(d, "PART");

		tpl_set(row, "LABEL", f.label.v[i]);
		tpl_set(row, "VALUE", f.value.v[i]);
		tpl_set(row, "SHARE", f.note.v[i]);
		if (comp[i] == COMP_TOTAL) {
			tpl_show(row, "IS_TOTAL");
		} else {
			tpl_setf(row, "COLOUR", "%06x", chart_component_colour(comp[i]));
			tpl_show(row, "SWATCH");
		}
	}
	text_fields_free(&f);
}

static void
fill_charts(struct tpl *d, const struct report *rep)
{
	/* per-node charts grow with the job, within reason */
	double rows_h = fmin(fmax(rep->nnodes * 9.0 + 90, 260), 1000);

	/* the ring carries its own legend; the table stands in without it */
	if (!chart(d, "PIE", rep, CHART_PIE, 960, 520))
		fill_breakdown(tpl_row(d, "BREAKDOWN"), rep);
	chart(d, "TIMESERIES", rep, CHART_TIMESERIES, 960, 420);
	if (chart_applies(rep, CHART_NODE_HEATMAP) ||
	    chart_applies(rep, CHART_NODE_ENERGY)) {
		struct tpl *per = tpl_row(d, "PER_NODE");

		chart(per, "HEATMAP", rep, CHART_NODE_HEATMAP, 960, rows_h);
		chart(per, "NODE_ENERGY", rep, CHART_NODE_ENERGY, 960, rows_h);
	}
}

static const char *const tone_class[] = {
	[TONE_PLAIN] = "", [TONE_FULL] = "full", [TONE_PARTIAL] = "partial",
	[TONE_POOR] = "poor", [TONE_ABSENT] = "absent",
};

/* Fill table.html.tpl, included as marker name in d. */
static void
fill_table(struct tpl *d, const char *name, const struct text_table *t)
{
	struct tpl *tab = tpl_include(d, name, "table.html.tpl");

	for (size_t c = 0; c < t->ncols; c++) {
		struct tpl *col = tpl_row(tab, "COL");

		tpl_set(col, "LABEL", t->head.v[c]);
		tpl_set(col, "ALIGN", t->text_col[c] ? "text" : "num");
	}
	for (size_t r = 0; r < t->nrows; r++) {
		struct tpl *row = tpl_row(tab, "ROW");

		if (t->total_row && r + 1 == t->nrows)
			tpl_show(row, "TOTAL");

		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;
			struct tpl *cl = tpl_row(row, c == 0 ? "NAME" : "CELL");

			tpl_set(cl, "V", t->cell.v[i]);
			tpl_set(cl, "ALIGN", t->text_col[c] ? "text" : "num");
			tpl_set(cl, "TONE", tone_class[t->tone[i]]);
		}
	}
	if (t->note != NULL) {
		tpl_set(tab, "NOTE", t->note);
		tpl_show(tab, "HAS_NOTE");
	}
}

/* Fill a partial holding one table made by build. */
static void
table_section(struct tpl *d, const char *name, const struct report *rep,
    void (*build)(const struct report *, struct text_table *))
{
	struct text_table t = { 0 };

	build(rep, &t);
	fill_table(d, name, &t);
	text_table_free(&t);
}

static void
fill_gpus(struct tpl *d, const struct report *rep)
{
	struct text_table t = { 0 };

	text_gpu_table(rep, &t);
	if (t.nrows > 0) {
		tpl_show(d, "HAS_GPUS");
		fill_table(d, "TABLE", &t);
	}
	text_table_free(&t);
}

static void
fill_attribution(struct tpl *d, const struct report *rep)
{
	struct text_table t = { 0 };

	text_attribution_table(rep, &t);
	if (t.nrows > 0) {
		tpl_show(d, "HAS_ATTRIBUTION");
		fill_table(d, "TABLE", &t);
	}
	text_table_free(&t);
}

static void
fill_gaps(struct tpl *d, const struct report *rep)
{
	struct text_table t = { 0 };

	text_gap_table(rep, &t);
	if (t.nrows > 0) {
		tpl_show(d, "HAS_GAPS");
		fill_table(d, "GAPS", &t);
	}
	text_table_free(&t);
}

static void
fill_quality(struct tpl *d, const struct report *rep)
{
	struct strlist warn = { 0 };

	set_value(d, "SUMMARY", text_data_summary(rep));
	text_warnings(rep, &warn);
	text_idle_quality(rep, &warn);
	for (size_t i = 0; i < warn.n; i++)
		tpl_set(tpl_row(d, "WARNING"), "TEXT", warn.v[i]);
	if (warn.n > 0)
		tpl_show(d, "HAS_WARNINGS");
	strlist_free(&warn);
	table_section(d, "COVERAGE", rep, text_coverage_table);
	fill_gaps(d, rep);
}

static void
fill_page(struct tpl *root, const struct report *rep, const char *css)
{
	struct tpl *d;

	tpl_set(root, "VERSION", PR_VERSION);
	tpl_set(root, "STYLE", css);
	set_value(root, "GENERATED", text_time(rep->generated_at));
	tpl_set(root, "SOURCE", rep->source_name);
	set_job_name(root, rep);
	fill_header(tpl_include(root, "HEADER", "header.html.tpl"), rep);
	fill_figures(tpl_include(root, "FIGURES", "figures.html.tpl"), rep);
	fill_charts(tpl_include(root, "CHARTS", "charts.html.tpl"), rep);
	table_section(tpl_include(root, "NODES", "nodes.html.tpl"), "TABLE", rep,
	    text_node_table);
	fill_attribution(tpl_include(root, "ATTRIBUTION", "attribution.html.tpl"), rep);
	fill_gpus(tpl_include(root, "GPUS", "gpus.html.tpl"), rep);
	history_html(root, rep);
	fill_quality(tpl_include(root, "QUALITY", "quality.html.tpl"), rep);
	html_trust(tpl_include(root, "TRUST", "trust.html.tpl"), rep);
	d = tpl_include(root, "METHOD", "method.html.tpl");
	set_value(d, "METHOD", text_method(rep));
	if (rep->has_csv)
		tpl_show(d, "HAS_CSV");
	if (rep->has_json)
		tpl_show(d, "HAS_JSON");
	if (rep->has_csv || rep->has_json)
		tpl_show(d, "HAS_FILES");
}

static int
write_file(const struct outdir *od, const char *name, const char *text)
{
	FILE *fp = outdir_fopen(od, name);

	if (fp == NULL)
		return PR_EOUTPUT;
	fputs(text, fp);
	return outdir_fclose(fp, name);
}

int
html_page(const struct config *cfg, const char *datadir, const char *file,
    void (*fill)(struct tpl *root, const char *css, const void *ctx), const void *ctx,
    char **html)
{
	const char *sitedir = cfg->template_dir;
	char *installed = xasprintf("%s/templates", datadir);
	/* the site's templates override the installed ones file by file */
	const char *dirs[] = { sitedir != NULL ? sitedir : installed,
	    sitedir != NULL ? installed : NULL, NULL };
	char *css_path = stylesheet_path(sitedir, datadir), *css = NULL;
	struct tpl *root;
	int status;

	*html = NULL;
	if ((status = read_stylesheet(css_path, &css)) == PR_OK) {
		root = tpl_new();
		fill(root, css, ctx);
		status = tpl_expand(dirs, file, root, html);
		tpl_free(root);
	}
	free(css);
	free(css_path);
	free(installed);
	return status;
}

static void
fill_report_page(struct tpl *root, const char *css, const void *rep)
{
	fill_page(root, rep, css);
}

int
render_html(const struct report *rep, const struct outdir *od, const char *datadir)
{
	char *html;
	int status = html_page(rep->cfg, datadir, "report.html.tpl", fill_report_page, rep,
	    &html);

	if (status == PR_OK)
		status = write_file(od, "report.html", html);
	free(html);
	return status;
}
