-- Rules that misbehave; each must be reported while the others still run.
rule { name = "LOOPS_FOREVER", group = "bad", score = 1, description = "never returns",
  check = function(item) while true do end end }
rule { name = "CATCHES_BUDGET", group = "bad", score = 1, description = "pcall around a loop",
  check = function(item)
    while true do pcall(function() while true do end end) end
  end }
rule { name = "EATS_MEMORY", group = "bad", score = 1, description = "allocates without bound",
  check = function(item)
    local t = {}
    for i = 1, math.huge do t[i] = ("x"):rep(1024) .. i end
  end }
rule { name = "RUNS_SHELL", group = "bad", score = 1, description = "calls os.execute",
  check = function(item) return os.execute("touch /tmp/newsgate-pwned") end }
rule { name = "OPENS_FILE", group = "bad", score = 1, description = "calls io.open",
  check = function(item) return io.open("/etc/passwd") end }
rule { name = "LOADS_CODE", group = "bad", score = 1, description = "calls load",
  check = function(item) return load("return 1")() end }
rule { name = "MAKES_GLOBAL", group = "bad", score = 1, description = "assigns a global",
  check = function(item) counter = 1 end }
rule { name = "BAD_RESULT", group = "bad", score = 1, description = "returns a number",
  check = function(item) return 42 end }
rule { name = "STILL_RUNS", group = "good", score = 2, description = "runs after the others",
  check = function(item) return true, "title is " .. item.title end }
