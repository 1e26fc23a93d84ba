/*
 * input.c -- the reader (ng_reader of newsgate.h): turns submitted bytes
 * into items.  It understands one JSON object, a JSON array of objects, an
 * NDJSON stream (one object a line), and a plain-text file (optional
 * "Key: value" headers, a blank line, the body).
 *
 * The reader is strict, because a typo in a submission should be reported
 * rather than silently dropped: unknown fields, wrong types, invalid
 * UTF-8, bad times and oversized fields are errors naming the file, the
 * item, its line and the problem.  After a bad NDJSON line or array
 * element it carries on with the next item; after a document that does
 * not parse at all it stops.  jansson does the JSON parsing (behind this
 * file and the fast path for flat NDJSON lines, json_fast.c); HTML bodies
 * are reduced by html.c.
 *
 * A reader works over bytes in memory (ng_reader_open) or pulls them
 * through a read function (ng_reader_open_stream).  A stream keeps a
 * window of the input: in NDJSON mode the bytes before the current line
 * are dropped as it goes, so memory is bounded by the longest line (a
 * line over the item limit is skipped without being held); the other
 * formats are read whole first.  Offsets are into the window; `base` is
 * how many bytes of the input lie before it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>

#include "newsgate.h"
#include "grow.h"
#include "item.h"
#include "text.h"
#include "html.h"
#include "json_fast.h"

enum { M_START, M_TEXT, M_DOC, M_ARRAY, M_NDJSON, M_DONE };

/* Where one element of a JSON array lies in the input. */
typedef struct span {
    size_t start, end, line;
} span;

struct ng_reader {
    char *name;
    const char *data;
    size_t len;
    ng_read_fn read;       /* a stream, or NULL */
    void *ud;
    char *buf;             /* a stream's window (data == buf) */
    size_t cap, base;
    int eof, ioerr;
    json_t *first;         /* NDJSON: the first line, parsed while deciding
                              the format, so it is not parsed twice */
    char *scratch;         /* for the fast path of NDJSON lines */
    size_t capscratch;
    ng_format format;
    ng_limits lim;
    int mode;
    size_t pos, line;      /* NDJSON: next byte and its line */
    size_t index;          /* items returned or rejected so far */
    size_t item_line;      /* line of the item being read */
    json_t *doc;           /* M_DOC and M_ARRAY */
    size_t next_el;
    span *spans;
    size_t nspans, capspans;
    char err[1024];
};

/* ------------------------------------------------------------------ */
/* Errors and small helpers                                            */
/* ------------------------------------------------------------------ */

/* Sets "NAME: item N (line L): PROBLEM" and returns NG_EINPUT. */
static int fail(ng_reader *r, const char *fmt, ...)
{
    int n = snprintf(r->err, sizeof r->err, "%s: item %zu (line %zu): ",
                     r->name, r->index ? r->index : 1,
                     r->item_line ? r->item_line : 1);
    if (n < 0 || (size_t)n >= sizeof r->err)
        return NG_EINPUT;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err + n, sizeof r->err - (size_t)n, fmt, ap);
    va_end(ap);
    return NG_EINPUT;
}

