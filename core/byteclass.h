/*
 * byteclass.h -- one table of byte classes for the scans over UTF-8 text
 * that ask, byte by byte, whether they are inside a word: ASCII letters
 * and digits, and word bytes (those and every byte of 0x80 and up, so a
 * word in any script is not split at its non-ASCII letters).  One look-up
 * per byte, shared by the publishers' phrases (publishers.c), the text
 * shapes (shapes.c) and the quote grammar.
 */
#ifndef NG_BYTECLASS_H
#define NG_BYTECLASS_H

enum {
    NG__BC_ALNUM = 1,   /* ASCII letter or digit */
    NG__BC_WORD = 2     /* ASCII letter or digit, or any byte >= 0x80 */
};

/* The class bits (NG__BC_*) of each byte; constant. */
extern const unsigned char ng__byteclass[256];

/* 1 for an ASCII letter or digit, else 0. */
static inline int ng__bc_alnum(unsigned char c)
{
    return ng__byteclass[c] & NG__BC_ALNUM;
}

/* Non-zero for a byte of a word: an ASCII letter or digit, or a byte of
 * a multi-byte UTF-8 sequence. */
static inline int ng__bc_word(unsigned char c)
{
    return ng__byteclass[c] & NG__BC_WORD;
}

#endif
