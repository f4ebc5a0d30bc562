// sources: src/timefmt.c src/error.c
/*
 * fuzz_time.c - libFuzzer harness for the time parsers and formatters: the
 * fast ISO parser agrees with time_parse, an accepted time formats (in a
 * zone with DST) to text that parses back to the same instant, and any
 * 64-bit instant or duration formats without overflow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "timefmt.h"

/* Instants whose local date has a four-digit year. */
#define SAFE_MIN INT64_C(-62135596800000000)	/* 0001-01-01 */
#define SAFE_MAX INT64_C(253370764800000000)	/* 9998-12-31 */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (time_set_zone("America/Chicago") != PR_OK)
		abort();
	return 0;
}

static void
check_instant(usec_t t)
{
	char buf[40], dur[32];
	usec_t back;

	time_format_iso(t, buf);
	time_format_duration(t, dur, sizeof dur);
	(void)time_zone_abbrev(t);
	if (t > SAFE_MAX && t < INT64_C(999999999999) * USEC_PER_SEC) {
		/* Beyond year 9999: epoch seconds, which parse back too. */
		if (time_parse(buf, &back) != PR_OK || back != t)
			abort();
	}
	if (t < SAFE_MIN || t > SAFE_MAX)
		return;
	if (time_parse_iso(buf, strlen(buf), &back) != 0 || back != t)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	usec_t t = 0, fast = 0;
	int iso;

	memcpy(text, data, size);
	text[size] = '\0';
	iso = time_parse_iso((const char *)data, size, &fast);
	pr_errclear();
	if (time_parse(text, &t) == PR_OK) {
		check_instant(t);
		if (iso == 0 && fast != t)
			abort();
	} else if (iso == 0 && strlen(text) == size) {
		abort();	/* the fast parser accepted what time_parse refused */
	}
	if (size >= 8) {
		int64_t raw;

		memcpy(&raw, data, 8);
		check_instant(raw);
	}
	free(text);
	return 0;
}
