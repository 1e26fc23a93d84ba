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
    local letters, upper = 0, 0
    for c in item.title:gmatch("%a") do
      letters = letters + 1
      if c:match("%u") then upper = upper + 1 end
    end
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
