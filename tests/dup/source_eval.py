#!/usr/bin/env python3
"""source_eval.py -- copies of registered reference sources: the
COPIED_SOURCE rule (rules/attribution.lua, item:copied_from()) over the
BBC corpus.

One section of ../shared/data/bbc (business) is registered as the
articles of a publisher ("BBC Business", domain bbc.co.uk) with
`newsgate sources add`.  A sample of them is copied with each
transformation -- light edits, an excerpt, added site furniture, and
issue 10's partial copies (a 25% excerpt from the middle, one word in five
changed, reordered + trimmed + edited + wrapped) -- once without credit
and once crediting the publisher (in `source`, or linking its domain in
`url`), and all copies are run through `newsgate check --db` with the
default rules.  Articles of the other sections, which are not registered,
are checked too (uncredited) as negatives.

Prints per transformation the recall of uncredited copies and the share
of credited copies flagged, then precision over all flags.  Exits 1 when
a target is missed: uncredited copies flagged >= 95% overall and >= 90%
for every kind, credited copies flagged <= 1%, no unregistered article
flagged.

usage: source_eval.py NEWSGATE RULES_DIR BBC_DIR TMPDIR [SAMPLE]
"""
import json
import os
import random
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dupcommon as dc  # noqa: E402
import transform_eval as te  # noqa: E402

PUBLISHER, DOMAIN, SECTION = "BBC Business", "bbc.co.uk", "business"

KINDS = [
    ("light edits", lambda d, r, p: te.edit(d, r, p, 0.02)),
    ("excerpt 50%", lambda d, r, p: te.excerpt(d, r, p, 0.5)),
    ("furniture", lambda d, r, p: te.boilerplate(d, r, p, 0.5)),
    ("excerpt 25%", lambda d, r, p: te.excerpt(d, r, p, 0.25)),
    ("change 1 in 5", lambda d, r, p: te.change(d, r, p, 0.2)),
    ("reorder+trim+ed", lambda d, r, p: te.rewrapped(d, r, p, 1)),
]


def register(binary, db, docs):
    for ext in ("", "-wal", "-shm", "-fpx"):
        if os.path.exists(db + ext):
            os.remove(db + ext)
    paths = [d[0] for d in docs]
    out = dc.subprocess.run([binary, "sources", "add", "--publisher",
                             PUBLISHER, "--domain", DOMAIN, "--db", db]
                            + paths, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("sources add failed: " + out.stderr[-2000:])
    return len(out.stdout.split())


def copies(docs, sample, pool, rng):
    items, meta = [], []
    for name, fn in KINDS:
        for k in sample:
            t, b, f = fn(docs[k], rng, pool)
            credit = rng.choice([{"source": PUBLISHER},
                                 {"url": "https://www.%s/news/%d" %
                                  (DOMAIN, k)}])
            for credited in (False, True):
                it = {"title": t, "body": b, "format": f}
                if credited:
                    it.update(credit)
                items.append(json.dumps(it))
                meta.append((name, credited))
    return items, meta


def main():
    binary, rules, bbc, tmp = sys.argv[1:5]
    sample_n = int(sys.argv[5]) if len(sys.argv) > 5 else 300
    docs = list(dc.read_bbc(bbc))
    reg = [d for d in docs if d[1] == SECTION]
    others = [d for d in docs if d[1] != SECTION]
    db = os.path.join(tmp, "sources.db")
    n = register(binary, db, reg)
    rng = random.Random(20101)
    usable = [k for k, d in enumerate(reg) if len(te.paras(d[3])) >= 4]
    sample = rng.sample(usable, min(sample_n, len(usable)))
    items, meta = copies(reg, sample, docs, rng)
    for d in others:
        items.append(json.dumps({"title": d[2], "body": d[3]}))
        meta.append(("unregistered", False))
    verdicts = dc.run([binary, "check", "--db", db, "--rules", rules,
                       "--format", "json", "-"], "\n".join(items) + "\n")
    if len(verdicts) != len(items):
        raise SystemExit("got %d verdicts for %d items" %
                         (len(verdicts), len(items)))
    stats = {}
    for (name, credited), v in zip(meta, verdicts):
        hit = any(h.get("rule") == "COPIED_SOURCE" for h in v["hits"])
        s = stats.setdefault((name, credited), [0, 0])
        s[0] += hit
        s[1] += 1
    print("%d %s articles registered as %s; %d sampled, each copied "
          "without and with credit" % (n, SECTION, PUBLISHER, len(sample)))
    print("%-16s %18s %18s" % ("copy", "uncredited flagged",
                               "credited flagged"))
    ok, tp, tot = True, 0, 0
    for name, _ in KINDS:
        f, m = stats[(name, False)]
        c, mc = stats[(name, True)]
        tp, tot = tp + f, tot + m
        print("%-16s %10d/%d %5.3f %10d/%d %5.3f" % (name, f, m, f / m, c,
                                                       mc, c / mc))
        ok = ok and f / m >= 0.90 and c / mc <= 0.01
    fp, nf = stats[("unregistered", False)]
    cred = sum(stats[(k, True)][0] for k, _ in KINDS)
    ncred = sum(stats[(k, True)][1] for k, _ in KINDS)
    flags = tp + fp + cred
    print("uncredited copies flagged: %d/%d recall %.3f" % (tp, tot,
                                                            tp / tot))
    print("credited copies flagged: %d/%d = %.2f%%" % (cred, ncred,
                                                        100 * cred / ncred))
    print("unregistered articles flagged: %d of %d" % (fp, nf))
    print("precision (flags that are uncredited copies): %d/%d = %.4f" %
          (tp, flags, tp / flags if flags else 1.0))
    ok = ok and tp / tot >= 0.95 and cred / ncred <= 0.01 and fp == 0
    print("source targets:", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
