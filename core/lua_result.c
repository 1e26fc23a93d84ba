/*
 * lua_result.c -- turns what a rule's check returned into a hit.
 *
 * A check returns nil or false (no hit); true plus detail strings (joined
 * with "; "); or one table {score=, detail=, span={start, end}, field=,
 * spans=, action=, ref=, furniture=} (ref: the id of a stored item the
 * hit refers to, such as the earlier item of a duplicate).  `furniture =
 * true` marks the hit's span, or each of its `spans`, as page furniture
 * of the body, cut from the verdict's cleaned body (verdict_clean.c).
 * Spans are 1-based and inclusive on the Lua side, as
 * string.find and item:find give them, and become 0-based, end-exclusive
 * byte offsets in the verdict.  Anything else is reported as the rule's
 * error rather than guessed at, and so is a score that is not a finite
 * number.  Tables are read with raw access only, so a returned table's
 * metamethods never run; the conversion itself runs inside the engine's
 * protected call, under the rule's budget and deadline.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "engine_impl.h"
#include "lua_item.h"
#include "text.h"
#include "verdict.h"

/* Copies the detail at stack slot `idx` into the pool as valid UTF-8:
 * each byte that starts no valid sequence (and NUL) becomes U+FFFD, so a
 * detail is repaired rather than dropped by the JSON writer. */
static const char *pool_detail(lua_State *L, int idx, ng_verdict *v)
{
    size_t len, bad;
    const char *s = lua_tolstring(L, idx, &len), *r;
    luaL_Buffer b;

    if (ng__utf8_valid(s, len, &bad))
        return ng__verdict_str(v, s);
    luaL_buffinit(L, &b);
    do {
        luaL_addlstring(&b, s, bad);
        luaL_addstring(&b, "\xEF\xBF\xBD");
        s += bad + 1;
        len -= bad + 1;
    } while (!ng__utf8_valid(s, len, &bad));
    luaL_addlstring(&b, s, len);
    luaL_pushresult(&b);
    r = ng__verdict_str(v, lua_tostring(L, -1));
    lua_pop(L, 1);
    return r;
}

