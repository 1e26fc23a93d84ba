-- Cases that are themselves wrong: lint and test report each.
rule { name = "SAYS_HI", group = "g", score = 1, description = "says hi", pattern = "hi" }
case { item = { title = "hi", body = "b" }, hit = { "SAYS_HI" } }
case { item = { title = "hi", body = "b" }, hits = { "SAYS_HI" }, action = "rejected" }
case { item = { title = "hi", body = "b" }, file = "x.json", misses = { "SAYS_HI" } }
case { earlier = { { item = { title = "a", body = "b" }, decision = "rejected" } },
  item = { title = "ho", body = "b" }, misses = "SAYS_HI" }
case { item = { title = "hi", body = "b" }, hits = "SAYS_HI", misses = "SAYS_HI" }
case { item = { title = "x", body = "b", images = { function() end } }, misses = 1 }
