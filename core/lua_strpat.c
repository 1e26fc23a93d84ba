/*
 * lua_strpat.c -- Lua string patterns with a step budget: the sandbox's
 * string.find, string.match, string.gmatch and string.gsub.
 *
 * Lua's own matcher runs in C, where the count hook never fires, so a
 * pattern such as ("a-"):rep(4) .. "b" over a few hundred bytes
 * backtracks for minutes with no budget and no deadline noticing.  This
 * file is a matcher for the same pattern language (classes, sets,
 * quantifiers * + - ?, anchors, captures and position captures, %b, %f,
 * back-references) written for newsgate, whose every step is paid for
 * out of the running rule's instruction budget: every STEP_CHUNK steps it
 * takes that many instructions from the budget and looks at the rule's
 * deadline, and raises the budget or deadline error when either is
 * spent.  Recursion is bounded as in Lua (MAX_DEPTH).  The functions
 * behave as Lua 5.4's for every pattern a rule can write; only the cost
 * is bounded.  This file uses only the official Lua API.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include <lauxlib.h>

#include "engine_impl.h"
#include "lua_item.h"

#define MAX_CAPTURES 32
#define MAX_DEPTH 200
#define STEP_CHUNK 1024u
#define CAP_OPEN (-1)      /* capture still open */
#define CAP_POSITION (-2)  /* () position capture */
#define SPECIALS "^$*+?.([%-"

typedef struct matcher {
    const char *s0, *se;   /* subject */
    const char *pe;        /* end of pattern */
    lua_State *L;
    ng_engine *e;
    unsigned steps;        /* since the budget was last charged */
    int depth;             /* recursion left */
    int level;             /* captures in use */
    struct { const char *at; ptrdiff_t len; } cap[MAX_CAPTURES];
} matcher;

/* Charges the budget for the steps taken and looks at the clock. */
static void charge(matcher *m)
{
    ng_engine *e = m->e;

    m->steps = 0;
    if (e->stop == NG__STOP_NONE) {
        if (e->budget_left > (uint64_t)STEP_CHUNK + e->hook_step)
            e->budget_left -= STEP_CHUNK;
        else
            e->stop = NG__STOP_BUDGET;
        if (e->stop == NG__STOP_NONE && e->deadline_us
            && ng__now_us() >= e->deadline_us)
            e->stop = NG__STOP_DEADLINE;
    }
    if (e->stop != NG__STOP_NONE)
        luaL_error(m->L, e->stop == NG__STOP_DEADLINE
                   ? "deadline exceeded" : "instruction budget exceeded");
}

static void step(matcher *m)
{
    if (++m->steps == STEP_CHUNK)
        charge(m);
}

/* Pointer just past the single-character class starting at p. */
static const char *class_end(matcher *m, const char *p)
{
    if (*p == '%') {
        if (p + 1 >= m->pe)
            luaL_error(m->L, "malformed pattern (ends with '%%')");
        return p + 2;
    }
    if (*p != '[')
        return p + 1;
    p++;
    if (p < m->pe && *p == '^')
        p++;
    for (;;) { /* the first character may be ']' itself */
        if (p >= m->pe)
            luaL_error(m->L, "malformed pattern (missing ']')");
        if (*p++ == '%') {
            if (p >= m->pe)
                luaL_error(m->L, "malformed pattern (missing ']')");
            p++;
        }
        if (p < m->pe && *p == ']')
            return p + 1;
    }
}

static int class_match(int c, int cl)
{
    int r;

    /* Class letters are ASCII: fold them without a locale look-up. */
    switch (cl >= 'A' && cl <= 'Z' ? cl + ('a' - 'A') : cl) {
    case 'a': r = isalpha(c); break;
    case 'c': r = iscntrl(c); break;
    case 'd': r = isdigit(c); break;
    case 'g': r = isgraph(c); break;
    case 'l': r = islower(c); break;
    case 'p': r = ispunct(c); break;
    case 's': r = isspace(c); break;
    case 'u': r = isupper(c); break;
    case 'w': r = isalnum(c); break;
    case 'x': r = isxdigit(c); break;
    default: return cl == c;
    }
    return cl >= 'A' && cl <= 'Z' ? !r : r != 0;
}

/* Does c belong to the set [..] from p (at '[') to ec (at its ']')? */
static int set_match(int c, const char *p, const char *ec)
{
    int in = 1;

    p++;
    if (*p == '^') {
        in = 0;
        p++;
    }
    while (p < ec) {
        if (*p == '%' && p + 1 < ec) {
            if (class_match(c, (unsigned char)p[1]))
                return in;
            p += 2;
        } else if (p + 2 < ec && p[1] == '-') {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
                return in;
            p += 3;
        } else {
            if ((unsigned char)*p == c)
                return in;
            p++;
        }
    }
    return !in;
}

