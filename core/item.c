/*
 * item.c -- a news item: allocation, the public field accessors, and the
 * analysis that rules ask for (normalized text, folded words, links,
 * domains), each computed on first use and cached on the item.
 *
 * The reader (input.c) fills items; text.c, url.c and html.c do the work
 * behind the analysis.  An item is used by one thread at a time, so the
 * caches need no locking.
 */
#include <stdlib.h>
#include <string.h>

#include "item.h"
#include "text.h"
#include "url.h"

ng_item *ng__item_new(void)
{
    return calloc(1, sizeof(ng_item));
}

int ng__strlist_push(ng__strlist *l, const char *s, size_t len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    char *c = malloc(len + 1);
    if (!c)
        return -1;
    memcpy(c, s, len);
    c[len] = '\0';
    l->v[l->n++] = c;
    return 0;
}

void ng__strlist_free(ng__strlist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static void analysis_free(ng__analysis *an)
{
    free(an->text);
    free(an->folded);
    free(an->words);
    ng__strlist_free(&an->links);
    ng__strlist_free(&an->domains);
    if (an->dup && an->dup_free)
        an->dup_free(an->dup);
    memset(an, 0, sizeof *an);
}

void ng_item_free(ng_item *it)
{
    if (!it)
        return;
    free(it->title);
    free(it->body);
    free(it->body_text);
    free(it->url);
    free(it->source);
    free(it->author);
    free(it->submitter);
    free(it->external_id);
    free(it->submitted_at);
    ng__strlist_free(&it->html_links);
    for (size_t i = 0; i < it->nimages; i++) {
        free(it->images[i].url);
        free(it->images[i].caption);
        free(it->images[i].credit);
    }
    free(it->images);
    free(it->meta_json);
    free(it->origin);
    analysis_free(&it->an);
    free(it);
}

const char *ng_item_title(const ng_item *it)
{
    return it ? it->title : NULL;
}

const char *ng_item_body(const ng_item *it)
{
    return it ? it->body : NULL;
}

const char *ng_item_url(const ng_item *it)
{
    return it ? it->url : NULL;
}

const char *ng_item_submitter(const ng_item *it)
{
    return it ? it->submitter : NULL;
}

const char *ng_item_external_id(const ng_item *it)
{
    return it ? it->external_id : NULL;
}

const char *ng__item_text(ng_item *it, size_t *len)
{
    ng__analysis *an = &it->an;
    if (!an->have_text) {
        const char *body = it->body_text ? it->body_text : "";
        const char *title = it->title ? it->title : "";
        size_t tl = strlen(title), bl = strlen(body);
        char *joined = malloc(tl + bl + 3);
        if (!joined)
            return NULL;
        memcpy(joined, title, tl);
        memcpy(joined + tl, "\n\n", 2);
        memcpy(joined + tl + 2, body, bl + 1);
        an->text = ng__text_normalize(joined, tl + bl + 2, &an->text_len);
        free(joined);
        if (!an->text)
            return NULL;
        an->have_text = 1;
    }
    if (len)
        *len = an->text_len;
    return an->text;
}

const ng__word *ng__item_words(ng_item *it, size_t *n, const char **folded)
{
    ng__analysis *an = &it->an;
    if (!an->have_words) {
        size_t tl;
        const char *t = ng__item_text(it, &tl);
        if (!t)
            return NULL;
        if (!an->folded) {
            an->folded = ng__text_fold(t, tl, &an->folded_len);
            if (!an->folded)
                return NULL;
        }
        if (ng__text_words(an->folded, an->folded_len, &an->words,
                           &an->nwords) < 0)
            return NULL;
        an->have_words = 1;
    }
    if (n)
        *n = an->nwords;
    if (folded)
        *folded = an->folded;
    return an->words;
}

static int strlist_has(const ng__strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return 1;
    return 0;
}

/* Appends the strings of `from` that `to` lacks.  Returns 0 or -1. */
static int merge_unique(ng__strlist *to, const ng__strlist *from)
{
    for (size_t i = 0; i < from->n; i++)
        if (!strlist_has(to, from->v[i])
            && ng__strlist_push(to, from->v[i], strlen(from->v[i])) < 0)
            return -1;
    return 0;
}

/* Fills links and domains together. */
static int compute_links(ng_item *it)
{
    ng__analysis *an = &it->an;
    ng__strlist found = {0};
    int rc = merge_unique(&an->links, &it->html_links);
    if (rc == 0 && it->body_text)
        rc = ng__text_find_urls(it->body_text, strlen(it->body_text),
                                &found);
    if (rc == 0)
        rc = merge_unique(&an->links, &found);
    ng__strlist_free(&found);
    for (size_t i = 0; rc == 0 && i < an->links.n; i++) {
        char host[256];
        int hl = ng__url_host(an->links.v[i], host, sizeof host);
        if (hl > 0 && !strlist_has(&an->domains, host))
            rc = ng__strlist_push(&an->domains, host, (size_t)hl);
    }
    if (rc < 0) {
        ng__strlist_free(&an->links);
        ng__strlist_free(&an->domains);
        return -1;
    }
    an->have_links = 1;
    return 0;
}

const ng__strlist *ng__item_links(ng_item *it)
{
    if (!it->an.have_links && compute_links(it) < 0)
        return NULL;
    return &it->an.links;
}

const ng__strlist *ng__item_domains(ng_item *it)
{
    if (!it->an.have_links && compute_links(it) < 0)
        return NULL;
    return &it->an.domains;
}

static const char *with_len(const char *s, size_t *len)
{
    if (s && len)
        *len = strlen(s);
    return s;
}

const char *ng__item_field(ng_item *it, const char *name, size_t *len)
{
    if (len)
        *len = 0;
    if (!it || !name)
        return NULL;
    if (strcmp(name, "text") == 0)
        return ng__item_text(it, len);
    if (strcmp(name, "title") == 0)
        return with_len(it->title, len);
    if (strcmp(name, "body") == 0)
        return with_len(it->body_text ? it->body_text : it->body, len);
    if (strcmp(name, "html") == 0)
        return with_len(it->body_is_html ? it->body : NULL, len);
    if (strcmp(name, "url") == 0)
        return with_len(it->url, len);
    if (strcmp(name, "source") == 0)
        return with_len(it->source, len);
    if (strcmp(name, "author") == 0)
        return with_len(it->author, len);
    if (strcmp(name, "submitter") == 0)
        return with_len(it->submitter, len);
    return NULL;
}
