"""test_server.py -- end-to-end tests of `newsgate serve` over real HTTP on
loopback: every endpoint and error status, tokens, the access log,
hostile rules, malformed and slow clients, rule reloads under load, the
graceful stop, a SIGKILL crash, and the curl examples of docs/api.md.

Run: python3 tests/server/test_server.py [NAME...]   (exit 0 when all
pass).  No test asserts a speed; waits are generous bounds on liveness.
"""

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, MOD, PUB, SUB, ROOT, Server, story, tmpdir  # noqa: E402

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def expect_error(res, status, code):
    st, body, _ = res
    expect(st == status, "want %d %s, got %d %r" % (status, code, st, body))
    expect(isinstance(body, dict) and body.get("error", {}).get("code")
           == code, "want error code %s, got %r" % (code, body))
    expect(body["error"].get("message"), "error without a message")


# ---- endpoints ------------------------------------------------------------

def submit_and_read(s):
    st, v, _ = s.call("POST", "/v1/items", story(1, external_id="ext-1"))
    expect(st == 201 and v["id"] == 1 and v["action"] in
           ("accept", "review", "reject"), "submit one: %d %r" % (st, v))
    st, v2, _ = s.call("POST", "/v1/items", story(1, external_id="ext-1"))
    expect(st == 200 and v2 == {"id": 1, "existing": True},
           "external_id again: %d %r" % (st, v2))
    batch = [story(2), story(3, title="SHOUTING HEADLINE!!!")]
    st, v, _ = s.call("POST", "/v1/items", batch)
    expect(st == 201 and [x["id"] for x in v["items"]] == [2, 3],
           "submit array: %r" % (v,))
    nd = "\n".join(json.dumps(story(i)) for i in (4, 5)) + "\n"
    st, v, _ = s.call("POST", "/v1/items", nd, ctype="application/x-ndjson")
    expect(st == 201 and len(v["items"]) == 2, "submit NDJSON: %r" % (v,))
    st, v, _ = s.call("POST", "/v1/check", story(2))
    expect(st == 200 and "id" not in v and v["action"] == "reject",
           "dry run sees the stored duplicate: %r" % (v,))
    st, v, _ = s.call("GET", "/v1/items/2", token=MOD)
    expect(st == 200 and v["id"] == 2 and v["item"]["title"] ==
           "Council story 2", "get item: %r" % (v,))
    st, v, _ = s.call("GET", "/v1/items/3", token=PUB)
    expect(st == 200, "publisher reads an item")


