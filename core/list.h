/*
 * list.h -- word, phrase and domain lists loaded from text files.
 *
 * A list file holds one entry per line; blank lines and lines starting
 * with '#' are ignored.  Entries are NFKC-normalized and case-folded as
 * they are loaded, and so is everything looked up, so membership is
 * case-insensitive.  A word list holds words and multi-word phrases and
 * finds them in a text on word boundaries, in time linear in the number
 * of words of the text (not in the size of the list).  A domain list
 * (file name ending in ".domains", or first line "# kind: domains") holds
 * host names and matches a host when it or any parent domain is listed.
 *
 * A list is immutable once loaded and may be shared by any number of
 * rules of one engine.  Entry strings returned by the functions below
 * belong to the list and live as long as it does.
 */
#ifndef NG_LIST_H
#define NG_LIST_H

#include <stddef.h>
#include "item.h"

typedef struct ng__list ng__list;

/* One occurrence of an entry in a text: byte span [start, end). */
typedef struct ng__list_match {
    const char *entry;    /* the entry as loaded (folded, words joined by
                             single spaces) */
    size_t start, end;
} ng__list_match;

/* One distinct entry found by ng__list_all. */
typedef struct ng__list_count {
    const char *entry;
    size_t count;         /* occurrences in the text */
    size_t first;         /* byte offset of the first occurrence */
} ng__list_count;

/* Returns an empty word list, or NULL on no memory. */
ng__list *ng__list_new(void);
void ng__list_free(ng__list *l);

/* Reads the file at `path` into the (empty) list; its name decides the
 * kind (see above).  Returns 0, or -1 with a message in err (size errlen):
 * "cannot open: <reason>", "line N: not valid UTF-8", "out of memory". */
int ng__list_load_file(ng__list *l, const char *path, char *err,
                       size_t errlen);

/* As ng__list_load_file over `len` bytes of `data`; `name` (may be NULL)
 * stands for the file name when deciding the kind. */
int ng__list_load_mem(ng__list *l, const char *name, const char *data,
                      size_t len, char *err, size_t errlen);

/* Number of distinct entries. */
size_t ng__list_size(const ng__list *l);

/* Returns 1 when the list holds domains, else 0. */
int ng__list_is_domains(const ng__list *l);

/* Exact membership of the word or phrase s[0..len) after normalizing and
 * folding it (runs of white space and punctuation between words do not
 * matter).  Returns 1, 0, or -1 on no memory or invalid UTF-8. */
int ng__list_has(const ng__list *l, const char *s, size_t len);

/* Finds the first entry occurring in text[0..len) as whole words (for a
 * domain list: the first host name in the text that is listed or has a
 * listed parent).  At one position the longest phrase wins.  Returns 1
 * and fills *m (span in `text`), 0 when none occurs, -1 on no memory or
 * invalid UTF-8. */
int ng__list_any(const ng__list *l, const char *text, size_t len,
                 ng__list_match *m);

/* Finds every distinct entry occurring in the text, with counts
 * (overlapping phrases each count).  Sets *out (malloc'd, caller frees,
 * ordered by first occurrence; NULL when none) and *n.  Returns 0, or -1
 * on no memory or invalid UTF-8. */
int ng__list_all(const ng__list *l, const char *text, size_t len,
                 ng__list_count **out, size_t *n);

/* Prepares text[0..len) (valid UTF-8, not checked here) for the *_words
 * look-ups: its words and each word normalized and folded alone, the
 * work every look-up would otherwise repeat.  ws->text points at `text`,
 * which must outlive ws.  Returns 0, or -1 on no memory (ws is to be
 * freed either way).  An item keeps one for its text
 * (ng__item_listwords), shared by every list call of a check. */
int ng__list_wordset(ng__wordset *ws, const char *text, size_t len);
void ng__list_wordset_free(ng__wordset *ws);

/* ng__list_any and ng__list_all over prepared words; spans are in
 * ws->text.  Same returns. */
int ng__list_any_words(const ng__list *l, const ng__wordset *ws,
                       ng__list_match *m);
int ng__list_all_words(const ng__list *l, const ng__wordset *ws,
                       ng__list_count **out, size_t *n);

/* For a domain list: returns 1 when `host` (case-insensitive, a leading
 * "www." and a trailing dot ignored) or one of its parent domains is
 * listed, and sets *found (may be NULL) to the listed entry; else 0.
 * Always 0 for a word list.  -1 on no memory or invalid UTF-8. */
int ng__list_has_domain(const ng__list *l, const char *host, size_t len,
                        const char **found);

#endif
