/*
 * test_timefmt.c - time parsing (epoch, ISO 8601 with every offset form),
 * DST-correct formatting in real zones (America/Chicago on both 2026
 * transitions, Australia/Lord_Howe's 30-minute DST, Asia/Kolkata's +05:30),
 * zone selection and durations.
 */
#include "testutil.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "error.h"
#include "timefmt.h"

#define T(s) ((usec_t)(s) * USEC_PER_SEC)

static usec_t
parsed(const char *text)
{
	usec_t t = -1;

	pr_errclear();
	ck_assert_msg(time_parse(text, &t) == PR_OK, "%s: %s", text,
	    pr_errmsg());
	return t;
}

static void
check_refused(const char *text, const char *word)
{
	usec_t t = 0;

	pr_errclear();
	ck_assert_msg(time_parse(text, &t) == PR_EUSAGE, "%s accepted", text);
	ck_assert_msg(strstr(pr_errmsg(), word) != NULL, "%s: \"%s\" lacks "
	    "\"%s\"", text, pr_errmsg(), word);
	ck_assert_int_eq(time_parse_iso(text, strlen(text), &t), -1);
}

static void
check_format(usec_t t, const char *want)
{
	char buf[40];
	size_t n = time_format_iso(t, buf);

	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(n, strlen(want));
	/* What we print parses back to the same instant. */
	ck_assert_int_eq(parsed(buf), t);
}

START_TEST(parse_epoch)
{
	ck_assert_int_eq(parsed("1700000000"), T(1700000000));
	ck_assert_int_eq(parsed("1700000000.5"), T(1700000000) + 500000);
	ck_assert_int_eq(parsed(" 1700000000.000001 "), T(1700000000) + 1);
	ck_assert_int_eq(parsed("0"), 0);
	check_refused("1700000000.", "not a time");
	check_refused("17e8", "not a time");
	check_refused("-5", "not a time");
	check_refused("", "not a time");
	check_refused("1234567890123", "not a time");
}
END_TEST

START_TEST(parse_iso_offsets)
{
	usec_t want = T(1795251605);	/* 2026-11-21T09:00:05Z */

	ck_assert_int_eq(parsed("2026-11-21T10:00:05+01:00"), want);
	ck_assert_int_eq(parsed("2026-11-21T10:00:05+0100"), want);
	ck_assert_int_eq(parsed("2026-11-21T10:00:05+01"), want);
	ck_assert_int_eq(parsed("2026-11-21 09:00:05Z"), want);
	ck_assert_int_eq(parsed("2026-11-21t09:00:05z"), want);
	ck_assert_int_eq(parsed("2026-11-21T03:00:05-06:00"), want);
	ck_assert_int_eq(parsed("2026-11-21T14:30:05+05:30"), want);
	ck_assert_int_eq(parsed("2026-11-21 09:00:05.25Z"), want + 250000);
	ck_assert_int_eq(parsed("2026-11-21 09:00:05.123456789Z"),
	    want + 123456);
	ck_assert_int_eq(parsed("1970-01-01T00:00:00Z"), 0);
	ck_assert_int_eq(parsed("2024-02-29T00:00:00Z"), T(1709164800));
	ck_assert_int_eq(parsed("1969-12-31T23:59:59Z"), T(-1));
}
END_TEST

START_TEST(parse_iso_refused)
{
	check_refused("2026-11-21T10:00:05", "add Z or an offset");
	check_refused("2026-11-21 10:00:05.5", "add Z or an offset");
	check_refused("2026-02-29T10:00:00Z", "no such date");
	check_refused("2026-13-01T10:00:00Z", "no such date");
	check_refused("2026-11-21T24:00:00Z", "no such time");
	check_refused("2026-11-21T10:60:00Z", "no such time");
	check_refused("2026-11-21T10:00:60Z", "no such time");
	check_refused("2026-11-21", "no time of day");
	check_refused("2026-11-21T10:00Z", "not a time hh:mm:ss");
	check_refused("2026-11-21T10:00:05+1", "offset");
	check_refused("2026-11-21T10:00:05+24:00", "offset");
	check_refused("2026-11-21T10:00:05+01:60", "offset");
	check_refused("2026-11-21T10:00:05Zjunk", "unexpected text");
	check_refused("2026-11-21T10:00:05.Z", "no digits after");
	check_refused("2026-11-21T10:00:05 +01:00", "unexpected text");
	check_refused("tomorrow", "not a time");
}
END_TEST

