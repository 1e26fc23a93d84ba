// app.js -- the moderator console's main module: sign-in, the queue page
// (filters, live updates, keyboard, decisions, bulk actions), the item
// view and the rules page.  See docs/ui.md.

import * as api from "./api.js";
import { el } from "./dom.js";
import { Queue, QueueList } from "./queue.js";
import { showItem } from "./item.js";
import { showRules } from "./rules.js";

const $ = id => document.getElementById(id);
const POLL_MS = +(new URLSearchParams(location.search).get("poll") || 3000);

const state = {
  queue: new Queue(),
  list: null,
  filter: {},
  open: null,        // item id shown
  openStatus: null,  // its status as the moderator saw it
  loaded: false,
  polled: 0,         // server time of the last poll
};

function say(text, isError) {
  const s = $("status");
  s.textContent = text;
  s.className = isError ? "error" : "";
}

// ---- queue -----------------------------------------------------------------

function readFilter() {
  state.filter = {
    status: $("f-status").value, rule: $("f-rule").value, group: $("f-group").value,
    submitter: $("f-submitter").value.trim(), search: $("f-search").value.trim(),
    sort: $("f-sort").value,
  };
}

function fillSelect(sel, values, first) {
  const cur = sel.value;
  sel.replaceChildren(el("option", { value: "" }, first),
                      ...[...values].sort().map(v => el("option", { value: v }, v)));
  sel.value = cur;
}

// Recomputes the rows shown; `fresh` true after a filter change.
function refresh(fresh) {
  if (fresh) {
    readFilter();
    for (const r of state.queue.rows.values()) r.touched = false;
  }
  const items = state.queue.select(state.filter);
  state.list.current = state.open;
  state.list.set(items);
  $("count").textContent = `${items.length} shown of ${state.queue.rows.size}`;
  $("sel-count").textContent = state.list.selected.size ? state.list.selected.size + " selected" : "";
}

function refreshChoices() {
  fillSelect($("f-rule"), state.queue.rules, "any rule");
  fillSelect($("f-group"), state.queue.groups, "any group");
}

async function loadQueue() {
  say("loading…");
  await state.queue.load(() => {
    refresh(false);
    // When the first rows were drawn (ms since navigation; bench_ui.py).
    if (!document.body.dataset.firstPage)
      document.body.dataset.firstPage = String(Math.round(performance.now()));
  });
  refreshChoices();
  state.loaded = true;
  state.polled = api.serverTime();
  document.body.dataset.loaded = String(Math.round(performance.now()));
  say("");
  setTimeout(poll, POLL_MS);
}

// New submissions (ids after the newest), and decisions others made since
// the last poll (a 2 s overlap covers the Date header's whole seconds).
async function poll() {
  try {
    const since = state.polled - 2;
    state.polled = api.serverTime();
    const fresh = await state.queue.load(null);
    const changed = await state.queue.decidedSince(since, api.who());
    if (fresh || changed.length) { refreshChoices(); refresh(false); }
    if (fresh) say(`${fresh} new`);
    if (changed.includes(state.open)) open(state.open);
  } catch (e) {
    say(e.message, true);
    if (e.status === 401) return signOut();
  }
  setTimeout(poll, POLL_MS);
}

// ---- item ------------------------------------------------------------------

function actionButtons() {
  return el("div", { class: "actions" },
    el("button", { type: "button", id: "act-approve", on: { click: () => decide("approve") } }, "Approve (a)"),
    el("button", { type: "button", id: "act-reject", on: { click: () => decide("reject") } }, "Reject… (r)"),
    el("button", { type: "button", id: "act-spam", on: { click: () => decide("spam") } }, "Spam (s)"),
    el("button", { type: "button", id: "act-release", title: "Give a publisher's claim back, so the item can be claimed again",
                   on: { click: () => release() } }, "Release claim (u)"),
    el("button", { type: "button", id: "act-select", on: { click: () => toggle(state.open) } }, "Select (x)"));
}

