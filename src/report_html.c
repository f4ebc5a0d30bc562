/*
 * report_html.c - report.html: the report model poured into the ctemplate
 * HTML templates in templates/ (auto-escaped) with the stylesheet and the
 * SVG charts inlined, so the one file can be mailed or published as it is.
 */
#include "render.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "charts.h"
#include "error.h"
#include "report_text.h"
#include "template_shim.h"

#define MAX_GAP_ROWS 200	/* more series with gaps are only counted */

static const char *const coverage_class[] = {
	[COV_FULL] = "full", [COV_PARTIAL] = "partial",
	[COV_POOR] = "poor", [COV_NONE] = "none",
};

/* The whole of a small text file (stylesheet). */
static int
slurp(const char *path, char **out)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (fp == NULL)
		return pr_fail(PR_ECONFIG, "%s: %s: reinstall powerreport or fix "
		    "template_dir", path, strerror(errno));
	do {
		if (cap - len < 4096)
			buf = xrealloc(buf, cap = cap * 2 + 8192);
		n = fread(buf + len, 1, cap - len - 1, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		fclose(fp);
		free(buf);
		return pr_fail(PR_ECONFIG, "%s: read error", path);
	}
	fclose(fp);
	buf[len] = '\0';
	*out = buf;
	return PR_OK;
}

/* A site's template directory may carry its own report.css; otherwise the
 * installed stylesheet is used. */
static char *
stylesheet_path(const char *tpldir, const char *datadir)
{
	char *p = xasprintf("%s/report.css", tpldir);

	if (access(p, R_OK) == 0)
		return p;
	free(p);
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
	}
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
	text_header(rep, &f);
	fill_fields(d, "FIELD", &f);
	text_fields_free(&f);
}

static void
fill_figures(struct tpl *d, const struct report *rep)
{
	struct text_fields f = { 0 };

	text_figures(rep, &f);
	fill_fields(d, "FIGURE", &f);
	text_fields_free(&f);
}

/* Show section with the chart's SVG when the chart belongs to the report. */
static bool
chart(struct tpl *d, const char *section, const struct report *rep,
    enum chart_kind kind, double w, double h)
{
	struct tpl *row;
	char *svg;

	if (!chart_applies(rep, kind))
		return false;
	svg = chart_svg(rep, kind, w, h);
	row = tpl_row(d, section);
	tpl_set(row, "SVG", svg);
	free(svg);
	return true;
}

static void
fill_breakdown(struct tpl *d, const struct report *rep)
{
	for (int c = COMP_TOTAL + 1; c <= COMP_N; c++) {
		int comp = c == COMP_N ? COMP_TOTAL : c;	/* total last */
		double e = rep->energy_j[comp];
		struct tpl *row;
		char *v;

		if (comp != COMP_TOTAL && !(e > 0))
			continue;
		row = tpl_row(d, "PART");
		tpl_set(row, "LABEL", component_label[comp]);
		tpl_set(row, "VALUE", v = text_kwh(e));
		free(v);
		tpl_set(row, "NOTE", v = text_percent(rep->energy_j[COMP_TOTAL] > 0 ?
		    e / rep->energy_j[COMP_TOTAL] : NAN));
		free(v);
		if (comp == COMP_TOTAL) {
			tpl_show(row, "IS_TOTAL");
		} else {
			tpl_setf(row, "COLOUR", "%06x", chart_component_colour(comp));
			tpl_show(row, "SWATCH");
		}
	}
}

static void
fill_charts(struct tpl *d, const struct report *rep)
{
	size_t n = rep->nnodes;
	double rows_h = n * 14.0 + 90;	/* per-node charts grow with the job */

	chart(d, "PIE", rep, CHART_PIE, 360, 360);
	fill_breakdown(d, rep);
	chart(d, "TIMESERIES", rep, CHART_TIMESERIES, 960, 380);
	if (chart_applies(rep, CHART_NODE_HEATMAP) ||
	    chart_applies(rep, CHART_NODE_ENERGY)) {
		struct tpl *per = tpl_row(d, "PER_NODE");

		if (rows_h < 260)
			rows_h = 260;
		chart(per, "HEATMAP", rep, CHART_NODE_HEATMAP, 960, rows_h);
		chart(per, "NODE_ENERGY", rep, CHART_NODE_ENERGY, 960, rows_h);
	}
}

