#!/usr/bin/env python3
"""bbc_credited.py -- genuine BBC articles submitted WITH their credit
(source "BBC", a bbc.co.uk/news URL) must rarely be held: prints how many
of the corpus's articles `newsgate check` with the default rules sends to
review or reject, which rules did it, and how often each rule hit.

    bbc_credited.py NEWSGATE_BIN BBC_DIR RULES_DIR [--max SHARE]

Exits 1 when the share held is above --max (a fraction, e.g. 0.005).
"""
import collections
import glob
import json
import os
import subprocess
import sys


def items(bbc):
    for path in sorted(glob.glob(os.path.join(bbc, "*", "*.txt"))):
        section = os.path.basename(os.path.dirname(path))
        num = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8", errors="replace") as f:
            title, _, body = f.read().partition("\n")
        yield {"title": title.strip() or "untitled", "body": body.strip() or ".",
               "source": "BBC",
               "url": "https://www.bbc.co.uk/news/%s-%s" % (section, num)}


def main(argv):
    binary, bbc, rules = argv[1], argv[2], argv[3]
    limit = float(argv[argv.index("--max") + 1]) if "--max" in argv else None
    batch = "".join(json.dumps(i) + "\n" for i in items(bbc))
    out = subprocess.run([binary, "check", "--format", "json", "--rules",
                          rules, "-"], input=batch, capture_output=True,
                         text=True).stdout
    total, held, by_rule = 0, 0, collections.Counter()
    hits = collections.Counter()
    for line in out.splitlines():
        v = json.loads(line)
        total += 1
        hits.update(h["rule"] for h in v["hits"])
        if v["action"] != "accept":
            held += 1
            for h in v["hits"]:
                if h["score"]:
                    by_rule[h["rule"]] += 1
    share = held / total if total else 1.0
    print("BBC articles with their credit: %d of %d held (%.2f%%); rules in "
          "held verdicts: %s" % (held, total, share * 100,
                                 dict(by_rule) or "none"))
    print("hits (any score): %s" % dict(sorted(hits.items())))
    if total == 0:
        print("no verdicts")
        return 1
    if limit is not None and share > limit:
        print("held share above %.2f%%" % (limit * 100))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
