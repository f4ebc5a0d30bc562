/*
 * chart_node_energy.c - energy per node as bars stacked by component
 * (multi-node jobs).
 */
#include "chart_kinds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_style.h"
#include "error.h"

static double
node_parts_sum(const struct node_result *n)
{
	double s = 0;

	for (size_t i = 0; i < NPARTS; i++)
		if (n->energy_j[chart_parts[i]] > 0)
			s += n->energy_j[chart_parts[i]];
	return s;
}

void
chart_node_energy(struct draw *d, const struct report *rep)
{
	struct style st = chart_style_for(d);
	struct legend_item items[NPARTS];
	double vmax = 0, scale, legw, top, row, below = 0, bar;
	size_t n = rep->nnodes;
	char *title, *axis;
	struct units_fmt unit;
	struct frame f;
	struct ticks t;

	title = xasprintf("Energy per node, job %s", rep->job->id);
	top = chart_header(d, &st, rep, title) + st.fs;
	free(title);
	for (size_t i = 0; i < n; i++)
		vmax = fmax(vmax, node_parts_sum(&rep->nodes[i]));
	unit = units_energy_fmt(vmax);	/* the bars' labels' unit */
	scale = 1 / unit.per;
	for (size_t i = 0; i < NPARTS; i++)
		items[i] = (struct legend_item){ component_label[chart_parts[i]],
		    chart_component_colour(chart_parts[i]), NULL, 0, true,
		    NULL };
	legw = chart_legend_width(d, &st, items, NPARTS);
	if (st.narrow) {	/* the legend under the bars */
		below = chart_legend_rows(d, &st, 0, 0, d->w - 2 * st.pad,
		    items, NPARTS, false) + st.fs;
		d->h = top + st.fs * 0.5 + fmin(fmax(n * 16.0, 120), 640) +
		    st.fs * 3.4 + below + st.pad;
		legw = -st.fs * 1.5;	/* no column beside the bars */
	}
	f.y0 = top + st.fs * 0.5;
	f.y1 = d->h - st.pad - below - st.fs * 3.4;
	f.x0 = st.pad + chart_node_labels_width(d, &st, rep);
	f.x1 = d->w - st.pad - legw - st.fs * 1.5 -
	    draw_text_width(d, "000.00 kWh", &st.small);
	f.vmax = axis_value_ticks(0, vmax > 0 ? vmax * scale : 1,
	    (int)((f.x1 - f.x0) / (draw_text_width(d, "0000.0",
	    &st.small) + st.fs * 2)) + 1, &t);
	row = n ? (f.y1 - f.y0) / n : 0;
	bar = fmin(row > 4 ? row * 0.8 : row, st.fs * 2.2);
	for (int i = 0; i < t.n; i++) {
		double x = f.x0 + t.v[i] / f.vmax * (f.x1 - f.x0);

		draw_segment(d, x, f.y0, x, f.y1, GRID, 1);
		draw_text(d, x, f.y1 + st.fs * 0.6, t.label[i], &st.small, INK,
		    DRAW_CENTER, DRAW_TOP, 0);
	}
	axis = xasprintf("Energy (%s)", unit.unit);
	draw_text(d, (f.x0 + f.x1) / 2, f.y1 + st.fs * 2, axis, &st.body, INK,
	    DRAW_CENTER, DRAW_TOP, 0);
	free(axis);
	for (size_t i = 0; i < n; i++) {
		const struct node_result *nd = &rep->nodes[i];
		double x = f.x0, y = f.y0 + row * (i + 0.5) - bar / 2, h = bar;
		char total[32];

		if (row < 4) {
			/* Dense rows: whole units, or rasters show seams. */
			y = round(f.y0 + row * i);
			h = round(f.y0 + row * (i + 1)) - y;
		}

		for (size_t k = 0; k < NPARTS; k++) {
			double e = nd->energy_j[chart_parts[k]], w;

			if (!(e > 0))
				continue;
			w = e * scale / f.vmax * (f.x1 - f.x0);
			units_energy(e, vmax, total, sizeof total);
			draw_tip_begin(d, "%s · %s — %s", nd->hostname,
			    component_label[chart_parts[k]], total);
			draw_rect(d, x, y, w, h,
			    chart_component_colour(chart_parts[k]));
			draw_tip_end(d);
			x += w;
		}
		if (row < st.fs * 0.9)
			continue;	/* too dense for text */
		if (x == f.x0) {
			draw_text(d, f.x0 + st.fs * 0.4, y + bar / 2, "no data",
			    &st.small, MUTED, DRAW_LEFT, DRAW_MIDDLE, 0);
		} else {
			units_energy(node_parts_sum(nd), vmax, total,
			    sizeof total);
			draw_text(d, x + st.fs * 0.4, y + bar / 2, total,
			    &st.small, INK,
			    DRAW_LEFT, DRAW_MIDDLE, 0);
		}
	}
	draw_segment(d, f.x0, f.y0, f.x0, f.y1, AXIS, 1);
	chart_node_labels(d, &st, rep, f.x0 - st.fs * 0.5, f.y0, row);
	if (st.narrow)
		chart_legend_rows(d, &st, st.pad, d->h - st.pad - below + st.fs,
		    d->w - 2 * st.pad, items, NPARTS, true);
	else
		chart_legend(d, &st, d->w - st.pad - legw, top, legw, items,
		    NPARTS);
}