static int nomem(ng_reader *r)
{
    snprintf(r->err, sizeof r->err, "%s: out of memory", r->name);
    return NG_ENOMEM;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* 1-based line number of byte `off`. */
static size_t line_of(const char *d, size_t off)
{
    size_t line = 1;
    for (const char *p = d; (p = memchr(p, '\n', (size_t)(d + off - p)));
         p++)
        line++;
    return line;
}

void ng__limits_fill(ng_limits *l, const ng_limits *in)
{
    if (in)
        *l = *in;
    else
        memset(l, 0, sizeof *l);
    if (!l->max_item_bytes) l->max_item_bytes = 1u << 20;
    if (!l->max_title_bytes) l->max_title_bytes = 1024;
    if (!l->max_field_bytes) l->max_field_bytes = 4096;
    if (!l->max_body_bytes) l->max_body_bytes = 512u << 10;
    if (!l->max_batch_items) l->max_batch_items = 100000;
    if (!l->max_images) l->max_images = 64;
}

/* Checks that the next item is within the batch limit and the item size
 * limit, and that its bytes are UTF-8.  Counts the item. */
static int check_unit(ng_reader *r, size_t off, size_t n, size_t line)
{
    size_t bad;
    r->index++;
    r->item_line = line;
    if (r->index > r->lim.max_batch_items) {
        r->mode = M_DONE;
        return fail(r, "too many items, over the limit of %zu per input",
                    r->lim.max_batch_items);
    }
    if (n > r->lim.max_item_bytes)
        return fail(r, "item is %zu bytes, over the limit of %zu", n,
                    r->lim.max_item_bytes);
    if (!ng__utf8_valid(r->data + off, n, &bad)) {
        r->item_line = line + line_of(r->data + off, bad) - 1;
        return fail(r, "invalid UTF-8 at byte %zu", r->base + off + bad);
    }
    return NG_OK;
}

/* ------------------------------------------------------------------ */
/* JSON items                                                          */
/* ------------------------------------------------------------------ */

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: case JSON_REAL: return "a number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* Copies string `v` of field `key` into *dst within `max` bytes.  null
 * leaves *dst NULL.  Returns NG_OK, NG_EINPUT or NG_ENOMEM. */
static int take_string(ng_reader *r, const char *key, const json_t *v,
                       size_t max, char **dst)
{
    if (json_is_null(v))
        return NG_OK;
    if (!json_is_string(v))
        return fail(r, "field '%s' must be a string, not %s", key,
                    json_type_name(v));
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n > max)
        return fail(r, "%s is %zu bytes, over the limit of %zu", key, n,
                    max);
    if (!ng__utf8_valid(s, n, NULL))
        return fail(r, "field '%s' is not valid UTF-8 text", key);
    free(*dst);
    *dst = ng__dupn(s, n);
    return *dst ? NG_OK : nomem(r);
}

/* Sets a field whose kind has a syntax of its own (time, format) from
 * the JSON string `v`, with the message of ng__item_set_n on failure. */
static int take_checked(ng_reader *r, ng_item *it, const ng__field_def *def,
                        const json_t *v)
{
    char err[256];
    int rc;
    if (json_is_null(v))
        return NG_OK;
    if (!json_is_string(v) && def->kind == NG__FK_FORMAT)
        return fail(r, "field 'format' must be \"text\" or \"html\"");
    if (!json_is_string(v))
        return fail(r, "field '%s' must be a string, not %s", def->name,
                    json_type_name(v));
    if (json_string_length(v) > r->lim.max_field_bytes)
        return fail(r, "%s is %zu bytes, over the limit of %zu", def->name,
                    json_string_length(v), r->lim.max_field_bytes);
    rc = ng__item_set_n(it, def, json_string_value(v), json_string_length(v),
                        err, sizeof err);
    if (rc == NG_EINVAL)
        return fail(r, "%s", err);
    return rc == NG_OK ? NG_OK : nomem(r);
}

static int take_meta(ng_reader *r, ng_item *it, json_t *v)
{
    if (json_is_null(v))
        return NG_OK;
    if (!json_is_object(v))
        return fail(r, "field 'meta' must be an object, not %s",
                    json_type_name(v));
    return ng__item_set_meta(it, v) == NG_OK ? NG_OK : nomem(r);
}

static int take_image(ng_reader *r, ng__image *img, size_t i, json_t *v)
{
    char name[64];
    const char *key;
    json_t *f;
    if (json_is_string(v)) {
        snprintf(name, sizeof name, "images[%zu]", i);
        return take_string(r, name, v, r->lim.max_field_bytes, &img->url);
    }
    if (!json_is_object(v))
        return fail(r, "field 'images[%zu]' must be an object, not %s", i,
                    json_type_name(v));
    json_object_foreach(v, key, f) {
        char **dst = strcmp(key, "url") == 0 ? &img->url
            : strcmp(key, "caption") == 0 ? &img->caption
            : strcmp(key, "credit") == 0 ? &img->credit : NULL;
        snprintf(name, sizeof name, "images[%zu].%.20s", i, key);
        if (!dst)
            return fail(r, "unknown field '%s' (an image has url, caption "
                        "and credit)", name);
        int rc = take_string(r, name, f, r->lim.max_field_bytes, dst);
        if (rc != NG_OK)
            return rc;
    }
    return NG_OK;
}

