#!/usr/bin/env python3
"""doc-examples.py DOC.md NEWSGATE -- runs the examples of a document, so
the reference cannot drift from the code.

Fenced blocks are read in order:
  - a block whose first line is `-- example: NAME` is a rule set: its text
    goes to NAME/rules.lua; every such set must pass `newsgate test`
    (at least one case) and `newsgate lint` (no problem);
  - a block whose first line is `-- file: PATH` or `# file: PATH` is
    written to PATH (list files, items, broken rule sets);
  - a `console` block is a session: each `$ COMMAND` line runs in sh and
    the lines up to the next `$ ` are its expected standard output, after
    "timings_us" and "rules_hash" are blanked.
Everything runs in a fresh temporary directory with newsgate on PATH.
Prints one line per check and exits 1 when any fails.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(\w*)\s*$")
MARK = re.compile(r"^(?:--|#) (example|file): (\S+)\s*$")


def blocks(text):
    """Yields (language, lines, line number) of each fenced block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, body = i + 1, []
        i += 1
        while i < len(lines) and lines[i].rstrip() != "```":
            body.append(lines[i])
            i += 1
        yield m.group(1), body, start
        i += 1


def normalize(s):
    s = re.sub(r'"timings_us":\{[^}]*\}', '"timings_us":{}', s)
    s = re.sub(r'"rules_hash":"[0-9a-f]*"', '"rules_hash":""', s)
    return "\n".join(line.rstrip() for line in s.strip("\n").split("\n"))


def run(cmd, cwd, env):
    p = subprocess.run(["sh", "-c", cmd], cwd=cwd, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def sessions(lines):
    """Splits a console block into (command, expected output) pairs."""
    out, cmd, expect = [], None, []
    for line in lines:
        if line.startswith("$ "):
            if cmd is not None:
                out.append((cmd, "\n".join(expect)))
            cmd, expect = line[2:], []
        else:
            expect.append(line)
    if cmd is not None:
        out.append((cmd, "\n".join(expect)))
    return out


def main():
    doc, binary = sys.argv[1], os.path.abspath(sys.argv[2])
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    work = tempfile.mkdtemp(prefix="newsgate-doc-")
    bindir = os.path.join(work, ".bin")
    os.makedirs(bindir)
    os.symlink(binary, os.path.join(bindir, "newsgate"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"])
    env.pop("NEWSGATE_RULES", None)
    examples, consoles, failed, passed = [], [], 0, 0
    for lang, body, line in blocks(text):
        m = MARK.match(body[0]) if body else None
        if m:
            kind, name = m.groups()
            path = os.path.join(work, name, "rules.lua") if kind == "example" \
                else os.path.join(work, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "a", encoding="utf-8") as f:
                f.write("\n".join(body if kind == "example" else body[1:]) + "\n")
            if kind == "example" and name not in examples:
                examples.append(name)
        elif lang == "console":
            consoles.append((line, body))
    for name in examples:
        for cmd, want in (("test", " passed, 0 failed"), ("lint", "0 problems")):
            rc, out, err = run("newsgate %s --rules %s" % (cmd, name), work, env)
            ok = rc == 0 and want in out and not out.startswith("0 passed")
            print("%s  example %s: newsgate %s" % ("ok  " if ok else "FAIL", name, cmd))
            if not ok:
                failed += 1
                print(out + err)
            else:
                passed += 1
    for line, body in consoles:
        for cmd, want in sessions(body):
            rc, out, err = run(cmd, work, env)
            ok = normalize(out) == normalize(want)
            print("%s  %s:%d: $ %s" % ("ok  " if ok else "FAIL", doc, line, cmd))
            if not ok:
                failed += 1
                print("--- expected\n%s\n--- got (status %d)\n%s\n%s" %
                      (want, rc, out, err))
            else:
                passed += 1
    shutil.rmtree(work)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
