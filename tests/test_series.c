/*
 * test_series.c - energy integration of one power series checked against
 * values worked out by hand: window clipping and edge interpolation, edge
 * hold, gaps and coverage, bad samples, units.
 */
#include "testutil.h"

#include <math.h>

#include "series.h"

#define S(x) ((usec_t)llround((x) * 1e6))	/* seconds -> usec_t */
#define T0 S(1700000000)		/* a window start */
#define TOL 1e-6

/* A series of watts over [T0 + ws, T0 + we] (seconds), gap threshold 15 s. */
static void
setup(struct series *s, double ws, double we)
{
	series_init(s, "SystemInputPower", "PSU.Slot.1", "W", T0 + S(ws),
	    T0 + S(we), S(15));
}

/* Feed n samples at seconds t[i] with watts w[i], then finish. */
static void
feed(struct series *s, const double *t, const double *w, int n)
{
	for (int i = 0; i < n; i++)
		series_add(s, T0 + S(t[i]), w[i]);
	series_finish(s);
}

START_TEST(roles_and_units)
{
	ck_assert_int_eq(metric_role_of("SystemInputPower"), ROLE_INPUT);
	ck_assert_int_eq(metric_role_of("systemoutputpower"), ROLE_OUTPUT);
	ck_assert_int_eq(metric_role_of("TotalCPUPower"), ROLE_CPU);
	ck_assert_int_eq(metric_role_of("TOTALMEMORYPOWER"), ROLE_MEMORY);
	ck_assert_int_eq(metric_role_of("TotalStoragePower"), ROLE_STORAGE);
	ck_assert_int_eq(metric_role_of("TotalFanPower"), ROLE_FAN);
	ck_assert_int_eq(metric_role_of("PowerConsumption"), ROLE_GPU);
	ck_assert_int_eq(metric_role_of("CPUUsage"), ROLE_OTHER);
	ck_assert_str_eq(metric_role_label[ROLE_GPU], "GPU");
	ck_assert_str_eq(metric_role_label[ROLE_INPUT], "Input");

	ck_assert_double_eq(units_to_watts("W"), 1);
	ck_assert_double_eq(units_to_watts(" watts "), 1);
	ck_assert_double_eq(units_to_watts("Watt"), 1);
	ck_assert_double_eq(units_to_watts("mW"), 1e-3);
	ck_assert_double_eq(units_to_watts("MilliWatts"), 1e-3);
	ck_assert_double_eq(units_to_watts("kW"), 1e3);
	ck_assert_double_eq(units_to_watts("kilowatt"), 1e3);
	ck_assert_double_eq(units_to_watts("A"), 0);
	ck_assert_double_eq(units_to_watts(""), 0);
	ck_assert_double_eq(units_to_watts(NULL), 0);
	ck_assert_double_eq(units_to_watts("Watts per"), 0);
}
END_TEST

START_TEST(constant_power)
{
	struct series s;
	double t[13], w[13];

	for (int i = 0; i < 13; i++) {
		t[i] = 5.0 * i;
		w[i] = 300;
	}
	setup(&s, 0, 60);
	feed(&s, t, w, 13);
	ck_assert_double_eq_tol(s.energy_j, 300.0 * 60, TOL);
	ck_assert_double_eq_tol(s.coverage, 1.0, TOL);
	ck_assert_uint_eq(s.ngaps, 0);
	ck_assert_uint_eq(s.nsamples, 13);
	ck_assert_uint_eq(s.ninside, 13);
	ck_assert_double_eq(s.min_w, 300);
	ck_assert_double_eq(s.max_w, 300);
	ck_assert_int_eq(s.role, ROLE_INPUT);
	series_free(&s);
}
END_TEST

START_TEST(linear_ramp)
{
	struct series s;
	double t[11], w[11];

	/* p(t) = 100 + 10 t over [0, 100]: 100 * 100 + 5 * 100^2 */
	for (int i = 0; i < 11; i++) {
		t[i] = 10.0 * i;
		w[i] = 100 + 10 * t[i];
	}
	setup(&s, 0, 100);
	feed(&s, t, w, 11);
	ck_assert_double_eq_tol(s.energy_j, 10000 + 50000, TOL);
	ck_assert_double_eq(s.min_w, 100);
	ck_assert_double_eq(s.max_w, 1100);
	series_free(&s);
}
END_TEST

