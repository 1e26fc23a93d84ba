/*
 * fuzz_text.c -- fuzz target: UTF-8 validation, Unicode normalisation,
 * case folding, word splitting and the URL finder of plain text
 * (text.c, utf8proc).
 *
 * Properties: normalising is refused exactly for invalid UTF-8; what it
 * returns is valid UTF-8 of the length it reports; every word lies
 * inside the folded text; every URL found is a C string.
 */
#include <stdlib.h>
#include <string.h>

#include "newsgate.h"
#include "item.h"
#include "text.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

static void words_of(const char *s, size_t len)
{
    ng__word *w = NULL;
    size_t n = 0;

    if (ng__text_words(s, len, &w, &n) != 0)
        ng_fuzz_fail("word splitting failed");
    for (size_t i = 0; i < n; i++)
        if (w[i].len == 0 || (size_t)w[i].off + w[i].len > len)
            ng_fuzz_fail("a word outside the text");
    free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t bad, nlen, flen;
    ng__strlist urls = { 0 };
    int valid = ng__utf8_valid(s, size, &bad);
    char *norm = ng__text_normalize(s, size, &nlen);

    if (!valid && norm)
        ng_fuzz_fail("invalid UTF-8 normalised");
    if (!valid && bad >= size)
        ng_fuzz_fail("the bad byte is past the end");
    if (valid && !norm)
        ng_fuzz_fail("valid UTF-8 not normalised");
    if (norm) {
        if (strlen(norm) != nlen || !ng__utf8_valid(norm, nlen, &bad))
            ng_fuzz_fail("normalised text broken");
        char *fold = ng__text_fold(norm, nlen, &flen);
        if (!fold || strlen(fold) != flen || !ng__utf8_valid(fold, flen, &bad))
            ng_fuzz_fail("folded text broken");
        words_of(fold, flen);
        if (ng__text_find_urls(norm, nlen, &urls) != 0)
            ng_fuzz_fail("URL finder failed");
        free(fold);
    }
    ng__strlist_free(&urls);
    free(norm);
    return 0;
}
