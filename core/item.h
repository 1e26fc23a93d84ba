/*
 * item.h -- the private shape of a news item and its cached analysis.
 *
 * A parsed item owns all its strings.  Every string field is valid UTF-8,
 * NUL-terminated and free of embedded NULs (the reader refuses anything
 * else), so C code may treat them as plain C strings.  The fields are
 * defined once, in the table NG__ITEM_FIELDS below.  Analysis (normalized
 * text, words, links, domains, fingerprints) is computed on first use and
 * cached on the item, once per item, so rules pay only for what they ask
 * and every reader of the text (rules, lists, duplicate keys) shares it.
 */
#ifndef NG_ITEM_H
#define NG_ITEM_H

#include <stddef.h>
#include <stdint.h>
#include "newsgate.h"

struct json_t; /* jansson's value type; only item.c and input.c look in */

/* How a field is read, checked and handed out (see NG__ITEM_FIELDS). */
typedef enum ng__field_kind {
    NG__FK_TEXT,    /* plain UTF-8 string */
    NG__FK_BODY,    /* the body: rules and patterns see body_text */
    NG__FK_TIME,    /* RFC 3339; also parsed into submitted_unix */
    NG__FK_FORMAT,  /* "text" or "html"; also sets body_is_html */
    NG__FK_META     /* a JSON object, kept parsed in `meta` */
} ng__field_kind;

/* Which limit of ng_limits bounds a field. */
typedef enum ng__field_limit {
    NG__FL_TITLE, NG__FL_BODY, NG__FL_FIELD, NG__FL_NONE
} ng__field_limit;

/*
 * The item's fields, written down once.  Columns: public enum constant,
 * struct member (a `char *` of struct ng_item), JSON key, kind, limit
 * class, text header (1 when a plain-text file may set it with a
 * "Key: value" line), pattern field (1 when item:find and pattern rules
 * may name it).  The row order is the order of the serialised JSON.  The
 * reader (input.c), the accessors (item.c), the Lua push (lua_item.c) and
 * the serialiser (item_json.c) are all generated from this table.
 */
#define NG__ITEM_FIELDS(X)                                                \
    X(NG_FIELD_TITLE, title, "title", NG__FK_TEXT, NG__FL_TITLE, 1, 1)    \
    X(NG_FIELD_BODY, body, "body", NG__FK_BODY, NG__FL_BODY, 0, 1)        \
    X(NG_FIELD_FORMAT, format, "format", NG__FK_FORMAT, NG__FL_FIELD, 0, 0) \
    X(NG_FIELD_URL, url, "url", NG__FK_TEXT, NG__FL_FIELD, 1, 1)          \
    X(NG_FIELD_SOURCE, source, "source", NG__FK_TEXT, NG__FL_FIELD, 1, 1) \
    X(NG_FIELD_AUTHOR, author, "author", NG__FK_TEXT, NG__FL_FIELD, 1, 1) \
    X(NG_FIELD_SUBMITTER, submitter, "submitter", NG__FK_TEXT,            \
      NG__FL_FIELD, 1, 1)                                                 \
    X(NG_FIELD_EXTERNAL_ID, external_id, "external_id", NG__FK_TEXT,      \
      NG__FL_FIELD, 0, 0)                                                 \
    X(NG_FIELD_SUBMITTED_AT, submitted_at, "submitted_at", NG__FK_TIME,   \
      NG__FL_FIELD, 0, 0)                                                 \
    X(NG_FIELD_META, meta_json, "meta", NG__FK_META, NG__FL_NONE, 0, 0)

/* One row of NG__ITEM_FIELDS as data. */
typedef struct ng__field_def {
    ng_field id;
    const char *name;
    ng__field_kind kind;
    ng__field_limit limit;
    size_t offset;       /* offsetof(struct ng_item, member) */
    unsigned header : 1, pattern : 1;
} ng__field_def;

/* The table as an array of `n` rows (in NG__ITEM_FIELDS order). */
const ng__field_def *ng__item_fields(size_t *n);

/* The row named `name` (a JSON key), or NULL. */
const ng__field_def *ng__item_field_def(const char *name);

/* The row of public field `f`, or NULL when f is out of range. */
const ng__field_def *ng__item_field_by_id(ng_field f);

/* The member a row describes. */
#define NG__ITEM_MEMBER(it, def) \
    ((char **)(void *)((char *)(it) + (def)->offset))

/* Sets field `def` of `it` to a copy of s[0..len) (s NULL: clears it),
 * checking UTF-8 and the kind's syntax (time, format, meta object).
 * Returns NG_OK, NG_EINVAL with a message in err, or NG_ENOMEM. */
int ng__item_set_n(ng_item *it, const ng__field_def *def, const char *s,
                   size_t len, char *err, size_t errlen);

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

/* The title or the body within the item's one folded text: its words are
 * a run of the joined words (offsets into `base`).  Duplicate keys read
 * parts, so the body is normalized, folded and split once per item. */
typedef struct ng__part {
    const char *base;    /* the text the word offsets point into */
    const ng__word *words;
    size_t nwords;
    char *own;           /* when the part had to be made on its own */
    ng__word *own_words; /* (see item.c); else NULL */
} ng__part;

enum { NG__PART_TITLE, NG__PART_BODY, NG__NPARTS };

/* The words of a text as list matching reads them (list.c builds it):
 * each word of the text, and each word folded on its own. */
