#!/usr/bin/env python3
"""transform_eval.py -- recall of the duplicate rules on transformed copies
of BBC articles, and their false-positive rate between different articles
on the same subject.

All articles of ../shared/data/bbc are submitted to a fresh store.  A
sample of them is then copied with each transformation at several
strengths (boilerplate around the article, paragraphs dropped, paragraphs
reordered, words edited, a new title, wrapped in HTML, all at once) and
the copies are run through `newsgate check --db` (which stores nothing, so
copies never see each other).  A copy is found when a duplicate hit names
its original (or an item whose text is the same article, Jaccard >= 0.8).

False positives: duplicate hits between different articles of the same
BBC category (shingle similarity < 0.5 every way) over all such pairs, and
copies whose hit names an unrelated article.  Exits 1 when a target is
missed: each transformation found >= 95% (the partial copies -- a 25%
excerpt from the middle, one word in five changed, reordered + trimmed +
edited + wrapped -- >= 90%), no same-category pair flagged and at most
0.1% of copies naming an unrelated article.

usage: transform_eval.py NEWSGATE RULES_DIR BBC_DIR TMPDIR [SAMPLE]
"""
import html
import json
import os
import random
import sys
from itertools import combinations

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dupcommon as dc  # noqa: E402

NAV = ["Home", "News", "Business", "Sport", "Entertainment", "Add news",
       "Subscribe to our newsletter", "Most read", "Log in | Register"]
FOOTER = ["Share this article on Facebook, Twitter or by e-mail.",
          "Like this story? Follow us and never miss an update.",
          "All rights reserved. Terms of use, privacy policy, cookies."]


def paras(body):
    return [p.strip() for p in dc.PARA.split(body) if p.strip()]


def boilerplate(doc, rng, pool, strength):
    """Navigation, teasers of other articles (headline and first
    sentence, as "Also on" blocks do) and a footer around it, in all about
    strength x the article's length."""
    ps = paras(doc[3])
    want = int(strength * sum(len(p.split()) for p in ps))
    extra = []
    while sum(len(p.split()) for p in extra) < want:
        other = rng.choice(pool)
        first = (paras(other[3]) or ["-"])[0].split(". ")[0]
        extra.append("Also on the site: %s. %s." % (other[2], first))
    half = len(extra) // 2
    head = ["\n".join(rng.sample(NAV, 5))] + extra[:half]
    return doc[2], "\n\n".join(head + ps + extra[half:] + FOOTER), "text"


def drop(doc, rng, pool, strength):
    """Drops int(strength x paragraphs) of them (articles too short for
    one whole paragraph to be within `strength` are not sampled)."""
    ps = paras(doc[3])
    k = int(strength * len(ps))
    keep = sorted(rng.sample(range(len(ps)), len(ps) - k))
    return doc[2], "\n\n".join(ps[i] for i in keep), "text"


def reorder(doc, rng, pool, strength):
    ps = paras(doc[3])
    if strength >= 1:
        while len(ps) > 1:
            q = ps[:]
            rng.shuffle(q)
            if q != ps:
                ps = q
                break
    else:
        i, j = rng.sample(range(len(ps)), 2)
        ps[i], ps[j] = ps[j], ps[i]
    return doc[2], "\n\n".join(ps), "text"


def edit(doc, rng, pool, strength):
    """Replaces, deletes or inserts at strength x the words."""
    ps = [p.split() for p in paras(doc[3])]
    slots = [(i, j) for i, p in enumerate(ps) for j in range(len(p))]
    vocab = [w for p in ps for w in p]
    for i, j in sorted(rng.sample(slots, max(1, int(strength * len(slots)))),
                       reverse=True):
        op = rng.random()
        if op < 0.6:
            ps[i][j] = rng.choice(vocab) + "s"
        elif op < 0.8 and len(ps[i]) > 1:
            del ps[i][j]
        else:
            ps[i].insert(j, rng.choice(vocab))
    return doc[2], "\n\n".join(" ".join(p) for p in ps), "text"


