-- item:lines(max): only the lines of at most `max` bytes before trimming
-- (tests/cli/item-lines-max.test); item:lines() gives them all.
rule { name = "LINES", group = "g", score = 0, description = "logs the short lines",
  check = function(item)
    for _, l in ipairs(item:lines(12)) do
      log("short", l.text, l.span[1], l.span[2])
    end
    log("all", #item:lines())
    return false
  end }
