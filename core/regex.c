/*
 * regex.c -- the PCRE2 pattern cache.  This is the only file that
 * includes pcre2.h; the rest of newsgate sees the opaque types of regex.h.
 *
 * A cache belongs to one engine and is used by one thread.  Patterns are
 * compiled with UTF and UCP (so \w, \b and case-insensitivity follow
 * Unicode), JIT-compiled where the platform allows, and kept in a hash
 * table keyed by (flags, pattern) for the life of the cache.  One match
 * context carries the match and depth limits and the JIT stack; one
 * match-data block, grown to the largest capture count seen, serves every
 * match.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <xxhash.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "regex.h"
#include "regex_lit.h"

#define DEFAULT_MATCH_LIMIT 1000000u
#define DEFAULT_DEPTH_LIMIT 10000u
#define JIT_STACK_START (32u * 1024u)
#define JIT_STACK_MAX (1024u * 1024u)
#define MSG_LIMIT "pattern match limit exceeded"
#define MSG_DEADLINE "deadline exceeded"
/* First match limit of a match run under a deadline (doubled per try). */
#define DEADLINE_FIRST_LIMIT 20000u

struct ng__regex {
    ng__regex_cache *cache;   /* owner: match context and match data */
    pcre2_code *code;
    ng__relit *lit;           /* literal prefilter (regex_lit.h) or NULL */
    char *pattern;            /* owned copy, for the cache look-up */
    size_t plen;
    uint32_t opts;            /* PCRE2 compile options from the flags */
    uint64_t hash;
    uint32_t ncap;            /* capture groups, not counting group 0 */
    size_t bytes;             /* compiled size, JIT code included */
    int pins;                 /* rules holding it; never evicted while > 0 */
    ng__regex *next;          /* bucket chain */
    ng__regex *newer, *older; /* use order, most recent at c->newest */
};

struct ng__regex_cache {
    ng__regex **buckets;
    size_t nbuckets;          /* a power of two */
    size_t count;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack; /* created on first JIT-compiled pattern */
    pcre2_match_data *md;
    uint32_t md_pairs;        /* ovector pairs of md */
    int have_jit;
    size_t bytes;             /* sum of the patterns' bytes */
    ng__regex *newest, *oldest;
    uint32_t match_limit;
    uint64_t deadline_us;     /* 0: none */
};

/* Writes a formatted message into err when there is room for one. */
static void seterr(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

ng__regex_cache *ng__regex_cache_new(uint32_t match_limit,
                                     uint32_t depth_limit)
{
    ng__regex_cache *c = calloc(1, sizeof *c);
    uint32_t jit = 0;

    if (!c)
        return NULL;
    c->nbuckets = 64;
    c->buckets = calloc(c->nbuckets, sizeof *c->buckets);
    c->mctx = pcre2_match_context_create(NULL);
    c->md_pairs = 1;
    c->md = pcre2_match_data_create(c->md_pairs, NULL);
    if (!c->buckets || !c->mctx || !c->md) {
        ng__regex_cache_free(c);
        return NULL;
    }
    c->match_limit = match_limit ? match_limit : DEFAULT_MATCH_LIMIT;
    pcre2_set_match_limit(c->mctx, c->match_limit);
    pcre2_set_depth_limit(c->mctx, depth_limit ? depth_limit
                                               : DEFAULT_DEPTH_LIMIT);
    if (pcre2_config(PCRE2_CONFIG_JIT, &jit) == 0 && jit)
        c->have_jit = 1;
    return c;
}

static void entry_free(ng__regex *re)
{
    pcre2_code_free(re->code);
    ng__relit_free(re->lit);
    free(re->pattern);
    free(re);
}

void ng__regex_cache_free(ng__regex_cache *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; c->buckets && i < c->nbuckets; i++) {
        ng__regex *re = c->buckets[i], *next;
        for (; re; re = next) {
            next = re->next;
            entry_free(re);
        }
    }
    free(c->buckets);
    pcre2_match_data_free(c->md);
    pcre2_jit_stack_free(c->jit_stack);
    pcre2_match_context_free(c->mctx);
    free(c);
}

/* Maps flag letters to PCRE2 options.  Returns 0, or -1 with a message
 * naming the unknown letter. */