START_TEST(edges_between_samples)
{
	struct series s;
	/* Ramp p = 10 t sampled every 10 s from -10 to 110; window [3, 97].
	 * Exact: 5 (97^2 - 3^2) = 47000. */
	double t[13], w[13];

	for (int i = 0; i < 13; i++) {
		t[i] = -10 + 10.0 * i;
		w[i] = 10 * t[i];
	}
	setup(&s, 3, 97);
	feed(&s, t, w, 13);
	ck_assert_double_eq_tol(s.energy_j, 47000, TOL);
	ck_assert_double_eq_tol(s.coverage, 1.0, TOL);
	/* -10 and 110 are not the nearest samples outside the edges */
	ck_assert_uint_eq(s.nsamples, 11);
	ck_assert_uint_eq(s.ninside, 9);	/* 10, 20, ... 90 */
	ck_assert_double_eq(s.min_w, 100);
	ck_assert_double_eq(s.max_w, 900);
	series_free(&s);
}
END_TEST

START_TEST(edge_hold)
{
	struct series s;
	/* Samples 10..50 s in a [0, 60] window: 200 W held back to 0,
	 * 400 W held on to 60, ramp between. */
	double t[] = { 10, 20, 30, 40, 50 };
	double w[] = { 200, 250, 300, 350, 400 };

	setup(&s, 0, 60);
	feed(&s, t, w, 5);
	ck_assert_double_eq_tol(s.energy_j, 200 * 10 + 300 * 40 + 400 * 10, TOL);
	ck_assert_uint_eq(s.ngaps, 0);	/* 10 s is under the threshold */
	ck_assert_double_eq_tol(s.coverage, 1.0, TOL);
	series_free(&s);
}
END_TEST

START_TEST(edge_hold_gaps)
{
	struct series s;
	/* Samples only over [20, 40] of [0, 60]: both edges are gaps. */
	double t[] = { 20, 30, 40 };
	double w[] = { 100, 100, 200 };

	setup(&s, 0, 60);
	feed(&s, t, w, 3);
	ck_assert_double_eq_tol(s.energy_j,
	    100 * 20 + 100 * 10 + 150 * 10 + 200 * 20, TOL);
	ck_assert_uint_eq(s.ngaps, 2);
	ck_assert_int_eq(s.gaps[0].start, T0);
	ck_assert_int_eq(s.gaps[0].end, T0 + S(20));
	ck_assert_int_eq(s.gaps[1].start, T0 + S(40));
	ck_assert_int_eq(s.gaps[1].end, T0 + S(60));
	ck_assert_int_eq(s.gap_total, S(40));
	ck_assert_int_eq(s.covered, S(20));
	ck_assert_double_eq_tol(s.coverage, 20.0 / 60, TOL);
	series_free(&s);
}
END_TEST

START_TEST(all_before_window)
{
	struct series s;
	double t[] = { 0, 5, 10 };
	double w[] = { 100, 150, 120 };

	setup(&s, 100, 200);
	feed(&s, t, w, 3);
	ck_assert_double_eq_tol(s.energy_j, 120 * 100, TOL);	/* last held */
	ck_assert_uint_eq(s.ninside, 0);
	ck_assert_uint_eq(s.nsamples, 1);	/* only the last one before */
	ck_assert(isnan(s.min_w) && isnan(s.max_w));
	ck_assert_uint_eq(s.ngaps, 1);
	ck_assert_int_eq(s.gaps[0].start, T0 + S(100));
	ck_assert_int_eq(s.gaps[0].end, T0 + S(200));
	ck_assert_double_eq_tol(s.coverage, 0, TOL);
	series_free(&s);
}
END_TEST

