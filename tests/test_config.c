/*
 * test_config.c - the site configuration: built-in defaults, every key of a
 * file, comments, one test per class of mistake (each must name file, line
 * and key), rules replacing the defaults, prefixes versus globs, and where
 * the file is looked for.
 */
#include "testutil.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "error.h"
#include "formats.h"
#include "jsonc.h"

static char *file;

static void
setup(void)
{
	tu_scratch_setup();
	if (asprintf(&file, "%s/config.json", tu_scratch) < 0)
		abort();
	pr_errclear();
}

static void
teardown(void)
{
	tu_scratch_teardown();
	free(file);
}

/* Write text as the config file and load it over the defaults. */
static int
load(struct config *cfg, const char *text)
{
	config_defaults(cfg);
	tu_write(file, text);
	return config_load(cfg, file);
}

/* Loading text must fail with PR_ECONFIG and a message holding the file
 * name and every one of the NULL-terminated fragments. */
static void
fails(const char *text, ...)
{
	struct config cfg;
	const char *frag;
	va_list ap;

	ck_assert_int_eq(load(&cfg, text), PR_ECONFIG);
	ck_assert_msg(strncmp(pr_errmsg(), file, strlen(file)) == 0,
	    "message does not start with the file: %s", pr_errmsg());
	va_start(ap, text);
	while ((frag = va_arg(ap, const char *)) != NULL)
		ck_assert_msg(strstr(pr_errmsg(), frag) != NULL,
		    "\"%s\" not in: %s", frag, pr_errmsg());
	va_end(ap);
	config_free(&cfg);
	pr_errclear();
}

static void
assert_metrics(const struct rule *r, const char *joined)
{
	char buf[512] = "";

	for (size_t i = 0; i < r->metrics.n; i++) {
		if (i > 0)
			strcat(buf, ",");
		strcat(buf, r->metrics.v[i]);
	}
	ck_assert_str_eq(buf, joined);
}

#define BASE "TotalCPUPower,TotalMemoryPower,TotalStoragePower,TotalFanPower," \
	"SystemInputPower,SystemOutputPower"

START_TEST(defaults)
{
	struct config cfg;

	config_defaults(&cfg);
	ck_assert_ptr_null(cfg.path);
	ck_assert_uint_eq(cfg.nrules, 2);
	ck_assert_str_eq(cfg.rules[0].match, "rpc*");
	ck_assert_str_eq(cfg.rules[0].database, "zen4");
	ck_assert_str_eq(cfg.rules[0].schema, "idrac");
	ck_assert_ptr_null(cfg.rules[0].conninfo);
	assert_metrics(&cfg.rules[0], BASE);
	ck_assert_str_eq(cfg.rules[1].match, "rpg*");
	ck_assert_str_eq(cfg.rules[1].database, "h100");
	assert_metrics(&cfg.rules[1], BASE ",PowerConsumption");
	ck_assert_str_eq(cfg.conninfo, "");
	ck_assert_int_eq(cfg.connect_timeout_s, 10);
	ck_assert_int_eq(cfg.statement_timeout_ms, 120000);
	ck_assert_str_eq(cfg.jobs_schema, "slurm");
	ck_assert_ptr_null(cfg.timezone);
	ck_assert_ptr_null(cfg.template_dir);
	ck_assert_double_eq(cfg.sampling_interval_s, 0);	/* per series */
	ck_assert_double_eq(cfg.banner_coverage, 0.95);
	ck_assert_str_eq(cfg.paper, "A4");
	ck_assert(isnan(cfg.price_per_kwh));
	ck_assert(isnan(cfg.co2_g_per_kwh));
	ck_assert_str_eq(cfg.currency, "USD");
	ck_assert_int_eq(cfg.formats, FMT_ALL);
	ck_assert_ptr_eq(config_rule_for(&cfg, "rpc-91-1"), &cfg.rules[0]);
	ck_assert_ptr_eq(config_rule_for(&cfg, "rpg-93-4"), &cfg.rules[1]);
	ck_assert_ptr_null(config_rule_for(&cfg, "login-1"));
	config_free(&cfg);
}
END_TEST

