/*
 * html.c -- reduces an HTML body to the text a reader sees, plus its links
 * and images.  This is the only file that includes libxml2.
 *
 * libxml2's forgiving HTML parser builds a tree (it copes with the broken
 * markup people paste); an iterative walk over it (no recursion, so deep
 * nesting cannot exhaust the stack) appends text nodes, turns block
 * elements into paragraph breaks and <br> into a line break, collapses
 * white space as a browser would, and skips elements whose content is not
 * shown (script, style, head, ...).  We keep no state of our own between
 * calls; xmlInitParser is libxml2's idempotent set-up and xmlCleanupParser
 * is never called, as the library may share libxml2 with its host.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <limits.h>
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "grow.h"
#include "html.h"

typedef struct walk {
    char *p;
    size_t n, cap;
    int pending;   /* break owed before the next text: 1 "\n", 2 "\n\n" */
    int space;     /* a space is owed before the next text */
    int pre;       /* depth of <pre> elements */
    int nomem;
    ng__strlist *links, *imgs;
} walk;

static const char *const block_tags[] = {
    "address", "article", "aside", "blockquote", "body", "caption",
    "center", "dd", "details", "dialog", "dir", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "tfoot", "thead", "tr", "ul", NULL
};

static const char *const hidden_tags[] = {
    "script", "style", "noscript", "template", "head", "iframe", "object",
    "svg", "title", NULL
};

static int in_list(const char *const *list, const xmlChar *name)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], (const char *)name) == 0)
            return 1;
    return 0;
}

static void put(walk *w, const char *s, size_t len)
{
    if (w->nomem)
        return;
    if (len == SIZE_MAX
        || ng__grow(&w->p, &w->cap, w->n, len + 1, 1, 256) < 0) {
        w->nomem = 1;
        return;
    }
    memcpy(w->p + w->n, s, len);
    w->n += len;
    w->p[w->n] = '\0';
}

/* Pays the break or space owed before visible text. */
static void settle(walk *w)
{
    if (w->n > 0 && w->pending)
        put(w, "\n\n", (size_t)w->pending);
    else if (w->n > 0 && w->space)
        put(w, " ", 1);
    w->pending = 0;
    w->space = 0;
}

static void add_text(walk *w, const char *s)
{
    if (w->pre) {
        if (*s) {
            settle(w);
            put(w, s, strlen(s));
        }
        return;
    }
    while (*s) {
        size_t ws = strspn(s, " \t\r\n\f\v");
        if (ws) {
            w->space = 1;
            s += ws;
            continue;
        }
        size_t run = strcspn(s, " \t\r\n\f\v");
        settle(w);
        put(w, s, run);
        s += run;
    }
}

/* Returns 1 if `s` (len bytes) names a scheme that runs or embeds
 * content instead of pointing somewhere: javascript:, vbscript:, data:.
 * Read as browsers read it (WHATWG URL): leading C0 controls and spaces
 * are skipped, tabs and newlines anywhere are ignored, case does not
 * matter. */
static int script_scheme(const char *s, size_t len)
{
    static const char *const bad[] = { "javascript", "vbscript", "data" };
    char scheme[16];
    size_t i = 0, n = 0;

    while (i < len && (unsigned char)s[i] <= 0x20)
        i++;
    for (; i < len && s[i] != ':'; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (n == sizeof scheme - 1 || c >= 0x80
            || !(isalnum(c) || c == '+' || c == '-' || c == '.'))
            return 0;
        scheme[n++] = (char)tolower(c);
    }
    if (i == len)
        return 0;
    scheme[n] = '\0';
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        if (strcmp(scheme, bad[k]) == 0)
            return 1;
    return 0;
}

/* Appends attribute `attr` of `n` to `l` unless it is empty or, for
 * links, a same-page anchor or a script. */
static void collect(walk *w, xmlNode *n, const char *attr, ng__strlist *l)
{
    if (!l || w->nomem)
        return;
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    if (!v)
        return;
    const char *s = (const char *)v;
    s += strspn(s, " \t\r\n");
    size_t len = strlen(s);
    while (len > 0 && strchr(" \t\r\n", s[len - 1]))
        len--;
    int skip = len == 0 || s[0] == '#'
        || script_scheme(s, len);
    if (!skip && ng__strlist_push(l, s, len) < 0)
        w->nomem = 1;
    xmlFree(v);
}

/* Handles entering node n; returns 1 to walk into its children. */
static int enter(walk *w, xmlNode *n)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content)
            add_text(w, (const char *)n->content);
        return 0;
    }
    if (n->type != XML_ELEMENT_NODE || !n->name)
        return 0;
    if (in_list(hidden_tags, n->name))
        return 0;
    const char *name = (const char *)n->name;
    if (strcmp(name, "br") == 0) {
        if (w->pending < 1)
            w->pending = 1;
    } else if (strcmp(name, "a") == 0) {
        collect(w, n, "href", w->links);
    } else if (strcmp(name, "img") == 0) {
        collect(w, n, "src", w->imgs);
    } else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
        w->space = 1;
    } else if (strcmp(name, "pre") == 0) {
        w->pre++;
    }
    if (in_list(block_tags, n->name))
        w->pending = 2;
    return 1;
}

static void leave(walk *w, xmlNode *n)
{
    if (n->type != XML_ELEMENT_NODE || !n->name)
        return;
    if (in_list(block_tags, n->name))
        w->pending = 2;
    if (strcmp((const char *)n->name, "pre") == 0 && w->pre > 0)
        w->pre--;
}

static int is_doc(const xmlNode *n)
{
    return !n || n->type == XML_DOCUMENT_NODE
        || n->type == XML_HTML_DOCUMENT_NODE;
}

/* Walks the whole tree in document order without recursion. */
static void walk_tree(walk *w, xmlDoc *doc)
{
    xmlNode *n = doc->children;
    while (n && !w->nomem) {
        if (enter(w, n) && n->children) {
            n = n->children;
            continue;
        }
        for (;;) {
            leave(w, n);
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            if (is_doc(n)) {
                n = NULL;
                break;
            }
        }
    }
}

void ng__html_init(void)
{
    xmlInitParser();
}

char *ng__html_to_text(const char *html, size_t len, ng__strlist *links,
                       ng__strlist *imgs, char *err, size_t errlen)
{
    walk w = {0};
    w.links = links;
    w.imgs = imgs;
    if (err && errlen)
        err[0] = '\0';
    if (len > INT_MAX) {
        if (err && errlen)
            snprintf(err, errlen, "HTML body too large to parse");
        return NULL;
    }
    put(&w, "", 0); /* an empty body gives "" */
    if (len == 0)
        return w.p;
    ng__html_init();
    /* XML_PARSE_HUGE lifts the nesting limit of 256: without it, text
     * after 256 nested elements is dropped silently, a way to hide spam
     * from the rules.  The body limit still bounds the work. */
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
                                    | HTML_PARSE_NONET | HTML_PARSE_RECOVER
                                    | XML_PARSE_HUGE);
    if (!doc) {
        if (err && errlen)
            snprintf(err, errlen, "could not parse the HTML body");
        free(w.p);
        return NULL;
    }
    walk_tree(&w, doc);
    xmlFreeDoc(doc);
    if (w.nomem) {
        free(w.p);
        return NULL;
    }
    return w.p;
}
