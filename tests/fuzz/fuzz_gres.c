// sources: src/slurm_gres.c
/*
 * fuzz_gres.c - libFuzzer harness for slurm_gres_gpus, the reader of
 * slurm.jobs' gres_detail entries (text from the database).  Checks: never
 * crashes or reads past the text, the mask is 0 unless the text was read,
 * and a mask read back from its own "gpu(IDX:...)" form is the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slurm_gres.h"

/* "gpu(IDX:0,3,...)" of mask into buf (64 indices of up to 3 bytes). */
static void
canonical(uint64_t mask, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "gpu(IDX:");

	for (int k = 0; k <= GRES_MAX_INDEX; k++)
		if ((mask >> k) & 1)
			n += (size_t)snprintf(buf + n, size - n, "%s%d",
			    buf[n - 1] == ':' ? "" : ",", k);
	snprintf(buf + n, size - n, ")");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), again[512];
	uint64_t mask, back;
	enum gres_parse r;

	memcpy(text, data, size);
	text[size] = '\0';
	r = slurm_gres_gpus(text, &mask);
	if (r == GRES_MALFORMED && mask != 0)
		abort();
	if (mask != 0) {
		canonical(mask, again, sizeof again);
		if (slurm_gres_gpus(again, &back) != GRES_OK || back != mask)
			abort();
	}
	free(text);
	return 0;
}