static int take_images(ng_reader *r, ng_item *it, json_t *v)
{
    if (json_is_null(v))
        return NG_OK;
    if (!json_is_array(v))
        return fail(r, "field 'images' must be an array, not %s",
                    json_type_name(v));
    size_t n = json_array_size(v);
    if (n > r->lim.max_images)
        return fail(r, "images has %zu entries, over the limit of %zu", n,
                    r->lim.max_images);
    if (n == 0)
        return NG_OK;
    it->images = calloc(n, sizeof *it->images);
    if (!it->images)
        return nomem(r);
    it->nimages = it->images_cap = n;
    for (size_t i = 0; i < n; i++) {
        int rc = take_image(r, &it->images[i], i, json_array_get(v, i));
        if (rc != NG_OK)
            return rc;
    }
    return NG_OK;
}

/* Stores one top-level field of a JSON item, as the field table says
 * ("id" is another name for external_id; images sit outside the table). */
static int take_field(ng_reader *r, ng_item *it, const char *key, json_t *v)
{
    const ng__field_def *def;
    const char *name = key;
    if (strcmp(key, "images") == 0)
        return take_images(r, it, v);
    if (strcmp(key, "id") == 0 || strcmp(key, "external_id") == 0) {
        if (it->external_id && !json_is_null(v))
            return fail(r, "both 'id' and 'external_id' are given");
        name = "external_id";
    }
    if (!(def = ng__item_field_def(name)))
        return fail(r, "unknown field '%.64s'", key);
    switch (def->kind) {
    case NG__FK_TEXT: case NG__FK_BODY:
        return take_string(r, key, v, ng__item_limit(def, &r->lim),
                           NG__ITEM_MEMBER(it, def));
    case NG__FK_META:
        return take_meta(r, it, v);
    default:
        return take_checked(r, it, def, v);
    }
}

/* Checks the required fields and derives body_text (ng_item_validate).
 * Returns NG_OK, NG_EINPUT or NG_ENOMEM. */
static int finish_item(ng_reader *r, ng_item *it)
{
    char err[256];
    int rc = ng_item_validate(it, &r->lim, err, sizeof err);
    if (rc == NG_EINPUT)
        return fail(r, "%s", err);
    return rc == NG_OK ? NG_OK : nomem(r);
}

static ng_item *new_item(ng_reader *r)
{
    ng_item *it = ng__item_new();
    if (!it)
        return NULL;
    it->origin = strdup(r->name);
    if (!it->origin) {
        ng_item_free(it);
        return NULL;
    }
    it->index = r->index;
    it->line = r->item_line;
    return it;
}

/* Builds an item from a parsed JSON value.  Returns NG_OK with *out, or
 * NG_EINPUT / NG_ENOMEM with the message set. */
static int item_from_json(ng_reader *r, json_t *obj, ng_item **out)
{
    const char *key;
    json_t *v;
    int rc = NG_OK;
    *out = NULL;
    if (!json_is_object(obj))
        return fail(r, "an item must be a JSON object, not %s",
                    json_type_name(obj));
    ng_item *it = new_item(r);
    if (!it)
        return nomem(r);
    json_object_foreach(obj, key, v) {
        if ((rc = take_field(r, it, key, v)) != NG_OK)
            break;
    }
    if (rc == NG_OK)
        rc = finish_item(r, it);
    if (rc != NG_OK) {
        ng_item_free(it);
        return rc;
    }
    *out = it;
    return NG_OK;
}

/* Reports a jansson parse error (lines counted from `first_line`). */
static int json_fail(ng_reader *r, const json_error_t *e, size_t first_line)
{
    return fail(r, "invalid JSON at line %zu column %d: %s",
                first_line + (size_t)(e->line > 0 ? e->line - 1 : 0),
                e->column, e->text);
}

/* ------------------------------------------------------------------ */
/* JSON documents, arrays and NDJSON                                   */
/* ------------------------------------------------------------------ */

/* Records the top-level elements of the JSON array starting at `off`,
 * looking no further than `stop`.  Returns the number of elements begun,
 * or (size_t)-1 on no memory. */