/* Joins the details at stack slots [from, to] with "; " into the pool. */
static int join_details(lua_State *L, int from, int to, ng_verdict *v,
                        ng_hit *hit, char *err, size_t errlen)
{
    luaL_Buffer b;

    if (from > to)
        return 1;
    luaL_buffinit(L, &b);
    for (int i = from; i <= to; i++) {
        if (lua_type(L, i) != LUA_TSTRING && lua_type(L, i) != LUA_TNUMBER) {
            snprintf(err, errlen, "check returned a %s as detail %d "
                     "(details must be strings)", luaL_typename(L, i), i - from + 1);
            return -1;
        }
        if (i > from)
            luaL_addstring(&b, "; ");
        lua_pushvalue(L, i);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    hit->detail = pool_detail(L, -1, v);
    lua_pop(L, 1);
    return 1;
}

/* lua_getfield without metamethods. */
static int rawfield(lua_State *L, int t, const char *k)
{
    lua_pushstring(L, k);
    return lua_rawget(L, t);
}

/* Reads the {start, end} pair on top of the stack (1-based, inclusive)
 * into 0-based, end-exclusive *s, *e and pops it.  Returns 0, or -1 when
 * it is not a pair with 1 <= start <= end + 1. */
static int pop_pair(lua_State *L, long *s, long *e)
{
    lua_Integer a = 0, b = 0;
    int ok1 = 0, ok2 = 0;

    if (lua_istable(L, -1)) {
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        a = lua_tointegerx(L, -2, &ok1);
        b = lua_tointegerx(L, -1, &ok2);
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    if (!ok1 || !ok2 || a < 1 || b < a - 1)
        return -1;
    *s = (long)(a - 1);
    *e = (long)b;
    return 0;
}

static int table_span(lua_State *L, int t, ng_hit *hit, char *err,
                      size_t errlen)
{
    if (rawfield(L, t, "span") == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (pop_pair(L, &hit->span_start, &hit->span_end) < 0) {
        snprintf(err, errlen, "check result: 'span' must be {start, end} "
                 "with 1 <= start <= end + 1");
        return -1;
    }
    return 0;
}

/* Reads `spans = {{s, e}, ...}` (1-based, inclusive) into the hit: all
 * pairs pooled on the verdict, the first also as span_start/span_end.
 * Returns 0 or -1 with the message in err. */
static int table_spans(lua_State *L, int t, ng_verdict *v, ng_hit *hit,
                       char *err, size_t errlen)
{
    long pairs[2 * 64];
    size_t n;

    if (rawfield(L, t, "spans") == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    n = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
    if (n == 0 || n > 64 || hit->span_start >= 0) {
        snprintf(err, errlen, "check result: 'spans' must be a list of 1 to 64 "
                 "{start, end} pairs, without 'span'");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        if (pop_pair(L, &pairs[2 * i], &pairs[2 * i + 1]) < 0) {
            snprintf(err, errlen, "check result: spans[%zu] must be {start, end} "
                     "with 1 <= start <= end + 1", i + 1);
            return -1;
        }
    }
    lua_pop(L, 1);
    if ((hit->spans = ng__verdict_spans(v, pairs, n)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    hit->nspans = n;
    hit->span_start = pairs[0];
    hit->span_end = pairs[1];
    return 0;
}

/* `furniture = true`: marks the hit's span, or every one of its spans, as
 * body furniture.  Returns 0 or -1 with a message in err. */
static int table_furniture(lua_State *L, int t, ng_verdict *v,
                           const ng_hit *hit, char *err, size_t errlen)
{
    int furn = rawfield(L, t, "furniture") != LUA_TNIL && lua_toboolean(L, -1);
    int rc = 0;

    lua_pop(L, 1);
    if (!furn)
        return 0;
    if (hit->span_start < 0 || !hit->field || strcmp(hit->field, "body") != 0) {
        snprintf(err, errlen, "check result: 'furniture' needs a span or "
                 "spans with field = \"body\"");
        return -1;
    }
    if (hit->nspans == 0)
        rc = ng__verdict_add_cut(v, hit->span_start, hit->span_end);
    for (size_t i = 0; rc == 0 && i < hit->nspans; i++)
        rc = ng__verdict_add_cut(v, hit->spans[2 * i], hit->spans[2 * i + 1]);
    if (rc < 0)
        snprintf(err, errlen, "out of memory");
    return rc;
}

static int from_table(lua_State *L, int t, ng_verdict *v, ng_hit *hit,
                      char *err, size_t errlen)
{
    static const char *const known[] = {
        "score", "detail", "span", "spans", "field", "action", "ref",
        "furniture", NULL
    };
    const char *s;

    lua_pushnil(L);
    while (lua_next(L, t)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        int ok = 0;
        for (int i = 0; k && known[i]; i++)
            ok |= strcmp(k, known[i]) == 0;
        lua_pop(L, 1);
        if (!ok) {
            snprintf(err, errlen, "check result: unknown key '%s'",
                     k ? k : luaL_typename(L, -1));
            lua_pop(L, 1);
            return -1;
        }
    }
    if (rawfield(L, t, "score") != LUA_TNIL) {
        int isnum;
        hit->score = lua_tonumberx(L, -1, &isnum);
        if (!isnum || !isfinite(hit->score)) {
            snprintf(err, errlen, "check result: 'score' must be a finite "
                     "number");
            return -1;
        }
    }
    lua_pop(L, 1);
    if (rawfield(L, t, "detail") != LUA_TNIL) {
        if ((s = lua_tostring(L, -1)) == NULL) {
            snprintf(err, errlen, "check result: 'detail' must be a string");
            return -1;
        }
        hit->detail = pool_detail(L, -1, v);
    }
    lua_pop(L, 1);
    if (rawfield(L, t, "field") != LUA_TNIL)
        hit->field = ng__verdict_str(v, lua_tostring(L, -1));
    lua_pop(L, 1);
    if (rawfield(L, t, "action") != LUA_TNIL) {
        s = lua_tostring(L, -1);
        if (ng__action_parse(s) < 0) {
            snprintf(err, errlen, "check result: 'action' must be accept, review or reject");
            return -1;
        }
        hit->forced = ng__verdict_str(v, s);
    }
    lua_pop(L, 1);
    if (rawfield(L, t, "ref") != LUA_TNIL) {
        int isint;
        lua_Integer id = lua_tointegerx(L, -1, &isint);
        if (!isint || id <= 0) {
            snprintf(err, errlen, "check result: 'ref' must be an item id");
            return -1;
        }
        hit->ref = (int64_t)id;
    }
    lua_pop(L, 1);
    if (table_span(L, t, hit, err, errlen) < 0
        || table_spans(L, t, v, hit, err, errlen) < 0
        || table_furniture(L, t, v, hit, err, errlen) < 0)
        return -1;
    return 1;
}

int ng__lua_result(lua_State *L, int first, int nres, ng_verdict *v,
                   ng_hit *hit, char *err, size_t errlen)
{
    if (nres == 0 || !lua_toboolean(L, first))
        return 0;
    if (lua_istable(L, first)) {
        if (lua_getmetatable(L, first)) {
            lua_pop(L, 1);
            snprintf(err, errlen, "check result: a table with a metatable "
                     "(results must be plain tables)");
            return -1;
        }
        if (nres > 1) {
            snprintf(err, errlen, "check returned a table and more values");
            return -1;
        }
        return from_table(L, first, v, hit, err, errlen);
    }
    if (lua_isboolean(L, first))
        return join_details(L, first + 1, first + nres - 1, v, hit, err, errlen);
    snprintf(err, errlen, "check returned a %s (expected nil, false, true "
             "or a table)", luaL_typename(L, first));
    return -1;
}
