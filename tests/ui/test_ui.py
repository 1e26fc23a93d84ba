"""test_ui.py -- the moderator console in headless Chromium: sign in, see
a held item and its highlighted spans, approve it from the keyboard,
reject another as spam and find both decisions in the store; new
submissions appear without a reload; a bulk reject with a reason; a
decision survives a reload; a decision made meanwhile by someone else is shown,
not overwritten; a duplicate shows its side-by-side word diff; a
moderator releases a publisher's claim with u; an uncredited copy shows
the registered source beside it; hostile
titles and bodies render as text and run nothing; the rules page draws
its charts.  Exits 77 when chromium, chromedriver or selenium is
missing.  With NEWSGATE_UI_SHOTS=DIR it saves the screenshots of
docs/ui.md there."""

import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser as B  # noqa: E402

SHOTS = os.environ.get("NEWSGATE_UI_SHOTS")

BODY = ("The harbour council met on Tuesday to discuss the ferry timetable, "
        "and what happened next surprised the twenty residents who came to "
        "listen. The chair proposed an extra evening crossing on weekdays, "
        "paid for from the parking budget, and the vote passed by seven to "
        "two. Officers said the change would start next month once the crew "
        "rota is agreed with the operator and the union.")

HOSTILE_TITLE = ('<script>window.__pwned=1</script><img src=x '
                 'onerror="window.__pwned=2">\u202eRENIW!! you won\'t believe')
HOSTILE_BODY = ('<a href="javascript:window.__pwned=3">claim your prize</a> '
                '<img src=x onerror=alert(1)> <svg onload=alert(2)></svg> '
                '<iframe src="javascript:alert(3)"></iframe> ' +
                B.story(603)["body"])


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def wait(d, fn, what, limit=10):
    end = time.time() + limit
    while time.time() < end:
        try:
            v = fn()
            if v:
                return v
        except Exception:   # element not there yet
            pass
        time.sleep(0.05)
    raise AssertionError("timed out: " + what)