def queue_and_decide(s):
    st, v, _ = s.call("GET", "/v1/queue?status=accepted&limit=2", token=MOD)
    expect(st == 200 and isinstance(v, list) and len(v) == 2 and
           all(x["status"] == "accepted" for x in v), "queue: %r" % (v,))
    st, v, _ = s.call("GET", "/v1/queue?since=0", token=MOD)
    expect(st == 200 and len(v) == 5, "queue since: %r" % (v,))
    st, v, _ = s.call("GET", "/v1/queue?since=2000-01-01T00:00:00Z",
                      token=MOD)
    expect(st == 200 and len(v) == 5, "queue since RFC 3339: %r" % (v,))
    st, v, _ = s.call("GET", "/v1/queue?since=2999-01-01T00:00:00Z",
                      token=MOD)
    expect(st == 200 and v == [], "queue since the future: %r" % (v,))
    st, v, _ = s.call("GET", "/v1/queue?after=3&limit=1", token=MOD)
    expect(st == 200 and [x["id"] for x in v] == [4],
           "queue after: %r" % (v,))
    st, v, _ = s.call("GET", "/v1/queue?rule=TITLE_ALL_CAPS", token=MOD)
    expect(st == 200 and [x["id"] for x in v] == [3] and
           "TITLE_ALL_CAPS" in v[0]["rules"] and "style" in v[0]["groups"],
           "rules and groups in summaries: %r" % (v,))
    st, v, _ = s.call("GET", "/v1/rules", token=MOD)
    caps = [x for x in v["rules"] if x["rule"] == "TITLE_ALL_CAPS"] \
        if st == 200 else []
    expect(caps and v["items"] == 5 and caps[0]["hits"] == 1 and
           caps[0]["worst_us"] >= caps[0]["mean_us"] >= 0,
           "rule figures: %d %r" % (st, v))
    expect_error(s.call("GET", "/v1/rules", token=PUB), 403, "forbidden")
    st, v, _ = s.call("POST", "/v1/items/3/approve",
                      {"by": "carol", "expect": "rejected"}, token=MOD)
    expect(st == 409 and "is " in v["error"]["message"],
           "expect that no longer holds: %d %r" % (st, v))
    st, v, _ = s.call("POST", "/v1/items/3/reject",
                      {"by": "alice", "reason": "shouting", "spam": True},
                      token=MOD)
    expect(st == 200 and v == {"id": 3, "status": "rejected"}, "reject")
    st, v, _ = s.call("GET", "/v1/queue?decided_since=%d" % (time.time() - 60),
                      token=MOD)
    expect(st == 200 and [(x["id"], x["decided_by"]) for x in v] ==
           [(3, "alice")], "decided_since: %r" % (v,))
    st, v, _ = s.call("GET", "/v1/items/3", token=MOD)
    expect(any(a.get("action") == "learn" for a in v["audit"]),
           "rejected as spam and learned: %r" % v["audit"])
    expect_error(s.call("POST", "/v1/items/3/reject", {"by": "a", "reason":
                        "x", "spam": "yes"}, token=MOD), 422,
                 "invalid_request")
    expect_error(s.call("POST", "/v1/items/3/approve", {"by": "carol",
                 "expect": "review"}, token=MOD), 409, "conflict")
    st, v, _ = s.call("POST", "/v1/items/3/approve", {"by": "bob",
                      "note": "fine after all"}, token=MOD)
    expect(st == 200 and v["status"] == "accepted", "approve")


def claim_ack_release(s):
    st, v, _ = s.call("POST", "/v1/claim", {"by": "web1", "lease": 60},
                      token=PUB)
    expect(st == 200 and v["id"] == 1 and v["lease"] == 60 and
           v["item"]["id"] == 1, "claim: %r" % (v,))
    st, v, _ = s.call("POST", "/v1/items/1/ack", {"by": "web1"}, token=PUB)
    expect(st == 200 and v["status"] == "published", "ack: %r" % (v,))
    st, v, _ = s.call("POST", "/v1/claim", None, token=PUB)
    expect(st == 200, "claim without a body")
    cid = v["id"]
    st, v, _ = s.call("POST", "/v1/items/%d/release" % cid, None, token=PUB)
    expect(st == 200 and v["status"] == "released", "release: %r" % (v,))
    expect_error(s.call("POST", "/v1/items/%d/ack" % cid, None, token=PUB),
                 409, "conflict")
    expect_error(s.call("POST", "/v1/items/1/approve", {"by": "x"},
                        token=MOD), 409, "conflict")


def read_figures(s):
    st, v, _ = s.call("GET", "/v1/stats", token=MOD)
    expect(st == 200 and v["queue"]["total"] == 5 and
           v["queue"]["published"] == 1 and v["rules"]["count"] > 0,
           "stats: %r" % (v,))
    expect(v["server"]["existing"] == 1, "stats counts the existing one")
    st, v, _ = s.call("GET", "/healthz")
    expect(st == 200 and v["status"] == "ok", "healthz: %r" % (v,))
    st, text, h = s.call("GET", "/metrics")
    expect(st == 200 and h["Content-Type"].startswith("text/plain"),
           "metrics content type")
    for name in ('newsgate_items_total{kind="filed",action="accept"}',
                 "newsgate_rule_hits_total{rule=",
                 "newsgate_rule_errors_total",
                 'newsgate_http_request_duration_seconds_bucket{route='
                 '"submit",le="+Inf"}', "newsgate_group_commits_total"):
        expect(name in text, "metrics lacks " + name)


