thresholds { review = 3, reject = 6 }
rule { name = "SMALL", group = "a", score = 1, description = "small score",
  pattern = "news", flags = "i", field = "title" }
rule { name = "FORCE_REJECT", group = "b", score = 0, action = "reject",
  description = "forces rejection",
  check = function(item) return item.submitter == "banned" end }
rule { name = "FORCE_REVIEW_TABLE", group = "b", score = 0.5,
  description = "forces review through its result",
  check = function(item)
    local m, s, e = item:find([[urgent]], "body", "i")
    if m then return { action = "review", detail = "says " .. m, span = { s, e }, field = "body" } end
  end }
rule { name = "WOULD_REJECT", group = "c", score = 100, mode = "shadow",
  description = "shadow rule: evaluated, never scored",
  check = function(item) return true, "shadow hit" end }