static int single_match(matcher *m, const char *s, const char *p,
                        const char *ep)
{
    int c;

    if (s >= m->se)
        return 0;
    c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case '%': return class_match(c, (unsigned char)p[1]);
    case '[': return set_match(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

static const char *do_match(matcher *m, const char *s, const char *p);

static const char *max_expand(matcher *m, const char *s, const char *p,
                              const char *ep)
{
    ptrdiff_t i = 0;
    const char *r;

    while (single_match(m, s + i, p, ep)) {
        i++;
        step(m);
    }
    for (; i >= 0; i--)
        if ((r = do_match(m, s + i, ep + 1)) != NULL)
            return r;
    return NULL;
}

static const char *min_expand(matcher *m, const char *s, const char *p,
                              const char *ep)
{
    const char *r;

    for (;;) {
        if ((r = do_match(m, s, ep + 1)) != NULL)
            return r;
        if (!single_match(m, s, p, ep))
            return NULL;
        s++;
    }
}

static const char *start_capture(matcher *m, const char *s, const char *p,
                                 ptrdiff_t what)
{
    const char *r;

    if (m->level >= MAX_CAPTURES)
        luaL_error(m->L, "too many captures");
    m->cap[m->level].at = s;
    m->cap[m->level].len = what;
    m->level++;
    if ((r = do_match(m, s, p)) == NULL)
        m->level--;
    return r;
}

static const char *end_capture(matcher *m, const char *s, const char *p)
{
    int l = m->level - 1;
    const char *r;

    while (l >= 0 && m->cap[l].len != CAP_OPEN)
        l--;
    if (l < 0)
        luaL_error(m->L, "invalid pattern capture");
    m->cap[l].len = s - m->cap[l].at;
    if ((r = do_match(m, s, p)) == NULL)
        m->cap[l].len = CAP_OPEN;
    return r;
}

static const char *match_balance(matcher *m, const char *s, const char *p)
{
    int open = 1;

    if (p + 1 >= m->pe)
        luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->se || *s != *p)
        return NULL;
    while (++s < m->se) {
        step(m);
        if (*s == p[1]) {
            if (--open == 0)
                return s + 1;
        } else if (*s == *p) {
            open++;
        }
    }
    return NULL;
}

static const char *match_backref(matcher *m, const char *s, int c)
{
    int l = c - '1';
    ptrdiff_t len;

    if (l < 0 || l >= m->level || m->cap[l].len == CAP_OPEN)
        luaL_error(m->L, "invalid capture index %%%d", l + 1);
    len = m->cap[l].len;
    if (len >= 0 && m->se - s >= len && memcmp(m->cap[l].at, s, (size_t)len) == 0)
        return s + len;
    return NULL;
}

static const char *match_frontier(matcher *m, const char *s, const char *p)
{
    const char *ep;
    int prev, cur;

    if (p >= m->pe || *p != '[')
        luaL_error(m->L, "missing '[' after '%%f' in pattern");
    ep = class_end(m, p);
    prev = s == m->s0 ? 0 : (unsigned char)s[-1];
    cur = s < m->se ? (unsigned char)*s : 0;
    if (!set_match(prev, p, ep - 1) && set_match(cur, p, ep - 1))
        return ep;
    return NULL;
}

/* One pattern item with its quantifier; NULL r means "continue at *np". */
static const char *match_item(matcher *m, const char **sp, const char **pp,
                              int *done)
{
    const char *s = *sp, *p = *pp, *ep = class_end(m, p), *r;
    int q = ep < m->pe ? *ep : 0;

    *done = 1;
    if (!single_match(m, s, p, ep)) {
        if (q == '*' || q == '?' || q == '-') {
            *pp = ep + 1;
            *done = 0;
        }
        return NULL;
    }
    switch (q) {
    case '?':
        if ((r = do_match(m, s + 1, ep + 1)) != NULL)
            return r;
        *pp = ep + 1;
        *done = 0;
        return NULL;
    case '+': return max_expand(m, s + 1, p, ep);
    case '*': return max_expand(m, s, p, ep);
    case '-': return min_expand(m, s, p, ep);
    default:
        *sp = s + 1;
        *pp = ep;
        *done = 0;
        return NULL;
    }
}

/* Matches pattern p at s; returns the end of the match or NULL. */
static const char *do_match(matcher *m, const char *s, const char *p)
{
    const char *r = NULL;
    int done = 0;

    if (m->depth-- == 0)
        luaL_error(m->L, "pattern too complex");
    while (!done && p < m->pe) {
        step(m);
        done = 1;
        if (*p == '(') {
            r = p + 1 < m->pe && p[1] == ')'
                ? start_capture(m, s, p + 2, CAP_POSITION)
                : start_capture(m, s, p + 1, CAP_OPEN);
        } else if (*p == ')') {
            r = end_capture(m, s, p + 1);
        } else if (*p == '$' && p + 1 == m->pe) {
            r = s == m->se ? s : NULL;
        } else if (*p == '%' && p + 1 < m->pe && p[1] == 'b') {
            if ((s = match_balance(m, s, p + 2)) != NULL) {
                p += 4;
                done = 0;
            }
        } else if (*p == '%' && p + 1 < m->pe && p[1] == 'f') {
            const char *ep = match_frontier(m, s, p + 2);
            if (ep != NULL) {
                p = ep;
                done = 0;
            }
        } else if (*p == '%' && p + 1 < m->pe && isdigit((unsigned char)p[1])) {
            if ((s = match_backref(m, s, p[1])) != NULL) {
                p += 2;
                done = 0;
            }
        } else {
            r = match_item(m, &s, &p, &done);
        }
    }
    if (!done)
        r = s;
    m->depth++;
    return r;
}

static void matcher_init(matcher *m, lua_State *L, const char *s, size_t ls,
                         const char *p, size_t lp)
{
    m->L = L;
    m->e = ng__lua_engine(L);
    m->s0 = s;
    m->se = s + ls;
    m->pe = p + lp;
    m->steps = 0;
    m->depth = MAX_DEPTH;
    m->level = 0;
    if (m->e->stop != NG__STOP_NONE)
        charge(m); /* raises */
}

static void matcher_reset(matcher *m)
{
    m->level = 0;
    m->depth = MAX_DEPTH;
}

/* Pushes capture i (the whole match s..e when there are none). */
static void push_capture(matcher *m, int i, const char *s, const char *e)
{
    if (i >= m->level) {
        if (i != 0)
            luaL_error(m->L, "invalid capture index %%%d", i + 1);
        lua_pushlstring(m->L, s, (size_t)(e - s));
    } else if (m->cap[i].len == CAP_POSITION) {
        lua_pushinteger(m->L, (lua_Integer)(m->cap[i].at - m->s0) + 1);
    } else if (m->cap[i].len == CAP_OPEN) {
        luaL_error(m->L, "unfinished capture");
    } else {
        lua_pushlstring(m->L, m->cap[i].at, (size_t)m->cap[i].len);
    }
}

/* Pushes all captures (or the whole match when s is not NULL and there
 * are none); returns how many. */
static int push_captures(matcher *m, const char *s, const char *e)
{
    int n = m->level == 0 && s ? 1 : m->level;

    luaL_checkstack(m->L, n, "too many captures");
    for (int i = 0; i < n; i++)
        push_capture(m, i, s, e);
    return n;
}

/* Lua 5.4's reading of a start position: 1-based, negative from the end. */
static size_t start_pos(lua_Integer pos, size_t len)
{
    if (pos > 0)
        return (size_t)pos;
    if (pos == 0 || pos < -(lua_Integer)len)
        return 1;
    return len + (size_t)pos + 1;
}

/* string.find with plain text: pushes start and end, or fail. */
static int find_plain(matcher *m, size_t init, const char *p, size_t lp)
{
    const char *s = m->s0 + init, *hit = lp == 0 ? s : NULL;

    while (hit == NULL && (size_t)(m->se - s) >= lp) {
        step(m);
        s = memchr(s, *p, (size_t)(m->se - s) - lp + 1);
        if (s == NULL)
            break;
        if (memcmp(s, p, lp) == 0)
            hit = s;
        s++;
    }
    if (hit == NULL) {
        luaL_pushfail(m->L);
        return 1;
    }
    lua_pushinteger(m->L, (lua_Integer)(hit - m->s0) + 1);
    lua_pushinteger(m->L, (lua_Integer)(hit - m->s0 + (ptrdiff_t)lp));
    return 2;
}

static int find_aux(lua_State *L, int find)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_pos(luaL_optinteger(L, 3, 1), ls) - 1;
    const char *s1, *r;
    matcher m;
    int anchor;

    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    matcher_init(&m, L, s, ls, p, lp);
    if (find && (lua_toboolean(L, 4)
                 || (strlen(p) == lp && strpbrk(p, SPECIALS) == NULL)))
        return find_plain(&m, init, p, lp);
    anchor = lp > 0 && *p == '^';
    if (anchor) {
        p++;
        lp--;
    }
    m.pe = p + lp;
    s1 = s + init;
    do {
        matcher_reset(&m);
        step(&m);
        if ((r = do_match(&m, s1, p)) != NULL) {
            if (!find)
                return push_captures(&m, s1, r);
            lua_pushinteger(L, (lua_Integer)(s1 - s) + 1);
            lua_pushinteger(L, (lua_Integer)(r - s));
            return push_captures(&m, NULL, NULL) + 2;
        }
    } while (s1++ < m.se && !anchor);
    luaL_pushfail(L);
    return 1;
}