static size_t scan_array(ng_reader *r, size_t off, size_t stop)
{
    const char *d = r->data;
    size_t line = line_of(d, off), depth = 0, last = off, k = 0;
    int instr = 0, esc = 0, expect = 0;
    for (size_t i = off; i < stop; i++) {
        char c = d[i];
        if (c == '\n')
            line++;
        if (instr) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                instr = 0;
            last = i;
            continue;
        }
        if (is_blank(c))
            continue;
        if (depth == 1 && expect && c != ']') {
            if (ng__grow(&r->spans, &r->capspans, k, 1, sizeof *r->spans,
                         16) < 0)
                return (size_t)-1;
            span *s = r->spans;
            s[k].start = i;
            s[k].end = stop;
            s[k++].line = line;
            expect = 0;
        }
        if (depth == 1 && k > 0 && (c == ',' || c == ']'))
            r->spans[k - 1].end = last + 1;
        if (c == '"')
            instr = 1;
        else if (c == '[' || c == '{')
            expect = ++depth == 1;
        else if (c == ']' || c == '}')
            depth--;
        else if (c == ',' && depth == 1)
            expect = 1;
        last = i;
    }
    r->nspans = k;
    return k;
}

static int start_array(ng_reader *r, size_t off)
{
    json_error_t e;
    size_t bad;
    r->item_line = line_of(r->data, off);
    r->mode = M_DONE;
    if (!ng__utf8_valid(r->data + off, r->len - off, &bad)) {
        r->index = 1;
        r->item_line = line_of(r->data, off + bad);
        return fail(r, "invalid UTF-8 at byte %zu", off + bad);
    }
    r->doc = json_loadb(r->data + off, r->len - off, JSON_REJECT_DUPLICATES,
                        &e);
    if (!r->doc) {
        size_t stop = off + (size_t)(e.position > 0 ? e.position : 0);
        size_t k = scan_array(r, off, stop < r->len ? stop : r->len);
        if (k == (size_t)-1)
            return nomem(r);
        r->index = k ? k : 1;
        if (k)
            r->item_line = r->spans[k - 1].line;
        return json_fail(r, &e, line_of(r->data, off));
    }
    if (scan_array(r, off, r->len) == (size_t)-1)
        return nomem(r);
    r->mode = M_ARRAY;
    return NG_OK;
}

static int next_array(ng_reader *r, ng_item **out)
{
    if (r->next_el >= json_array_size(r->doc))
        return NG_DONE;
    size_t i = r->next_el++;
    span s = {0, 0, 1};
    if (i < r->nspans)
        s = r->spans[i];
    int rc = check_unit(r, s.start, s.end - s.start, s.line);
    if (rc != NG_OK)
        return rc;
    return item_from_json(r, json_array_get(r->doc, i), out);
}

/* Bounds of the line at `pos`: its end (without "\r") and the start of
 * the next line. */
/* ---- streams ---- */

/* Reads the next chunk of a stream onto the end of the window.  Returns
 * the bytes added: 0 at the end (or for a reader over memory), -1 with
 * the message set on a read error or no memory. */
static long more(ng_reader *r)
{
    enum { CHUNK = 64 << 10 };
    long got;

    if (!r->read || r->eof)
        return 0;
    if (ng__grow(&r->buf, &r->cap, r->len, CHUNK + 1, 1, CHUNK) < 0) {
        nomem(r);
        return -1;
    }
    got = r->read(r->ud, r->buf + r->len, CHUNK);
    if (got < 0) {
        r->ioerr = 1;
        snprintf(r->err, sizeof r->err, "%s: read error", r->name);
        return -1;
    }
    r->eof = got == 0;
    r->len += (size_t)got;
    r->buf[r->len] = '\0';
    r->data = r->buf;
    return got;
}

/* Reads the rest of a stream into the window. */
static int read_all(ng_reader *r)
{
    long got;
    while ((got = more(r)) > 0)
        ;
    return got < 0 ? (r->ioerr ? NG_EIO : NG_ENOMEM) : NG_OK;
}