START_TEST(parse_iso_uses_len)
{
	const char *row = "2026-11-21T09:00:05Z,rpc-91-1,1,2,250.0";
	usec_t t = 0;

	ck_assert_int_eq(time_parse_iso(row, 20, &t), 0);
	ck_assert_int_eq(t, T(1795251605));
	ck_assert_int_eq(time_parse_iso(row, 19, &t), -1);
	ck_assert_int_eq(time_parse_iso(row, 21, &t), -1);
	ck_assert_int_eq(time_parse_iso(row, 0, &t), -1);
}
END_TEST

START_TEST(zone_selection)
{
	ck_assert_int_eq(time_set_zone("UTC"), PR_OK);
	check_format(T(1795251605), "2026-11-21T09:00:05+00:00");
	ck_assert_str_eq(time_zone_abbrev(0), "UTC");
	pr_errclear();
	ck_assert_int_eq(time_set_zone("Mars/Olympus_Mons"), PR_ECONFIG);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "Mars/Olympus_Mons"));
	pr_errclear();
	ck_assert_int_eq(time_set_zone("../../etc/passwd"), PR_ECONFIG);
	pr_errclear();
	ck_assert_int_eq(time_set_zone("/etc/passwd"), PR_ECONFIG);
	pr_errclear();
	ck_assert_int_eq(time_set_zone("America"), PR_ECONFIG);	/* a dir */
	pr_errclear();
	ck_assert_int_eq(time_set_zone("zone.tab"), PR_ECONFIG);	/* not TZif */
	/* Still UTC after the refusals; NULL and "" keep the zone. */
	ck_assert_int_eq(time_set_zone(NULL), PR_OK);
	ck_assert_int_eq(time_set_zone(""), PR_OK);
	ck_assert_int_eq(time_utc_offset(T(1795251605)), 0);
}
END_TEST

/* Zones come from TZDIR when it is set (for us and for the C library). */
START_TEST(zone_from_tzdir)
{
	char *dir = tu_tmpdir(), *sub = xasprintf("%s/My", dir);
	char *zone = xasprintf("%s/Zone", sub), data[65536];
	FILE *in = fopen("/usr/share/zoneinfo/Asia/Kolkata", "rb"), *out;
	size_t len;

	/* A binary copy (the zone file holds NUL bytes). */
	ck_assert_ptr_nonnull(in);
	len = fread(data, 1, sizeof data, in);
	fclose(in);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	out = fopen(zone, "wb");
	ck_assert_uint_eq(fwrite(data, 1, len, out), len);
	fclose(out);
	setenv("TZDIR", dir, 1);
	ck_assert_int_eq(time_set_zone("My/Zone"), PR_OK);
	ck_assert_int_eq(time_utc_offset(T(1795251605)), 19800);
	pr_errclear();
	ck_assert_int_eq(time_set_zone("America/Chicago"), PR_ECONFIG);
	unsetenv("TZDIR");
	tu_rmrf(dir);
	free(zone);
	free(sub);
	free(dir);
}
END_TEST

START_TEST(chicago_dst)
{
	ck_assert_int_eq(time_set_zone("America/Chicago"), PR_OK);
	/* Spring forward: 2026-03-08 02:00 CST -> 03:00 CDT (08:00Z). */
	check_format(parsed("2026-03-08T07:59:59Z"),
	    "2026-03-08T01:59:59-06:00");
	check_format(parsed("2026-03-08T08:00:00Z"),
	    "2026-03-08T03:00:00-05:00");
	ck_assert_str_eq(time_zone_abbrev(parsed("2026-03-08T07:59:59Z")),
	    "CST");
	ck_assert_str_eq(time_zone_abbrev(parsed("2026-03-08T08:00:00Z")),
	    "CDT");
	/* Fall back: 2026-11-01 02:00 CDT -> 01:00 CST (07:00Z); the hour
	 * 01:00-02:00 happens twice and the offset tells them apart. */
	check_format(parsed("2026-11-01T06:30:00Z"),
	    "2026-11-01T01:30:00-05:00");
	check_format(parsed("2026-11-01T06:59:59.999999Z"),
	    "2026-11-01T01:59:59.999999-05:00");
	check_format(parsed("2026-11-01T07:30:00Z"),
	    "2026-11-01T01:30:00-06:00");
	ck_assert_int_eq(time_utc_offset(parsed("2026-11-01T06:59:59Z")),
	    -5 * 3600);
	ck_assert_int_eq(time_utc_offset(parsed("2026-11-01T07:00:00Z")),
	    -6 * 3600);
}
END_TEST

