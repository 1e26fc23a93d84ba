/*
 * lua_lines.c -- item:lines() and item:paragraphs(): the body cut into
 * its lines or its paragraphs (blocks between blank lines), each with the
 * span it has in `item.body`, so a rule that finds something in one can
 * point at it:
 *
 *   for _, p in ipairs(item:paragraphs()) do
 *     if p.text:find("Also on", 1, true) then
 *       return { detail = "teaser", span = p.span, field = "body" }
 *     end
 *   end
 *
 * Each entry is {text = "...", span = {start, end}} with 1-based,
 * inclusive byte offsets (as string.find gives them); blank lines and
 * the white space around a line or paragraph are left out.
 *
 * item:lines(max) gives only the lines of at most `max` bytes (counted
 * before trimming, without the '\n'): a rule looking for short lines
 * such as headings then walks a few entries, not every line in Lua.
 */
#include <string.h>

#include "lua_item.h"

/* Pushes {text=, span={s, e}} for body[s..e) (0-based, end exclusive),
 * trimmed, and appends it to the table at `list`; skips blank pieces. */
static void add_piece(lua_State *L, int list, const char *body, size_t s,
                      size_t e)
{
    while (s < e && strchr(" \t\r\n\f\v", body[s]))
        s++;
    while (e > s && strchr(" \t\r\n\f\v", body[e - 1]))
        e--;
    if (s == e)
        return;
    lua_createtable(L, 0, 2);
    lua_pushlstring(L, body + s, e - s);
    lua_setfield(L, -2, "text");
    lua_createtable(L, 2, 0);
    lua_pushinteger(L, (lua_Integer)s + 1);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, (lua_Integer)e);
    lua_rawseti(L, -2, 2);
    lua_setfield(L, -2, "span");
    lua_rawseti(L, list, (lua_Integer)lua_rawlen(L, list) + 1);
}

/* 1 when body[i..] starts a blank line (only white space up to '\n' or
 * the end); sets *next past that line. */
static int blank_line(const char *body, size_t len, size_t i, size_t *next)
{
    while (i < len && body[i] != '\n') {
        if (!strchr(" \t\r\f\v", body[i]))
            return 0;
        i++;
    }
    *next = i < len ? i + 1 : len;
    return 1;
}

/* The body's lines of at most `max` bytes, found with memchr. */
static void short_lines(lua_State *L, int list, const char *body,
                        size_t len, size_t max)
{
    size_t start = 0;

    while (start <= len) {
        const char *nl = memchr(body + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - body) : len;
        if (end - start <= max)
            add_piece(L, list, body, start, end);
        start = end + 1;
    }
}

/* Cuts the body at line ends, or (paragraphs) at runs of blank lines. */
static int split_body(lua_State *L, int paragraphs)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    size_t len = 0, start = 0, i = 0, next;
    const char *body = ng__item_field(it, "body", &len);
    int list, limited = !paragraphs && !lua_isnoneornil(L, 2);
    lua_Integer max = limited ? luaL_checkinteger(L, 2) : 0;

    lua_newtable(L);
    list = lua_gettop(L);
    if (body == NULL)
        return 1;
    if (limited) {
        short_lines(L, list, body, len, max < 0 ? 0 : (size_t)max);
        return 1;
    }
    while (i < len) {
        if (body[i] != '\n') {
            i++;
            continue;
        }
        if (!paragraphs) {
            add_piece(L, list, body, start, i);
            start = ++i;
        } else if (blank_line(body, len, i + 1, &next)) {
            add_piece(L, list, body, start, i);
            while (next < len && blank_line(body, len, next, &next))
                ;
            start = i = next;
        } else {
            i++;
        }
    }
    add_piece(L, list, body, start, len);
    return 1;
}

static int item_lines(lua_State *L) { return split_body(L, 0); }
static int item_paragraphs(lua_State *L) { return split_body(L, 1); }

void ng__lua_open_lines(lua_State *L)
{
    static const luaL_Reg methods[] = {
        { "lines", item_lines }, { "paragraphs", item_paragraphs },
        { NULL, NULL }
    };
    ng__lua_item_methods(L, methods);
}
