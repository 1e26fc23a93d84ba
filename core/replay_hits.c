/*
 * replay_hits.c -- the rule names of a stored verdict's hits (see
 * replay_hits.h).
 *
 * The fast path walks the verdict text once: it finds the top-level
 * "hits" key, and in each object of its array the "rule" key, skipping
 * every other value without building anything.  Names are copied into
 * one buffer kept from item to item, so a replayed item costs no
 * allocation here.  Anything the fast path does not expect (an escaped
 * rule name, a "hits" value that is not an array, malformed text) sends
 * the verdict through jansson instead, which gives the same names the
 * replay took before this file existed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "grow.h"
#include "replay_hits.h"

#define NO_NAME ((size_t)-1)

static const char *ws(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return s;
}

/* s at an opening quote: returns the character after the closing one,
 * or NULL when the string does not end. */
static const char *skip_string(const char *s)
{
    for (s++; *s; s++) {
        if (*s == '\\') {
            if (*++s == '\0')
                return NULL;
        } else if (*s == '"') {
            return s + 1;
        }
    }
    return NULL;
}

/* Skips one value (string, object, array or scalar); NULL on bad text. */
static const char *skip_value(const char *s)
{
    int depth = 0;

    if (*s == '"')
        return skip_string(s);
    if (*s != '{' && *s != '[') {
        while (*s && !strchr(",}] \t\r\n", *s))
            s++;
        return *s ? s : NULL;
    }
    do {
        if (*s == '"') {
            if ((s = skip_string(s)) == NULL)
                return NULL;
            continue;
        }
        depth += (*s == '{' || *s == '[') - (*s == '}' || *s == ']');
        s++;
    } while (depth > 0 && *s);
    return depth == 0 ? s : NULL;
}

/* Adds a name (len bytes at s; s NULL: no name).  Returns 0 or -1. */
static int add_name(ng__old_hits *h, const char *s, size_t len)
{
    if (ng__grow(&h->offs, &h->capoffs, h->n, 1, sizeof *h->offs, 16) < 0)
        return -1;
    if (s == NULL) {
        h->offs[h->n++] = NO_NAME;
        return 0;
    }
    if (ng__grow(&h->buf, &h->capbuf, h->len, len + 1, 1, 256) < 0)
        return -1;
    memcpy(h->buf + h->len, s, len);
    h->buf[h->len + len] = '\0';
    h->offs[h->n++] = h->len;
    h->len += len + 1;
    return 0;
}

/* Reads one hit object (s at its '{'); returns the text after it, NULL
 * when the fast path cannot read it, or (char *)1 when memory ran out. */
static const char *read_hit(ng__old_hits *h, const char *s)
{
    const char *name = NULL, *key, *end;
    size_t len = 0;

    for (s = ws(s + 1); *s != '}'; s = ws(s + 1)) {
        if (*s != '"' || (end = skip_string(s)) == NULL)
            return NULL;
        key = s;
        s = ws(end);
        if (*s != ':')
            return NULL;
        s = ws(s + 1);
        if (end - key == 6 && memcmp(key, "\"rule\"", 6) == 0) {
            name = NULL;
            if (*s == '"') {
                name = s + 1;
                len = strcspn(name, "\"\\");
                if (name[len] != '"')
                    return NULL; /* escaped: jansson decodes it */
            }
        }
        if ((s = skip_value(s)) == NULL)
            return NULL;
        s = ws(s);
        if (*s == '}')
            break;
        if (*s != ',')
            return NULL;
    }
    return add_name(h, name, len) < 0 ? (const char *)1 : s + 1;
}

/* The fast path: 1 read, 0 not readable here, -1 out of memory. */
static int read_fast(ng__old_hits *h, const char *s)
{
    const char *end;

    if (*(s = ws(s)) != '{')
        return 0;
    for (s = ws(s + 1); *s == '"'; s = ws(s + 1)) {
        int hits;

        if ((end = skip_string(s)) == NULL)
            return 0;
        hits = end - s == 6 && memcmp(s, "\"hits\"", 6) == 0;
        if (*(s = ws(end)) != ':')
            return 0;
        s = ws(s + 1);
        if (hits) {
            if (*s != '[')
                return 0;
            for (s = ws(s + 1); *s == '{'; s = ws(s + 1)) {
                if ((s = read_hit(h, s)) == NULL || s == (const char *)1)
                    return s ? -1 : 0;
                if (*(s = ws(s)) != ',')
                    break;
            }
            return *s == ']';
        }
        if ((s = skip_value(s)) == NULL)
            return 0;
        if (*(s = ws(s)) != ',')
            return *s == '}'; /* the end of the verdict: no hits key */
    }
    return 0;
}

/* The slow path, for text the fast path did not read. */
static int read_jansson(ng__old_hits *h, const char *json)
{
    json_t *v = json_loads(json, 0, NULL);
    json_t *hits = json_object_get(v, "hits"), *x;
    size_t i;
    int rc = 0;

    json_array_foreach(hits, i, x) {
        const char *name = json_string_value(json_object_get(x, "rule"));
        if ((rc = add_name(h, name, name ? strlen(name) : 0)) < 0)
            break;
    }
    json_decref(v);
    return rc;
}

int ng__old_hits_read(ng__old_hits *h, const char *json)
{
    int rc = 0;

    h->n = h->len = 0;
    if (json != NULL && (rc = read_fast(h, json)) == 0) {
        h->n = h->len = 0;
        rc = read_jansson(h, json) < 0 ? -1 : 1;
    }
    if (rc < 0
        || ng__grow(&h->names, &h->capnames, 0, h->n, sizeof *h->names, 16) < 0)
        return -1;
    for (size_t i = 0; i < h->n; i++)
        h->names[i] = h->offs[i] == NO_NAME ? NULL : h->buf + h->offs[i];
    return 0;
}

void ng__old_hits_free(ng__old_hits *h)
{
    free(h->names);
    free(h->offs);
    free(h->buf);
    memset(h, 0, sizeof *h);
}
