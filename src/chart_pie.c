/*
 * chart_pie.c - the energy ring: the share of each component, job id and
 * total energy in the centre, labels outside where a slice is too thin.
 */
#include "chart_kinds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_style.h"
#include "error.h"

struct slice {
	enum component comp;
	double share, a0, a1;
	char pct[16], energy[32];
	bool inside;		/* percentage fits on the ring */
	double ly;		/* outside label: y after spreading */
};

/* The figure whose size sets the decimals of every energy the ring shows:
 * the total, as the report's card writes it (units.h), else the sum of the
 * parts, so centre, legend and card agree. */
static double
energy_ref(const struct report *rep, double sum)
{
	double total = rep->energy_j[COMP_TOTAL];

	return total > 0 ? total : sum;
}

/* Slice, its label and its legend entry all read "CPU — 2.36 kWh, 24.0 %". */
static void
slice_tip_begin(struct draw *d, const struct slice *s)
{
	draw_tip_begin(d, "%s — %s, %s", component_label[s->comp], s->energy,
	    s->pct);
}

static void
slice_path(struct draw *d, double cx, double cy, double r0, double r1,
    double a0, double a1)
{
	draw_arc(d, cx, cy, r1, a0, a1, false);
	draw_arc(d, cx, cy, r0, a1, a0, true);
	draw_close(d);
}

/* Spread outside labels on one side so they keep min_gap apart and stay
 * within [top, bottom]. */
