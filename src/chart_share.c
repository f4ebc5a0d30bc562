/*
 * chart_share.c - when a node was shared, shown on its heatmap row: a light
 * band along the row's bottom edge holding a dark bar as high as the job's
 * share of the node at each moment (chart_share.h).
 */
#include "chart_share.h"

#include <stdlib.h>

#include "attribution.h"
#include "chart_palette.h"
#include "error.h"

#define STRIP_TIPS 24	/* read-outs per row at most */

static double
x_at(const struct frame *f, usec_t t)
{
	double x = f->x0 + (f->x1 - f->x0) * (double)(t - f->start) /
	    (double)(f->end - f->start);

	return x < f->x0 ? f->x0 : x > f->x1 ? f->x1 : x;
}

static void
strip(struct draw *d, const struct frame *f, const struct steps *s, usec_t end,
    const char *host, double y, double h)
{
	draw_rect_path(d, f->x0, y, f->x1 - f->x0, h);
	draw_fill_alpha(d, 0xFFFFFF, 0.8);
	for (size_t k = 0; k < s->n; k++) {
		double x0 = x_at(f, s->t[k]);
		double x1 = x_at(f, k + 1 < s->n ? s->t[k + 1] : end);
		double bh = h * s->v[k];

		if (x1 <= x0)
			continue;
		draw_rect(d, x0, y + h - bh, x1 - x0, bh, INK);
		if (draw_has_tips(d) && k < STRIP_TIPS) {
			char *tip = xasprintf("%s: the job's share %.0f %%", host,
			    s->v[k] * 100);

			draw_tip_area(d, x0, y, x1 - x0, h, tip);
			free(tip);
		}
	}
}

void
chart_share_legend(struct draw *d, const struct style *st, const struct report *rep,
    double x, double y)
{
	double w = st->fs * 1.1, h = st->fs;

	if (rep->attr == NULL || !rep->attr->any_shared)
		return;
	draw_rect(d, x, y, w, h, NODATA);
	draw_rect(d, x, y + h / 2, w, h / 2, INK);
	draw_text(d, x + w + st->fs * 0.6, y + h / 2, "job share", &st->small, INK,
	    DRAW_LEFT, DRAW_MIDDLE, 0);
}

void
chart_share_strips(struct draw *d, const struct frame *f, const struct report *rep)
{
	const struct attribution *a = rep->attr;
	double row;

	if (a == NULL || !a->any_shared || rep->nnodes == 0 || f->end <= f->start)
		return;
	row = (f->y1 - f->y0) / rep->nnodes;
	for (size_t i = 0; i < a->n && i < rep->nnodes; i++) {
		double h = row * 0.3 < 8 ? row * 0.3 : 8;

		if (a->nodes[i].shared)
			strip(d, f, &a->nodes[i].ch[CH_JOB], a->end, a->nodes[i].hostname,
			    f->y0 + row * (i + 1) - h, h);
	}
}