START_TEST(full_file)
{
	struct config cfg;

	ck_assert_int_eq(load(&cfg,
	    "{\n"
	    "  \"rules\": [\n"
	    "    {\"match\": \"cpu-*\", \"database\": \"genoa\", \"schema\": \"redfish\",\n"
	    "     \"metrics\": [\"SystemInputPower\", \"Total_CPU2\"],\n"
	    "     \"conninfo\": \"host=db2 user=reader\"},\n"
	    "    {\"match\": \"gpu\", \"database\": \"h100\",\n"
	    "     \"gpu_util_metrics\": [\"GPUUtilization\", \"gpu_busy\"]}\n"
	    "  ],\n"
	    "  \"database\": {\"conninfo\": \"host=db port=5433\", \"connect_timeout_s\": 3,\n"
	    "               \"statement_timeout_ms\": 60000, \"jobs_schema\": \"jobs2\"},\n"
	    "  \"display\": {\"timezone\": \"America/Chicago\", \"paper\": \"letter\",\n"
	    "              \"template_dir\": \"/srv/tpl\"},\n"
	    "  \"telemetry\": {\"sampling_interval_s\": 2.5},\n"
	    "  \"cost\": {\"price_per_kwh\": 0.12, \"currency\": \"EUR\", \"co2_g_per_kwh\": 390},\n"
	    "  \"output\": {\"formats\": \"csv, json,pdf\"}\n"
	    "}\n"), PR_OK);
	ck_assert_str_eq(cfg.path, file);
	ck_assert_uint_eq(cfg.nrules, 2);
	ck_assert_str_eq(cfg.rules[0].match, "cpu-*");
	ck_assert_str_eq(cfg.rules[0].database, "genoa");
	ck_assert_str_eq(cfg.rules[0].schema, "redfish");
	assert_metrics(&cfg.rules[0], "SystemInputPower,Total_CPU2");
	ck_assert_str_eq(cfg.rules[0].conninfo, "host=db2 user=reader");
	ck_assert_str_eq(cfg.rules[1].match, "gpu*");
	ck_assert_str_eq(cfg.rules[1].schema, "idrac");
	assert_metrics(&cfg.rules[1], BASE);
	ck_assert_uint_eq(cfg.rules[0].gpu_util_metrics.n, 0);	/* none assumed */
	ck_assert_uint_eq(cfg.rules[1].gpu_util_metrics.n, 2);
	ck_assert_str_eq(cfg.rules[1].gpu_util_metrics.v[0], "GPUUtilization");
	ck_assert_str_eq(cfg.rules[1].gpu_util_metrics.v[1], "gpu_busy");
	ck_assert_ptr_null(cfg.rules[1].conninfo);
	ck_assert_str_eq(cfg.conninfo, "host=db port=5433");
	ck_assert_int_eq(cfg.connect_timeout_s, 3);
	ck_assert_int_eq(cfg.statement_timeout_ms, 60000);
	ck_assert_str_eq(cfg.jobs_schema, "jobs2");
	ck_assert_str_eq(cfg.timezone, "America/Chicago");
	ck_assert_str_eq(cfg.paper, "Letter");
	ck_assert_str_eq(cfg.template_dir, "/srv/tpl");
	ck_assert_double_eq(cfg.sampling_interval_s, 2.5);
	ck_assert_double_eq(cfg.price_per_kwh, 0.12);
	ck_assert_str_eq(cfg.currency, "EUR");
	ck_assert_double_eq(cfg.co2_g_per_kwh, 390);
	ck_assert_int_eq(cfg.formats, FMT_CSV | FMT_JSON | FMT_PDF);
	config_free(&cfg);
}
END_TEST

/* The loader serves any schema: a table of its own, its own status, and
 * file, line and key path in what it refuses. */
struct point {
	int x;
	char *label;
};

