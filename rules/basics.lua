-- basics.lua -- starter rules: the shape of a submission.
--
-- These show the rule DSL end to end: a declarative pattern (matched in C
-- with PCRE2), check functions using the item's cached analysis, a shadow
-- rule and the score bands.  Copy and edit them; see docs/rules.md.

thresholds { review = 5, reject = 10 }

rule {
  name = "TITLE_ALL_CAPS", group = "style", score = 3,
  description = "Title is written in capital letters",
  check = function(item)
    -- Counted in C (as %a and %u would); a loop over each letter in Lua
    -- costs ten times more.
    local letters, upper = item:letters("title")
    if letters >= 8 and upper / letters >= 0.9 then
      return true, ("%d of %d letters are capitals"):format(upper, letters)
    end
  end,
}

rule {
  name = "TITLE_SHOUTS", group = "style", score = 2,
  description = "Title ends in a run of exclamation or question marks",
  pattern = [[[!?]{2,}\s*$]], field = "title",
}

rule {
  name = "BODY_TOO_SHORT", group = "quality", score = 4,
  description = "Body is too short to be a news story",
  check = function(item)
    local n = item:wordcount("body")
    if n < 40 then
      return true, ("body has %d words; a story needs at least 40"):format(n)
    end
  end,
}

rule {
  name = "LINK_STUFFED", group = "spam", score = 5,
  description = "Body is stuffed with links",
  check = function(item)
    local links = #item:links()
    local words = item:wordcount()
    if links >= 6 or (links >= 3 and links * 100 > words * 3) then
      return true, ("%d links in %d words"):format(links, words)
    end
  end,
}

rule {
  name = "MANY_DOMAINS", group = "spam", score = 3,
  description = "Links point to many different sites",
  check = function(item)
    local d = item:domains()
    if #d >= 4 then
      return true, ("links to %d sites: %s"):format(#d, table.concat(d, ", ", 1, 4))
    end
  end,
}

rule {
  name = "CLICKBAIT_PHRASE", group = "spam", score = 2,
  description = "Clickbait wording",
  pattern = [[\b(you won'?t believe|what happened next|doctors hate|one weird trick|shocking truth)\b]],
  flags = "i", fields = { "title", "body" },
}

rule {
  name = "NO_URL", group = "attribution", score = 1, mode = "shadow",
  description = "Submission gives no link to the original story",
  check = function(item)
    return item.url == nil
  end,
}

-- Test cases (`newsgate test`; see docs/rules.md) -----------------------

-- A body long enough to be a story, with one link.
local STORY = "The city council approved a budget of four million for school "
  .. "repairs on Tuesday, after a debate that lasted three hours. The mayor "
  .. "said the money would go to roofs and heating first, and that work "
  .. "would start in March. Opponents said the plan came too late for this "
  .. "winter. The plan is at https://council.example.gov/budget."

case {
  name = "an ordinary story hits nothing",
  item = { title = "Council approves school repair budget", body = STORY,
           url = "https://news.example.org/budget" },
  misses = { "TITLE_ALL_CAPS", "TITLE_SHOUTS", "BODY_TOO_SHORT", "LINK_STUFFED",
             "MANY_DOMAINS", "CLICKBAIT_PHRASE", "NO_URL" },
  action = "accept",
}

case {
  name = "a shouted title",
  item = { title = "COUNCIL APPROVES SCHOOL BUDGET!!", body = STORY,
           url = "https://news.example.org/budget" },
  hits = { "TITLE_ALL_CAPS", "TITLE_SHOUTS" },
  misses = { "BODY_TOO_SHORT" },
  action = "review",
}

case {
  name = "a short title in capitals is not shouting",
  item = { title = "NASA budget", body = STORY, url = "https://news.example.org/nasa" },
  misses = { "TITLE_ALL_CAPS" },
}

case {
  name = "a two-line body",
  item = { title = "Budget approved", body = "The council approved the budget. More soon." },
  hits = { "BODY_TOO_SHORT", "NO_URL" },
}

case {
  name = "a body stuffed with links to many sites",
  item = { title = "Great offers today", body = "Deals at https://a.example/1 "
    .. "https://b.example/2 https://c.example/3 https://d.example/4 "
    .. "https://e.example/5 and https://f.example/6 while they last." },
  hits = { "LINK_STUFFED", "MANY_DOMAINS" },
}

case {
  name = "three links in 74 words are stuffed, but to one site",
  item = { title = "Council budget explained", body = STORY
    .. " See https://council.example.gov/a and https://council.example.gov/b." },
  hits = { "LINK_STUFFED" },
  misses = { "MANY_DOMAINS" },
}

case {
  name = "clickbait wording in the title",
  item = { title = "You won't believe what the council did", body = STORY,
           url = "https://news.example.org/budget" },
  hits = { "CLICKBAIT_PHRASE" },
  misses = { "NO_URL" },
}