def error_statuses(s):
    expect_error(s.call("POST", "/v1/items", '{"title": "x", "bo'), 400,
                 "malformed")
    expect_error(s.call("POST", "/v1/items", b'{"title":"\xff\xfe",'
                        b'"body":"x"}'), 400, "malformed")
    expect_error(s.call("POST", "/v1/items", ""), 400, "malformed")
    expect_error(s.call("GET", "/v1/queue?limit=zero", token=MOD), 400,
                 "malformed")
    expect_error(s.call("GET", "/v1/queue?status=maybe", token=MOD), 400,
                 "malformed")
    expect_error(s.call("GET", "/v1/queue?since=yesterday", token=MOD), 400,
                 "malformed")
    expect_error(s.call("POST", "/v1/items", "x" * 70000), 413, "too_large")
    expect_error(s.call("POST", "/v1/items", [story(i) for i in range(51)]),
                 413, "too_many_items")
    expect_error(s.call("POST", "/v1/items", "title: x", ctype="text/plain"),
                 415, "unsupported_media_type")
    expect_error(s.call("POST", "/v1/items", {"body": "no title"}), 422,
                 "invalid_item")
    expect_error(s.call("POST", "/v1/items", {"title": 5, "body": "x"}),
                 422, "invalid_item")
    expect_error(s.call("POST", "/v1/items/2/reject", {"by": "a"},
                        token=MOD), 422, "invalid_request")
    expect_error(s.call("POST", "/v1/items/2/approve", {}, token=MOD), 422,
                 "invalid_request")
    st, body, h = s.call("GET", "/v1/queue")
    expect_error((st, body, h), 401, "unauthorized")
    expect(h.get("WWW-Authenticate", "").startswith("Bearer"),
           "401 without WWW-Authenticate")
    expect_error(s.call("GET", "/v1/queue", token="wrong-token"), 401,
                 "unauthorized")
    expect_error(s.call("GET", "/v1/queue", token=PUB), 403, "forbidden")
    expect_error(s.call("POST", "/v1/claim", None, token=MOD), 403,
                 "forbidden")
    expect_error(s.call("GET", "/v1/items/999", token=MOD), 404,
                 "not_found")
    expect_error(s.call("GET", "/v1/sources/999", token=MOD), 404,
                 "not_found")
    expect_error(s.call("GET", "/v1/sources/1", token=PUB), 403, "forbidden")
    expect_error(s.call("POST", "/v1/items/999/approve", {"by": "a"},
                        token=MOD), 404, "not_found")
    expect_error(s.call("GET", "/nowhere"), 404, "not_found")
    expect_error(s.call("GET", "/v1/items/abc", token=MOD), 404,
                 "not_found")
    st, body, h = s.call("GET", "/v1/items")
    expect_error((st, body, h), 405, "method_not_allowed")
    expect(h.get("Allow") == "POST", "405 without Allow")
    expect_error(s.call("DELETE", "/v1/items/1", token=MOD), 405,
                 "method_not_allowed")


@test
def endpoints_and_errors(ctx):
    s = ctx["main"]
    submit_and_read(s)
    queue_and_decide(s)
    claim_ack_release(s)
    read_figures(s)
    error_statuses(s)
    # Nothing left to claim: every accepted item but one is taken... take
    # them all, then the queue is empty.
    while True:
        st, v, _ = s.call("POST", "/v1/claim", {"lease": 60}, token=PUB)
        if st != 200:
            break
    expect_error((st, v, {}), 404, "queue_empty")