static void
set_coverage(struct tpl *row, double fraction)
{
	char *v = text_percent(fraction);

	tpl_set(row, "COVERAGE", isnan(fraction) ? "\u2014" : v);
	tpl_set(row, "COV_CLASS", coverage_class[text_coverage_level(fraction)]);
	free(v);
}

static void
set_value(struct tpl *d, const char *name, char *owned)
{
	tpl_set(d, name, owned);
	free(owned);
}

static void
fill_nodes(struct tpl *d, const struct report *rep)
{
	double win = text_window_s(rep);
	size_t count;

	for (int c = 0; c < COMP_N; c++)
		if (text_component_present(rep, c))
			tpl_set(tpl_row(d, "COL"), "LABEL", component_label[c]);
	for (size_t i = 0; i < rep->nnodes; i++) {
		const struct node_result *n = &rep->nodes[i];
		struct tpl *row = tpl_row(d, "NODE");

		tpl_set(row, "HOST", n->hostname);
		if (n->database == NULL)
			tpl_show(row, "NO_SOURCE");
		for (int c = 0; c < COMP_N; c++)
			if (text_component_present(rep, c))
				set_value(tpl_row(row, "CELL"), "V",
				    text_kwh(n->energy_j[c]));
		set_value(row, "AVG", n->has_input && win > 0 ?
		    text_power(n->energy_j[COMP_TOTAL] / win) : xstrdup("n/a"));
		set_coverage(row, text_node_coverage(n, ROLE_INPUT, &count));
	}
}

static void
fill_gpus(struct tpl *d, const struct report *rep)
{
	double win = text_window_s(rep);

	for (size_t i = 0; i < rep->nnodes; i++) {
		const struct node_result *n = &rep->nodes[i];

		for (size_t s = 0; s < n->nseries; s++) {
			const struct series *se = &n->series[s];
			struct tpl *row;

			if (se->role != ROLE_GPU)
				continue;
			row = tpl_row(d, "GPU");
			tpl_set(row, "HOST", n->hostname);
			tpl_set(row, "DEVICE", se->fqdd);
			set_value(row, "KWH", text_kwh(se->energy_j));
			set_value(row, "AVG", text_power(win > 0 ? se->energy_j / win : NAN));
			set_value(row, "PEAK", text_power(se->max_w));
			set_coverage(row, se->coverage);
		}
	}
	if (text_role_present(rep, ROLE_GPU))
		tpl_show(d, "HAS_GPUS");
}

static void
fill_coverage(struct tpl *d, const struct report *rep)
{
	for (int r = 0; r < ROLE_N; r++)
		if (text_role_present(rep, r))
			tpl_set(tpl_row(d, "COL"), "LABEL", metric_role_label[r]);
	for (size_t i = 0; i < rep->nnodes; i++) {
		const struct node_result *n = &rep->nodes[i];
		struct tpl *row = tpl_row(d, "NODE");

		tpl_set(row, "HOST", n->hostname);
		for (int r = 0; r < ROLE_N; r++) {
			struct tpl *cell;
			size_t count;
			double cov;

			if (!text_role_present(rep, r))
				continue;
			cov = text_node_coverage(n, r, &count);
			cell = tpl_row(row, "CELL");
			set_value(cell, "V", isnan(cov) ? xstrdup("\u2014") :
			    text_percent(cov));
			tpl_set(cell, "CLASS", coverage_class[text_coverage_level(cov)]);
			set_value(cell, "TITLE", xasprintf("%s %s: %zu series",
			    n->hostname, metric_role_label[r], count));
		}
	}
}

