-- Loads cleanly and has its cases, but one rule fails on items without a
-- `url`: only running it shows that.
rule { name = "NEEDS_URL", group = "g", score = 1, description = "url mentions spam",
  check = function(item) return item.url:find("spam", 1, true) ~= nil end }
rule { name = "FINE", group = "g", score = 1, description = "title says hello",
  pattern = "hello", flags = "i", field = "title" }
case { item = { title = "Hello", body = "b", url = "https://spam.example/" },
  hits = { "NEEDS_URL", "FINE" } }
case { item = { title = "Bye", body = "b", url = "https://news.example/" },
  misses = { "NEEDS_URL", "FINE" } }