@test
def console_files(ctx):
    """The moderator console's static files: no token, the CSP on every
    file, the right types; nothing else under /ui/."""
    s = ctx["main"]
    for path, ctype in (("/ui/", "text/html"), ("/ui", "text/html"),
                        ("/ui/app.js", "text/javascript"),
                        ("/ui/app.css", "text/css")):
        st, body, h = s.call("GET", path)
        csp = h.get("Content-Security-Policy", "")
        expect(st == 200 and h.get("Content-Type", "").startswith(ctype),
               "%s: %d %r" % (path, st, h.get("Content-Type")))
        expect("script-src 'self'" in csp and "default-src 'none'" in csp
               and "require-trusted-types-for 'script'" in csp,
               "%s: CSP %r" % (path, csp))
        expect(h.get("X-Content-Type-Options") == "nosniff", "nosniff")
    st, body, _ = s.call("GET", "/ui/")
    expect('<script type="module" src="/ui/app.js">' in body and
           "<script>" not in body, "no inline script in index.html")
    expect_error(s.call("GET", "/ui/../v1/stats"), 404, "not_found")
    expect_error(s.call("GET", "/ui/nothing.js"), 404, "not_found")
    expect_error(s.call("POST", "/ui/", "x"), 405, "method_not_allowed")
    expect_error(s.call("GET", "/uix"), 404, "not_found")


@test
def access_log(ctx):
    s = ctx["main"]
    log = s.text()
    lines = [l for l in log.splitlines() if '"' in l and "/v1/" in l]
    expect(len(lines) >= 40, "expected an access line per request, got %d"
           % len(lines))
    for secret in (MOD, PUB, SUB, "wrong-token", "Council story",
                   "shouting"):
        expect(secret not in log, "log shows %r" % secret)
    expect(re.search(r'"POST /v1/items" 201 \d+ [\d.]+ms items=2', log),
           "access line for a two-item submission")
    expect(re.search(r'"GET /v1/queue" 401 ', log), "401 logged")


@test
def submit_token(ctx):
    s = Server(ctx["tmp"], "tok", extra=["--submit-token"])
    try:
        expect_error(s.call("POST", "/v1/items", story(1)), 401,
                     "unauthorized")
        expect_error(s.call("POST", "/v1/check", story(1), token=PUB), 403,
                     "forbidden")
        st, v, _ = s.call("POST", "/v1/items", story(1), token=SUB)
        expect(st == 201, "submitter token submits: %d" % st)
        st, v, _ = s.call("POST", "/v1/check", story(1), token=MOD)
        expect(st == 200, "moderator token checks")
    finally:
        expect(s.stop() == 0, "clean stop")


@test
def hostile_rules(ctx):
    rules = os.path.join(ROOT, "tests", "rules", "limits")
    s = Server(ctx["tmp"], "hostile", rules=rules,
               extra=["--deadline", "100"])
    try:
        st, v, _ = s.call("POST", "/v1/items", story(1))
        expect(st == 201, "submission answered: %d %r" % (st, v))
        failed = {e["rule"] for e in v["errors"]}
        expect({"LOOPS_FOREVER", "EATS_MEMORY", "RUNS_SHELL"} <= failed,
               "rule failures reported: %r" % failed)
        expect(any(h["rule"] == "STILL_RUNS" for h in v["hits"]),
               "the good rule still ran")
        st, v, _ = s.call("POST", "/v1/check", story(2))
        expect(st == 200 and v["errors"], "dry run reports errors too")
        st, text, _ = s.call("GET", "/metrics")
        expect('newsgate_rule_errors_total{rule="LOOPS_FOREVER"} 2' in text,
               "rule errors counted")
        expect(s.call("GET", "/healthz")[0] == 200, "still healthy")
    finally:
        expect(s.stop() == 0, "clean stop")


