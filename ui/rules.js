// rules.js -- the rules page: per rule, hits over time (an SVG bar chart),
// hits and share of items, agreement with moderators, errors and time per
// run.  Hits and time come from GET /v1/rules (every stored item),
// the chart and agreement from the queue summaries the console holds,
// errors from /metrics (since the server started).  What the API does not
// give (brake state) is shown as not available rather than guessed.

import { call } from "./api.js";
import { el, svg } from "./dom.js";

const BINS = 30;

// {rule -> count} from Prometheus lines name{rule="X"} N.
function counters(text, name) {
  const out = {};
  const re = new RegExp("^" + name + '\\{rule="([^"]*)"\\} ([0-9.e+]+)$', "gm");
  for (let m; (m = re.exec(text || ""));) out[m[1]] = +m[2];
  return out;
}

function chart(bins, max) {
  const W = 150, H = 30, bw = W / bins.length;
  return svg("svg", { class: "spark", width: W, height: H, viewBox: `0 0 ${W} ${H}`,
                      role: "img", "aria-label": "hits over time: " + bins.join(", ") },
    bins.map((n, i) => {
      const h = max ? Math.max(n ? 1 : 0, (n / max) * H) : 0;
      return svg("rect", { x: (i * bw).toFixed(1), y: (H - h).toFixed(1),
                           width: Math.max(1, bw - 1).toFixed(1), height: h.toFixed(1) },
                 svg("title", {}, `${n} hits`));
    }));
}

// Per-rule figures from the queue summaries.
function figures(rows) {
  let lo = Infinity, hi = -Infinity;
  for (const r of rows) { lo = Math.min(lo, r.submitted_at); hi = Math.max(hi, r.submitted_at); }
  const span = Math.max(1, hi - lo + 1), per = {};
  for (const r of rows) {
    const bin = Math.min(BINS - 1, Math.floor((r.submitted_at - lo) / span * BINS));
    for (const rule of r.rules || []) {
      const f = per[rule] || (per[rule] = { hits: 0, bins: new Array(BINS).fill(0),
                                            decided: 0, upheld: 0 });
      f.hits++;
      f.bins[bin]++;
      if (r.decided_by) {
        f.decided++;
        if (r.status === "rejected") f.upheld++;
      }
    }
  }
  return { per, lo, hi };
}

export async function showRules(page, queue) {
  const rows = [...queue.rows.values()];
  const { per, lo, hi } = figures(rows);
  let metrics = "", stats = { rules: [] };
  try { metrics = await call("GET", "/metrics"); } catch (e) { metrics = ""; }
  try { stats = await call("GET", "/v1/rules"); } catch (e) { stats = { rules: [] }; }
  const errors = counters(metrics, "newsgate_rule_errors_total");
  const st = {};
  for (const x of stats.rules || []) st[x.rule] = x;
  for (const n of Object.keys(st))
    if (!per[n]) per[n] = { hits: 0, bins: new Array(BINS).fill(0), decided: 0, upheld: 0 };
  const hitsOf = n => st[n] ? st[n].hits : per[n].hits;
  const names = Object.keys(per).sort((a, b) => hitsOf(b) - hitsOf(a) || (a < b ? -1 : 1));
  const max = Math.max(1, ...names.map(n => Math.max(...per[n].bins)));
  const pct = (a, b) => b ? (100 * a / b).toFixed(1) + "%" : "—";
  const table = el("table", { class: "rules" },
    el("thead", {}, el("tr", {}, ["rule", "hits over time", "hits", "share of items",
      "moderators agreed", "errors (since start)", "time per run", "brake"].map(t => el("th", {}, t)))),
    el("tbody", {}, names.map(n => el("tr", { "data-rule": n },
      el("td", {}, el("code", {}, n)), el("td", {}, chart(per[n].bins, max)),
      el("td", { class: "num" }, hitsOf(n)),
      el("td", { class: "num" }, pct(hitsOf(n), rows.length)),
      el("td", { class: "num", title: `${per[n].upheld} of ${per[n].decided} decided items rejected` },
         pct(per[n].upheld, per[n].decided)),
      el("td", { class: "num" }, errors[n] || 0),
      st[n] ? el("td", { class: "num", title: `at most ${st[n].worst_us} µs` },
                 Number(st[n].mean_us).toFixed(1) + " µs")
            : el("td", { class: "na" }, "n/a"),
      st[n] ? el("td", { class: st[n].braked ? "braked" : "num" },
                 st[n].braked ? "braked (newsgate rules enable)" : "enforcing")
            : el("td", { class: "na" }, "n/a")))));
  page.replaceChildren(el("h2", {}, "Rules"),
    el("p", { class: "hint" }, `${rows.length} items` +
       (rows.length ? `, ${new Date(lo * 1000).toISOString().slice(0, 10)} to ` +
                      new Date(hi * 1000).toISOString().slice(0, 10) : "") +
       `. "Moderators agreed": of the items the rule fired on that a moderator decided, ` +
       "the share rejected. A braked rule runs in shadow mode until an operator runs `newsgate rules enable`."),
    table);
}
