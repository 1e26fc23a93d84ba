rule {
  name = "BAD_RE", group = "g", score = 1, description = "d",
  pattern = "(unclosed[a-z",
}
