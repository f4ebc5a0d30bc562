// sources: src/cpu_efficiency.c src/sacct.c src/strlist.c src/error.c src/strbuf.c
/*
 * fuzz_sacct.c - libFuzzer harness for the CPU efficiency's reading of a
 * sacct line: any input gives either a figure in [0, 1.05] and no note, or
 * no figure (NAN) and exactly one note; a TotalCPU the parser takes is a
 * finite number of seconds that sacct's own format, printed back, gives
 * again.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_efficiency.h"

/* seconds as sacct prints TotalCPU, milliseconds always. */
static void
sacct_format(double seconds, char *buf, size_t size)
{
	long long ms = llround(seconds * 1000), s = ms / 1000;

	if (s >= 86400)
		snprintf(buf, size, "%lld-%02lld:%02lld:%02lld.%03lld", s / 86400,
		    s / 3600 % 24, s / 60 % 60, s % 60, ms % 1000);
	else if (s >= 3600)
		snprintf(buf, size, "%02lld:%02lld:%02lld.%03lld", s / 3600, s / 60 % 60,
		    s % 60, ms % 1000);
	else
		snprintf(buf, size, "%02lld:%02lld.%03lld", s / 60, s % 60, ms % 1000);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), again[64];
	struct cpu_efficiency e;
	double s, back;

	memcpy(text, data, size);
	text[size] = '\0';
	cpu_efficiency_init(&e);
	cpu_efficiency_parse(&e, "4242", text);
	if (isnan(e.value) ? e.notes.n != 1 : (e.notes.n != 0 || e.value < 0 || e.value > 1.05))
		abort();
	if (cpu_efficiency_parse_time(text, &s) == 0) {
		if (!isfinite(s) || s < 0)
			abort();
		sacct_format(s, again, sizeof again);
		if (cpu_efficiency_parse_time(again, &back) != 0 || fabs(back - s) > 1e-3 + s * 1e-15)
			abort();
	} else if (!isnan(s))
		abort();
	cpu_efficiency_free(&e);
	free(text);
	return 0;
}
