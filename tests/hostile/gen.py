#!/usr/bin/env python3
"""gen.py -- makes the big and the generated inputs of the hostile-input
table (tests/hostile/table.tsv) at test time, so no large file is kept in
the tree.  Each generator writes one input to stdout.

    gen.py NAME [ARG]   one of the generators below
    gen.py discover RULES_DIR   an item that opens every gate of the rules
    gen.py bombs LOGFILE        regex-bomb items for every logged pattern
    gen.py coverage RULES_DIR LOGFILE   every pattern of the rules logged?

Run by tests/hostile/run.sh; see docs/hardening-faults.md.
"""
import json
import os
import re
import sys

OUT = sys.stdout.buffer


def item(title, body, **more):
    d = {"title": title, "body": body}
    d.update(more)
    return json.dumps(d, ensure_ascii=False).encode("utf-8")


def stream(chunk, total):
    """Writes `chunk` (bytes) repeated to `total` bytes, a MiB at a time."""
    block = chunk * ((1 << 20) // len(chunk) + 1)
    block = block[: len(block) - len(block) % len(chunk)]
    n = 0
    while n + len(block) <= total:
        OUT.write(block)
        n += len(block)
    rest = total - n
    OUT.write((chunk * (rest // len(chunk) + 1))[:rest])


def big_body(mib):
    """One JSON item with a body of MIB MiB (streamed, never held)."""
    OUT.write(b'{"title":"Big","body":"')
    stream(b"The committee met again on Monday. ", int(mib) << 20)
    OUT.write(b'"}\n')


def big_text(mib):
    """A plain-text item of MIB MiB."""
    OUT.write(b"Title: Big text\n\n")
    stream(b"The committee met again on Monday.\n", int(mib) << 20)


def big_line(mib):
    """NDJSON whose first line never ends (MIB MiB without a newline)."""
    OUT.write(b'{"title":"x","body":"y"}\n{"title":"')
    stream(b"a", int(mib) << 20)


def deep_array(n):
    n = int(n)
    OUT.write(b"[" * n + b"]" * n + b"\n")


def deep_object(n):
    n = int(n)
    OUT.write(b'{"title":"Deep","body":"b","meta":' + b'{"a":' * n + b"1"
              + b"}" * n + b"}\n")


def deep_meta_array(n):
    n = int(n)
    OUT.write(b'{"title":"Deep","body":"b","meta":{"x":' + b"[" * n
              + b"]" * n + b"}}\n")


def links(n, sep=" "):
    """An item with N links in its body (distinct hosts every 1,000)."""
    n = int(n)
    OUT.write(b'{"title":"Links","body":"')
    OUT.write(b"".join(b"http://h%d.example/p%d%s" % (i % 1000, i, sep.encode())
                       for i in range(n)))
    OUT.write(b'"}\n')


def html_nest(n):
    n = int(n)
    body = "<div>" * n + "text" + "</div>" * n
    OUT.write(item("Nested", body, format="html") + b"\n")


def html_unclosed(n):
    n = int(n)
    body = "<p><b><i><a href='http://x.example/'>" * n + "text"
    OUT.write(item("Unclosed", body, format="html") + b"\n")


def html_entities(n):
    """N character references: numeric, named, huge and invalid ones."""
    n = int(n)
    refs = "&amp;&lt;&#x41;&#65;&#1114111;&#1114112;&#xD800;&#0;&bogus;&"
    OUT.write(item("Entities", refs * n, format="html") + b"\n")


def html_laughs(_=None):
    """Billion laughs in an HTML body's internal subset."""
    ents = ['<!ENTITY a0 "lol">']
    for i in range(1, 10):
        ents.append('<!ENTITY a%d "%s">' % (i, ("&a%d;" % (i - 1)) * 10))
    body = ("<!DOCTYPE html [" + "".join(ents) + "]><html><body><p>&a9;</p>"
            "</body></html>")
    OUT.write(item("Laughs", body, format="html") + b"\n")


def html_xxe(path):
    """External entities naming a local file: must never be read."""
    body = ('<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://%s">'
            '<!ENTITY %% p SYSTEM "file://%s"> %%p;]>'
            "<html><body><p>Start &xxe; end</p>"
            '<img src="file://%s"><iframe src="file://%s"></iframe>'
            '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="%s"/>'
            "</body></html>") % (path, path, path, path, path)
    OUT.write(item("XXE", body, format="html") + b"\n")


def quotes_open(n):
    """Quotes that never close: straight, curly and guillemets."""
    n = int(n)
    body = ('He said "it will ' * n + "\u201cand then " * n + "\u00abmais "
            * n + "'single " * n)
    OUT.write(item("Quotes", body) + b"\n")


def many_items(n):
    n = int(n)
    for i in range(n):
        OUT.write(b'{"title":"t%d","body":"b"}\n' % i)


def many_escapes(n):
    """A body of N \\u escapes (6 bytes of JSON each)."""
    n = int(n)
    OUT.write(b'{"title":"Esc","body":"' + b"\\u0041\\u00e9" * n + b'"}\n')


# ---- regex bombs ------------------------------------------------------------

def discover(rules):
    """Items that between them open every gate of the rules, so every
    pattern is compiled: one per string literal of the rule files and per
    list entry (as body and as title), and a few shapes.  A pattern that
    runs only when an earlier one missed gets its own item this way."""
    words = set()
    for name in sorted(os.listdir(rules)):
        if name.endswith(".lua"):
            src = open(os.path.join(rules, name), encoding="utf-8").read()
            words.update(w for w in re.findall(r'"([^"\\\n]{2,40})"', src)
                         if re.search(r"[A-Za-z]", w))
    lists = os.path.join(rules, "lists")
    for name in sorted(os.listdir(lists)):
        for line in open(os.path.join(lists, name), encoding="utf-8"):
            line = line.strip()
            if line and not line.startswith("#"):
                words.add(line)
    words.update([
        "write me at someone@example.com", "call +1 555 555 5555 now",
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "0x" + "ab" * 20,
        "wow!! really!!", "2020 January 2021 March", "$$ deal", "\u00a3500!",
        "like this comment", "subscribe to my channel", "sub 4 sub",
        "pl\u0430y the n\u0435w \u0432\u0438\u0434\u0435\u043e",
        "Did you like this story?", "share this", "add your news now",
        "news 24/7", "check out my new website"])
    for w in sorted(words):
        OUT.write(item("A plain title", "A body. " + w + " And more.") + b"\n")
        OUT.write(item(w, "A plain body of text.") + b"\n")


def read_log(path):
    """The distinct patterns of a logregex.so log."""
    data = open(path, "rb").read()
    pats, i = [], 0
    while i < len(data):
        sp = data.index(b" ", i)
        n = int(data[i:sp])
        tab = data.index(b"\t", sp)
        pats.append(data[tab + 1: tab + 1 + n].decode("utf-8", "replace"))
        i = tab + 1 + n + 1
    return sorted(set(pats))


def literals(pat):
    """Words and punctuation a pattern looks for (escapes and property
    names left out)."""
    clean = re.sub(r"\\[pP]\{[^}]*\}|\\[a-zA-Z]|\(\?[<!=:>a-z]*", " ", pat)
    words = sorted(set(re.findall(r"[A-Za-z]{2,}", clean)))
    marks = sorted(set(c for c in clean if c in "@+.-$£€!?#:/()=_"))
    return words, marks


def bomb_texts(pat, size):
    words, marks = literals(pat)
    w = words or ["word"]
    texts = [
        (" ".join(w) + " ") * (size // (len(" ".join(w)) + 1) + 1),
        ("".join(w)) * (size // (len("".join(w)) or 1) + 1),
        ("".join(marks) or "!?") * (size // (len(marks) or 2) + 1) + "x",
        (w[0] + " " * 50) * (size // (len(w[0]) + 50) + 1),
        ("1 2-3.4(5)6 " if "\\d" in pat else "a b ") * (size // 12 + 1),
        ("a." * 60 + "@" + "b-" * 60 + ".") * (size // 250 + 1) + "1",
        ("a" * 1000 + "\u0431") * (size // 1002 + 1),
        ("\n".join(w) + "\n") * (size // (len("\n".join(w)) + 1) + 1),
        ("2019 Jan " if "\\d" in pat else "x ") * (size // 9 + 1),
        (".".join(w) + "@") * (size // (len(".".join(w)) + 1) + 1),
    ]
    return [t[:size] for t in texts]


def bombs(path, size=200000):
    """For each logged pattern, items whose body and title are texts made to
    make it backtrack; identical texts are made once."""
    seen = set()
    for pat in read_log(path):
        for t in bomb_texts(pat, int(size)):
            if t in seen:
                continue
            seen.add(t)
            title = t.replace("\n", " ").encode("utf-8")[:1000]
            OUT.write(item(title.decode("utf-8", "ignore"), t) + b"\n")


def coverage(rules, path):
    """Fails (exit 1) unless every literal piece of every pattern the rule
    files write down ([[...]] strings given as `pattern =` or to
    item:find/item:count, or kept in a local used so) is part of a logged
    pattern: the bombs then cover every pattern of the rules."""
    logged = "\n".join(read_log(path))
    missing, total = [], 0
    for name in sorted(os.listdir(rules)):
        if not name.endswith(".lua"):
            continue
        src = open(os.path.join(rules, name), encoding="utf-8").read()
        for lit in re.findall(r"(?:pattern\s*=\s*|find\(|count\(|local [A-Z_]+ = |\.\.\s*)\[\[(.*?)\]\]", src, re.S):
            if len(lit) < 6 or "(" not in lit and "\\" not in lit:
                continue   # a list entry or a plain word, not a pattern
            total += 1
            if lit not in logged:
                missing.append("%s: %s" % (name, lit[:70]))
    for m in missing:
        print("not covered:", m)
    print("%d pattern pieces in the rules, %d covered by %d logged patterns"
          % (total, total - len(missing), len(read_log(path))))
    sys.exit(1 if missing or total == 0 else 0)


GENERATORS = {
    "big-body": big_body, "big-text": big_text, "big-line": big_line,
    "deep-array": deep_array, "deep-object": deep_object,
    "deep-meta-array": deep_meta_array, "links": links,
    "html-nest": html_nest, "html-unclosed": html_unclosed,
    "html-entities": html_entities, "html-laughs": html_laughs,
    "html-xxe": html_xxe, "quotes-open": quotes_open,
    "many-items": many_items, "many-escapes": many_escapes,
    "discover": discover, "bombs": bombs, "coverage": coverage,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in GENERATORS:
        sys.stderr.write("usage: gen.py %s [ARG]\n" % "|".join(GENERATORS))
        sys.exit(64)
    GENERATORS[sys.argv[1]](*sys.argv[2:])
