-- attribution.lua -- does the submission say where the story comes from?
-- (docs/attribution.md)
--
-- A story lifted from another site carries that site's fingerprints:
-- its page furniture ("Also on", share prompts), agency datelines and
-- credit lines.  These rules name the likely publisher and show the
-- evidence with its place in the body.  A submission that credits the
-- publisher in `source`, or links its domain in `url`, is not flagged
-- for it.  The publishers and their fingerprints are in
-- lists/publishers.txt; item:publishers() reads it.
--
-- COPIED_SOURCE flags copies of registered reference articles
-- (`newsgate sources add`, item:copied_from()) with the same idea of
-- "credited": the publisher named in `source` or its domain in `url`.

local fmt = string.format

-- Settings.  Copy the file and change them to suit the site.
local ARTICLE_WORDS = 150   -- a body this long is an article
local QUOTE_MIN_WORDS = 5   -- shorter quotations are phrases, not quotes
local QUOTE_MIN_COUNT = 3   -- judge the share only from this many quotes
local QUOTE_MAX_SHARE = 0.5 -- more quotes than this without a speaker hits
local EVIDENCE_SHOWN = 4    -- pieces of evidence quoted in a detail
local COPY_MIN = 0.7        -- similarity to a registered article that hits

-- Evidence that the text itself was the publisher's page or copy, as
-- against a photo credit (an agency's picture on someone else's story)
-- or a link (a citation).
local PAGE = { furniture = true, dateline = true, source = true }

-- Spans handed out by the item are read-only views; a check returns a
-- plain {start, end} of its own.
local function span_of(s)
  return s and { s[1], s[2] } or nil
end

local function clip(s, n)
  s = s:gsub("%s+", " ")
  if #s > n then s = s:sub(1, n - 3):gsub("[\128-\191]*$", "") .. "..." end
  return s
end

local function describe(ev)
  local where = ev.span and fmt(" at %d-%d", ev.span[1], ev.span[2]) or ""
  return fmt('%s "%s"%s', ev.kind, clip(ev.text:match("^%s*(.-)%s*$"), 60), where)
end

