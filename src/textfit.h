/*
 * textfit.h - shortening a label to a width, for any backend that can
 * measure text (the charts' draw backends, the PDF page layout).
 */
#ifndef PR_TEXTFIT_H
#define PR_TEXTFIT_H

#include <stddef.h>

/* Only this many bytes of a label are measured: no chart or page shows a
 * longer one, and a 40k-character device name must not cost more. */
#define TEXTFIT_MAX_BYTES 1024

/* Width of utf8 as the caller's backend sets it. */
typedef double (*textfit_width)(void *ctx, const char *utf8);

/* utf8 itself when it fits maxw (and is at most TEXTFIT_MAX_BYTES long),
 * else its longest prefix of whole characters that fits with "…" after
 * it ("…" alone when none does).  malloc'd. */
char *textfit(const char *utf8, double maxw, textfit_width width, void *ctx);

/* Length of the longest prefix of s[0, len) in whole UTF-8 characters
 * that fits maxw with suffix after it; 0 when none does.  len must end a
 * character.  Found by bisection, so about log2(len) measurements. */
size_t textfit_prefix(const char *s, size_t len, const char *suffix, double maxw,
    textfit_width width, void *ctx);

/* Start of the character after the one starting at byte i of s (at most
 * len). */
size_t textfit_char_end(const char *s, size_t i, size_t len);

#endif
