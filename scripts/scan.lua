-- scan.lua -- the rule-set scanner behind `newsgate lint` and `newsgate test`.
--
-- core/rulescan.c runs every rule file of a directory in the sandbox with
-- the recorders below in place of the DSL (`rule`, `thresholds`, `list`,
-- `case`).  Unlike the loader in prelude.lua they never stop at the first
-- mistake: each declaration is kept with its `file:line`, and `finish`
-- then checks the whole set at once and returns every problem found, the
-- rules with their positions and the test cases ready to run (items as
-- JSON text, so they go through the same reader as real submissions).
--
-- `host` holds C helpers: where(level) -> "file:line" of a caller,
-- compile(pattern, flags) -> true | nil, "offset N: message", and the
-- real list loader.  `api` is the prelude's table; its KEYS, FIELDS, MODES
-- and ACTIONS say what a rule may hold, so the loader and the scanner
-- agree by construction.

local host, api = ...

local type, pairs, ipairs, tostring, select = type, pairs, ipairs, tostring, select
local fmt, concat, sort = string.format, table.concat, table.sort
local KEYS, FIELDS, MODES, ACTIONS = api.KEYS, api.FIELDS, api.MODES, api.ACTIONS

local CASE_KEYS = {
  name = "string", item = "table", file = "string", earlier = "table",
  hits = "table", misses = "table", action = "string", learned = "table",
}
local LEARN_CLASSES = { spam = true, ham = true }
local THRESHOLD_KEYS = { review = "number", reject = "number" }
local DECISIONS = { approve = true, reject = true }

local rules, thresholds, cases, problems = {}, {}, {}, {}
local failed_files = 0

-- Problems -------------------------------------------------------------

local function problem(where, msg)
  local file, line = where:match("^(.-):(%d+)$")
  problems[#problems + 1] = {
    file = file or where, line = tonumber(line) or 0,
    seq = #problems, text = where .. ": " .. msg,
  }
end

-- A load-time error message, usually "file:line: message" already.
local function raw_problem(msg)
  failed_files = failed_files + 1
  local file, line = msg:match("^(.-):(%d+): ")
  problems[#problems + 1] = {
    file = file or msg, line = tonumber(line) or 0, seq = #problems, text = msg,
  }
end

-- Nearest valid key ----------------------------------------------------

