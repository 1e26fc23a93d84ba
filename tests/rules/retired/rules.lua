-- A rule that keeps the item of one check and reads it in the next:
-- the kept item must refuse its fields and methods ("item used after its
-- check ended"), and the item of the current check must still read and
-- refuse as items always did.  Used by tests/cli/item-retired.test.
local kept

local function try(f)
  local ok, e = pcall(f)
  return tostring(ok) .. ":" .. tostring(e):gsub("^[^:]*:%d+: ", "")
end

rule {
  name = "KEEPS_ITEM", group = "test", score = 0, description = "keeps the item",
  check = function(item)
    local out = {}
    if kept then
      out[#out + 1] = "kept.title=" .. try(function() return kept.title end)
      out[#out + 1] = "kept:text()=" .. try(function() return kept:text() end)
      out[#out + 1] = "tostring(kept)=" .. tostring(kept)
    end
    kept = item
    out[#out + 1] = "mt=" .. tostring(getmetatable(item))
    out[#out + 1] = "nosuch=" .. try(function() return item.nosuch end)
    out[#out + 1] = "set=" .. try(function() item.x = 1 end)
    out[#out + 1] = "title=" .. try(function() return item.title end)
    out[#out + 1] = "again=" .. try(function() return item.title end)
    out[#out + 1] = "words=" .. try(function() return #item:words() end)
    out[#out + 1] = "rawget=" .. try(function() return rawget(item, "title") end)
    out[#out + 1] = "badself=" .. try(function() return item.find("x", "a") end)
    return true, table.concat(out, " | ")
  end,
}
