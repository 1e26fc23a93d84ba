// item.js -- the item view: title and body with every hit's span
// highlighted and labelled by its rule, the hits table, the submitter's
// recent history, a duplicate side by side with the item it repeats
// (word-level diff), an uncredited copy beside the registered source it
// reproduces (the same diff), and the audit log.  All submission text goes in as
// text nodes (dom.js).

import { call } from "./api.js";
import { el, when, safeLink } from "./dom.js";
import { wordDiff } from "./diff.js";

const enc = new TextEncoder(), dec = new TextDecoder();
// Invisible and direction-changing characters that can disguise text.
const ODD = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

// The hits with a usable span on `field`, as [startByte, endByte, hit].
function spansOn(hits, field, len) {
  return hits.filter(h => h.field === field && Array.isArray(h.span) &&
                          h.span[0] >= 0 && h.span[0] < h.span[1] && h.span[1] <= len)
             .map(h => [h.span[0], h.span[1], h]);
}

function tip(h) {
  return `${h.rule} (${h.group}) · score ${h.score}` +
         (h.detail ? " · " + h.detail : "");
}

// `text` with the spans of hits on `field` marked.  Spans are byte
// offsets into the UTF-8 text; overlapping spans nest as separate marks
// over each piece.
export function highlighted(tag, cls, text, field, hits) {
  const bytes = enc.encode(text || "");
  const spans = spansOn(hits, field, bytes.length);
  const cuts = new Set([0, bytes.length]);
  spans.forEach(([s, e]) => { cuts.add(s); cuts.add(e); });
  const at = [...cuts].sort((a, b) => a - b);
  const out = el(tag, { class: cls + " ut" });
  for (let k = 0; k + 1 < at.length; k++) {
    const s = at[k], e = at[k + 1];
    const piece = dec.decode(bytes.subarray(s, e));
    const over = spans.filter(([a, b]) => a <= s && e <= b);
    if (!over.length) { out.append(piece); continue; }
    const h = over[over.length - 1][2];
    const starts = over.filter(([a]) => a === s).map(x => x[2].rule);
    out.append(el("mark", { class: "hit g-" + h.group, tabindex: 0,
                            title: over.map(x => tip(x[2])).join("\n"),
                            "data-rule": over.map(x => x[2].rule).join(" ") },
      starts.length ? el("span", { class: "label" }, starts.join(" · ")) : null,
      piece,
      el("span", { class: "tip", role: "tooltip" }, over.map(x => tip(x[2])).join(" | "))));
  }
  return out;
}

function hitsTable(v) {
  const rows = (v.hits || []).map(h => el("tr", { class: h.shadow ? "shadow" : null },
    el("td", {}, el("code", {}, h.rule)), el("td", {}, h.group),
    el("td", { class: "num" }, h.score),
    el("td", { class: "ut" }, h.detail || h.description || ""),
    el("td", {}, h.span ? `${h.field} ${h.span[0]}–${h.span[1]}` : "")));
  const errs = (v.errors || []).map(e => el("tr", { class: "error" },
    el("td", {}, el("code", {}, e.rule)), el("td", { colspan: 4 }, e.error)));
  return el("table", { class: "hits" },
    el("thead", {}, el("tr", {}, ["rule", "group", "score", "detail", "span"].map(t => el("th", {}, t)))),
    el("tbody", {}, rows, errs));
}

function auditTable(audit) {
  return el("table", { class: "audit" }, el("tbody", {}, (audit || []).map(a =>
    el("tr", {}, el("td", {}, when(a.at)), el("td", { class: "ut" }, a.actor),
       el("td", {}, a.action), el("td", { class: "ut" }, a.detail || "")))));
}

function historyList(rows, open) {
  if (!rows.length) return el("p", { class: "hint" }, "No other items from this submitter.");
  return el("ul", { class: "history" }, rows.map(r => el("li", {},
    el("a", { href: "#/item/" + r.id, on: { click: ev => { ev.preventDefault(); open(r.id); } } },
       "#" + r.id), " ", el("span", { class: "st st-" + r.status }, r.status), " ",
    el("span", { class: "ut" }, r.title), " ", el("small", {}, when(r.submitted_at)))));
}

// The earlier item a duplicate hit points at ("#12" in its detail).
function duplicateOf(v) {
  for (const h of v.hits || []) {
    const m = h.group === "duplicate" && /#(\d+)/.exec(h.detail || "");
    if (m) return { id: +m[1], rule: h.rule };
  }
  return null;
}

function side(label, ops, key, mark) {
  return el("div", { class: "side" }, el("h4", {}, label),
    el("p", { class: "ut diff" }, ops.filter(o => key in o).map(o =>
      o.op === "=" ? o[key] : el(mark, {}, o[key]))));
}