local function distance(a, b)
  local prev, cur = {}, {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    cur[0] = i
    for j = 1, #b do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev, cur = cur, prev
  end
  return prev[#b]
end

-- " (did you mean 'x'?)" for the closest name in `set`, or "".
local function suggest(word, set)
  if type(word) ~= "string" then return "" end
  local best, bestd
  for k in pairs(set) do
    local d = distance(word:lower(), k:lower())
    if not bestd or d < bestd or (d == bestd and k < best) then best, bestd = k, d end
  end
  if best and bestd <= math.max(2, #word // 3) then
    return fmt(" (did you mean '%s'?)", best)
  end
  return ""
end

local function names_of(set)
  local t = {}
  for k in pairs(set) do t[#t + 1] = k end
  sort(t)
  return concat(t, ", ")
end

-- Patterns that backtrack catastrophically --------------------------------
--
-- A heuristic over the pattern text: a group that repeats without bound
-- (*, +, {n,}) and holds a quantifier of its own ((a+)+, (.*)*, (\w+\s?)*),
-- or whose alternatives can match the same text ((a|a)*, (a|ab)+).
-- Possessive quantifiers and atomic groups (?>...) cannot backtrack and
-- are not flagged.  Returns a message or nil.

local function skip_class(p, i)
  -- p[i] is "["; returns the index of the closing "]".
  local j = i + 1
  if p:sub(j, j) == "^" then j = j + 1 end
  if p:sub(j, j) == "]" then j = j + 1 end
  while j <= #p do
    local c = p:sub(j, j)
    if c == "\\" then j = j + 2
    elseif c == "[" and p:sub(j + 1, j + 1) == ":" then
      local e = p:find(":]", j + 2, true)
      j = e and e + 2 or j + 1
    elseif c == "]" then return j
    else j = j + 1 end
  end
  return #p
end

local function skip_escape(p, i)
  -- p[i] is "\"; returns the index of the escape's last character.
  local c = p:sub(i + 1, i + 1)
  if c == "Q" then
    local e = p:find("\\E", i + 2, true)
    return e and e + 1 or #p
  end
  if p:sub(i + 2, i + 2) == "{" and c:match("[xopPgkN]") then
    local e = p:find("}", i + 3, true)
    return e or #p
  end
  if c == "k" and p:sub(i + 2, i + 2):match("[<']") then
    local e = p:find("[>']", i + 3)
    return e or #p
  end
  return i + 1
end

-- Reads a quantifier at p[i]; returns its last index, whether it repeats
-- without bound (or many times) and whether it is possessive, or nil.
local function quantifier(p, i)
  local c, j, many = p:sub(i, i), i, false
  if c == "*" or c == "+" then many = true
  elseif c == "?" then many = false
  elseif c == "{" then
    local lo, comma, hi, e = p:match("^{(%d*)(,?)(%d*)}()", i)
    if not e or (lo == "" and hi == "") then return nil end
    j, many = e - 1, comma == "," and (hi == "" or tonumber(hi) >= 10)
  else return nil end
  local nxt = p:sub(j + 1, j + 1)
  if nxt == "+" then return j + 1, many, true end
  if nxt == "?" then return j + 1, many, false end
  return j, many, false
end

local function alternatives_overlap(alts)
  for a = 1, #alts do
    for b = a + 1, #alts do
      local x, y = alts[a], alts[b]
      if #x > #y then x, y = y, x end
      if x ~= "" and y:sub(1, #x) == x then return x, alts[a] == alts[b] and "" or y end
    end
  end
end

local function risky_pattern(p, extended)
  local frames = { { unb = false, alts = {}, from = 1 } }
  local last -- the atom a quantifier would apply to
  local i = 1
  while i <= #p do
    local c, top = p:sub(i, i), frames[#frames]
    local q, many, possessive = quantifier(p, i)
    if q then
      if last and many and not possessive then
        if last.unb then
          return fmt("nested quantifier: '%s' repeats a group that repeats itself "
            .. "and can backtrack catastrophically (make it possessive '++' or atomic '(?>...)')",
            p:sub(last.from, q))
        end
        local x, y = alternatives_overlap(last.alts or {})
        if x then
          return fmt("'%s' repeats alternatives that match the same text ('%s'%s) "
            .. "and can backtrack catastrophically", p:sub(last.from, q), x,
            y ~= "" and (" and '" .. y .. "'") or " twice")
        end
      end
      if many and not possessive and not (last and last.atomic) then top.unb = true end
      if last and last.unb then top.unb = true end
      last, i = nil, q + 1
    elseif c == "\\" then
      local e = skip_escape(p, i)
      last, i = { from = i }, e + 1
    elseif c == "[" then
      local e = skip_class(p, i)
      last, i = { from = i }, e + 1
    elseif c == "(" then
      local head = p:match("^%(%?[#]", i) and "comment" or p:match("^%(%?[%a%-]*%)", i)
      if head == "comment" then
        i = (p:find(")", i, true) or #p) + 1
      elseif head then
        i = i + #head -- an option setting such as (?i)
      else
        local h = p:match("^%(%?P?<[%a_][%w_]*>", i) or p:match("^%(%?'[%a_][%w_]*'", i)
          or p:match("^%(%?<?[:>=!]", i) or p:match("^%(%?[%a%-]*:", i) or "("
        frames[#frames + 1] = { unb = false, alts = {}, from = i,
          atomic = h == "(?>", body = i + #h }
        last, i = nil, i + #h
      end
    elseif c == ")" and #frames > 1 then
      frames[#frames] = nil
      top.alts[#top.alts + 1] = p:sub(top.alt or top.body, i - 1)
      -- A group holding a repeat makes the enclosing group hold one too.
      if top.unb and not top.atomic then frames[#frames].unb = true end
      last = { from = top.from, unb = top.unb and not top.atomic,
               alts = top.alts, atomic = top.atomic }
      i = i + 1
    elseif c == "|" then
      top.alts[#top.alts + 1] = p:sub(top.alt or top.body or 1, i - 1)
      top.alt, last, i = i + 1, nil, i + 1
    elseif extended and c:match("%s") then
      i = i + 1
    elseif extended and c == "#" then
      i = (p:find("\n", i, true) or #p) + 1
    else
      last, i = { from = i }, i + 1
    end
  end
end

-- Recorders: the DSL as rule files see it while being scanned ------------

local function stub_list()
  local none = function() return false end
  return setmetatable({}, {
    __index = function() return none end, __len = function() return 0 end,
  })
end

local dsl = {}

function dsl.rule(r)
  rules[#rules + 1] = { def = r, where = host.where(2) }
end

function dsl.thresholds(t)
  thresholds[#thresholds + 1] = { def = t, where = host.where(2) }
end

function dsl.case(c)
  cases[#cases + 1] = { def = c, where = host.where(2) }
end

function dsl.list(...)
  local res = table.pack(pcall(host.list, ...))
  if res[1] then return select(2, table.unpack(res, 1, res.n)) end
  problem(host.where(2), tostring(res[2]))
  return stub_list()
end

-- Checks of the whole set ----------------------------------------------------

local function check_keys(def, known, w, what)
  for k, v in pairs(def) do
    local want = known[k]
    if not want then
      problem(w, fmt("%s: unknown key '%s'%s", what, tostring(k), suggest(k, known)))
    elseif type(v) ~= want then
      problem(w, fmt("%s: '%s' must be a %s, not a %s", what, k, want, type(v)))
    end
  end
end

local function check_fields(r, w, what)
  local fields = r.fields
  if type(r.field) == "string" then
    if fields then problem(w, what .. ": give 'field' or 'fields', not both") end
    fields = { r.field }
  end
  if type(fields) ~= "table" then return end
  if #fields == 0 then problem(w, what .. ": 'fields' is empty") end
  for _, f in ipairs(fields) do
    if not FIELDS[f] then
      problem(w, fmt("%s: unknown field '%s'%s", what, tostring(f), suggest(f, FIELDS)))
    end
  end
end

-- A Lua pattern class such as %d or %a where PCRE2 is expected: PCRE2
-- reads "%d" as the two characters, so the rule would quietly never fire.
local function lua_pattern_class(p)
  if p:find("\\", 1, true) then return nil end
  return p:match("%%[aAcCdDgGlLpPsSuUwWxXbf]")
end

local function check_pattern(r, w, what)
  if type(r.pattern) ~= "string" then
    if r.flags or r.field or r.fields then
      problem(w, what .. ": 'flags' and 'field(s)' need a 'pattern'")
    end
    return
  end
  local flags = type(r.flags) == "string" and r.flags or ""
  local ok, err = host.compile(r.pattern, flags)
  if not ok then
    problem(w, fmt("%s: bad pattern: %s", what, err))
    return
  end
  local class = lua_pattern_class(r.pattern)
  if class then
    problem(w, fmt("%s: pattern has the Lua pattern class '%s', but patterns are PCRE2, "
      .. "which reads it as the two characters (%%d is \\d, %%a is \\p{L}, %%s is \\s, "
      .. "%%w is \\w)", what, class))
  end
  local risk = risky_pattern(r.pattern, flags:find("x", 1, true) ~= nil)
  if risk then problem(w, what .. ": " .. risk) end
  check_fields(r, w, what)
end

local function check_rule(r, w)
  if type(r) ~= "table" then
    problem(w, "rule expects a table: rule { name = ..., ... }")
    return
  end
  local what = "rule " .. (type(r.name) == "string" and r.name or "?")
  check_keys(r, KEYS, w, what)
  if r.name == nil then
    problem(w, "rule without a name")
  elseif type(r.name) == "string" and not r.name:match("^[A-Z][A-Z0-9_]*$") then
    problem(w, fmt("rule name '%s' must be UPPER_CASE letters, digits and _", r.name))
  end
  if r.score == nil then problem(w, what .. ": missing score")
  elseif type(r.score) == "number" and (r.score ~= r.score or r.score == math.huge
      or r.score == -math.huge) then
    problem(w, what .. ": score must be a finite number")
  end
  if r.group == nil then problem(w, what .. ": missing group") end
  if r.description == nil then problem(w, what .. ": missing description")
  elseif type(r.description) == "string" and not r.description:find("%S") then
    problem(w, what .. ": description is empty")
  end
  if (r.pattern == nil) == (r.check == nil) then
    problem(w, what .. ": give exactly one of 'pattern' or 'check'")
  end
  if type(r.mode) == "string" and not MODES[r.mode] then
    problem(w, fmt("%s: mode must be one of %s, not '%s'%s", what, names_of(MODES), r.mode,
      suggest(r.mode, MODES)))
  end
  if type(r.action) == "string" and not ACTIONS[r.action] then
    problem(w, fmt("%s: action must be one of %s, not '%s'%s", what, names_of(ACTIONS), r.action,
      suggest(r.action, ACTIONS)))
  end
  check_pattern(r, w, what)
end

local function check_rules()
  local seen, valid = {}, {}
  for _, rec in ipairs(rules) do
    check_rule(rec.def, rec.where)
    local name = type(rec.def) == "table" and rec.def.name
    if type(name) == "string" then
      if seen[name] then
        problem(rec.where, fmt("duplicate rule name '%s' (first defined at %s)", name, seen[name]))
      else
        seen[name] = rec.where
        valid[#valid + 1] = { name = name, where = rec.where }
      end
    end
  end
  return seen, valid
end

local function check_thresholds()
  local review, reject = 5, 10
  for _, rec in ipairs(thresholds) do
    local t, w = rec.def, rec.where
    if type(t) ~= "table" then
      problem(w, "thresholds expects a table: thresholds { review = N, reject = M }")
    else
      check_keys(t, THRESHOLD_KEYS, w, "thresholds")
      if type(t.review) == "number" then review = t.review end
      if type(t.reject) == "number" then reject = t.reject end
      if review > reject then
        problem(w, fmt("thresholds: review (%g) must not exceed reject (%g)", review, reject))
      end
    end
  end
end

-- Cases ----------------------------------------------------------------------

-- Item fields come first in this order when an item is shown, the rest
-- of an object's keys in byte order.
local KEY_ORDER = { title = 1, url = 2, source = 3, author = 4, submitter = 5,
                    submitted_at = 6, format = 7, body = 8 }

local function key_before(a, b)
  local ra, rb = KEY_ORDER[a] or 99, KEY_ORDER[b] or 99
  if ra ~= rb then return ra < rb end
  return a < b
end

-- Encodes a Lua value as JSON text.
local function encode(v, out)
  local t = type(v)
  if t == "string" then
    out[#out + 1] = '"' .. v:gsub('[%c"\\]', function(ch)
      if ch == '"' or ch == "\\" then return "\\" .. ch end
      return fmt("\\u%04x", ch:byte())
    end) .. '"'
  elseif t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then error("a number that is not finite") end
    out[#out + 1] = math.type(v) == "integer" and tostring(v) or fmt("%.17g", v)
  elseif t == "boolean" then
    out[#out + 1] = tostring(v)
  elseif t == "table" then
    local keys, n = {}, #v
    for k in pairs(v) do keys[#keys + 1] = k end
    if n > 0 and #keys == n then
      out[#out + 1] = "["
      for i = 1, n do
        if i > 1 then out[#out + 1] = "," end
        encode(v[i], out)
      end
      out[#out + 1] = "]"
      return
    end
    for _, k in ipairs(keys) do
      if type(k) ~= "string" then error("a table mixing list entries and keys") end
    end
    sort(keys, key_before)
    out[#out + 1] = "{"
    for i, k in ipairs(keys) do
      if i > 1 then out[#out + 1] = "," end
      encode(k, out)
      out[#out + 1] = ":"
      encode(v[k], out)
    end
    out[#out + 1] = "}"
  else
    error("a " .. t .. " value")
  end
end

local function to_json(item)
  local out = {}
  local ok, err = pcall(encode, item, out)
  if not ok then return nil, (tostring(err):gsub("^.-:%d+: ", "")) end
  return concat(out)
end

-- A list of rule names: a string or a table of strings.
local function rule_names(v, known, what, errs)
  if type(v) == "string" then v = { v } end
  if type(v) ~= "table" then return {} end -- the key check reported it
  local out = {}
  for _, name in ipairs(v) do
    if type(name) ~= "string" then
      errs[#errs + 1] = fmt("'%s' must list rule names", what)
    elseif not known[name] then
      errs[#errs + 1] = fmt("'%s' names unknown rule '%s'%s", what, name, suggest(name, known))
    else
      out[#out + 1] = name
    end
  end
  return out
end

local function convert_earlier(list, errs)
  local out = {}
  for i, e in ipairs(type(list) == "table" and list or {}) do
    local item, decision, publisher, domain = e, nil, nil, nil
    if type(e) == "table" and type(e.item) == "table" then
      item, decision = e.item, e.decision
      publisher, domain = e.publisher, e.domain
      if decision ~= nil and not DECISIONS[decision] then
        errs[#errs + 1] = fmt("earlier[%d]: decision must be approve or reject, not '%s'",
          i, tostring(decision))
      end
      if publisher ~= nil and (type(publisher) ~= "string" or decision ~= nil) then
        errs[#errs + 1] = fmt("earlier[%d]: publisher must be a string (a reference source has no decision)", i)
      end
    end
    local json, err
    if type(item) == "table" then json, err = to_json(item) end
    if not json then
      errs[#errs + 1] = fmt("earlier[%d]: item is not a table of fields%s", i,
        err and (": " .. err) or "")
    end
    out[#out + 1] = { json = json, decision = decision,
                      publisher = type(publisher) == "string" and publisher or nil,
                      domain = type(domain) == "string" and domain or nil }
  end
  return out
end

-- `learned = { spam = ..., ham = ... }`: each class is a fixture path
-- (relative to the rules directory) or a list of item tables; spam
-- entries come first, as the C side trains them in order.
local function convert_learned(learned, errs)
  local out = {}
  if type(learned) ~= "table" then return out end -- the key check reported it
  for k in pairs(learned) do
    if not LEARN_CLASSES[k] then
      errs[#errs + 1] = fmt("learned: unknown class '%s' (spam or ham)", tostring(k))
    end
  end
  for _, class in ipairs({ "spam", "ham" }) do
    local v = learned[class]
    if type(v) == "string" then
      out[#out + 1] = { file = v, spam = class == "spam" }
    elseif type(v) == "table" then
      for i, item in ipairs(v) do
        local json, err
        if type(item) == "table" then json, err = to_json(item) end
        if json then
          out[#out + 1] = { json = json, spam = class == "spam" }
        else
          errs[#errs + 1] = fmt("learned.%s[%d]: item is not a table of fields%s", class, i,
            err and (": " .. err) or "")
        end
      end
    elseif v ~= nil then
      errs[#errs + 1] = fmt("learned.%s must be a fixture path or a list of items, not a %s",
        class, type(v))
    end
  end
  return out
end

local function convert_case(rec, known, tested)
  local c, w, errs = rec.def, rec.where, {}
  if type(c) ~= "table" then
    return { where = w, name = w, error = "case expects a table", hits = {}, misses = {},
             earlier = {}, learned = {} }
  end
  for k, v in pairs(c) do
    local want = CASE_KEYS[k]
    if not want then
      errs[#errs + 1] = fmt("unknown key '%s'%s", tostring(k), suggest(k, CASE_KEYS))
    elseif type(v) ~= want and not ((k == "hits" or k == "misses") and type(v) == "string") then
      errs[#errs + 1] = fmt("'%s' must be a %s, not a %s", k, want, type(v))
    end
  end
  if (c.item == nil) == (c.file == nil) then
    errs[#errs + 1] = "give exactly one of 'item' (a table) or 'file' (a fixture path)"
  end
  if c.action ~= nil and not ACTIONS[c.action] then
    errs[#errs + 1] = fmt("action must be one of %s%s", names_of(ACTIONS), suggest(c.action, ACTIONS))
  end
  local out = {
    where = w, name = type(c.name) == "string" and c.name or w,
    file = type(c.file) == "string" and c.file or nil,
    action = ACTIONS[c.action] and c.action or nil,
    hits = rule_names(c.hits, known, "hits", errs),
    misses = rule_names(c.misses, known, "misses", errs),
    earlier = convert_earlier(c.earlier, errs),
    learned = convert_learned(c.learned, errs),
  }
  if type(c.item) == "table" then
    local json, err = to_json(c.item)
    if not json then errs[#errs + 1] = "item: " .. err end
    out.item = json
  end
  for _, n in ipairs(out.hits) do
    tested.hit[n] = true
    for _, m in ipairs(out.misses) do
      if m == n then errs[#errs + 1] = fmt("rule '%s' is in both 'hits' and 'misses'", n) end
    end
  end
  for _, n in ipairs(out.misses) do tested.miss[n] = true end
  if #errs > 0 then
    out.error = concat(errs, "; ")
    local label = out.name ~= w and (" " .. fmt("%q", out.name)) or ""
    problem(w, "case" .. label .. ": " .. out.error)
  end
  return out
end

local function check_cases(known, valid)
  local out, tested = {}, { hit = {}, miss = {} }
  for _, rec in ipairs(cases) do out[#out + 1] = convert_case(rec, known, tested) end
  for _, r in ipairs(valid) do
    if not tested.hit[r.name] then
      problem(r.where, fmt("rule %s has no test case that it must hit (case { ..., hits = { \"%s\" } })",
        r.name, r.name))
    end
    if not tested.miss[r.name] then
      problem(r.where, fmt("rule %s has no test case that it must miss (case { ..., misses = { \"%s\" } })",
        r.name, r.name))
    end
  end
  return out
end

-- Entry points for core/rulescan.c ---------------------------------------------

local function finish(dir, nfiles)
  if nfiles == 0 then
    problem(dir, "no rule files (*.lua): the rule set is empty")
  elseif #rules == 0 and failed_files == 0 then
    problem(dir, "the rule files declare no rules: the rule set is empty")
  end
  local known, valid = check_rules()
  check_thresholds()
  local out_cases = check_cases(known, valid)
  sort(problems, function(a, b)
    if a.file ~= b.file then return a.file < b.file end
    if a.line ~= b.line then return a.line < b.line end
    return a.seq < b.seq
  end)
  local texts = {}
  for i, p in ipairs(problems) do texts[i] = p.text end
  return { problems = texts, rules = valid, cases = out_cases }
end

return { dsl = dsl, problem = raw_problem, finish = finish }
