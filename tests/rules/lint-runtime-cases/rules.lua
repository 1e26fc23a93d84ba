-- A case whose item makes a rule fail: `newsgate test` counts it failed.
rule { name = "NEEDS_URL", group = "g", score = 1, description = "url mentions spam",
  check = function(item) return item.url:find("spam", 1, true) ~= nil end }
case { item = { title = "t", body = "b" }, misses = { "NEEDS_URL" } }
