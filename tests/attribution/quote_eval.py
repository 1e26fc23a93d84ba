#!/usr/bin/env python3
"""quote_eval.py -- measures the quote attributor (item:quotes()) against
a hand-labelled set of quotations.

    quote_eval.py NEWSGATE_BIN DATA_DIR [LABELS.json] [--min ACC] [-v]

LABELS (default: quotes.json beside this script) is a JSON array of
{"article": path under DATA_DIR (or passages/NAME: a passage beside
this script, written for the sets), "quote": the quotation's first words,
"speaker": who said it or null, "also": [other names for the speaker]}.
Each article is checked once with tests/attribution/rules; a labelled
quotation is the attributor's quotation whose text starts with the
labelled words.  A speaker is right when it shares a word with the label (or
with one of its "also" names), ignoring case, titles, articles and a
possessive 's: "Sir Digby" names "Sir Digby Jones".  Prints the accuracy over
the quotations labelled with a speaker (a missing speaker or a missing
quotation counts as wrong) and how many quotations labelled with no
speaker were given one.  Exits 1 when the accuracy is below --min.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TITLES = {"mr", "mrs", "ms", "dr", "sir", "lord", "lady", "miss", "the",
          "a", "an", "of", "for"}


def words(s):
    s = re.sub(r"['\u2019]s\b", "", s.lower())
    return [w for w in re.findall(r"[\w-]+", s) if w not in TITLES]


def squash(s):
    return " ".join(s.split())


def quotes_of(binary, path):
    out = subprocess.run([binary, "check", "--format", "json", "--rules",
                          os.path.join(HERE, "rules"), path],
                         capture_output=True, text=True).stdout
    verdict = json.loads(out.splitlines()[0])
    detail = verdict["hits"][0].get("detail") or ""
    found = []
    for rec in detail.split("\x1e"):
        if rec:
            speaker, text = rec.split("\x1f", 1)
            found.append((speaker, squash(text)))
    return found


def article_path(data, article):
    """An article under DATA_DIR, or a passage written for the labelled
    sets (passages/NAME beside this script, not BBC text)."""
    if article.startswith("passages/"):
        return os.path.join(HERE, article)
    return os.path.join(data, article)


def right(label, also, speaker):
    got = set(words(speaker))
    return any(got & set(words(n)) for n in [label] + also)


def main(argv):
    verbose = "-v" in argv
    argv = [a for a in argv if a != "-v"]
    minimum = None
    if "--min" in argv:
        i = argv.index("--min")
        minimum = float(argv[i + 1])
        del argv[i:i + 2]
    binary, data = argv[1], argv[2]
    labels = json.load(open(argv[3] if len(argv) > 3
                            else os.path.join(HERE, "quotes.json")))
    cache, ok, total, spurious, nones, missing = {}, 0, 0, 0, 0, 0
    for lab in labels:
        path = article_path(data, lab["article"])
        if path not in cache:
            cache[path] = quotes_of(binary, path)
        start = squash(lab["quote"])
        match = next((q for q in cache[path] if q[1].startswith(start)), None)
        speaker = match[0] if match else ""
        if match is None:
            missing += 1
        if lab["speaker"] is None:
            nones += 1
            spurious += bool(speaker)
            continue
        total += 1
        good = right(lab["speaker"], lab.get("also", []), speaker)
        ok += good
        if verbose and not good:
            print("  wrong: %s %r: want %r, got %r%s" % (
                lab["article"], lab["quote"], lab["speaker"], speaker,
                "" if match else " (quotation not found)"))
    acc = ok / total if total else 0.0
    print("quote attributor: %d of %d attributed quotations right "
          "(accuracy %.3f); %d of %d unattributed given a speaker; "
          "%d labelled quotations not found; %d articles"
          % (ok, total, acc, spurious, nones, missing, len(cache)))
    if minimum is not None and acc < minimum:
        print("accuracy below %.2f" % minimum)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
