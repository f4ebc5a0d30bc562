/*
 * template_shim.h - the one door from C to ctemplate (C++): build a
 * dictionary of values, sections and includes, then expand a template file
 * with the auto-escaping its {{%AUTOESCAPE}} pragma asks for.  No C++
 * exception crosses this interface; failures surface as a status from
 * tpl_expand.
 */
#ifndef PR_TEMPLATE_SHIM_H
#define PR_TEMPLATE_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

struct tpl;	/* a dictionary: the root or one section row / include */

struct tpl *tpl_new(void);
/* Free the root and every dictionary made from it. */
void tpl_free(struct tpl *root);

/* Set a variable (copied). */
void tpl_set(struct tpl *d, const char *name, const char *value);
void tpl_setf(struct tpl *d, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Show section once, with the variables of d. */
void tpl_show(struct tpl *d, const char *section);
/* Add one more row of section (showing it) and return its dictionary;
 * lookups fall back to d.  Owned by the root. */
struct tpl *tpl_row(struct tpl *d, const char *section);
/* Fill the include marker {{>name}} with template file (relative to the
 * template directory); returns its dictionary.  Owned by the root. */
struct tpl *tpl_include(struct tpl *d, const char *name, const char *file);

/* Expand file with root into a malloc'd NUL-terminated string.  dirs
 * (NULL-terminated, at least one) are searched in order for file and for
 * every template it includes, so a site directory first can override
 * some templates and leave the rest to the installed ones.  Missing or
 * malformed template, or a failure while building the dictionary:
 * pr_fail(PR_ECONFIG / PR_EINTERNAL) naming the file. */
int tpl_expand(const char *const *dirs, const char *file, struct tpl *root,
    char **out);

#ifdef __cplusplus
}
#endif

#endif
