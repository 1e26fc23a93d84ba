-- the smallest rule file
rule { name = "R", group = "g", score = 1, description = "d",
  pattern = "x", field = "body" }
