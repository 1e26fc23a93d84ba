/*
 * lua_attrib.c -- the attribution analysis rules call on an item:
 *
 *   item:quotes([min_words])
 *                     -> array of {text, span, speaker, pronoun, verb,
 *                        speaker_span, words, paragraphs, closed, inherited}
 *   item:quote_count([min_words]) -> quotations, those without a speaker
 *   item:credits()    -> array of {kind, publisher, text, span}
 *   item:publishers() -> array of {name, credited, evidence = array of
 *                        {kind, text, span}}
 *   item:story_words() -> words of the title and the body judged
 *
 * All give spans into the item's body as plain text (item.body: the
 * reader's body_text, HTML already reduced), 1-based and inclusive as
 * item:find and string.find do, so body:sub(s, e) is the text.
 * Quotations and the story's length are read from the cleaned body when
 * the clean phase cut furniture out of it (a copy wrapped in another
 * site's furniture is judged as its article; attrib_clean.c maps the
 * spans back); credits and publishers' fingerprints read the body as
 * submitted, since the furniture the cleaning cuts is their evidence.  Results are built once per check and cached in the item's user
 * value table as read-only views (a rule copies a span it returns).
 *
 * The publishers' list is `lists/publishers.txt` of the rules directory,
 * read on first use and kept per engine in the Lua registry, keyed by its
 * path, size and modification time (a changed file is read again).
 *
 * Convention: misuse raises; a list that cannot be read raises with the
 * file's name and line, so the calling rule reports it as its error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "attrib.h"
#include "engine.h"
#include "item.h"
#include "lua_item.h"
#include "text.h"
#include "url.h"

#define PUB_MT "newsgate.publishers"
#define PUB_LOADED "newsgate.publishers.loaded"
#define PUB_FILE "lists/publishers.txt"

/* Sets t[k] = {s + 1, e} (a 1-based inclusive span) on the table on top. */
static void set_span(lua_State *L, const char *k, size_t s, size_t e)
{
    lua_createtable(L, 2, 0);
    lua_pushinteger(L, (lua_Integer)s + 1);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, (lua_Integer)e);
    lua_rawseti(L, -2, 2);
    lua_setfield(L, -2, k);
}

static void set_text(lua_State *L, const char *k, const char *t, size_t s,
                     size_t e)
{
    if (e > s) {
        lua_pushlstring(L, t + s, e - s);
        lua_setfield(L, -2, k);
    }
}

static void set_bool(lua_State *L, const char *k, int v)
{
    lua_pushboolean(L, v);
    lua_setfield(L, -2, k);
}

static const char *body_of(ng_item *it, size_t *len)
{
    const char *b = it->body_text ? it->body_text : "";
    *len = strlen(b);
    return b;
}

/* ---- quotes ------------------------------------------------------------ */

/* Offset `at` of the text read (an end when `end`) in item.body: through
 * the cleaned body's map, when the quotations were read from it. */
static size_t in_body(const size_t *map, size_t at, int end)
{
    if (!map)
        return at;
    return end && at > 0 ? map[at - 1] + 1 : map[at];
}

static void set_body_span(lua_State *L, const char *k, const size_t *map,
                          size_t s, size_t e)
{
    set_span(L, k, in_body(map, s, 0), in_body(map, e, 1));
}

static void push_quote(lua_State *L, const char *t, const size_t *map,
                       const ng__quote *q)
{
    lua_createtable(L, 0, 10);
    set_text(L, "text", t, q->in_start, q->in_end);
    set_body_span(L, "span", map, q->start, q->end);
    if (q->who_end > q->who_start) {
        set_text(L, "speaker", t, q->who_start, q->who_end);
        set_text(L, "pronoun", t, q->spk_start, q->spk_end);
    } else {
        set_text(L, "speaker", t, q->spk_start, q->spk_end);
    }
    if (q->spk_end > q->spk_start)
        set_body_span(L, "speaker_span", map, q->spk_start, q->spk_end);
    set_text(L, "verb", t, q->verb_start, q->verb_end);
    lua_pushinteger(L, q->words);
    lua_setfield(L, -2, "words");
    lua_pushinteger(L, q->paragraphs);
    lua_setfield(L, -2, "paragraphs");
    set_bool(L, "closed", q->closed);
    set_bool(L, "inherited", q->inherited);
}

/* The text quotations are read from: the cleaned body when the clean
 * phase cut furniture from the body (a copy wrapped in another site's
 * furniture has the article's quotations), with *map set to where its
 * bytes stand in the body; else the body, *map NULL.  Returns NULL on no
 * memory. */
static const char *quote_text(ng_item *it, size_t *len, size_t **map)
{
    size_t blen;
    const char *b = body_of(it, &blen);
    *map = NULL;
    if (!it->cleaned_body) {
        *len = blen;
        return b;
    }
    *len = strlen(it->cleaned_body);
    if (ng__attrib_clean_map(b, blen, it->cleaned_body, *len, map) < 0)
        return NULL;
    return it->cleaned_body;
}

