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

-- Empty lists and pictures are one shared read-only view (lua_item.c):
-- a rule cannot write into it, so the next item still sees it empty.
rule { name = "EMPTY_VIEWS", group = "g", score = 0, description = "writes to empty views",
  check = function(item)
    local links = item:links()
    local ok = pcall(function() links[1] = "x" end)
    local ok2 = pcall(rawset, links, 1, "x")
    log("empty", #links, #item.images, #item:domains(), next(links) == nil, ok, ok2,
        getmetatable(links))
    return false
  end }
