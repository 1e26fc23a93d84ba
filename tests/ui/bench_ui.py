"""bench_ui.py -- the moderator console with a large queue (default 10,000
held items) in headless Chromium: time to the first page of rows, to the
whole queue loaded, to the first item open from the keyboard; filtering
(search, status, rule) and scrolling.  Prints medians over RUNS page
loads.  A measurement, not a test: `make bench-ui`; figures in
docs/benchmarks.md.

    python3 tests/ui/bench_ui.py [N] [RUNS]"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser as B  # noqa: E402


def fill(srv, n):
    t = time.time()
    for start in range(0, n, 1000):
        lines = []
        for i in range(start, min(n, start + 1000)):
            # Held (capitals and "!!!" score 5), each from its own
            # submitter and site so the flood rules leave them alone.
            it = B.story(i, title="COUNCIL STORY NUMBER %d UPDATED!!!" % i,
                         submitter="user%d" % i,
                         url="https://news%d.example.org/story" % i)
            lines.append(__import__("json").dumps(it))
        B.post(srv, "/v1/items", "\n".join(lines) + "\n")
    return time.time() - t


# Runs in the page: time from a filter change to the rows drawn (the
# change is handled synchronously; the next animation frame draws).
FILTER_JS = """
const [id, value, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const e = document.getElementById(id), t0 = performance.now();
e.value = value;
e.dispatchEvent(new Event(e.tagName === "SELECT" ? "change" : "input"));
const sync = performance.now() - t0;   // filtering and ordering, in JS
requestAnimationFrame(() => requestAnimationFrame(() => done([sync, performance.now() - t0])));
"""

# Scrolls the list by a screen 40 times; returns each step's time to the
# next frame drawn.
SCROLL_JS = """
const done = arguments[arguments.length - 1], list = document.getElementById("list");
const times = []; let k = 0;
function step() {
  if (k++ >= 40) return done(times);
  const t0 = performance.now();
  list.scrollTop += list.clientHeight;
  requestAnimationFrame(() => requestAnimationFrame(() => { times.push(performance.now() - t0); step(); }));
}
step();
"""


def one_load(d, base):
    from selenium.webdriver.common.by import By
    d.get(base + "/ui/?poll=600000")
    end = time.time() + 60
    while time.time() < end:
        body = d.find_element(By.TAG_NAME, "body")
        if body.get_attribute("data-loaded"):
            break
        time.sleep(0.02)
    first = float(body.get_attribute("data-first-page"))
    loaded = float(body.get_attribute("data-loaded"))
    t0 = time.time()
    from selenium.webdriver.common.action_chains import ActionChains
    ActionChains(d).send_keys("j").perform()
    while not d.find_elements(By.CSS_SELECTOR, "#item-pane h2.title"):
        time.sleep(0.005)
    opened = (time.time() - t0) * 1000
    rows = len(d.find_elements(By.CSS_SELECTOR, "#list .row"))
    return first, loaded, opened, rows


def main():
    why = B.available()
    if why:
        print("skip: " + why)
        return B.SKIP
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    srv = B.Server(B.tmpdir(), "bench")
    base = "http://127.0.0.1:%d" % srv.port
    d = None
    try:
        print("filling %d items: %.1f s" % (n, fill(srv, n)))
        d = B.browser()
        B.sign_in(d, base, poll_ms=600000)
        d.set_script_timeout(60)
        loads = [one_load(d, base) for _ in range(runs)]
        med = lambda k: statistics.median(x[k] for x in loads)  # noqa: E731
        print("items in the queue: %s (rows drawn: %d)" % (
            d.find_element("id", "count").text, loads[-1][3]))
        print("first page drawn: %.0f ms after navigation (median of %d)" % (med(0), runs))
        print("whole queue loaded: %.0f ms" % med(1))
        print("first item open after j: %.0f ms" % med(2))
        for what, id_, vals in (
                ("search", "f-search", ["story number 12", "council", "zzz", ""]),
                ("status", "f-status", ["", "accepted", "review"]),
                ("rule", "f-rule", ["TITLE_SHOUTS", ""]),
                ("order", "f-sort", ["score", "oldest", "newest"])):
            r = [d.execute_async_script(FILTER_JS, id_, v) for _ in range(3) for v in vals]
            t = [x[1] for x in r]
            print("filter by %s: median %.1f ms, max %.1f ms to the rows drawn "
                  "(of which filtering %.1f ms median)"
                  % (what, statistics.median(t), max(t),
                     statistics.median(x[0] for x in r)))
        t = d.execute_async_script(SCROLL_JS)
        print("scroll by a screen: median %.1f ms, max %.1f ms to the next frame drawn"
              % (statistics.median(t), max(t)))
    finally:
        if d:
            d.quit()
        srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
