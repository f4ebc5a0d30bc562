/*
 * trust_text.h - the words and numbers of the trust figures (trust.h) that
 * report.html and report.pdf both print, formatted once.
 */
#ifndef PR_TRUST_TEXT_H
#define PR_TRUST_TEXT_H

#include "report_text.h"

/* One row per trust figure the job has (label, value, note); none when
 * nothing is configured or known. */
void text_trust(const struct report *rep, struct text_fields *out);
/* What the trust figures cover and what they do not (malloc'd), or NULL
 * when there are none. */
char *text_trust_method(const struct report *rep);

#endif
