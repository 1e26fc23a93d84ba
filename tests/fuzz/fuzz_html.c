/*
 * fuzz_html.c -- fuzz target: HTML to text (html.c, libxml2's HTML
 * parser) with its link and image lists.
 *
 * Properties: the text is valid UTF-8 when the input is, and every link
 * kept is a C string whose scheme is not javascript:, vbscript: or data:
 * (the link filter of issue 16).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "newsgate.h"
#include "item.h"
#include "html.h"
#include "text.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    ng__html_init();
    return 0;
}

/* 1 when `s` starts, after leading spaces, with one of the schemes the
 * filter drops, written plainly. */
static int plain_script(const char *s)
{
    while (*s == ' ')
        s++;
    return strncasecmp(s, "javascript:", 11) == 0
        || strncasecmp(s, "vbscript:", 9) == 0
        || strncasecmp(s, "data:", 5) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ng__strlist links = { 0 }, imgs = { 0 };
    char err[256];
    size_t bad;
    char *text = ng__html_to_text((const char *)data, size, &links, &imgs,
                                  err, sizeof err);

    if (text && ng__utf8_valid((const char *)data, size, &bad)
        && !ng__utf8_valid(text, strlen(text), &bad))
        ng_fuzz_fail("valid UTF-8 in, invalid text out");
    for (size_t i = 0; i < links.n; i++)
        if (plain_script(links.v[i]))
            ng_fuzz_fail("a script link was kept");
    for (size_t i = 0; i < imgs.n; i++)
        if (plain_script(imgs.v[i]))
            ng_fuzz_fail("a script image source was kept");
    free(text);
    ng__strlist_free(&links);
    ng__strlist_free(&imgs);
    return 0;
}
