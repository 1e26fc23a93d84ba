/*
 * shapes.h -- cheap shapes of a text that spam rules look for before
 * running their patterns: an @, a long run of digits, two exclamation
 * marks, two words in capitals, a year followed by a month, a wallet-like
 * word, a word starting like "subscribe".  One pass over the bytes, no
 * allocation; each shape is a superset test (it may be present where the
 * exact pattern then does not match, never the other way round).
 */
#ifndef NG_SHAPES_H
#define NG_SHAPES_H

#include <stddef.h>

enum {
    NG__SHAPE_AT = 1 << 0,        /* '@' */
    NG__SHAPE_DIGITS = 1 << 1,    /* 9+ bytes of digits and " \t().-",
                                     starting and ending with a digit */
    NG__SHAPE_BANGS = 1 << 2,     /* '!' then '!' with only '?' between */
    NG__SHAPE_CAPS = 1 << 3,      /* two runs of 3+ capitals (A-Z) with
                                     1 to 3 of " ,.!?'-" between */
    NG__SHAPE_YEARMONTH = 1 << 4, /* 19xx or 20xx followed (after
                                     non-letters) by a month name */
    NG__SHAPE_WALLET = 1 << 5,    /* a word starting 1 or 3 with 26+
                                     letters and digits, or bc1 / 0x */
    NG__SHAPE_SUB = 1 << 6,       /* a word starting as "subscribe" and its
                                     misspellings do (su[bs]...) */
    NG__SHAPE_SCRIPT = 1 << 7,    /* a byte 0xCE..0xD3: the lead byte of
                                     a Greek or Cyrillic letter (U+0380..
                                     U+04FF) */
    NG__SHAPE_COUNT = 8
};

/* The shapes of text[0..len), as a mask of NG__SHAPE_* bits. */
unsigned ng__text_shapes(const char *text, size_t len);

/* The key naming shape bit i (0 <= i < NG__SHAPE_COUNT): "#at",
 * "#digits", "#bangs", "#caps", "#yearmonth", "#wallet", "#sub". */
const char *ng__shape_name(int i);

#endif