/* Reads the rest of a stream that holds one item (a JSON object, a plain
 * text) from `off`: whole while within the item limit; past it the rest
 * is counted and dropped, as skip_long_line does, so a 100 MB item costs
 * no more memory than the limit.  Returns NG_OK (the item is whole in
 * the window), NG_EINPUT (too big; counted as item 1) or an error. */
static int read_one(ng_reader *r, size_t off)
{
    size_t n, line = line_of(r->data, off);
    long got = 1;

    while (!r->eof && r->len - off <= r->lim.max_item_bytes)
        if (more(r) < 0)
            return r->ioerr ? NG_EIO : NG_ENOMEM;
    if (r->len - off <= r->lim.max_item_bytes)
        return NG_OK;
    n = r->len - off;
    while (got > 0) {
        r->base += r->len;
        r->len = 0;
        if ((got = more(r)) < 0)
            return r->ioerr ? NG_EIO : NG_ENOMEM;
        n += r->len;
    }
    r->mode = M_DONE;
    return check_unit(r, 0, n, line);
}

/* NDJSON in a stream: drops the bytes before r->pos from the window. */
static void drop_read(ng_reader *r)
{
    if (!r->read || r->pos == 0)
        return;
    memmove(r->buf, r->buf + r->pos, r->len - r->pos);
    r->base += r->pos;
    r->len -= r->pos;
    r->pos = 0;
}

/* A line longer than the item limit, in a stream: counts it as an item
 * and skips it to its newline without holding it.  Returns NG_EINPUT
 * (the item is too big) or an error. */
static int skip_long_line(ng_reader *r)
{
    size_t n = 0, k, line = r->line;
    const char *nl;
    long got = 1;
    int cr = 0;         /* the last byte counted so far is a '\r' */

    drop_read(r);
    while (!(nl = memchr(r->data, '\n', r->len)) && got > 0) {
        n += r->len;
        if (r->len)
            cr = r->data[r->len - 1] == '\r';
        r->base += r->len;
        r->len = 0;
        got = more(r);
    }
    if (got < 0)
        return r->ioerr ? NG_EIO : NG_ENOMEM;
    k = nl ? (size_t)(nl - r->data) : r->len;
    r->pos = nl ? k + 1 : r->len;
    n += k;
    /* A line's '\r' is not its content, as in line_bounds: the size
     * reported is the one a reader over memory reports. */
    if (n && (k ? r->data[k - 1] == '\r' : cr))
        n--;
    r->line++;
    return check_unit(r, 0, n, line);
}

/* NDJSON in a stream: reads until the line at r->pos is whole.  Returns
 * NG_OK, 1 when the line is over the item limit (not read further), or
 * an error code. */
static int whole_line(ng_reader *r)
{
    size_t from = r->pos; /* the bytes before it hold no newline */

    while (!memchr(r->data + from, '\n', r->len - from) && !r->eof) {
        if (r->len - r->pos > r->lim.max_item_bytes + 1)
            return 1;
        /* Only when more bytes are needed: one move per chunk read, not
         * one per line. */
        drop_read(r);
        from = r->len; /* only the new bytes are searched: linear in the
                          line however small the chunks */
        if (more(r) < 0)
            return r->ioerr ? NG_EIO : NG_ENOMEM;
    }
    return NG_OK;
}

/* Parses one NDJSON line: the fast path for flat objects of strings
 * (json_fast.c), else jansson, which reports errors in *e.  Returns the
 * value or NULL (e set, or r->err on no memory with e->text empty). */
static json_t *parse_line(ng_reader *r, const char *s, size_t n,
                          json_error_t *e)
{
    json_t *v = NULL;

    if (ng__grow(&r->scratch, &r->capscratch, 0, n + 2, 1, 4096) == 0)
        v = ng__json_fast_object(s, n, r->scratch);
    return v ? v : json_loadb(s, n, JSON_REJECT_DUPLICATES, e);
}

static void line_bounds(const ng_reader *r, size_t pos, size_t *end,
                        size_t *next)
{
    const char *nl = memchr(r->data + pos, '\n', r->len - pos);
    *next = nl ? (size_t)(nl - r->data) + 1 : r->len;
    *end = nl ? (size_t)(nl - r->data) : r->len;
    if (*end > pos && r->data[*end - 1] == '\r')
        (*end)--;
}

