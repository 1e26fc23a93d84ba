/*
 * fuzz_server.c -- fuzz target: the request handling of `newsgate
 * serve` (routing, tokens, body parsing, dry-run checks, reads, and the
 * writer's jobs: submissions, decisions, claims), driven in-process
 * through the seam of core/server_inproc.c, without a socket.
 *
 * The input is a request written as text:
 *
 *     METHOD PATH[?key=value&...]
 *     Header: value
 *     ...
 *     <blank line>
 *     body
 *
 * (query arguments are not percent-decoded; the glue's parsing of the
 * request line is libmicrohttpd's, not ours).  One server is set up for
 * the whole run: a scratch store, the default rules, three tokens
 * ("sub", "mod", "pub" for the three roles), one HTTP engine, no fsync.
 * State carries over between inputs (items filed stay filed), as it does
 * in a running server.  Properties: every request gets a status from 200
 * to 599 and, apart from 204, a body; JSON answers are JSON and hold no
 * raw hidden code point (C1, direction and line controls: term.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "server.h"
#include "term.h"
#include "fuzz.h"

enum { MAXKV = 32 };

static ng__server *srv;
static char dir[64], db[96], tokens[96];
static int verbose;   /* NG_FUZZ_VERBOSE set: each answer on stderr */

/* At exit: stops the server and removes its files. */
static void cleanup(void)
{
    char path[128];

    ng__srv_inproc_close(srv);
    srv = NULL;
    unlink(tokens);
    unlink(db);
    snprintf(path, sizeof path, "%s-wal", db);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", db);
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *rules = getenv("NEWSGATE_RULES");
    ng__srv_config cfg;
    FILE *f;

    snprintf(dir, sizeof dir, "/tmp/ng-fuzz-server-XXXXXX");
    if (!mkdtemp(dir))
        ng_fuzz_fail("mkdtemp");
    snprintf(db, sizeof db, "%s/store.db", dir);
    snprintf(tokens, sizeof tokens, "%s/tokens", dir);
    if (!(f = fopen(tokens, "w")))
        ng_fuzz_fail("cannot write the tokens file");
    fputs("sub submitter\nmod moderator\npub publisher\n", f);
    fclose(f);
    ng__srv_config_defaults(&cfg);
    cfg.db = db;
    cfg.rules = rules ? rules : "rules";
    cfg.tokens = tokens;
    cfg.threads = 1;
    cfg.nosync = 1;
    cfg.max_body = 64 << 10;
    cfg.max_items = 50;
    verbose = getenv("NG_FUZZ_VERBOSE") != NULL;
    if (ng__srv_inproc_open(&cfg, &srv) != NG_OK)
        ng_fuzz_fail("the server does not start");
    atexit(cleanup);
    return 0;
}

/* Splits "k=v&k2=v2" (modified in place) into kv; n counts strings. */
static void split_query(char *q, const char **kv, size_t *n)
{
    while (q && *q && *n + 3 < MAXKV) {
        char *amp = strchr(q, '&'), *eq;
        if (amp)
            *amp = '\0';
        eq = strchr(q, '=');
        if (eq)
            *eq = '\0';
        kv[(*n)++] = q;
        kv[(*n)++] = eq ? eq + 1 : "";
        q = amp ? amp + 1 : NULL;
    }
    kv[*n] = NULL;
}

/* Reads "Name: value" lines from *p up to a blank line into kv. */
static void split_headers(char **p, const char **kv)
{
    size_t n = 0;
    char *s = *p;

    while (s && *s && *s != '\n' && n + 3 < MAXKV) {
        char *nl = strchr(s, '\n'), *colon;
        if (nl)
            *nl = '\0';
        if ((colon = strchr(s, ':'))) {
            *colon = '\0';
            kv[n++] = s;
            kv[n++] = colon[1] == ' ' ? colon + 2 : colon + 1;
        }
        s = nl ? nl + 1 : NULL;
    }
    kv[n] = NULL;
    *p = s && *s == '\n' ? s + 1 : s;
}

/* 1 when s holds a code point ng__term_hidden names, else 0. */
static int raw_hidden(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), k;
    unsigned cp;

    for (size_t i = 0; i < n; i += k ? k : 1) {
        k = ng__utf8_decode(u + i, n - i, &cp);
        if (k && ng__term_hidden(cp))
            return 1;
    }
    return 0;
}

static void check_answer(int status, const char *resp)
{
    json_t *j;

    if (status < 200 || status > 599)
        ng_fuzz_fail("a status outside 200..599");
    if (status != 204 && !resp)
        ng_fuzz_fail("an answer without a body");
    if (resp && resp[0] == '{') {
        if (!(j = json_loads(resp, 0, NULL)))
            ng_fuzz_fail("an answer starting with { is not JSON");
        json_decref(j);
    }
    if (resp && (resp[0] == '{' || resp[0] == '[') && raw_hidden(resp))
        ng_fuzz_fail("a JSON answer with a raw hidden code point");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *hdrs[MAXKV], *query[MAXKV];
    char *text = ng_fuzz_str(data, size), *line = text, *body, *sp, *q;
    ng__srv_inreq in = { 0 };
    size_t nq = 0;
    int status;
    char *resp;

    body = strchr(text, '\n');
    if (body)
        *body++ = '\0';
    sp = strchr(line, ' ');
    in.method = line;
    in.path = "/";
    if (sp) {
        *sp = '\0';
        in.path = sp + 1;
    }
    if ((q = strchr(sp ? sp + 1 : line, '?')))
        *q++ = '\0';
    split_query(q, query, &nq);
    split_headers(&body, hdrs);
    in.headers = hdrs, in.query = query;
    /* The body keeps its bytes after any NUL (the request had them). */
    in.body = body ? (const char *)data + (body - text) : NULL;
    in.len = body ? size - (size_t)(body - text) : 0;
    if (ng__srv_inproc(srv, &in, &status, &resp) != 0)
        ng_fuzz_fail("out of memory");
    check_answer(status, resp);
    if (verbose)
        fprintf(stderr, "%s %s -> %d %.200s\n", in.method, in.path, status,
                resp ? resp : "");
    free(resp);
    free(text);
    return 0;
}
