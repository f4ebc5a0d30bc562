/*
 * test_hostlist.c - Slurm hostlist expressions: expansion in scontrol's
 * order (cases checked against `scontrol show hostnames` of Slurm 22.05),
 * refusal of malformed ones with a position, compression for display.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "hostlist.h"

/* Expand expr and return the hosts joined by spaces (malloc'd). */
static char *
expand_joined(const char *expr)
{
	struct strlist l = { 0 };
	size_t len = 1;
	char *s;

	pr_errclear();
	ck_assert_msg(hostlist_expand(expr, &l) == PR_OK, "%s: %s", expr,
	    pr_errmsg());
	for (size_t i = 0; i < l.n; i++)
		len += strlen(l.v[i]) + 1;
	s = calloc(1, len);
	for (size_t i = 0; i < l.n; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, l.v[i]);
	}
	strlist_free(&l);
	return s;
}

static void
check_expand(const char *expr, const char *want)
{
	char *got = expand_joined(expr);

	ck_assert_msg(strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\"",
	    expr, got, want);
	free(got);
}

/* expr must be refused with a message containing each of the words. */
static void
check_refused(const char *expr, const char *word1, const char *word2)
{
	struct strlist l = { 0 };

	pr_errclear();
	ck_assert_msg(hostlist_expand(expr, &l) == PR_EUSAGE, "%s accepted",
	    expr);
	ck_assert_msg(strstr(pr_errmsg(), word1) != NULL, "%s: \"%s\" lacks "
	    "\"%s\"", expr, pr_errmsg(), word1);
	if (word2 != NULL)
		ck_assert_msg(strstr(pr_errmsg(), word2) != NULL, "%s: \"%s\" "
		    "lacks \"%s\"", expr, pr_errmsg(), word2);
	ck_assert_uint_eq(l.n, 0);
	strlist_free(&l);
}

START_TEST(plain_and_ranges)
{
	check_expand("rpc-91-1", "rpc-91-1");
	check_expand("rpc-91-[1-3,10]", "rpc-91-1 rpc-91-2 rpc-91-3 rpc-91-10");
	check_expand("x1,y[2-3],z", "x1 y2 y3 z");
	check_expand("x1 , y2", "x1 y2");
	check_expand(" a\tb\n", "a b");
	check_expand("[8-12]", "8 9 10 11 12");
	check_expand("n[7]", "n7");
	check_expand("node.example_1", "node.example_1");
}
END_TEST

START_TEST(padding)
{
	check_expand("rpg-[001-010]", "rpg-001 rpg-002 rpg-003 rpg-004 "
	    "rpg-005 rpg-006 rpg-007 rpg-008 rpg-009 rpg-010");
	check_expand("x[8-12]", "x8 x9 x10 x11 x12");
	check_expand("x[1-010]", "x1 x2 x3 x4 x5 x6 x7 x8 x9 x10");
	check_expand("a[01-3]", "a01 a02 a03");
	check_expand("a[998-1000]", "a998 a999 a1000");
	check_expand("n[0001-3]", "n0001 n0002 n0003");
	check_expand("n[09-11]", "n09 n10 n11");
}
END_TEST

START_TEST(several_groups_in_slurm_order)
{
	check_expand("a[1-2]-b[3-4]", "a1-b3 a1-b4 a2-b3 a2-b4");
	check_expand("a[1-2][3-4]", "a13 a14 a23 a24");
	check_expand("a[9-11]x[08-09]",
	    "a9x08 a9x09 a10x08 a10x09 a11x08 a11x09");
	check_expand("a[1-2],b[3-4]c[5-6]", "a1 a2 b3c5 b3c6 b4c5 b4c6");
	/* Slurm recurses from the right: the last group varies fastest, the
	 * second-to-last slowest. */
	check_expand("a[1-2]b[3-4]c[5-6]", "a1b3c5 a1b3c6 a2b3c5 a2b3c6 "
	    "a1b4c5 a1b4c6 a2b4c5 a2b4c6");
	check_expand("r[1-2]c[1-2]n[1-2]x[1-2]",
	    "r1c1n1x1 r1c1n1x2 r2c1n1x1 r2c1n1x2 r1c2n1x1 r1c2n1x2 "
	    "r2c2n1x1 r2c2n1x2 r1c1n2x1 r1c1n2x2 r2c1n2x1 r2c1n2x2 "
	    "r1c2n2x1 r1c2n2x2 r2c2n2x1 r2c2n2x2");
}
END_TEST

START_TEST(duplicates_removed)
{
	struct strlist l = { 0 };

	check_expand("a[1,1,2],a1", "a1 a2");
	check_expand("n[1-3],n[2-5]", "n1 n2 n3 n4 n5");
	/* Appending keeps what is there and skips names already listed. */
	strlist_add(&l, "n2");
	ck_assert_int_eq(hostlist_expand("n[1-3]", &l), PR_OK);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.v[0], "n2");
	ck_assert_str_eq(l.v[1], "n1");
	ck_assert_str_eq(l.v[2], "n3");
	strlist_free(&l);
}
END_TEST

