rule { name = "TWICE", group = "g", score = 1, description = "d",
  pattern = "x" }
