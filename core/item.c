/*
 * item.c -- a news item: allocation, the field table (NG__ITEM_FIELDS of
 * item.h) turned into data, the public item API (ng_item_new, _set, _get,
 * _add_image, _validate and the accessors), and the analysis that rules
 * ask for (normalized text, folded words, links, domains), each computed
 * on first use and cached on the item.
 *
 * The reader (input.c) and embedders fill items; text.c, url.c and html.c
 * do the work behind the analysis.  An item is used by one thread at a
 * time, so the caches need no locking.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grow.h"
#include "html.h"
#include "item.h"
#include "list.h"
#include "text.h"
#include "url.h"

static const ng__field_def fields[] = {
#define NG__FIELD_ROW(id, member, name, kind, limit, header, pattern) \
    { id, name, kind, limit, offsetof(struct ng_item, member), header, \
      pattern },
    NG__ITEM_FIELDS(NG__FIELD_ROW)
#undef NG__FIELD_ROW
};
#define NFIELDS (sizeof fields / sizeof fields[0])

const ng__field_def *ng__item_fields(size_t *n)
{
    *n = NFIELDS;
    return fields;
}

const ng__field_def *ng__item_field_def(const char *name)
{
    for (size_t i = 0; name && i < NFIELDS; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

const ng__field_def *ng__item_field_by_id(ng_field f)
{
    for (size_t i = 0; i < NFIELDS; i++)
        if (fields[i].id == f)
            return &fields[i];
    return NULL;
}

ng_item *ng__item_new(void)
{
    return calloc(1, sizeof(ng_item));
}

int ng_item_new(ng_item **out)
{
    if (!out)
        return NG_EINVAL;
    *out = ng__item_new();
    return *out ? NG_OK : NG_ENOMEM;
}

char *ng__dupn(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (c) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

/* Checks `s` against the syntax of its kind and sets the derived state
 * (time, format flag).  Returns NG_OK or NG_EINVAL with err set. */
static int check_kind(ng_item *it, const ng__field_def *def, const char *s,
                      char *err, size_t errlen)
{
    int64_t t;
    switch (def->kind) {
    case NG__FK_TIME:
        if (ng_time_parse(s, &t) != NG_OK) {
            snprintf(err, errlen, "field 'submitted_at' is not an RFC 3339 "
                     "time (like 2024-05-01T12:00:00Z): '%.40s'", s);
            return NG_EINVAL;
        }
        it->submitted_unix = t;
        return NG_OK;
    case NG__FK_FORMAT:
        if (strcmp(s, "text") != 0 && strcmp(s, "html") != 0) {
            snprintf(err, errlen,
                     "field 'format' must be \"text\" or \"html\"");
            return NG_EINVAL;
        }
        it->body_is_html = strcmp(s, "html") == 0;
        return NG_OK;
    default:
        return NG_OK;
    }
}

/* Clears the state derived from field `def`. */
static void clear_kind(ng_item *it, const ng__field_def *def)
{
    if (def->kind == NG__FK_TIME)
        it->submitted_unix = 0;
    else if (def->kind == NG__FK_FORMAT)
        it->body_is_html = 0;
    else if (def->kind == NG__FK_META)
        ng__item_set_meta(it, NULL);
}

int ng__item_set_n(ng_item *it, const ng__field_def *def, const char *s,
                   size_t len, char *err, size_t errlen)
{
    char **dst = NG__ITEM_MEMBER(it, def), *c;
    int rc;
    it->validated = 0;
    if (!s) {
        free(*dst);
        *dst = NULL;
        clear_kind(it, def);
        return NG_OK;
    }
    if (!ng__utf8_valid(s, len, NULL)) {
        snprintf(err, errlen, "field '%s' is not valid UTF-8 text",
                 def->name);
        return NG_EINVAL;
    }
    if (def->kind == NG__FK_META)
        return ng__item_set_meta_text(it, s, len, err, errlen);
    if (!(c = ng__dupn(s, len)))
        return NG_ENOMEM;
    if ((rc = check_kind(it, def, c, err, errlen)) != NG_OK) {
        free(c);
        return rc;
    }
    free(*dst);
    *dst = c;
    return NG_OK;
}

int ng_item_set(ng_item *it, ng_field f, const char *value)
{
    const ng__field_def *def = ng__item_field_by_id(f);
    char err[160];
    if (!it || !def)
        return NG_EINVAL;
    return ng__item_set_n(it, def, value, value ? strlen(value) : 0, err,
                          sizeof err);
}

const char *ng_item_get(const ng_item *it, ng_field f)
{
    const ng__field_def *def = ng__item_field_by_id(f);
    if (!it || !def)
        return NULL;
    return *NG__ITEM_MEMBER((ng_item *)it, def);
}

