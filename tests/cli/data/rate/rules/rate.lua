-- rate.lua -- a flood rule and a reputation probe for
-- tests/scripts/rate-limit-received.sh.

rule {
  name = "FLOOD", group = "rate", score = 6,
  description = "Three or more items from this submitter in the last hour",
  check = function(item)
    local n = item:history{submitter = true, hours = 1}
    if n >= 3 then return true, n .. " in the last hour" end
  end,
}

rule {
  name = "REPUTATION", group = "probe", score = 0,
  description = "Shows the submitter's history by status",
  check = function(item)
    local h = item:history{submitter = true, hours = 24 * 365, detail = true}
    return true, ("total=%d accepted=%d review=%d rejected=%d approved=%d moderator_rejected=%d published=%d seen=%s"):format(
      h.total, h.accepted, h.review, h.rejected, h.approved,
      h.moderator_rejected, h.published, h.first_seen > 0 and "yes" or "no")
  end,
}
