

rule { name = "TWICE", group = "g", score = 2, description = "d",
  pattern = "y" }
