-- quotes.lua -- not a moderation rule: hands every quotation the
-- attributor found to tests/attribution/quote_eval.py, one record per
-- quotation (fields split by \31, records by \30).
rule {
  name = "QUOTES", group = "eval", score = 0,
  description = "Lists the quotations and their speakers",
  check = function(item)
    local out = {}
    for _, q in ipairs(item:quotes()) do
      out[#out + 1] = table.concat({ q.speaker or "", q.text or "" }, "\31")
    end
    return true, table.concat(out, "\30")
  end,
}
