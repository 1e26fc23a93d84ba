/*
 * lua_words.c -- item:words_in(set), a fast look-up of the item's words
 * and word pairs among the keys of a Lua table; item:letters(field),
 * letters and capitals counted.
 *
 *   item:words_in(set) -> table {key = number of occurrences}, possibly
 *                         empty
 *
 * `set` is a table whose string keys are lower-case words ("click") or
 * pairs of words joined by one space ("buy now").  The first time a table
 * is used its keys are hashed (FNV-1a) into a C hash set kept in a weak
 * registry table, so later changes to the table are not seen: build it
 * once, at load time.
 *
 * The words are those of the item's cached normalized text (item:text(),
 * NFKC), split here in one pass with ASCII letters lower-cased: runs of
 * letters, digits and non-ASCII bytes, with an apostrophe or hyphen
 * inside a word kept.  For ASCII keys this finds what item:words() would
 * (full-width and styled letters are already plain after NFKC) without
 * paying for Unicode case folding, which costs more than every gate
 * together.  Each word is hashed as it is split and probed, a pair only
 * when its first word starts a pair key; no Lua string is made except
 * for the keys found.  Keys are matched by their 64-bit hash alone: a
 * collision could only let a gate pass.
 *
 * The same call reports the text's shapes (shapes.h) as keys starting
 * with '#' when the set has them: "#at", "#digits" (a phone-like run),
 * "#bangs", "#caps", "#yearmonth", "#wallet", "#sub" (a word like
 * "subscribe"), "#script" (a Greek or Cyrillic letter), each counted
 * once.  Rules use it as a cheap gate before running patterns or list
 * scans.  Convention: misuse raises.
 */
#include <stdlib.h>
#include <string.h>
#include "lua_item.h"
#include "shapes.h"

/* FNV-1a, 64 bits: computed while the words are split, so a word and
 * the pair it ends are hashed in the same pass over its bytes. */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define FIRST_BIT 1u      /* slot flag: a pair key starts with this word */
#define KEY_BIT 2u        /* slot flag: this is a key itself */

typedef struct slot {
    uint64_t h;           /* 0: empty */
    unsigned flags;
    int key;              /* index of the key in the uservalue array */
} slot;

typedef struct wordset {
    slot *v;
    size_t cap;           /* a power of two */
} wordset;

/* The weak-keyed cache of compiled sets: registry[&cache_key]. */
static const char cache_key = 0;

static int wordset_gc(lua_State *L)
{
    wordset *ws = lua_touserdata(L, 1);
    free(ws->v);
    ws->v = NULL;
    return 0;
}

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = FNV_OFFSET;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
    return h;
}

/* The hash of the pair of words hashed h1 and h2 (a key "w1 w2"): not
 * the FNV-1a of the pair's bytes, so the text's words are hashed once,
 * each on its own.  A key with two spaces ("a b c") is split at the
 * first and, as before, never matches: words hold no spaces. */
static uint64_t pair_hash(uint64_t h1, uint64_t h2)
{
    return ((h1 ^ 0x9e3779b97f4a7c15ULL) * FNV_PRIME) ^ (h2 >> 1) ^ (h2 << 63);
}

static slot *probe(const wordset *ws, uint64_t h)
{
    size_t mask = ws->cap - 1;

    h += h == 0;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask)
        if (ws->v[i].h == h || ws->v[i].h == 0)
            return &ws->v[i];
}

static void mark(wordset *ws, uint64_t h, unsigned flag, int key)
{
    slot *s = probe(ws, h);

    s->h = h + (h == 0);
    s->flags |= flag;
    if (flag == KEY_BIT)
        s->key = key;
}

/* Hashes the keys of the table at `t` into a new set userdata, with the
 * keys as its uservalue array; leaves the userdata on the stack. */