START_TEST(jsonc_any_schema)
{
	static const struct jsonc_field fields[] = {
		{ "x", jsonc_set_positive_int, offsetof(struct point, x), NULL },
		{ "label", jsonc_set_text, offsetof(struct point, label), NULL },
		{ NULL, NULL, 0, NULL }
	};
	static const char good[] = "// a point\n{\"x\": 3, /* named */ \"label\": \"p\"}";
	static const char bad[] = "{\"x\": 3,\n \"y\": 4}";
	struct point pt = { 0, NULL };
	struct jsonc j;

	ck_assert_int_eq(jsonc_parse(&j, "p.json", PR_EDATA, good, strlen(good)), PR_OK);
	ck_assert_int_eq(jsonc_apply_object(&j, j.root, fields, &pt), PR_OK);
	ck_assert_int_eq(pt.x, 3);
	ck_assert_str_eq(pt.label, "p");
	jsonc_free(&j);
	ck_assert_int_eq(jsonc_parse(&j, "p.json", PR_EDATA, bad, strlen(bad)), PR_OK);
	ck_assert_int_eq(jsonc_apply_object(&j, j.root, fields, &pt), PR_EDATA);
	ck_assert_str_eq(pr_errmsg(), "p.json: line 2: key \"y\": unknown key "
	    "(known here: x, label)");
	jsonc_free(&j);
	free(pt.label);
}
END_TEST

/* output.formats reads lists as --formats does: blanks separate names too
 * (the second name of "png html" was once dropped without a word). */
START_TEST(formats_like_the_command_line)
{
	struct config cfg;

	ck_assert_int_eq(load(&cfg, "{\"output\": {\"formats\": \"png html\"}}"),
	    PR_OK);
	ck_assert_int_eq(cfg.formats, FMT_PNG | FMT_HTML);
	config_free(&cfg);
	ck_assert_int_eq(load(&cfg, "{\"output\": {\"formats\": \" pdf,,\tcsv \"}}"),
	    PR_OK);
	ck_assert_int_eq(cfg.formats, FMT_PDF | FMT_CSV);
	config_free(&cfg);
}
END_TEST

START_TEST(partial_file_keeps_defaults)
{
	struct config cfg;

	ck_assert_int_eq(load(&cfg, "{\"cost\": {\"price_per_kwh\": 0.2}}"), PR_OK);
	ck_assert_double_eq(cfg.price_per_kwh, 0.2);
	ck_assert(isnan(cfg.co2_g_per_kwh));
	ck_assert_uint_eq(cfg.nrules, 2);
	ck_assert_str_eq(cfg.rules[1].database, "h100");
	ck_assert_int_eq(cfg.connect_timeout_s, 10);
	config_free(&cfg);

	ck_assert_int_eq(load(&cfg, "{}"), PR_OK);
	ck_assert_str_eq(cfg.paper, "A4");
	config_free(&cfg);

	ck_assert_int_eq(load(&cfg, "{\"cost\": {\"price_per_kwh\": null}}"), PR_OK);
	ck_assert(isnan(cfg.price_per_kwh));
	config_free(&cfg);
}
END_TEST

START_TEST(comments)
{
	struct config cfg;

	ck_assert_int_eq(load(&cfg,
	    "\xEF\xBB\xBF// site configuration\n"
	    "{\n"
	    "  /* the database\n"
	    "     server */\n"
	    "  \"database\": {\"conninfo\": \"postgresql://db/zen4\"}, // tail\n"
	    "  \"display\": {\"template_dir\": \"/x/* not a comment */y\"} /**/\n"
	    "}\n"
	    "// end, no newline after this"), PR_OK);
	ck_assert_str_eq(cfg.conninfo, "postgresql://db/zen4");
	ck_assert_str_eq(cfg.template_dir, "/x/* not a comment */y");
	config_free(&cfg);

	/* Lines after a block comment still count: the bad key is on line 5. */
	fails("{\n/*\n\n*/\n\"colour\": 1}", "line 5:", "key \"colour\"", NULL);
	fails("{\n/* open\n\"a\": 1}", "line 2:", "comment not closed", NULL);
}
END_TEST

START_TEST(error_unknown_key)
{
	fails("{\n  \"rule\": []\n}", "line 2:", "key \"rule\"", "unknown key",
	    "rules, database", NULL);
	fails("{\"database\": {\n\n \"timeout\": 5}}", "line 3:",
	    "key \"database.timeout\"", "connect_timeout_s", NULL);
	fails("{\"rules\": [{\"match\": \"a\", \"database\": \"b\"},\n"
	    "{\"match\": \"c\", \"db\": \"d\"}]}", "line 2:",
	    "key \"rules[1].db\"", "unknown key", NULL);
}
END_TEST

