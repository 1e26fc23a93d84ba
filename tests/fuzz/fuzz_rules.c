/*
 * fuzz_rules.c -- fuzz target: loading a rule file (rules.c, sandbox.c,
 * the prelude) and running it once over an item (engine.c and the Lua
 * item API).
 *
 * The input is the text of one rule file, written as the only file of a
 * scratch rules directory and loaded into a fresh engine (so no input
 * depends on the one before), with a small instruction budget and a
 * short deadline.  When it loads, one fixed item is checked.
 * Properties: loading either succeeds or reports a message; a check
 * always gives a verdict (a failing rule is an error in it, never a
 * failed check), and the verdict serialises.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "newsgate.h"
#include "fuzz.h"

static char dir[64], file[96];

static void cleanup(void)
{
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    snprintf(dir, sizeof dir, "/tmp/ng-fuzz-rules-XXXXXX");
    if (!mkdtemp(dir))
        ng_fuzz_fail("mkdtemp");
    snprintf(file, sizeof file, "%s/fuzz.lua", dir);
    atexit(cleanup);
    return 0;
}

/* The item every loaded rule file is run over. */
static ng_item *sample(void)
{
    ng_item *it;

    if (ng_item_new(&it) != NG_OK
        || ng_item_set(it, NG_FIELD_TITLE, "Minister says \"no\"") != NG_OK
        || ng_item_set(it, NG_FIELD_BODY, "WASHINGTON (AP) - \"We will "
                       "not,\" she said. Visit https://example.com/a "
                       "now!\n\nPhoto: Reuters") != NG_OK
        || ng_item_set(it, NG_FIELD_URL, "https://www.example.com/x?utm_"
                       "source=y") != NG_OK
        || ng_item_set(it, NG_FIELD_SOURCE, "Reuters") != NG_OK)
        ng_fuzz_fail("cannot build the sample item");
    return it;
}

static void check_once(ng_engine *e)
{
    ng_item *it = sample();
    ng_verdict *v = NULL;
    int rc = ng_check(e, it, &v);

    if (rc != NG_OK)
        ng_fuzz_fail("a check failed instead of reporting rule errors");
    ng_fuzz_verdict(v);
    ng_item_free(it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ng_engine_options o = { 0 };
    ng_engine *e;
    FILE *f = fopen(file, "wb");

    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        ng_fuzz_fail("cannot write the rule file");
    o.rule_instructions = 200000;
    o.check_deadline_ms = 50;
    o.lua_memory_cap = 16u << 20;
    if (ng_engine_open(&e, &o) != NG_OK)
        ng_fuzz_fail("engine_open");
    int rc = ng_engine_load_rules(e, dir);
    if (rc == NG_OK)
        check_once(e);
    else if (rc != NG_ERULES || !*ng_engine_errmsg(e))
        ng_fuzz_fail("a failed load without a message");
    ng_engine_close(e);
    unlink(file);
    return 0;
}
