/*
 * test_breakdown.c - the per-node component breakdown and the job totals
 * (README.md, "How the numbers are computed") on series of constant power over a one-hour window,
 * where every energy is watts x 3600 s.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define T0 (INT64_C(1700000000) * USEC_PER_SEC)
#define HOUR (3600 * USEC_PER_SEC)
#define STEP (5 * USEC_PER_SEC)
#define GAP (15 * USEC_PER_SEC)
#define TOL 1e-6

static struct job job = { .start = T0, .end = T0 + HOUR };

/* Append a series of constant power (in units) sampled every 5 s over the
 * window, except over [hole_from, hole_to) seconds. */
static void
add_series_hole(struct node_result *n, const char *metric, const char *fqdd,
    const char *units, double value, int hole_from, int hole_to)
{
	struct series *s;

	n->series = realloc(n->series, (n->nseries + 1) * sizeof *n->series);
	s = &n->series[n->nseries++];
	series_init(s, metric, fqdd, units, job.start, job.end, GAP);
	for (usec_t t = job.start; t <= job.end; t += STEP) {
		usec_t sec = (t - job.start) / USEC_PER_SEC;
		if (sec > hole_from && sec < hole_to)
			continue;
		series_add(s, t, value);
	}
	series_finish(s);
}

static void
add_series(struct node_result *n, const char *metric, const char *fqdd,
    const char *units, double value)
{
	add_series_hole(n, metric, fqdd, units, value, 0, 0);
}

static struct node_result *
add_node(struct report *rep, const char *hostname)
{
	struct node_result *n;

	rep->nodes = realloc(rep->nodes, (rep->nnodes + 1) * sizeof *rep->nodes);
	n = &rep->nodes[rep->nnodes++];
	memset(n, 0, sizeof *n);
	n->hostname = strdup(hostname);
	n->database = strdup("zen4");
	return n;
}

static void
new_report(struct report *rep)
{
	static struct config cfg;

	if (cfg.rules == NULL)
		config_defaults(&cfg);
	memset(rep, 0, sizeof *rep);
	rep->job = &job;
	rep->cfg = &cfg;
}

/* Index of the first warning containing text, or -1. */
static int
find_warning(const struct strlist *l, const char *text)
{
	for (size_t i = 0; i < l->n; i++)
		if (strstr(l->v[i], text) != NULL)
			return (int)i;
	return -1;
}

/* Energy of w watts over the hour. */
#define WH(w) ((w) * 3600.0)

START_TEST(labels)
{
	ck_assert_str_eq(component_key[COMP_TOTAL], "total");
	ck_assert_str_eq(component_key[COMP_PSU_LOSS], "psu_loss");
	ck_assert_str_eq(component_key[COMP_OTHERS], "others");
	ck_assert_str_eq(component_label[COMP_FAN], "Fans");
	ck_assert_str_eq(component_label[COMP_GPU], "GPUs");
	ck_assert_str_eq(component_label[COMP_PSU_LOSS], "PSU loss");
}
END_TEST

START_TEST(full_node)
{
	struct report rep;
	struct node_result *n;

	new_report(&rep);
	n = add_node(&rep, "rpc-91-1");
	add_series(n, "SystemInputPower", "PSU.Slot.1", "W", 1000);
	add_series(n, "SystemOutputPower", "PSU.Slot.1", "W", 900);
	add_series(n, "TotalCPUPower", "", "W", 300);
	add_series(n, "TotalMemoryPower", "", "W", 100);
	add_series(n, "TotalStoragePower", "", "W", 20);
	add_series(n, "TotalFanPower", "", "W", 50);
	add_series(n, "CPUUsage", "", "%", 40);	/* not a component */
	report_breakdown(&rep);
	n = &rep.nodes[0];
	ck_assert(n->has_input);
	ck_assert(!n->parts_exceed_total);
	ck_assert_double_eq_tol(n->energy_j[COMP_TOTAL], WH(1000), TOL);
	ck_assert_double_eq_tol(n->energy_j[COMP_PSU_LOSS], WH(100), TOL);
	ck_assert_double_eq_tol(n->energy_j[COMP_CPU], WH(300), TOL);
	ck_assert_double_eq_tol(n->energy_j[COMP_MEMORY], WH(100), TOL);
	ck_assert_double_eq_tol(n->energy_j[COMP_STORAGE], WH(20), TOL);
	ck_assert_double_eq_tol(n->energy_j[COMP_FAN], WH(50), TOL);
	ck_assert_double_eq_tol(n->energy_j[COMP_GPU], 0, TOL);
	ck_assert_double_eq_tol(n->energy_j[COMP_OTHERS], WH(430), TOL);
	/* Only the unknown units of CPUUsage are worth a warning. */
	ck_assert_uint_eq(n->warnings.n, 1);
	ck_assert_int_ge(find_warning(&n->warnings, "CPUUsage has unknown units \"%\""), 0);
	ck_assert_double_eq_tol(rep.avg_power_w, 1000, TOL);
	ck_assert_double_eq_tol(rep.peak_power_w, 1000, TOL);
	ck_assert_uint_eq(rep.warnings.n, 0);
	report_free(&rep);
}
END_TEST

