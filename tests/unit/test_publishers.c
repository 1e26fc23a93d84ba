/*
 * test_publishers.c -- unit tests of the publishers' phrase scan
 * (core/publishers.c over core/litscan.c).  The evidence
 * ng__publishers_match finds for phrases must equal, entry for entry and
 * in the same order, that of a plain reference written here: try every
 * phrase at every byte that starts a word or lies outside words, the
 * phrases at one byte last first (the order the evidence has always been
 * collected in, which the unstable sort of the evidence depends on).
 * Compared over random texts built from the phrases' pieces (case
 * changed, cut, run together, with non-ASCII bytes) for lists whose
 * shortest phrase is 1, 2 and more bytes, and over the BBC articles and
 * the seed with the real list when ../shared/data is there.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrib.h"
#include "unit.h"

#define MAXPH 64
#define MAXEV 1024     /* publishers.c keeps at most this much evidence */

typedef struct list {
    ng__publishers *p;
    size_t n;
    size_t pub[MAXPH];
    char ph[MAXPH][128];
    size_t nln;        /* line entries, as the phrases */
    size_t lpub[MAXPH];
    char ln[MAXPH][128];
} list;

static int alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9') || c >= 0x80;
}

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* Reads the phrases of a publishers file the simple way (enough for the
 * files used here), and loads it with ng__publishers_load. */
static void load(list *l, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512], err[256];
    size_t npub = 0;
    ck_assert_ptr_nonnull(f);
    l->n = l->nln = 0;
    while (fgets(line, sizeof line, f)) {
        char *a = line, *b = line + strlen(line);
        while (*a == ' ' || *a == '\t')
            a++;
        while (b > a && (b[-1] == '\n' || b[-1] == '\r' || b[-1] == ' '
                         || b[-1] == '\t'))
            b--;
        *b = '\0';
        if (*a == '[')
            npub++;
        if (strncmp(a, "line:", 5) == 0) {
            for (a += 5; *a == ' ' || *a == '\t'; a++)
                ;
            ck_assert_uint_lt(l->nln, MAXPH);
            l->lpub[l->nln] = npub - 1;
            snprintf(l->ln[l->nln++], sizeof l->ln[0], "%s", a);
        }
        if (strncmp(a, "phrase:", 7) != 0)
            continue;
        for (a += 7; *a == ' ' || *a == '\t'; a++)
            ;
        ck_assert_uint_lt(l->n, MAXPH);
        ck_assert_uint_gt(npub, 0);
        l->pub[l->n] = npub - 1;
        snprintf(l->ph[l->n++], sizeof l->ph[0], "%s", a);
    }
    fclose(f);
    ck_assert_int_eq(ng__publishers_load(&l->p, path, err, sizeof err), 0);
}

static void load_text(list *l, const char *text)
{
    char path[] = "/tmp/ng_test_publishers_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
    load(l, path);
    unlink(path);
}

static int ci_at(const char *t, size_t len, size_t at, const char *s)
{
    size_t n = strlen(s);
    if (n > len - at)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (fold((unsigned char)t[at + i]) != fold((unsigned char)s[i]))
            return 0;
    return 1;
}

static int by_pub_then_start(const void *a, const void *b)
{
    const ng__evidence *x = a, *y = b;
    if (x->pub != y->pub)
        return x->pub < y->pub ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The line entries, after the phrases, as publishers.c has them:
 * each line of t with blanks trimmed, equal to an entry. */
static size_t ref_lines(const list *l, const char *t, size_t len,
                        ng__evidence *ev, size_t n)
{
    size_t ls = 0;
    while (ls < len) {
        const char *nl = memchr(t + ls, '\n', len - ls);
        size_t a = ls, b = nl ? (size_t)(nl - t) : len;
        while (a < b && (t[a] == ' ' || t[a] == '\t'))
            a++;
        while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t'
                         || t[b - 1] == '\r'))
            b--;
        for (size_t k = 0; k < l->nln && b > a; k++)
            if (strlen(l->ln[k]) == b - a && ci_at(t, len, a, l->ln[k])
                && n < MAXEV)
                ev[n++] = (ng__evidence){ l->lpub[k], NG__EV_FURNITURE, 0,
                                          a, b, l->ln[k] };
        ls = nl ? (size_t)(nl - t) + 1 : len;
    }
    return n;
}

/* The reference scan; returns the number of entries put in ev. */
static size_t reference(const list *l, const char *t, size_t len,
                        ng__evidence *ev)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t n = 0;
    for (size_t at = 0; at < len; at++) {
        if (at > 0 && alnum(u[at - 1]) && alnum(u[at]))
            continue;
        for (size_t k = l->n; k-- > 0;) {
            size_t e = at + strlen(l->ph[k]);
            if (!ci_at(t, len, at, l->ph[k])
                || (e < len && alnum(u[e]) && alnum(u[e - 1])))
                continue;
            if (n < MAXEV)
                ev[n++] = (ng__evidence){ l->pub[k], NG__EV_FURNITURE, 0,
                                          at, e, l->ph[k] };
        }
    }
    n = ref_lines(l, t, len, ev, n);
    if (n > 1)
        qsort(ev, n, sizeof *ev, by_pub_then_start);
    return n;
}

/* Compares the scan with the reference over t[0..len); returns the
 * number of entries. */
