/*
 * chart_style.c - what every chart of a report shares (chart_style.h):
 * font sizes for the canvas, the header
 * with the job's window, legends, the time axis, the node labels and the
 * way values are written in labels and read-outs.
 */
#include "chart_style.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

const enum component chart_parts[NPARTS] = {
	COMP_CPU, COMP_MEMORY, COMP_STORAGE, COMP_FAN, COMP_GPU, COMP_PSU_LOSS,
	COMP_OTHERS,
};

struct style
chart_style_for(const struct draw *d)
{
	struct style st;
	double fs = fmin(d->w / 85, d->h / 24);

	fs = fmax(7, fmin(13, fs));
	st.narrow = d->w <= CHART_NARROW_W;
	if (st.narrow)
		fs = 11;	/* small text 9.7 units */
	st.fs = fs;
	st.pad = fs;
	st.body = (struct draw_font){ fs, false };
	st.small = (struct draw_font){ fs * 0.88, false };
	st.bold = (struct draw_font){ fs, true };
	st.title = (struct draw_font){ fs * 1.25, true };
	return st;
}

void
chart_format_share(double share, char *buf, size_t size)
{
	units_percent(share, buf, size);	/* as the documents write it */
}

usec_t
chart_window_start(const struct report *rep)
{
	return rep->tl.nbuckets > 0 ? rep->tl.start : rep->job->start;
}

usec_t
chart_window_end(const struct report *rep)
{
	usec_t s = chart_window_start(rep),
	    e = rep->tl.nbuckets > 0 ? rep->tl.end : rep->job->end;

	return e > s ? e : s + 1;
}

/* Title, and under it the job's window and size in grey; returns the y
 * below them. */
double
chart_header(struct draw *d, const struct style *st, const struct report *rep,
    const char *title)
{
	usec_t s = chart_window_start(rep), e = chart_window_end(rep);
	char from[40], to[40], dur[32], zone[32], *line, *fit;

	/* seconds when an edge is not on a whole minute (a 30-s job) */
	bool secs = s % (60 * USEC_PER_SEC) != 0 || e % (60 * USEC_PER_SEC) != 0;

	axis_format_time(s, secs ? "%a %b %d %Y %H:%M:%S" : "%a %b %d %Y %H:%M",
	    from, sizeof from);
	axis_format_time(e, (e - s) / USEC_PER_SEC >= 86400 ? "%b %d %H:%M" :
	    secs ? "%H:%M:%S" : "%H:%M", to, sizeof to);
	time_format_duration(e - s, dur, sizeof dur);
	axis_zone_name(s, e, zone, sizeof zone);
	fit = draw_fit_text(d, title, &st->title, d->w - 2 * st->pad);
	draw_text(d, st->pad, st->pad, fit, &st->title, INK, DRAW_LEFT,
	    DRAW_TOP, 0);
	free(fit);
	line = xasprintf("%s – %s %s (%s), %zu node%s", from, to, zone, dur,
	    rep->nnodes, rep->nnodes == 1 ? "" : "s");
	fit = draw_fit_text(d, line, &st->small, d->w - 2 * st->pad);
	draw_text(d, st->pad, st->pad + st->fs * 1.25 + st->fs * 0.7, fit,
	    &st->small, MUTED, DRAW_LEFT, DRAW_TOP, 0);
	free(fit);
	free(line);
	return st->pad + st->fs * 3.4;
}

void
chart_message(struct draw *d, const struct style *st, double cx, double cy,
    const char *msg)
{
	draw_text(d, cx, cy, msg, &st->bold, MUTED, DRAW_CENTER, DRAW_MIDDLE,
	    0);
}

double
chart_legend_width(struct draw *d, const struct style *st,
    const struct legend_item *items, size_t n)
{
	double w = 0;

	for (size_t i = 0; i < n; i++)
		w = fmax(w, draw_text_width(d, items[i].label, &st->body));
	return w + st->fs * 3.2;	/* symbol, gap, and air to the edge */
}

/* One legend entry, its symbol from x and its label after it, centred on
 * cy and cut to maxw. */
static void
legend_entry(struct draw *d, const struct style *st, double x, double cy,
    double maxw, const struct legend_item *it)
{
	double sw = st->fs * 1.8;
	char *fit = draw_fit_text(d, it->label, &st->body,
	    maxw - sw - st->fs * 0.6);

	if (it->tip != NULL)
		draw_tip_begin(d, "%s", it->tip);
	if (it->box) {
		draw_rect(d, x + sw * 0.2, cy - st->fs * 0.45, sw * 0.6,
		    st->fs * 0.9, it->colour);
	} else {
		draw_move(d, x, cy);
		draw_line(d, x + sw, cy);
		draw_stroke_dashed(d, it->colour, st->fs * 0.2, it->dash,
		    it->ndash);
	}
	draw_text(d, x + sw + st->fs * 0.6, cy, fit, &st->body, INK,
	    DRAW_LEFT, DRAW_MIDDLE, 0);
	if (it->tip != NULL)
		draw_tip_end(d);
	free(fit);
}