START_TEST(parts_exceed_total)
{
	struct report rep;
	struct node_result *n;

	new_report(&rep);
	n = add_node(&rep, "rpc-91-2");
	add_series(n, "SystemInputPower", "", "W", 500);
	add_series(n, "TotalCPUPower", "", "W", 400);
	add_series(n, "TotalMemoryPower", "", "W", 200);
	report_breakdown(&rep);
	ck_assert(rep.nodes[0].parts_exceed_total);
	ck_assert_double_eq_tol(rep.nodes[0].energy_j[COMP_TOTAL], WH(500), TOL);
	ck_assert_double_eq_tol(rep.nodes[0].energy_j[COMP_OTHERS], 0, TOL);
	/* 600 W and 500 W for an hour: 0.6 and 0.5 kWh */
	ck_assert_int_ge(find_warning(&rep.nodes[0].warnings,
	    "the components add up to 0.6 kWh, more than the 0.5 kWh"), 0);
	ck_assert_int_ge(find_warning(&rep.warnings,
	    "more than the input power: 1 of 1 node (rpc-91-2)"), 0);
	report_free(&rep);
}
END_TEST

START_TEST(missing_output)
{
	struct report rep;
	struct node_result *n;

	new_report(&rep);
	n = add_node(&rep, "rpc-91-3");
	add_series(n, "SystemInputPower", "", "W", 1000);
	add_series(n, "TotalCPUPower", "", "W", 300);
	report_breakdown(&rep);
	ck_assert_double_eq_tol(rep.nodes[0].energy_j[COMP_PSU_LOSS], 0, TOL);
	ck_assert_double_eq_tol(rep.nodes[0].energy_j[COMP_OTHERS], WH(700), TOL);
	ck_assert_uint_eq(rep.nodes[0].warnings.n, 0);
	report_free(&rep);
}
END_TEST

START_TEST(output_above_input)
{
	struct report rep;
	struct node_result *n;

	new_report(&rep);
	n = add_node(&rep, "rpc-91-4");
	add_series(n, "SystemInputPower", "", "W", 900);
	add_series(n, "SystemOutputPower", "", "W", 950);
	report_breakdown(&rep);
	ck_assert_double_eq_tol(rep.nodes[0].energy_j[COMP_PSU_LOSS], 0, TOL);
	ck_assert_double_eq_tol(rep.nodes[0].energy_j[COMP_OTHERS], WH(900), TOL);
	report_free(&rep);
}
END_TEST

START_TEST(missing_input)
{
	struct report rep;
	struct node_result *n;

	new_report(&rep);
	n = add_node(&rep, "rpc-91-5");
	add_series(n, "SystemOutputPower", "", "W", 900);
	add_series(n, "TotalCPUPower", "", "W", 300);
	add_series(n, "TotalMemoryPower", "", "W", 100);
	report_breakdown(&rep);
	n = &rep.nodes[0];
	ck_assert(!n->has_input);
	ck_assert_double_eq_tol(n->energy_j[COMP_TOTAL], WH(400), TOL);
	ck_assert_double_eq_tol(n->energy_j[COMP_PSU_LOSS], 0, TOL);
	ck_assert_double_eq_tol(n->energy_j[COMP_OTHERS], 0, TOL);
	ck_assert_int_ge(find_warning(&n->warnings, "no SystemInputPower"), 0);
	ck_assert_int_ge(find_warning(&rep.warnings,
	    "no SystemInputPower, totals are the sum of the measured "
	    "components: 1 of 1 node (rpc-91-5)"), 0);
	ck_assert(isnan(rep.peak_power_w));
	report_free(&rep);
}
END_TEST

