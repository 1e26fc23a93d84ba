/*
 * rateload.c -- a fixed-rate load generator for `make bench-server` (wrk2
 * is not in Debian).  Sends POST /v1/items at RATE requests per second
 * for SECONDS over CONNS keep-alive connections and prints the latency
 * percentiles.
 *
 *   rateload HOST PORT RATE SECONDS [CONNS]
 *
 * Open loop: request i is due at start + i / RATE.  Its latency is
 * measured from when it was due, not from when a connection was free to
 * send it, so a stalled server shows up in the figures instead of
 * slowing the generator down (no coordinated omission).  One thread,
 * poll(2); each response is read up to its Content-Length.
 */
#define _GNU_SOURCE   /* strcasestr */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXCONN 256

typedef struct conn {
    int fd;
    int busy;
    double due;          /* when its request was due */
    char in[16384];
    size_t got;
} conn;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(const char *host, int port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    sa.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, host, &sa.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        perror("rateload: connect");
        exit(1);
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* 45 pseudo-words drawn from n (as tests/bench/server/submit.lua
 * does): bodies share few shingles, so the near-duplicate rule does the
 * work it does on real stories, not its worst case. */
static void words(long n, char *out, size_t cap)
{
    static const char *const syl[] = {
        "ba", "ko", "ri", "tan", "mel", "su", "dor", "vi", "ne", "lo",
        "gar", "pe", "shi", "mun", "ta", "re", "fo", "quin", "za", "hol",
    };
    unsigned long x = (unsigned long)n * 2654435761u % 2147483648u;
    size_t len = 0;

    out[0] = '\0';
    for (int i = 0; i < 45 && len + 16 < cap; i++) {
        for (int k = 0; k < 3; k++) {
            x = (x * 1103515245u + 12345u) % 2147483648u;
            len += (size_t)snprintf(out + len, cap - len, "%s",
                                    syl[(x >> 8) % 20]);
        }
        out[len++] = ' ';
        out[len] = '\0';
    }
}

/* Sends request number n on c. */
static void send_one(conn *c, long n, double due)
{
    char text[600], body[1024], req[1536];
    words(n + 1000000000L, text, sizeof text);
    int blen = snprintf(body, sizeof body,
        "{\"title\":\"Rate story %ld\",\"body\":\"Story %ld: %s.\","
        "\"url\":\"https://example.org/rate/%ld\","
        "\"source\":\"Example Post\",\"submitter\":\"u%ld\"}",
        n, n, text, n, n % 97);
    int len = snprintf(req, sizeof req,
        "POST /v1/items HTTP/1.1\r\nHost: bench\r\nContent-Type: "
        "application/json\r\nContent-Length: %d\r\n\r\n%s", blen, body);

    if (write(c->fd, req, (size_t)len) != len) {
        perror("rateload: write");
        exit(1);
    }
    c->busy = 1, c->due = due, c->got = 0;
}

/* Reads what arrived; returns 1 when a whole response is in, with its
 * status in *status. */
static int receive(conn *c, int *status)
{
    ssize_t n = read(c->fd, c->in + c->got, sizeof c->in - 1 - c->got);
    char *end, *cl;

    if (n <= 0) {
        fprintf(stderr, "rateload: connection closed by the server\n");
        exit(1);
    }
    c->got += (size_t)n;
    c->in[c->got] = '\0';
    if (!(end = strstr(c->in, "\r\n\r\n")))
        return 0;
    cl = strcasestr(c->in, "Content-Length:");
    size_t want = (size_t)(end + 4 - c->in) +
                  (cl ? strtoul(cl + 15, NULL, 10) : 0);
    if (c->got < want)
        return 0;
    *status = atoi(c->in + 9);
    return 1;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: rateload HOST PORT RATE SECONDS [CONNS]\n");
        return 64;
    }
    double rate = atof(argv[3]), secs = atof(argv[4]);
    int nconn = argc > 5 ? atoi(argv[5]) : 32, bad = 0;
    long total = (long)(rate * secs), sent = 0, done = 0;
    double *lat = calloc((size_t)total + 1, sizeof *lat);
    conn *cs = calloc(MAXCONN, sizeof *cs);
    struct pollfd pf[MAXCONN];

    if (nconn < 1 || nconn > MAXCONN || !lat || !cs || rate <= 0)
        return 64;
    for (int i = 0; i < nconn; i++)
        cs[i].fd = dial(argv[1], atoi(argv[2]));
    double start = now();
    while (done < total) {
        double t = now();
        /* Start every request that is due on a free connection. */
        for (int i = 0; i < nconn && sent < total; i++)
            if (!cs[i].busy && start + (double)sent / rate <= t) {
                send_one(&cs[i], sent, start + (double)sent / rate);
                sent++;
            }
        for (int i = 0; i < nconn; i++)
            pf[i] = (struct pollfd){ .fd = cs[i].fd, .events = POLLIN };
        double next = sent < total ? start + (double)sent / rate - now() : 1;
        int ms = next <= 0 ? 0 : next > 0.001 ? 1 : 0;
        if (poll(pf, (nfds_t)nconn, ms) < 0)
            continue;
        for (int i = 0; i < nconn; i++) {
            int st;
            if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)) ||
                !cs[i].busy || !receive(&cs[i], &st))
                continue;
            lat[done++] = now() - cs[i].due;
            bad += st < 200 || st > 299;
            cs[i].busy = 0;
        }
    }
    double took = now() - start;
    qsort(lat, (size_t)done, sizeof *lat, cmp);
    printf("requests %ld, non-2xx %d\n"
           "rate %.0f/s asked, %.0f/s done\n"
           "latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, "
           "max %.2f ms\n",
           done, bad, rate, (double)done / took,
           lat[done / 2] * 1e3, lat[done * 9 / 10] * 1e3,
           lat[done * 99 / 100] * 1e3, lat[done * 999 / 1000] * 1e3,
           lat[done - 1] * 1e3);
    for (int i = 0; i < nconn; i++)
        close(cs[i].fd);
    free(lat);
    free(cs);
    return bad ? 1 : 0;
}
