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