static wordset *compile(lua_State *L, int t)
{
    size_t n = 0, cap = 16;
    wordset *ws = lua_newuserdatauv(L, sizeof *ws, 1);

    ws->v = NULL, ws->cap = 0;
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, wordset_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    for (lua_pushnil(L); lua_next(L, t); lua_pop(L, 1))
        n += lua_type(L, -2) == LUA_TSTRING;
    while (cap < 4 * (n + 1))
        cap *= 2;
    if (!(ws->v = calloc(cap, sizeof *ws->v)))
        luaL_error(L, "out of memory");
    ws->cap = cap;
    lua_createtable(L, (int)n, 0);          /* the keys, by index */
    int i = 0;
    for (lua_pushnil(L); lua_next(L, t); lua_pop(L, 1)) {
        size_t len;
        if (lua_type(L, -2) != LUA_TSTRING)
            continue;
        const char *k = lua_tolstring(L, -2, &len);
        const char *sp = memchr(k, ' ', len);
        if (sp) {
            size_t first = (size_t)(sp - k);
            uint64_t hf = fnv(k, first);
            mark(ws, pair_hash(hf, fnv(sp + 1, len - first - 1)), KEY_BIT,
                 ++i);
            mark(ws, hf, FIRST_BIT, 0);
        } else {
            mark(ws, fnv(k, len), KEY_BIT, ++i);
        }
        lua_pushvalue(L, -2);
        lua_rawseti(L, -4, i);
    }
    lua_setiuservalue(L, -2, 1);
    return ws;
}

/* The compiled set of the table at `t`, made on first use. */
static wordset *get_set(lua_State *L, int t)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &cache_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &cache_key);
    }
    lua_pushvalue(L, t);
    if (lua_rawget(L, -2) == LUA_TUSERDATA) {
        wordset *ws = lua_touserdata(L, -1);
        lua_remove(L, -2);
        return ws;
    }
    lua_pop(L, 1);
    wordset *ws = compile(L, t);
    lua_pushvalue(L, t);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
    lua_remove(L, -2);
    return ws;
}

/* Adds one to out[key #i]; the key strings are the uservalue at `keys`. */
static void count(lua_State *L, int keys, int out, int i)
{
    lua_rawgeti(L, keys, i);
    lua_pushvalue(L, -1);
    lua_Integer n = lua_rawget(L, out) == LUA_TNUMBER
                    ? lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    lua_pushinteger(L, n + 1);
    lua_rawset(L, out);
}

/* Length of a non-ASCII separator at t[i] (0 if none): Latin-1 signs and
 * the no-break space (U+0080..U+00BF), the General Punctuation block
 * (U+2000..U+206F: spaces, zero-width characters, dashes, quotes) and
 * the byte-order mark U+FEFF, which comments often end with. */
static size_t separator(const unsigned char *t, size_t i, size_t len)
{
    if (t[i] == 0xC2 && i + 1 < len && t[i + 1] >= 0x80 && t[i + 1] <= 0xBF)
        return 2;
    if (t[i] == 0xE2 && i + 2 < len && (t[i + 1] == 0x80 || t[i + 1] == 0x81))
        return 3;
    if (t[i] == 0xEF && i + 2 < len && t[i + 1] == 0xBB && t[i + 2] == 0xBF)
        return 3;
    return 0;
}

/* Word classes of bytes: 1 a word byte (ASCII letters and digits, and
 * bytes of non-ASCII characters that cannot start a separator), 2 a
 * byte that may start a separator (0xC2, 0xE2, 0xEF: see separator),
 * 0 anything else.  One look-up per byte instead of a chain of tests. */
