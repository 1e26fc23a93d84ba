/*
 * cli_decide.c -- `newsgate queue approve|reject`: moderator decisions on
 * several items at once, given by id and by a selection (--status,
 * --rule, --submitter, --since, --limit), without silent overrides.
 *
 * Before deciding an item the command reads it (ng_queue_show): an item a
 * moderator already decided is refused unless --force is given, and a
 * forced decision is recorded with an audit detail that starts with
 * "override of STATUS by NAME:" followed by the note, so the audit trail
 * shows who overrode whom and why.  Each item is decided on its own; a
 * refused or missing item does not stop the others.  The exit status is
 * 0 when every item was decided, 3 when some were refused or missing, 74
 * on a store error (which stops the run).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "grow.h"
#include "cli.h"
#include "cli_queue.h"
#include "cli_util.h"

typedef struct idlist {
    int64_t *v;
    size_t n, cap;
} idlist;

static int push(idlist *l, int64_t id)
{
    if (ng__grow(&l->v, &l->cap, l->n, 1, sizeof *l->v, 64) < 0)
        return -1;
    l->v[l->n++] = id;
    return 0;
}

/* Adds the items the selection options pick.  Returns 0 or an exit
 * status. */
static int select_items(ng_store *s, const ng__qopts *o, idlist *l)
{
    ng_queue_filter f = { .status = o->status, .rule = o->rule,
                          .since = o->since,
                          .limit = o->limit ? o->limit : INT64_MAX,
                          .submitter = o->submitter };
    char *json = NULL;
    json_t *arr, *row;
    size_t i;
    int rc = ng_queue_list(s, &f, &json);

    if (rc != NG_OK)
        return ng__cli_queue_fail(s, rc);
    arr = json_loads(json, 0, NULL);
    ng_free(json);
    if (!json_is_array(arr)) {
        json_decref(arr);
        ng__cli_err("cannot read the store's JSON");
        return EXIT_INTERNAL;
    }
    json_array_foreach(arr, i, row) {
        if (push(l, json_integer_value(json_object_get(row, "id"))) < 0) {
            json_decref(arr);
            ng__cli_err("out of memory");
            return EXIT_INTERNAL;
        }
    }
    json_decref(arr);
    return 0;
}

/* The earlier moderator decision on item `id`: *by and *status (copies to
 * free) when there is one, else NULL.  Returns NG_OK or the show error. */
static int earlier(ng_store *s, int64_t id, char **by, char **status)
{
    char *json = NULL;
    json_t *o;
    int rc = ng_queue_show(s, id, &json);

    *by = *status = NULL;
    if (rc != NG_OK)
        return rc;
    o = json_loads(json, 0, NULL);
    ng_free(json);
    if (o == NULL)
        return NG_ENOMEM;
    if (json_string_value(json_object_get(o, "decided_by"))) {
        *by = strdup(json_string_value(json_object_get(o, "decided_by")));
        *status = strdup(json_string_value(json_object_get(o, "status"))
                         ? json_string_value(json_object_get(o, "status")) : "?");
    }
    json_decref(o);
    return NG_OK;
}

/* Prints "#ID approved" / {"id":ID,"done":"approved","override":true}. */
static void report(const ng__qopts *o, int64_t id, int approve, int over)
{
    const char *what = approve ? "approved" : "rejected";

    if (o->form == NG__OUT_TEXT)
        printf("#%lld %s%s\n", (long long)id, what,
               over ? " (override)" : "");
    else
        printf("{\"id\":%lld,\"done\":\"%s\"%s}\n", (long long)id, what,
               over ? ",\"override\":true" : "");
}

/* The audit detail of a decision: the note (approve) or the reason and
 * the note (reject), prefixed for an override.  Returns a malloc'd
 * string or NULL. */
static char *detail(const ng__qopts *o, int approve, const char *by,
                    const char *status)
{
    const char *text = approve ? o->note : o->reason;
    const char *note = approve ? NULL : o->note;
    size_t n = 64 + (text ? strlen(text) : 0) + (note ? strlen(note) : 0)
               + (by ? strlen(by) + strlen(status) : 0);
    char *d = malloc(n);

    if (d == NULL)
        return NULL;
    snprintf(d, n, "%s%s%s%s%s%s%s%s", by ? "override of " : "",
             by ? status : "", by ? " by " : "", by ? by : "", by ? ": " : "",
             text ? text : "", note ? "; note: " : "", note ? note : "");
    return d;
}

/* Decides one item.  Returns 0 done, EXIT_NOTFOUND refused or missing,
 * or another exit status to stop. */
static int decide_one(ng_store *s, const ng__qopts *o, int approve,
                      int64_t id)
{
    char *by = NULL, *status = NULL, *d;
    int rc = earlier(s, id, &by, &status);

    if (rc != NG_OK)
        return ng__cli_queue_fail(s, rc);
    if (by && !o->force) {
        ng__cli_err("item %lld: already %s by moderator %s; give --force and "
                    "--note TEXT to override", (long long)id, status, by);
        free(by), free(status);
        return EXIT_NOTFOUND;
    }
    d = detail(o, approve, by, status);
    rc = d == NULL ? NG_ENOMEM
       : approve ? ng_queue_approve(s, id, o->by, *d ? d : NULL)
       : o->spam ? ng_queue_reject_spam(s, id, o->by, d)
                 : ng_queue_reject(s, id, o->by, d);
    free(d);
    if (rc == NG_OK)
        report(o, id, approve, by != NULL);
    free(by), free(status);
    return rc == NG_OK ? 0 : ng__cli_queue_fail(s, rc);
}

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts the ids (oldest first) and drops repeats: an item given twice,
 * or given and also selected, is decided once. */
static void unique(idlist *l)
{
    size_t k = 0;

    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, by_id);
    for (size_t i = 0; i < l->n; i++)
        if (k == 0 || l->v[i] != l->v[k - 1])
            l->v[k++] = l->v[i];
    l->n = k;
}

int ng__cli_decide(ng_store *s, const ng__qopts *o, int approve)
{
    idlist l = { 0 };
    size_t done = 0, refused = 0;
    int rc = 0, status = 0;

    for (int i = 0; i < o->nargs && rc == 0; i++)
        if (push(&l, ng__cli_number(o->args[i])) < 0)
            rc = EXIT_INTERNAL;
    if (rc == 0 && (o->status || o->rule || o->submitter || o->since))
        rc = select_items(s, o, &l);
    unique(&l);
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        int one = decide_one(s, o, approve, l.v[i]);
        if (one == 0)
            done++;
        else if (one == EXIT_NOTFOUND)
            refused++, status = EXIT_NOTFOUND;
        else
            rc = one;
    }
    fflush(stdout);
    if (l.n > 1 || (l.n == 0 && rc == 0))
        fprintf(stderr, "newsgate: %zu items: %zu %s, %zu refused or not "
                "found\n", l.n, done, approve ? "approved" : "rejected",
                refused);
    free(l.v);
    return rc ? rc : status;
}
