/*
 * render.h - the renderers: each turns the report model into one output
 * format inside the (temporary) report directory.  They only read the model.
 */
#ifndef PR_RENDER_H
#define PR_RENDER_H

#include "outdir.h"
#include "report.h"

int render_energy_csv(const struct report *rep, const struct outdir *od);	/* energy.csv */
int render_summary_json(const struct report *rep, const struct outdir *od);	/* summary.json */
/* timeseries.png, energy_pie.png, energy_pie.pdf, and for multi-node jobs
 * node_heatmap.png and node_energy.png. */
int render_charts(const struct report *rep, const struct outdir *od);
/* report.html */
int render_html(const struct report *rep, const struct outdir *od, const char *datadir);
/* An HTML page from template file (a site's template_dir first) with the
 * stylesheet, after fill(root, css, ctx) filled its dictionary: report.html
 * and a summary's index.html look alike.  *html malloc'd. */
struct tpl;
int html_page(const struct config *cfg, const char *datadir, const char *file,
    void (*fill)(struct tpl *root, const char *css, const void *ctx), const void *ctx,
    char **html);
/* report.pdf */
int render_pdf(const struct report *rep, const struct outdir *od, const char *datadir);
/* metrics.prom (metrics_prom.h) */
int render_metrics_prom(const struct report *rep, const struct outdir *od);

#endif
