/*
 * test_units.c - the one rule for writing energy, power and percentages
 * (units.h): the unit from the largest figure, four significant digits,
 * the same decimals down a column, and percentages that never round up
 * across a threshold.
 */
#include "testutil.h"

#include <math.h>

#include "units.h"

#define KWH 3.6e6

static void
assert_energy(double kwh, double ref_kwh, const char *want)
{
	char buf[32];

	units_energy(kwh * KWH, ref_kwh * KWH, buf, sizeof buf);
	ck_assert_str_eq(buf, want);
}

START_TEST(energy_unit_and_digits)
{
	assert_energy(0.0082, 0.0082, "8.200 Wh");	/* was 0.008 kWh */
	assert_energy(0.8402, 0.8402, "840.2 Wh");
	assert_energy(9.843, 9.843, "9.843 kWh");
	assert_energy(3665.455, 3665.455, "3.665 MWh");	/* not 3665.5 / 3665 */
	assert_energy(0.0133, 0.8402, "13.3 Wh");	/* a column's decimals */
	assert_energy(0.99999, 0.99999, "1.000 kWh");	/* no "1000.0 Wh" */
	assert_energy(NAN, 1, "n/a");
}
END_TEST

/* A table: rows set unit and digits, unless the total would need five
 * integer digits. */
START_TEST(table_format)
{
	struct units_fmt f = units_energy_table_fmt(57.27 * KWH, 3665.456 * KWH);
	char buf[32];

	ck_assert_str_eq(f.unit, "kWh");
	units_number(3665.456 * KWH, f, buf, sizeof buf);
	ck_assert_str_eq(buf, "3665.46");
	f = units_energy_table_fmt(0.9 * KWH, 51.832 * KWH);	/* not 51832.0 Wh */
	ck_assert_str_eq(f.unit, "kWh");
	units_number(0.9 * KWH, f, buf, sizeof buf);
	ck_assert_str_eq(buf, "0.900");
	f = units_power_fmt(152986);
	ck_assert_str_eq(f.unit, "kW");
	f = units_power_fmt(9999);
	ck_assert_str_eq(f.unit, "W");
}
END_TEST

static void
assert_percent(double fraction, const char *want)
{
	char buf[16];

	units_percent(fraction, buf, sizeof buf);
	ck_assert_str_eq(buf, want);
}

START_TEST(percent_never_rounds_up)
{
	assert_percent(0.859, "85.9 %");	/* was "85%" */
	assert_percent(0.94996, "94.9 %");	/* not "95.0 %" against 95 % */
	assert_percent(0.99999, "99.9 %");
	assert_percent(1, "100 %");
	assert_percent(0, "0 %");
	assert_percent(0.0004, "< 0.1 %");
	assert_percent(NAN, "n/a");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, energy_unit_and_digits);
	tcase_add_test(tc, table_format);
	tcase_add_test(tc, percent_never_rounds_up);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
