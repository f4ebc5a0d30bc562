/*
 * template_shim.cc - the C interface to ctemplate (template_shim.h).  Every
 * entry point catches C++ exceptions: a failure while building the
 * dictionary is remembered on the root and reported by tpl_expand, so the C
 * side keeps its one error style.
 */
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>

#include <unistd.h>

#include <ctemplate/template.h>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_dictionary.h>

extern "C" {
#include "error.h"
}
#include "template_shim.h"

struct tpl_root;

struct tpl {
	ctemplate::TemplateDictionary *dict;
	tpl_root *root;
};

struct tpl_root {
	ctemplate::TemplateDictionary top;
	std::deque<tpl> nodes;	/* stable addresses; nodes[0] is the root */
	std::string failure;	/* first failure while building, "" if none */

	tpl_root() : top("report") {}
};

static void
remember(tpl *d, const char *what)
{
	if (d->root->failure.empty())
		d->root->failure = what;
}

/* Run f; any exception it throws is remembered on d's root. */
template <typename F>
static void
guard(tpl *d, F f)
{
	try {
		f();
	} catch (const std::exception &e) {
		remember(d, e.what());
	} catch (...) {
		remember(d, "unknown C++ exception");
	}
}

extern "C" struct tpl *
tpl_new(void)
{
	try {
		tpl_root *r = new tpl_root();
		r->nodes.push_back(tpl{ &r->top, r });
		return &r->nodes.front();
	} catch (...) {
		fputs("powerreport: out of memory\n", stderr);
		exit(PR_EINTERNAL);
	}
}

extern "C" void
tpl_free(struct tpl *root)
{
	if (root != NULL)
		delete root->root;
}

extern "C" void
tpl_set(struct tpl *d, const char *name, const char *value)
{
	guard(d, [&] { d->dict->SetValue(name, value != NULL ? value : ""); });
}

extern "C" void
tpl_setf(struct tpl *d, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		va_end(ap);
		remember(d, "out of memory");
		return;
	}
	va_end(ap);
	tpl_set(d, name, s);
	free(s);
}

extern "C" void
tpl_show(struct tpl *d, const char *section)
{
	guard(d, [&] { d->dict->ShowSection(section); });
}

/* A new node owned by the root.  On failure the parent stands in, so the
 * caller never sees NULL, and the failure is reported at expansion. */
extern "C" struct tpl *
tpl_row(struct tpl *d, const char *section)
{
	tpl *row = d;

	guard(d, [&] {
		d->root->nodes.push_back(tpl{ d->dict->AddSectionDictionary(section), d->root });
		row = &d->root->nodes.back();
	});
	return row;
}

extern "C" struct tpl *
tpl_include(struct tpl *d, const char *name, const char *file)
{
	tpl *inc = d;

	guard(d, [&] {
		ctemplate::TemplateDictionary *sub = d->dict->AddIncludeDictionary(name);

		sub->SetFilename(file);
		d->root->nodes.push_back(tpl{ sub, d->root });
		inc = &d->root->nodes.back();
	});
	return inc;
}

/* ctemplate's message without its "ERROR: Template FILE: ERROR: "
 * decoration (our message names the file). */
static std::string
bare(const char *line)
{
	for (;;) {
		const char *colon;

		if (strncmp(line, "ERROR: ", 7) == 0)
			line += 7;
		else if (strncmp(line, "WARNING: ", 9) == 0)
			line += 9;
		else if (strncmp(line, "Template ", 9) == 0 &&
		    (colon = strstr(line, ": ")) != NULL)
			line = colon + 2;
		else
			return line;
	}
}

/* ctemplate explains a failure only on stderr: catch what it says there
 * while it works, and keep the first line of it for our one message. */
struct stderr_catch {
	FILE *tmp;
	int saved;

	stderr_catch() : tmp(tmpfile()), saved(-1) {
		fflush(stderr);
		if (tmp != NULL && (saved = dup(2)) >= 0)
			dup2(fileno(tmp), 2);
	}
	~stderr_catch() {
		if (saved >= 0) {
			fflush(stderr);
			dup2(saved, 2);
			close(saved);
		}
		if (tmp != NULL)
			fclose(tmp);
	}
	std::string first_line() {
		char line[512] = "";

		if (tmp == NULL)
			return "";
		fflush(stderr);
		rewind(tmp);
		if (fgets(line, sizeof line, tmp) == NULL)
			return "";
		line[strcspn(line, "\n")] = '\0';
		return bare(line);
	}
};

static int
expand(const char *const *dirs, const std::string &path, const char *file,
    tpl *root, std::string *text)
{
	ctemplate::TemplateCache cache;
	stderr_catch said;

	cache.SetTemplateRootDirectory(dirs[0]);
	for (size_t i = 1; dirs[i] != NULL; i++)
		cache.AddAlternateTemplateRootDirectory(dirs[i]);
	if (!cache.ExpandWithData(file, ctemplate::STRIP_BLANK_LINES,
	    root->dict, NULL, text)) {
		std::string why = said.first_line();

		return pr_fail(PR_ECONFIG, "template %s: %s: fix it or unset "
		    "template_dir", path.c_str(), why.empty() ?
		    "missing or malformed, or a template it includes is" :
		    why.c_str());
	}
	return PR_OK;
}

/* dir/file of the first directory holding file, "" if none does. */
static std::string
find(const char *const *dirs, const char *file)
{
	for (size_t i = 0; dirs[i] != NULL; i++) {
		std::string path = std::string(dirs[i]) + "/" + file;

		if (access(path.c_str(), R_OK) == 0)
			return path;
	}
	return "";
}

extern "C" int
tpl_expand(const char *const *dirs, const char *file, struct tpl *root, char **out)
{
	std::string path, text;
	int status;

	*out = NULL;
	try {
		if ((path = find(dirs, file)).empty())
			return pr_fail(PR_ECONFIG, "template %s/%s: %s: check "
			    "template_dir in the configuration", dirs[0], file,
			    strerror(ENOENT));
		if (!root->root->failure.empty())
			return pr_fail(PR_EINTERNAL, "building the data for "
			    "template %s: %s", path.c_str(),
			    root->root->failure.c_str());
		if ((status = expand(dirs, path, file, root, &text)) != PR_OK)
			return status;
		*out = xstrdup(text.c_str());
	} catch (const std::exception &e) {
		return pr_fail(PR_EINTERNAL, "expanding template %s: %s", file, e.what());
	} catch (...) {
		return pr_fail(PR_EINTERNAL, "expanding template %s: unknown C++ "
		    "exception", file);
	}
	return PR_OK;
}
