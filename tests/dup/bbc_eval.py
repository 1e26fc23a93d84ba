#!/usr/bin/env python3
"""bbc_eval.py -- precision and recall of the duplicate rules on the BBC
corpus (../shared/data/bbc).

Submits every article, in path order, to a fresh store through the real
binary, then compares the duplicate hits (SAME_URL, SAME_TEXT,
NEAR_DUPLICATE, each naming an earlier item) with ground truth computed
here by brute-force shingle Jaccard over all pairs.  Prints the figures;
exits 1 when a target is missed:
  - every byte-identical pair flagged,
  - recall >= 0.95 over pairs with Jaccard >= 0.8,
  - false positives <= 0.1% of the pairs of different articles.

usage: bbc_eval.py NEWSGATE RULES_DIR BBC_DIR TMPDIR
"""
import os
import sys
import time
from itertools import combinations

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dupcommon as dc  # noqa: E402


def truth(docs):
    """All pairs (i < j) with Jaccard >= 0.3 or containment >= 0.5, and
    the number of pairs examined."""
    sh = [dc.shingles(d[3]) for d in docs]
    near = {}
    n = 0
    for i, j in combinations(range(len(docs)), 2):
        n += 1
        a, b = sh[j], sh[i]
        both = len(a & b)
        if not both:
            continue
        jac, cont, contd = dc.similarity(a, b)
        if jac >= 0.3 or cont >= 0.5 or contd >= 0.5:
            near[(i, j)] = (jac, cont, contd)
    return near, n


def main():
    binary, rules, bbc, tmp = sys.argv[1:5]
    docs = list(dc.read_bbc(bbc))
    t0 = time.time()
    verdicts, of_id = dc.submit_corpus(binary, rules, docs,
                                       os.path.join(tmp, "bbc.db"))
    t_submit = time.time() - t0
    index = {d[0]: k for k, d in enumerate(docs)}
    flags = {}
    for v in verdicts:
        j = index.get(v.get("input"))
        if j is not None:
            flags[j] = [of_id[r] for r in dc.dup_refs(v) if r in of_id]
    t0 = time.time()
    near, npairs = truth(docs)
    t_truth = time.time() - t0

    def sim(i, j):
        return near.get((min(i, j), max(i, j)), (0.0, 0.0, 0.0))

    def found(i, j):  # j (later) flagged as a duplicate of i's cluster
        return any(k == i or sim(i, k)[0] >= 0.8 for k in flags.get(j, []))

    by_bytes = {}
    for k, d in enumerate(docs):
        by_bytes.setdefault(d[4], []).append(k)
    ident = [p for g in by_bytes.values() for p in combinations(g, 2)]
    ident_found = sum(found(i, j) for i, j in ident)
    hi = [p for p, s in near.items() if s[0] >= 0.8]
    hi_found = sum(found(i, j) for i, j in hi)
    mid = [p for p, s in near.items() if 0.5 <= s[0] < 0.8]
    mid_found = sum(found(i, j) for i, j in mid)
    flagged = [(k, j) for j, ks in flags.items() for k in ks]
    true_flags = [p for p in flagged
                  if max(sim(*p)[0], sim(*p)[1], sim(*p)[2]) >= 0.5]
    false_flags = len(flagged) - len(true_flags)
    different = npairs - sum(1 for s in near.values() if s[0] >= 0.5)
    fp_rate = false_flags / different if different else 0.0
    precision = len(true_flags) / len(flagged) if flagged else 1.0
    recall = hi_found / len(hi) if hi else 1.0

    print("BBC corpus: %d articles, %d pairs; submit %.1f s, brute-force "
          "truth %.1f s" % (len(docs), npairs, t_submit, t_truth))
    print("byte-identical pairs:        %4d, flagged %4d" %
          (len(ident), ident_found))
    print("pairs with Jaccard >= 0.8:   %4d, flagged %4d  recall %.3f" %
          (len(hi), hi_found, recall))
    print("pairs with 0.5 <= J < 0.8:   %4d, flagged %4d" %
          (len(mid), mid_found))
    print("duplicate hits naming an item: %d, correct %d  precision %.4f" %
          (len(flagged), len(true_flags), precision))
    print("false positives: %d of %d pairs of different articles = %.5f%%"
          % (false_flags, different, 100 * fp_rate))
    for p in flagged:
        if p not in true_flags:
            print("  false: %s -> %s %s" % (docs[p[1]][0], docs[p[0]][0],
                                            sim(*p)))
    ok = ident_found == len(ident) and recall >= 0.95 and fp_rate <= 0.001
    for i, j in hi:
        if not found(i, j):
            print("  missed: %s ~ %s %s" % (docs[i][0], docs[j][0],
                                            sim(i, j)))
    print("BBC targets:", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
