-- ref.lua -- check results carrying a reference to a stored item
-- (result-ref.test): a good one and a bad one.

rule {
  name = "REFERS", group = "probe", score = 1,
  description = "Refers to item 7",
  check = function(item) return { detail = "like #7", ref = 7 } end,
}

rule {
  name = "BAD_REF", group = "probe", score = 1,
  description = "Refers to something that is not an id",
  check = function(item) return { ref = "seven" } end,
}