static int opt_dup(const char *s, char **out)
{
    *out = NULL;
    if (!s)
        return NG_OK;
    if (!ng__utf8_valid(s, strlen(s), NULL))
        return NG_EINVAL;
    return (*out = strdup(s)) ? NG_OK : NG_ENOMEM;
}

int ng_item_add_image(ng_item *it, const char *url, const char *caption,
                      const char *credit)
{
    ng__image img;
    int rc;
    if (!it)
        return NG_EINVAL;
    memset(&img, 0, sizeof img);
    if ((rc = opt_dup(url, &img.url)) != NG_OK
        || (rc = opt_dup(caption, &img.caption)) != NG_OK
        || (rc = opt_dup(credit, &img.credit)) != NG_OK
        || (rc = ng__grow(&it->images, &it->images_cap, it->nimages, 1,
                          sizeof *it->images, 4) ? NG_ENOMEM : NG_OK)) {
        free(img.url);
        free(img.caption);
        free(img.credit);
        return rc;
    }
    it->images[it->nimages++] = img;
    it->validated = 0;
    return NG_OK;
}

/* 1 when s holds nothing but white space. */
static int all_blank(const char *s)
{
    for (; *s; s++)
        if (!strchr(" \t\r\n\f\v", *s))
            return 0;
    return 1;
}

static size_t limit_of(const ng__field_def *def, const ng_limits *l)
{
    switch (def->limit) {
    case NG__FL_TITLE: return l->max_title_bytes;
    case NG__FL_BODY: return l->max_body_bytes;
    case NG__FL_FIELD: return l->max_field_bytes;
    default: return (size_t)-1;
    }
}

size_t ng__item_limit(const ng__field_def *def, const ng_limits *l)
{
    return limit_of(def, l);
}

/* Required fields and limits.  Returns NG_OK or NG_EINPUT with err. */
static int check_fields(const ng_item *it, const ng_limits *l, char *err,
                        size_t errlen)
{
    if (!it->title || all_blank(it->title) || !it->body
        || all_blank(it->body)) {
        snprintf(err, errlen, "%s", !it->title ? "missing title"
                 : all_blank(it->title) ? "title is empty"
                 : !it->body ? "missing body" : "body is empty");
        return NG_EINPUT;
    }
    for (size_t i = 0; i < NFIELDS; i++) {
        const char *v = *NG__ITEM_MEMBER((ng_item *)it, &fields[i]);
        size_t n = v ? strlen(v) : 0, max = limit_of(&fields[i], l);
        if (n > max) {
            snprintf(err, errlen, "%s is %zu bytes, over the limit of %zu",
                     fields[i].name, n, max);
            return NG_EINPUT;
        }
    }
    if (it->nimages > l->max_images) {
        snprintf(err, errlen, "images has %zu entries, over the limit of "
                 "%zu", it->nimages, l->max_images);
        return NG_EINPUT;
    }
    return NG_OK;
}

/* Derives body_text from the body.  Returns NG_OK, NG_EINPUT, NG_ENOMEM. */
static int derive_text(ng_item *it, char *err, size_t errlen)
{
    char herr[128] = "";
    free(it->body_text);
    free(it->cleaned_body);
    it->cleaned_body = NULL;
    ng__strlist_free(&it->html_links);
    if (!it->body_is_html) {
        it->body_text = strdup(it->body);
        return it->body_text ? NG_OK : NG_ENOMEM;
    }
    it->body_text = ng__html_to_text(it->body, strlen(it->body),
                                     &it->html_links, NULL, herr,
                                     sizeof herr);
    if (it->body_text)
        return NG_OK;
    if (!herr[0])
        return NG_ENOMEM;
    snprintf(err, errlen, "%s", herr);
    return NG_EINPUT;
}

int ng_item_validate(ng_item *it, const ng_limits *lim, char *err,
                     size_t errlen)
{
    char scratch[8];
    ng_limits l;
    int rc;
    if (!err || !errlen) {
        err = scratch;
        errlen = sizeof scratch;
    }
    err[0] = '\0';
    if (!it)
        return NG_EINVAL;
    if (it->validated)
        return NG_OK;
    ng__limits_fill(&l, lim);
    if ((rc = check_fields(it, &l, err, errlen)) != NG_OK
        || (rc = derive_text(it, err, errlen)) != NG_OK)
        return rc;
    if (!it->submitted_at)
        it->submitted_unix = (int64_t)time(NULL);
    /* Fields changed since an earlier check: drop the stale analysis. */
    ng__item_analysis_reset(it);
    it->validated = 1;
    return NG_OK;
}

