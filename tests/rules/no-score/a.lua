rule {
  name = "NO_SCORE", group = "g", description = "d",
  pattern = "x",
}