static int parse_flags(const char *flags, uint32_t *opts, char *err,
                       size_t errlen)
{
    *opts = PCRE2_UTF | PCRE2_UCP;
    for (; flags && *flags; flags++) {
        switch (*flags) {
        case 'i': *opts |= PCRE2_CASELESS; break;
        case 'm': *opts |= PCRE2_MULTILINE; break;
        case 's': *opts |= PCRE2_DOTALL; break;
        case 'x': *opts |= PCRE2_EXTENDED; break;
        default:
            if (err && errlen)
                snprintf(err, errlen, "unknown pattern flag '%c'", *flags);
            return -1;
        }
    }
    return 0;
}

/* Doubles the bucket array.  On no memory the table simply stays as it
 * is (longer chains, still correct). */
static void grow(ng__regex_cache *c)
{
    size_t n = c->nbuckets * 2, i;
    ng__regex **b = calloc(n, sizeof *b);

    if (!b)
        return;
    for (i = 0; i < c->nbuckets; i++) {
        ng__regex *re = c->buckets[i], *next;
        for (; re; re = next) {
            next = re->next;
            re->next = b[re->hash & (n - 1)];
            b[re->hash & (n - 1)] = re;
        }
    }
    free(c->buckets);
    c->buckets = b;
    c->nbuckets = n;
}

/* Makes sure the shared match data holds `ncap` groups and that a JIT
 * stack is assigned when the pattern was JIT-compiled.  Returns 0 or -1
 * on no memory. */
static int prepare_cache(ng__regex_cache *c, uint32_t ncap, int jitted)
{
    if (ncap + 1 > c->md_pairs) {
        pcre2_match_data *md = pcre2_match_data_create(ncap + 1, NULL);
        if (!md)
            return -1;
        pcre2_match_data_free(c->md);
        c->md = md;
        c->md_pairs = ncap + 1;
    }
    if (jitted && !c->jit_stack) {
        c->jit_stack = pcre2_jit_stack_create(JIT_STACK_START,
                                              JIT_STACK_MAX, NULL);
        if (!c->jit_stack)
            return -1;
        pcre2_jit_stack_assign(c->mctx, NULL, c->jit_stack);
    }
    return 0;
}

/* Size of compiled code, the interpreter's and JIT's. */
static size_t code_bytes(const pcre2_code *code)
{
    size_t size = 0, jit = 0;

    pcre2_pattern_info(code, PCRE2_INFO_SIZE, &size);
    if (pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &jit) != 0)
        jit = 0;
    return size + jit;
}

/* Compiles a new cache entry.  Returns it, or NULL with the message. */
static ng__regex *compile(ng__regex_cache *c, const char *pattern,
                          size_t plen, uint32_t opts, char *err,
                          size_t errlen)
{
    int ecode = 0, jitted = 0;
    PCRE2_SIZE eoff = 0;
    ng__regex *re = calloc(1, sizeof *re);

    if (!re || !(re->pattern = malloc(plen + 1))) {
        free(re);
        seterr(err, errlen, "out of memory");
        return NULL;
    }
    re->code = pcre2_compile((PCRE2_SPTR)pattern, plen, opts, &ecode,
                             &eoff, NULL);
    if (!re->code) {
        char msg[256];
        pcre2_get_error_message(ecode, (PCRE2_UCHAR *)msg, sizeof msg);
        if (err && errlen)
            snprintf(err, errlen, "offset %zu: %s", (size_t)eoff, msg);
        free(re->pattern);
        free(re);
        return NULL;
    }
    /* A pattern JIT cannot handle still works through the interpreter. */
    if (c->have_jit && pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0)
        jitted = 1;
    pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &re->ncap);
    /* No prefilter (NULL) costs nothing but speed. */
    if (!(opts & PCRE2_EXTENDED))
        re->lit = ng__relit_new(pattern, plen, (opts & PCRE2_CASELESS) != 0);
    re->bytes = sizeof *re + plen + 1 + code_bytes(re->code)
                + ng__relit_bytes(re->lit);
    if (prepare_cache(c, re->ncap, jitted) != 0) {
        ng__relit_free(re->lit);
        pcre2_code_free(re->code);
        free(re->pattern);
        free(re);
        seterr(err, errlen, "out of memory");
        return NULL;
    }
    memcpy(re->pattern, pattern, plen);
    re->pattern[plen] = '\0';
    re->plen = plen;
    re->opts = opts;
    re->cache = c;
    return re;
}

static void lru_unlink(ng__regex_cache *c, ng__regex *re)
{
    if (re->newer) re->newer->older = re->older;
    else c->newest = re->older;
    if (re->older) re->older->newer = re->newer;
    else c->oldest = re->newer;
    re->newer = re->older = NULL;
}

