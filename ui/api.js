// api.js -- the console's only way out: the server's JSON API, with the
// moderator's bearer token.  The token is entered once and kept in
// sessionStorage (this tab's session only; gone when the tab closes).

const TOKEN = "newsgate.token", WHO = "newsgate.who";

// The server's clock (unix seconds) as of the last answer, from its Date
// header; 0 before the first.  Used to ask for changes since then without
// trusting the browser's clock.
let serverNow = 0;

export function serverTime() {
  return serverNow;
}

export function signedIn() {
  return !!sessionStorage.getItem(TOKEN);
}

export function who() {
  return sessionStorage.getItem(WHO) || "";
}

export function signIn(token, name) {
  sessionStorage.setItem(TOKEN, token);
  sessionStorage.setItem(WHO, name);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(WHO);
}

// An API error: .status (HTTP), .code (the API's error code).
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// Calls the API; resolves to the parsed JSON (or text), rejects with an
// ApiError.
export async function call(method, path, body) {
  const headers = { Authorization: "Bearer " + sessionStorage.getItem(TOKEN) };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let r;
  try {
    r = await fetch(path, {
      method, headers, cache: "no-store", credentials: "omit",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, "network", "the server cannot be reached");
  }
  const date = Date.parse(r.headers.get("Date") || "");
  if (!isNaN(date)) serverNow = Math.floor(date / 1000);
  const text = await r.text();
  let data = text;
  try { data = JSON.parse(text); } catch (e) { /* text, e.g. /metrics */ }
  if (!r.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(r.status, err.code || "http",
                       err.message || "HTTP " + r.status);
  }
  return data;
}
