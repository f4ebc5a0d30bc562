/*
 * test_strlist.c - the growable string list every module uses.
 */
#include "testutil.h"

#include "strlist.h"

START_TEST(add_find_free)
{
	struct strlist l = { 0 };

	for (int i = 0; i < 100; i++)
		strlist_addf(&l, "node%03d", i);
	strlist_add(&l, "x");
	ck_assert_uint_eq(l.n, 101);
	ck_assert_str_eq(l.v[42], "node042");
	ck_assert_int_eq(strlist_find(&l, "x"), 100);
	ck_assert_int_eq(strlist_find(&l, "y"), -1);
	strlist_free(&l);
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("strlist");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, add_find_free);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
