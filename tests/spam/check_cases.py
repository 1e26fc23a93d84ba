#!/usr/bin/env python3
"""check_cases.py -- checks verdicts against the expectations of rule cases.

    python3 tests/spam/check_cases.py [--cover RULES.lua] CASES VERDICTS
                                      [CASES VERDICTS ...]

CASES is an NDJSON file of items, each with meta.expect (rules that must
fire) and meta.expect_not (rules that must not); VERDICTS holds the JSON
verdicts `newsgate check` printed for it, in order.  With --cover, every
rule named in RULES.lua (name = "...", and the BAYES_* bands) must have at
least one case where it fires and one where it does not.  Prints each
failure; exits 1 if any.
"""
import json
import re
import sys


def main():
    args = sys.argv[1:]
    cover = None
    if args[:1] == ["--cover"]:
        cover, args = args[1], args[2:]
    hit, miss, bad, n = set(), set(), 0, 0
    for cases_path, verdicts_path in zip(args[::2], args[1::2]):
        cases = [json.loads(l) for l in open(cases_path, encoding="utf-8")]
        verdicts = [json.loads(l) for l in open(verdicts_path)]
        if len(cases) != len(verdicts):
            print("%s: %d cases, %d verdicts" % (cases_path, len(cases),
                                                 len(verdicts)))
            return 1
        for c, v in zip(cases, verdicts):
            n += 1
            fired = {h["rule"] for h in v["hits"]}
            for r in c["meta"].get("expect", []):
                hit.add(r)
                if r not in fired:
                    bad += 1
                    print("FAIL %s item %d %r: %s did not fire (fired: %s)"
                          % (cases_path, v["item"], c["title"], r,
                             ", ".join(sorted(fired))))
            for r in c["meta"].get("expect_not", []):
                miss.add(r)
                if r in fired:
                    bad += 1
                    print("FAIL %s item %d %r: %s fired" % (
                        cases_path, v["item"], c["title"], r))
    if cover:
        text = open(cover, encoding="utf-8").read()
        names = set(re.findall(r'\bname = "([A-Z][A-Z0-9_]*)"', text))
        for r in sorted(names):
            if r not in hit:
                bad += 1
                print("UNCOVERED %s: no case where it fires" % r)
            if r not in miss:
                bad += 1
                print("UNCOVERED %s: no case where it does not fire" % r)
    print("%d cases, %d failures" % (n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
