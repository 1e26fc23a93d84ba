/*
 * html.h -- reduces an HTML body to plain text and its links.  libxml2's
 * HTML parser sits behind html.c and nowhere else.
 */
#ifndef NG_HTML_H
#define NG_HTML_H

#include <stddef.h>
#include "item.h"

/* Parses `html` (UTF-8) and returns its visible text: block elements (p,
 * div, br, li, h1-h6, tr, blockquote, ...) become paragraph breaks
 * ("\n\n"), script/style/noscript/template/head contents are dropped,
 * entities decoded.  Appends the href of every <a> to `links` (may be
 * NULL) and the src of every <img> to `imgs` (may be NULL).  Returns a new string, or NULL on no memory, with the
 * reason in err (size errlen) when the document cannot be parsed at all. */
char *ng__html_to_text(const char *html, size_t len, ng__strlist *links,
                       ng__strlist *imgs, char *err, size_t errlen);

/* Initialises libxml2 (idempotent).  ng__html_to_text calls it itself;
 * a multi-threaded host (the server) calls it once before starting its
 * threads, as libxml2 asks. */
void ng__html_init(void);

#endif
