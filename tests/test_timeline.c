/*
 * test_timeline.c - the streaming chart model: job-wide sums without
 * zig-zag, envelopes that keep short peaks, holes, GPU lines, heat rows and
 * the degenerate inputs (no samples, one sample, one-second job).
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "timeline.h"

#define T0 (INT64_C(1763719200) * USEC_PER_SEC)
#define SEC USEC_PER_SEC
#define GAP (15 * SEC)

static char *names[] = { "rpc-01", "rpc-02", "rpc-03" };

static const struct tl_line *
line_of(const struct timeline *tl, const char *label)
{
	for (size_t i = 0; i < tl->nlines; i++)
		if (strcmp(tl->lines[i].label, label) == 0)
			return &tl->lines[i];
	return NULL;
}

/* Constant power every 5 s from t0 to t1, starting offset seconds late. */
static void
feed_const(struct timeline *tl, int h, usec_t t0, usec_t t1, int offset, double w)
{
	for (usec_t t = t0 + offset * SEC; t <= t1; t += 5 * SEC)
		timeline_add(tl, h, t, w);
}

START_TEST(sum_across_nodes_is_smooth)
{
	struct timeline tl;
	usec_t end = T0 + 3600 * SEC;
	const struct tl_line *in;
	int a, b;

	timeline_init(&tl, T0, end, GAP, 2, names);
	a = timeline_series(&tl, 0, ROLE_INPUT, "rpc-01", "PS1");
	b = timeline_series(&tl, 1, ROLE_INPUT, "rpc-02", "PS1");
	/* Interleave the two nodes' samples in time order, like a database
	 * query sorted by timestamp would; node 2 is 2 s behind. */
	for (usec_t t = T0 - 5 * SEC; t <= end + 5 * SEC; t += 5 * SEC) {
		timeline_add(&tl, a, t, 100);
		timeline_add(&tl, b, t + 2 * SEC, 200);
	}
	timeline_finish(&tl);
	ck_assert_uint_eq(tl.nlines, 1);
	in = line_of(&tl, "Input");
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(in->role, ROLE_INPUT);
	for (int i = 0; i < tl.nbuckets; i++) {
		ck_assert_double_eq_tol(in->mean[i], 300, 1e-9);
		ck_assert_double_eq_tol(in->lo[i], 300, 1e-9);
		ck_assert_double_eq_tol(in->hi[i], 300, 1e-9);
	}
	for (int i = 0; i < tl.heat_buckets; i++) {
		ck_assert_double_eq_tol(tl.heat[i], 100, 1e-9);
		ck_assert_double_eq_tol(tl.heat[tl.heat_buckets + i], 200, 1e-9);
	}
	ck_assert_double_eq_tol(timeline_peak(&tl, ROLE_INPUT), 300, 1e-9);
	ck_assert(isnan(timeline_peak(&tl, ROLE_CPU)));
	timeline_free(&tl);
}
END_TEST

START_TEST(short_peak_survives_in_envelope)
{
	struct timeline tl;
	usec_t end = T0 + 24 * 3600 * SEC, spike = T0 + (12 * 3600 + 60) * SEC;
	const struct tl_line *cpu;
	int h, n = 0;

	timeline_init(&tl, T0, end, GAP, 1, names);
	h = timeline_series(&tl, 0, ROLE_CPU, "rpc-01", "");
	for (usec_t t = T0; t <= end; t += 5 * SEC)
		timeline_add(&tl, h, t, t == spike ? 1000 : 100);
	timeline_finish(&tl);
	cpu = line_of(&tl, "CPU");
	ck_assert_ptr_nonnull(cpu);
	for (int i = 0; i < tl.nbuckets; i++) {
		ck_assert_double_eq_tol(cpu->lo[i], 100, 1e-9);
		if (cpu->hi[i] > 999)
			n++;
		/* 2-minute buckets: the 10-second triangle barely moves the mean. */
		ck_assert(cpu->mean[i] < 200);
	}
	ck_assert_int_eq(n, 1);
	ck_assert_double_eq_tol(timeline_peak(&tl, ROLE_CPU), 1000, 1e-9);
	timeline_free(&tl);
}
END_TEST