START_TEST(all_after_window)
{
	struct series s;
	double t[] = { 300, 305 };
	double w[] = { 80, 500 };

	setup(&s, 100, 200);
	feed(&s, t, w, 2);
	ck_assert_double_eq_tol(s.energy_j, 80 * 100, TOL);	/* first held */
	ck_assert_uint_eq(s.ngaps, 1);
	ck_assert_double_eq_tol(s.coverage, 0, TOL);
	series_free(&s);
}
END_TEST

START_TEST(no_samples)
{
	struct series s;

	setup(&s, 0, 60);
	series_finish(&s);
	ck_assert_double_eq(s.energy_j, 0);
	ck_assert_double_eq(s.coverage, 0);
	ck_assert_uint_eq(s.ngaps, 1);
	ck_assert_int_eq(s.gap_total, S(60));
	ck_assert(isnan(s.min_w));
	series_free(&s);
}
END_TEST

START_TEST(single_sample)
{
	struct series s;
	double t[] = { 25 };
	double w[] = { 240 };

	setup(&s, 20, 30);
	feed(&s, t, w, 1);
	ck_assert_double_eq_tol(s.energy_j, 240 * 10, TOL);
	ck_assert_uint_eq(s.ngaps, 0);
	ck_assert_double_eq_tol(s.coverage, 1, TOL);
	ck_assert_uint_eq(s.ninside, 1);
	ck_assert_double_eq(s.min_w, 240);
	series_free(&s);
}
END_TEST

START_TEST(gaps_and_coverage)
{
	struct series s;
	/* 5 s sampling over [0, 100] with holes 20..50 and 70..90. */
	double t[] = { 0, 5, 10, 15, 20, 50, 55, 60, 65, 70, 90, 95, 100 };
	double w[13];

	for (int i = 0; i < 13; i++)
		w[i] = 100;
	setup(&s, 0, 100);
	feed(&s, t, w, 13);
	ck_assert_double_eq_tol(s.energy_j, 100 * 100, TOL);
	ck_assert_uint_eq(s.ngaps, 2);
	ck_assert_int_eq(s.gaps[0].start, T0 + S(20));
	ck_assert_int_eq(s.gaps[0].end, T0 + S(50));
	ck_assert_int_eq(s.gaps[1].start, T0 + S(70));
	ck_assert_int_eq(s.gaps[1].end, T0 + S(90));
	ck_assert_int_eq(s.gap_total, S(50));
	ck_assert_int_eq(s.gap_longest, S(30));
	ck_assert_double_eq_tol(s.coverage, 0.5, TOL);
	series_free(&s);
}
END_TEST

START_TEST(gap_clipped_to_window)
{
	struct series s;
	/* One segment -30..40 straddles the start of [0, 100]; the gap counts
	 * only from 0.  Samples every 10 s afterwards. */
	double t[] = { -30, 40, 50, 60, 70, 80, 90, 100 };
	double w[] = { 0, 700, 700, 700, 700, 700, 700, 700 };

	setup(&s, 0, 100);
	feed(&s, t, w, 8);
	/* p(0) = 300: trapezoid 0..40 = (300 + 700) / 2 * 40 */
	ck_assert_double_eq_tol(s.energy_j, 20000 + 700 * 60, TOL);
	ck_assert_uint_eq(s.ngaps, 1);
	ck_assert_int_eq(s.gaps[0].start, T0);
	ck_assert_int_eq(s.gaps[0].end, T0 + S(40));
	ck_assert_double_eq_tol(s.coverage, 0.6, TOL);
	series_free(&s);
}
END_TEST

START_TEST(many_gaps)
{
	struct series s;
	int n = 0;

	/* 40 gaps of 20 s: only the first SERIES_MAX_GAPS are listed. */
	setup(&s, 0, 800);
	for (int i = 0; i <= 40; i++, n++)
		series_add(&s, T0 + S(20 * i), 50);
	series_finish(&s);
	ck_assert_uint_eq(s.ngaps, 40);
	ck_assert_int_eq(s.gaps[SERIES_MAX_GAPS - 1].start,
	    T0 + S(20 * (SERIES_MAX_GAPS - 1)));
	ck_assert_int_eq(s.gap_total, S(800));
	ck_assert_double_eq_tol(s.coverage, 0, TOL);
	ck_assert_double_eq_tol(s.energy_j, 50 * 800, TOL);
	ck_assert_uint_eq(s.nsamples, n);
	series_free(&s);
}
END_TEST