def at_once(s, items):
    """Sends each item in its own request, all released at the same
    moment; returns the (status, body) answers in the order sent."""
    go = threading.Barrier(len(items))
    out = [None] * len(items)

    def send(i):
        go.wait()
        st, v, _ = s.call("POST", "/v1/items", items[i])
        out[i] = (st, v)
    ts = [threading.Thread(target=send, args=(i,)) for i in range(len(items))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    expect(all(st == 201 for st, _ in out), "all filed: %r"
           % [st for st, _ in out])
    return out


def writer_checks(s):
    """newsgate_writer_checks_total by its `run` label."""
    _, text, _ = s.call("GET", "/metrics")
    return {m.group(1): int(m.group(2)) for m in re.finditer(
        r'newsgate_writer_checks_total\{run="(\w+)"\} (\d+)', text)}


@test
def identical_submissions_in_flight(ctx):
    """Items are checked on the HTTP threads, where a copy sent at the
    same moment is not stored yet; the writer runs the rules that read
    the store again before filing.  So of two (and of eight) identical
    submissions sent at once, exactly one is accepted and the others are
    caught as its duplicates (docs/architecture.md)."""
    s = ctx["main"]
    before = writer_checks(s)
    for n, seed in ((2, 777001), (8, 777002)):
        acts = sorted(v["action"] for _, v in at_once(s, [story(seed)] * n))
        expect(acts == ["accept"] + ["reject"] * (n - 1),
               "%d copies: %r" % (n, acts))
    after = writer_checks(s)
    expect(after.get("store_rules", 0) - before.get("store_rules", 0) == 10,
           "checked on the HTTP threads, store rules again in the writer: "
           "%r -> %r" % (before, after))


@test
def near_copies_and_floods_in_flight(ctx):
    """The same for a near copy (one word changed, another URL) and for a
    rate limit: 24 items of one new submitter sent at once carry
    SUBMITTER_FLOOD from the 21st filed on (20 an hour in rules/spam_history.lua),
    as they would sent one by one."""
    s = ctx["main"]
    a = story(778001)
    b = dict(a, url="https://example.org/other/778001",
             body=a["body"].replace("Story 778001", "Story 778001 (updated)"))
    out = at_once(s, [a, b])
    acts = sorted(v["action"] for _, v in out)
    expect(acts[0] == "accept" and acts[1] != "accept",
           "near copies: %r" % [v for _, v in out])
    flood = [story(779000 + i, submitter="flood-in-flight")
             for i in range(24)]
    out = at_once(s, flood)
    fired = sorted(v["id"] for _, v in out
                   if any(h["rule"] == "SUBMITTER_FLOOD" for h in v["hits"]))
    ids = sorted(v["id"] for _, v in out)
    expect(fired == ids[20:], "flood from the 21st: %r of %r" % (fired, ids))


# ---- malformed and slow clients --------------------------------------------

def raw(port, data, read=True, timeout=10):
    """Sends raw bytes; returns the first response bytes ('' if closed)."""
    c = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        c.sendall(data)
        if not read:
            return c
        try:
            return c.recv(65536).decode("latin-1")
        except (ConnectionResetError, socket.timeout):
            return ""
    finally:
        if read:
            c.close()


@test
def malformed_and_slow_clients(ctx):
    s = ctx["main"]
    head = ("POST /v1/items HTTP/1.1\r\nHost: x\r\nContent-Type: "
            "application/json\r\n")
    # Slow clients that never finish: headers half sent, or a body cut
    # short.  They hold sockets, never a thread.
    slow = [raw(s.port, b"POST /v1/items HTTP/1.1\r\nHost: x\r\n",
                read=False) for _ in range(10)]
    slow += [raw(s.port, (head + "Content-Length: 500\r\n\r\n{\"ti")
                 .encode(), read=False) for _ in range(10)]
    # A truncated body: the client closes before Content-Length bytes.
    c = raw(s.port, (head + "Content-Length: 300\r\n\r\n{\"title\":")
            .encode(), read=False)
    c.close()
    # Huge headers: refused by the server, which keeps serving.
    big = raw(s.port, ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n"
                       "\r\n" % ("a" * 100000)).encode())
    expect(big == "" or re.match(r"HTTP/1\.1 (431|413|400)", big),
           "huge header answer: %r" % big[:80])
    # Invalid JSON and UTF-8 over a raw socket, one per connection.
    for body in (b'{"title": "x"', b'{"title":"\xc3\x28","body":"b"}'):
        resp = raw(s.port, (head + "Content-Length: %d\r\n\r\n" % len(body))
                   .encode() + body)
        expect(resp.startswith("HTTP/1.1 400"), "bad body: %r" % resp[:60])
    # A client that trickles its body a byte at a time, never idle long
    # enough for the idle timeout: cut off once the request has taken
    # longer than --timeout (2 s).
    trickle = raw(s.port, (head + "Content-Length: 400\r\n\r\n").encode(),
                  read=False)
    cut = threading.Event()

    def drip():
        for _ in range(40):
            try:
                trickle.sendall(b" ")
            except OSError:
                cut.set()
                return
            time.sleep(0.25)
    dripper = threading.Thread(target=drip)
    dripper.start()
    # Others are served while all of that is open.
    for i in range(20):
        st, v, _ = s.call("POST", "/v1/check", story(100 + i))
        expect(st == 200, "check during slow clients: %d" % st)
    # The idle timeout (2 s here) closes the slow ones.
    deadline = time.time() + 15
    for c in slow:
        c.settimeout(max(0.1, deadline - time.time()))
        try:
            data = c.recv(4096)
        except (socket.timeout, ConnectionResetError):
            data = None
        expect(data is not None, "a slow client was never cut off")
        c.close()
    dripper.join()
    trickle.close()
    expect(cut.is_set(), "a trickling client was never cut off")
    expect(s.call("GET", "/healthz")[0] == 200, "healthy after")


