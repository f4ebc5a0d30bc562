/*
 * jsonc.h - strict loading of JSON with comments (// and block comments),
 * the generic half of the configuration: parse, locate every item in the
 * text, and check objects against tables of known keys so that every
 * refusal names file, line and key path.  No schema lives here; config.c
 * describes powerreport's.  A syntax error names file, line and column and
 * never quotes the text (it may be a password).
 */
#ifndef PR_JSONC_H
#define PR_JSONC_H

#include <stddef.h>

#include <cJSON.h>

/* A loaded document. */
struct jsonc {
	const char *name;	/* file name, first in every message */
	int status;		/* the pr_status of every failure */
	char *text;		/* the text, comments blanked out */
	cJSON *root;		/* NULL until parsed */
	struct jsonc_spot {	/* where each item starts in text */
		const cJSON *item;
		size_t off;
	} *spots;
	size_t nspots, capspots;
	char key[256];		/* key path of the item being checked ("a.b[2]") */
};

/* One key of an object: either set, which checks the item and stores it
 * into the member at off of the caller's struct, or a nested object
 * checked against sub (stored into the same struct).  Tables end with a
 * NULL name and hold at most 32 keys. */
struct jsonc_field {
	const char *name;
	int (*set)(struct jsonc *j, const cJSON *item, void *dst);
	size_t off;
	const struct jsonc_field *sub;
};

/* Parse the len bytes at data (name for messages) into j.  Failures (NUL
 * byte, unclosed comment, syntax) are pr_fail(status, ...).  jsonc_free j
 * whatever the outcome. */
int jsonc_parse(struct jsonc *j, const char *name, int status, const char *data,
    size_t len);
void jsonc_free(struct jsonc *j);

/* Line of item in the file, or 0 when unknown. */
long jsonc_line(const struct jsonc *j, const cJSON *item);

/* Fail with j's status naming file, line and key path:
 * FILE: line N: key "a.b": what.  Returns the status. */
int jsonc_fail(struct jsonc *j, const cJSON *item, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append to the key path (printable bytes only); returns the mark that
 * jsonc_key_pop goes back to. */
size_t jsonc_key_push(struct jsonc *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void jsonc_key_pop(struct jsonc *j, size_t mark);

/* "a string", "a number", ... for messages. */
const char *jsonc_type_name(const cJSON *item);

/* Checks that fail with jsonc_fail: any string, a non-empty string, a
 * finite number. */
int jsonc_want_string(struct jsonc *j, const cJSON *item);
int jsonc_want_text(struct jsonc *j, const cJSON *item);
int jsonc_want_number(struct jsonc *j, const cJSON *item);

/* Free *dst and store value there. */
void jsonc_replace(char **dst, char *value);

/* Setters for jsonc_field: a non-empty string (char *), a whole number
 * 1..INT_MAX (int), a number > 0 (double), a number >= 0 or null for NAN
 * (double). */
int jsonc_set_text(struct jsonc *j, const cJSON *item, void *dst);
int jsonc_set_positive_int(struct jsonc *j, const cJSON *item, void *dst);
int jsonc_set_positive_number(struct jsonc *j, const cJSON *item, void *dst);
int jsonc_set_amount(struct jsonc *j, const cJSON *item, void *dst);

/* Check every member of obj against fields (unknown key, given twice,
 * wrong type) and store it into base. */
int jsonc_apply_object(struct jsonc *j, const cJSON *obj,
    const struct jsonc_field *fields, void *base);

#endif