async function duplicateView(d, item) {
  const box = el("section", { class: "dup" }, el("h3", {}, `Duplicate (${d.rule}) of #${d.id}`));
  let other;
  try { other = await call("GET", "/v1/items/" + d.id); } catch (e) {
    box.append(el("p", { class: "error" }, e.message));
    return box;
  }
  const o = other.item || {};
  const t = wordDiff(o.title, item.title), b = wordDiff(o.body, item.body);
  box.append(el("div", { class: "sides" },
    el("div", { class: "side-pair" },
      side(`Earlier #${d.id} (${other.status})`, t, "a", "del"),
      side("This item", t, "b", "ins")),
    el("div", { class: "side-pair" },
      side("", b, "a", "del"), side("", b, "b", "ins"))));
  return box;
}

// The registered source a copy hit names ("source #7" in its detail, as
// COPIED_SOURCE writes it).
function sourceOf(v) {
  for (const h of v.hits || []) {
    const m = /\bsource #(\d+)/.exec(h.detail || "");
    if (m) return { id: +m[1], rule: h.rule };
  }
  return null;
}

async function sourceView(c, item) {
  const box = el("section", { class: "dup source" }, el("h3", {}, `Copied source (${c.rule}): source #${c.id}`));
  let src;
  try { src = await call("GET", "/v1/sources/" + c.id); } catch (e) {
    box.append(el("p", { class: "error" }, e.message));
    return box;
  }
  const label = el("span", {}, el("span", { class: "ut" }, src.publisher), " · ",
                   el("span", { class: "ut" }, src.title));
  if (src.body === undefined || src.body === null) {
    box.append(el("p", { class: "hint" }, label, ": this store kept no text for the " +
                  "source (registered before it kept texts)."));
    return box;
  }
  // Words the item shares with the source are the copied passage; words
  // only in the source are struck out, words only in the item marked.
  const b = wordDiff(src.body, item.body);
  box.append(el("div", { class: "sides" }, el("div", { class: "side-pair" },
    side(label, b, "a", "del"), side("This item", b, "b", "ins"))));
  return box;
}

// Draws item `id` into `pane`.  ctx: {queue, open(id), actions: node}.
export async function showItem(pane, id, ctx) {
  const data = await call("GET", "/v1/items/" + id);
  const it = data.item || {}, v = data.verdict || {}, hits = v.hits || [];
  const meta = el("p", { class: "meta" },
    "#" + data.id, " · by ", el("span", { class: "ut" }, it.submitter || "—"),
    it.source ? [" · source ", el("span", { class: "ut" }, it.source)] : null,
    it.author ? [" · author ", el("span", { class: "ut" }, it.author)] : null,
    " · ", it.submitted_at || "", it.url ? [" · ", safeLink(it.url)] : null,
    data.lease_until ? el("span", { id: "item-lease" }, " · claimed by ",
      el("span", { class: "ut" }, data.lease_by || "a publisher"), " until ", when(data.lease_until)) : null);
  const head = el("div", { class: "item-head" },
    highlighted("h2", "title", it.title, "title", hits), meta,
    el("p", { class: "verdict" }, el("span", { class: "st st-" + data.status, id: "item-status" }, data.status),
       ` rules said ${v.action} with score ${v.score}`,
       data.decided_by ? [" · decided by ", el("span", { class: "ut" }, data.decided_by)] : null),
    ctx.actions);
  const odd = ODD.test((it.title || "") + (it.body || "") + (it.submitter || ""));
  const parts = [head, el("div", { id: "item-note", role: "alert" }),
    odd ? el("p", { class: "odd" }, "This item contains invisible or " +
             "direction-changing characters (zero-width, bidi controls): " +
             "what you see may not read as it was typed.") : null,
    // An HTML body's spans are offsets into its text as the rules saw it
    // (markup removed), not into the markup shown here; they stay in the
    // hits table only.
    it.format === "html"
      ? [el("p", { class: "hint" }, "HTML body, shown as its source; the rules' " +
            "spans in it are listed in the hits table."),
         highlighted("div", "body", it.body, "body", [])]
      : highlighted("div", "body", it.body, "body", hits),
    el("h3", {}, "Hits"), hitsTable(v)];
  const d = duplicateOf(v);
  if (d) parts.push(await duplicateView(d, it));
  const c = sourceOf(v);
  if (c) parts.push(await sourceView(c, it));
  parts.push(el("h3", {}, "Submitter's recent items"),
             historyList(ctx.queue.history(it.submitter, data.id, 10), ctx.open),
             el("h3", {}, "Audit log"), auditTable(data.audit));
  pane.replaceChildren(...parts.flat().filter(Boolean));
  return data;
}
