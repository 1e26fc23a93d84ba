-- Mistakes that once failed silently: each must be the rule's error
-- (named in the verdict), never a quiet no-op.  FINE shows the others
-- still run.
rule { name = "FIND_TYPO", group = "g", score = 1, description = "unknown field in item:find",
  check = function(item) return item:find("x", "tittle") ~= nil end }
rule { name = "COUNT_TYPO", group = "g", score = 1, description = "unknown field in item:count",
  check = function(item) return item:count("x", "bdy") > 0 end }
rule { name = "HISTORY_TYPO", group = "g", score = 1, description = "unknown key to item:history",
  check = function(item) return item:history { submiter = true } > 5 end }
rule { name = "SPAN_OUTSIDE", group = "g", score = 1, description = "span past the end of its field",
  check = function(item) return { span = { 1, 1000 }, field = "title" } end }
rule { name = "SPAN_NO_FIELD", group = "g", score = 1, description = "span without a field",
  check = function(item) return { span = { 1, 2 } } end }
rule { name = "LUA_PATTERN", group = "g", score = 1, description = "Lua pattern given to item:find",
  check = function(item) return item:find("%d+") ~= nil end }
rule { name = "BAD_UTF8", group = "g", score = 1, description = "detail that is not UTF-8",
  check = function(item) return true, "bad \255 byte" end }
rule { name = "FINE", group = "g", score = 1, description = "still runs",
  check = function(item) return true, "ok" end }
rule { name = "HISTORY_NO_KEY", group = "g", score = 1, description = "item:history without a subject",
  check = function(item) return item:history { hours = 1 } > 5 end }