async function open(id) {
  state.open = id;
  state.list.current = id;
  state.list.schedule(true);
  if (location.hash !== "#/item/" + id) history.replaceState(null, "", "#/item/" + id);
  try {
    const data = await showItem($("item-pane"), id, { queue: state.queue, open, actions: actionButtons() });
    if (state.open !== id) return;
    state.openStatus = data.status;
    const row = state.queue.rows.get(id);
    if (row && row.conflict) note(row.conflict, true);
  } catch (e) {
    $("item-pane").replaceChildren(el("p", { class: "error" }, e.message));
  }
}

function note(text, isError) {
  const n = $("item-note");
  if (n) { n.textContent = text; n.className = isError ? "conflict" : "ok"; }
}

function move(step) {
  const items = state.list.items;
  if (!items.length) return;
  let i = state.list.index(state.open);
  i = i < 0 ? 0 : Math.min(items.length - 1, Math.max(0, i + step));
  state.list.reveal(i);
  open(items[i].id);
}

function toggle(id) {
  if (id === null) return;
  const s = state.list.selected;
  if (s.has(id)) s.delete(id); else s.add(id);
  refresh(false);
}

// ---- decisions -------------------------------------------------------------

const NEW_STATUS = { approve: "accepted", reject: "rejected", spam: "rejected" };

// One decision: shown at once, sent with the status the moderator saw
// (`expect`); a 409 means someone else decided first, and their decision
// is shown, not overwritten.  An item flagged as decided by someone else
// (by a 409 or by polling) is not decided on that first key press; the
// next press decides (an informed override).
async function decideOne(id, kind, reason) {
  const row = state.queue.rows.get(id);
  if (row && row.conflict && !row.override) {
    row.override = true;
    return row.conflict + " (not changed; decide again to override)";
  }
  const seen = row ? row.status : state.openStatus;
  const body = { by: api.who(), expect: seen };
  if (kind !== "approve") body.reason = reason;
  if (kind === "spam") body.spam = true;
  if (row) { row.prev = row.status; row.status = NEW_STATUS[kind]; row.pending = kind; row.touched = true; row.conflict = null; row.override = false; }
  refresh(false);
  try {
    await api.call("POST", `/v1/items/${id}/${kind === "approve" ? "approve" : "reject"}`, body);
    if (row) { row.pending = null; row.decided_by = api.who(); }
    return null;
  } catch (e) {
    if (row) { row.pending = null; row.status = row.prev; }
    if (e.status === 409 && row) {
      row.conflict = "Decided by someone else: " + e.message +
                     " (not changed; decide again to override)";
      row.override = true;   // shown now; the next press is informed
      try {
        const now = await api.call("GET", "/v1/items/" + id);
        row.status = now.status; row.decided_by = now.decided_by;
      } catch (e2) { /* keep the message */ }
      return row.conflict;
    }
    return e.message;
  } finally {
    refresh(false);
  }
}

function askReason(what) {
  return new Promise(resolve => {
    const d = $("reason-dlg"), f = $("reason-form"), input = $("reason");
    $("reason-what").textContent = what;
    input.value = "";
    const done = v => { f.onsubmit = null; $("reason-cancel").onclick = null; d.onclose = null; d.close(); resolve(v); };
    f.onsubmit = ev => { ev.preventDefault(); done(input.value.trim() || null); };
    $("reason-cancel").onclick = () => done(null);
    d.onclose = () => resolve(null);
    d.showModal();
    input.focus();
  });
}

async function decide(kind, ids) {
  ids = ids || (state.list.selected.size ? [...state.list.selected] : state.open !== null ? [state.open] : []);
  if (!ids.length) return;
  let reason = kind === "spam" ? "spam" : null;
  if (kind === "reject") {
    reason = await askReason(ids.length > 1 ? `${ids.length} items` : "#" + ids[0]);
    if (!reason) return;
  }
  const single = ids.length === 1 && ids[0] === state.open;
  if (single) {
    const st = $("item-status");
    if (st) { st.textContent = NEW_STATUS[kind]; st.className = "st st-" + NEW_STATUS[kind]; }
  }
  const errors = (await Promise.all(ids.map(id => decideOne(id, kind, reason)))).filter(Boolean);
  state.list.selected.clear();
  refresh(false);
  if (errors.length) say(errors.join("; "), true);
  else say(`${ids.length} ${kind === "approve" ? "approved" : kind === "spam" ? "rejected as spam" : "rejected"}`);
  if (single) {
    if (errors.length) open(ids[0]);
    else move(1);
  } else if (state.open !== null && ids.includes(state.open)) {
    open(state.open);
  }
}

