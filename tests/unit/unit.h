/*
 * unit.h -- what every C unit test shares: running a check suite and
 * turning its result into the process exit status, and the choice of a
 * PostgreSQL test database for the store tests.
 */
#ifndef NG_UNIT_H
#define NG_UNIT_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

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

/* The socket directory of the test PostgreSQL cluster
 * (NEWSGATE_TEST_PGHOST, set by tests/scripts/store-pg.sh), or NULL when
 * the store tests run on SQLite. */
static inline const char *ng_unit_pghost(void)
{
    const char *h = getenv("NEWSGATE_TEST_PGHOST");
    return h && *h ? h : NULL;
}

/* With a test cluster, writes the URL of its database ng_<name> (made
 * by the script) into db[n]; without one leaves db (a SQLite path). */
static inline void ng_unit_pg_db(char *db, size_t n, const char *name)
{
    if (ng_unit_pghost())
        snprintf(db, n, "postgresql:///ng_%s?host=%s&user=newsgate", name,
                 ng_unit_pghost());
}

#endif