START_TEST(duplicates_add_nothing)
{
	struct series s;
	double t[] = { 0, 10, 10, 10, 20 };
	double w[] = { 100, 100, 9999, 100, 100 };

	setup(&s, 0, 20);
	feed(&s, t, w, 5);
	ck_assert_double_eq_tol(s.energy_j, 2000, TOL);
	ck_assert_uint_eq(s.nduplicates, 2);
	ck_assert_uint_eq(s.nsamples, 3);
	ck_assert_double_eq(s.max_w, 100);
	series_free(&s);
}
END_TEST

START_TEST(nan_skipped)
{
	struct series s;
	double t[] = { 0, 5, 10, 15, 20 };
	double w[] = { 100, NAN, 100, NAN, 100 };

	setup(&s, 0, 20);
	feed(&s, t, w, 5);
	ck_assert_double_eq_tol(s.energy_j, 2000, TOL);
	ck_assert_uint_eq(s.nmissing, 2);
	ck_assert_uint_eq(s.nsamples, 3);
	ck_assert_uint_eq(s.ngaps, 0);
	series_free(&s);
}
END_TEST

START_TEST(unordered_skipped)
{
	struct series s;
	double t[] = { 0, 10, 5, 20 };
	double w[] = { 100, 100, 5000, 100 };

	setup(&s, 0, 20);
	feed(&s, t, w, 4);
	ck_assert_double_eq_tol(s.energy_j, 2000, TOL);
	ck_assert_uint_eq(s.nunordered, 1);
	ck_assert_uint_eq(s.nsamples, 3);
	series_free(&s);
}
END_TEST

START_TEST(unit_scaling)
{
	struct series mw, kw, unknown;

	series_init(&mw, "PowerConsumption", "Video.Slot.38-1", "mW", T0,
	    T0 + S(10), S(15));
	series_add(&mw, T0, 250000);	/* 250 W */
	series_add(&mw, T0 + S(10), 350000);
	series_finish(&mw);
	ck_assert_double_eq_tol(mw.energy_j, 3000, TOL);
	ck_assert_double_eq_tol(mw.max_w, 350, TOL);
	ck_assert_int_eq(mw.role, ROLE_GPU);

	series_init(&kw, "SystemInputPower", "", "kW", T0, T0 + S(10), S(15));
	series_add(&kw, T0, 1.5);
	series_add(&kw, T0 + S(10), 1.5);
	series_finish(&kw);
	ck_assert_double_eq_tol(kw.energy_j, 15000, TOL);

	series_init(&unknown, "SystemInputPower", "", "A", T0, T0 + S(10), S(15));
	series_add(&unknown, T0, 3);
	series_add(&unknown, T0 + S(10), 3);
	series_finish(&unknown);
	ck_assert_double_eq(unknown.scale, 0);
	ck_assert_double_eq(unknown.energy_j, 0);
	ck_assert(isnan(unknown.max_w));
	series_free(&mw);
	series_free(&kw);
	series_free(&unknown);
}
END_TEST

START_TEST(tiny_window_in_one_segment)
{
	struct series s;
	/* Ramp 0 -> 1000 W over 0..10 s; window [4.0, 4.5]:
	 * mean of p(4) = 400 and p(4.5) = 450 over 0.5 s. */
	double t[] = { 0, 10 };
	double w[] = { 0, 1000 };

	setup(&s, 4.0, 4.5);
	feed(&s, t, w, 2);
	ck_assert_double_eq_tol(s.energy_j, 425 * 0.5, TOL);
	ck_assert_uint_eq(s.ninside, 0);
	ck_assert_uint_eq(s.ngaps, 0);
	ck_assert_double_eq_tol(s.coverage, 1, TOL);
	series_free(&s);
}
END_TEST