double
chart_legend_rows(struct draw *d, const struct style *st, double x, double y,
    double w, const struct legend_item *items, size_t n, bool draw)
{
	double row = st->fs * 1.6, cx = x, cy = y + row / 2;

	for (size_t i = 0; i < n; i++) {
		double iw = fmin(w, st->fs * 2.4 + 1 + draw_text_width(d,
		    items[i].label, &st->body));

		if (cx > x && cx + iw > x + w) {
			cx = x;
			cy += row;
		}
		if (draw)
			legend_entry(d, st, cx, cy, iw, &items[i]);
		cx += iw + st->fs * 1.2;
	}
	return n > 0 ? cy + row / 2 - y : 0;
}

/* Draws the entries from (x, y) down, within width w; returns the y below. */
double
chart_legend(struct draw *d, const struct style *st, double x, double y,
    double w, const struct legend_item *items, size_t n)
{
	double row = st->fs * 1.6;

	for (size_t i = 0; i < n; i++)
		legend_entry(d, st, x, y + row * (i + 0.5), w, &items[i]);
	return y + row * n;
}

double
frame_x(const struct frame *f, double usec_from_start)
{
	return f->x0 + usec_from_start / (double)(f->end - f->start) * (f->x1 - f->x0);
}

double
frame_y(const struct frame *f, double v)
{
	return f->y1 - v / f->vmax * (f->y1 - f->y0);
}

/* strftime format of a moment in a read-out, as fine as the window needs. */
const char *
chart_tip_time_format(const struct frame *f)
{
	usec_t span = f->end - f->start;

	return span < 3600 * USEC_PER_SEC ? "%H:%M:%S" :
	    span < 86400 * USEC_PER_SEC ? "%H:%M" : "%b %d %H:%M";
}

/* Time ticks, grid and labels under the plot area of f. */
void
chart_time_axis(struct draw *d, const struct style *st, const struct frame *f,
    bool grid)
{
	struct ticks t;
	char zone[32], *title;
	double spacing = draw_text_width(d, "Wed Nov 25",
	    &st->small) + st->fs * 1.5;

	axis_time_ticks(f->start, f->end, (int)((f->x1 - f->x0) / spacing) + 1,
	    &t);
	for (int i = 0; i < t.n; i++) {
		double x = frame_x(f, t.v[i]);
		enum draw_halign ha = DRAW_CENTER;

		if (grid)
			draw_segment(d, x, f->y0, x, f->y1, GRID, 1);
		draw_segment(d, x, f->y1, x, f->y1 + st->fs * 0.4, AXIS, 1);
		/* Keep the edge labels (and dates under them) inside the
		 * canvas. */
		double half = fmax(draw_text_width(d, t.label[i], &st->small),
		    draw_text_width(d, t.sub[i], &st->small)) / 2;

		if (x - half < 0)
			ha = DRAW_LEFT;
		else if (x + half > d->w)
			ha = DRAW_RIGHT;
		draw_text(d, x, f->y1 + st->fs * 0.6, t.label[i], &st->small,
		    INK,
		    ha, DRAW_TOP, 0);
		if (t.sub[i][0] != '\0')
			draw_text(d, x, f->y1 + st->fs * 1.85, t.sub[i],
			    &st->small,
			    MUTED, ha, DRAW_TOP, 0);
	}
	axis_zone_name(f->start, f->end, zone, sizeof zone);
	title = xasprintf("Time (%s)", zone);
	draw_text(d, (f->x0 + f->x1) / 2, f->y1 + st->fs * 3.2, title,
	    &st->body,
	    INK, DRAW_CENTER, DRAW_TOP, 0);
	free(title);
}

/* Space under a plot area for chart_time_axis. */
double
chart_time_axis_height(const struct style *st)
{
	return st->fs * 4.6;
}

/* Left label column of the node charts: every k-th node name so that
 * labels never overlap.  Returns the column width. */
double
chart_node_labels_width(struct draw *d, const struct style *st,
    const struct report *rep)
{
	double w = 0;

	for (size_t i = 0; i < rep->nnodes; i++)
		w = fmax(w, draw_text_width(d, rep->nodes[i].hostname,
		    &st->small));
	return fmin(w, d->w * 0.2) + st->fs * 0.6;
}

void
chart_node_labels(struct draw *d, const struct style *st,
    const struct report *rep,
    double x_right, double y0, double row)
{
	size_t every = (size_t)ceil(st->fs * 1.1 / row);

	if (every < 1)
		every = 1;
	for (size_t i = 0; i < rep->nnodes; i += every) {
		char *fit = draw_fit_text(d, rep->nodes[i].hostname, &st->small,
		    d->w * 0.2);

		draw_text(d, x_right, y0 + row * (i + 0.5), fit, &st->small,
		    INK,
		    DRAW_RIGHT, DRAW_MIDDLE, 0);
		free(fit);
	}
}