def retitle(doc, rng, pool, strength):
    return "Must read: " + rng.choice(pool)[2], doc[3], "text"


def to_html(doc, rng, pool, strength):
    ps = [html.escape(p) for p in paras(doc[3])]
    if strength >= 1:  # inline markup inside paragraphs
        ps = ["<b>%s</b> %s" % (p.split(" ", 1)[0], p.split(" ", 1)[1])
              if " " in p else p for p in ps]
    body = "".join("<p>%s</p>\n" % p for p in ps)
    if strength >= 2:  # a whole page: head, nav, scripts, footer
        body = ("<html><head><title>x</title><style>p{margin:0}</style>"
                "<script>var a = 1;</script></head><body><nav><ul>"
                + "".join("<li><a href='/%d'>%s</a></li>" % (i, n)
                          for i, n in enumerate(NAV[:5]))
                + "</ul></nav><article><h1>%s</h1>" % html.escape(doc[2])
                + body + "</article><footer>" + FOOTER[0]
                + "</footer></body></html>")
    return doc[2], body, "html"


def excerpt(doc, rng, pool, strength):
    """A passage of strength x the words from the middle of the article
    (starting between a quarter and half way in), paragraph breaks kept."""
    ps = [p.split() for p in paras(doc[3])]
    flat = [(i, w) for i, p in enumerate(ps) for w in p]
    n = max(1, int(strength * len(flat)))
    start = rng.randint(len(flat) // 4, max(len(flat) // 4,
                                            len(flat) // 2 - n // 2))
    out, last = [], None
    for i, w in flat[start:start + n]:
        if last is not None and i != last:
            out.append("\n\n")
        out.append(w)
        last = i
    return doc[2], " ".join(out).replace(" \n\n ", "\n\n"), "text"


def change(doc, rng, pool, strength):
    """Changes one word in 1/strength (every word at that spacing, from a
    random offset, replaced by another word of the article)."""
    ps = [p.split() for p in paras(doc[3])]
    vocab = [w for p in ps for w in p]
    step = int(round(1 / strength))
    k = rng.randrange(step)
    for p in ps:
        for j in range(len(p)):
            if k % step == 0:
                p[j] = rng.choice(vocab) + "s"
            k += 1
    return doc[2], "\n\n".join(" ".join(p) for p in ps), "text"


def rewrapped(doc, rng, pool, strength):
    """Reordered, a fifth of its paragraphs dropped, lightly edited (3% of the
    words) and wrapped in another site's furniture."""
    t, b, _ = drop(doc, rng, pool, 0.2)
    t, b, _ = reorder((0, 0, t, b), rng, pool, 1)
    t, b, _ = edit((0, 0, t, b), rng, pool, 0.03)
    return boilerplate((0, 0, t, b), rng, pool, 0.5)


def combined(doc, rng, pool, strength):
    t, b, _ = drop(doc, rng, pool, 0.1)
    t, b, _ = reorder((0, 0, t, b), rng, pool, 1)
    t, b, _ = edit((0, 0, t, b), rng, pool, 0.02)
    t, b, _ = boilerplate((0, 0, t, b), rng, pool, 0.5)
    t, b, _ = retitle((0, 0, t, b), rng, pool, 1)
    return to_html((0, 0, t, b), rng, pool, 1)


TRANSFORMS = [
    ("boilerplate", 0.25, boilerplate), ("boilerplate", 0.5, boilerplate),
    ("boilerplate", 1.0, boilerplate),
    ("drop paragraphs", 0.1, drop), ("drop paragraphs", 0.2, drop),
    ("reorder", 0.5, reorder), ("reorder", 1.0, reorder),
    ("edit words", 0.01, edit), ("edit words", 0.02, edit),
    ("edit words", 0.05, edit),
    ("new title", 1, retitle),
    ("html", 0, to_html), ("html", 1, to_html), ("html", 2, to_html),
    ("all combined", 1, combined),
    # Partial copies (issue 10): found among earlier submissions at 0.90.
    ("excerpt", 0.25, excerpt), ("change words", 0.2, change),
    ("reorder+trim+ed", 1, rewrapped),
]
PARTIAL = {"excerpt", "change words", "reorder+trim+ed"}


def main():
    binary, rules, bbc, tmp = sys.argv[1:5]
    sample_n = int(sys.argv[5]) if len(sys.argv) > 5 else 600
    docs = list(dc.read_bbc(bbc))
    db = os.path.join(tmp, "transform.db")
    subs, of_id = dc.submit_corpus(binary, rules, docs, db)
    index = {d[0]: k for k, d in enumerate(docs)}
    id_of = {k: i for i, k in of_id.items()}
    sh = [dc.shingles(d[3]) for d in docs]

    rng = random.Random(20041)
    usable = [k for k, d in enumerate(docs)
              if len(paras(d[3])) >= 4 and k in id_of]
    sample = rng.sample(usable, min(sample_n, len(usable)))
    items, meta = [], []
    for name, strength, fn in TRANSFORMS:
        for k in sample:
            if fn is drop and int(strength * len(paras(docs[k][3]))) < 1:
                continue
            t, b, f = fn(docs[k], rng, docs, strength)
            items.append(json.dumps({"title": t, "body": b, "format": f}))
            meta.append((name, strength, k))
    verdicts = dc.run([binary, "check", "--db", db, "--rules", rules,
                       "--format", "json", "-"], "\n".join(items) + "\n")
    if len(verdicts) != len(items):
        raise SystemExit("got %d verdicts for %d copies" %
                         (len(verdicts), len(items)))
    stats, wrong = {}, 0
    for (name, strength, k), v in zip(meta, verdicts):
        refs = [of_id.get(r) for r in dc.dup_refs(v)]
        ok = any(r == k or (r is not None and
                            dc.similarity(sh[k], sh[r])[0] >= 0.8)
                 for r in refs)
        bad = [r for r in refs if r is not None and r != k
               and max(dc.similarity(sh[k], sh[r])) < 0.5]
        wrong += bool(bad)
        if bad and wrong <= 5:
            print("  unrelated: %s copy of %s names %s" %
                  (name, docs[k][0], [docs[r][0] for r in bad]))
        s = stats.setdefault((name, strength), [0, 0])
        s[0] += ok
        s[1] += 1
    print("transformed copies of %d BBC articles (check --db against all %d)"
          % (len(sample), len(docs)))
    print("%-16s %8s %7s %7s" % ("transformation", "strength", "found",
                                 "recall"))
    worst = 1.0
    for (name, strength), (f, n) in stats.items():
        # Partial copies have the issue's 0.90 target; rescale to 0.95's.
        worst = min(worst, f / n * (0.95 / 0.90 if name in PARTIAL else 1))
        print("%-16s %8s %7s %7.3f" % (name, strength, "%d/%d" % (f, n),
                                       f / n))
    # Different articles, same subject: every same-category pair of the
    # submitted corpus, and the hits among them.
    fp = pairs = 0
    cat_of = [d[1] for d in docs]
    flagged = set()
    for v in subs:
        j = index.get(v.get("input"))
        for r in dc.dup_refs(v):
            if j is not None and r in of_id:
                flagged.add((of_id[r], j))
    for i, j in combinations(range(len(docs)), 2):
        if cat_of[i] != cat_of[j]:
            continue
        if max(dc.similarity(sh[j], sh[i])) >= 0.5:
            continue
        pairs += 1
        fp += (i, j) in flagged
    rate = fp / pairs if pairs else 0.0
    print("same-category pairs of different articles: %d, flagged %d "
          "= %.5f%%" % (pairs, fp, 100 * rate))
    print("copies whose duplicate hit names an unrelated article: %d of %d"
          % (wrong, len(items)))
    ok = worst >= 0.95 and fp == 0 and wrong <= 0.001 * len(items)
    print("transformation targets:", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