static const unsigned char word_class[256] = {
    ['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['A'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1,
    ['a'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1,
    [0x80] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0xC0.. */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2,   /* 0xE0.. */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* 1 when a word may start or go on at t[i]: ASCII letters and digits,
 * and the bytes of non-ASCII characters other than separators. */
static inline int in_word(const unsigned char *t, size_t i, size_t len)
{
    unsigned char k = word_class[t[i]];

    return k == 1 || (k == 2 && separator(t, i, len) == 0);
}

/* The word bytes the fast loop of next_word takes: those of word_class
 * 1, ASCII letters lowered; 0 for every other byte (classes 0 and 2,
 * which take the slow path one at a time). */
static const unsigned char lower_word[256] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
    0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73,
    0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b,
    0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
    0x78, 0x79, 0x7a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x81, 0x82, 0x83,
    0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f,
    0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b,
    0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3,
    0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
    0xc0, 0xc1, 0x00, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb,
    0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7,
    0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xe1, 0x00, 0xe3,
    0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0x00,
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb,
    0xfc, 0xfd, 0xfe, 0xff,
};

/* Hashes the next word at or after *pos (ASCII lower-cased) into *hw.
 * Returns the word's length, 0 at the end of the text.  Runs of plain
 * word bytes go through one table look-up and one multiply a byte; the
 * rest keeps the rules of in_word and the apostrophe/hyphen joiner. */
static size_t next_word(const char *text, size_t len,
                        size_t *pos, uint64_t *hw)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t i = *pos, start;
    uint64_t w = FNV_OFFSET;
    unsigned char c;

    while (i < len && !in_word(t, i, len))
        i++;
    start = i;
    while (i < len) {
        while (i < len && (c = lower_word[t[i]]) != 0) {
            w = (w ^ c) * FNV_PRIME;
            i++;
        }
        if (i >= len)
            break;
        c = t[i];
        /* An apostrophe or hyphen between word bytes stays inside. */
        if (!in_word(t, i, len)
            && !((c == '\'' || c == '-') && i > start && i + 1 < len
                 && in_word(t, i + 1, len)))
            break;
        w = (w ^ c) * FNV_PRIME;
        i++;
    }
    *pos = i;
    *hw = w;
    return i - start;
}

static int item_words_in(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    size_t len, pos = 0;
    uint64_t hw, prev = 0;
    int pair = 0;

    luaL_checktype(L, 2, LUA_TTABLE);
    const char *text = ng__item_text(it, &len);
    if (!text)
        return luaL_error(L, "out of memory");
    wordset *ws = get_set(L, 2);
    lua_getiuservalue(L, -1, 1);
    int keys = lua_gettop(L);
    lua_newtable(L);
    int out = lua_gettop(L);
    while (next_word(text, len, &pos, &hw) > 0) {
        const slot *s = probe(ws, hw);
        if (s->flags & KEY_BIT)
            count(L, keys, out, s->key);
        if (pair) {
            const slot *ps = probe(ws, pair_hash(prev, hw));
            if (ps->flags & KEY_BIT)
                count(L, keys, out, ps->key);
        }
        /* A pair key starts with this word: try the pair at the next. */
        pair = (s->flags & FIRST_BIT) != 0;
        prev = hw;
    }
    unsigned shapes = ng__text_shapes(text, len);
    for (int i = 0; i < NG__SHAPE_COUNT; i++) {
        const char *name = ng__shape_name(i);
        const slot *s = (shapes >> i) & 1 ? probe(ws, fnv(name, strlen(name)))
                                          : NULL;
        if (s && (s->flags & KEY_BIT))
            count(L, keys, out, s->key);
    }
    return 1;
}

/* item:letters([field]) -> the number of letters in the field (default
 * "text") and how many of them are capitals: the ASCII letters, which
 * is what the sandbox's patterns count as %a and %u (the library never
 * sets a locale, so ctype is the C locale's).  A rule asking how much of
 * a text shouts needs no pass over every letter in Lua or in the
 * pattern matcher.  An absent field counts 0 and 0. */
static int item_letters(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    size_t len = 0;
    const unsigned char *t = (const unsigned char *)
        ng__item_field(it, luaL_optstring(L, 2, "text"), &len);
    lua_Integer letters = 0, capitals = 0;

    for (size_t i = 0; t && i < len; i++) {
        unsigned c = t[i];
        capitals += c - 'A' < 26u;
        letters += (c | 0x20) - 'a' < 26u;
    }
    lua_pushinteger(L, letters);
    lua_pushinteger(L, capitals);
    return 2;
}

void ng__lua_open_words(lua_State *L)
{
    static const luaL_Reg methods[] = {
        { "words_in", item_words_in },
        { "letters", item_letters },
        { NULL, NULL }
    };
    ng__lua_item_methods(L, methods);
}