static void lru_front(ng__regex_cache *c, ng__regex *re)
{
    re->older = c->newest;
    re->newer = NULL;
    if (c->newest) c->newest->newer = re;
    else c->oldest = re;
    c->newest = re;
}

/* Drops `re` from its bucket chain, the use order and the totals. */
static void drop(ng__regex_cache *c, ng__regex *re)
{
    ng__regex **p = &c->buckets[re->hash & (c->nbuckets - 1)];

    while (*p != re)
        p = &(*p)->next;
    *p = re->next;
    lru_unlink(c, re);
    c->bytes -= re->bytes;
    c->count--;
    entry_free(re);
}

/* Drops least recently used, unpinned patterns other than `keep` while
 * the cache is over its count or byte bound. */
static void evict(ng__regex_cache *c, const ng__regex *keep)
{
    ng__regex *re = c->oldest, *newer;

    while (re && (c->count > NG__REGEX_MAX_COUNT
                  || c->bytes > NG__REGEX_MAX_BYTES)) {
        newer = re->newer;
        if (re != keep && re->pins == 0)
            drop(c, re);
        re = newer;
    }
}

void ng__regex_pin(ng__regex *re) { if (re) re->pins++; }
void ng__regex_unpin(ng__regex *re) { if (re && re->pins > 0) re->pins--; }
size_t ng__regex_cache_bytes(const ng__regex_cache *c) { return c ? c->bytes : 0; }
size_t ng__regex_cache_count(const ng__regex_cache *c) { return c ? c->count : 0; }
void ng__regex_deadline(ng__regex_cache *c, uint64_t deadline_us)
{
    if (c)
        c->deadline_us = deadline_us;
}

ng__regex *ng__regex_get(ng__regex_cache *c, const char *pattern,
                         const char *flags, char *err, size_t errlen)
{
    uint32_t opts;
    size_t plen, slot;
    uint64_t h;
    ng__regex *re;

    if (!c || !pattern) {
        seterr(err, errlen, "no pattern");
        return NULL;
    }
    if (parse_flags(flags, &opts, err, errlen) != 0)
        return NULL;
    plen = strlen(pattern);
    h = XXH3_64bits_withSeed(pattern, plen, opts);
    slot = h & (c->nbuckets - 1);
    for (re = c->buckets[slot]; re; re = re->next)
        if (re->hash == h && re->opts == opts && re->plen == plen &&
            memcmp(re->pattern, pattern, plen) == 0) {
            lru_unlink(c, re);
            lru_front(c, re);
            return re;
        }
    re = compile(c, pattern, plen, opts, err, errlen);
    if (!re)
        return NULL;
    re->hash = h;
    lru_front(c, re);
    c->bytes += re->bytes;
    if (c->count + 1 > c->nbuckets - c->nbuckets / 4)
        grow(c);
    slot = h & (c->nbuckets - 1);
    re->next = c->buckets[slot];
    c->buckets[slot] = re;
    c->count++;
    evict(c, re);
    return re;
}

/* Turns a negative pcre2_match code into -1 and a message. */
static int match_error(int rc, char *err, size_t errlen)
{
    char msg[256];

    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT:
    case PCRE2_ERROR_DEPTHLIMIT:
    case PCRE2_ERROR_HEAPLIMIT:
    case PCRE2_ERROR_JIT_STACKLIMIT:
        seterr(err, errlen, MSG_LIMIT);
        return -1;
    }
    pcre2_get_error_message(rc, (PCRE2_UCHAR *)msg, sizeof msg);
    if (err && errlen)
        snprintf(err, errlen, "match failed: %s", msg);
    return -1;
}

#define DEADLINE_RC (-10000)

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* pcre2_match under the cache's deadline: tries with a match limit that
 * doubles up to the cache's own, looking at the clock before each try.
 * Returns pcre2_match's code, or DEADLINE_RC. */
static int match_by_deadline(ng__regex *re, const char *subject, size_t len,
                             size_t start, uint32_t mopts)
{
    ng__regex_cache *c = re->cache;
    uint32_t limit = DEADLINE_FIRST_LIMIT;
    int rc;

    for (;;) {
        if (now_us() >= c->deadline_us)
            return DEADLINE_RC;
        if (limit > c->match_limit)
            limit = c->match_limit;
        pcre2_set_match_limit(c->mctx, limit);
        rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, start, mopts,
                         c->md, c->mctx);
        if (rc != PCRE2_ERROR_MATCHLIMIT || limit == c->match_limit)
            break;
        limit = limit > UINT32_MAX / 2 ? UINT32_MAX : limit * 2;
    }
    pcre2_set_match_limit(c->mctx, c->match_limit);
    return rc;
}