START_TEST(four_gpus)
{
	struct report rep;
	struct node_result *n;
	char fqdd[32];

	new_report(&rep);
	n = add_node(&rep, "rpg-93-1");
	add_series(n, "SystemInputPower", "", "W", 3000);
	add_series(n, "SystemOutputPower", "", "W", 2800);
	add_series(n, "TotalCPUPower", "", "W", 400);
	for (int g = 0; g < 4; g++) {
		snprintf(fqdd, sizeof fqdd, "Video.Slot.%d-1", 38 + g);
		add_series(n, "PowerConsumption", fqdd, "mW", 350000 + 10000 * g);
	}
	report_breakdown(&rep);
	n = &rep.nodes[0];
	ck_assert_double_eq_tol(n->energy_j[COMP_GPU], WH(350 + 360 + 370 + 380), TOL);
	ck_assert_double_eq_tol(n->energy_j[COMP_PSU_LOSS], WH(200), TOL);
	ck_assert_double_eq_tol(n->energy_j[COMP_OTHERS],
	    WH(3000 - 200 - 400 - 1460), TOL);
	/* Each GPU stays its own series. */
	ck_assert_double_eq_tol(n->series[6].energy_j, WH(380), TOL);
	ck_assert_uint_eq(n->warnings.n, 0);
	report_free(&rep);
}
END_TEST

START_TEST(same_gpu_names_on_two_nodes)
{
	struct report rep;
	struct node_result *a, *b;
	char fqdd[32];

	new_report(&rep);
	add_node(&rep, "rpg-93-1");
	add_node(&rep, "rpg-93-2");
	a = &rep.nodes[0];	/* after the last realloc */
	b = &rep.nodes[1];
	add_series(a, "SystemInputPower", "", "W", 2500);
	add_series(b, "SystemInputPower", "", "W", 2000);
	for (int g = 0; g < 4; g++) {
		snprintf(fqdd, sizeof fqdd, "Video.Slot.%d-1", 38 + g);
		add_series(a, "PowerConsumption", fqdd, "mW", 400000);
		add_series(b, "PowerConsumption", fqdd, "mW", 300000);
	}
	report_breakdown(&rep);
	ck_assert_double_eq_tol(rep.nodes[0].energy_j[COMP_GPU], WH(1600), TOL);
	ck_assert_double_eq_tol(rep.nodes[1].energy_j[COMP_GPU], WH(1200), TOL);
	ck_assert_double_eq_tol(rep.energy_j[COMP_GPU], WH(2800), TOL);
	ck_assert_double_eq_tol(rep.energy_j[COMP_TOTAL], WH(4500), TOL);
	ck_assert_double_eq_tol(rep.energy_j[COMP_OTHERS], WH(900 + 800), TOL);
	ck_assert_double_eq_tol(rep.avg_power_w, 4500, TOL);
	ck_assert_double_eq_tol(rep.peak_power_w, 2500, TOL);
	report_free(&rep);
}
END_TEST

START_TEST(job_totals)
{
	struct report rep;
	struct node_result *n;

	new_report(&rep);
	for (int i = 0; i < 3; i++) {
		char host[16];
		snprintf(host, sizeof host, "rpc-91-%d", i + 1);
		n = add_node(&rep, host);
		add_series(n, "SystemInputPower", "", "W", 500 + 100 * i);
		add_series(n, "SystemOutputPower", "", "W", 450 + 100 * i);
		add_series(n, "TotalCPUPower", "", "W", 200);
		add_series(n, "TotalFanPower", "", "W", 30);
	}
	report_breakdown(&rep);
	ck_assert_double_eq_tol(rep.energy_j[COMP_TOTAL], WH(1800), TOL);
	ck_assert_double_eq_tol(rep.energy_j[COMP_PSU_LOSS], WH(150), TOL);
	ck_assert_double_eq_tol(rep.energy_j[COMP_CPU], WH(600), TOL);
	ck_assert_double_eq_tol(rep.energy_j[COMP_FAN], WH(90), TOL);
	ck_assert_double_eq_tol(rep.energy_j[COMP_OTHERS],
	    WH(1800 - 150 - 600 - 90), TOL);
	ck_assert_double_eq_tol(rep.avg_power_w, 1800, TOL);
	ck_assert_double_eq_tol(rep.peak_power_w, 700, TOL);
	ck_assert_uint_eq(rep.warnings.n, 0);
	report_free(&rep);
}
END_TEST