/* item:quotes([min_words]) -> the quotations of at least min_words
 * words (default 0: all), read from the cleaned body when there is one
 * (spans still into item.body).  Cached per check and per min_words. */
static int item_quotes(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    lua_Integer min = luaL_optinteger(L, 2, 0);
    ng__quote *q;
    size_t n, len, *map;
    lua_Integer k = 0;
    const char *t;
    char key[32];

    luaL_argcheck(L, min >= 0, 2, "min_words must be >= 0");
    lua_settop(L, 1);
    snprintf(key, sizeof key, " quotes %lld", (long long)min);
    if (ng__lua_item_cached(L, key))
        return 1;
    if ((t = quote_text(it, &len, &map)) == NULL
        || ng__quotes_find(t, len, &q, &n) < 0) {
        free(map);
        return luaL_error(L, "not enough memory");
    }
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        if (q[i].words < min)
            continue;
        push_quote(L, t, map, &q[i]);
        lua_rawseti(L, -2, ++k);
    }
    free(q);
    free(map);
    ng__lua_item_cache(L, key, 1);
    return 1;
}

/* item:quote_count([min_words]) -> the number of quotations of at least
 * min_words words, and how many of them name no speaker: what a rule
 * judging the share needs, without building a table per quotation (that
 * cost a third of what finding them does).  Not cached: a rule that goes
 * on to item:quotes() finds them again, which only rules that hit do. */
static int item_quote_count(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    lua_Integer min = luaL_optinteger(L, 2, 0);
    lua_Integer total = 0, bare = 0;
    ng__quote *q;
    size_t n, len;
    const char *t;

    luaL_argcheck(L, min >= 0, 2, "min_words must be >= 0");
    /* The text item:quotes() reads (quote_text), without the span map. */
    t = body_of(it, &len);
    if (it->cleaned_body) {
        t = it->cleaned_body;
        len = strlen(t);
    }
    if (ng__quotes_find(t, len, &q, &n) < 0)
        return luaL_error(L, "not enough memory");
    for (size_t i = 0; i < n; i++) {
        if (q[i].words < min)
            continue;
        total++;
        /* As push_quote: a speaker is the named one or the subject. */
        bare += !(q[i].who_end > q[i].who_start)
                && !(q[i].spk_end > q[i].spk_start);
    }
    free(q);
    lua_pushinteger(L, total);
    lua_pushinteger(L, bare);
    return 2;
}

/* ---- credits ----------------------------------------------------------- */

static int item_credits(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    ng__credit *c;
    size_t n, len;
    const char *t;

    if (ng__lua_item_cached(L, " credits"))
        return 1;
    t = body_of(it, &len);
    if (ng__credits_find(t, len, &c, &n) < 0)
        return luaL_error(L, "not enough memory");
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, 4);
        lua_pushstring(L, ng__credit_kind_names[c[i].kind]);
        lua_setfield(L, -2, "kind");
        set_text(L, "publisher", t, c[i].pub_start, c[i].pub_end);
        set_text(L, "text", t, c[i].start, c[i].end);
        set_span(L, "span", c[i].start, c[i].end);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    free(c);
    ng__lua_item_cache(L, " credits", 1);
    return 1;
}

/* ---- publishers -------------------------------------------------------- */

typedef struct lua_pubs {
    ng__publishers *p;
} lua_pubs;

static int pubs_gc(lua_State *L)
{
    lua_pubs *ud = luaL_checkudata(L, 1, PUB_MT);
    ng__publishers_free(ud->p);
    ud->p = NULL;
    return 0;
}

/* Returns the engine's publishers list, reading it on first use; raises
 * when it cannot be read.  A rule load has its own Lua state, so the list
 * is read once per load, like the lists of list(): an edited file takes
 * effect at the next load (a SIGHUP, a new process), and a check pays one
 * registry look-up instead of a stat(2) and two formatted keys. */
static ng__publishers *check_pubs(lua_State *L)
{
    const char *dir = ng__engine_rules_dir(ng__lua_engine(L)), *full;
    char err[256];
    lua_pubs *ud;

    if (lua_getfield(L, LUA_REGISTRYINDEX, PUB_LOADED) == LUA_TUSERDATA) {
        ud = lua_touserdata(L, -1);
        lua_pop(L, 1);
        return ud->p;
    }
    lua_pop(L, 1);
    if (!dir)
        luaL_error(L, "%s: no rules directory", PUB_FILE);
    full = lua_pushfstring(L, "%s/%s", dir, PUB_FILE);
    ud = lua_newuserdatauv(L, sizeof *ud, 0);
    ud->p = NULL;
    luaL_setmetatable(L, PUB_MT);
    if (ng__publishers_load(&ud->p, full, err, sizeof err) < 0)
        luaL_error(L, "%s: %s", full, err);
    lua_setfield(L, LUA_REGISTRYINDEX, PUB_LOADED);
    lua_pop(L, 1);
    return ud->p;
}

