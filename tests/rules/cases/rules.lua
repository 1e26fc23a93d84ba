-- A small rule set whose cases show every way a case can fail.
thresholds { review = 2, reject = 4 }
rule { name = "SAYS_FREE", group = "spam", score = 2, description = "mentions free",
  pattern = [[\bfree\b]], flags = "i" }
rule { name = "NO_SOURCE", group = "attribution", score = 1, description = "no source",
  check = function(item) return item.source == nil end }
rule { name = "SAME_URL_SEEN", group = "duplicate", score = 4, description = "url seen",
  check = function(item) return item:same_url() ~= nil end }

case { name = "passes", item = { title = "Free tickets", body = "b" },
  hits = { "SAYS_FREE", "NO_SOURCE" }, misses = { "SAME_URL_SEEN" }, action = "review" }
case { name = "a hit that does not happen", item = { title = "Tickets", body = "b", source = "S" },
  hits = { "SAYS_FREE" } }
case { name = "a miss that hits", item = { title = "Free", body = "b" }, misses = { "NO_SOURCE" } }
case { name = "wrong action", item = { title = "Free", body = "b" }, action = "accept" }
case { name = "earlier item makes a duplicate",
  earlier = { { title = "a", body = "b", url = "https://x.example/1" } },
  item = { title = "c", body = "d", url = "https://x.example/1", source = "S" },
  hits = { "SAME_URL_SEEN" }, misses = { "NO_SOURCE" } }
case { name = "bad item", item = { title = "only a title" }, hits = { "NO_SOURCE" } }
case { name = "fixture", file = "fixtures/free.ndjson", hits = { "SAYS_FREE" } }
case { name = "a typo", item = { title = "t", body = "b" }, hits = { "SAYS_FRE" } }
