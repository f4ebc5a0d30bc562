/*
 * charts.c - every chart of a report, described once against draw.h:
 * power over time, the energy ring, the node x time heatmap of input power
 * and the per-node energy bars (one file each, over chart_style.c).  This
 * file picks the chart and the backend.  The same function draws the PNG
 * file, the vector chart of report.pdf and the SVG of report.html, so they
 * cannot drift apart.  Sizes follow the canvas; colours come from
 * assets/palette.def and are the same for a component in every chart.
 * Slices, bars, heatmap stretches, legend entries and moments of the time
 * series carry hover read-outs (draw_tip_*), which only the SVG shows.
 */
#include "charts.h"

#include "chart_kinds.h"
#include "chart_style.h"
#include "draw_svg.h"

#include <stdlib.h>

#include "error.h"

bool
chart_applies(const struct report *rep, enum chart_kind kind)
{
	switch (kind) {
	case CHART_TIMESERIES:
	case CHART_PIE:
		return true;
	case CHART_NODE_HEATMAP:
	case CHART_NODE_ENERGY:
		return rep->nnodes > 1;
	default:
		return false;
	}
}

const char *
chart_caption(enum chart_kind kind)
{
	static const char *const caption[CHART_N] = {
		[CHART_TIMESERIES] = "Power of each component summed over the "
		    "job's nodes: lines are means per time step, bands the "
		    "lowest to highest reading, a red strip above the plot marks "
		    "where samples are missing (the stronger, the more), and "
		    "lanes under it, where the database has them, show the nodes' "
		    "CPU load (a share of their CPUs), memory use and GPU "
		    "utilisation from 0 to 100 % with their mean, grey where "
		    "unknown.",
		[CHART_PIE] = "Share of the job's energy by component, with the "
		    "total in the centre.",
		[CHART_NODE_HEATMAP] = "Wall (input) power of each node over "
		    "time; grey where a node sent no data.",
		[CHART_NODE_ENERGY] = "Energy of each node, stacked by "
		    "component.",
	};

	return kind < CHART_N ? caption[kind] : "";
}

void
chart_draw(struct draw *d, const struct report *rep, enum chart_kind kind)
{
	switch (kind) {
	case CHART_TIMESERIES:
		chart_timeseries(d, rep);
		break;
	case CHART_PIE:
		chart_pie(d, rep);
		break;
	case CHART_NODE_HEATMAP:
		chart_heatmap(d, rep);
		break;
	case CHART_NODE_ENERGY:
		chart_node_energy(d, rep);
		break;
	default:
		break;
	}
}

char *
chart_svg(const struct report *rep, enum chart_kind kind, double w, double h)
{
	struct draw *d = draw_svg_new(w, h);

	chart_draw(d, rep, kind);
	return draw_svg_finish(d);
}

char *
chart_svg_narrow(const struct report *rep, enum chart_kind kind)
{
	struct draw *d = draw_svg_new(CHART_NARROW_W, CHART_NARROW_W);

	draw_svg_no_tips(d);	/* a phone has no pointer to rest */
	chart_draw(d, rep, kind);
	return draw_svg_finish(d);
}

char *
chart_html(const struct report *rep, enum chart_kind kind, double w, double h)
{
	char *wide = chart_svg(rep, kind, w, h), *narrow = chart_svg_narrow(rep,
	    kind), *html;

	html = xasprintf("<div class=\"wide\">%s</div><div class=\"narrow\">%s</div>",
	    wide, narrow);
	free(wide);
	free(narrow);
	return html;
}
