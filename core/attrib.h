/*
 * attrib.h -- what the attribution analysis modules share: quotations
 * and their speakers (quotes.c), credit lines and datelines (credits.c),
 * publishers' fingerprints (publishers.c), and a small helper
 * (attrib.c).  See docs/attribution.md.
 *
 * Conventions of the layer: every function works on one UTF-8 text with
 * an explicit length and reports byte spans [start, end) into it;
 * functions that can fail return 0 on success and -1 when out of memory.
 * Work is linear in the text: every scan is bounded, so hostile input
 * (quotes that never close, 100,000 quote marks) costs what its length
 * costs.
 */
#ifndef NG_ATTRIB_H
#define NG_ATTRIB_H

#include <stddef.h>

/* ---- helpers (attrib.c) ------------------------------------------ */

/* Returns 1 when s[0..len) equals one of the NULL-terminated ASCII
 * `words`, ignoring ASCII case; else 0. */
int ng__attrib_word_in(const char *s, size_t len, const char *const *words);

/* ---- the cleaned body (attrib_clean.c) --------------------------- */

/* Maps the cleaned body `clean` (the body with the clean phase's
 * furniture cut and white space folded) back to `body`: sets *map to
 * clen + 1 offsets (malloc'd, caller frees), (*map)[i] being where
 * clean[i] stands in body ((*map)[clen]: past the last byte mapped).
 * Returns 0 or -1 on no memory (*map NULL). */
int ng__attrib_clean_map(const char *body, size_t blen, const char *clean,
                         size_t clen, size_t **map);

/* ---- quotations (quotes.c) --------------------------------------- */

/* At most this many quotations are reported per text. */
#define NG__QUOTES_MAX 4096

typedef struct ng__quote {
    size_t start, end;        /* opening mark .. past the closing mark
                                 (or the end of the last paragraph) */
    size_t in_start, in_end;  /* the quoted words, marks excluded */
    size_t spk_start, spk_end;   /* speaker as written; empty if none */
    size_t who_start, who_end;   /* the named person the speaker stands
                                    for (a resolved pronoun); empty when
                                    it is the speaker itself or unknown */
    size_t verb_start, verb_end; /* speech verb; empty if none */
    size_t lead_start, lead_end; /* the latest name standing as a
                                    sentence's subject between the
                                    quotation before and this one (not
                                    that one's speaker); empty if none */
    unsigned words;           /* words inside the marks */
    unsigned paragraphs;      /* paragraphs the quotation runs over */
    unsigned closed : 1;      /* a closing mark was found */
    unsigned inherited : 1;   /* speaker carried over from the quotation
                                 before (a continued quotation) */
} ng__quote;

/* Finds the direct quotations of `s` (straight, curly, low-9 and
 * guillemet double quotes; curly single quotes) and attributes each to a
 * speaker when the sentence around it names one.  Sets *out (malloc'd,
 * caller frees; NULL when none) and *n.  Returns 0 or -1. */
int ng__quotes_find(const char *s, size_t len, ng__quote **out, size_t *n);

/* ---- credit lines (credits.c) ------------------------------------ */

typedef enum ng__credit_kind {
    NG__CREDIT_DATELINE,   /* "WASHINGTON (AP) -", "(Reuters) -" */
    NG__CREDIT_SOURCE,     /* "Source: ...", "Image source: ..." */
    NG__CREDIT_COPYRIGHT,  /* "© REUTERS/...", "Image copyright ..." */
    NG__CREDIT_PHOTO,      /* "Photo: ...", "AP Photo/...", "Getty Images" */
    NG__CREDIT_KINDS
} ng__credit_kind;

/* Names of the kinds, for Lua: "dateline", "source", "copyright",
 * "photo". */
extern const char *const ng__credit_kind_names[NG__CREDIT_KINDS];

typedef struct ng__credit {
    ng__credit_kind kind;
    size_t start, end;        /* the whole credit as written */
    size_t pub_start, pub_end; /* the publisher named (never empty) */
} ng__credit;

/* At most this many credits are reported per text. */
#define NG__CREDITS_MAX 1024

/* Finds credit lines and datelines in `s`.  Sets *out (malloc'd, caller
 * frees; NULL when none) and *n, in text order.  Returns 0 or -1. */
int ng__credits_find(const char *s, size_t len, ng__credit **out, size_t *n);

/* ---- publishers' fingerprints (publishers.c) --------------------- */

typedef struct ng__publishers ng__publishers;

/* What gives a publisher away. */
typedef enum ng__evidence_kind {
    NG__EV_FURNITURE,  /* a line or phrase their site prints */
    NG__EV_CREDIT,     /* a credit line or dateline naming them */
    NG__EV_LINK        /* a link to one of their domains */
} ng__evidence_kind;

typedef struct ng__evidence {
    size_t pub;               /* index of the publisher */
    ng__evidence_kind kind;
    int credit;               /* for NG__EV_CREDIT: its ng__credit_kind */
    size_t start, end;        /* span in the text; empty for a link */
    const char *what;         /* the fingerprint or domain (owned by the
                                 list), or NULL for a credit */
} ng__evidence;

/* Reads a publishers file (format in docs/attribution.md).  Returns 0
 * and sets *out, or -1 with "line N: problem" or "cannot open: reason" or
 * "out of memory" in err. */
int ng__publishers_load(ng__publishers **out, const char *path, char *err,
                        size_t errlen);
void ng__publishers_free(ng__publishers *p);

/* Number of publishers, and the display name of publisher i. */
size_t ng__publishers_count(const ng__publishers *p);
const char *ng__publishers_name(const ng__publishers *p, size_t i);

/* Collects the evidence in `text` (its furniture), in the credits found
 * in it, and in the item's link `domains` (n of them), grouped by
 * publisher in list order and by position within one.  Sets *out
 * (malloc'd, caller frees; NULL when none) and *n.  Returns 0 or -1. */
int ng__publishers_match(const ng__publishers *p, const char *text,
                         size_t len, const ng__credit *cr, size_t ncr,
                         const char *const *domains, size_t ndomains,
                         ng__evidence **out, size_t *n);

/* 1 when `source` (may be NULL) names publisher i or `host` (may be
 * NULL: a lower-case host without "www.") is one of its domains or below
 * one; else 0. */
int ng__publishers_credited(const ng__publishers *p, size_t i,
                            const char *source, const char *host);

#endif