static size_t compare(const list *l, const char *t, size_t len)
{
    static ng__evidence want[MAXEV];
    ng__evidence *got;
    size_t n, nw = reference(l, t, len, want);
    ck_assert_int_eq(ng__publishers_match(l->p, t, len, NULL, 0, NULL, 0,
                                          &got, &n), 0);
    ck_assert_uint_eq(n, nw);
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(got[i].pub, want[i].pub);
        ck_assert_int_eq(got[i].kind, NG__EV_FURNITURE);
        ck_assert_uint_eq(got[i].start, want[i].start);
        ck_assert_uint_eq(got[i].end, want[i].end);
        ck_assert_str_eq(got[i].what, want[i].what);
    }
    free(got);
    return n;
}

/* A random text of pieces of the phrases and odd bytes, into buf. */
static size_t random_text(const list *l, char *buf, size_t cap)
{
    static const char *const odd[] = {
        " ", " ", "\n", ";", "x", "a", "é", "\xE2\x80\x99", "1", "!", "S", ""
    };
    size_t n = 0, want = (size_t)rand() % (cap - 200);
    while (n < want) {
        const char *s = rand() % 3 ? l->ph[(size_t)rand() % l->n]
                                   : odd[(size_t)rand() % 12];
        size_t a = 0, b = strlen(s);
        if (b && rand() % 3 == 0) {
            a = (size_t)rand() % b;
            b = a + (size_t)rand() % (b - a + 1);
        }
        for (size_t i = a; i < b && n < cap; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c >= 'a' && c <= 'z' && rand() % 4 == 0)
                c = (unsigned char)(c - 32);
            else if (c >= 'A' && c <= 'Z' && rand() % 4 == 0)
                c = (unsigned char)(c + 32);
            buf[n++] = (char)c;
        }
    }
    return n;
}

static void random_texts(const char *file, int rounds)
{
    list l;
    char buf[600];
    size_t total = 0;
    load_text(&l, file);
    srand(20261128);
    for (int r = 0; r < rounds; r++)
        total += compare(&l, buf, random_text(&l, buf, sizeof buf));
    ck_assert_uint_gt(total, (size_t)rounds);   /* phrases were found */
    ng__publishers_free(l.p);
}

START_TEST(random_short_phrases)
{
    /* Shortest phrase 1 byte: every byte is a window. */
    random_texts("[A]\nphrase: x\nphrase: ab\nphrase: é\n"
                 "[B]\nphrase: b a\nphrase: AB\nphrase: ;x\n"
                 "[C]\nphrase: abc\nphrase: x\n", 3000);
}
END_TEST

START_TEST(random_two_byte_phrases)
{
    random_texts("[A]\nphrase: ab\nphrase: ab ab\nphrase: ;e\n"
                 "[B]\nphrase: b a\nphrase: é!\nphrase: a1\n"
                 "[C]\nphrase: AB AB AB\nphrase: ab\n", 3000);
}
END_TEST

START_TEST(random_long_phrases)
{
    random_texts("[A]\nphrase: Share this story\nphrase: story! Share\n"
                 "phrase: ; Editing by\n"
                 "[B]\nphrase: share this story now\nphrase: é; editing by x\n"
                 "[C]\nphrase: this story\nphrase: Share this story\n"
                 "phrase: \xE2\x80\x99s story\n", 3000);
}
END_TEST

START_TEST(random_real_list)
{
    list l;
    char buf[600];
    load(&l, "rules/lists/publishers.txt");
    ck_assert_uint_gt(l.n, 10);
    srand(7);
    for (int r = 0; r < 2000; r++)
        compare(&l, buf, random_text(&l, buf, sizeof buf));
    ng__publishers_free(l.p);
}
END_TEST

/* Every regular file of dir with the real list; returns the number of
 * files read. */
static size_t real_dir(const list *l, const char *dir, size_t *found)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t files = 0;
    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        char path[4096], *t = NULL;
        size_t cap = 0;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        ssize_t n = getdelim(&t, &cap, '\0', f);   /* the whole file */
        fclose(f);
        if (n > 0) {
            *found += compare(l, t, (size_t)n);
            files++;
        }
        free(t);
    }
    closedir(d);
    return files;
}

START_TEST(real_texts)
{
    static const char *const dirs[] = {
        "../shared/data/bbc/business", "../shared/data/bbc/entertainment",
        "../shared/data/bbc/politics", "../shared/data/bbc/sport",
        "../shared/data/bbc/tech", "../shared/data/seed"
    };
    list l;
    size_t files = 0, found = 0;
    if (access("../shared/data/bbc", R_OK) != 0)
        return;   /* no shared data here: the random texts still ran */
    load(&l, "rules/lists/publishers.txt");
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
        files += real_dir(&l, dirs[i], &found);
    ck_assert_uint_gt(files, 1000);
    ck_assert_uint_gt(found, 0);   /* the seed has furniture */
    ng__publishers_free(l.p);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("publishers");
    TCase *tc = tcase_create("scan");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, random_short_phrases);
    tcase_add_test(tc, random_two_byte_phrases);
    tcase_add_test(tc, random_long_phrases);
    tcase_add_test(tc, random_real_list);
    tcase_add_test(tc, real_texts);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ng_unit_run(suite());
}
