// dom.js -- the one way the console makes elements.  Text always goes in
// through textContent (or a text node), never as HTML: everything a
// submission carries is written by strangers and must stay inert.  The
// page's CSP also requires Trusted Types with no policy, so an
// accidental innerHTML assignment throws instead of parsing.

// el("td", {class: "x", title: "t"}, child, "text", ...) -> element.
// Attributes are set with setAttribute (inert for data); `on` maps event
// names to handlers.  Children: nodes, strings (as text) or null.
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "on") {
      for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    } else {
      e.setAttribute(k, v === true ? "" : String(v));
    }
  }
  add(e, children);
  return e;
}

export function add(e, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// An SVG element (charts).
export function svg(tag, attrs, ...children) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  add(e, children);
  return e;
}

export function clear(e) {
  e.replaceChildren();
  return e;
}

export function when(unix) {
  if (!unix) return "";
  return new Date(unix * 1000).toISOString().replace("T", " ").slice(0, 16);
}

// A link only for http(s) URLs; anything else (javascript:, data:) is
// shown as plain text.
export function safeLink(url) {
  let u = null;
  try { u = new URL(url); } catch (e) { u = null; }
  if (!u || (u.protocol !== "http:" && u.protocol !== "https:"))
    return el("span", { class: "ut" }, url);
  return el("a", { href: u.href, rel: "noopener noreferrer", target: "_blank",
                   class: "ut" }, url);
}
