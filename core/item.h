/*
 * item.h -- the private shape of a news item and its cached analysis.
 *
 * A parsed item owns all its strings.  Every string field is valid UTF-8,
 * NUL-terminated and free of embedded NULs (the reader refuses anything
 * else), so C code may treat them as plain C strings.  Analysis (normalized
 * text, words, links, domains, fingerprints) is computed on first use and
 * cached on the item, so rules pay only for what they ask.
 */
#ifndef NG_ITEM_H
#define NG_ITEM_H

#include <stddef.h>
#include <stdint.h>
#include "newsgate.h"

typedef struct ng__image {
    char *url;      /* may be NULL */
    char *caption;  /* may be NULL */
    char *credit;   /* may be NULL */
} ng__image;

/* A word of the folded text: byte offset and length into it. */
typedef struct ng__word {
    uint32_t off;
    uint32_t len;
} ng__word;

/* A growable list of owned strings. */
typedef struct ng__strlist {
    char **v;
    size_t n, cap;
} ng__strlist;

struct ng__dupinfo; /* duplicate-detection cache, owned by core/dup*.c */

typedef struct ng__analysis {
    char *text;          /* NFKC, whitespace collapsed: title "\n\n" body */
    size_t text_len;
    char *folded;        /* text case-folded (for words and matching) */
    size_t folded_len;
    ng__word *words;     /* words of `folded` */
    size_t nwords;
    ng__strlist links;   /* anchors of an HTML body, then URLs in text */
    ng__strlist domains; /* lower-case hosts of links, "www." dropped,
                            unique, in order of first appearance */
    unsigned have_text : 1, have_words : 1, have_links : 1;
    struct ng__dupinfo *dup;              /* owned by the dup module */
    void (*dup_free)(struct ng__dupinfo *); /* frees `dup` */
} ng__analysis;

struct ng_item {
    char *title;         /* required */
    char *body;          /* required; as submitted (text or HTML) */
    char *body_text;     /* body as plain text (== a copy of body when
                            format is text); HTML reduced by html.c */
    char *url, *source, *author, *submitter, *external_id; /* may be NULL */
    char *submitted_at;  /* RFC 3339 as given, or NULL */
    int64_t submitted_unix; /* parsed time, or the time of reading */
    int body_is_html;    /* format == "html" */
    ng__strlist html_links; /* href of <a> in an HTML body, in order */
    ng__image *images;
    size_t nimages;
    char *meta_json;     /* the meta object serialised as JSON, or NULL */

    /* Where the item came from, for messages. */
    char *origin;        /* file name, "-" for stdin */
    size_t index;        /* 1-based item number within origin */
    size_t line;         /* 1-based line where the item starts */

    ng__analysis an;
};

/* Copies `in` (may be NULL) to `l` and fills every zero limit with its
 * default (the one place the defaults are written down). */
void ng__limits_fill(ng_limits *l, const ng_limits *in);

/* Allocates an empty item (all fields NULL/0), or NULL. */
ng_item *ng__item_new(void);

/* Normalized plain text of title and body (see ng__analysis.text).  Returns
 * the cached text and sets *len, or NULL when out of memory. */
const char *ng__item_text(ng_item *it, size_t *len);

/* Case-folded text and its words.  Returns the words and sets *n and
 * *folded (the buffer the offsets point into), or NULL on no memory. */
const ng__word *ng__item_words(ng_item *it, size_t *n, const char **folded);

/* Links and their domains (see ng__analysis).  Return NULL on no memory. */
const ng__strlist *ng__item_links(ng_item *it);
const ng__strlist *ng__item_domains(ng_item *it);

/* Text of a named field for pattern matching: "title", "body" (plain
 * text), "html" (raw body), "url", "source", "author", "submitter",
 * "text" (normalized title+body).  Returns NULL when the field is absent
 * or unknown. */
const char *ng__item_field(ng_item *it, const char *name, size_t *len);

/* ng__strlist helpers.  push copies `s` (len bytes); returns 0 or -1 on
 * no memory.  free releases the strings and the array. */
int ng__strlist_push(ng__strlist *l, const char *s, size_t len);
void ng__strlist_free(ng__strlist *l);

#endif
