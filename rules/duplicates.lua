-- duplicates.lua -- duplicate submissions (see docs/duplicates.md).
--
-- Exact duplicates (same canonical URL, same normalized text) are
-- rejected whatever else the item scores; near duplicates score by how
-- similar they are; a known title over a different text goes to review;
-- resubmitting something already rejected is rejected.  All look-ups see
-- rejected items too.  Without a store (plain `check`) none of these fire.

local fmt = string.format

-- Near-duplicate threshold: similarity (max of Jaccard and how much of
-- the earlier item is contained here) from which NEAR_DUPLICATE fires.
local NEAR_MIN = 0.7

local function pct(x) return math.floor(x * 100 + 0.5) end

local function describe(m)
  return fmt('#%d "%s" (%s)', m.id, m.title, m.status)
end

local function first_rejected(list)
  for _, m in ipairs(list or {}) do
    if m.status == "rejected" then return m end
  end
end

-- The emergency brake never switches these two off: their hits are exact
-- copies of stored items, and a burst of them is a flood to reject.
rule {
  name = "SAME_URL", group = "duplicate", score = 10, action = "reject",
  brake = false,
  description = "Same story URL as an earlier submission",
  check = function(item)
    local same = item:same_url()
    if same then
      return { detail = "same URL as " .. describe(same[1]), ref = same[1].id }
    end
  end,
}

rule {
  name = "SAME_TEXT", group = "duplicate", score = 10, action = "reject",
  brake = false,
  description = "Same text as an earlier submission (ignoring case, spacing, punctuation)",
  check = function(item)
    local same = item:same_text()
    if same then
      return { detail = "same text as " .. describe(same[1]), ref = same[1].id }
    end
  end,
}

-- Score 6 at NEAR_MIN rising to 10 at 0.95 and above.
local function near_score(s)
  local v = 6 + (s - NEAR_MIN) / (0.95 - NEAR_MIN) * 4
  return math.max(6, math.min(10, v))
end

rule {
  name = "NEAR_DUPLICATE", group = "duplicate", score = 6,
  description = "Near-duplicate of an earlier submission",
  check = function(item)
    if item:same_text() then return false end -- SAME_TEXT explains it
    local near = item:nearest { min = NEAR_MIN, limit = 1 }
    local d = near and near[1]
    if not d then return false end
    local detail = fmt('%d%% like #%d "%s"', pct(d.similarity), d.id, d.title)
    if d.containment > d.jaccard + 0.05 then
      detail = detail .. fmt(" (%d%% of it contained here)", pct(d.containment))
    elseif d.contained > d.jaccard + 0.05 then
      detail = detail .. fmt(" (%d%% of this inside it)", pct(d.contained))
    end
    return { score = near_score(d.similarity), detail = detail, ref = d.id }
  end,
}

rule {
  name = "SAME_TITLE_DIFFERENT_TEXT", group = "duplicate", score = 5,
  action = "review",
  description = "Title already used by an earlier submission with a different text",
  check = function(item)
    local same = item:same_title()
    if not same then return false end
    local _, nwords = item.title:gsub("%S+", "")
    if nwords < 3 then return false end -- "Letters", "Results" repeat
    local alike = {}
    for _, m in ipairs(item:nearest { min = 0.5, limit = 20 } or {}) do
      alike[m.id] = true
    end
    for _, m in ipairs(item:same_text() or {}) do alike[m.id] = true end
    for _, m in ipairs(same) do
      if not alike[m.id] then
        return { detail = "title of " .. describe(m) .. " with a different text",
                 ref = m.id }
      end
    end
  end,
}

rule {
  name = "RESUBMITTED_REJECTED", group = "duplicate", score = 10,
  action = "reject",
  description = "Resubmission of an item that was rejected",
  check = function(item)
    local m = first_rejected(item:same_url()) or first_rejected(item:same_text())
    local how = "same URL or text"
    if not m then
      m = first_rejected(item:nearest { min = NEAR_MIN, limit = 5 })
      if m then how = fmt("%d%% similar", pct(m.similarity)) end
    end
    if m then
      return { detail = fmt('resubmits rejected #%d "%s" (%s)', m.id, m.title, how),
               ref = m.id }
    end
  end,
}

