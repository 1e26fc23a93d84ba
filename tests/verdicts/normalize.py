#!/usr/bin/env python3
"""normalize.py -- reduces verdict JSON lines to one stable line per item.

Reads `newsgate check|submit --format json` output on stdin and prints, per
item, the input path (relative to the corpus root given as argv[1]), the
action, the score and each hit as RULE:score:field:span:forced:shadow with
a short hash of its detail.  Timings and ids are dropped; the text of the
corpus never appears, so the expected file holds no copy of the data.
"""
import hashlib
import json
import sys

root = sys.argv[1].rstrip("/") + "/"
for line in sys.stdin:
    v = json.loads(line)
    src = v.get("input", "")
    if src.startswith(root):
        src = src[len(root):]
    hits = []
    for h in v.get("hits", []):
        d = h.get("detail")
        dh = hashlib.sha1(d.encode()).hexdigest()[:8] if d else "-"
        span = h.get("span")
        span = "-" if span is None else "%d-%d" % tuple(span)
        hits.append("%s:%g:%s:%s:%s:%d:%s" % (
            h["rule"], h["score"], h.get("field") or "-", span,
            h.get("forced") or "-", 1 if h.get("shadow") else 0, dh))
    errs = len(v.get("errors", []))
    print(src, v["action"], "%g" % v["score"], "errors=%d" % errs, *hits)