int ng__strlist_push(ng__strlist *l, const char *s, size_t len)
{
    if (ng__grow(&l->v, &l->cap, l->n, 1, sizeof *l->v, 8) < 0)
        return -1;
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

static void part_free(ng__part *p)
{
    free(p->own);
    free(p->own_words);
    memset(p, 0, sizeof *p);
}

static void analysis_free(ng__analysis *an)
{
    part_free(&an->part[NG__PART_TITLE]);
    part_free(&an->part[NG__PART_BODY]);
    ng__list_wordset_free(&an->listwords);
    free(an->text);
    free(an->folded);
    free(an->words);
    ng__strlist_free(&an->links);
    ng__strlist_free(&an->domains);
    if (an->dup && an->dup_free)
        an->dup_free(an->dup);
    memset(an, 0, sizeof *an);
}

void ng__item_analysis_reset(ng_item *it)
{
    analysis_free(&it->an);
}

void ng_item_free(ng_item *it)
{
    if (!it)
        return;
    free(it->title);
    free(it->body);
    free(it->body_text);
    free(it->cleaned_body);
    free(it->url);
    free(it->source);
    free(it->author);
    free(it->submitter);
    free(it->external_id);
    free(it->submitted_at);
    free(it->format);
    ng__item_set_meta(it, NULL);
    ng__strlist_free(&it->html_links);
    for (size_t i = 0; i < it->nimages; i++) {
        free(it->images[i].url);
        free(it->images[i].caption);
        free(it->images[i].credit);
    }
    free(it->images);
    free(it->origin);
    analysis_free(&it->an);
    free(it);
}

const char *ng_item_title(const ng_item *it)
{
    return ng_item_get(it, NG_FIELD_TITLE);
}

const char *ng_item_body(const ng_item *it)
{
    return ng_item_get(it, NG_FIELD_BODY);
}

const char *ng_item_url(const ng_item *it)
{
    return ng_item_get(it, NG_FIELD_URL);
}

const char *ng_item_submitter(const ng_item *it)
{
    return ng_item_get(it, NG_FIELD_SUBMITTER);
}

const char *ng_item_external_id(const ng_item *it)
{
    return ng_item_get(it, NG_FIELD_EXTERNAL_ID);
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
        an->passes++;
        an->have_text = 1;
    }
    if (len)
        *len = an->text_len;
    return an->text;
}

const ng__word *ng__item_words(ng_item *it, size_t *n, const char **folded)
{
    /* What a text without words gives, so NULL means only "no memory"
     * (callers used to read NULL with *n == 0 as an empty text, and a
     * failed allocation silently became zero words). */
    static const ng__word no_words[1];
    ng__analysis *an = &it->an;
    if (n)
        *n = 0;
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
    return an->words ? an->words : no_words;
}

/* Makes part p from s on its own: normalized, folded, split.  0 or -1. */
static int part_alone(ng__part *p, const char *s, unsigned *passes)
{
    size_t nl, fl;
    char *norm = ng__text_normalize(s ? s : "", s ? strlen(s) : 0, &nl);
    if (!norm)
        return -1;
    (*passes)++;
    p->own = ng__text_fold(norm, nl, &fl);
    free(norm);
    if (!p->own || ng__text_words(p->own, fl, &p->own_words, &p->nwords))
        return -1;
    p->base = p->own;
    p->words = p->own_words;
    return 0;
}

/*
 * Finds the title and the body within the joined folded words.  The
 * title is normalized and folded alone (titles are short) to learn where
 * it ends: normalization never reaches across the "\n\n" between title
 * and body (a starter and white space), so the joined folded text is the
 * folded title, "\n\n", then the folded body (tests/unit/test_item.c
 * checks the cases that could break this).  Should the joined text not
 * start so, both parts are made on their own instead.  Returns 0 or -1.
 */
static int find_parts(ng_item *it)
{
    ng__analysis *an = &it->an;
    ng__part *t = &an->part[NG__PART_TITLE], *b = &an->part[NG__PART_BODY];
    size_t tnl, tfl, k = 0;
    char *tn = ng__text_normalize(it->title ? it->title : "",
                                  it->title ? strlen(it->title) : 0, &tnl);
    char *tf = tn ? ng__text_fold(tn, tnl, &tfl) : NULL;
    int whole = tf && tnl > 0 && an->text_len == tnl, ok, nomem = !tf;

    an->passes += tn != NULL;
    ok = tf && (tnl == 0 || whole
                || (an->folded_len >= tfl + 2
                    && memcmp(an->folded, tf, tfl) == 0
                    && memcmp(an->folded + tfl, "\n\n", 2) == 0));
    free(tn);
    free(tf);
    if (nomem)
        return -1;
    if (!ok) {
        const char *body = it->body_text ? it->body_text : it->body;
        return part_alone(t, it->title, &an->passes) == 0
            && part_alone(b, body, &an->passes) == 0 ? 0 : -1;
    }
    while (tnl > 0 && k < an->nwords && (whole || an->words[k].off < tfl))
        k++;
    *t = (ng__part){ an->folded, an->words, k, NULL, NULL };
    *b = (ng__part){ an->folded, an->words + k, an->nwords - k, NULL, NULL };
    return 0;
}