static void push_evidence(lua_State *L, const char *t, const ng__evidence *e)
{
    lua_createtable(L, 0, 3);
    if (e->kind == NG__EV_CREDIT)
        lua_pushstring(L, ng__credit_kind_names[e->credit]);
    else
        lua_pushstring(L, e->kind == NG__EV_LINK ? "link" : "furniture");
    lua_setfield(L, -2, "kind");
    if (e->kind == NG__EV_LINK) {
        lua_pushstring(L, e->what);
        lua_setfield(L, -2, "text");
        return;
    }
    set_text(L, "text", t, e->start, e->end);
    set_span(L, "span", e->start, e->end);
}

/* Pushes the array of publishers for the evidence ev[0..n). */
static void push_publishers(lua_State *L, ng_item *it, const ng__publishers *p,
                            const char *t, const ng__evidence *ev, size_t n)
{
    char host[256];
    const char *h = it->url && ng__url_host(it->url, host, sizeof host) > 0
        ? host : NULL;
    lua_Integer np = 0;
    lua_newtable(L);
    for (size_t i = 0; i < n;) {
        size_t j = i, k = 0;
        lua_createtable(L, 0, 3);
        lua_pushstring(L, ng__publishers_name(p, ev[i].pub));
        lua_setfield(L, -2, "name");
        set_bool(L, "credited", ng__publishers_credited(p, ev[i].pub,
                                                        it->source, h));
        lua_newtable(L);
        for (; j < n && ev[j].pub == ev[i].pub; j++) {
            push_evidence(L, t, &ev[j]);
            lua_rawseti(L, -2, (lua_Integer)++k);
        }
        lua_setfield(L, -2, "evidence");
        lua_rawseti(L, -2, ++np);
        i = j;
    }
}

static int item_publishers(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    const ng__strlist *doms;
    ng__publishers *p;
    ng__credit *c;
    ng__evidence *ev;
    size_t nc, ne, len;
    const char *t;

    if (ng__lua_item_cached(L, " publishers"))
        return 1;
    p = check_pubs(L);
    t = body_of(it, &len);
    if ((doms = ng__item_domains(it)) == NULL
        || ng__credits_find(t, len, &c, &nc) < 0)
        return luaL_error(L, "not enough memory");
    if (ng__publishers_match(p, t, len, c, nc, (const char *const *)doms->v,
                             doms->n, &ev, &ne) < 0) {
        free(c);
        return luaL_error(L, "not enough memory");
    }
    free(c);
    push_publishers(L, it, p, t, ev, ne);
    free(ev);
    ng__lua_item_cache(L, " publishers", 1);
    return 1;
}

/* ---- story length ------------------------------------------------------ */

/* Words of s (NULL: none) added to *n.  Returns 0 or -1 on no memory. */
static int count_words(const char *s, size_t *n)
{
    ng__word *w;
    size_t k = 0;
    if (s && ng__text_words(s, strlen(s), &w, &k) < 0)
        return -1;
    if (s)
        free(w);
    *n += k;
    return 0;
}

/* item:story_words() -> words in the title and the body the attribution
 * rules judge: the cleaned body when the clean phase cut furniture (site
 * navigation and teasers do not make a story article-length), else the
 * body, counted as item:wordcount() counts them.  Cached per check. */
static int item_story_words(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    const char *folded;
    size_t n = 0;

    if (!it->cleaned_body) {
        if (ng__item_words(it, &n, &folded) == NULL && n)
            return luaL_error(L, "not enough memory");
        lua_pushinteger(L, (lua_Integer)n);
        return 1;
    }
    lua_settop(L, 1);
    if (ng__lua_item_cached(L, " story_words"))
        return 1;
    if (count_words(it->title, &n) < 0 || count_words(it->cleaned_body, &n) < 0)
        return luaL_error(L, "not enough memory");
    lua_pushinteger(L, (lua_Integer)n);
    ng__lua_item_cache(L, " story_words", 0);
    return 1;
}

/* Adds the methods to the item table and creates the publishers' list
 * metatable and cache; leaves the stack as it was. */
void ng__lua_open_attrib(lua_State *L)
{
    static const luaL_Reg methods[] = {
        { "quotes", item_quotes },
        { "quote_count", item_quote_count },
        { "credits", item_credits },
        { "publishers", item_publishers },
        { "story_words", item_story_words },
        { NULL, NULL }
    };
    ng__lua_item_methods(L, methods);
    luaL_newmetatable(L, PUB_MT);
    lua_pushcfunction(L, pubs_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
}