START_TEST(malformed)
{
	check_refused("", "empty nodelist", NULL);
	check_refused("  ", "empty nodelist", NULL);
	check_refused(NULL, "empty nodelist", NULL);
	check_refused("n[1-2", "not closed", "position 6");
	check_refused("n[[1]]", "nested", "position 3");
	check_refused("a]", "without '['", "position 2");
	check_refused("n[3-1]", "backwards", "position 3");
	check_refused("a,,b", "empty host name", "position 3");
	check_refused(",a", "empty host name", "position 1");
	check_refused("a,", "empty host name", "position 2");
	check_refused("a[]", "empty range", "position 3");
	check_refused("a[1-2,]", "empty range", "position 7");
	check_refused("n[1-]", "empty range", "position 5");
	check_refused("n[-1]", "empty range", "position 3");
	check_refused("a[a-b]", "only digits", "position 3");
	check_refused("a[ 1-2]", "only digits", "position 3");
	check_refused("a[1-2-3]", "one '-'", "position 6");
	check_refused("a[1-3]b", "after the last bracket", "position 7");
	check_refused("a/b", "not allowed", "position 2");
	check_refused("a;rm", "not allowed", "position 2");
	check_refused("n[1234567890123456789]", "too long", NULL);
}
END_TEST

START_TEST(too_many_refused_before_allocating)
{
	struct strlist l = { 0 };
	char big[400];

	check_refused("n[0-999999]", "more than 65536", NULL);
	check_refused("n[0-65536]", "more than 65536", NULL);
	check_refused("n[0-999][0-999]", "more than 65536", NULL);
	check_refused("a[0-40000],b[0-40000]", "more than 65536", NULL);
	check_refused("n[0-999999999999999999]", "more than 65536", NULL);
	/* Huge products overflow nothing. */
	strcpy(big, "n");
	for (int i = 0; i < 30; i++)
		strcat(big, "[0-99999]");
	check_refused(big, "more than 65536", NULL);
	ck_assert_int_eq(hostlist_expand("n[0-65535]", &l), PR_OK);
	ck_assert_uint_eq(l.n, HOSTLIST_MAX);
	ck_assert_str_eq(l.v[65535], "n65535");
	strlist_free(&l);
}
END_TEST

START_TEST(host_name_length)
{
	char name[300];

	memset(name, 'a', 255);
	name[255] = '\0';
	free(expand_joined(name));
	strcpy(name + 254, "[1-99]");
	check_refused(name, "too long", "position 1");
}
END_TEST

static void
check_compress(const char *expr, const char *want)
{
	struct strlist l = { 0 }, again = { 0 };
	char *got;

	ck_assert_int_eq(hostlist_expand(expr, &l), PR_OK);
	got = hostlist_compress(&l);
	ck_assert_msg(strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\"",
	    expr, got, want);
	/* The compressed form expands to the same hosts. */
	ck_assert_int_eq(hostlist_expand(got, &again), PR_OK);
	ck_assert_uint_eq(again.n, l.n);
	for (size_t i = 0; i < l.n; i++)
		ck_assert_str_eq(again.v[i], l.v[i]);
	free(got);
	strlist_free(&l);
	strlist_free(&again);
}

START_TEST(compress)
{
	struct strlist empty = { 0 };
	char *s = hostlist_compress(&empty);

	ck_assert_str_eq(s, "");
	free(s);
	check_compress("rpc-91-1", "rpc-91-1");
	check_compress("rpc-91-1,rpc-91-2,rpc-91-3,rpc-91-10",
	    "rpc-91-[1-3,10]");
	check_compress("rpg-[001-010]", "rpg-[001-010]");
	check_compress("x[8-12]", "x[8-12]");
	check_compress("x1,y2,y3,z", "x1,y[2-3],z");
	check_compress("a01,a1,a2", "a[01,1-2]");
	check_compress("a[1-2]-b[3-4]", "a1-b[3-4],a2-b[3-4]");
	check_compress("n3,n1,n2", "n[3,1-2]");
	check_compress("login,n[1-2]", "login,n[1-2]");
	check_compress("[8-12]", "[8-12]");
	check_compress("n[0-65535]", "n[0-65535]");
}
END_TEST

/* Found by fuzz_hostlist: a group of 30000 single values (what compress
 * makes of "[1-30000][6]") used to expand in quadratic time. */
