-- Every kind of problem `newsgate lint` finds, one per line or so.
thresholds { review = 12, reject = 8 }
local words = list("no-such-list.txt")
rule { name = "TYPO_KEY", group = "g", scroe = 1, description = "d", check = function() end }
rule { name = "NO_DESC", group = "g", score = 1, check = function() end }
rule { name = "NESTED", group = "g", score = 1, description = "d", pattern = [[(a+)+$]] }
rule { name = "SAME_ALTS", group = "g", score = 1, description = "d", pattern = [[^(a|a)*$]] }
rule { name = "DOT_STAR", group = "g", score = 1, description = "d", pattern = [[(x(.*))*y]] }
rule { name = "ATOMIC", group = "g", score = 1, description = "d", pattern = [[(?>a+)+$]] }
rule { name = "BAD_RE", group = "g", score = 1, description = "d", pattern = "abc(" }
rule { name = "BAD_FIELD", group = "g", score = 1, description = "d", pattern = "x", field = "tittle" }
rule { name = "BAD_MODE", group = "g", score = 1, description = "d", mode = "shadwo",
  check = function() end }
rule { name = "CRASHES", group = "g", score = 1, description = "d",
  check = function(item) return item.meta.missing.x end }
rule { name = "NESTED", group = "g", score = 2, description = "again", pattern = "y" }
case { item = { title = "t", body = "b" }, hits = { "NESTD" }, misses = { "ATOMIC" } }
rule { name = "LUA_CLASS", group = "g", score = 1, description = "d", pattern = "%d+ dollars" }
