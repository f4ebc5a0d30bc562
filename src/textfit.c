/*
 * textfit.c - shortening labels by bisection over UTF-8 character
 * boundaries.  Dropping one character and measuring again made fitting
 * quadratic in the label's length (a 40k-character device name cost a
 * report 52 s); the width of a prefix grows with its length, so the
 * longest one that fits is found in about log2(n) measurements of at most
 * TEXTFIT_MAX_BYTES each.
 */
#include "textfit.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

#define ELLIPSIS "\u2026"

static int
is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* Start of the character holding byte i of s. */
static size_t
char_start(const char *s, size_t i)
{
	while (i > 0 && is_continuation(s[i]))
		i--;
	return i;
}

size_t
textfit_char_end(const char *s, size_t i, size_t len)
{
	do
		i++;
	while (i < len && is_continuation(s[i]));
	return i;
}

size_t
textfit_prefix(const char *s, size_t len, const char *suffix, double maxw,
    textfit_width width, void *ctx)
{
	size_t slen = strlen(suffix), fits = 0, fails = len + 1, mid;
	char *buf = xmalloc(len + slen + 1);

	/* fits: a prefix known to fit (or 0); fails: one known not to. */
	for (;;) {
		mid = char_start(s, fits + (fails - fits) / 2);
		if (mid <= fits)
			mid = textfit_char_end(s, fits, len);
		if (mid >= fails || mid > len)
			break;
		memcpy(buf, s, mid);
		memcpy(buf + mid, suffix, slen + 1);
		if (width(ctx, buf) <= maxw)
			fits = mid;
		else
			fails = mid;
	}
	free(buf);
	return fits;
}

char *
textfit(const char *utf8, double maxw, textfit_width width, void *ctx)
{
	size_t len = strnlen(utf8, TEXTFIT_MAX_BYTES + 1), n;
	char *out;

	if (len <= TEXTFIT_MAX_BYTES && width(ctx, utf8) <= maxw)
		return xstrdup(utf8);
	len = char_start(utf8, len < TEXTFIT_MAX_BYTES ? len : TEXTFIT_MAX_BYTES);
	n = textfit_prefix(utf8, len, ELLIPSIS, maxw, width, ctx);
	out = xmalloc(n + sizeof ELLIPSIS);
	memcpy(out, utf8, n);
	strcpy(out + n, ELLIPSIS);
	return out;
}