@test
def connection_limit(ctx):
    """Past --max-connections, new connections wait in the listen backlog
    and are served once a slot frees."""
    s = Server(ctx["tmp"], "conns", extra=["--max-connections", "4"])
    try:
        held = [raw(s.port, b"GET /healthz HTTP/1.1\r\n", read=False)
                for _ in range(4)]
        time.sleep(0.2)
        extra = raw(s.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
                    read=False)
        extra.settimeout(1)
        try:
            early = extra.recv(100)
        except socket.timeout:
            early = None
        expect(early is None, "a fifth connection was served: %r" % early)
        for c in held:
            c.close()
        extra.settimeout(10)
        late = extra.recv(100).decode("latin-1")
        extra.close()
        expect(late.startswith("HTTP/1.1 200"), "served once a slot freed: "
               "%r" % late[:40])
    finally:
        expect(s.stop() == 0, "clean stop")


# ---- reloads ---------------------------------------------------------------

class Load:
    """Client threads submitting until stopped; records every answer."""

    def __init__(self, s, threads=3, path="/v1/items", external=None):
        self.s, self.path, self.external = s, path, external
        self.stop_flag = threading.Event()
        self.lock = threading.Lock()
        self.answers = []   # (status, body)
        self.errors = []
        self.threads = [threading.Thread(target=self.run, args=(n,))
                        for n in range(threads)]
        for t in self.threads:
            t.start()

    def run(self, n):
        i = 0
        conn = self.s.conn()
        while not self.stop_flag.is_set():
            i += 1
            item = story(n * 1000000 + i)
            if self.external:
                item["external_id"] = "%s-%d-%d" % (self.external, n, i)
            try:
                st, v, _ = self.s.call("POST", self.path, item, conn=conn)
            except Exception as e:   # connection died (crash test)
                with self.lock:
                    self.errors.append(repr(e))
                conn.close()
                if self.stop_flag.wait(0.05):
                    break
                conn = self.s.conn()
                continue
            with self.lock:
                self.answers.append((st, v))
        conn.close()

    def stop(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join()


def wait_for(pred, what, limit=15):
    end = time.time() + limit
    while time.time() < end:
        if pred():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)