const ng__part *ng__item_part(ng_item *it, int which)
{
    ng__analysis *an = &it->an;
    if (!an->have_parts) {
        ng__item_words(it, NULL, NULL);
        if (!an->have_words || find_parts(it) < 0) {
            part_free(&an->part[NG__PART_TITLE]);
            part_free(&an->part[NG__PART_BODY]);
            return NULL;
        }
        an->have_parts = 1;
    }
    return &an->part[which];
}

const ng__wordset *ng__item_listwords(ng_item *it)
{
    ng__analysis *an = &it->an;
    size_t len;
    const char *t;
    if (!an->have_listwords) {
        if (!(t = ng__item_text(it, &len))
            || ng__list_wordset(&an->listwords, t, len) != 0)
            return NULL;
        an->wordsets++;
        an->have_listwords = 1;
    }
    return &an->listwords;
}

/* A set of the strings already in one ng__strlist, so that appending
 * only new strings costs O(1) per string instead of a scan of the list
 * (22,000 links in one item took 2 s).  Open addressing, linear
 * probing; a slot holds a list index + 1, 0 is empty. */
typedef struct uniq {
    size_t *slot;
    size_t cap; /* a power of two, at least twice the list's length */
} uniq;

static size_t uniq_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return (size_t)h;
}

/* Returns the slot holding `s` or the empty slot where it would go. */
static size_t *uniq_find(const uniq *u, const ng__strlist *l, const char *s,
                         size_t len)
{
    size_t i = uniq_hash(s, len) & (u->cap - 1);
    for (;; i = (i + 1) & (u->cap - 1)) {
        size_t *at = &u->slot[i];
        if (*at == 0)
            return at;
        const char *v = l->v[*at - 1];
        if (strncmp(v, s, len) == 0 && v[len] == '\0')
            return at;
    }
}

/* Rebuilds `u` over every string of `l` with room for more.  0 or -1. */
static int uniq_rebuild(uniq *u, const ng__strlist *l)
{
    size_t cap = 16;
    while (cap / 4 <= l->n) {
        if (cap > SIZE_MAX / (2 * sizeof *u->slot))
            return -1;
        cap *= 2;
    }
    size_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return -1;
    free(u->slot);
    u->slot = slot;
    u->cap = cap;
    for (size_t i = 0; i < l->n; i++)
        *uniq_find(u, l, l->v[i], strlen(l->v[i])) = i + 1;
    return 0;
}

/* Appends `s` (len bytes) to `l` unless it is there.  Returns 0 or -1. */
static int uniq_push(uniq *u, ng__strlist *l, const char *s, size_t len)
{
    if ((!u->slot || (l->n + 1) * 2 > u->cap) && uniq_rebuild(u, l) < 0)
        return -1;
    size_t *at = uniq_find(u, l, s, len);
    if (*at)
        return 0;
    if (ng__strlist_push(l, s, len) < 0)
        return -1;
    *at = l->n;
    return 0;
}

/* Appends the strings of `from` that `to` lacks.  Returns 0 or -1. */
static int merge_unique(uniq *u, ng__strlist *to, const ng__strlist *from)
{
    for (size_t i = 0; i < from->n; i++)
        if (uniq_push(u, to, from->v[i], strlen(from->v[i])) < 0)
            return -1;
    return 0;
}

/* Fills links and domains together. */
static int compute_links(ng_item *it)
{
    ng__analysis *an = &it->an;
    ng__strlist found = {0};
    uniq seen = {0}, hosts = {0};
    int rc = merge_unique(&seen, &an->links, &it->html_links);
    if (rc == 0 && it->body_text)
        rc = ng__text_find_urls(it->body_text, strlen(it->body_text),
                                &found);
    if (rc == 0)
        rc = merge_unique(&seen, &an->links, &found);
    ng__strlist_free(&found);
    for (size_t i = 0; rc == 0 && i < an->links.n; i++) {
        char host[256];
        int hl = ng__url_host(an->links.v[i], host, sizeof host);
        if (hl > 0)
            rc = uniq_push(&hosts, &an->domains, host, (size_t)hl);
    }
    free(seen.slot);
    free(hosts.slot);
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
    const ng__field_def *def;
    if (len)
        *len = 0;
    if (!it || !name)
        return NULL;
    if (strcmp(name, "text") == 0)
        return ng__item_text(it, len);
    if (strcmp(name, "html") == 0)
        return with_len(it->body_is_html ? it->body : NULL, len);
    if (!(def = ng__item_field_def(name)) || !def->pattern)
        return NULL;
    if (def->kind == NG__FK_BODY && it->body_text)
        return with_len(it->body_text, len);
    return with_len(*NG__ITEM_MEMBER(it, def), len);
}
