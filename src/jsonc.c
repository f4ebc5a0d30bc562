/*
 * jsonc.c - a strict reader of JSON with // and block comments, for
 * configuration files: comments are blanked out (offsets, and hence line
 * numbers, stay those of the file), cJSON parses the rest, and every
 * member and element is located in the text so that a check can name the
 * file, line and key path of what it refuses.  It knows no schema: callers
 * describe theirs with struct jsonc_field tables and setters.
 */
#include "jsonc.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

static long
line_at(const char *text, size_t off)
{
	long line = 1;

	for (size_t i = 0; i < off && text[i] != '\0'; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* Column (in characters, from 1) of offset off in its line of text. */
static long
column_at(const char *text, size_t off)
{
	long col = 1;

	while (off > 0 && text[off - 1] != '\n')
		col += ((unsigned char)text[--off] & 0xC0) != 0x80;
	return col;
}

static void
spot_add(struct jsonc *j, const cJSON *item, size_t off)
{
	if (j->nspots == j->capspots) {
		j->capspots = j->capspots ? j->capspots * 2 : 64;
		j->spots = xrealloc(j->spots, j->capspots * sizeof *j->spots);
	}
	j->spots[j->nspots].item = item;
	j->spots[j->nspots].off = off;
	j->nspots++;
}

/* cJSON treats every byte up to the space as white space; so do we. */
static size_t
skip_ws(const char *s, size_t i)
{
	while (s[i] != '\0' && (unsigned char)s[i] <= ' ')
		i++;
	return i;
}

static size_t
skip_string(const char *s, size_t i)
{
	for (i++; s[i] != '\0' && s[i] != '"'; i++)
		if (s[i] == '\\' && s[i + 1] != '\0')
			i++;
	return s[i] == '"' ? i + 1 : i;
}

/* Walk the text of item (which cJSON parsed from it, starting at i) and
 * remember where each of its members and elements starts: the key of an
 * object member, the value of an array element.  Returns the offset past
 * item.  Stops at the terminating NUL whatever happens. */
static size_t
locate(struct jsonc *j, const cJSON *item, size_t i)
{
	const char *s = j->text;

	i = skip_ws(s, i);
	if (s[i] == '"')
		return skip_string(s, i);
	if (s[i] != '{' && s[i] != '[') {
		while (s[i] != '\0' && strchr(",]}", s[i]) == NULL &&
		    (unsigned char)s[i] > ' ')
			i++;
		return i;
	}
	i++;
	for (const cJSON *c = item->child; c != NULL; c = c->next) {
		i = skip_ws(s, i);
		spot_add(j, c, i);
		if (cJSON_IsObject(item)) {
			i = skip_ws(s, skip_string(s, i));
			if (s[i] == ':')
				i++;
		}
		i = skip_ws(s, locate(j, c, i));
		if (s[i] == ',')
			i++;
	}
	i = skip_ws(s, i);
	return s[i] != '\0' ? i + 1 : i;
}

long
jsonc_line(const struct jsonc *j, const cJSON *item)
{
	for (size_t i = 0; i < j->nspots; i++)
		if (j->spots[i].item == item)
			return line_at(j->text, j->spots[i].off);
	return 0;
}

/* Fail naming file, line and key path: FILE: line N: key "a.b": what. */
int
jsonc_fail(struct jsonc *j, const cJSON *item, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	long line = jsonc_line(j, item);

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (line > 0)
		return pr_fail(j->status, "%s: line %ld: key \"%s\": %s",
		    j->name, line, j->key, what);
	return pr_fail(j->status, "%s: key \"%s\": %s", j->name, j->key, what);
}

/* Append to the key path (printable bytes only); returns the old length
 * for jsonc_key_pop. */
size_t
jsonc_key_push(struct jsonc *j, const char *fmt, ...)
{
	size_t mark = strlen(j->key);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(j->key + mark, sizeof j->key - mark, fmt, ap);
	va_end(ap);
	for (char *p = j->key + mark; *p != '\0'; p++)
		if ((unsigned char)*p < ' ' || *p == '"' || *p == 0x7f)
			*p = '?';
	return mark;
}

void
jsonc_key_pop(struct jsonc *j, size_t mark)
{
	j->key[mark] = '\0';
}

const char *
jsonc_type_name(const cJSON *item)
{
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsObject(item))
		return "an object";
	if (cJSON_IsArray(item))
		return "an array";
	if (cJSON_IsBool(item))
		return "true/false";
	return "null";
}

int
jsonc_want_string(struct jsonc *j, const cJSON *item)
{
	if (!cJSON_IsString(item))
		return jsonc_fail(j, item, "expected a string, got %s",
		    jsonc_type_name(item));
	return PR_OK;
}

int
jsonc_want_text(struct jsonc *j, const cJSON *item)
{
	int status = jsonc_want_string(j, item);

	if (status == PR_OK && item->valuestring[0] == '\0')
		return jsonc_fail(j, item, "expected a non-empty string");
	return status;
}

int
jsonc_want_number(struct jsonc *j, const cJSON *item)
{
	if (!cJSON_IsNumber(item))
		return jsonc_fail(j, item, "expected a number, got %s",
		    jsonc_type_name(item));
	if (!isfinite(item->valuedouble))
		return jsonc_fail(j, item, "number out of range");
	return PR_OK;
}

void
jsonc_replace(char **dst, char *value)
{
	free(*dst);
	*dst = value;
}

int
jsonc_set_text(struct jsonc *j, const cJSON *item, void *dst)
{
	int status = jsonc_want_text(j, item);

	if (status == PR_OK)
		jsonc_replace(dst, xstrdup(item->valuestring));
	return status;
}

int
jsonc_set_positive_int(struct jsonc *j, const cJSON *item, void *dst)
{
	int status = jsonc_want_number(j, item);
	double v = item->valuedouble;

	if (status != PR_OK)
		return status;
	if (v != floor(v) || v < 1 || v > INT_MAX)
		return jsonc_fail(j, item, "expected a whole number from 1 to %d",
		    INT_MAX);
	*(int *)dst = (int)v;
	return PR_OK;
}

int
jsonc_set_positive_number(struct jsonc *j, const cJSON *item, void *dst)
{
	int status = jsonc_want_number(j, item);

	if (status != PR_OK)
		return status;
	if (item->valuedouble <= 0)
		return jsonc_fail(j, item, "expected a number greater than 0");
	*(double *)dst = item->valuedouble;
	return PR_OK;
}

/* Amounts such as prices: >= 0, or null for "not configured". */
int
jsonc_set_amount(struct jsonc *j, const cJSON *item, void *dst)
{
	int status;

	if (cJSON_IsNull(item)) {
		*(double *)dst = NAN;
		return PR_OK;
	}
	status = jsonc_want_number(j, item);
	if (status != PR_OK)
		return status;
	if (item->valuedouble < 0)
		return jsonc_fail(j, item, "expected a number of at least 0 "
		    "(or null)");
	*(double *)dst = item->valuedouble;
	return PR_OK;
}

static int
unknown_key(struct jsonc *j, const cJSON *item, const struct jsonc_field *fields)
{
	char known[256] = "";
	size_t n = 0;

	for (const struct jsonc_field *f = fields; f->name != NULL &&
	    n < sizeof known; f++)
		n += (size_t)snprintf(known + n, sizeof known - n, "%s%s",
		    f != fields ? ", " : "", f->name);
	return jsonc_fail(j, item, "unknown key (known here: %s)", known);
}

/* Check every member of obj against fields and store it into base. */
int
jsonc_apply_object(struct jsonc *j, const cJSON *obj,
    const struct jsonc_field *fields, void *base)
{
	const struct jsonc_field *f;
	unsigned seen = 0;
	size_t mark;
	int status = PR_OK;

	if (!cJSON_IsObject(obj))
		return jsonc_fail(j, obj, "expected an object { ... }, got %s",
		    jsonc_type_name(obj));
	for (const cJSON *c = obj->child; c != NULL && status == PR_OK; c = c->next) {
		mark = jsonc_key_push(j, "%s%s", j->key[0] ? "." : "", c->string);
		for (f = fields; f->name != NULL && strcmp(f->name, c->string); f++)
			;
		if (f->name == NULL)
			status = unknown_key(j, c, fields);
		else if (seen & 1u << (f - fields))
			status = jsonc_fail(j, c, "given twice");
		else if (f->sub != NULL)
			status = jsonc_apply_object(j, c, f->sub, base);
		else
			status = f->set(j, c, (char *)base + f->off);
		seen |= 1u << (f - fields);
		jsonc_key_pop(j, mark);
	}
	return status;
}

/* Turn // and block comments outside strings into spaces, keeping newlines,
 * so cJSON parses plain JSON at unchanged offsets. */
static int
blank_comments(const struct jsonc *j, char *s, size_t len)
{
	size_t i = 0, start;

	while (i < len) {
		if (s[i] == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
		} else if (s[i] == '/' && i + 1 < len && s[i + 1] == '/') {
			while (i < len && s[i] != '\n')
				s[i++] = ' ';
		} else if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
			start = i;
			s[i++] = ' ';
			s[i++] = ' ';
			while (i + 1 < len && !(s[i] == '*' && s[i + 1] == '/')) {
				if (s[i] != '\n')
					s[i] = ' ';
				i++;
			}
			if (i + 1 >= len)
				return pr_fail(j->status, "%s: line %ld: comment "
				    "not closed with */", j->name, line_at(s, start));
			s[i++] = ' ';
			s[i++] = ' ';
		} else
			i++;
	}
	return PR_OK;
}