// Releases a publisher's claim on the open item (POST .../release): the
// item becomes claimable again, by any publisher.  A 409 means it was not
// claimed (or not any more).
async function release() {
  const id = state.open;
  if (id === null) return;
  try {
    await api.call("POST", `/v1/items/${id}/release`, {});
    say(`#${id}: claim released`);
    open(id);
  } catch (e) {
    say(e.status === 409 ? `#${id} is not claimed: nothing to release` : e.message, true);
  }
}

// ---- keyboard --------------------------------------------------------------

let lastKey = "";

function onKey(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const t = ev.target;
  if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) {
    if (ev.key === "Escape") t.blur();
    return;
  }
  if (document.querySelector("dialog[open]")) return;
  const prev = lastKey;
  lastKey = ev.key;
  const keys = {
    j: () => move(1), k: () => move(-1), a: () => decide("approve"),
    r: () => decide("reject"), s: () => decide("spam"), x: () => toggle(state.open),
    u: () => release(),
    "/": () => $("f-search").focus(), "?": () => $("help").showModal(),
  };
  if (prev === "g" && (ev.key === "q" || ev.key === "r")) {
    location.hash = ev.key === "q" ? "#/queue" : "#/rules";
  } else if (keys[ev.key] && !$("queue-page").hidden) {
    keys[ev.key]();
  } else if (ev.key === "?") {
    keys["?"]();
  } else {
    return;
  }
  ev.preventDefault();
}

// ---- pages -----------------------------------------------------------------

function route() {
  const m = /^#\/item\/(\d+)$/.exec(location.hash);
  if (m && +m[1] !== state.open && state.loaded) open(+m[1]);
  const rules = location.hash === "#/rules";
  $("queue-page").hidden = rules;
  $("rules-page").hidden = !rules;
  $("nav-rules").classList.toggle("on", rules);
  $("nav-queue").classList.toggle("on", !rules);
  if (rules) showRules($("rules-page"), state.queue);
}

function signOut() {
  api.signOut();
  location.hash = "";
  location.reload();
}

async function start() {
  $("login").hidden = true;
  $("app").hidden = false;
  $("who-am-i").textContent = api.who();
  state.list = new QueueList($("list"), $("list-spacer"), { open, toggle });
  ["f-status", "f-rule", "f-group", "f-sort"].forEach(id => $(id).addEventListener("change", () => refresh(true)));
  ["f-submitter", "f-search"].forEach(id => $(id).addEventListener("input", () => refresh(true)));
  $("sel-all").addEventListener("change", ev => {
    state.list.selected = new Set(ev.target.checked ? state.list.items.map(r => r.id) : []);
    refresh(false);
  });
  $("bulk-approve").addEventListener("click", () => decide("approve", [...state.list.selected]));
  $("bulk-reject").addEventListener("click", () => decide("reject", [...state.list.selected]));
  $("bulk-spam").addEventListener("click", () => decide("spam", [...state.list.selected]));
  $("help-btn").addEventListener("click", () => $("help").showModal());
  $("help-form").addEventListener("submit", ev => { ev.preventDefault(); $("help").close(); });
  $("logout").addEventListener("click", signOut);
  document.addEventListener("keydown", onKey);
  window.addEventListener("hashchange", route);
  readFilter();
  const m = /^#\/item\/(\d+)$/.exec(location.hash);
  route();
  try {
    await loadQueue();
  } catch (e) {
    say(e.message, true);
    if (e.status === 401 || e.status === 403) return signOut();
  }
  if (m) open(+m[1]);
}

function login() {
  $("login").hidden = false;
  $("token").focus();
  $("login-form").addEventListener("submit", async ev => {
    ev.preventDefault();
    api.signIn($("token").value.trim(), $("who").value.trim());
    try {
      await api.call("GET", "/v1/stats");
    } catch (e) {
      api.signOut();
      $("login-error").textContent = e.status === 401 || e.status === 403
        ? "That token is not a moderator's token." : e.message;
      return;
    }
    start();
  });
}

if (api.signedIn()) start(); else login();