static int next_ndjson(ng_reader *r, ng_item **out)
{
    size_t end, next;
    json_error_t e;
    for (;;) {
        int w = r->read ? whole_line(r) : NG_OK;
        if (w == 1)
            return skip_long_line(r);
        if (w != NG_OK)
            return w;
        if (r->pos >= r->len)
            return NG_DONE;
        line_bounds(r, r->pos, &end, &next);
        size_t p = r->pos;
        while (p < end && is_blank(r->data[p]))
            p++;
        if (p < end)
            break;
        r->pos = next;
        r->line++;
    }
    size_t start = r->pos, line = r->line;
    r->pos = next;
    r->line++;
    int rc = check_unit(r, start, end - start, line);
    json_t *v = r->first;
    r->first = NULL;
    if (rc != NG_OK) {
        json_decref(v);
        return rc;
    }
    if (!v)
        v = parse_line(r, r->data + start, end - start, &e);
    if (!v)
        return json_fail(r, &e, line);
    rc = item_from_json(r, v, out);
    json_decref(v);
    return rc;
}

/* Decides between one JSON document and NDJSON for input starting with
 * '{' at `off`: NDJSON when the first line is a whole JSON value on its
 * own (kept in r->first, the first item), or when every non-blank line
 * (two or more) starts with '{'.  A stream is read whole for the second
 * test only.  Returns 1 (NDJSON), 0, or an NG_E* code negated. */
static int looks_ndjson(ng_reader *r, size_t off)
{
    size_t end, next, lines = 0;
    json_error_t e;
    size_t from = off; /* the bytes before it hold no newline */
    int rc = NG_OK;

    while (r->read && !r->eof
           && !memchr(r->data + from, '\n', r->len - from)
           && r->len - off <= r->lim.max_item_bytes) {
        from = r->len; /* only new bytes are searched: linear in the
                          line however small the chunks */
        if (more(r) < 0)
            return -(r->ioerr ? NG_EIO : NG_ENOMEM);
    }
    /* A first line over the item limit is too big as a document and as
     * an NDJSON line alike: NDJSON skips it without holding it.  Decided
     * by the line's length alone, in memory as in a stream (where the
     * loop above stopped with the newline, the end, or more than the
     * limit in the window), so both read the same items. */
    const char *nl = memchr(r->data + off, '\n', r->len - off);
    if ((nl ? (size_t)(nl - (r->data + off)) : r->len - off)
        > r->lim.max_item_bytes)
        return 1;
    line_bounds(r, off, &end, &next);
    r->first = parse_line(r, r->data + off, end - off, &e);
    if (r->first)
        return 1;
    if (r->read && (rc = read_all(r)) != NG_OK)
        return -rc;
    for (size_t p = off; p < r->len; p = next) {
        line_bounds(r, p, &end, &next);
        while (p < end && is_blank(r->data[p]))
            p++;
        if (p == end)
            continue;
        if (r->data[p] != '{')
            return 0;
        lines++;
    }
    return lines >= 2;
}

static int start_doc(ng_reader *r, size_t off)
{
    json_error_t e;
    r->item_line = line_of(r->data, off);
    r->mode = M_DONE;
    int rc = check_unit(r, off, r->len - off, r->item_line);
    if (rc != NG_OK)
        return rc;
    r->doc = json_loadb(r->data + off, r->len - off, JSON_REJECT_DUPLICATES,
                        &e);
    if (!r->doc)
        return json_fail(r, &e, r->item_line);
    r->mode = M_DOC;
    return NG_OK;
}

/* ------------------------------------------------------------------ */
/* Plain text                                                          */
/* ------------------------------------------------------------------ */

/* Copies s[0..n) dropping the "\r" of "\r\n" and trimming blank ends. */
static char *text_copy(const char *s, size_t n)
{
    while (n > 0 && is_blank(*s)) {
        s++;
        n--;
    }
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    char *c = malloc(n + 1);
    const char *p = s, *end = s + n, *cr;
    size_t k = 0;
    if (!c)
        return NULL;
    /* The runs between carriage returns are copied whole. */
    while ((cr = memchr(p, '\r', (size_t)(end - p))) != NULL) {
        memcpy(c + k, p, (size_t)(cr - p));
        k += (size_t)(cr - p);
        if (!(cr + 1 < end && cr[1] == '\n'))
            c[k++] = '\r';
        p = cr + 1;
    }
    memcpy(c + k, p, (size_t)(end - p));
    k += (size_t)(end - p);
    c[k] = '\0';
    return c;
}