/* The text near the error is never quoted: it may be a password. */
static int
syntax_error(const struct jsonc *j, const char *text, size_t len, const char *at)
{
	size_t off = at != NULL && at >= text && at <= text + len ?
	    (size_t)(at - text) : len;

	off = skip_ws(text, off);
	if (off >= len)
		return pr_fail(j->status, "%s: line %ld: not valid JSON: the file "
		    "ends too early (a missing } or ]?)", j->name,
		    line_at(text, off));
	return pr_fail(j->status, "%s: line %ld, column %ld: not valid JSON "
	    "(check commas, quotes and brackets)", j->name, line_at(text, off),
	    column_at(text, off));
}

int
jsonc_parse(struct jsonc *j, const char *name, int status, const char *data,
    size_t len)
{
	const char *end = NULL, *nul;
	size_t start;
	int rc;

	memset(j, 0, sizeof *j);
	j->name = name;
	j->status = status;
	if ((nul = memchr(data, '\0', len)) != NULL)
		return pr_fail(status, "%s: line %ld: NUL byte: not a JSON text "
		    "file", name, line_at(data, (size_t)(nul - data)));
	j->text = xmalloc(len + 1);
	memcpy(j->text, data, len);
	j->text[len] = '\0';
	if ((rc = blank_comments(j, j->text, len)) != PR_OK)
		return rc;
	j->root = cJSON_ParseWithOpts(j->text, &end, 1);
	if (j->root == NULL)
		return syntax_error(j, j->text, len, end ? end : cJSON_GetErrorPtr());
	start = strncmp(j->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	spot_add(j, j->root, skip_ws(j->text, start));
	locate(j, j->root, start);
	return PR_OK;
}

void
jsonc_free(struct jsonc *j)
{
	cJSON_Delete(j->root);
	free(j->spots);
	free(j->text);
	memset(j, 0, sizeof *j);
}