START_TEST(lord_howe_half_hour_dst)
{
	ck_assert_int_eq(time_set_zone("Australia/Lord_Howe"), PR_OK);
	/* DST ends 2026-04-05 02:00 +11:00 -> 01:30 +10:30 (15:00Z). */
	check_format(parsed("2026-04-04T14:59:59Z"),
	    "2026-04-05T01:59:59+11:00");
	check_format(parsed("2026-04-04T15:00:00Z"),
	    "2026-04-05T01:30:00+10:30");
	/* DST starts 2026-10-04 02:00 +10:30 -> 02:30 +11:00 (15:30Z). */
	check_format(parsed("2026-10-03T15:29:59Z"),
	    "2026-10-04T01:59:59+10:30");
	check_format(parsed("2026-10-03T15:30:00Z"),
	    "2026-10-04T02:30:00+11:00");
}
END_TEST

START_TEST(kolkata)
{
	ck_assert_int_eq(time_set_zone("Asia/Kolkata"), PR_OK);
	check_format(T(1795251605), "2026-11-21T14:30:05+05:30");
	check_format(T(1795251605) + 1, "2026-11-21T14:30:05.000001+05:30");
	ck_assert_str_eq(time_zone_abbrev(T(1795251605)), "IST");
	ck_assert_int_eq(time_utc_offset(T(1795251605)), 19800);
}
END_TEST

START_TEST(format_before_1970)
{
	ck_assert_int_eq(time_set_zone("UTC"), PR_OK);
	check_format(T(-1), "1969-12-31T23:59:59+00:00");
	check_format(-1, "1969-12-31T23:59:59.999999+00:00");
	check_format(parsed("2000-02-29T12:00:00Z"),
	    "2000-02-29T12:00:00+00:00");
	/* No four-digit year: epoch seconds, still readable. */
	check_format(T(400000000000) + 5, "400000000000.000005");
}
END_TEST

/* The cached offset agrees with localtime_r all through 2026 (every 599 s,
 * so every position inside the 15-minute slots is visited) in zones with
 * hour, half-hour and no DST. */
START_TEST(offset_cache_matches_libc)
{
	static const char *zones[] = { "America/Chicago",
	    "Australia/Lord_Howe", "Asia/Kolkata", "Europe/Berlin" };

	for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
		ck_assert_int_eq(time_set_zone(zones[z]), PR_OK);
		for (int64_t s = 1767225600; s < 1767225600 + 365 * 86400;
		    s += 599) {
			time_t tt = (time_t)s;
			struct tm tm;

			localtime_r(&tt, &tm);
			ck_assert_int_eq(time_utc_offset(T(s)), tm.tm_gmtoff);
		}
	}
}
END_TEST

static void
check_duration(usec_t d, const char *want)
{
	char buf[32];

	time_format_duration(d, buf, sizeof buf);
	ck_assert_str_eq(buf, want);
}

START_TEST(durations)
{
	check_duration(0, "0 s");
	check_duration(500000, "0.5 s");
	check_duration(T(42), "42 s");
	check_duration(T(59) + 600000, "1 min");
	check_duration(T(90), "1 min 30 s");
	check_duration(T(3600), "1 h");
	check_duration(T(3 * 3600 + 25 * 60), "3 h 25 min");
	check_duration(T(2 * 86400 + 4 * 3600), "2 d 4 h");
	check_duration(T(2 * 86400 + 59), "2 d");
	check_duration(-T(90), "-1 min 30 s");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("timefmt");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_epoch);
	tcase_add_test(tc, parse_iso_offsets);
	tcase_add_test(tc, parse_iso_refused);
	tcase_add_test(tc, parse_iso_uses_len);
	tcase_add_test(tc, zone_selection);
	tcase_add_test(tc, zone_from_tzdir);
	tcase_add_test(tc, chicago_dst);
	tcase_add_test(tc, lord_howe_half_hour_dst);
	tcase_add_test(tc, kolkata);
	tcase_add_test(tc, format_before_1970);
	tcase_add_test(tc, offset_cache_matches_libc);
	tcase_add_test(tc, durations);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
