-- a typo in a key
rule {
  name = "TYPO", group = "g", scroe = 1,
  description = "d", check = function() end,
}