START_TEST(error_wrong_type)
{
	fails("{\"database\": {\n\"connect_timeout_s\": \"10\"}}", "line 2:",
	    "key \"database.connect_timeout_s\": expected a number", NULL);
	fails("{\"display\": {\"timezone\": 5}}",
	    "key \"display.timezone\": expected a string", NULL);
	fails("{\"database\": 1}", "key \"database\": expected an object", NULL);
	fails("{\"rules\": {\"match\": \"a\"}}", "key \"rules\": expected an array", NULL);
	fails("{\"rules\": [\"rpc\"]}", "key \"rules[0]\": expected an object", NULL);
	fails("{\"rules\": [{\"match\": \"a\", \"database\": \"b\",\n"
	    "\"metrics\": \"SystemInputPower\"}]}", "line 2:",
	    "key \"rules[0].metrics\"", "array", NULL);
	fails("[1, 2]", "line 1:", "expected one JSON object", NULL);
}
END_TEST

START_TEST(error_bad_value)
{
	fails("{\"rules\": [{\"match\": \"a\", \"database\": \"b\",\n"
	    "  \"schema\": \"idrac\\\"; drop table x; --\"}]}", "line 2:",
	    "key \"rules[0].schema\"", "not a plain SQL name", NULL);
	fails("{\"rules\": [{\"match\": \"a\", \"database\": \"b\", \"metrics\": [\n"
	    "  \"SystemInputPower\",\n  \"Bad Name\"]}]}", "line 3:",
	    "key \"rules[0].metrics[1]\"", "not a plain SQL name", NULL);
	fails("{\"rules\": [{\"match\": \"a\", \"database\": \"b\", \"metrics\": "
	    "[\"X\", \"X\"]}]}", "key \"rules[0].metrics[1]\"", "twice", NULL);
	fails("{\"rules\": [{\"match\": \"a\", \"database\": \"b\", \"metrics\": []}]}",
	    "key \"rules[0].metrics\"", "non-empty", NULL);
	fails("{\"rules\": [{\"match\": \"a\", \"database\": \"b\", \"gpu_util_metrics\": "
	    "[\"gpu util; --\"]}]}", "key \"rules[0].gpu_util_metrics[0]\"",
	    "not a plain SQL name", NULL);
	fails("{\"database\": {\"jobs_schema\": \"1slurm\"}}",
	    "key \"database.jobs_schema\"", "SQL name", NULL);
	fails("{\"display\": {\"paper\": \"A5\"}}", "key \"display.paper\"",
	    "\"A4\" or \"Letter\"", NULL);
	fails("{\"database\": {\"connect_timeout_s\": 0}}",
	    "key \"database.connect_timeout_s\"", "whole number", NULL);
	fails("{\"database\": {\"statement_timeout_ms\": 1.5}}",
	    "key \"database.statement_timeout_ms\"", "whole number", NULL);
	fails("{\"database\": {\"statement_timeout_ms\": 1e99}}",
	    "key \"database.statement_timeout_ms\"", "whole number", NULL);
	fails("{\"telemetry\": {\"sampling_interval_s\": -5}}",
	    "key \"telemetry.sampling_interval_s\"", "greater than 0", NULL);
	fails("{\"cost\": {\"price_per_kwh\": -1}}", "key \"cost.price_per_kwh\"",
	    "at least 0", NULL);
	fails("{\"output\": {\"formats\": \"csv,docx\"}}", "key \"output.formats\"",
	    "\"docx\" is not a format", NULL);
	fails("{\"output\": {\"formats\": \"csv,csv\"}}", "key \"output.formats\"",
	    "twice", NULL);
	fails("{\"output\": {\"formats\": \"\"}}", "key \"output.formats\"", NULL);
	fails("{\"display\": {\"timezone\": \"\"}}", "key \"display.timezone\"",
	    "non-empty", NULL);
	fails("{\"rules\": [{\"match\": \"rpc\"}]}", "key \"rules[0]\"",
	    "needs \"match\"", "\"database\"", NULL);
	fails("{\"cost\": {\"currency\": \"USD\",\n\"currency\": \"EUR\"}}", "line 2:",
	    "key \"cost.currency\": given twice", NULL);
	fails("{\"database\": {\"conninfo\": \"host=db password=sekrit port\"}}",
	    "key \"database.conninfo\"", "not a libpq connection string", NULL);
	ck_assert_ptr_null(strstr(pr_errmsg(), "sekrit"));
	fails("{\"rules\": [{\"match\": \"a\", \"database\": \"b\",\n"
	    "\"conninfo\": \"postgresql://db/%zz\"}]}", "line 2:",
	    "key \"rules[0].conninfo\"", "connection string", NULL);
}
END_TEST