START_TEST(subsecond_timestamps)
{
	struct series s;
	/* 250 ms sampling of p = 100 + 40 t over [0.1, 1.9] s, samples from
	 * 0 to 2 s: exact integral 100 * 1.8 + 20 * (1.9^2 - 0.1^2) = 252. */
	double t[9], w[9];

	for (int i = 0; i < 9; i++) {
		t[i] = 0.25 * i;
		w[i] = 100 + 40 * t[i];
	}
	setup(&s, 0.1, 1.9);
	feed(&s, t, w, 9);
	ck_assert_double_eq_tol(s.energy_j, 252, TOL);
	ck_assert_uint_eq(s.ninside, 7);
	series_free(&s);
}
END_TEST

/* Values no power meter gives are dropped and counted, never integrated:
 * the series reads as the clean 300 W it is. */
START_TEST(implausible_values_dropped)
{
	struct series s, gpu;
	double t[] = { 0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60 };
	double w[] = { 300, INFINITY, 300, 3.4e38, 300, 1e308, 300, 0x1p1023,
		300, -5e4, 300, -INFINITY, 300 };

	setup(&s, 0, 60);
	feed(&s, t, w, 13);
	ck_assert_double_eq_tol(s.energy_j, 300.0 * 60, TOL);
	ck_assert_uint_eq(s.nnonfinite, 2);
	ck_assert_uint_eq(s.nimplausible, 4);
	ck_assert_uint_eq(s.nsamples, 7);
	ck_assert_double_eq(s.max_w, 300);
	ck_assert_double_eq(s.min_w, 300);
	/* gaps are judged on the samples kept: 10 s holes, under 15 s */
	ck_assert_uint_eq(s.ngaps, 0);
	series_free(&s);

	/* 1.6 kW is more than any GPU draws; 20 kW is a node's limit */
	series_init(&gpu, "PowerConsumption", "Video.Slot.38-1", "kW", T0,
	    T0 + S(10), S(15));
	series_add(&gpu, T0, 0.7);
	series_add(&gpu, T0 + S(5), 1.6);
	series_add(&gpu, T0 + S(10), 0.7);
	series_finish(&gpu);
	ck_assert_uint_eq(gpu.nimplausible, 1);
	ck_assert_double_eq_tol(gpu.energy_j, 700.0 * 10, TOL);
	series_free(&gpu);
}
END_TEST

/* A stray row years away (year 9999, 1970) never stretches the
 * integration: only the nearest sample outside each edge, and only a few
 * minutes out, reaches into the window. */
START_TEST(far_rows_ignored)
{
	struct series s;
	/* 9999-01-01 and 1970 as offsets from T0 */
	double far_after = 253370764800.0 - 1700000000.0;
	double t[] = { -1700000000.0, 0, 5, 10, far_after };
	double w[] = { 5000, 100, 100, 100, 5000 };

	setup(&s, 0, 10);
	feed(&s, t, w, 5);
	ck_assert_double_eq_tol(s.energy_j, 100.0 * 10, TOL);
	ck_assert_uint_eq(s.nsamples, 3);
	series_free(&s);

	/* alone in the window's neighbourhood: 20 min before is too far, the
	 * window has no data */
	setup(&s, 0, 10);
	series_add(&s, T0 - S(1200), 100);
	series_add(&s, T0 + S(9999999), 100);
	series_finish(&s);
	ck_assert_uint_eq(s.nsamples, 0);
	ck_assert_double_eq(s.energy_j, 0);
	ck_assert_double_eq(s.coverage, 0);
	series_free(&s);

	/* 2 min before and after: both used, interpolated to the edges */
	setup(&s, 0, 10);
	series_add(&s, T0 - S(120), 100);
	series_add(&s, T0 + S(130), 100);
	series_add(&s, T0 + S(140), 900);
	series_finish(&s);
	ck_assert_uint_eq(s.nsamples, 2);
	ck_assert_double_eq_tol(s.energy_j, 1000, TOL);
	series_free(&s);
}
END_TEST

