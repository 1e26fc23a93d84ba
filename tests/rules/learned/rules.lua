-- A rule set whose cases train the learner wrongly: an unknown class, a
-- class that is neither a path nor a list, and a fixture that is missing.
rule { name = "LEARNED", group = "spam", score = 1, description = "learner says spam",
  check = function(item) local p = item:spam_probability(); return p ~= nil and p > 0.5 end }
case { name = "bad class", item = { title = "A", body = "b" }, misses = "LEARNED",
  learned = { spm = "x.ndjson" } }
case { name = "bad value", item = { title = "A", body = "b" }, hits = "LEARNED",
  learned = { spam = 3 } }
case { name = "missing fixture", item = { title = "A", body = "b" }, misses = "LEARNED",
  learned = { ham = "no-such.ndjson" } }
