-- spam_history.lua -- spam signals that read the store: a submitter or a
-- linked site flooding the queue (item:history), and the learner's
-- opinion in bands (item:spam_probability).  Both fire only with a
-- store; the text signals are in spam.lua (see docs/spam.md).
--
-- Every rule scores in group "spam".

local fmt = string.format

-- Rate limits: more than *_MAX stored items in the last *_HOURS hours
-- from one submitter, or linking to one domain, are flagged.  Counts come
-- from the store (item:history), so these fire only with a store; the
-- store counts no further than COUNT_UP_TO times the limit, so a flood
-- does not make every check walk the whole flood.
local COUNT_UP_TO = 2
local SUBMITTER_MAX, SUBMITTER_HOURS = 20, 1
local DOMAIN_MAX, DOMAIN_HOURS = 50, 1

-- Learner bands: spam probability from which each band fires.
local BAYES_BANDS = {
  { name = "BAYES_99", min = 0.99, score = 6 },
  { name = "BAYES_95", min = 0.95, score = 5 },
  { name = "BAYES_80", min = 0.80, score = 3 },
}

-- Shortens a quoted match for a detail line.
local function quote(s)
  s = s:gsub("%s+", " ")
  if #s > 80 then
    s = s:sub(1, 77):gsub("[\128-\191]*$", ""):gsub("[\192-\255]$", "") .. "..."
  end
  return '"' .. s .. '"'
end

-- ---- flooding ------------------------------------------------------------

rule {
  name = "SUBMITTER_FLOOD", group = "spam", score = 4,
  description = fmt("Submitter sent more than %d items in %g hour(s)",
                    SUBMITTER_MAX, SUBMITTER_HOURS),
  check = function(item)
    if not item.submitter then return false end
    local cap = SUBMITTER_MAX * COUNT_UP_TO
    local n = item:history { submitter = true, hours = SUBMITTER_HOURS, up_to = cap }
    if n and n >= SUBMITTER_MAX then
      return true, fmt("%s sent %d%s items in the last %g hour(s)",
                       quote(item.submitter), n, n == cap and " or more" or "",
                       SUBMITTER_HOURS)
    end
  end,
}

rule {
  name = "DOMAIN_FLOOD", group = "spam", score = 3,
  description = fmt("More than %d items from one site in %g hour(s)",
                    DOMAIN_MAX, DOMAIN_HOURS),
  check = function(item)
    if not item.url then return false end
    local cap = DOMAIN_MAX * COUNT_UP_TO
    local n = item:history { domain = true, hours = DOMAIN_HOURS, up_to = cap }
    if n and n >= DOMAIN_MAX then
      return true, fmt("%d%s items from the site of %s in the last %g hour(s)",
                       n, n == cap and " or more" or "", quote(item.url), DOMAIN_HOURS)
    end
  end,
}

-- ---- the learner -----------------------------------------------------------

-- item:spam_probability() is nil without a store or before the learner
-- has enough of each class.  The bands ask it each: the engine works it
-- out once per item (a Lua cache across rules would hide from the
-- server's re-check that these rules read the store; docs/rules.md).
local function spam_probability(item)
  return item:spam_probability()
end

for i, band in ipairs(BAYES_BANDS) do
  local upper = BAYES_BANDS[i - 1] and BAYES_BANDS[i - 1].min
  rule {
    name = band.name, group = "spam", score = band.score,
    description = upper
      and fmt("The spam learner gives %g%% to %g%%", band.min * 100, upper * 100)
      or fmt("The spam learner gives %g%% or more", band.min * 100),
    check = function(item)
      local p = spam_probability(item)
      if p and p >= band.min and (not upper or p < upper) then
        return true, fmt("spam probability %.4f", p)
      end
    end,
  }
end

-- Test cases (`newsgate test`; see docs/rules.md).

-- Rate limits: a case's `earlier` items are stored first, so the history
-- holds exactly what each case says.
local function posts(n, fields)
  local t = {}
  for i = 1, n do
    local it = { title = "Post " .. i,
                 body = "Report number " .. i .. " on the town's weekly market." }
    for k, v in pairs(fields(i)) do it[k] = v end
    t[i] = it
  end
  return t
end

case {
  name = "a submitter at the hourly limit",
  earlier = posts(SUBMITTER_MAX, function() return { submitter = "busy-bot" } end),
  item = { title = "One more", body = "Yet another post.", submitter = "busy-bot" },
  hits = { "SUBMITTER_FLOOD" },
}

case {
  name = "a submitter just under the hourly limit",
  earlier = posts(SUBMITTER_MAX - 1, function() return { submitter = "busy-bot" } end),
  item = { title = "One more", body = "Yet another post.", submitter = "busy-bot" },
  misses = { "SUBMITTER_FLOOD" },
}

case {
  name = "a site at the hourly limit",
  earlier = posts(DOMAIN_MAX, function(i)
    return { url = "https://flood.example/story/" .. i, submitter = "user" .. i } end),
  item = { title = "One more", body = "Yet another post.",
           url = "https://flood.example/story/new" },
  hits = { "DOMAIN_FLOOD" },
}

case {
  name = "a site just under the hourly limit",
  earlier = posts(DOMAIN_MAX - 1, function(i)
    return { url = "https://flood.example/story/" .. i, submitter = "user" .. i } end),
  item = { title = "One more", body = "Yet another post.",
           url = "https://flood.example/story/new" },
  misses = { "DOMAIN_FLOOD" },
}

-- The learner bands: each case's store learns learn/spam.ndjson and
-- learn/ham.ndjson (12 items each) before its item is checked.  The
-- items are word mixes whose spam probability falls in one band each.
local trained = { spam = "learn/spam.ndjson", ham = "learn/ham.ndjson" }

case {
  name = "learner: spam words only", learned = trained,
  item = { title = "Mix", body = "cheap pills casino bonus jackpot" },
  hits = { "BAYES_99" }, misses = { "BAYES_95", "BAYES_80" },
}

case {
  name = "learner: spam words and one news word", learned = trained,
  item = { title = "Mix", body = "cheap pills casino bonus jackpot winner council" },
  hits = { "BAYES_95" }, misses = { "BAYES_99", "BAYES_80" },
}

case {
  name = "learner: fewer spam words", learned = trained,
  item = { title = "Mix", body = "cheap pills casino council" },
  hits = { "BAYES_80" }, misses = { "BAYES_99", "BAYES_95" },
}

case {
  name = "learner: news words", learned = trained,
  item = { title = "Mix", body = "council budget minister parliament" },
  misses = { "BAYES_99", "BAYES_95", "BAYES_80" },
}

case {
  name = "learner: untrained", item = { title = "Mix", body = "cheap pills casino bonus jackpot" },
  misses = { "BAYES_99", "BAYES_95", "BAYES_80" },
}