START_TEST(error_syntax)
{
	fails("{\n  \"a\": 1\n  \"b\": 2\n}", "line 3, column 3:", "not valid JSON",
	    NULL);
	/* The text near the error may hold a password: it is never quoted;
	 * columns count characters. */
	fails("{\"database\": {\n  \"conninfo\": \"host=db password=sekrit\",\n"
	    "  \"\u00e9\u00e9\": 1 x}}", "line 3, column 11:", "not valid JSON",
	    NULL);
	fails("{\"database\": {\"conninfo\": \"password=sekrit\" \"x\"}}",
	    "line 1, column 45:", NULL);
	ck_assert_ptr_null(strstr(pr_errmsg(), "sekrit"));
	fails("{\"database\": {\"conninfo\": \"password=sekrit\" x}}",
	    "line 1, column 45:", NULL);
	ck_assert_ptr_null(strstr(pr_errmsg(), "sekrit"));
	ck_assert_ptr_null(strstr(pr_errmsg(), "near"));
	fails("{\"database\": {\n\"conninfo\": \"x\"", "line 2:", "ends too early", NULL);
	fails("", "ends too early", NULL);
	fails("{} {}", "not valid JSON", NULL);

	/* A NUL byte would hide the rest of the file from the parser. */
	{
		struct config cfg;

		config_defaults(&cfg);
		ck_assert_int_eq(config_load_buffer(&cfg, "mem.json", "{}\n\0{", 5),
		    PR_ECONFIG);
		ck_assert_str_eq(pr_errmsg(), "mem.json: line 2: NUL byte: not a "
		    "JSON text file");
		config_free(&cfg);
	}
}
END_TEST

START_TEST(error_unreadable)
{
	struct config cfg;
	char *missing = NULL;

	if (asprintf(&missing, "%s/nope.json", tu_scratch) < 0)
		abort();
	config_defaults(&cfg);
	ck_assert_int_eq(config_load(&cfg, missing), PR_ECONFIG);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), missing));
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "No such file or directory"));
	pr_errclear();
	ck_assert_int_eq(config_load(&cfg, tu_scratch), PR_ECONFIG);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), "Is a directory"));
	/* A failed load leaves the defaults usable. */
	ck_assert_uint_eq(cfg.nrules, 2);
	config_free(&cfg);
	free(missing);
}
END_TEST

START_TEST(rules_replace_defaults)
{
	struct config cfg;

	ck_assert_int_eq(load(&cfg,
	    "{\"rules\": [{\"match\": \"node*\", \"database\": \"cluster\"}]}"), PR_OK);
	ck_assert_uint_eq(cfg.nrules, 1);
	ck_assert_str_eq(config_rule_for(&cfg, "node17")->database, "cluster");
	ck_assert_ptr_null(config_rule_for(&cfg, "rpc-91-1"));
	ck_assert_ptr_null(config_rule_for(&cfg, "rpg-93-1"));
	config_free(&cfg);

	/* A bad rule keeps the earlier rules whole. */
	config_defaults(&cfg);
	tu_write(file, "{\"rules\": [{\"match\": \"x\", \"database\": \"y\"}, 3]}");
	ck_assert_int_eq(config_load(&cfg, file), PR_ECONFIG);
	ck_assert_uint_eq(cfg.nrules, 2);
	ck_assert_str_eq(cfg.rules[0].match, "rpc*");
	config_free(&cfg);
}
END_TEST

START_TEST(prefix_and_glob)
{
	struct config cfg;

	ck_assert_int_eq(load(&cfg,
	    "{\"rules\": [\n"
	    " {\"match\": \"rpg-0[0-4]*\", \"database\": \"old\"},\n"
	    " {\"match\": \"rpg\", \"database\": \"new\"},\n"
	    " {\"match\": \"gpu?\", \"database\": \"one\"}\n"
	    "]}"), PR_OK);
	ck_assert_str_eq(cfg.rules[1].match, "rpg*");
	ck_assert_str_eq(config_rule_for(&cfg, "rpg-03")->database, "old");
	ck_assert_str_eq(config_rule_for(&cfg, "rpg-05")->database, "new");
	ck_assert_str_eq(config_rule_for(&cfg, "rpg")->database, "new");
	ck_assert_str_eq(config_rule_for(&cfg, "gpu7")->database, "one");
	ck_assert_ptr_null(config_rule_for(&cfg, "gpu17"));
	ck_assert_ptr_null(config_rule_for(&cfg, "xrpg-01"));
	config_free(&cfg);
}
END_TEST

