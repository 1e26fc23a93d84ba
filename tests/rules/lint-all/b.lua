rule { name = "BROKEN", group = "g", score = 1,
  description = "d", check = function(item) return item.title == end }