static int strpat_find(lua_State *L) { return find_aux(L, 1); }
static int strpat_match(lua_State *L) { return find_aux(L, 0); }

/* State of a gmatch iteration (a userdata, upvalue 3 of the iterator;
 * upvalues 1 and 2 keep the subject and pattern alive). */
typedef struct gmatch_state {
    const char *s, *p;
    size_t ls, lp;
    size_t pos;            /* next start, 0-based */
    const char *last;      /* end of the last match, or NULL */
} gmatch_state;

static int gmatch_next(lua_State *L)
{
    gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
    matcher m;
    const char *src, *r;

    matcher_init(&m, L, g->s, g->ls, g->p, g->lp);
    for (src = g->s + g->pos; src <= m.se; src++) {
        matcher_reset(&m);
        if ((r = do_match(&m, src, g->p)) != NULL && r != g->last) {
            g->pos = (size_t)(r - g->s);
            g->last = r;
            return push_captures(&m, src, r);
        }
    }
    g->pos = g->ls + 1;
    return 0;
}

static int strpat_gmatch(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_pos(luaL_optinteger(L, 3, 1), ls) - 1;
    gmatch_state *g;

    lua_settop(L, 2);
    g = lua_newuserdatauv(L, sizeof *g, 0);
    g->s = s;
    g->p = p;
    g->ls = ls;
    g->lp = lp;
    g->pos = init > ls ? ls + 1 : init;
    g->last = NULL;
    lua_pushcclosure(L, gmatch_next, 3);
    return 1;
}