START_TEST(many_single_ranges_linear)
{
	struct strlist l = { 0 }, again = { 0 };
	char *c;

	ck_assert_int_eq(hostlist_expand("n[1-30000][6]", &l), PR_OK);
	ck_assert_uint_eq(l.n, 30000);
	c = hostlist_compress(&l);
	ck_assert(strncmp(c, "n[16,26,36,", 11) == 0);
	ck_assert_int_eq(hostlist_expand(c, &again), PR_OK);
	ck_assert_uint_eq(again.n, 30000);
	ck_assert_str_eq(again.v[29999], "n300006");
	free(c);
	strlist_free(&l);
	strlist_free(&again);
}
END_TEST

/* scontrol show hostnames for expr, duplicates dropped keeping the first,
 * joined by spaces; NULL if scontrol cannot run. */
static char *
scontrol_hostnames(const char *expr)
{
	struct strlist seen = { 0 };
	char line[512], *cmd, *out;
	size_t len = 1;
	FILE *p;

	cmd = xasprintf("scontrol show hostnames '%s' 2>/dev/null", expr);
	p = popen(cmd, "r");
	free(cmd);
	if (p == NULL)
		return NULL;
	while (fgets(line, sizeof line, p) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strlist_find(&seen, line) < 0) {
			strlist_add(&seen, line);
			len += strlen(line) + 1;
		}
	}
	if (pclose(p) != 0) {
		strlist_free(&seen);
		return NULL;
	}
	out = calloc(1, len);
	for (size_t i = 0; i < seen.n; i++) {
		if (i > 0)
			strcat(out, " ");
		strcat(out, seen.v[i]);
	}
	strlist_free(&seen);
	return out;
}

/* A random well-formed expression: 1-3 hosts of 0-3 bracket groups. */
static void
random_expr(unsigned *seed, char *buf, size_t size)
{
	static const char *prefix[] = { "n", "rpc-91-", "gpu", "", "a1-" };
	size_t len = 0;
	int hosts = 1 + rand_r(seed) % 3;

	for (int h = 0; h < hosts; h++) {
		int groups = rand_r(seed) % 4;

		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    h ? "," : "", prefix[rand_r(seed) % 5]);
		if (groups == 0)
			len += (size_t)snprintf(buf + len, size - len, "x%d",
			    rand_r(seed) % 20);
		for (int g = 0; g < groups; g++) {
			int ranges = 1 + rand_r(seed) % 3;

			if (g > 0 && rand_r(seed) % 2)
				len += (size_t)snprintf(buf + len, size - len,
				    "-b");
			buf[len++] = '[';
			for (int r = 0; r < ranges; r++) {
				int lo = rand_r(seed) % 120, w = 1 + rand_r(seed) % 3;

				len += (size_t)snprintf(buf + len, size - len,
				    "%s%0*d", r ? "," : "", w, lo);
				if (rand_r(seed) % 2)
					len += (size_t)snprintf(buf + len,
					    size - len, "-%d",
					    lo + rand_r(seed) % 6);
			}
			buf[len++] = ']';
			buf[len] = '\0';
		}
	}
}

/* Differential test against the real Slurm, when it is installed. */
START_TEST(matches_scontrol)
{
	char *dir = tu_tmpdir(), *conf = xasprintf("%s/slurm.conf", dir);
	static const char *fixed[] = { "rpc-91-[1-3,10]", "rpg-[001-010]",
	    "[8-12]", "x[1-010]", "a[1-2]-b[3-4]", "a[1-2]b[3-4]c[5-6]",
	    "a[9-11]x[08-09]", "n[0001-3]", "x1 , y[2-3],z", "a[1,1,2],a1" };
	unsigned seed = 20261122;
	char expr[512], *want;

	if (system("command -v scontrol >/dev/null 2>&1") != 0) {
		tu_rmrf(dir);
		return;		/* no Slurm here: nothing to compare with */
	}
	tu_write(conf, "ClusterName=t\nSlurmctldHost=localhost\n"
	    "NodeName=localhost\nPartitionName=p Nodes=localhost\n");
	setenv("SLURM_CONF", conf, 1);
	for (int i = 0; i < 400; i++) {
		char *got;

		if (i < 10)
			strcpy(expr, fixed[i]);
		else
			random_expr(&seed, expr, sizeof expr);
		want = scontrol_hostnames(expr);
		ck_assert_msg(want != NULL, "scontrol refused %s", expr);
		got = expand_joined(expr);
		ck_assert_msg(strcmp(got, want) == 0, "%s: got \"%s\", "
		    "scontrol says \"%s\"", expr, got, want);
		free(got);
		free(want);
	}
	tu_rmrf(dir);
	free(dir);
	free(conf);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("hostlist");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, plain_and_ranges);
	tcase_add_test(tc, padding);
	tcase_add_test(tc, several_groups_in_slurm_order);
	tcase_add_test(tc, duplicates_removed);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, too_many_refused_before_allocating);
	tcase_add_test(tc, host_name_length);
	tcase_add_test(tc, compress);
	tcase_add_test(tc, many_single_ranges_linear);
	tcase_add_test(tc, matches_scontrol);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