/* The field a text header names ("Title", "URL", ...: the rows of the
 * field table marked as headers), or NULL. */
static const ng__field_def *header_field(const char *k, size_t n)
{
    size_t nf;
    const ng__field_def *defs = ng__item_fields(&nf);
    for (size_t i = 0; i < nf; i++)
        if (defs[i].header && strlen(defs[i].name) == n
            && strncasecmp(k, defs[i].name, n) == 0)
            return &defs[i];
    return NULL;
}

/* Length of the key of a "Key: value" line (a single word of letters,
 * digits, '-' or '_'), or 0. */
static size_t header_key(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 32 && (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')
                               || (s[i] >= '0' && s[i] <= '9')
                               || s[i] == '-' || s[i] == '_'))
        i++;
    return i > 0 && i < n && s[i] == ':' ? i : 0;
}

/* Reads header lines from *pos.  Returns NG_OK with *pos at the body. */
static int text_headers(ng_reader *r, ng_item *it, size_t *pos)
{
    size_t end, next, line = r->item_line;
    for (; *pos < r->len; *pos = next, line++) {
        line_bounds(r, *pos, &end, &next);
        const char *s = r->data + *pos;
        size_t klen = header_key(s, end - *pos);
        if (end == *pos) {
            *pos = next; /* the blank line ending the headers */
            return NG_OK;
        }
        if (!klen)
            return NG_OK; /* no blank line: the body starts here */
        const ng__field_def *def = header_field(s, klen);
        if (!def)
            return fail(r, "unknown header '%.*s' at line %zu (known: "
                        "Title, URL, Source, Author, Submitter)",
                        (int)klen, s, line);
        char **dst = NG__ITEM_MEMBER(it, def);
        if (*dst)
            return fail(r, "duplicate header '%s' at line %zu", def->name,
                        line);
        size_t vn = end - *pos - klen - 1;
        size_t max = ng__item_limit(def, &r->lim);
        if (vn > max)
            return fail(r, "%s is %zu bytes, over the limit of %zu",
                        def->name, vn, max);
        if (!(*dst = text_copy(s + klen + 1, vn)))
            return nomem(r);
    }
    return NG_OK;
}

/* Fills title (first non-empty line) for a text without headers. */
static int text_title_line(ng_reader *r, ng_item *it, size_t *pos)
{
    size_t end, next;
    line_bounds(r, *pos, &end, &next);
    if (end - *pos > r->lim.max_title_bytes)
        return fail(r, "title is %zu bytes, over the limit of %zu",
                    end - *pos, r->lim.max_title_bytes);
    if (!(it->title = text_copy(r->data + *pos, end - *pos)))
        return nomem(r);
    *pos = next;
    return NG_OK;
}

static int text_item(ng_reader *r, ng_item *it, size_t off)
{
    size_t pos = off, end, next;
    line_bounds(r, off, &end, &next);
    size_t klen = header_key(r->data + off, end - off);
    int rc = klen && header_field(r->data + off, klen)
        ? text_headers(r, it, &pos) : text_title_line(r, it, &pos);
    if (rc != NG_OK)
        return rc;
    if (it->title && !*it->title) {
        free(it->title);
        it->title = NULL;
    }
    if (!it->title)
        return fail(r, "missing title (no 'Title:' header)");
    if (r->len - pos > r->lim.max_body_bytes)
        return fail(r, "body is %zu bytes, over the limit of %zu",
                    r->len - pos, r->lim.max_body_bytes);
    if (!(it->body = text_copy(r->data + pos, r->len - pos)))
        return nomem(r);
    if (!*it->body)
        return fail(r, "missing body");
    return finish_item(r, it);
}