static void
spread_labels(struct slice **s, int n, double min_gap, double top,
    double bottom)
{
	for (int i = 1; i < n; i++)	/* sort by wanted y */
		for (int j = i; j > 0 && s[j]->ly < s[j - 1]->ly; j--) {
			struct slice *t = s[j];

			s[j] = s[j - 1];
			s[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		if (s[i]->ly < top)
			s[i]->ly = top;
		if (i > 0 && s[i]->ly < s[i - 1]->ly + min_gap)
			s[i]->ly = s[i - 1]->ly + min_gap;
	}
	for (int i = n - 1; i >= 0; i--) {
		double limit = i == n - 1 ? bottom : s[i + 1]->ly - min_gap;

		if (s[i]->ly > limit)
			s[i]->ly = limit;
	}
}

static void
draw_outside_labels(struct draw *d, const struct style *st, struct slice *sl,
    int n, double cx, double cy, double r)
{
	struct slice *side[2][NPARTS];
	int ns[2] = { 0, 0 };

	for (int i = 0; i < n; i++) {
		double mid = (sl[i].a0 + sl[i].a1) / 2;
		int right = cos(mid) >= 0;

		if (sl[i].inside)
			continue;
		sl[i].ly = cy + (r + st->fs) * sin(mid);
		side[right][ns[right]++] = &sl[i];
	}
	for (int s = 0; s < 2; s++) {
		spread_labels(side[s], ns[s], st->fs * 1.35, cy - r - st->fs,
		    cy + r + st->fs);
		for (int i = 0; i < ns[s]; i++) {
			struct slice *p = side[s][i];
			double mid = (p->a0 + p->a1) / 2, dir = s ? 1 : -1;
			double ex = cx + dir * (r + st->fs * 1.6);
			char *label = xasprintf("%s %s",
			    component_label[p->comp], p->pct);

			slice_tip_begin(d, p);
			draw_move(d, cx + r * cos(mid), cy + r * sin(mid));
			draw_line(d, cx + (r + st->fs * 0.6) * cos(mid),
			    cy + (r + st->fs * 0.6) * sin(mid));
			draw_line(d, ex, p->ly);
			draw_line(d, ex + dir * st->fs * 0.6, p->ly);
			draw_stroke(d, MUTED, 0.8);
			draw_text(d, ex + dir * st->fs * 0.9, p->ly, label,
			    &st->small,
			    INK, s ? DRAW_LEFT : DRAW_RIGHT, DRAW_MIDDLE, 0);
			draw_tip_end(d);
			free(label);
		}
	}
}

/* Width of the widest outside label, to leave room beside the ring. */
static double
outside_label_width(struct draw *d, const struct style *st)
{
	return draw_text_width(d, "Storage 10.0 %", &st->small) + st->fs * 2.2;
}

static void
draw_ring_centre(struct draw *d, const struct style *st,
    const struct report *rep,
    double cx, double cy, double r0, double sum)
{
	char kwh[32], *id, *fit;
	double total = rep->energy_j[COMP_TOTAL];
	struct draw_font big = { st->fs * 1.9, true };

	id = xasprintf("Job %s", rep->job->id);
	fit = draw_fit_text(d, id, &st->bold, r0 * 1.7);
	draw_text(d, cx, cy - st->fs * 1.6, fit, &st->bold, MUTED, DRAW_CENTER,
	    DRAW_MIDDLE, 0);
	free(fit);
	free(id);
	units_energy(total > 0 ? total : sum, energy_ref(rep, sum), kwh,
	    sizeof kwh);
	/* at most 1.6 r0 wide: the width scales with the size measured at */
	big.size = fmin(st->fs * 1.9, st->title.size * r0 * 1.6 /
	    draw_text_width(d, kwh, &st->title));
	draw_text(d, cx, cy + st->fs * 0.4, kwh, &big, INK, DRAW_CENTER,
	    DRAW_MIDDLE, 0);
	draw_text(d, cx, cy + st->fs * 2.2,
	    total > 0 ? "total" : "sum of parts",
	    &st->small, MUTED, DRAW_CENTER, DRAW_MIDDLE, 0);
}

/* Height draw_pie_legend takes for n slices. */
static double
pie_legend_height(const struct style *st, const struct report *rep, int n,
    double sum)
{
	double total = rep->energy_j[COMP_TOTAL];

	return st->fs * 1.7 * (n + 2.1) + st->fs * 0.6 +
	    (total > 0 && sum > total * 1.001 ? st->fs * 3.3 : 0);
}

static void
draw_pie_legend(struct draw *d, const struct style *st,
    const struct report *rep,
    const struct slice *sl, int n, double x, double y, double w, double sum)
{
	double row = st->fs * 1.7, col_kwh = x + w * 0.62, col_pct = x + w;

	draw_text(d, x, y, "Component", &st->bold, INK, DRAW_LEFT, DRAW_TOP, 0);
	draw_text(d, col_kwh, y, "Energy", &st->bold, INK, DRAW_RIGHT, DRAW_TOP,
	    0);
	draw_text(d, col_pct, y, "Share", &st->bold, INK, DRAW_RIGHT, DRAW_TOP,
	    0);
	y += row * 1.1;
	for (int i = 0; i < n; i++) {
		double cy = y + row * (i + 0.5);

		slice_tip_begin(d, &sl[i]);
		draw_rect(d, x, cy - st->fs * 0.45, st->fs * 0.9, st->fs * 0.9,
		    chart_component_colour(sl[i].comp));
		draw_text(d, x + st->fs * 1.4, cy, component_label[sl[i].comp],
		    &st->body, INK, DRAW_LEFT, DRAW_MIDDLE, 0);
		draw_text(d, col_kwh, cy, sl[i].energy, &st->body, INK,
		    DRAW_RIGHT,
		    DRAW_MIDDLE, 0);
		draw_text(d, col_pct, cy, sl[i].pct, &st->body, INK, DRAW_RIGHT,
		    DRAW_MIDDLE, 0);
		draw_tip_end(d);
	}
	y += row * n + st->fs * 0.3;
	draw_segment(d, x, y, x + w, y, AXIS, 0.8);
	y += row * 0.5 + st->fs * 0.3;
	draw_text(d, x + st->fs * 1.4, y, component_label[COMP_TOTAL],
	    &st->bold,
	    INK, DRAW_LEFT, DRAW_MIDDLE, 0);
	if (rep->energy_j[COMP_TOTAL] > 0) {
		char e[32];

		units_energy(rep->energy_j[COMP_TOTAL], energy_ref(rep, sum), e,
		    sizeof e);
		draw_text(d, col_kwh, y, e, &st->bold, INK, DRAW_RIGHT,
		    DRAW_MIDDLE, 0);
	} else {
		draw_text(d, col_kwh, y, "no input power", &st->small, MUTED,
		    DRAW_RIGHT, DRAW_MIDDLE, 0);
	}
	y += row * 0.5;
	if (rep->energy_j[COMP_TOTAL] > 0 && sum > rep->energy_j[COMP_TOTAL] * 1.001) {
		char *fit = draw_fit_text(d, "Parts exceed the measured input;",
		    &st->small, w);

		draw_text(d, x, y + st->fs, fit, &st->small, MUTED, DRAW_LEFT,
		    DRAW_TOP, 0);
		free(fit);
		fit = draw_fit_text(d, "shares are of their sum.", &st->small,
		    w);
		draw_text(d, x, y + st->fs * 2.3, fit, &st->small, MUTED,
		    DRAW_LEFT,
		    DRAW_TOP, 0);
		free(fit);
	}
}

void
chart_pie(struct draw *d, const struct report *rep)
{
	struct style st = chart_style_for(d);
	struct slice sl[NPARTS];
	double sum = 0, a = -M_PI / 2, top, cx, cy, r, r0, legw, avail_w;
	char *title;
	int n = 0;

	title = xasprintf("Energy of job %s by component", rep->job->id);
	top = chart_header(d, &st, rep, title) + st.fs;
	free(title);
	for (size_t i = 0; i < NPARTS; i++)
		if (rep->energy_j[chart_parts[i]] > 0)
			sum += rep->energy_j[chart_parts[i]];
	for (size_t i = 0; i < NPARTS && sum > 0; i++) {
		double e = rep->energy_j[chart_parts[i]];

		if (!(e > 0))
			continue;
		sl[n].comp = chart_parts[i];
		sl[n].share = e / sum;
		sl[n].a0 = a;
		a += 2 * M_PI * sl[n].share;
		sl[n].a1 = a;
		chart_format_share(sl[n].share, sl[n].pct, sizeof sl[n].pct);
		units_energy(e, energy_ref(rep, sum), sl[n].energy,
		    sizeof sl[n].energy);
		n++;
	}
	legw = fmin(d->w * 0.4, draw_text_width(d,
	    "Component  PSU loss  000.00 kWh",
	    &st.body) + draw_text_width(d, "100.0 %", &st.body));
	avail_w = d->w - 2 * st.pad - legw - st.fs * 2;
	r = fmin((d->h - top - st.pad) / 2 - st.fs * 1.2,
	    avail_w / 2 - outside_label_width(d, &st));
	if (st.narrow) {	/* the ring, and its legend under it */
		legw = d->w - 2 * st.pad;
		r = legw / 2 - outside_label_width(d, &st);
	}
	r = fmax(r, st.fs * 4);
	r0 = r * (st.narrow ? 0.7 : 0.6);	/* a small ring: room for the total */
	cx = st.pad + avail_w / 2;
	cy = top + (d->h - top - st.pad) / 2;
	if (st.narrow) {
		cx = d->w / 2;
		cy = top + st.fs * 1.2 + r;
		d->h = cy + r + st.fs * 2.4 + pie_legend_height(&st, rep, n,
		    sum) + st.pad;
	}

	if (n == 0) {
		slice_path(d, cx, cy, r0, r, 0, 2 * M_PI);
		draw_fill(d, NODATA);
		chart_message(d, &st, cx, cy, "No energy data");
		return;
	}
	for (int i = 0; i < n; i++) {
		double mid = (sl[i].a0 + sl[i].a1) / 2, rm = (r + r0) / 2;
		unsigned c = chart_component_colour(sl[i].comp);

		slice_tip_begin(d, &sl[i]);
		slice_path(d, cx, cy, r0, r, sl[i].a0, sl[i].a1);
		draw_fill(d, c);
		if (n > 1) {
			slice_path(d, cx, cy, r0, r, sl[i].a0, sl[i].a1);
			draw_stroke(d, WHITE, 1.5);
		}
		sl[i].inside = (sl[i].a1 - sl[i].a0) * rm >
		    draw_text_width(d, sl[i].pct, &st.small) + st.fs * 0.8 &&
		    sl[i].share >= 0.04;
		if (sl[i].inside)
			draw_text(d, cx + rm * cos(mid), cy + rm * sin(mid),
			    sl[i].pct,
			    &st.small, draw_luminance(c) < 0.3 ? WHITE : INK,
			    DRAW_CENTER, DRAW_MIDDLE, 0);
		draw_tip_end(d);
	}
	draw_outside_labels(d, &st, sl, n, cx, cy, r);
	draw_ring_centre(d, &st, rep, cx, cy, r0, sum);
	draw_pie_legend(d, &st, rep, sl, n, d->w - st.pad - legw,
	    st.narrow ? cy + r + st.fs * 2.4 : top + st.fs, legw, sum);
}