-- Splits a publisher's evidence into page evidence and picture credits.
local function sort_evidence(p)
  local page, pics = {}, {}
  for _, ev in ipairs(p.evidence) do
    if PAGE[ev.kind] then page[#page + 1] = ev
    elseif ev.kind ~= "link" then pics[#pics + 1] = ev end
  end
  return page, pics
end

local function credited_as(item)
  if item.source then return fmt("credits %q", item.source) end
  if item.url then return fmt("links %s", item.url) end
  return "credits no publisher"
end

-- The evidence, the same text counted once with where it first is.
local function list_evidence(list)
  local seen, order = {}, {}
  for _, ev in ipairs(list) do
    local key = ev.kind .. "\0" .. ev.text
    if seen[key] then
      seen[key].n = seen[key].n + 1
    else
      seen[key] = { ev = ev, n = 1 }
      order[#order + 1] = seen[key]
    end
  end
  local shown = {}
  for i = 1, math.min(#order, EVIDENCE_SHOWN) do
    local e = order[i]
    shown[i] = describe(e.ev) .. (e.n > 1 and fmt(" (%d times)", e.n) or "")
  end
  if #order > EVIDENCE_SHOWN then
    shown[#shown + 1] = fmt("and %d more", #order - EVIDENCE_SHOWN)
  end
  return table.concat(shown, ", ")
end

rule {
  name = "UNCREDITED_PUBLISHER", group = "attribution", score = 5,
  description = "The text carries a publisher's fingerprints but the submission does not credit it",
  check = function(item)
    local best, best_page, pictures = nil, {}, {}
    for _, p in ipairs(item:publishers()) do
      if not p.credited then
        local page, pics = sort_evidence(p)
        if #page > #best_page then best, best_page = p, page end
        for _, ev in ipairs(pics) do pictures[#pictures + 1] = { p, ev } end
      end
    end
    local uncredited = item.source == nil and item.url == nil
    if not best and not (uncredited and #pictures > 0) then return end
    local parts, span = {}, nil
    if best then
      parts[1] = fmt("text looks like %s's: %s", best.name, list_evidence(best_page))
      span = best_page[1].span
    end
    if #pictures > 0 and uncredited then
      local evs = {}
      for i, pe in ipairs(pictures) do evs[i] = pe[2] end
      parts[#parts + 1] = "picture credits " .. list_evidence(evs)
      span = span or evs[1].span
    end
    parts[#parts + 1] = "the submission " .. credited_as(item)
    return { detail = table.concat(parts, "; "), span = span_of(span), field = "body" }
  end,
}

rule {
  name = "NO_ATTRIBUTION", group = "attribution", score = 2,
  description = "Article-length story with no source, URL or author",
  check = function(item)
    if item.source or item.url or item.author then return end
    local n = item:story_words()  -- title and body, furniture cut
    if n >= ARTICLE_WORDS then
      return true, fmt("%d-word story gives no source, URL or author", n)
    end
  end,
}

rule {
  name = "UNATTRIBUTED_QUOTES", group = "attribution", score = 2,
  description = "Most quotations in the story name no speaker",
  check = function(item)
    -- Counted in C first; the quotations themselves only for a hit.
    local n, n_bare = item:quote_count(QUOTE_MIN_WORDS)
    if n < QUOTE_MIN_COUNT or n_bare / n <= QUOTE_MAX_SHARE then return end
    local total, bare = 0, {}
    for _, q in ipairs(item:quotes(QUOTE_MIN_WORDS)) do
      total = total + 1
      if not q.speaker then bare[#bare + 1] = q end
    end
    if total < QUOTE_MIN_COUNT or #bare / total <= QUOTE_MAX_SHARE then
      return
    end
    local q = bare[1]
    return {
      detail = fmt('%d of %d quotations name no speaker, first "%s" at %d-%d',
                   #bare, total, clip(q.text, 50), q.span[1], q.span[2]),
      span = span_of(q.span), field = "body",
    }
  end,
}

-- A caption credits its picture when it names a credit the way credit
-- lines do ("Photo: X", "© X", "X/Getty Images").
local function caption_credits(caption)
  if not caption then return false end
  return caption:find("\194\169") ~= nil                     -- ©
    or caption:lower():find("photo") ~= nil
    or caption:lower():find("credit") ~= nil
    or caption:lower():find("copyright") ~= nil
    or caption:find("%a/%a") ~= nil                          -- AGENCY/Name
end

rule {
  name = "IMAGE_WITHOUT_CREDIT", group = "attribution", score = 1,
  description = "A picture has no credit",
  check = function(item)
    local missing = {}
    for i, img in ipairs(item.images) do
      local credit = img.credit and img.credit:find("%S")
      if not credit and not caption_credits(img.caption) then
        missing[#missing + 1] = fmt("#%d %s", i, clip(img.url or img.caption or "?", 60))
      end
    end
    if #missing > 0 then
      return true, fmt("%d of %d pictures have no credit: %s", #missing,
                       #item.images, table.concat(missing, ", "))
    end
  end,
}

-- ---- copies of registered reference articles ------------------------

rule {
  name = "COPIED_SOURCE", group = "attribution", score = 6,
  description = "The text reproduces a registered publisher's article without crediting it",
  check = function(item)
    for _, m in ipairs(item:copied_from { min = COPY_MIN, limit = 5 } or {}) do
      if not m.credited then
        return { detail = fmt('reproduces %d%% of %s\'s "%s" (source #%d, %d%% of this text); the submission %s',
                              math.floor(m.containment * 100 + 0.5), m.publisher,
                              clip(m.title, 60), m.id,
                              math.floor(m.contained * 100 + 0.5), credited_as(item)),
                 field = "body" }
      end
    end
  end,
}

-- Test cases (`newsgate test`; see docs/rules.md) -----------------------

-- About 160 words of plain reporting, no quotations.
local ARTICLE = ("The city council met on Tuesday to discuss the budget for "
  .. "the coming year, and members spent most of the evening on the cost of "
  .. "repairing school roofs and heating systems across the district. "):rep(5)
  .. "The vote is expected next week."

case {
  name = "agency copy pasted without credit",
  item = { title = "Talks resume", body = "GENEVA (Reuters) - Talks resumed on Monday "
    .. "between the two sides, officials said.\n\nReporting by Jane Doe; Editing by John Roe" },
  hits = { "UNCREDITED_PUBLISHER" },
}

case {
  name = "agency copy credited to the agency",
  item = { title = "Talks resume", source = "Reuters", body = "GENEVA (Reuters) - Talks "
    .. "resumed on Monday between the two sides, officials said.\n\nReporting by Jane Doe; "
    .. "Editing by John Roe" },
  misses = { "UNCREDITED_PUBLISHER", "NO_ATTRIBUTION" },
}

case {
  name = "an article-length story that says nothing of where it comes from",
  item = { title = "Council budget", body = ARTICLE },
  hits = { "NO_ATTRIBUTION" },
  misses = { "UNCREDITED_PUBLISHER", "UNATTRIBUTED_QUOTES" },
}

case {
  name = "the same story with an author",
  item = { title = "Council budget", body = ARTICLE, author = "A. Writer" },
  misses = { "NO_ATTRIBUTION" },
}

case {
  name = "quotations that name no speaker",
  item = { title = "Voices", url = "https://news.example.org/v", body =
    '"We will not accept this plan under any circumstances," one reads.\n\n'
    .. '"The people of this town deserve a great deal better than this," another.\n\n'
    .. '"Nobody asked us what we wanted for our own streets," a third.' },
  hits = { "UNATTRIBUTED_QUOTES" },
}

case {
  name = "quotations with their speakers",
  item = { title = "Voices", url = "https://news.example.org/v", body =
    '"We will not accept this plan under any circumstances," said Mayor Ruth Okafor.\n\n'
    .. '"The people of this town deserve a great deal better than this," said Tom Hale.\n\n'
    .. '"Nobody asked us what we wanted for our own streets," said Ann Lee.' },
  misses = { "UNATTRIBUTED_QUOTES" },
}

case {
  name = "a picture without a credit",
  item = { title = "Lanes", body = "New lanes open.", url = "https://news.example.org/l",
           images = { { url = "https://img.example.org/a.jpg", caption = "The new lanes" } } },
  hits = { "IMAGE_WITHOUT_CREDIT" },
}

case {
  name = "pictures credited in the credit or the caption",
  item = { title = "Lanes", body = "New lanes open.", url = "https://news.example.org/l",
           images = { { url = "https://img.example.org/a.jpg", credit = "Council" },
                      { url = "https://img.example.org/b.jpg", caption = "Photo: J. Smith" } } },
  misses = { "IMAGE_WITHOUT_CREDIT" },
}

-- A registered reference article (`earlier` with a publisher) and a copy.
local WIRE = { title = "Harbour reopens", body = ("The harbour reopened on Monday after "
  .. "three weeks of repairs to the sea wall, and the first ferries arrived before noon "
  .. "with passengers who had waited since the storm closed the port. "
  .. "Engineers replaced the damaged stones along the northern pier. "):rep(3) }

case {
  name = "a registered article pasted without credit",
  earlier = { { item = WIRE, publisher = "Coast Wire", domain = "coastwire.example" } },
  item = { title = "Port news", body = WIRE.body },
  hits = { "COPIED_SOURCE" },
}

case {
  name = "the same copy linking the publisher's site",
  earlier = { { item = WIRE, publisher = "Coast Wire", domain = "coastwire.example" } },
  item = { title = "Port news", body = WIRE.body, url = "https://www.coastwire.example/harbour" },
  misses = { "COPIED_SOURCE" },
}
