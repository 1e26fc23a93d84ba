/* embed.c -- the smallest program embedding libnewsgate, built by
 * tests/scripts/install.sh against an installed tree with nothing but
 * `pkg-config --cflags --libs newsgate`.  Usage: embed RULES_DIR. */
#include <stdio.h>
#include <newsgate.h>

int main(int argc, char **argv)
{
    ng_engine *e;
    ng_item *it;
    ng_verdict *v;
    char *json;

    if (argc < 2 || ng_engine_open(&e, NULL) != NG_OK)
        return 70;
    if (ng_engine_load_rules(e, argv[1]) != NG_OK) {
        fprintf(stderr, "rules: %s\n", ng_engine_errmsg(e));
        return 78;
    }
    /* An item built from fields, no JSON text involved. */
    if (ng_item_new(&it) != NG_OK
        || ng_item_set(it, NG_FIELD_TITLE, "Harbour reopens") != NG_OK
        || ng_item_set(it, NG_FIELD_BODY, "The harbour reopened on Monday.")
           != NG_OK
        || ng_item_set(it, NG_FIELD_SUBMITTER, "kim") != NG_OK
        || ng_check(e, it, &v) != NG_OK)
        return 65;
    json = ng_verdict_json(v, 0);
    printf("newsgate %s: %s by %s %s\n", NG_VERSION,
           ng_action_name(ng_verdict_action(v)),
           ng_item_get(it, NG_FIELD_SUBMITTER), json ? json : "");
    ng_free(json);
    ng_verdict_free(v);
    ng_item_free(it);
    ng_engine_close(e);
    return 0;
}