START_TEST(several_series_of_one_role)
{
	struct report rep;
	struct node_result *n;

	new_report(&rep);
	n = add_node(&rep, "rpc-91-1");
	add_series(n, "SystemInputPower", "PSU.Slot.1", "W", 400);
	add_series(n, "SystemInputPower", "PSU.Slot.2", "W", 350);
	add_series(n, "TotalCPUPower", "CPU.Socket.1", "W", 150);
	add_series(n, "TotalCPUPower", "CPU.Socket.2", "W", 140);
	report_breakdown(&rep);
	ck_assert_double_eq_tol(rep.nodes[0].energy_j[COMP_TOTAL], WH(750), TOL);
	ck_assert_double_eq_tol(rep.nodes[0].energy_j[COMP_CPU], WH(290), TOL);
	ck_assert_double_eq_tol(rep.nodes[0].energy_j[COMP_OTHERS], WH(460), TOL);
	report_free(&rep);
}
END_TEST

START_TEST(nodes_without_data)
{
	struct report rep;
	struct node_result *n;

	new_report(&rep);
	n = add_node(&rep, "rpc-91-1");
	add_series(n, "SystemInputPower", "", "W", 400);
	add_node(&rep, "rpc-91-2");
	n = add_node(&rep, "login1");
	free(n->database);
	n->database = NULL;
	report_breakdown(&rep);
	for (size_t i = 1; i < 3; i++) {
		for (int c = 0; c < COMP_N; c++)
			ck_assert_double_eq(rep.nodes[i].energy_j[c], 0);
		ck_assert(!rep.nodes[i].has_input);
		ck_assert_uint_eq(rep.nodes[i].warnings.n, 1);
	}
	ck_assert_int_ge(find_warning(&rep.nodes[1].warnings, "no power data"), 0);
	ck_assert_int_ge(find_warning(&rep.nodes[2].warnings, "no telemetry source"), 0);
	ck_assert_int_ge(find_warning(&rep.warnings,
	    "no power data: 2 of 3 nodes (rpc-91-2, login1)"), 0);
	ck_assert_double_eq_tol(rep.energy_j[COMP_TOTAL], WH(400), TOL);
	report_free(&rep);
}
END_TEST

START_TEST(coverage_warning)
{
	struct report rep;
	struct node_result *n;

	new_report(&rep);
	n = add_node(&rep, "rpc-91-1");
	/* Samples at 0..1000 s and 2080..3600 s: one 1080 s gap. */
	add_series_hole(n, "SystemInputPower", "", "W", 400, 1000, 2080);
	add_series_hole(n, "TotalCPUPower", "", "W", 100, 3000, 3020);
	report_breakdown(&rep);
	ck_assert_double_eq_tol(n->series[0].coverage, 0.7, TOL);
	ck_assert_int_ge(find_warning(&n->warnings,
	    "SystemInputPower covers 70% of the window (1 gap, longest 18 min)"), 0);
	ck_assert_int_ge(find_warning(&n->warnings,
	    "TotalCPUPower covers 99% of the window (1 gap, longest 20 s)"), 0);
	ck_assert_double_eq_tol(n->energy_j[COMP_TOTAL], WH(400), TOL);
	report_free(&rep);
}
END_TEST

START_TEST(shared_gaps_one_warning)
{
	struct report rep;
	struct node_result *n;

	new_report(&rep);
	n = add_node(&rep, "rpc-91-1");
	/* The node stopped reporting for 4 min: every series has the gap. */
	add_series_hole(n, "SystemInputPower", "", "W", 400, 600, 840);
	add_series_hole(n, "SystemOutputPower", "", "W", 380, 600, 840);
	add_series_hole(n, "TotalCPUPower", "", "W", 100, 600, 840);
	add_series_hole(n, "CPUUsage", "", "%", 50, 0, 0);
	report_breakdown(&rep);
	ck_assert_uint_eq(n->warnings.n, 2);
	ck_assert_str_eq(n->warnings.v[0], "all 3 series of this node cover "
	    "93% of the window (1 gap, longest 4 min)");
	ck_assert_int_ge(find_warning(&n->warnings, "CPUUsage has unknown units"), 0);
	report_free(&rep);
}
END_TEST

START_TEST(low_coverage_without_gaps)
{
	struct report rep;
	struct node_result *n;
	struct series *s;

	/* A window of zero length has no gaps and no coverage. */
	new_report(&rep);
	n = add_node(&rep, "rpc-91-1");
	n->series = calloc(1, sizeof *n->series);
	n->nseries = 1;
	s = &n->series[0];
	series_init(s, "SystemInputPower", "", "W", T0, T0, GAP);
	series_add(s, T0, 100);
	series_finish(s);
	report_breakdown(&rep);
	ck_assert_int_ge(find_warning(&n->warnings,
	    "SystemInputPower covers 0% of the window"), 0);
	ck_assert_int_lt(find_warning(&n->warnings, "gap"), 0);
	report_free(&rep);
}
END_TEST

