/*
 * server_log.c -- what `newsgate serve` writes on stderr: one access-log
 * line per request and time-stamped operational messages (start, reload,
 * stop, failures).
 *
 * Each line is formatted into a buffer and written with one write(2), so
 * lines from different threads never interleave.  The access line holds
 * the method, the path without its query string, the status, the bytes
 * sent, the duration and the number of items: never a body, a header or
 * a query argument, so no token or submitted text reaches the log.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "server.h"

/* UTC time as 2026-11-28T06:55:00Z into buf. */
static void stamp(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Writes the line, adding the newline. */
static void emit(char *line, size_t cap, int len)
{
    size_t n = len < 0 ? 0 : (size_t)len;

    if (n >= cap - 1)
        n = cap - 2;
    line[n++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, n);
    (void)w;
}

/* Copies a path for the log: at most 200 bytes, control bytes and
 * spaces escaped as '?', so a crafted URL cannot forge a log line. */
static void clean_path(const char *p, char *out, size_t n)
{
    size_t i = 0;

    for (; p && *p && i + 1 < n && i < 200; p++)
        out[i++] = ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '"')
                   ? '?' : *p;
    out[i] = '\0';
}

void ng__srv_log_access(const ng__srv_req *r, const char *peer,
                        size_t bytes)
{
    char line[512], when[32], path[208], status[16];
    int len;

    stamp(when, sizeof when);
    clean_path(r->path, path, sizeof path);
    if (r->status > 0)
        snprintf(status, sizeof status, "%d", r->status);
    else
        snprintf(status, sizeof status, "-");
    len = snprintf(line, sizeof line,
                   "%s %s \"%.10s %s\" %s %zu %.3fms items=%zu",
                   when, peer, r->method ? r->method : "-", path, status,
                   bytes, (ng__srv_now() - r->started) * 1e3, r->items);
    emit(line, sizeof line, len);
}

void ng__srv_log(const char *fmt, ...)
{
    char line[1024], when[32];
    va_list ap;
    int len;

    stamp(when, sizeof when);
    len = snprintf(line, sizeof line, "%s newsgate: ", when);
    va_start(ap, fmt);
    if (len > 0 && (size_t)len < sizeof line)
        len += vsnprintf(line + len, sizeof line - (size_t)len, fmt, ap);
    va_end(ap);
    emit(line, sizeof line, len);
}
