/*
 * failio.c -- an LD_PRELOAD shim for disk-full and I/O-error tests: the
 * write and sync calls on files whose path contains FAULTIO_PATH succeed
 * FAULTIO_AFTER times and then fail with FAULTIO_ERRNO (ENOSPC, the
 * default, or EIO) for the rest of the process, as a full disk does.
 *
 *   FAULTIO_PATH   substring of the file's path (required; without it the
 *                  shim does nothing)
 *   FAULTIO_AFTER  calls that succeed before the first failure (0)
 *   FAULTIO_ERRNO  ENOSPC or EIO
 *   FAULTIO_OPS    write (write, pwrite, writev), sync (fsync,
 *                  fdatasync) or all (the default)
 *
 * Built by `make test` into build/faults/failio.so and preloaded only by
 * tests/scripts/fault-io.sh; nothing in the library knows of it.  The
 * path of a descriptor is read from /proc/self/fd, once per call.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/* Process-wide counter: a preloaded shim has no handle to keep it in. */
static long seen; /* matching calls so far */

/* 1 when this call on fd (a write when `is_write`) must fail; errno set. */
static int must_fail(int fd, int is_write)
{
    const char *want = getenv("FAULTIO_PATH");
    const char *ops = getenv("FAULTIO_OPS");
    const char *after = getenv("FAULTIO_AFTER");
    const char *err = getenv("FAULTIO_ERRNO");
    char link[64], path[4096];
    ssize_t n;

    if (want == NULL || *want == '\0')
        return 0;
    if (ops && strcmp(ops, is_write ? "sync" : "write") == 0)
        return 0;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    if ((n = readlink(link, path, sizeof path - 1)) <= 0)
        return 0;
    path[n] = '\0';
    if (strstr(path, want) == NULL)
        return 0;
    if (__atomic_add_fetch(&seen, 1, __ATOMIC_SEQ_CST)
            <= (after ? atol(after) : 0))
        return 0;
    errno = err && strcmp(err, "EIO") == 0 ? EIO : ENOSPC;
    return 1;
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t write(int fd, const void *buf, size_t n)
{
    return must_fail(fd, 1) ? -1 : REAL(write)(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    return must_fail(fd, 1) ? -1 : REAL(pwrite)(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
    return must_fail(fd, 1) ? -1 : REAL(pwrite64)(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    return must_fail(fd, 1) ? -1 : REAL(writev)(fd, iov, cnt);
}

int fsync(int fd)
{
    return must_fail(fd, 0) ? -1 : REAL(fsync)(fd);
}

int fdatasync(int fd)
{
    return must_fail(fd, 0) ? -1 : REAL(fdatasync)(fd);
}
