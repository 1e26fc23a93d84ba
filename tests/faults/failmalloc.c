/*
 * failmalloc.c -- an LD_PRELOAD shim for allocation-failure tests: it
 * counts the calls of malloc, calloc, realloc and the aligned allocators
 * while armed, makes one chosen call (the k-th) return NULL with errno
 * ENOMEM, and keeps a count of live blocks so a driver can tell a leak.
 *
 * It is built by `make test` into build/faults/failmalloc.so and loaded
 * only by tests (tests/scripts/fault-alloc.sh through the driver
 * tests/tools/alloc_faults.c); nothing in the library knows of it.  The
 * driver finds the three control functions below with dlsym, so the same
 * driver runs (and says so) without the shim.  Real allocation goes to
 * glibc's __libc_* entry points, so no dlsym bootstrap is needed.  With
 * FAULTMALLOC_TRACE set it prints the stack of the call it fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <stddef.h>
#include <stdlib.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);
void *__libc_memalign(size_t align, size_t n);

void faultmalloc_arm(long fail_at);
long faultmalloc_disarm(void);
long faultmalloc_live(void);

/* Process-wide state: a preloaded shim has no handle to keep it in. */
static long armed;      /* 1 while counting */
static long calls;      /* allocation calls since the last arm */
static long fail_at;    /* the call that fails (1-based), 0: none */
static long live;       /* blocks handed out and not yet freed */
static int trace;       /* FAULTMALLOC_TRACE set: print where it failed */

/* Arms the shim: from now on allocation calls are counted and the
 * fail_at-th one fails (0: none fails, the calls are only counted). */
void faultmalloc_arm(long k)
{
    __atomic_store_n(&calls, 0, __ATOMIC_SEQ_CST);
    fail_at = k;
    if (getenv("FAULTMALLOC_TRACE")) {
        void *frames[1];
        backtrace(frames, 1); /* loads libgcc_s now, not while failing */
        trace = 1;
    }
    __atomic_store_n(&armed, 1, __ATOMIC_SEQ_CST);
}

/* Disarms the shim; returns the number of calls counted while armed. */
long faultmalloc_disarm(void)
{
    __atomic_store_n(&armed, 0, __ATOMIC_SEQ_CST);
    return __atomic_load_n(&calls, __ATOMIC_SEQ_CST);
}

/* Blocks allocated and not freed since the process started. */
long faultmalloc_live(void)
{
    return __atomic_load_n(&live, __ATOMIC_SEQ_CST);
}

/* Counts one allocation call; returns 1 when this one must fail. */
static int should_fail(void)
{
    if (!__atomic_load_n(&armed, __ATOMIC_SEQ_CST))
        return 0;
    long k = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
    if (k == fail_at) {
        if (trace) {
            void *frames[24];
            backtrace_symbols_fd(frames, backtrace(frames, 24), 2);
        }
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

static void *counted(void *p)
{
    if (p)
        __atomic_add_fetch(&live, 1, __ATOMIC_SEQ_CST);
    return p;
}

void *malloc(size_t n)
{
    return should_fail() ? NULL : counted(__libc_malloc(n));
}

void *calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : counted(__libc_calloc(n, size));
}

void *realloc(void *p, size_t n)
{
    void *q;

    if (p == NULL)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    if (should_fail())
        return NULL;
    q = __libc_realloc(p, n);
    return q;
}

void free(void *p)
{
    if (p) {
        __atomic_sub_fetch(&live, 1, __ATOMIC_SEQ_CST);
        __libc_free(p);
    }
}

void *memalign(size_t align, size_t n)
{
    return should_fail() ? NULL : counted(__libc_memalign(align, n));
}

void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    void *p = memalign(align, n);

    if (p == NULL)
        return ENOMEM;
    *out = p;
    return 0;
}
