// queue.js -- the review queue: every item summary the server has, loaded
// page by page (GET /v1/queue?after=), kept up to date by polling for
// newer ids, filtered and ordered in the page, and drawn as a virtual
// list (only the rows in view exist as elements, so 10,000 items scroll
// like 50).

import { call } from "./api.js";
import { el, clear } from "./dom.js";

const PAGE = 1000;
const ROW = 46;          // px; must match .row height in app.css

export class Queue {
  constructor() {
    this.rows = new Map();   // id -> summary (plus ._search, .pending, ...)
    this.maxId = 0;
    this.rules = new Set();
    this.groups = new Set();
  }

  // Adds or replaces summaries; returns how many were new.
  merge(list) {
    let fresh = 0;
    for (const r of list) {
      const old = this.rows.get(r.id);
      if (!old) fresh++;
      r._search = ((r.title || "") + "\u0000" + (r.submitter || "")).toLowerCase();
      if (old && old.pending) continue;  // a decision of ours is in flight
      if (old) { r.touched = old.touched; r.conflict = old.conflict; r.override = old.override; }
      this.rows.set(r.id, r);
      if (r.id > this.maxId) this.maxId = r.id;
      (r.rules || []).forEach(x => this.rules.add(x));
      (r.groups || []).forEach(x => this.groups.add(x));
    }
    return fresh;
  }

  // Loads every page after maxId; calls onPage() after each one.
  async load(onPage) {
    let fresh = 0;
    for (;;) {
      const page = await call("GET", `/v1/queue?after=${this.maxId}&limit=${PAGE}`);
      fresh += this.merge(page);
      if (onPage) onPage();
      if (page.length < PAGE) return fresh;
    }
  }

  // Fetches the items a person decided at or after `since` (unix
  // seconds, server time) and merges them; marks and returns the ids
  // whose status changed here (decided by someone other than `me`).
  async decidedSince(since, me) {
    const page = await call("GET", `/v1/queue?decided_since=${since}&limit=${PAGE}`);
    const before = new Map(page.map(r => [r.id, (this.rows.get(r.id) || {}).status]));
    this.merge(page);
    const changed = page.filter(r => before.get(r.id) && this.rows.get(r.id) === r &&
                                     before.get(r.id) !== r.status && r.decided_by !== me);
    for (const r of changed)
      r.conflict = `Decided meanwhile by ${r.decided_by}: ${r.status}`;
    return changed.map(r => r.id);
  }

  // The summaries that pass filter f, ordered by f.sort.  Items decided
  // in this session stay in view (marked) until the filter changes.
  select(f) {
    const q = (f.search || "").toLowerCase(), sub = (f.submitter || "").toLowerCase();
    const out = [];
    for (const r of this.rows.values()) {
      if (f.status && r.status !== f.status && !r.touched) continue;
      if (f.rule && !(r.rules || []).includes(f.rule)) continue;
      if (f.group && !(r.groups || []).includes(f.group)) continue;
      if (sub && (r.submitter || "").toLowerCase() !== sub) continue;
      if (q && !r._search.includes(q)) continue;
      out.push(r);
    }
    if (f.sort === "score") out.sort((a, b) => b.score - a.score || b.id - a.id);
    else if (f.sort === "oldest") out.sort((a, b) => a.id - b.id);
    else out.sort((a, b) => b.id - a.id);
    return out;
  }

  // A submitter's other items, newest first.
  history(submitter, exceptId, limit) {
    const out = [];
    for (const r of this.rows.values())
      if (r.submitter === submitter && r.id !== exceptId) out.push(r);
    return out.sort((a, b) => b.id - a.id).slice(0, limit);
  }
}

const FILED = { accept: "accepted", review: "review", reject: "rejected" };

// The status, after the rules' action when a person changed it
// ("review → accepted"); "…" while a decision is in flight.
function statusText(r) {
  const s = FILED[r.action] === r.status || !r.action ? r.status
                                                      : `${r.action} → ${r.status}`;
  return r.pending ? s + "…" : s;
}

// The virtual list of the queue pane.
export class QueueList {
  constructor(box, spacer, handlers) {
    this.box = box;
    this.spacer = spacer;
    this.h = handlers;      // open(id), toggle(id)
    this.items = [];
    this.current = null;    // id of the open item
    this.selected = new Set();
    this.drawn = -1;
    box.addEventListener("scroll", () => this.schedule());
    window.addEventListener("resize", () => this.schedule(true));
  }

  set(items) {
    this.items = items;
    this.spacer.style.height = items.length * ROW + "px";
    this.schedule(true);
  }

  schedule(force) {
    if (force) this.drawn = -1;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  index(id) {
    return this.items.findIndex(r => r.id === id);
  }

  // Scrolls row i into view.
  reveal(i) {
    const top = i * ROW, bottom = top + ROW;
    if (top < this.box.scrollTop) this.box.scrollTop = top;
    else if (bottom > this.box.scrollTop + this.box.clientHeight)
      this.box.scrollTop = bottom - this.box.clientHeight;
    this.schedule(true);
  }

  draw() {
    const first = Math.max(0, Math.floor(this.box.scrollTop / ROW) - 5);
    const last = Math.min(this.items.length,
      first + Math.ceil(this.box.clientHeight / ROW) + 10);
    const key = first + ":" + last;
    if (key === this.drawn) return;
    this.drawn = key;
    clear(this.spacer);
    for (let i = first; i < last; i++) this.spacer.append(this.row(this.items[i], i));
  }

  row(r, i) {
    const cls = ["row", "rs-" + r.status];
    if (r.id === this.current) cls.push("current");
    if (r.touched) cls.push("decided");
    if (r.conflict) cls.push("conflict");
    const box = el("input", { type: "checkbox", "aria-label": "select #" + r.id,
                              checked: this.selected.has(r.id) });
    box.addEventListener("click", ev => { ev.stopPropagation(); this.h.toggle(r.id); });
    const e = el("div", { class: cls.join(" "), role: "option", "data-id": r.id,
                          "aria-selected": r.id === this.current ? "true" : "false" },
      box,
      el("span", { class: "r-title ut" }, r.title),
      el("span", { class: "r-sub ut" }, r.submitter || "—"),
      el("span", { class: "r-score" }, (+r.score).toFixed(1)),
      el("span", { class: "r-status", title: "the rules said " + r.action },
         statusText(r)),
      el("span", { class: "r-rules" }, (r.rules || []).join(" ")));
    e.style.top = i * ROW + "px";
    e.addEventListener("click", () => this.h.open(r.id));
    return e;
  }
}
