/*
 * spanmap.h -- spans of the normalized text mapped back to title or body
 * (see spanmap.c).
 */
#ifndef NG_SPANMAP_H
#define NG_SPANMAP_H

#include <stddef.h>
#include "newsgate.h"

/* Maps the span [s, e) (0-based bytes, end exclusive) of the item's
 * normalized text to the field it lies in: sets *field to "title" or
 * "body" (static strings) and [*fs, *fe) to the span in that field's own
 * text.  Returns 0, or -1 when the span crosses from the title into the
 * body, lies outside the text, or memory runs out. */
int ng__span_from_text(ng_item *it, size_t s, size_t e, const char **field,
                       size_t *fs, size_t *fe);

#endif
