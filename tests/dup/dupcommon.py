"""dupcommon.py -- helpers shared by the duplicate-detection evaluations.

The shingle definition mirrors core/dup_keys.c: NFKC, case-folded words
(runs of letters, marks and digits, an apostrophe or hyphen inside a run
kept), 3-word shingles that do not cross a paragraph break, a paragraph of
fewer than 3 words being one shingle.  Shingles are kept as word tuples
here (no hashing), so the ground truth is exact.
"""
import json
import os
import re
import subprocess
import unicodedata

WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
PARA = re.compile(r"\n\s*\n")


def words(text):
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(body):
    out = set()
    for para in PARA.split(body.replace("\r\n", "\n")):
        w = words(para)
        if not w:
            continue
        if len(w) < 3:
            out.add(tuple(w))
        for i in range(len(w) - 2):
            out.add((w[i], w[i + 1], w[i + 2]))
    return frozenset(out)


def similarity(a, b):
    """Jaccard, containment of b (earlier) in a, containment of a in b."""
    both = len(a & b)
    union = len(a) + len(b) - both
    return (both / union if union else 0.0,
            both / len(b) if b else 0.0,
            both / len(a) if a else 0.0)


def read_bbc(root):
    """Yields (path, category, title, body, raw bytes) in sorted order,
    skipping files that are not valid UTF-8 (the reader refuses them)."""
    for cat in sorted(os.listdir(root)):
        d = os.path.join(root, cat)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".txt"):
                continue
            path = os.path.join(d, name)
            raw = open(path, "rb").read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            lines = text.split("\n")
            i = 0
            while i < len(lines) and not lines[i].strip():
                i += 1
            if i == len(lines):
                continue
            title = lines[i].strip()
            body = "\n".join(lines[i + 1:]).strip()
            yield path, cat, title, body, raw


def run(args, stdin=None):
    """Runs newsgate; returns the list of verdict objects printed."""
    p = subprocess.run(args, input=stdin, capture_output=True, text=True)
    if p.returncode not in (0, 1, 2, 65):
        raise SystemExit("newsgate failed (%d): %s" % (p.returncode,
                                                      p.stderr[-2000:]))
    out = []
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


def submit_corpus(binary, rules, docs, db):
    """Submits every document of `docs` (from read_bbc) into a fresh
    database `db`.  Returns the verdicts printed and a map from stored id
    to the document's index in `docs`."""
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(db + ext):
            os.remove(db + ext)
    verdicts = run([binary, "submit", "--db", db, "--rules", rules]
                   + [d[0] for d in docs])
    index = {d[0]: k for k, d in enumerate(docs)}
    of_id = {v["id"]: index[v["input"]] for v in verdicts
             if v.get("input") in index and v.get("id")}
    return verdicts, of_id


DUP_RULES = ("SAME_URL", "SAME_TEXT", "NEAR_DUPLICATE")
REF = re.compile(r"#(\d+)")


def dup_refs(verdict):
    """Ids of earlier items named by duplicate hits of a verdict."""
    ids = []
    for h in verdict.get("hits", []):
        if h.get("rule") in DUP_RULES and not h.get("shadow"):
            m = REF.search(h.get("detail") or "")
            if m:
                ids.append(int(m.group(1)))
    return ids
