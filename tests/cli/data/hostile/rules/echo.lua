-- echo.lua -- rules that repeat hostile item data in their details, names
-- of matched text and spans, so tests/scripts/cli-terminal-safety.sh can
-- check that every text output escapes it.

thresholds { review = 5, reject = 10 }

rule {
  name = "ECHO_FIELDS", group = "probe", score = 1,
  description = "Repeats the title and the submitter",
  check = function(item)
    return true, "title=" .. item.title .. " by=" .. tostring(item.submitter)
  end,
}

rule {
  name = "MATCH_ESCAPES", group = "probe", score = 2,
  description = "Matches text around the escape sequences in the body",
  pattern = [[red\x1b\[0m and\s+next]], field = "body",
}

rule {
  name = "SHADOW_ECHO", group = "probe", score = 5, mode = "shadow",
  description = "A shadow hit that repeats the body",
  check = function(item) return true, item.body end,
}
