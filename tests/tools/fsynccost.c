/*
 * fsynccost.c -- measures what one durable commit costs on this disk:
 * rewrites 4 KiB of a file in DIR and calls fdatasync, N times (default
 * 300), and prints the mean µs per fdatasync.  Used by the store
 * benchmark to explain its figures.
 *
 *   fsynccost DIR [N]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char path[4096], buf[4096];
    int n = argc > 2 ? atoi(argv[2]) : 300;
    struct timespec a, b;

    if (argc < 2 || n <= 0) {
        fprintf(stderr, "usage: fsynccost DIR [N]\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/fsynccost.tmp", argv[1]);
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    memset(buf, 'x', sizeof buf);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < n; i++) {
        if (pwrite(fd, buf, sizeof buf, (off_t)(i % 16) * 4096) < 0 ||
            fdatasync(fd) != 0) {
            perror(path);
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double us = ((double)(b.tv_sec - a.tv_sec) * 1e9 +
                 (double)(b.tv_nsec - a.tv_nsec)) / 1e3 / n;
    printf("fdatasync: %.1f us per 4 KiB write + fdatasync (%d runs)\n",
           us, n);
    close(fd);
    unlink(path);
    return 0;
}
