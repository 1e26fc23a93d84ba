-- fields.lua -- one rule that reports what the reader parsed, so the
-- input-*.test cases check the fields end to end through `check`.

rule {
  name = "FIELDS", group = "input", score = 0,
  description = "Shows the fields and analysis of the item",
  check = function(item)
    local imgs = {}
    for _, im in ipairs(item.images) do
      imgs[#imgs + 1] = ("%s|%s|%s"):format(tostring(im.url),
        tostring(im.caption), tostring(im.credit))
    end
    return true, ("title=[%s] url=%s source=%s author=%s submitter=%s id=%s at=%d format=%s images=%s"):format(
      item.title, tostring(item.url), tostring(item.source),
      tostring(item.author), tostring(item.submitter),
      tostring(item.external_id), item.submitted_at, item.format,
      table.concat(imgs, ","))
  end,
}

rule {
  name = "ANALYSIS", group = "input", score = 0,
  description = "Shows the body text, links, domains and word count",
  check = function(item)
    return true, ("body=[%s] links=%s domains=%s words=%d"):format(
      item.body:gsub("\n", "/"), table.concat(item:links(), ","),
      table.concat(item:domains(), ","), item:wordcount())
  end,
}
