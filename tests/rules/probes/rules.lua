-- Ordinary rule files that once aborted, hung or leaked into other rules
-- (issue 7).  Each must end as this rule's reported error, or have no
-- effect on the others, while the other rules still run.

rule { name = "INDEX_RAISES", group = "bad", score = 1, description = "result table whose __index raises",
  check = function(item)
    return setmetatable({}, { __index = function() error("boom") end })
  end }

rule { name = "INDEX_LOOPS", group = "bad", score = 1, description = "result table whose __index never returns",
  check = function(item)
    return setmetatable({}, { __index = function() while true do end end })
  end }

rule { name = "GC_LOOPS", group = "bad", score = 1, description = "finalizer that never returns, then an error",
  check = function(item)
    setmetatable({}, { __gc = function() while true do end end })
    error("x")
  end }

rule { name = "GC_ADDED_LATE", group = "bad", score = 1, description = "__gc set after setmetatable",
  check = function(item)
    local mt = {}
    setmetatable({}, mt)
    mt.__gc = function() while true do end end
    error("late")
  end }

rule { name = "PATTERN_BACKTRACKS", group = "bad", score = 1, description = "Lua pattern with runaway backtracking",
  check = function(item)
    return item.body:find(("a-"):rep(4) .. "b") ~= nil
  end }

rule { name = "REPLACES_UPPER", group = "bad", score = 1, description = "replaces the shared string.upper",
  check = function(item)
    getmetatable("").__index.upper = function() return "hijacked" end
  end }

rule { name = "REPLACES_UPPER_RAW", group = "bad", score = 1, description = "rawset on the string library",
  check = function(item)
    rawset(string, "upper", function() return "hijacked" end)
  end }

rule { name = "EMPTIES_WORDS", group = "bad", score = 1, description = "empties the cached word list",
  check = function(item)
    local w = item:words()
    for i = #w, 1, -1 do table.remove(w, i) end
  end }

rule { name = "KEEPS_STATE", group = "bad", score = 1, description = "keeps state in the environment",
  check = function(item)
    rawset(_ENV, "seen", true)
  end }

rule { name = "NAN_SCORE", group = "bad", score = 1, description = "returns score 0/0",
  check = function(item) return { score = 0/0 } end }

rule { name = "INF_SCORE", group = "bad", score = 1, description = "returns score -1/0",
  check = function(item) return { score = -1/0 } end }

rule { name = "STRONG", group = "good", score = 100, description = "a +100 rule beside the NaN",
  check = function(item) return true end }

rule { name = "SEES_CLEAN", group = "good", score = 0, description = "sees the shared tables untouched",
  check = function(item)
    local ok = pcall(function() return seen end)
    return true, ("upper=%s words=%d seen=%s"):format(("abc"):upper(), #item:words(), tostring(ok))
  end }

rule { name = "CLOSE_LOOPS", group = "bad", score = 1, description = "to-be-closed value whose __close never returns",
  check = function(item)
    local x <close> = setmetatable({}, { __close = function() while true do end end })
    error("x")
  end }

rule { name = "TOSTRING_LOOPS", group = "bad", score = 1, description = "error object whose __tostring never returns",
  check = function(item)
    error(setmetatable({}, { __tostring = function() while true do end end }))
  end }
