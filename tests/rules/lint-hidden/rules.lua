-- A rule that fails at run time with a message repeating its item's
-- title, which carries a right-to-left override (U+202E) and a C1
-- control (U+0085): lint must show them escaped, not raw.
rule { name = "ECHOES_TITLE", group = "g", score = 1, description = "fails with the title",
  check = function(item)
    if item.title:find("evil", 1, true) then error("title was " .. item.title, 0) end
    return item.title == "hit me"
  end }
case { item = { title = "hit me", body = "b" }, hits = { "ECHOES_TITLE" } }
case { item = { title = "evil\u{202E}txt.exe\u{85}", body = "b" },
  misses = { "ECHOES_TITLE" } }
