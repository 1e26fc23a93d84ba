-- prelude.lua -- the Lua half of the rule engine: the rule DSL.
--
-- The engine runs this chunk once per Lua state, with full access to the
-- standard library, and passes it `host`, a table of C functions.  It
-- returns the functions rule files see (`rule`, `thresholds`) and the
-- hooks the engine calls while loading a rule set (`begin`, `finish`).
-- Rule files run later, in the sandbox, and never see this chunk's
-- locals.  Load-time mistakes raise errors at level 2, so messages carry
-- the rule file's `file:line`.

local host = ...

local type, pairs, ipairs, error, tostring = type, pairs, ipairs, error, tostring
local fmt = string.format
-- The engine drops the debug library once this chunk has run.
local getinfo = debug.getinfo

-- What a rule table may hold, and the type each key must have.
local KEYS = {
  name = "string", group = "string", score = "number",
  description = "string", pattern = "string", flags = "string",
  field = "string", fields = "table", check = "function",
  mode = "string", action = "string", tags = "table",
  phase = "string", furniture = "boolean", brake = "boolean",
}
local MODES = { enforce = true, shadow = true }
local ACTIONS = { accept = true, review = true, reject = true }
local FIELDS = {
  title = true, body = true, html = true, url = true, source = true,
  author = true, submitter = true, text = true,
}

-- The rule set being loaded; `begin` starts a new one so a failed load
-- leaves the engine's current rules untouched.
local loading

local function where(level)
  local info = getinfo(level + 1, "Sl")
  if info and info.currentline and info.currentline > 0 then
    return fmt("%s:%d", info.short_src, info.currentline)
  end
  return "?"
end

local function check_fields(r)
  local fields = r.fields
  if r.field then
    if fields then error("rule " .. r.name .. ": give 'field' or 'fields', not both", 3) end
    fields = { r.field }
  end
  fields = fields or { "title", "body" }
  for i, f in ipairs(fields) do
    if not FIELDS[f] then
      error(fmt("rule %s: unknown field '%s'", r.name, tostring(f)), 3)
    end
  end
  if #fields == 0 then error("rule " .. r.name .. ": 'fields' is empty", 3) end
  return fields
end

local function validate(r)
  if type(r) ~= "table" then
    error("rule expects a table: rule { name = ..., ... }", 3)
  end
  for k, v in pairs(r) do
    local want = KEYS[k]
    if not want then
      error(fmt("rule %s: unknown key '%s'", tostring(r.name or "?"), tostring(k)), 3)
    end
    if type(v) ~= want then
      error(fmt("rule %s: '%s' must be a %s, not a %s",
        tostring(r.name or "?"), k, want, type(v)), 3)
    end
  end
  if not r.name then error("rule without a name", 3) end
  if not r.name:match("^[A-Z][A-Z0-9_]*$") then
    error(fmt("rule name '%s' must be UPPER_CASE letters, digits and _", r.name), 3)
  end
  if r.score == nil then error("rule " .. r.name .. ": missing score", 3) end
  if r.score ~= r.score or r.score == math.huge or r.score == -math.huge then
    error("rule " .. r.name .. ": score must be a finite number", 3)
  end
  if not r.group then error("rule " .. r.name .. ": missing group", 3) end
  if not r.description then error("rule " .. r.name .. ": missing description", 3) end
  if (r.pattern == nil) == (r.check == nil) then
    error("rule " .. r.name .. ": give exactly one of 'pattern' or 'check'", 3)
  end
  if r.mode and not MODES[r.mode] then
    error(fmt("rule %s: mode must be 'enforce' or 'shadow', not '%s'", r.name, r.mode), 3)
  end
  if r.phase and r.phase ~= "clean" then
    error(fmt("rule %s: phase must be 'clean', not '%s'", r.name, r.phase), 3)
  end
  if r.furniture and not r.pattern then
    error(fmt("rule %s: 'furniture' is for pattern rules; a check returns furniture = true", r.name), 3)
  end
  if r.action and not ACTIONS[r.action] then
    error(fmt("rule %s: action must be accept, review or reject, not '%s'",
      r.name, r.action), 3)
  end
end

-- rule { ... }: declares one rule.
local function rule(r)
  if not loading then error("rule() may only be called while rules load", 2) end
  validate(r)
  local first = loading.seen[r.name]
  if first then
    error(fmt("duplicate rule name '%s' (first defined at %s)", r.name, first), 2)
  end
  local def = {
    name = r.name, group = r.group, score = r.score,
    description = r.description, mode = r.mode or "enforce",
    action = r.action, check = r.check, where = where(2),
    phase = r.phase, furniture = r.furniture, brake = r.brake,
  }
  if r.pattern then
    local ok, err = host.compile(r.pattern, r.flags or "")
    if not ok then
      error(fmt("rule %s: bad pattern: %s", r.name, err), 2)
    end
    def.pattern, def.flags, def.fields = r.pattern, r.flags or "", check_fields(r)
  elseif r.flags or r.field or r.fields then
    error("rule " .. r.name .. ": 'flags' and 'field(s)' need a 'pattern'", 2)
  end
  loading.seen[r.name] = def.where
  loading.rules[#loading.rules + 1] = def
end

-- thresholds { review = N, reject = M }: the score bands for actions.
local function thresholds(t)
  if not loading then error("thresholds() may only be called while rules load", 2) end
  if type(t) ~= "table" then error("thresholds expects a table", 2) end
  for k, v in pairs(t) do
    if k ~= "review" and k ~= "reject" then
      error(fmt("thresholds: unknown key '%s'", tostring(k)), 2)
    end
    if type(v) ~= "number" then
      error(fmt("thresholds: '%s' must be a number", k), 2)
    end
  end
  local review = t.review or loading.review
  local reject = t.reject or loading.reject
  if review > reject then
    error(fmt("thresholds: review (%g) must not exceed reject (%g)", review, reject), 2)
  end
  loading.review, loading.reject = review, reject
end

-- case { ... }: a test case kept beside the rules.  Checking ignores
-- cases; `newsgate test` and `newsgate lint` read them (scripts/scan.lua).
local function case(c)
  if not loading then error("case() may only be called while rules load", 2) end
  if type(c) ~= "table" then error("case expects a table: case { item = ..., hits = ... }", 2) end
end

local function begin()
  loading = { rules = {}, seen = {}, review = 5, reject = 10 }
end

-- Hands the loaded set to the engine and forgets it here.
local function finish()
  local set = loading
  loading = nil
  return set
end

return {
  rule = rule, thresholds = thresholds, case = case, begin = begin, finish = finish,
  -- What a rule may hold, for the rule-set scanner (scripts/scan.lua).
  KEYS = KEYS, FIELDS = FIELDS, MODES = MODES, ACTIONS = ACTIONS,
}