START_TEST(long_holes_bridged_and_counted)
{
	struct timeline tl;
	usec_t end = T0 + 720 * 10 * SEC;	/* 10 s per chart bucket */
	const struct tl_line *in;
	int h;

	timeline_init(&tl, T0, end, GAP, 1, names);
	h = timeline_series(&tl, 0, ROLE_INPUT, "rpc-01", "");
	/* Samples every 10 s (below the threshold) for the first half hour,
	 * half an hour of silence, then every 5 s again. */
	for (usec_t t = T0; t <= T0 + 1800 * SEC; t += 10 * SEC)
		timeline_add(&tl, h, t, 50);
	feed_const(&tl, h, T0 + 3600 * SEC, end, 0, 70);
	timeline_finish(&tl);
	in = line_of(&tl, "Input");
	ck_assert_ptr_nonnull(in);
	for (int i = 0; i < 180; i++) {
		ck_assert_double_eq_tol(in->mean[i], 50, 1e-9);
		ck_assert_double_eq(tl.missing[i], 0);
	}
	/* The hole is bridged linearly, like the energy integrator does, and
	 * reported as missing; the heat row shows no data there. */
	for (int i = 180; i < 360; i++) {
		ck_assert_double_eq_tol(in->mean[i], 50 + 20 * (i + 0.5 - 180) / 180, 1e-6);
		ck_assert_double_eq_tol(tl.missing[i], 1, 1e-9);
	}
	for (int i = 60; i < 120; i++)
		ck_assert_msg(isnan(tl.heat[i]), "heat bucket %d inside the hole has data", i);
	for (int i = 360; i < 720; i++) {
		ck_assert_double_eq_tol(in->mean[i], 70, 1e-9);
		ck_assert_double_eq(tl.missing[i], 0);
	}
	timeline_free(&tl);
}
END_TEST

START_TEST(hole_of_one_node_no_dip_in_sum)
{
	struct timeline tl;
	usec_t end = T0 + 7200 * SEC;
	const struct tl_line *in;
	int a, b;

	timeline_init(&tl, T0, end, GAP, 2, names);
	a = timeline_series(&tl, 0, ROLE_INPUT, "rpc-01", "");
	b = timeline_series(&tl, 1, ROLE_INPUT, "rpc-02", "");
	for (usec_t t = T0; t <= end; t += 5 * SEC) {
		timeline_add(&tl, a, t, 100);
		if (t < T0 + 3000 * SEC || t > T0 + 3600 * SEC)
			timeline_add(&tl, b, t + SEC, 200);
	}
	timeline_finish(&tl);
	in = line_of(&tl, "Input");
	for (int i = 0; i < tl.nbuckets; i++)
		ck_assert_double_eq_tol(in->mean[i], 300, 1e-9);
	/* 10 s buckets: the hole covers buckets 300..359 for one of two series. */
	ck_assert_double_eq_tol(tl.missing[330], 0.5, 1e-9);
	ck_assert_double_eq(tl.missing[100], 0);
	ck_assert(isnan(tl.heat[tl.heat_buckets + 110]));
	ck_assert_double_eq_tol(tl.heat[110], 100, 1e-9);
	timeline_free(&tl);
}
END_TEST

START_TEST(sparse_samples_fill_heat_rows)
{
	struct timeline tl;
	usec_t end = T0 + 30 * 86400 * SEC;
	int h, cells = 0;

	/* One sample an hour against a 15 s threshold: every sample is
	 * isolated, yet each 3-hour heat cell has samples and shows them. */
	timeline_init(&tl, T0, end, GAP, 1, names);
	h = timeline_series(&tl, 0, ROLE_INPUT, "rpc-01", "");
	for (usec_t t = T0; t <= end; t += 3600 * SEC)
		timeline_add(&tl, h, t, 300);
	timeline_finish(&tl);
	for (int i = 0; i < tl.heat_buckets; i++) {
		ck_assert_double_eq_tol(tl.heat[i], 300, 1e-9);
		cells++;
	}
	ck_assert_int_eq(cells, TL_HEAT_BUCKETS);
	ck_assert_double_eq_tol(tl.lines[0].mean[100], 300, 1e-9);
	ck_assert(tl.missing[100] > 0.99);
	timeline_free(&tl);
}
END_TEST

