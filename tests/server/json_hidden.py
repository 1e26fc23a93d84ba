"""json_hidden.py -- every JSON answer of `newsgate serve` escapes the
hidden code points (C1 controls, invisible direction and line controls:
json_out.h) as \\uXXXX, whichever route wrote it.

A source and two items carry U+0085, U+202E, U+2066 and U+2028 in their
title, body and submitter (and so, through the hostile rules of
tests/cli/data/hostile/rules, in the rules' details); a moderator and a
publisher carry them in their names; bad requests carry them where the
error message repeats them.  Each answer read back must hold no raw hidden
code point, and a JSON parser must give back the original string.

Run: python3 tests/server/json_hidden.py   (exit 0 when all pass).
"""

import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, MOD, PUB, ROOT, Server, tmpdir  # noqa: E402

H = "A\u0085B\u202eC\u2066D\u2028E"
RAW = re.compile("[\u0080-\u009f\u061c\u200e\u200f\u2028-\u202e"
                 "\u2066-\u2069]")
RULES = os.path.join(ROOT, "tests", "cli", "data", "hostile", "rules")
failures = []


def strings(v):
    """Every string in a parsed JSON value (keys too)."""
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)


def call(s, what, method, path, body=None, token=None,
         ctype="application/json"):
    """Sends body (a str is sent as UTF-8 bytes as it is, anything else
    as JSON with raw UTF-8); returns (status, parsed answer), after
    checking the answer's raw text."""
    h = {"Content-Type": ctype}
    if token:
        h["Authorization"] = "Bearer " + token
    if body is not None and not isinstance(body, str):
        body = json.dumps(body, ensure_ascii=False)
    c = s.conn()
    try:
        c.request(method, path, body=None if body is None
                  else body.encode("utf-8"), headers=h)
        r = c.getresponse()
        raw = r.read()
    finally:
        c.close()
    text = raw.decode("utf-8")
    m = RAW.search(text)
    if m:
        failures.append("%s: a raw U+%04X in %r" % (what, ord(m.group()),
                                                     text[:300]))
    try:
        return r.status, json.loads(text)
    except ValueError:
        failures.append("%s: not JSON: %r" % (what, text[:300]))
        return r.status, None


def expect(s, what, want_status, want, *args, **kw):
    """Calls, then asks for status want_status and the string `want`
    somewhere inside a string of the parsed answer."""
    st, v = call(s, what, *args, **kw)
    if st != want_status:
        failures.append("%s: status %d, want %d: %r" % (what, st,
                                                       want_status, v))
    elif not any(want in x for x in strings(v)):
        failures.append("%s: %r not read back from %r" % (what, want, v))
    return v


def item(i):
    return {"title": "Title %d %s" % (i, H),
            "body": "Body %d %s with a few more words." % (i, H),
            "submitter": "sub" + H}


def register_source(tmp, db):
    path = os.path.join(tmp, "source.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"title": "Wire " + H, "body": "Wire body " + H +
                   " as the publisher wrote it."}, f, ensure_ascii=False)
    subprocess.run([BIN, "sources", "add", "--publisher", "Wire" + H,
                    "--domain", "wire.example", "--db", db, path],
                   check=True, stdout=subprocess.DEVNULL)


def run(s):
    # Verdicts: the rules' details repeat the title and the body.
    expect(s, "check", 200, "title=Title 1 " + H, "POST", "/v1/check",
           item(1))
    nd = "".join(json.dumps(item(i)) + "\n" for i in (8, 9))
    expect(s, "check NDJSON", 200, "Body 9 " + H, "POST", "/v1/check", nd,
           ctype="application/x-ndjson")
    expect(s, "submit", 201, "title=Title 1 " + H, "POST", "/v1/items",
           item(1))
    expect(s, "submit array", 201, "Body 2 " + H, "POST", "/v1/items",
           [item(2), item(3)])
    # The queue.
    expect(s, "item", 200, "Title 1 " + H, "GET", "/v1/items/1", token=MOD)
    expect(s, "queue list", 200, "Title 2 " + H, "GET", "/v1/queue",
           token=MOD)
    expect(s, "queue by rule", 200, "sub" + H, "GET",
           "/v1/queue?rule=ECHO_FIELDS", token=MOD)
    # A publisher's claim hands the item out whole.
    v = expect(s, "claim", 200, "Body 1 " + H, "POST", "/v1/claim",
               {"by": "pub" + H, "lease": 60}, token=PUB)
    if v and v.get("item", {}).get("lease_by") != "pub" + H:
        failures.append("claim: lease_by %r" % (v,))
    # A reference source.
    v = expect(s, "source", 200, "Wire body " + H, "GET", "/v1/sources/1",
               token=MOD)
    if v and (v.get("publisher"), v.get("title")) != ("Wire" + H,
                                                      "Wire " + H):
        failures.append("source: %r" % (v,))
    # Errors that repeat what was sent or stored.
    expect(s, "reject", 200, "rejected", "POST", "/v1/items/2/reject",
           {"by": "mod" + H, "reason": "why " + H}, token=MOD)
    expect(s, "stale decision", 409, "decided by mod" + H, "POST",
           "/v1/items/2/approve", {"by": "x", "expect": "review"}, token=MOD)
    expect(s, "item after decisions", 200, "why " + H, "GET",
           "/v1/items/2", token=MOD)
    expect(s, "malformed body", 400, "\u0085", "POST", "/v1/items",
           "\u0085" + H)
    expect(s, "malformed decision", 400, "\u202e", "POST",
           "/v1/items/3/approve", "\u202e" + H, token=MOD)
    expect(s, "unknown field", 422, H, "POST", "/v1/items",
           '{"title": "t", "body": "b", "%s": 1}' % H)
    # A message cut to its buffer's length mid-character must still be
    # answered (422, the cut character as '?'), not 500: one of the two
    # alignments cuts a 3-byte character.
    for lead in ("", "a"):
        expect(s, "long unknown field " + repr(lead), 422, "unknown field",
               "POST", "/v1/items",
               '{"title": "t", "body": "b", "%s%s": 1}' % (lead, "\u20ac" * 300))
    expect(s, "bad time", 422, H, "POST", "/v1/items",
           {"title": "t", "body": "b", "submitted_at": H})


def main():
    tmp = tmpdir()
    s = None
    try:
        db = os.path.join(tmp, "srv.db")
        register_source(tmp, db)
        s = Server(tmp, db=db, rules=RULES)
        run(s)
    finally:
        if s:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("ok: every JSON answer escapes the hidden code points")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
