/*
 * test_byteclass.c -- the shared byte class table (core/byteclass.c)
 * against the definitions it replaced: publishers.c's word bytes (ASCII
 * letters and digits, and every byte of 0x80 and up) and shapes.c's and
 * the quote grammar's ASCII letters and digits, for all 256 bytes.
 */
#include <check.h>

#include "byteclass.h"
#include "unit.h"

START_TEST(every_byte)
{
    for (unsigned c = 0; c < 256; c++) {
        int alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z');
        ck_assert_int_eq(ng__bc_alnum((unsigned char)c) != 0, alnum);
        ck_assert_int_eq(ng__bc_word((unsigned char)c) != 0, alnum || c >= 0x80);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("byteclass");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_byte);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ng_unit_run(suite());
}