static void
gap_row(struct tpl *d, const char *host, const struct series *se)
{
	struct tpl *row = tpl_row(d, "GAP");
	char dur[32], *from, *to;

	tpl_set(row, "HOST", host);
	tpl_set(row, "METRIC", se->metric);
	tpl_set(row, "DEVICE", *se->fqdd != '\0' ? se->fqdd : "\u2014");
	tpl_setf(row, "COUNT", "%zu", se->ngaps);
	time_format_duration(se->gap_total, dur, sizeof dur);
	tpl_set(row, "TOTAL", dur);
	from = text_time(se->gaps[0].start);
	to = text_time(se->gaps[0].end);
	tpl_setf(row, "FIRST", "%s \u2013 %s", from, to);
	free(from);
	free(to);
}

static void
fill_gaps(struct tpl *d, const struct report *rep)
{
	size_t shown = 0, more = 0;

	for (size_t i = 0; i < rep->nnodes; i++)
		for (size_t s = 0; s < rep->nodes[i].nseries; s++) {
			const struct series *se = &rep->nodes[i].series[s];

			if (se->ngaps == 0)
				continue;
			if (shown++ < MAX_GAP_ROWS)
				gap_row(d, rep->nodes[i].hostname, se);
			else
				more++;
		}
	if (shown > 0)
		tpl_show(d, "HAS_GAPS");
	if (more > 0) {
		tpl_setf(d, "GAPS_LEFT_OUT", "%zu", more);
		tpl_show(d, "MORE_GAPS");
	}
}

static void
fill_quality(struct tpl *d, const struct report *rep)
{
	struct strlist warn = { 0 };
	size_t nseries = 0;

	for (size_t i = 0; i < rep->nnodes; i++)
		nseries += rep->nodes[i].nseries;
	tpl_setf(d, "SUMMARY", "%zu samples in %zu series of %zu node%s, read "
	    "from %s.", rep->nsamples, nseries, rep->nnodes,
	    rep->nnodes == 1 ? "" : "s", rep->source_name);
	text_warnings(rep, &warn);
	for (size_t i = 0; i < warn.n; i++)
		tpl_set(tpl_row(d, "WARNING"), "TEXT", warn.v[i]);
	if (warn.n > 0)
		tpl_show(d, "HAS_WARNINGS");
	strlist_free(&warn);
	fill_coverage(d, rep);
	fill_gaps(d, rep);
}

static void
fill_page(struct tpl *root, const struct report *rep, const char *css)
{
	char *gen = text_time(rep->generated_at);

	tpl_set(root, "VERSION", PR_VERSION);
	tpl_set(root, "STYLE", css);
	tpl_set(root, "GENERATED", gen);
	tpl_set(root, "SOURCE", rep->source_name);
	free(gen);
	set_job_name(root, rep);
	fill_header(tpl_include(root, "HEADER", "header.html.tpl"), rep);
	fill_figures(tpl_include(root, "FIGURES", "figures.html.tpl"), rep);
	fill_charts(tpl_include(root, "CHARTS", "charts.html.tpl"), rep);
	fill_nodes(tpl_include(root, "NODES", "nodes.html.tpl"), rep);
	fill_gpus(tpl_include(root, "GPUS", "gpus.html.tpl"), rep);
	fill_quality(tpl_include(root, "QUALITY", "quality.html.tpl"), rep);
	tpl_set(tpl_include(root, "METHOD", "method.html.tpl"), "METHOD", text_method);
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
render_html(const struct report *rep, const struct outdir *od, const char *datadir)
{
	char *tpldir, *css_path, *css = NULL, *html = NULL;
	struct tpl *root;
	int status;

	tpldir = rep->cfg->template_dir != NULL ? xstrdup(rep->cfg->template_dir) :
	    xasprintf("%s/templates", datadir);
	css_path = stylesheet_path(tpldir, datadir);
	if ((status = slurp(css_path, &css)) == PR_OK) {
		root = tpl_new();
		fill_page(root, rep, css);
		status = tpl_expand(tpldir, "report.html.tpl", root, &html);
		tpl_free(root);
	}
	if (status == PR_OK)
		status = write_file(od, "report.html", html);
	free(html);
	free(css);
	free(css_path);
	free(tpldir);
	return status;
}