@test
def reload_under_load(ctx):
    tmp = ctx["tmp"]
    rules = os.path.join(tmp, "rules-live")
    shutil.copytree(os.path.join(ROOT, "rules"), rules)
    s = Server(tmp, "reload", rules=rules)
    try:
        old = s.call("GET", "/healthz")[1]["rules_hash"]
        load = Load(s)
        wait_for(lambda: len(load.answers) > 200, "answers before reload")
        with open(os.path.join(rules, "zz_mark.lua"), "w") as f:
            f.write('rule { name = "RELOAD_MARK", group = "test", score = 0,'
                    ' description = "added by a reload",'
                    ' check = function(item) return true end }\n')
        s.signal(signal.SIGHUP)
        wait_for(lambda: any(st == 201 and any(
            h["rule"] == "RELOAD_MARK" for h in v.get("hits", []))
            for st, v in list(load.answers)), "new rules in verdicts")
        new = s.call("GET", "/healthz")[1]["rules_hash"]
        expect(new != old, "rules hash changed")
        # A broken edit: logged, the rules in force stay.
        n0 = len(load.answers)
        with open(os.path.join(rules, "zz_mark.lua"), "w") as f:
            f.write('rule { name = "BROKEN", group = "test", score = 0,\n')
        s.signal(signal.SIGHUP)
        wait_for(lambda: "reload failed" in s.text(), "reload failure log")
        wait_for(lambda: len(load.answers) > n0 + 300, "answers after")
        load.stop()
        bad = [(st, v) for st, v in load.answers if st != 201]
        expect(not bad and not load.errors, "failed requests during "
               "reloads: %r %r" % (bad[:3], load.errors[:3]))
        last = load.answers[-1][1]
        expect(last["rules_hash"] == new and any(
            h["rule"] == "RELOAD_MARK" for h in last["hits"]),
            "old rules kept after the broken reload")
        expect("zz_mark.lua:" in s.text(), "the error names file:line")
        expect(s.call("GET", "/healthz")[1]["rules_hash"] == new,
               "workers keep the good rules")
        print("    %d submissions during two reloads, none failed"
              % len(load.answers))
    finally:
        expect(s.stop() == 0, "clean stop")


# ---- stop and crash --------------------------------------------------------

@test
def graceful_stop(ctx):
    s = Server(ctx["tmp"], "stop", extra=["--drain", "5"])
    st, v, _ = s.call("POST", "/v1/items", story(1))
    expect(st == 201, "submit before stop")
    # A submission in flight: headers and half the body sent.
    body = json.dumps(story(2)).encode()
    c = raw(s.port, b"POST /v1/items HTTP/1.1\r\nHost: x\r\nContent-Type: "
            b"application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
            + body[:20], read=False)
    time.sleep(0.2)
    s.signal(signal.SIGTERM)
    got = None
    end = time.time() + 3
    while time.time() < end and got is None:
        try:
            st, v, _ = s.call("GET", "/healthz")
            if st == 503:
                got = v
        except OSError:
            break
        time.sleep(0.05)
    expect(got and got["error"]["code"] == "shutting_down",
           "503 while stopping: %r" % (got,))
    # The request in flight finishes and is stored.
    c.sendall(body[20:])
    c.settimeout(10)
    resp = c.recv(65536).decode("latin-1")
    c.close()
    expect(resp.startswith("HTTP/1.1 201"), "in-flight submission: %r"
           % resp[:80])
    expect(s.stop() == 0, "exit status 0 after SIGTERM")
    expect("stopped" in s.text(), "stop logged")
    db = sqlite3.connect(s.db)
    expect(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok",
           "integrity after stop")
    expect(db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 2,
           "both items kept")
    db.close()


