/*
 * onopen.c -- an LD_PRELOAD shim that runs a shell command at the moment
 * a program opens a chosen file, to change a rules directory in the
 * middle of a load deterministically.
 *
 *   FAULTOPEN_MATCH  substring of the path (required; without it the
 *                    shim does nothing)
 *   FAULTOPEN_RUN    command for /bin/sh, run before the open proceeds
 *   FAULTOPEN_NTH    which matching open runs it (1, the default); 0
 *                    runs it at every matching open
 *
 * fopen and open are interposed (glibc's fopen does not go through the
 * open symbol).  The command runs with FAULTOPEN_MATCH emptied, so the
 * shell it starts does not set it off again.  Built by `make test` into
 * build/faults/onopen.so; preloaded only by tests/scripts/fault-rules.sh.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* Process-wide counter: a preloaded shim has no handle to keep it in. */
static long seen; /* matching opens so far */

static void maybe_run(const char *path)
{
    const char *want = getenv("FAULTOPEN_MATCH");
    const char *run = getenv("FAULTOPEN_RUN");
    const char *nth = getenv("FAULTOPEN_NTH");
    long k = nth ? atol(nth) : 1;
    char *saved;

    if (!want || !*want || !run || !path || !strstr(path, want))
        return;
    seen++;
    if (k != 0 && seen != k)
        return;
    saved = strdup(want);
    setenv("FAULTOPEN_MATCH", "", 1);
    if (system(run) != 0)
        fprintf(stderr, "onopen.so: '%s' failed\n", run);
    if (saved)
        setenv("FAULTOPEN_MATCH", saved, 1);
    free(saved);
}

FILE *fopen(const char *path, const char *mode)
{
    maybe_run(path);
    return ((FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen"))
        (path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
    maybe_run(path);
    return ((FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT,
                                                         "fopen64"))(path, mode);
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode = 0;

    if (flags & (O_CREAT | O_TMPFILE)) {
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    maybe_run(path);
    return ((int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open"))
        (path, flags, mode);
}