START_TEST(find_and_load)
{
	struct config cfg;
	char *other = NULL;

	if (asprintf(&other, "%s/other.json", tu_scratch) < 0)
		abort();
	tu_write(file, "{\"cost\": {\"currency\": \"EUR\"}}");
	tu_write(other, "{\"cost\": {\"currency\": \"CHF\"}}");

	setenv("POWERREPORT_CONFIG", other, 1);
	config_defaults(&cfg);
	ck_assert_int_eq(config_find_and_load(&cfg, file), PR_OK);
	ck_assert_str_eq(cfg.currency, "EUR");
	config_free(&cfg);

	config_defaults(&cfg);
	ck_assert_int_eq(config_find_and_load(&cfg, NULL), PR_OK);
	ck_assert_str_eq(cfg.currency, "CHF");
	ck_assert_str_eq(cfg.path, other);
	config_free(&cfg);

	setenv("POWERREPORT_CONFIG", tu_scratch, 1);
	config_defaults(&cfg);
	ck_assert_int_eq(config_find_and_load(&cfg, NULL), PR_ECONFIG);
	ck_assert_ptr_nonnull(strstr(pr_errmsg(), tu_scratch));
	config_free(&cfg);

	/* Without a file anywhere: the built-in defaults. */
	unsetenv("POWERREPORT_CONFIG");
	if (!tu_exists(SYSCONFDIR "/powerreport/config.json")) {
		config_defaults(&cfg);
		ck_assert_int_eq(config_find_and_load(&cfg, NULL), PR_OK);
		ck_assert_ptr_null(cfg.path);
		ck_assert_str_eq(cfg.currency, "USD");
		config_free(&cfg);
	}
	free(other);
}
END_TEST

/* The sample shipped with the sources must load and keep the defaults. */
START_TEST(sample_file)
{
	struct config cfg, def;
	char *sample = tu_top("samples/config.json");

	config_defaults(&def);
	config_defaults(&cfg);
	ck_assert_msg(config_load(&cfg, sample) == PR_OK, "%s", pr_errmsg());
	ck_assert_uint_eq(cfg.nrules, def.nrules);
	for (size_t i = 0; i < def.nrules; i++) {
		ck_assert_str_eq(cfg.rules[i].match, def.rules[i].match);
		ck_assert_str_eq(cfg.rules[i].database, def.rules[i].database);
		ck_assert_str_eq(cfg.rules[i].schema, def.rules[i].schema);
		ck_assert_uint_eq(cfg.rules[i].metrics.n, def.rules[i].metrics.n);
	}
	ck_assert_int_eq(cfg.connect_timeout_s, def.connect_timeout_s);
	ck_assert_int_eq(cfg.statement_timeout_ms, def.statement_timeout_ms);
	ck_assert_str_eq(cfg.jobs_schema, def.jobs_schema);
	ck_assert_str_eq(cfg.paper, def.paper);
	ck_assert_double_eq(cfg.sampling_interval_s, def.sampling_interval_s);
	ck_assert_int_eq(cfg.formats, def.formats);
	config_free(&cfg);
	config_free(&def);
	free(sample);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, full_file);
	tcase_add_test(tc, partial_file_keeps_defaults);
	tcase_add_test(tc, comments);
	tcase_add_test(tc, error_unknown_key);
	tcase_add_test(tc, error_wrong_type);
	tcase_add_test(tc, error_bad_value);
	tcase_add_test(tc, error_syntax);
	tcase_add_test(tc, formats_like_the_command_line);
	tcase_add_test(tc, jsonc_any_schema);
	tcase_add_test(tc, error_unreadable);
	tcase_add_test(tc, rules_replace_defaults);
	tcase_add_test(tc, prefix_and_glob);
	tcase_add_test(tc, find_and_load);
	tcase_add_test(tc, sample_file);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