/* With no interval given, gaps are judged against the series' own median
 * spacing: a clean series at 5, 30 or 60 s is fully covered; a hole of
 * five intervals is a gap. */
START_TEST(interval_from_spacing)
{
	static const double steps[] = { 5, 30, 60 };

	for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
		struct series s;
		double step = steps[k];

		series_init(&s, "SystemInputPower", "", "W", T0, T0 + S(4 * 3600), 0);
		for (double t = 0; t <= 4 * 3600; t += step)
			if (t < 3600 || t >= 3600 + 5 * step)	/* one hole */
				series_add(&s, T0 + S(t), 250);
		series_finish(&s);
		ck_assert_int_eq(s.interval, S(step));
		ck_assert(s.interval_estimated);
		ck_assert_uint_eq(s.ngaps, 1);
		ck_assert_int_eq(s.gap_longest, S(6 * step));
		ck_assert_double_eq_tol(s.coverage, 1 - 6 * step / (4 * 3600), TOL);
		ck_assert_double_eq_tol(s.energy_j, 250.0 * 4 * 3600, 1e-3);
		series_free(&s);
	}
}
END_TEST

/* Irregular spacing (20..40 s, jittered) is not a string of gaps, and a
 * hole within the first spacings is found once the interval is known. */
START_TEST(interval_irregular)
{
	struct series s;
	double t = 0;
	int i = 0;

	series_init(&s, "SystemInputPower", "", "W", T0, T0 + S(3600), 0);
	while (t <= 3600) {
		series_add(&s, T0 + S(t), 250);
		t += i == 2 ? 600 : 20 + (i * 7) % 21;	/* a 10-min hole early */
		i++;
	}
	series_finish(&s);
	ck_assert(s.interval >= S(20) && s.interval <= S(40));
	ck_assert_uint_eq(s.ngaps, 1);
	ck_assert_int_eq(s.gap_longest, S(600));
	ck_assert(s.coverage > 0.8 && s.coverage < 0.85);
	series_free(&s);
}
END_TEST

START_TEST(float4_values)
{
	ck_assert_double_eq(float4_decimal((float)231.2), 231.2);
	ck_assert_double_eq(float4_decimal((float)0.1), 0.1);
	ck_assert_double_eq(float4_decimal((float)-12.75), -12.75);
	ck_assert_double_eq(float4_decimal(289), 289);
	/* float8 values and what float4 cannot write shortly stay as they are */
	ck_assert_double_eq(float4_decimal(231.2), 231.2);
	ck_assert_double_eq(float4_decimal(0.1), 0.1);
	ck_assert_double_eq(float4_decimal((float)3.4e38), (float)3.4e38);
	ck_assert(isinf(float4_decimal(INFINITY)));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("series");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, roles_and_units);
	tcase_add_test(tc, constant_power);
	tcase_add_test(tc, linear_ramp);
	tcase_add_test(tc, edges_between_samples);
	tcase_add_test(tc, edge_hold);
	tcase_add_test(tc, edge_hold_gaps);
	tcase_add_test(tc, all_before_window);
	tcase_add_test(tc, all_after_window);
	tcase_add_test(tc, no_samples);
	tcase_add_test(tc, single_sample);
	tcase_add_test(tc, gaps_and_coverage);
	tcase_add_test(tc, gap_clipped_to_window);
	tcase_add_test(tc, many_gaps);
	tcase_add_test(tc, duplicates_add_nothing);
	tcase_add_test(tc, nan_skipped);
	tcase_add_test(tc, unordered_skipped);
	tcase_add_test(tc, unit_scaling);
	tcase_add_test(tc, tiny_window_in_one_segment);
	tcase_add_test(tc, subsecond_timestamps);
	tcase_add_test(tc, implausible_values_dropped);
	tcase_add_test(tc, far_rows_ignored);
	tcase_add_test(tc, interval_from_spacing);
	tcase_add_test(tc, interval_irregular);
	tcase_add_test(tc, float4_values);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