/* Appends the replacement string (argument 3) for match s..e. */
static void add_string(matcher *m, luaL_Buffer *b, const char *s,
                       const char *e)
{
    size_t l;
    const char *r = lua_tolstring(m->L, 3, &l), *end = r + l;

    for (; r < end; r++) {
        if (*r != '%') {
            luaL_addchar(b, *r);
        } else if (++r < end && *r == '%') {
            luaL_addchar(b, '%');
        } else if (r < end && isdigit((unsigned char)*r)) {
            if (*r == '0')
                luaL_addlstring(b, s, (size_t)(e - s));
            else {
                push_capture(m, *r - '1', s, e);
                luaL_tolstring(m->L, -1, NULL);
                lua_remove(m->L, -2);
                luaL_addvalue(b);
            }
        } else {
            luaL_error(m->L, "invalid use of '%%' in replacement string");
        }
    }
}

/* Appends the replacement for match s..e, by the type of argument 3. */
static void add_value(matcher *m, luaL_Buffer *b, const char *s,
                      const char *e, int tr)
{
    lua_State *L = m->L;

    if (tr == LUA_TFUNCTION) {
        int n;
        lua_pushvalue(L, 3);
        n = push_captures(m, s, e);
        lua_call(L, n, 1);
    } else if (tr == LUA_TTABLE) {
        push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_string(m, b, s, e);
        return;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
    } else if (!lua_isstring(L, -1)) {
        luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    } else {
        luaL_addvalue(b);
    }
}

static int strpat_gsub(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    const char *src = s, *last = NULL, *r;
    int tr = lua_type(L, 3), anchor;
    lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1), n = 0;
    matcher m;
    luaL_Buffer b;

    luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING
                     || tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
                     "string/function/table");
    anchor = lp > 0 && *p == '^';
    if (anchor) {
        p++;
        lp--;
    }
    luaL_buffinit(L, &b);
    matcher_init(&m, L, s, ls, p, lp);
    while (n < max) {
        matcher_reset(&m);
        step(&m);
        if ((r = do_match(&m, src, p)) != NULL && r != last) {
            n++;
            add_value(&m, &b, src, r, tr);
            src = last = r;
        } else if (src < m.se) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchor)
            break;
    }
    luaL_addlstring(&b, src, (size_t)(m.se - src));
    luaL_pushresult(&b);
    lua_pushinteger(L, n);
    return 2;
}

void ng__lua_strpat_open(lua_State *L)
{
    static const luaL_Reg fns[] = {
        { "find", strpat_find }, { "match", strpat_match },
        { "gmatch", strpat_gmatch }, { "gsub", strpat_gsub },
        { NULL, NULL }
    };
    luaL_setfuncs(L, fns, 0);
}