def shot(d, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        d.save_screenshot(os.path.join(SHOTS, name + ".png"))


def seed(srv):
    """Files the items the test works on; returns their ids by name."""
    ids = {}
    orig = B.story(500, submitter="kim")
    items = [
        ("orig", orig),
        ("held", {"title": "THE FERRY VOTE NOBODY EXPECTED!!!", "body": BODY,
                  "url": "https://example.org/ferry", "source": "Post",
                  "submitter": "spammy"}),
        ("spam", {"title": "DOCTORS HATE THIS ONE WEIRD TRICK!!!",
                  "body": B.story(601)["body"],
                  "url": "https://example.org/bus", "submitter": "spammy"}),
        ("other", {"title": "SHOCKING TRUTH ABOUT THE MARKET!!!",
                   "body": B.story(602)["body"],
                   "url": "https://example.org/market", "submitter": "lee"}),
        ("other2", {"title": "MARKET TRADERS PROTEST TONIGHT!!!",
                    "body": B.story(605)["body"],
                    "url": "https://example.org/traders", "submitter": "lee"}),
        ("dup", dict(orig, title="Council story, again", url="https://example.org/copy",
                     body=orig["body"].replace("Story 500:", "Story 500 retold:")
                     .replace(" said on ", " told reporters on "),
                     submitter="copycat")),
        ("hostile", {"title": HOSTILE_TITLE, "body": HOSTILE_BODY,
                     "url": "javascript:alert(4)", "submitter": "<b>mallory</b>"}),
        ("hostile_html", {"title": "Markup in an HTML body", "format": "html",
                          "body": "<p>" + B.story(604)["body"] + " and what happened next"
                          "<script>window.__pwned=5</script><img src=x "
                          "onerror=\"window.__pwned=6\"></p>", "submitter": "mallory"}),
    ]
    for name, it in items:
        v = B.post(srv, "/v1/items", it)
        ids[name] = v["id"]
        ids[name + "_action"] = v["action"]
    return ids


def press(d, keys):
    from selenium.webdriver.common.action_chains import ActionChains
    ActionChains(d).send_keys(keys).perform()


def search(d, text):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    f = d.find_element(By.ID, "f-search")
    f.clear()
    f.send_keys(text)
    f.send_keys(Keys.ESCAPE)   # leaves the field; keys go to the page


def status_in_store(db, item_id):
    with sqlite3.connect("file:%s?mode=ro" % db, uri=True) as c:
        return c.execute("SELECT status, decided_by FROM items WHERE id = ?",
                         (item_id,)).fetchone()


def audit_in_store(db, item_id, what="detail"):
    with sqlite3.connect("file:%s?mode=ro" % db, uri=True) as c:
        return [r[0] for r in c.execute(
            "SELECT %s FROM audit WHERE item_id = ? ORDER BY id" % what,
            (item_id,))]


def held_item_keyboard(d, srv, ids):
    from selenium.webdriver.common.by import By
    expect(all(ids[k + "_action"] == "review" for k in ("held", "spam", "other")),
           "the two items are held: %r" % ids)
    search(d, "ferry vote")
    wait(d, lambda: len(d.find_elements(By.CSS_SELECTOR, "#list .row")) == 1,
         "the held item alone in the list")
    press(d, "j")
    title = wait(d, lambda: d.find_element(By.CSS_SELECTOR, "#item-pane h2.title"),
                 "item view")
    marks = title.find_elements(By.CSS_SELECTOR, "mark.hit")
    rules = " ".join(m.get_attribute("data-rule") for m in marks)
    expect(rules == "TITLE_SHOUTS" and marks[0].text.startswith("TITLE_SHOUTS"),
           "title span highlighted and labelled: %r" % rules)
    body = d.find_element(By.CSS_SELECTOR, "#item-pane .body mark.hit")
    expect(body.text.lower().startswith("clickbait_phrase") and
           "what happened next" in body.text.lower(),
           "body span labelled with its rule: %r" % body.text)
    d.execute_script("arguments[0].focus()", body)
    tip = body.find_element(By.CSS_SELECTOR, ".tip")
    expect(tip.is_displayed() and "score 2" in tip.text,
           "focus shows score and detail: %r" % tip.text)
    shot(d, "item")
    press(d, "a")
    wait(d, lambda: status_in_store(srv.db, ids["held"]) == ("accepted", "alice"),
         "approval in the store")
    wait(d, lambda: "learn ham" in audit_in_store(srv.db, ids["held"], "action || ' ' || detail"),
         "approval taught the learner ham")
    wait(d, lambda: d.find_element(
        By.CSS_SELECTOR, '#list .row[data-id="%d"] .r-status' % ids["held"]).text
        == "review \u2192 accepted", "approval shown in the list")


def spam_keyboard(d, srv, ids):
    from selenium.webdriver.common.by import By
    search(d, "weird trick")
    wait(d, lambda: len(d.find_elements(By.CSS_SELECTOR, "#list .row")) == 1,
         "the spam item alone in the list")
    press(d, "j")
    wait(d, lambda: "WEIRD" in d.find_element(By.CSS_SELECTOR, "#item-pane h2").text,
         "spam item open")
    press(d, "s")
    wait(d, lambda: status_in_store(srv.db, ids["spam"]) == ("rejected", "alice"),
         "spam rejection in the store")
    wait(d, lambda: d.find_element(
        By.CSS_SELECTOR, '#list .row[data-id="%d"] .r-status' % ids["spam"]).text
        == "review \u2192 rejected", "rejection shown in the list")
    expect("learn spam" in audit_in_store(srv.db, ids["spam"], "action || ' ' || detail"),
           "learned as spam: %r" % audit_in_store(srv.db, ids["spam"], "action || ' ' || coalesce(detail, '')"))


def live_and_bulk(d, srv):
    """A submission appears without a reload; two items rejected at once
    from a selection, with a reason asked for."""
    from selenium.webdriver.common.by import By
    search(d, "bulk")
    new = [B.post(srv, "/v1/items", {
        "title": "BULK NOTICE NUMBER %d TODAY!!!" % i, "body": B.story(700 + i)["body"],
        "url": "https://example.org/bulk/%d" % i, "submitter": "bulky"})["id"]
        for i in (1, 2)]
    wait(d, lambda: len(d.find_elements(By.CSS_SELECTOR, "#list .row")) == 2,
         "new submissions listed without a reload")
    d.find_element(By.ID, "sel-all").click()
    d.find_element(By.ID, "bulk-reject").click()
    reason = wait(d, lambda: d.find_element(By.ID, "reason"), "reason asked")
    reason.send_keys("bulk notices are ads\n")
    for i in new:
        wait(d, lambda: status_in_store(srv.db, i) == ("rejected", "alice"),
             "bulk rejection of #%d in the store" % i)
        expect("bulk notices are ads" in audit_in_store(srv.db, i)[-1],
               "the reason recorded")


def survives_reload(d, base, ids):
    from selenium.webdriver.common.by import By
    d.get(base + "/ui/#/item/%d" % ids["held"])
    d.refresh()
    wait(d, lambda: d.find_element(By.ID, "item-status").text == "accepted",
         "decision still shown after a reload (token kept for the session)")
    expect(not d.find_element(By.ID, "login").is_displayed(),
           "no second sign-in within the session")


def decided_elsewhere(d, srv, base, ids):
    """Bob decides an item the console has open.  Pressing a at once is
    refused by the server (409, or the poll saw bob first): either way
    bob's decision is shown and stays.  With fast polling, bob's decision
    shows without any key, and a then leaves it alone too."""
    from selenium.webdriver.common.by import By

    def check(key, name, what):
        d.execute_script("location.hash = '#/item/%d'" % ids[name])
        wait(d, lambda: key in d.find_element(By.CSS_SELECTOR, "#item-pane h2").text,
             "%s open" % name)
        B.post(srv, "/v1/items/%d/reject" % ids[name],
               {"by": "bob", "reason": "off topic"}, token=B.MOD)
        def note_text():
            # Found afresh each time: the pane may be redrawn meanwhile.
            return d.find_element(By.CSS_SELECTOR, "#item-note.conflict").text

        if what == "poll":
            wait(d, lambda: "meanwhile by bob" in note_text(),
                 "bob's decision shown by polling")
        press(d, "a")
        wait(d, lambda: "bob" in note_text(),
             "the conflict is shown, naming who decided")
        wait(d, lambda: "not changed" in d.find_element(By.ID, "status").text
             or "rejected now" in note_text(), "the press was refused")
        expect(status_in_store(srv.db, ids[name]) == ("rejected", "bob"),
               "bob's decision not overwritten (%s)" % what)

    check("MARKET", "other", "press")   # page polls every 3 s (reloaded)
    shot(d, "conflict")
    d.get(base + "/ui/?poll=200#/item/%d" % ids["held"])
    wait(d, lambda: d.find_element(By.TAG_NAME, "body").get_attribute("data-loaded"),
         "queue loaded again")
    check("TRADERS", "other2", "poll")


def duplicate_diff(d, ids):
    from selenium.webdriver.common.by import By
    d.execute_script("location.hash = '#/item/%d'" % ids["dup"])
    dup = wait(d, lambda: d.find_element(By.CSS_SELECTOR, "#item-pane .dup"),
               "duplicate section")
    pairs = dup.find_elements(By.CSS_SELECTOR, ".side-pair")
    expect(len(pairs) == 2 and all(len(p.find_elements(By.CSS_SELECTOR, ".side")) == 2
                                   for p in pairs), "side by side")
    ins = " ".join(e.text for e in dup.find_elements(By.TAG_NAME, "ins"))
    dels = " ".join(e.text for e in dup.find_elements(By.TAG_NAME, "del"))
    expect("retold" in ins and "reporters" in ins and "said" in dels,
           "word diff: ins %r del %r" % (ins, dels))
    expect("#%d" % ids["orig"] in dup.text, "names the earlier item")
    d.execute_script("arguments[0].scrollIntoView()", dup)
    shot(d, "duplicate")


def copied_source(d, srv, tmp):
    """A publisher's article is registered as a reference source; a copy
    of it sent without credit is flagged (COPIED_SOURCE names "source
    #N"), and its view shows the source's text beside the item's, as a
    word diff, fetched from GET /v1/sources/{id}."""
    import subprocess
    from selenium.webdriver.common.by import By
    art = B.story(900)
    path = os.path.join(tmp, "wire.txt")
    with open(path, "w") as f:
        f.write("Title: Wire report on the harbour\n\n" + art["body"] + "\n")
    out = subprocess.run([B.BIN, "sources", "add", "--publisher", "Example Wire",
                          "--domain", "wire.example", "--db", srv.db, path],
                         capture_output=True, text=True)
    expect(out.returncode == 0, "sources add: %s" % out.stderr)
    copy = B.post(srv, "/v1/items", {
        "title": "Our own harbour story", "submitter": "copier",
        "url": "https://blog.example.net/harbour", "source": "Blog",
        "body": art["body"] + " Readers sent us this copier's coda today."})
    expect(any(h["rule"] == "COPIED_SOURCE" for h in copy.get("hits", [])),
           "the copy is flagged: %r" % copy)
    d.execute_script("location.hash = '#/item/%d'" % copy["id"])
    box = wait(d, lambda: d.find_element(By.CSS_SELECTOR, "#item-pane .source"),
               "copied source section")
    sides = box.find_elements(By.CSS_SELECTOR, ".side-pair .side")
    expect(len(sides) == 2, "source and item side by side")
    expect("Example Wire" in sides[0].text and "Wire report" in sides[0].text,
           "the source named: %r" % sides[0].text[:200])
    expect(art["body"].split()[3] in sides[0].text, "the source's text shown")
    ins = " ".join(e.text for e in box.find_elements(By.TAG_NAME, "ins"))
    expect("coda" in ins and not box.find_elements(By.TAG_NAME, "del"),
           "only the item's own words marked: %r" % ins)
    d.execute_script("arguments[0].scrollIntoView()", box)
    shot(d, "source")


def lease_in_store(db, item_id):
    with sqlite3.connect("file:%s?mode=ro" % db, uri=True) as c:
        return c.execute("SELECT lease_by, lease_until FROM items WHERE id = ?",
                         (item_id,)).fetchone()


def release_claim(d, srv):
    """A publisher claims an item; the moderator sees the claim and
    releases it with u, and the store holds no lease any more.  A second
    u finds nothing to release."""
    from selenium.webdriver.common.by import By
    got = B.post(srv, "/v1/claim", {"by": "web1", "lease": 3600}, token=B.PUB)
    item_id = got["id"]
    expect(lease_in_store(srv.db, item_id)[0] == "web1", "claimed by web1")
    d.execute_script("location.hash = '#/item/%d'" % item_id)
    lease = wait(d, lambda: d.find_element(By.ID, "item-lease"), "the claim shown")
    expect("web1" in lease.text, "claim holder shown: %r" % lease.text)
    press(d, "u")
    wait(d, lambda: lease_in_store(srv.db, item_id) == (None, None),
         "claim released in the store")
    wait(d, lambda: not d.find_elements(By.ID, "item-lease"), "claim no longer shown")
    wait(d, lambda: "claim released" in d.find_element(By.ID, "status").text,
         "release confirmed")
    press(d, "u")
    wait(d, lambda: "not claimed" in d.find_element(By.ID, "status").text,
         "a second release finds no claim")
    d.find_element(By.ID, "act-release")   # the button is there too


def hostile_inert(d, ids):
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import NoAlertPresentException
    d.get_log("browser")   # drop what came before (409s are logged)
    d.execute_script("location.hash = '#/item/%d'" % ids["hostile"])
    wait(d, lambda: "<script>" in d.find_element(By.CSS_SELECTOR, "#item-pane h2.title").text,
         "hostile item open, its title as text")
    title = d.find_element(By.CSS_SELECTOR, "#item-pane h2.title")
    body = d.find_element(By.CSS_SELECTOR, "#item-pane .body").text
    expect("<img src=x onerror=alert(1)>" in body and "javascript:" in body,
           "body as text")
    expect(d.find_elements(By.CSS_SELECTOR, "#item-pane .odd"),
           "the bidi override is pointed out")
    label = title.find_element(By.CSS_SELECTOR, ".label").text
    expect(label == "CLICKBAIT_PHRASE", "label not reversed: %r" % label)
    time.sleep(0.5)   # give any injected handler its chance
    pane = d.find_element(By.ID, "item-pane")
    for tag in ("script", "img", "iframe", "svg", "b"):
        expect(not pane.find_elements(By.TAG_NAME, tag), "no <%s> injected" % tag)
    expect(not d.find_elements(By.CSS_SELECTOR, '[href^="javascript"], [src^="javascript"]'),
           "no javascript: link")
    expect(len(d.find_elements(By.TAG_NAME, "script")) == 1, "only the app's script")
    expect(d.execute_script("return window.__pwned") is None, "no payload ran")
    try:
        d.switch_to.alert
        raise AssertionError("an alert opened")
    except NoAlertPresentException:
        pass
    d.execute_script("location.hash = '#/item/%d'" % ids["hostile_html"])
    wait(d, lambda: "<script>window.__pwned=5" in d.find_element(
        By.CSS_SELECTOR, "#item-pane .body").text, "HTML body shown as its source")
    expect(not d.find_elements(By.CSS_SELECTOR, "#item-pane img, #item-pane script"),
           "no element from the HTML body")
    expect(d.execute_script("return window.__pwned") is None, "no payload ran")
    errs = [e for e in d.get_log("browser") if e["level"] == "SEVERE"]
    expect(not errs, "console errors: %r" % errs)
    d.execute_script("document.getElementById('item-pane').scrollTop = 0")
    shot(d, "hostile")


def rules_page(d):
    from selenium.webdriver.common.by import By
    d.execute_script("location.hash = '#/rules'")
    row = wait(d, lambda: d.find_element(By.CSS_SELECTOR, 'tr[data-rule="TITLE_SHOUTS"]'),
               "rules table")
    expect(row.find_elements(By.CSS_SELECTOR, "svg.spark rect"), "an SVG chart")
    hits = row.find_elements(By.TAG_NAME, "td")[2].text
    expect(hits == "6", "6 hits of TITLE_SHOUTS: %r" % hits)
    cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
    expect(cells[3].endswith("%") and cells[6].endswith("µs"),
           "share and time per run from /v1/rules: %r" % cells)

    shot(d, "rules")


def main():
    why = B.available()
    if why:
        print("skip: " + why)
        return B.SKIP
    tmp = B.tmpdir()
    srv = B.Server(tmp, "ui")
    base = "http://127.0.0.1:%d" % srv.port
    d = None
    t0 = time.time()
    try:
        ids = seed(srv)
        d = B.browser()
        B.sign_in(d, base)
        from selenium.webdriver.common.by import By
        wait(d, lambda: d.find_element(By.TAG_NAME, "body").get_attribute("data-loaded"),
             "queue loaded")
        shot(d, "queue")
        for step in (lambda: held_item_keyboard(d, srv, ids),
                     lambda: spam_keyboard(d, srv, ids),
                     lambda: live_and_bulk(d, srv),
                     lambda: survives_reload(d, base, ids),
                     lambda: decided_elsewhere(d, srv, base, ids),
                     lambda: duplicate_diff(d, ids),
                     lambda: release_claim(d, srv),
                     lambda: copied_source(d, srv, tmp),
                     lambda: hostile_inert(d, ids),
                     lambda: rules_page(d)):
            step()
        print("ok: console flows passed in %.1f s" % (time.time() - t0))
        return 0
    finally:
        if d:
            d.quit()
        srv.stop()


if __name__ == "__main__":
    sys.exit(main())