START_TEST(out_of_order_and_nan_ignored)
{
	struct timeline tl;
	usec_t end = T0 + 600 * SEC;
	int h;

	timeline_init(&tl, T0, end, GAP, 1, names);
	h = timeline_series(&tl, 0, ROLE_FAN, "rpc-01", "");
	feed_const(&tl, h, T0, T0 + 300 * SEC, 0, 40);
	timeline_add(&tl, h, T0 + 100 * SEC, 9999);	/* earlier: skipped */
	timeline_add(&tl, h, T0 + 305 * SEC, NAN);
	timeline_add(&tl, -1, T0 + 305 * SEC, 9999);
	timeline_add(&tl, 7, T0 + 305 * SEC, 9999);
	feed_const(&tl, h, T0 + 305 * SEC, end, 0, 40);
	timeline_finish(&tl);
	ck_assert_double_eq_tol(timeline_peak(&tl, ROLE_FAN), 40, 1e-9);
	timeline_free(&tl);
}
END_TEST

START_TEST(gpu_line_per_gpu)
{
	struct timeline tl;
	usec_t end = T0 + 600 * SEC;
	char fqdd[32];
	int h[4];

	timeline_init(&tl, T0, end, GAP, 1, names);
	for (int g = 0; g < 4; g++) {
		snprintf(fqdd, sizeof fqdd, "Video.Slot.3%d-1", g);
		h[g] = timeline_series(&tl, 0, ROLE_GPU, "rpg-01", fqdd);
	}
	for (usec_t t = T0; t <= end; t += 5 * SEC)
		for (int g = 0; g < 4; g++)
			timeline_add(&tl, h[g], t, 100 * (g + 1));
	timeline_finish(&tl);
	ck_assert_uint_eq(tl.nlines, 4);
	ck_assert_str_eq(tl.lines[0].label, "GPU Video.Slot.30-1");
	ck_assert_str_eq(tl.lines[3].label, "GPU Video.Slot.33-1");
	ck_assert_double_eq_tol(tl.lines[2].mean[100], 300, 1e-9);
	/* The peak of GPU power is the job-wide sum of all GPUs. */
	ck_assert_double_eq_tol(timeline_peak(&tl, ROLE_GPU), 1000, 1e-9);
	timeline_free(&tl);
}
END_TEST

START_TEST(many_gpus_one_summed_line)
{
	struct timeline tl;
	usec_t end = T0 + 600 * SEC;
	const int ngpu = 3 * 4;
	int h[12];

	timeline_init(&tl, T0, end, GAP, 3, names);
	for (int g = 0; g < ngpu; g++)
		h[g] = timeline_series(&tl, g / 4, ROLE_GPU, names[g / 4], "Video.Slot");
	for (usec_t t = T0; t <= end; t += 5 * SEC)
		for (int g = 0; g < ngpu; g++)
			timeline_add(&tl, h[g], t, 250);
	timeline_finish(&tl);
	ck_assert_uint_eq(tl.nlines, 1);
	ck_assert_str_eq(tl.lines[0].label, "GPUs (12)");
	ck_assert_double_eq_tol(tl.lines[0].mean[0], 3000, 1e-9);
	ck_assert_double_eq_tol(tl.lines[0].hi[719], 3000, 1e-9);
	timeline_free(&tl);
}
END_TEST

START_TEST(node_without_data_has_empty_heat_row)
{
	struct timeline tl;
	usec_t end = T0 + 600 * SEC;
	int h;

	timeline_init(&tl, T0, end, GAP, 3, names);
	h = timeline_series(&tl, 1, ROLE_INPUT, "rpc-02", "");
	feed_const(&tl, h, T0, end, 0, 400);
	timeline_finish(&tl);
	for (int i = 0; i < tl.heat_buckets; i++) {
		ck_assert(isnan(tl.heat[i]));
		ck_assert_double_eq_tol(tl.heat[tl.heat_buckets + i], 400, 1e-9);
		ck_assert(isnan(tl.heat[2 * tl.heat_buckets + i]));
	}
	timeline_free(&tl);
}
END_TEST

