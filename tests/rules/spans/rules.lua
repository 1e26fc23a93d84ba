-- Spans found on the normalized text are reported in title or body.
rule { name = "PAT_TEXT", group = "g", score = 1, description = "pattern on text",
  pattern = [[quick  ?brown]], field = "text" }
rule { name = "FIND_TEXT", group = "g", score = 1, description = "find on text",
  check = function(item)
    local m, s, e = item:find([[fox jumps]])
    if m then return { span = { s, e }, field = "text", detail = m } end
  end }
rule { name = "TITLE_TEXT", group = "g", score = 1, description = "find in title via text",
  check = function(item)
    local m, s, e = item:find([[ＢＩＧ|BIG]])
    if m then return { span = { s, e }, field = "text", detail = m } end
  end }
rule { name = "EVERY_FOX", group = "g", score = 1, description = "every fox, several spans",
  check = function(item)
    local spans, from = {}, 1
    while true do
      local s, e = item.body:find("fox", from, true)
      if not s then break end
      spans[#spans + 1] = { s, e }
      from = e + 1
    end
    if #spans > 0 then return { spans = spans, field = "body", detail = #spans .. " foxes" } end
  end }
rule { name = "SPANS_OUTSIDE", group = "g", score = 1, description = "second span past the end",
  check = function(item) return { spans = { { 1, 2 }, { 1, 999 } }, field = "title" } end }