static int next_text(ng_reader *r, size_t off, ng_item **out)
{
    r->mode = M_DONE;
    int rc = check_unit(r, off, r->len - off, line_of(r->data, off));
    if (rc != NG_OK)
        return rc;
    ng_item *it = new_item(r);
    if (!it)
        return nomem(r);
    if ((rc = text_item(r, it, off)) != NG_OK) {
        ng_item_free(it);
        return rc;
    }
    *out = it;
    return NG_OK;
}

/* ------------------------------------------------------------------ */
/* The reader                                                          */
/* ------------------------------------------------------------------ */

int ng_reader_open(ng_reader **out, const char *name, const char *data,
                   size_t len, ng_format format, const ng_limits *limits)
{
    if (!out)
        return NG_EINVAL;
    *out = NULL;
    if ((!data && len) || format < NG_FORMAT_AUTO || format > NG_FORMAT_TEXT)
        return NG_EINVAL;
    ng_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NG_ENOMEM;
    r->name = strdup(name ? name : "-");
    if (!r->name) {
        free(r);
        return NG_ENOMEM;
    }
    r->data = data ? data : "";
    r->len = len;
    r->format = format;
    ng__limits_fill(&r->lim, limits);
    *out = r;
    return NG_OK;
}

int ng_reader_open_stream(ng_reader **out, const char *name, ng_read_fn read,
                          void *ud, ng_format format,
                          const ng_limits *limits)
{
    int rc;

    if (out)
        *out = NULL;
    if (!read)
        return NG_EINVAL;
    rc = ng_reader_open(out, name, NULL, 0, format, limits);
    if (rc == NG_OK) {
        (*out)->read = read;
        (*out)->ud = ud;
    }
    return rc;
}

/* Picks the format on the first call and reads the first item. */
static int start(ng_reader *r, ng_item **out)
{
    size_t off = 0;
    int rc;

    for (;;) {
        off = r->len >= 3 && memcmp(r->data, "\xEF\xBB\xBF", 3) == 0;
        off *= 3; /* a byte order mark */
        while (off < r->len && is_blank(r->data[off]))
            off++;
        /* A stream: read until the first non-blank byte shows (and
         * enough bytes to tell a byte order mark). */
        if ((off < r->len && r->len >= 3) || !r->read || r->eof)
            break;
        if (more(r) < 0)
            return r->ioerr ? NG_EIO : NG_ENOMEM;
    }
    r->mode = M_DONE;
    if (off == r->len) {
        r->index = 1;
        return fail(r, "the input is empty");
    }
    char c = r->data[off];
    int json = r->format == NG_FORMAT_JSON
        || (r->format == NG_FORMAT_AUTO && (c == '{' || c == '['));
    if (!json || c == '[') {
        if (r->read && (rc = json ? read_all(r) : read_one(r, off)) != NG_OK)
            return rc;
        if (!json)
            return next_text(r, off, out);
        rc = start_array(r, off);
    } else if ((rc = looks_ndjson(r, off)) < 0) {
        return -rc;
    } else if (rc == 1) {
        r->mode = M_NDJSON;
        r->pos = off;
        r->line = line_of(r->data, off);
        return next_ndjson(r, out);
    } else if (!r->read || (rc = read_one(r, off)) == NG_OK) {
        rc = start_doc(r, off);
    }
    if (rc != NG_OK)
        return rc;
    if (r->mode == M_ARRAY)
        return next_array(r, out);
    r->mode = M_DONE;
    return item_from_json(r, r->doc, out);
}

int ng_reader_next(ng_reader *r, ng_item **item)
{
    if (!item)
        return NG_EINVAL;
    *item = NULL;
    if (!r)
        return NG_EINVAL;
    r->err[0] = '\0';
    switch (r->mode) {
    case M_START:
        return start(r, item);
    case M_ARRAY:
        return next_array(r, item);
    case M_NDJSON:
        return next_ndjson(r, item);
    default:
        return NG_DONE;
    }
}

const char *ng_reader_errmsg(const ng_reader *r)
{
    return r ? r->err : "";
}

size_t ng_reader_index(const ng_reader *r)
{
    return r ? r->index : 0;
}

void ng_reader_close(ng_reader *r)
{
    if (!r)
        return;
    json_decref(r->first);
    json_decref(r->doc);
    free(r->buf);
    free(r->scratch);
    free(r->spans);
    free(r->name);
    free(r);
}
