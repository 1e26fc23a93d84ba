/*
 * unit.h -- what every C unit test shares: running a check suite and
 * turning its result into the process exit status.
 */
#ifndef NG_UNIT_H
#define NG_UNIT_H

#include <check.h>

/* Runs `s` (verbosity from CK_VERBOSITY) and frees it.  Returns 0 when
 * every test passed, else 1. */
static inline int ng_unit_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

#endif
