/*
 * render.h - the renderers: each turns the report model into one output
 * format inside the (temporary) report directory.  They only read the model.
 */
#ifndef PR_RENDER_H
#define PR_RENDER_H

#include <stdio.h>

#include "outdir.h"
#include "report.h"
#include "source.h"

/* raw_power.csv rows (streamed by the collector). */
void rawcsv_write_header(FILE *fp);
void rawcsv_write_row(FILE *fp, const struct sample *s);
/* One text field of any CSV we write: quoted per RFC 4180 when needed, a
 * leading = + - @ (tab, CR) neutralised with a single quote (source.h). */
void csv_write_text(FILE *fp, const char *s);

int render_energy_csv(const struct report *rep, const struct outdir *od);	/* energy.csv */
int render_summary_json(const struct report *rep, const struct outdir *od);	/* summary.json */
/* timeseries.png, energy_pie.png, energy_pie.pdf, and for multi-node jobs
 * node_heatmap.png and node_energy.png. */
int render_charts(const struct report *rep, const struct outdir *od);
/* report.html */
int render_html(const struct report *rep, const struct outdir *od, const char *datadir);
/* report.pdf */
int render_pdf(const struct report *rep, const struct outdir *od, const char *datadir);

#endif
