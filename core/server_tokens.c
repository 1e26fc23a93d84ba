/*
 * server_tokens.c -- the bearer tokens of `newsgate serve`: loaded from a
 * file of "TOKEN ROLE" lines (roles moderator, publisher, submitter; '#'
 * starts a comment), and matched against a request's Authorization
 * header.
 *
 * A presented token is compared with every stored token, each comparison
 * running over the full length of both, so the time taken does not tell
 * how many leading bytes matched or which entry did.  Messages name the
 * file and line, never a token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "server.h"

#define MAX_TOKEN 256

typedef struct entry {
    char *token;
    size_t len;
    int role;
} entry;

struct ng__srv_tokens {
    entry *e;
    size_t n, cap;
};

static int role_of(const char *s)
{
    if (strcmp(s, "moderator") == 0)
        return NG__ROLE_MODERATOR;
    if (strcmp(s, "publisher") == 0)
        return NG__ROLE_PUBLISHER;
    if (strcmp(s, "submitter") == 0)
        return NG__ROLE_SUBMITTER;
    return 0;
}

/* Adds one entry; returns 0 or -1 on no memory. */
static int add(ng__srv_tokens *t, const char *tok, size_t len, int role)
{
    if (ng__srv_grow((void **)&t->e, &t->cap, t->n + 1, sizeof *t->e) != 0)
        return -1;
    if (!(t->e[t->n].token = strndup(tok, len)))
        return -1;
    t->e[t->n].len = len;
    t->e[t->n++].role = role;
    return 0;
}

/* Splits a line into token and role words; returns the role bits, 0 for
 * a blank or comment line, -1 when malformed. */
static int parse_line(char *line, const char **tok, size_t *len)
{
    char *p = line + strspn(line, " \t"), *q, *role;

    if (*p == '\0' || *p == '\n' || *p == '#')
        return 0;
    q = p + strcspn(p, " \t\r\n");
    *tok = p, *len = (size_t)(q - p);
    role = q + strspn(q, " \t");
    role[strcspn(role, " \t\r\n#")] = '\0';
    if (*len == 0 || *len > MAX_TOKEN)
        return -1;
    int r = role_of(role);
    return r ? r : -1;
}

int ng__srv_tokens_load(const char *path, ng__srv_tokens **out, char *err,
                        size_t errlen)
{
    ng__srv_tokens *t = calloc(1, sizeof *t);
    FILE *f = fopen(path, "r");
    char line[1024];
    int lineno = 0, rc = 0;

    *out = NULL;
    if (!t || !f) {
        snprintf(err, errlen, "%s: %s", path, f ? "out of memory"
                                                : "cannot open");
        free(t);
        if (f)
            fclose(f);
        return -1;
    }
    while (rc == 0 && fgets(line, sizeof line, f)) {
        const char *tok;
        size_t len;
        int role = parse_line(line, &tok, &len);

        lineno++;
        if (role < 0) {
            snprintf(err, errlen, "%s:%d: expected TOKEN ROLE (ROLE: "
                     "moderator, publisher or submitter)", path, lineno);
            rc = -1;
        } else if (role > 0 && add(t, tok, len, role) != 0) {
            snprintf(err, errlen, "%s: out of memory", path);
            rc = -1;
        }
    }
    fclose(f);
    if (rc != 0) {
        ng__srv_tokens_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

/* 1 when a (alen bytes) equals b (blen), in time depending only on the
 * lengths. */
static int same(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen > blen ? alen : blen;
    unsigned char diff = (unsigned char)(alen != blen);

    for (size_t i = 0; i < n; i++) {
        unsigned char x = i < alen ? (unsigned char)a[i] : 0;
        unsigned char y = i < blen ? (unsigned char)b[i] : 0;
        diff |= (unsigned char)(x ^ y);
    }
    return diff == 0;
}

int ng__srv_tokens_role(const ng__srv_tokens *t, const char *authorization)
{
    const char *p;
    size_t len;
    int role = 0;

    if (!t || !authorization || strncasecmp(authorization, "Bearer ", 7))
        return 0;
    p = authorization + 7;
    p += strspn(p, " ");
    len = strcspn(p, " \t\r\n");
    if (len == 0 || len > MAX_TOKEN)
        return 0;
    for (size_t i = 0; i < t->n; i++) {
        int hit = same(p, len, t->e[i].token, t->e[i].len);
        role |= t->e[i].role & -hit;   /* no branch on the outcome */
    }
    return role;
}

size_t ng__srv_tokens_count(const ng__srv_tokens *t)
{
    return t ? t->n : 0;
}

void ng__srv_tokens_free(ng__srv_tokens *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->e[i].token);
    free(t->e);
    free(t);
}