START_TEST(degenerate_inputs)
{
	struct timeline tl;
	int h, n = 0;

	/* No samples at all: no lines, no peak. */
	timeline_init(&tl, T0, T0 + 60 * SEC, GAP, 1, names);
	timeline_series(&tl, 0, ROLE_INPUT, "rpc-01", "");
	timeline_finish(&tl);
	timeline_finish(&tl);
	ck_assert_uint_eq(tl.nlines, 0);
	ck_assert(isnan(timeline_peak(&tl, ROLE_INPUT)));
	timeline_free(&tl);

	/* One sample: held over the window (as the integrator does), all of
	 * it reported missing, one heat cell measured. */
	timeline_init(&tl, T0, T0 + 3600 * SEC, GAP, 1, names);
	h = timeline_series(&tl, 0, ROLE_INPUT, "rpc-01", "");
	timeline_add(&tl, h, T0 + 1800 * SEC, 321);
	timeline_finish(&tl);
	ck_assert_uint_eq(tl.nlines, 1);
	for (int i = 0; i < tl.nbuckets; i++) {
		ck_assert_double_eq(tl.lines[0].mean[i], 321);
		ck_assert_double_eq_tol(tl.missing[i], 1, 1e-9);
	}
	for (int i = 0; i < tl.heat_buckets; i++)
		n += !isnan(tl.heat[i]);
	ck_assert_int_eq(n, 1);
	ck_assert_double_eq(timeline_peak(&tl, ROLE_INPUT), 321);
	timeline_free(&tl);

	/* A one-second job between two samples, and an empty window. */
	timeline_init(&tl, T0, T0 + SEC, GAP, 1, names);
	h = timeline_series(&tl, 0, ROLE_MEMORY, "rpc-01", "");
	timeline_add(&tl, h, T0 - 2 * SEC, 10);
	timeline_add(&tl, h, T0 + 3 * SEC, 20);
	timeline_finish(&tl);
	ck_assert_uint_eq(tl.nlines, 1);
	ck_assert_double_eq_tol(tl.lines[0].mean[0], 14.0 + 0.5 / 720, 1e-3);
	ck_assert_double_eq_tol(tl.lines[0].hi[719], 16, 1e-6);
	timeline_free(&tl);

	timeline_init(&tl, T0, T0, GAP, 0, NULL);
	timeline_finish(&tl);
	ck_assert_uint_eq(tl.nlines, 0);
	timeline_free(&tl);
}
END_TEST

/* Gap thresholds per series: a 60 s series is not "missing" between its
 * samples once its threshold is set, while a late start judged only then
 * still counts as missing. */
START_TEST(gap_per_series)
{
	struct timeline tl;
	usec_t end = T0 + 3600 * SEC;
	double before = 0, after = 0;
	int a, b;

	timeline_init(&tl, T0, end, 0, 2, names);
	a = timeline_series(&tl, 0, ROLE_INPUT, "rpc-01", "");
	b = timeline_series(&tl, 1, ROLE_INPUT, "rpc-02", "");
	timeline_set_gap(&tl, a, 180 * SEC);
	for (usec_t t = T0; t <= end; t += 60 * SEC)
		timeline_add(&tl, a, t, 300);
	for (usec_t t = T0 + 600 * SEC; t <= end; t += 5 * SEC)	/* 10 min late */
		timeline_add(&tl, b, t, 200);
	timeline_set_gap(&tl, b, 15 * SEC);
	timeline_finish(&tl);
	for (int i = 0; i < tl.nbuckets; i++) {
		if (i < tl.nbuckets / 6 - 1)
			before += tl.missing[i];
		else if (i > tl.nbuckets / 6 + 1)
			after += tl.missing[i];
	}
	/* one of two series missing over the first 10 minutes, none after */
	ck_assert_double_eq_tol(before / (tl.nbuckets / 6 - 1), 0.5, 1e-6);
	ck_assert_double_eq_tol(after, 0, 1e-9);
	ck_assert_double_eq_tol(line_of(&tl, "Input")->mean[tl.nbuckets - 1], 500, 1e-9);
	timeline_free(&tl);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, gap_per_series);
	tcase_add_test(tc, sum_across_nodes_is_smooth);
	tcase_add_test(tc, short_peak_survives_in_envelope);
	tcase_add_test(tc, long_holes_bridged_and_counted);
	tcase_add_test(tc, hole_of_one_node_no_dip_in_sum);
	tcase_add_test(tc, sparse_samples_fill_heat_rows);
	tcase_add_test(tc, out_of_order_and_nan_ignored);
	tcase_add_test(tc, gpu_line_per_gpu);
	tcase_add_test(tc, many_gpus_one_summed_line);
	tcase_add_test(tc, node_without_data_has_empty_heat_row);
	tcase_add_test(tc, degenerate_inputs);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
