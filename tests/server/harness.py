"""harness.py -- starts `newsgate serve` on a free loopback port and talks
to it over real HTTP (standard library only: http.client, socket,
subprocess).  Used by test_server.py."""

import http.client
import json
import os
import random
import re
import signal
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("NEWSGATE_BIN", os.path.join(ROOT, "newsgate"))
RULES = os.path.join(ROOT, "rules")
MOD, PUB, SUB = "mod-token-1234", "pub-token-5678", "sub-token-9012"


class Server:
    """One server process with its own database and log file."""

    def __init__(self, tmp, name="srv", db=None, rules=RULES, extra=(),
                 sync=False):
        self.tmp = tmp
        self.db = db or os.path.join(tmp, name + ".db")
        self.log_path = os.path.join(tmp, name + ".log")
        self.rules = rules
        tokens = os.path.join(tmp, "tokens")
        with open(tokens, "w") as f:
            f.write("# test tokens\n%s moderator\n%s publisher\n"
                    "%s submitter\n" % (MOD, PUB, SUB))
        args = [BIN, "serve", "--listen", "127.0.0.1:0", "--db", self.db,
                "--rules", rules, "--threads", "2", "--tokens", tokens]
        if not sync:
            args.append("--no-sync")
        args += list(extra)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                     stderr=self.log)
        self.port = self._wait_port()

    def _wait_port(self):
        for _ in range(500):
            m = re.search(r"listening on http://[0-9.]+:(\d+)", self.text())
            if m:
                return int(m.group(1))
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + self.text())
            time.sleep(0.01)
        raise RuntimeError("server did not start: " + self.text())

    def text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def conn(self, timeout=20):
        return http.client.HTTPConnection("127.0.0.1", self.port,
                                          timeout=timeout)

    def call(self, method, path, body=None, token=None,
             ctype="application/json", headers=None, conn=None):
        """Returns (status, parsed JSON or text, headers)."""
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        if body is not None:
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body)
            if ctype:
                h["Content-Type"] = ctype
        c = conn or self.conn()
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read().decode("utf-8", "replace")
            hdrs = dict(r.getheaders())
        finally:
            if conn is None:
                c.close()
        try:
            return r.status, json.loads(data), hdrs
        except ValueError:
            return r.status, data, hdrs

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.log.close()
        return rc

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self.log.close()


def tmpdir():
    return tempfile.mkdtemp(prefix="ng-serve-")


WORDS = ("council school road park ferry library budget museum harbour "
         "station bridge market garden hospital river bakery festival "
         "teacher nurse driver farmer mayor judge reporter pupil student "
         "visitor tenant owner worker voted opened closed repaired planned "
         "delayed praised questioned announced approved rejected funded "
         "moved painted built cleaned measured counted visited reported "
         "north south east west old new small large quiet busy early late "
         "winter summer spring autumn monday tuesday friday weekend night "
         "morning evening city village county island valley hill coast "
         "price cost plan vote rule law fee tax grant loan fund award").split()


def story(i, **kw):
    """A news item of about 60 words, different for every i (so the
    duplicate rules leave it alone)."""
    rnd = random.Random(i)
    words = [rnd.choice(WORDS) for _ in range(60)]
    body = "Story %d: %s. The %s said on %s." % (
        i, " ".join(words), rnd.choice(WORDS), rnd.choice(WORDS))
    d = {"title": "Council story %d" % i, "body": body,
         "url": "https://example.org/news/%d" % i,
         "source": "Example Post", "author": "Kim Lee",
         "submitter": "user%d" % (i % 17)}
    d.update(kw)
    return d