typedef struct ng__wordset {
    const char *text;    /* the text the spans of w point into */
    ng__word *w;         /* words of text */
    ng__word *fw;        /* word i folded alone: a span of fold */
    size_t n;
    char *fold;
    size_t fold_len, fold_cap;
} ng__wordset;

typedef struct ng__analysis {
    char *text;          /* NFKC, whitespace collapsed: title "\n\n" body */
    size_t text_len;
    char *folded;        /* text case-folded (for words and matching) */
    size_t folded_len;
    ng__word *words;     /* words of `folded` */
    size_t nwords;
    ng__part part[NG__NPARTS]; /* title and body within folded/words */
    ng__wordset listwords; /* words of `text` for list matching */
    ng__strlist links;   /* anchors of an HTML body, then URLs in text */
    ng__strlist domains; /* lower-case hosts of links, "www." dropped,
                            unique, in order of first appearance */
    unsigned have_parts : 1, have_text : 1, have_words : 1,
             have_listwords : 1, have_links : 1;
    unsigned passes;     /* normalization passes run over the item's
                            text (tests count them) */
    unsigned wordsets;   /* times listwords was built (tests: once) */
    struct ng__dupinfo *dup;              /* owned by the dup module */
    void (*dup_free)(struct ng__dupinfo *); /* frees `dup` */
    char *json;          /* ng__item_to_json, made ahead of filing by
                            ng_submit_check (off the writer), or NULL */
    size_t json_len;     /* strlen(json), once packed */
    size_t packed_len;   /* json in the store's stored form, 0: none;
                            its bytes follow json's NUL in json's own
                            allocation (store_api.c), so analysis_free's
                            free(json) releases both */
    const struct ng__store_ops *pack_ops; /* the backend that packed it */
} ng__analysis;

struct ng_item {
    char *title;         /* required */
    char *body;          /* required; as submitted (text or HTML) */
    char *body_text;     /* body as plain text (== a copy of body when
                            format is text); HTML reduced by html.c */
    char *cleaned_body;  /* body_text without the furniture the clean
                            phase marked, or NULL (verdict_clean.c) */
    char *url, *source, *author, *submitter, *external_id; /* may be NULL */
    char *submitted_at;  /* RFC 3339 as given, or NULL */
    char *format;        /* "text", "html" or NULL (= text) */
    int64_t submitted_unix; /* parsed time, or the time of reading */
    int body_is_html;    /* format == "html" */
    int validated;       /* ng_item_validate passed since the last set */
    ng__strlist html_links; /* href of <a> in an HTML body, in order */
    ng__image *images;
    size_t nimages, images_cap;
    char *meta_json;     /* the meta object serialised as JSON, or NULL */
    struct json_t *meta; /* the same, parsed once (NULL when absent) */

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

/* Sets meta from the JSON object `obj` (taking a new reference; NULL
 * clears it) and its compact text.  Returns NG_OK or NG_ENOMEM. */
int ng__item_set_meta(ng_item *it, struct json_t *obj);

/* Parses s[0..len) as the meta object.  Returns NG_OK, NG_EINVAL (not a
 * JSON object; message in err) or NG_ENOMEM. */
int ng__item_set_meta_text(ng_item *it, const char *s, size_t len,
                           char *err, size_t errlen);

/* The limit of ng_limits (filled) that bounds field `def`; (size_t)-1
 * when none does. */
size_t ng__item_limit(const ng__field_def *def, const ng_limits *l);

/* Drops the cached analysis (after the fields changed). */
void ng__item_analysis_reset(ng_item *it);

/* Serialises the item's fields as one JSON object (the table's order,
 * then images before meta); the store keeps it beside the item's columns.
 * Returns a string to free with free(), or NULL on no memory. */
char *ng__item_to_json(const ng_item *it);

/* Normalized plain text of title and body (see ng__analysis.text).  Returns
 * the cached text and sets *len, or NULL when out of memory. */
const char *ng__item_text(ng_item *it, size_t *len);

/* The title or body part (NG__PART_*) of the folded words, found on first
 * use.  Returns NULL on no memory. */
const ng__part *ng__item_part(ng_item *it, int which);

/* The words of the normalized text prepared for list matching, computed
 * once per item.  Returns NULL on no memory. */
const ng__wordset *ng__item_listwords(ng_item *it);

/* Case-folded text and its words.  Returns the words and sets *n and
 * *folded (the buffer the offsets point into), or NULL (and *n = 0) on no
 * memory only: a text without words gives a non-NULL empty array. */
const ng__word *ng__item_words(ng_item *it, size_t *n, const char **folded);

/* Links and their domains (see ng__analysis).  Return NULL on no memory. */
const ng__strlist *ng__item_links(ng_item *it);
const ng__strlist *ng__item_domains(ng_item *it);

/* Text of a named field for pattern matching: the table's pattern fields
 * ("title", "body" as plain text, "url", "source", "author",
 * "submitter"), "html" (raw body) and "text" (normalized title+body).
 * Returns NULL when the field is absent or unknown. */
const char *ng__item_field(ng_item *it, const char *name, size_t *len);

/* A NUL-terminated copy of s[0..n), or NULL on no memory. */
char *ng__dupn(const char *s, size_t n);

/* ng__strlist helpers.  push copies `s` (len bytes); returns 0 or -1 on
 * no memory.  free releases the strings and the array. */
int ng__strlist_push(ng__strlist *l, const char *s, size_t len);
void ng__strlist_free(ng__strlist *l);

#endif