-- Test cases (`newsgate test`; see docs/rules.md).  `earlier` items are
-- submitted to a fresh store before the case's item is checked.

local STORY = "The river road will get protected cycle lanes along its full "
  .. "length, the city council decided on Tuesday after a three-hour debate. "
  .. "Councillors backed the plan by 31 votes to 12. Opponents argued that "
  .. "the lanes would slow deliveries to the shops on the road; supporters "
  .. "pointed to a survey in which most residents said they would cycle more "
  .. "if the route felt safer. Work is due to begin in March and should take "
  .. "about a year, the council said."
local OTHER = "Rail fares will rise by four percent in January, the operators "
  .. "announced on Monday, blaming higher energy costs. Passenger groups "
  .. "called the rise unfair after a year of cancellations and said season "
  .. "ticket holders would pay hundreds more. The transport minister said "
  .. "the increase was below inflation and that investment in new trains "
  .. "would continue as planned over the next five years."
local LANES = { title = "Council approves cycle lanes on the river road", body = STORY,
                url = "https://news.example.org/river-road-lanes" }

case {
  name = "nothing earlier: no duplicate",
  item = LANES,
  misses = { "SAME_URL", "SAME_TEXT", "NEAR_DUPLICATE", "SAME_TITLE_DIFFERENT_TEXT",
             "RESUBMITTED_REJECTED" },
}

case {
  name = "the same story URL again",
  earlier = { LANES },
  item = { title = "River road lanes", body = OTHER,
           url = "https://news.example.org/river-road-lanes" },
  hits = { "SAME_URL" },
  misses = { "SAME_TEXT", "RESUBMITTED_REJECTED" },
  action = "reject",
}

case {
  name = "the same text under another URL",
  earlier = { LANES },
  item = { title = LANES.title, body = STORY:upper(), url = "https://other.example.com/lanes" },
  hits = { "SAME_TEXT" },
  misses = { "SAME_URL", "NEAR_DUPLICATE", "SAME_TITLE_DIFFERENT_TEXT" },
  action = "reject",
}

case {
  name = "a lightly edited copy",
  earlier = { LANES },
  item = { title = "Cycle lanes approved for the river road",
           body = STORY:gsub("Tuesday", "Wednesday"):gsub("31 votes to 12", "thirty-one votes to twelve"),
           url = "https://copy.example.net/lanes" },
  hits = { "NEAR_DUPLICATE" },
  misses = { "SAME_TEXT", "SAME_URL" },
}

case {
  name = "an unrelated story",
  earlier = { LANES },
  item = { title = "Rail fares to rise in January", body = OTHER,
           url = "https://news.example.org/fares" },
  misses = { "NEAR_DUPLICATE", "SAME_TITLE_DIFFERENT_TEXT", "SAME_URL", "SAME_TEXT" },
}

case {
  name = "a known title over another text",
  earlier = { LANES },
  item = { title = LANES.title, body = OTHER, url = "https://news.example.org/other" },
  hits = { "SAME_TITLE_DIFFERENT_TEXT" },
  misses = { "NEAR_DUPLICATE", "SAME_TEXT" },
  action = "review",
}

case {
  name = "a rejected story sent again",
  earlier = { { item = LANES, decision = "reject" } },
  item = LANES,
  hits = { "RESUBMITTED_REJECTED", "SAME_URL", "SAME_TEXT" },
  action = "reject",
}

case {
  name = "an approved story sent again is a duplicate, not a resubmission",
  earlier = { { item = LANES, decision = "approve" } },
  item = LANES,
  hits = { "SAME_URL" },
  misses = { "RESUBMITTED_REJECTED" },
}