/* One pcre2_match at `start`.  Returns 1 (span set), 0 or -1. */
static int match_at(ng__regex *re, const char *subject, size_t len,
                    size_t start, uint32_t mopts, size_t *ms, size_t *me,
                    char *err, size_t errlen)
{
    ng__regex_cache *c = re->cache;
    PCRE2_SIZE *ov;
    int rc;

    /* None of the pattern's literals in the subject: no match, without
     * PCRE2.  Only on a subject known to be valid, so that an invalid
     * one still gets PCRE2's error. */
    if (re->lit && (mopts & PCRE2_NO_UTF_CHECK)
        && !ng__relit_may_match(re->lit, subject + start, len - start))
        return 0;
    rc = c->deadline_us ? match_by_deadline(re, subject, len, start, mopts)
                        : pcre2_match(re->code, (PCRE2_SPTR)subject, len,
                                      start, mopts, c->md, c->mctx);
    if (rc == DEADLINE_RC) {
        seterr(err, errlen, MSG_DEADLINE);
        return -1;
    }
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return match_error(rc, err, errlen);
    /* rc == 0 only means the ovector was short; group 0 is still set. */
    ov = pcre2_get_ovector_pointer(c->md);
    *ms = ov[0];
    *me = ov[1];
    return 1;
}

/* Search with PCRE2 options `mopts` (0, or PCRE2_NO_UTF_CHECK for a
 * subject known to be valid). */
static int search(ng__regex *re, const char *subject, size_t len,
                  size_t start, uint32_t mopts, size_t *mstart,
                  size_t *mend, char *err, size_t errlen)
{
    size_t ms = 0, me = 0;
    int rc;

    if (!re || (!subject && len)) {
        seterr(err, errlen, "no pattern or subject");
        return -1;
    }
    if (start > len)
        return 0;
    if (!subject)
        subject = "";
    rc = match_at(re, subject, len, start, mopts, &ms, &me, err, errlen);
    if (rc == 1) {
        if (mstart)
            *mstart = ms;
        if (mend)
            *mend = me;
    }
    return rc;
}

int ng__regex_search(ng__regex *re, const char *subject, size_t len,
                     size_t start, size_t *mstart, size_t *mend,
                     char *err, size_t errlen)
{
    /* PCRE2 checks the subject's UTF-8 here; a bad subject or start
     * offset comes back as an error. */
    return search(re, subject, len, start, 0, mstart, mend, err, errlen);
}

int ng__regex_search_valid(ng__regex *re, const char *subject, size_t len,
                           size_t start, size_t *mstart, size_t *mend,
                           char *err, size_t errlen)
{
    /* Item fields are valid UTF-8 by the item's invariant (item.h);
     * checking again cost ~10,000 instructions per call on a 2 KB body. */
    return search(re, subject, len, start, PCRE2_NO_UTF_CHECK, mstart,
                  mend, err, errlen);
}

/* Length of the UTF-8 character starting at s[i] (1 for a stray byte). */
static size_t utf8_step(const char *s, size_t len, size_t i)
{
    size_t n = 1;

    while (i + n < len && ((unsigned char)s[i + n] & 0xC0) == 0x80)
        n++;
    return n;
}

long ng__regex_count(ng__regex *re, const char *subject, size_t len,
                     long max, char *err, size_t errlen)
{
    size_t start = 0, ms, me;
    uint32_t mopts = 0;
    long n = 0;
    int rc;

    if (!re || (!subject && len)) {
        seterr(err, errlen, "no pattern or subject");
        return -1;
    }
    if (!subject)
        subject = "";
    while (start <= len && (max <= 0 || n < max)) {
        rc = match_at(re, subject, len, start, mopts, &ms, &me, err,
                      errlen);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        n++;
        /* The first call validated the whole subject; skip re-checks. */
        mopts = PCRE2_NO_UTF_CHECK;
        if (me > ms)
            start = me;
        else if (me < len)
            start = me + utf8_step(subject, len, me);
        else
            break;
    }
    return n;
}
