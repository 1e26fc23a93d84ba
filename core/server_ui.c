/*
 * server_ui.c -- serves the moderator console (the static files of ui/,
 * compiled in by ui/embed.sh) at /ui/.  The console is plain HTML, CSS and
 * JavaScript modules that talk only to the JSON API with the moderator's
 * token; nothing here needs a token, since the files hold no data.
 *
 * Every file goes out with a strict Content-Security-Policy: scripts,
 * styles and requests only from this origin, no inline script or style,
 * no plugins, no framing, and Trusted Types required so that no string
 * can reach innerHTML or a script sink even by mistake (docs/ui.md).
 */
#include <stdlib.h>
#include <string.h>
#include "server.h"
#include "ui_files.h"

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'; "
    "require-trusted-types-for 'script'; trusted-types 'none'";

/* The embedded file at `path` ("/ui" and "/ui/" give index.html), or
 * NULL. */
static const ng__ui_file *lookup(const char *path)
{
    if (strcmp(path, "/ui") == 0 || strcmp(path, "/ui/") == 0)
        path = "/ui/index.html";
    for (const ng__ui_file *f = ng__ui_files; f->path; f++)
        if (strcmp(f->path, path) == 0)
            return f;
    return NULL;
}

int ng__srv_ui(ng__srv_req *r)
{
    const ng__ui_file *f;
    char *copy;

    if (strncmp(r->path, "/ui", 3) != 0 ||
        (r->path[3] != '\0' && r->path[3] != '/'))
        return 0;
    r->route = NG__RT_UI;
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        r->allow = "GET";
        ng__srv_error(r, 405, "method_not_allowed", "use GET");
        return 1;
    }
    if (!(f = lookup(r->path))) {
        ng__srv_error(r, 404, "not_found", "no such file");
        return 1;
    }
    if (!(copy = malloc(f->len + 1))) {
        ng__srv_error(r, 500, "internal", "out of memory");
        return 1;
    }
    memcpy(copy, f->data, f->len);
    copy[f->len] = '\0';
    free(r->resp);
    r->status = 200;
    r->resp = copy;
    r->resp_len = f->len;
    r->resp_type = f->type;
    r->csp = csp;
    return 1;
}