/* The banner: a silent node and thin input coverage in one sentence each
 * while few, one sentence for all of them when many; nothing for a
 * well-covered job.  A silent node is unknown (has_data false) and not in
 * the node-hours. */
START_TEST(banner_sentences)
{
	struct report rep;
	struct node_result *n;
	char name[32];

	new_report(&rep);
	n = add_node(&rep, "rpc-91-1");
	add_series_hole(n, "SystemInputPower", "", "W", 400, 600, 1800);	/* 67 % */
	add_node(&rep, "rpc-91-2");
	n = add_node(&rep, "rpc-91-3");
	add_series_hole(n, "SystemInputPower", "", "W", 400, 600, 700);	/* 97 % */
	report_breakdown(&rep);
	report_key_figures(&rep);
	ck_assert(!rep.nodes[1].has_data);
	ck_assert_uint_eq(rep.banner.n, 2);
	ck_assert_str_eq(rep.banner.v[0], "34% of the window on rpc-91-1 is "
	    "interpolated across gaps.");
	ck_assert_str_eq(rep.banner.v[1], "rpc-91-2 sent no telemetry; its energy "
	    "is not in the total.");
	ck_assert_double_eq_tol(rep.node_hours, 2, TOL);
	ck_assert_double_eq_tol(rep.kwh_per_node_hour, 0.4, TOL);
	report_free(&rep);

	new_report(&rep);
	for (int i = 0; i < 6; i++) {
		snprintf(name, sizeof name, "rpc-%d", i);
		n = add_node(&rep, name);
		if (i > 0)
			add_series(n, "SystemInputPower", "", "W", 400);
	}
	for (int i = 6; i < 12; i++) {
		snprintf(name, sizeof name, "rpc-%d", i);
		add_node(&rep, name);
	}
	report_breakdown(&rep);
	ck_assert_uint_eq(rep.banner.n, 1);
	ck_assert_str_eq(rep.banner.v[0], "7 of 12 nodes sent no telemetry; their "
	    "energy is not in the total.");
	report_free(&rep);

	new_report(&rep);
	add_series(add_node(&rep, "rpc-91-1"), "SystemInputPower", "", "W", 400);
	report_breakdown(&rep);
	ck_assert_uint_eq(rep.banner.n, 0);
	report_free(&rep);
}
END_TEST

/* Dropped values show up in the node's warnings with their count. */
START_TEST(dropped_values_warned)
{
	struct report rep;
	struct node_result *n;
	struct series *s;

	new_report(&rep);
	n = add_node(&rep, "rpg-93-1");
	add_series(n, "SystemInputPower", "", "W", 900);
	n->series = realloc(n->series, 2 * sizeof *n->series);
	s = &n->series[n->nseries++];
	series_init(s, "PowerConsumption", "Video.Slot.38-1", "W", job.start, job.end, GAP);
	series_add(s, job.start, 300);
	series_add(s, job.start + STEP, INFINITY);
	series_add(s, job.start + 2 * STEP, 3.4e38);
	series_add(s, job.start + 3 * STEP, -5e4);
	series_add(s, job.end, 300);
	series_finish(s);
	report_breakdown(&rep);
	ck_assert_int_ge(find_warning(&rep.nodes[0].warnings, "PowerConsumption "
	    "(Video.Slot.38-1): 1 value not finite and 2 outside 0-1500 W dropped "
	    "as implausible"), 0);
	ck_assert_double_eq_tol(rep.nodes[0].energy_j[COMP_GPU], WH(300), TOL);
	report_free(&rep);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("breakdown");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, banner_sentences);
	tcase_add_test(tc, dropped_values_warned);
	tcase_add_test(tc, labels);
	tcase_add_test(tc, full_node);
	tcase_add_test(tc, parts_exceed_total);
	tcase_add_test(tc, missing_output);
	tcase_add_test(tc, output_above_input);
	tcase_add_test(tc, missing_input);
	tcase_add_test(tc, four_gpus);
	tcase_add_test(tc, same_gpu_names_on_two_nodes);
	tcase_add_test(tc, job_totals);
	tcase_add_test(tc, several_series_of_one_role);
	tcase_add_test(tc, nodes_without_data);
	tcase_add_test(tc, coverage_warning);
	tcase_add_test(tc, shared_gaps_one_warning);
	tcase_add_test(tc, low_coverage_without_gaps);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
