#!/usr/bin/env python3
"""quote_words_tables.py -- keeps core/quote_words.c's look-up tables true.

    quote_words_tables.py [--check] core/quote_words.c

Reads the WORD(...) entries, sorts them by first byte, length and bytes
and rewrites the table, AT and LAST in place (or, with --check, exits 1 when the file is not
what it would write).  Run it after adding a word.
"""
import re
import sys


def key(e):
    return (e[0][0].encode(), len(e[0].encode()), e[0].encode())


def tables(words):
    """AT[c][l]: index of the first word starting with letter c whose
    length is l + 1 or more (AT[c][12]: the end of letter c)."""
    at = []
    for c in range(26):
        row = []
        for l in range(13):
            k = 0
            while k < len(words) and key(words[k]) < (bytes([97 + c]), l + 1, b""):
                k += 1
            row.append(k)
        at.append(row)
    last = [[0] * 26 for _ in range(12)]
    for w, _ in words:
        if "a" <= w[0] <= "z":
            b = ord(w[-1]) - 97 if "a" <= w[-1] <= "z" else 26
            last[len(w) - 1][ord(w[0]) - 97] |= 1 << b
    return at, last


def main(argv):
    check = "--check" in argv
    path = [a for a in argv[1:] if a != "--check"][0]
    src = open(path).read()
    entries = re.findall(r'    WORD\("([^"]+)", ([^)]+)\),\n', src)
    words = sorted(set(entries), key=key)
    if len({w for w, _ in words}) != len(words):
        sys.exit("a word is listed twice with different classes")
    if any(len(w) > 12 for w, _ in words):
        sys.exit("a word is longer than 12 bytes")
    at, last = tables(words)
    body = "".join('    WORD("%s", %s),\n' % e for e in words)
    out = re.sub(r'(#define WORD\(w, cls\)[^\n]*\n)(?:    WORD\([^\n]*\n)+',
                 lambda m: m.group(1) + body, src)
    rows_at = "".join("    { " + ", ".join(map(str, row)) + " },\n"
                      for row in at)
    out = re.sub(r"AT\[26\]\[13\] = \{\n(?:    \{[^\n]*\n)+\}",
                 "AT[26][13] = {\n" + rows_at + "}", out)
    rows = "".join("    { " + ", ".join("0x%x" % v for v in row) + " },\n"
                   for row in last)
    out = re.sub(r"LAST\[12\]\[26\] = \{\n(?:    \{[^\n]*\n)+\}",
                 "LAST[12][26] = {\n" + rows + "}", out)
    if check:
        return 0 if out == src else 1
    open(path, "w").write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
