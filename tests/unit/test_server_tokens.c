/*
 * test_server_tokens.c -- the bearer tokens of `newsgate serve`
 * (core/server_tokens.c): the file format, roles, and matching of an
 * Authorization header (whole token only, any entry, no prefix or
 * suffix match), and messages that never show a token.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"
#include "unit.h"

/* Writes `text` to a temporary file; returns its path (static). */
static const char *file_with(const char *text)
{
    static char path[64];
    int fd;

    snprintf(path, sizeof path, "/tmp/ng-tokens-XXXXXX");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
    return path;
}

START_TEST(roles_from_file)
{
    const char *p = file_with("# comment\n\n  alpha-1 moderator\n"
                              "beta-22\tpublisher # trailing\r\n"
                              "gamma submitter\nalpha-1 publisher\n");
    ng__srv_tokens *t;
    char err[256];

    ck_assert_int_eq(ng__srv_tokens_load(p, &t, err, sizeof err), 0);
    unlink(p);
    ck_assert_uint_eq(ng__srv_tokens_count(t), 4);
    ck_assert_int_eq(ng__srv_tokens_role(t, "Bearer alpha-1"),
                     NG__ROLE_MODERATOR | NG__ROLE_PUBLISHER);
    ck_assert_int_eq(ng__srv_tokens_role(t, "bearer beta-22"),
                     NG__ROLE_PUBLISHER);
    ck_assert_int_eq(ng__srv_tokens_role(t, "Bearer gamma"),
                     NG__ROLE_SUBMITTER);
    /* Whole tokens only. */
    ck_assert_int_eq(ng__srv_tokens_role(t, "Bearer alpha"), 0);
    ck_assert_int_eq(ng__srv_tokens_role(t, "Bearer alpha-10"), 0);
    ck_assert_int_eq(ng__srv_tokens_role(t, "Bearer gamm"), 0);
    ck_assert_int_eq(ng__srv_tokens_role(t, "Basic alpha-1"), 0);
    ck_assert_int_eq(ng__srv_tokens_role(t, "Bearer "), 0);
    ck_assert_int_eq(ng__srv_tokens_role(t, NULL), 0);
    ck_assert_int_eq(ng__srv_tokens_role(NULL, "Bearer alpha-1"), 0);
    ng__srv_tokens_free(t);
}
END_TEST

START_TEST(bad_lines_named_not_shown)
{
    const char *p = file_with("good moderator\ns3cret-value admin\n");
    ng__srv_tokens *t = (ng__srv_tokens *)1;
    char err[256];

    ck_assert_int_eq(ng__srv_tokens_load(p, &t, err, sizeof err), -1);
    ck_assert_ptr_null(t);
    ck_assert_ptr_nonnull(strstr(err, ":2: expected TOKEN ROLE"));
    ck_assert_ptr_null(strstr(err, "s3cret"));
    unlink(p);
    ck_assert_int_eq(ng__srv_tokens_load("/nonexistent/tokens", &t, err,
                                         sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "cannot open"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("server_tokens");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, roles_from_file);
    tcase_add_test(tc, bad_lines_named_not_shown);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ng_unit_run(suite());
}