@test
def crash_keeps_answered_items(ctx):
    tmp = ctx["tmp"]
    s = Server(tmp, "crash", sync=True)
    load = Load(s, threads=4, external="crash")
    wait_for(lambda: len(load.answers) >= 300, "submissions before the kill")
    s.kill()
    load.stop()
    ok = [v["id"] for st, v in load.answers if 200 <= st < 300]
    expect(len(ok) >= 300, "only %d answered" % len(ok))
    db = sqlite3.connect(s.db)
    expect(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok",
           "integrity_check after SIGKILL")
    stored = {r[0] for r in db.execute("SELECT id FROM items")}
    db.close()
    missing = [i for i in ok if i not in stored]
    expect(not missing, "%d answered ids lost: %r" % (len(missing),
                                                      missing[:5]))
    s2 = Server(tmp, "crash2", db=s.db, sync=True)
    try:
        for i in ok[:20] + ok[-20:]:
            st, v, _ = s2.call("GET", "/v1/items/%d" % i, token=MOD)
            expect(st == 200, "item %d after restart: %d" % (i, st))
        st, v, _ = s2.call("POST", "/v1/items", story(1,
                           external_id="crash-0-1"))
        expect(st == 200 and v.get("existing"), "external ids survive")
        print("    killed after %d answered submissions (%d stored), "
              "none lost" % (len(ok), len(stored)))
    finally:
        expect(s2.stop() == 0, "clean stop after restart")


# ---- docs/api.md ------------------------------------------------------------

@test
def api_doc_examples(ctx):
    if not shutil.which("curl"):
        print("    (no curl: skipped)")
        return
    with open(os.path.join(ROOT, "docs", "api.md")) as f:
        doc = f.read()
    blocks = re.findall(r"```sh\n(.*?)```", doc, re.S)
    blocks = [b for b in blocks if "curl" in b]
    expect(len(blocks) >= 12, "api.md has %d curl examples" % len(blocks))
    s = Server(ctx["tmp"], "doc")
    env = dict(os.environ, NG="http://127.0.0.1:%d" % s.port,
               MOD_TOKEN=MOD, PUB_TOKEN=PUB, NG_DB=s.db,
               PATH=os.path.dirname(os.path.abspath(BIN)) + os.pathsep
               + os.environ.get("PATH", ""))
    try:
        for b in blocks:
            p = subprocess.run(["sh", "-e", "-c", b], env=env, cwd=ROOT,
                               capture_output=True, text=True, timeout=20)
            expect(p.returncode == 0, "example failed (%d):\n%s\n%s"
                   % (p.returncode, b, p.stderr))
            expect(p.stdout.strip(), "example printed nothing:\n" + b)
        # The queue ends as the page tells.
        want = {1: "published", 2: "accepted", 3: "rejected"}
        for i, status in want.items():
            st, v, _ = s.call("GET", "/v1/items/%d" % i, token=MOD)
            expect(st == 200 and v["status"] == status, "item %d is %r, "
                   "api.md says %s" % (i, v.get("status"), status))
        st, v, _ = s.call("GET", "/v1/items/3", token=MOD)
        expect(v["action"] == "review", "item 3 was held for review")
    finally:
        expect(s.stop() == 0, "clean stop")


def main(argv):
    names = argv[1:]
    ctx = {"tmp": tmpdir()}
    ctx["main"] = Server(ctx["tmp"], "main", extra=[
        "--max-body", "64K", "--max-items", "50", "--timeout", "2",
        "--max-header", "8K"])
    failed = 0
    try:
        for fn in TESTS:
            if names and fn.__name__ not in names:
                continue
            t = time.time()
            try:
                fn(ctx)
                print("ok    %s (%.1f s)" % (fn.__name__, time.time() - t))
            except Exception as e:   # report and go on
                failed += 1
                print("FAIL  %s: %s" % (fn.__name__, e))
    finally:
        rc = ctx["main"].stop()
        if rc != 0:
            failed += 1
            print("FAIL  main server exit status %d" % rc)
        if failed:
            print("server logs kept in " + ctx["tmp"])
        else:
            shutil.rmtree(ctx["tmp"], ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
