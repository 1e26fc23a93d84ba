/*
 * scalegen.c -- writes synthetic, distinct news items as NDJSON for the
 * scale benchmark (tests/bench/40-scale.sh): each item has a title of two
 * sentences and a body of 10-20 sentences drawn from the BBC corpus, a
 * unique URL, one of 1,000 submitters and a submission time one minute
 * after the one before.  The sequence depends only on the seed and the
 * corpus, so two runs with the same arguments write the same bytes.
 *
 *   scalegen BBC_DIR FIRST COUNT [SEED] > items.ndjson
 *
 * Items are numbered from FIRST, so a store can be built in chunks that
 * together equal one run.  Only ASCII sentences are used (the corpus has
 * a few Latin-1 bytes, which are not UTF-8).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct corpus {
    char **s;
    size_t n, cap;
} corpus;

/* xorshift64*: small, fast and fixed across platforms. */
static uint64_t next(uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 2685821657736338717ull;
}

static int add(corpus *c, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80 || (unsigned char)s[i] < 0x20)
            return 0;
    if (len < 20)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 4096;
        char **p = realloc(c->s, cap * sizeof *p);
        if (!p)
            return -1;
        c->s = p;
        c->cap = cap;
    }
    c->s[c->n] = strndup(s, len);
    return c->s[c->n] ? (c->n++, 0) : -1;
}

/* Splits one article's text at ". " and line ends into sentences. */
static int split(corpus *c, const char *text)
{
    const char *p = text;

    while (*p) {
        while (*p == ' ' || *p == '\n' || *p == '\r')
            p++;
        const char *e = p;
        while (*e && *e != '\n' && !(e[0] == '.' && e[1] == ' '))
            e++;
        size_t len = (size_t)(e - p) + (*e == '.');
        if (len && add(c, p, len) != 0)
            return -1;
        p = *e ? e + 1 : e;
    }
    return 0;
}

static int read_file(corpus *c, const char *path)
{
    char buf[65536];
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return split(c, buf);
}

/* Reads every BBC_DIR/<category>/<n>.txt, in sorted order. */
static int load(corpus *c, const char *dir)
{
    static const char *const cats[] = {
        "business", "entertainment", "politics", "sport", "tech",
    };
    char path[4096];

    for (size_t k = 0; k < sizeof cats / sizeof *cats; k++)
        for (int i = 1; i < 1000; i++) {
            snprintf(path, sizeof path, "%s/%s/%03d.txt", dir, cats[k], i);
            if (read_file(c, path) != 0)
                return -1;
        }
    return 0;
}

/* Writes s as a JSON string body (the corpus is ASCII here), in upper
 * case when `shout`. */
static void put_json(const char *s, int shout)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            putchar('\\');
        putchar(shout && *s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s);
    }
}

static void item(const corpus *c, uint64_t *rng, long i)
{
    int nsent = 10 + (int)(next(rng) % 11);
    time_t at = (time_t)(1600000000L + i * 60);
    struct tm tm;
    char when[32];

    gmtime_r(&at, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const char *title, *sub;

    /* A title is two short sentences ("A: B"), so titles stay distinct
     * at a million items (one sentence each would repeat). */
    do
        title = c->s[next(rng) % c->n];
    while (strlen(title) > 120);
    do
        sub = c->s[next(rng) % c->n];
    while (strlen(sub) > 80);
    /* One item in 20 shouts (upper case, "!!!"): the starter rules send
     * it to review, so the queue has a review status to list. */
    int shout = i % 20 == 7;
    fputs("{\"title\":\"", stdout);
    put_json(title, shout);
    fputs(": ", stdout);
    put_json(sub, shout);
    fputs(shout ? "!!!" : "", stdout);
    fputs("\",\"body\":\"", stdout);
    for (int k = 0; k < nsent; k++) {
        if (k)
            putchar(' ');
        put_json(c->s[next(rng) % c->n], 0);
    }
    printf("\",\"url\":\"https://news%ld.example.org/story/%ld\","
           "\"source\":\"Scale News\",\"submitter\":\"user%03d\","
           "\"submitted_at\":\"%s\"}\n",
           i % 97, i, (int)(next(rng) % 1000), when);
}

int main(int argc, char **argv)
{
    corpus c = { 0 };

    if (argc < 4) {
        fputs("usage: scalegen BBC_DIR FIRST COUNT [SEED]\n", stderr);
        return 64;
    }
    long first = atol(argv[2]), count = atol(argv[3]);
    uint64_t rng = argc > 4 ? strtoull(argv[4], NULL, 10) : 20261128;

    if (load(&c, argv[1]) != 0 || c.n == 0) {
        fprintf(stderr, "scalegen: no sentences under %s\n", argv[1]);
        return 66;
    }
    rng = rng * 0x9E3779B97F4A7C15ull + 1;
    /* Each item seeds its own generator from (seed, number), so a chunk
     * starting at FIRST writes what one long run writes there. */
    for (long i = first; i < first + count; i++) {
        uint64_t r = (rng ^ (uint64_t)i * 0xD1B54A32D192ED03ull) | 1;
        next(&r);
        item(&c, &r, i);
    }
    for (size_t i = 0; i < c.n; i++)
        free(c.s[i]);
    free(c.s);
    return 0;
}
