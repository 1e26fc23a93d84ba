"""browser.py -- headless Chromium (Debian's chromium + chromium-driver)
driven by selenium, against a `newsgate serve` from tests/server/harness.py.
Shared by the browser test (test_ui.py) and the measurement (bench_ui.py).
"""

import json
import os
import shutil
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "server"))
from harness import BIN, MOD, PUB, ROOT, Server, story, tmpdir  # noqa: E402,F401

SKIP = 77


def available():
    """None when the browser can run, else why not."""
    for exe in ("chromium", "chromedriver"):
        if not shutil.which(exe):
            return "no %s (make deps installs it)" % exe
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "no python3-selenium for %s" % sys.executable
    return None


def browser(width=1280, height=860):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    o = webdriver.ChromeOptions()
    o.binary_location = shutil.which("chromium")
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--window-size=%d,%d" % (width, height),
              "--disable-extensions", "--no-first-run"):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")),
                            options=o)


def post(srv, path, body, token=None):
    """POST JSON (or NDJSON text) straight to the server; returns the
    parsed answer."""
    nd = isinstance(body, str)
    req = urllib.request.Request(
        "http://127.0.0.1:%d%s" % (srv.port, path),
        data=(body if nd else json.dumps(body)).encode(), method="POST",
        headers={"Content-Type": "application/x-ndjson" if nd
                 else "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def sign_in(d, base, name="alice", poll_ms=300):
    """Opens the console (polling for new items every poll_ms) and signs
    in with the moderator token."""
    from selenium.webdriver.common.by import By
    d.get(base + "/ui/?poll=%d" % poll_ms)
    d.find_element(By.ID, "token").send_keys(MOD)
    d.find_element(By.ID, "who").send_keys(name)
    d.find_element(By.CSS_SELECTOR, "#login-form button").click()
