/*
 * logregex.c -- an LD_PRELOAD shim that records every pattern the program
 * compiles with PCRE2 (pcre2_compile_8), so tests can make regex-bomb
 * text for every pattern the default rules use, including those built by
 * Lua concatenation inside check functions.  Each pattern is appended to
 * the file named by LOGREGEX_FILE as "<bytes> <options in hex>\t<pattern>\n"
 * (the length first, so a pattern may hold any byte).
 *
 * Built by `make test` into build/faults/logregex.so; preloaded only by
 * tests/hostile/run.sh.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pcre2_real_code_8 pcre2_code_8;
typedef struct pcre2_real_compile_context_8 pcre2_compile_context_8;
typedef pcre2_code_8 *(*compile_fn)(const unsigned char *, size_t, uint32_t,
                                    int *, size_t *,
                                    pcre2_compile_context_8 *);

pcre2_code_8 *pcre2_compile_8(const unsigned char *pat, size_t len,
                              uint32_t options, int *err, size_t *off,
                              pcre2_compile_context_8 *ctx)
{
    const char *path = getenv("LOGREGEX_FILE");
    compile_fn real = (compile_fn)dlsym(RTLD_NEXT, "pcre2_compile_8");

    if (path && *path) {
        size_t n = len == (size_t)-1 ? strlen((const char *)pat) : len;
        FILE *f = fopen(path, "ab");
        if (f) {
            fprintf(f, "%zu %x\t", n, (unsigned)options);
            fwrite(pat, 1, n, f);
            fputc('\n', f);
            fclose(f);
        }
    }
    return real(pat, len, options, err, off, ctx);
}
