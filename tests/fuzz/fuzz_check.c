/*
 * fuzz_check.c -- fuzz target: an item checked against the default rules
 * (rules/, or $NEWSGATE_RULES), the whole analysis the rules ask for:
 * HTML, text, links, lists, quotations, credits, publishers, spam.
 *
 * The input is read as a submission (format chosen by its first bytes,
 * as `newsgate check` does); each item it gives is checked by one engine
 * loaded once, with no store (the rules that need one see none).
 * Properties: every item read gives a verdict; the verdict serialises as
 * JSON and as text; no hit span ends before it starts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsgate.h"
#include "fuzz.h"

static ng_engine *engine;

static void cleanup(void)
{
    ng_engine_close(engine);
    engine = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *rules = getenv("NEWSGATE_RULES");

    if (ng_engine_open(&engine, NULL) != NG_OK
        || ng_engine_load_rules(engine, rules ? rules : "rules") != NG_OK) {
        fprintf(stderr, "fuzz_check: %s\n", ng_engine_errmsg(engine));
        ng_fuzz_fail("the default rules do not load");
    }
    atexit(cleanup);
    return 0;
}

static void check_item(ng_item *it)
{
    ng_verdict *v = NULL;

    if (ng_check(engine, it, &v) != NG_OK)
        ng_fuzz_fail("a read item gave no verdict");
    ng_fuzz_verdict(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ng_reader *r;
    ng_item *it;
    int rc, n = 0;

    if (ng_reader_open(&r, "fuzz", (const char *)data, size, NG_FORMAT_AUTO,
                       NULL) != NG_OK)
        ng_fuzz_fail("reader_open");
    /* A few items per input keep each run short. */
    while (n++ < 4 && (rc = ng_reader_next(r, &it)) != NG_DONE) {
        if (rc != NG_OK)
            continue;
        check_item(it);
        ng_item_free(it);
    }
    ng_reader_close(r);
    return 0;
}
