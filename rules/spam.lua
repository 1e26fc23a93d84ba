-- spam.lua -- spam: promotional copy, scams, contact bait, self-promotion,
-- hidden and stuffed links, shouting, look-alike letters, scraped-page
-- furniture (see docs/spam.md); flooding and the learner's opinion,
-- which read the store, are in spam_history.lua.
--
-- Every rule scores in group "spam".  Rules quote what they matched and
-- give its span, so a moderator sees why.  Signals are general on
-- purpose: wording that only adverts use, page furniture by its shape
-- (a heading line followed by headline lines, a run of month-year links),
-- not by one site's words.

local fmt = string.format


local promo = list("lists/promo.txt")
local scam = list("lists/scam.txt")
local shorteners = list("lists/shorteners.domains")
local headings = list("lists/headings.txt")
local nav_labels = list("lists/nav-labels.txt")

-- Shortens a quoted match for a detail line.
local function quote(s)
  s = s:gsub("%s+", " ")
  if #s > 80 then
    s = s:sub(1, 77):gsub("[\128-\191]*$", ""):gsub("[\192-\255]$", "") .. "..."
  end
  return '"' .. s .. '"'
end

-- ---- cheap gates ----------------------------------------------------------
--
-- Most rules look for things a news story almost never has, and scanning
-- every story with every pattern and list would cost more than the rest
-- of the engine (see docs/spam.md, "Speed").  So the expensive checks
-- first ask a gate: one pass over the item's cached, case-folded words
-- (made once per item) notes which families of trigger words and word
-- pairs occur.  A rule runs its patterns or list only when its family
-- turned up.  Every entry and pattern of a family needs one of its
-- triggers, so a gate never fails where the rule would fire; keep them
-- in step when adding entries to lists/promo.txt or lists/scam.txt.

local TRIGGERS = {}   -- word or "word word" -> { family = true }

local function triggers(family, words)
  for _, w in ipairs(words) do
    TRIGGERS[w] = TRIGGERS[w] or {}
    TRIGGERS[w][family] = true
  end
end

triggers("promo", {
  "click", "buy now", "order now", "shop now", "call now", "sign up",
  "register now", "join now", "join us", "apply now", "download now",
  "download free", "limited time", "limited-time", "special offer",
  "exclusive offer", "lowest price", "lowest prices", "discount code",
  "promo", "coupon", "use my", "free shipping", "free trial", "100 free",
  "totally free", "risk-free", "risk free", "money back",
  "satisfaction guaranteed", "miss out", "stocks last", "hurry up",
  "visit our", "visit my", "check out", "see my", "my profile", "my bio",
  "bio", "dm me", "inbox me", "message me", "text me", "more info",
  "more information", "get paid", "free gift", "free giftcard",
  "free followers", "free likes", "free views", "get free",
})
triggers("scam", {
  "make money", "earn money", "earn extra", "earn cash", "easy money",
  "fast cash", "quick cash", "extra income", "passive income",
  "financial freedom", "own boss", "work from", "rich quick",
  "double your", "guaranteed profit", "guaranteed profits",
  "guaranteed returns", "guaranteed income", "free investment",
  "investment opportunity", "investment platform", "trading platform",
  "binary options", "forex", "crypto signals", "crypto giveaway",
  "bitcoin giveaway", "send bitcoin", "btc", "wallet address",
  "recover your", "recover lost", "account manager", "have won",
  "been selected", "claim your", "lottery winner",
  "transfer fee", "processing fee", "kin", "inheritance fund",
  "unclaimed funds", "nigerian prince", "viagra", "cialis",
  "online pharmacy", "prescription", "weight loss", "diet pills", "lose weight", "burn fat",
  "male enhancement", "penis", "enlarge", "payday", "instant loan",
  "loan offer", "credit repair", "bad credit", "casino", "free spins",
  "betting tips", "adult dating", "singles", "webcam",
})
triggers("self", {
  "channel", "chanel", "channell", "chhanel", "video", "videos", "vid",
  "vids", "vidio", "vidios", "vlog", "vlogs", "playlist", "mixtape",
  "remix", "remixes", "yt", "follow me", "follow 4", "follow for",
  "check me", "check us", "like 4", "like4like", "like for",
  "follow4follow",
})
triggers("like", {
  "like if", "like this", "thumbs", "upvote", "give it", "give this",
  "hit it", "hit this",
})
triggers("messenger", {
  "whatsapp", "whats", "telegram", "viber", "kik", "snapchat", "snap",
  "skype", "wechat", "insta", "instagram", "facebook", "fb", "twitter",
  "ig",
})
triggers("footer", {
  "your news", "your stories", "your story", "your articles",
  "your article", "your press", "your own", "24 7", "minute-by-minute",
})

-- What a self-promoter's "my" or "our" may be followed by directly.
local PLAIN = { "page", "site", "website", "blog", "music", "song", "songs",
  "cover", "covers", "profile", "app", "shop", "store", "album", "track",
  "art", "film", "films", "movie", "stream", "rap", "raps", "beat", "beats" }
-- ... or one of these, then the thing ("my new website").
local QUALIFIER = { "new", "own", "latest", "first", "youtube", "yt" }
do
  local own = {}
  for _, words in ipairs { PLAIN, QUALIFIER } do
    for _, w in ipairs(words) do
      own[#own + 1] = "my " .. w
    end
  end
  triggers("own", own)
end

-- Shapes item:words_in reports along with the words (core/shapes.h):
-- the one thing each of the contact, wallet, archive, exclamation and
-- shouting rules needs (an @, a long run of digits, a wallet-like word, a
-- year followed by a month, two exclamation marks, two words in
-- capitals), and a word spelt like "subscribe".  Most stories have none.
triggers("marks", { "#at", "#digits", "#wallet", "#yearmonth", "#bangs", "#caps" })
triggers("sub", { "#sub" })

local fam_item, fam
local function families(item)
  if item ~= fam_item then
    fam_item, fam = item, {}
    for k in pairs(item:words_in(TRIGGERS)) do
      for f in pairs(TRIGGERS[k]) do fam[f] = true end
    end
  end
  return fam
end

-- A gate passing when any of the named families occurs.
local function gate(...)
  local names = { ... }
  return function(item)
    local f = families(item)
    for _, n in ipairs(names) do
      if f[n] then return true end
    end
    return false
  end
end

-- Gates the check functions below share, built once (not per item).
local promo_gate, scam_gate = gate("promo"), gate("scam")
local bangs_gate, yearmonth_gate = gate("bangs"), gate("yearmonth")
local offer_gate = gate("promo", "scam")

local MONTH = [[(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)]]

local marks = gate("marks")
-- One shape each: a rule's pattern cannot match without its own shape,
-- so it need not run when only another shape (a year then a month, two
-- words in capitals: common in news) opened the "marks" gate.
triggers("at", { "#at" })
triggers("digits", { "#digits" })
triggers("wallet", { "#wallet" })
triggers("bangs", { "#bangs" })
triggers("yearmonth", { "#yearmonth" })

-- Whether any of the patterns `pre` occurs in `field` (default the
-- body), matched with `flags` (default "im").
local function any_found(item, pre, field, flags)
  for _, p in ipairs(pre) do
    if item:find(p, field or "body", flags or "im") then return true end
  end
  return false
end

-- A rule whose pattern runs only when its gate passes and, if it has
-- `pre` (see self_promotion below), one of those cheap patterns occurs.
-- The hit quotes the match and gives its span, as a declarative pattern
-- rule does.
local function gated(t)
  local pat, flags, field, pass = t.pattern, t.flags or "", t.field or "body", t.gate
  local furniture, pre = t.furniture or nil, t.pre
  t.pattern, t.flags, t.field, t.gate, t.furniture, t.pre = nil, nil, nil, nil, nil, nil
  t.check = function(item)
    if not pass(item) or (pre and not any_found(item, pre, field, flags)) then
      return false
    end
    local m, s, f = item:find(pat, field, flags)
    if m then
      return { detail = quote(m), span = { s, f }, field = field,
               furniture = furniture }
    end
  end
  rule(t)
end

-- The first entry of `lst` in the body, else in the title: entry, start,
-- end, field.
local function first_entry(lst, item)
  local e, s, f = lst:any(item.body)
  if e then return e, s, f, "body" end
  e, s, f = lst:any(item.title)
  if e then return e, s, f, "title" end
end

-- Hit for a phrase list: `base` for the first distinct phrase, `step`
-- for each further one, at most `cap`.
local function phrase_hit(lst, item, base, step, cap)
  local found = lst:all(item)
  local names = {}
  for entry in pairs(found) do names[#names + 1] = entry end
  if #names == 0 then return false end
  table.sort(names)
  local _, s, f, field = first_entry(lst, item)
  local text = s and (field == "body" and item.body or item.title):sub(s, f)
  local detail = table.concat(names, ", ")
  if text then detail = quote(text) .. " (" .. detail .. ")" end
  return { score = math.min(cap, base + step * (#names - 1)),
           detail = detail, span = s and { s, f }, field = s and field }
end

-- ---- promotional and scam copy --------------------------------------

rule {
  name = "PROMO_CALL_TO_ACTION", group = "spam", score = 3,
  description = "Promotional call to action (click here, buy now, promo code...)",
  check = function(item)
    return promo_gate(item) and phrase_hit(promo, item, 3, 1, 6)
  end,
}

rule {
  name = "MONEY_SCAM", group = "spam", score = 4,
  description = "Money, crypto or pharma scam wording",
  check = function(item)
    return scam_gate(item) and phrase_hit(scam, item, 4, 2, 8)
  end,
}

gated {
  name = "CRYPTO_ADDRESS", group = "spam", score = 3,
  description = "A cryptocurrency wallet address",
  gate = gate("wallet"),
  pattern = [[\b(?:bc1[ac-hj-np-z02-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[0-9a-fA-F]{40})\b]],
  field = "body",
}

-- ---- contact bait -----------------------------------------------------

gated {
  name = "EMAIL_IN_BODY", group = "spam", score = 2,
  description = "An e-mail address in the text",
  gate = gate("at"),
  pattern = [[(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})*\.[A-Za-z]{2,12}(?![\w])]],
  field = "body",
}

gated {
  name = "PHONE_NUMBER", group = "spam", score = 3,
  description = "A phone number offered for contact",
  gate = gate("digits"),   -- the number itself: nine or more digits and separators
  pattern = [[(?:\b(?:call|phone|tel|telephone|mobile|cell|whats\s?app|text|sms|contact|viber|ring)\b[\s:.]*(?:us|me|now|on|at)?[\s:.]*|(?<![\w+])\+)\(?\d[\d \t().-]{7,16}\d(?![\d])]],
  flags = "i", field = "body",
}

gated {
  name = "MESSENGER_HANDLE", group = "spam", score = 3,
  description = "A messenger handle offered for contact",
  gate = gate("messenger"),
  pattern = [[\b(?:(?:add|follow|message|msg|dm|contact|text|hit)\s+(?:me|us)\s+(?:up\s+)?(?:on|at|via)\s+(?:whats\s?app|telegram|kik|snap(?:chat)?|instagram|insta|skype|wechat|viber|facebook|fb|twitter|ig)\b|(?:whats\s?app|telegram|kik|snap(?:chat)?|skype|wechat|viber|insta(?:gram)?|ig)\s*(?:me|id|handle|username|user|account|number|no\.?)?\s*[:=]?\s*(?:@[A-Za-z0-9_.]{3,}|\+?\d[\d -]{6,}\d))]],
  flags = "i", field = "body",
}

-- ---- self-promotion ---------------------------------------------------

-- Subscribe and its usual misspellings.
local SUB = [[\b(?:subs?c?r?i?b\w*|suscri\w*|subcri\w*|sub)]]
-- "Check out my ..." followed by what people promote.  The strong words
-- (channel, videos...) may follow "my" or "our" with words between ("my
-- new 8bit remixes"); the plain ones (PLAIN, above), common in news
-- quotes ("see our website"), count only after "my", directly or with one
-- qualifier ("my new website").
local VERB = [[\b(?:check(?:ing)?\s*(?:out)?|visit|watch|see|view|listen\s+to|look\s+at|go\s+to|come\s+to|head\s+over\s+to|take\s+a\s+look\s+at)\b[^.!?\n]{0,25}?\b]]
local STRONG = [[(?:channel|chanel|chann?el|chhanel|videos?|vids?|vidios?|vlogs?|playlist|mixtape|remix(?:es)?)]]
-- Each part: a gate, the pattern it guards, and `pre`: cheap patterns
-- of which every match of `pattern` contains at least one match (each
-- alternative's tail from its first literal word on), tried first.  The
-- patterns have no common first letter, so PCRE tries them at every
-- byte, which on a long story costs more than all the other rules; a
-- pattern starting with one literal word is found by a fast scan (about
-- 1 instruction a byte against 25-700), so `pre` is split into such
-- patterns, and rarely matches news.  A `pre` can only skip a pattern
-- that would not have matched; keep it in step with the pattern.
local OWN = [[my\s+(?:(?:]] .. table.concat(QUALIFIER, "|") .. [[)\s+)?(?:]]
  .. table.concat(PLAIN, "|") .. [[)\b]]
local ON_MY_CHANNEL = [[my\s+(?:new\s+)?(?:youtube\s+|yt\s+)?(?:channel|chanel)\b]]
local SUB_NOT_TO = SUB .. [[\b(?!\s+(?:to|for)\s+(?:the|a|an|their|his|her|its|this)\b)]]
local NUMBER_SUBS = [[\s+(?:over\s+)?\d[\d,.]*k?\s+(?:subscribers|subs)\b]]
local self_promotion = {
  { gate = gate("self"),
    pre = { [[\bmy\s+(?:\w+\s+){0,2}?]] .. STRONG .. [[\b]],
            [[\bour\s+(?:\w+\s+){0,2}?]] .. STRONG .. [[\b]], [[\b]] .. ON_MY_CHANNEL },
    pattern = VERB .. [[(?:my|our)\s+(?:\w+\s+){0,2}?]] .. STRONG .. [[\b|\b(?:on|to|in)\s+]] .. ON_MY_CHANNEL },
  { gate = gate("own"),
    pre = { [[\b]] .. OWN },
    pattern = VERB .. OWN },
  -- ("sub... me" and "sub... back" are SUB_NOT_TO matches.)
  { gate = gate("sub", "self"),
    pre = { [[(?:please|pls|plz)\s+(?:\w+\s+){0,2}]] .. SUB .. [[\b]],
            [[\bsub\s*(?:4|for)]], [[\bfollow\s*(?:4|for)]], [[\blike\s*(?:4|for)]],
            [[\bfollow\s+me\s+(?:on|at)\b]], [[\bcheck\s+(?:me|us)\s+out\b]],
            [[\bget]] .. NUMBER_SUBS, [[\breach]] .. NUMBER_SUBS,
            [[\bhit]] .. NUMBER_SUBS, [[\bhave]] .. NUMBER_SUBS, SUB_NOT_TO },
    -- The alternatives of one pattern, searched one by one (see
    -- leftmost): as one, its "^" alternative left PCRE2 no first bytes
    -- to look for, and it ran at ~700 instructions a byte.
    parts = { SUB .. [[\s+(?:to\s+|2\s+|in\s+)?(?:me|my|our|us)\b]],
              [[(?:please|pls|plz)\s+(?:\w+\s+){0,2}]] .. SUB .. [[\b]],
              [[\b(?:sub|follow|like)\s*(?:4|for)\s*(?:sub|follow|like)\b]],
              [[\bfollow\s+me\s+(?:on|at)\b]], [[\bcheck\s+(?:me|us)\s+out\b]],
              SUB .. [[\s+back\b]], [[\b(?:get|reach|hit|have)]] .. NUMBER_SUBS,
              [[^]] .. SUB_NOT_TO, [[[.!?]\s*]] .. SUB_NOT_TO,
              [[\b(?:please|pls|plz|come|go|and|so)\s+]] .. SUB_NOT_TO } },
}

-- What item:find gives for the alternation of the patterns `parts`
-- (table.concat(parts, "|")): PCRE2 tries the alternatives in order at
-- each position from the left, so the match is the one starting first,
-- and of those starting at the same byte, the earliest part's.  Parts
-- must not refer to each other's groups.
local function leftmost(item, parts, field, flags)
  local bm, bs, bf
  for _, p in ipairs(parts) do
    local m, s, f = item:find(p, field, flags)
    if m and (not bs or s < bs) then bm, bs, bf = m, s, f end
  end
  return bm, bs, bf
end

rule {
  name = "SELF_PROMOTION", group = "spam", score = 5,
  description = "Promotes the submitter's own channel, page or account",
  check = function(item)
    for _, part in ipairs(self_promotion) do
      if part.gate(item) and any_found(item, part.pre) then
        local m, s, f
        if part.parts then
          m, s, f = leftmost(item, part.parts, "body", "im")
        else
          m, s, f = item:find(part.pattern, "body", "im")
        end
        if m then return { detail = quote(m), span = { s, f }, field = "body" } end
      end
    end
  end,
}

gated {
  name = "LIKE_BAIT", group = "spam", score = 3,
  description = "Asks readers to like or upvote the comment itself",
  gate = gate("like"),
  flags = "im", field = "body",
  -- Each alternative from its first word on (see self_promotion).
  pre = { [[\blike\s+(?:(?:this\s+(?:comment|post)\s+)?if\b|this\s+comment\b)]],
          [[\bthumbs\s+up\s+(?:this\s+(?:comment|post)\s+)?if\b]],
          [[\bupvote\s+(?:this\s+(?:comment|post)\s+)?if\b]],
          [[\bgive\s+(?:it|this|this\s+comment)\s+a\s+(?:like|thumbs\s+up)\b]],
          [[\bhit\s+(?:it|this|this\s+comment)\s+a\s+(?:like|thumbs\s+up)\b]] },
  pattern = [[(?:^|[.!?]\s+)(?:like|thumbs\s+up|upvote)\s+(?:this\s+(?:comment|post)\s+)?if\b|\blike\s+this\s+comment\b|\b(?:give|hit)\s+(?:it|this|this\s+comment)\s+a\s+(?:like|thumbs\s+up)\b]],
}

-- ---- links ------------------------------------------------------------

rule {
  name = "URL_SHORTENER", group = "spam", score = 3,
  description = "Links through a URL shortener, hiding where they go",
  check = function(item)
    for _, host in ipairs(item:domains()) do
      local listed, entry = shorteners:has_domain(host)
      if listed then
        local m, s, f = item:find("\\Q" .. entry .. "\\E\\S*", "body", "i")
        if m then
          return { detail = quote(m), span = { s, f }, field = "body" }
        end
        return true, "links to " .. host
      end
    end
  end,
}

rule {
  name = "LINK_IN_SHORT_TEXT", group = "spam", score = 2,
  description = "A link with next to no text around it",
  check = function(item)
    local links = item:links()
    local n = item:wordcount("body")
    if #links >= 1 and n < 25 + 12 * #links then
      return true, fmt("%d link(s) in %d words: %s", #links, n, quote(links[1]))
    end
  end,
}

-- ---- shouting and look-alike letters ----------------------------------

rule {
  name = "BODY_SHOUTING", group = "spam", score = 2,
  description = "Text written mostly in capital letters",
  check = function(item)
    if not marks(item) then return false end
    -- Counted in C (as %a and %u would), not letter by letter in Lua.
    local letters, upper = item:letters("body")
    if upper < 14 then return false end
    if letters >= 20 and upper >= 0.7 * letters then
      return true, fmt("%d of %d letters are capitals", upper, letters)
    end
  end,
}

rule {
  name = "EXCLAMATION_RUNS", group = "spam", score = 1,
  description = "Several runs of exclamation marks",
  check = function(item)
    if bangs_gate(item) and item:count("[!?]*![!?]*!", "body") >= 2 then
      local m, s, f = item:find("[!?]*![!?]*!", "body")
      return { detail = fmt("%s and more", quote(m)), span = { s, f },
               field = "body" }
    end
  end,
}

rule {
  name = "TITLE_SPAM", group = "spam", score = 3,
  description = "Title is an advert: money signs, promo or scam wording",
  check = function(item)
    local t = item.title
    local e, s, f
    if offer_gate(item) then
      e, s, f = promo:any(t)
      if not e then e, s, f = scam:any(t) end
    end
    if not e then
      local m, ms, mf = item:find([[\${2,}|(?:[$£€]\s?\d[\d,.]*\s*k?\s*[!]|\bfree\b.*!)]], "title", "i")
      e, s, f = m, ms, mf
    end
    if e then
      return { detail = quote(t:sub(s, f)), span = { s, f }, field = "title" }
    end
  end,
}

triggers("script", { "#script" })

gated {
  name = "MIXED_SCRIPT_WORD", group = "spam", score = 3,
  description = "A word mixing Latin letters with Cyrillic or Greek look-alikes",
  -- Greek and Cyrillic letters are two-byte UTF-8 sequences led by
  -- 0xCE..0xD3; without one in item:text() there is nothing to look at.
  -- The "#script" shape of item:words_in says whether there is one, in
  -- the pass over the text the other gates pay for already (six plain
  -- searches of a copy of the text cost ~14,000 instructions an item).
  gate = gate("script"),
  pattern = [[(?<![\p{L}\p{M}])(?=[\p{L}\p{M}]*\p{Latin})(?=[\p{L}\p{M}]*[\p{Cyrillic}\p{Greek}])[\p{L}\p{M}]{3,}]],
  field = "text",
}

-- ---- scraped-page furniture -------------------------------------------

-- The title without leading white space and trailing white space and
-- separators (| : » > . -), as gsub("^%s+", ""):gsub("[%s|:»>.-]+$", "")
-- would give, but walked back from the end: the unanchored pattern is
-- tried at every byte of the title.
local NAV_TRAIL = {}
for _, c in ipairs { " ", "\t", "\n", "\v", "\f", "\r", "|", ":", "\194", "\187", ">", ".", "-" } do
  NAV_TRAIL[c:byte()] = true
end
local function trim_nav(title)
  local t = title:gsub("^%s+", "")
  local i = #t
  while i > 0 and NAV_TRAIL[t:byte(i)] do i = i - 1 end
  return t:sub(1, i)
end

rule {
  name = "TITLE_IS_NAVIGATION", group = "spam", score = 2,
  description = "Title is a site navigation label, not a headline",
  check = function(item)
    local t = trim_nav(item.title)
    if nav_labels:has(t) then
      return { detail = quote(item.title), span = { 1, #item.title },
               field = "title" }
    end
  end,
}


-- A share or follow prompt on a line of its own, including the text that
-- share buttons write ("Check out this video on YouTube:").
local SHARE = [[^[^\S\n]*(?:(?:did\s+you\s+)?(?:like|liked|enjoy|enjoyed|love|loved)\s+this\s+(?:story|article|post|piece|page|video)\s*\?[^\n]{0,80}|share\s+(?:this|it)\b[^\n]{0,80}|share\s+(?:on|via)\s+(?:facebook|twitter|whatsapp|telegram|e-?mail|linkedin)[^\n]{0,60}|follow\s+us\s+on\s+[^\n]{0,60}|(?:check\s+out|take\s+a\s+look\s+at|watch)\s+this\s+(?:video|playlist|channel|clip|post|photo)\s+on\s+(?:youtube|vimeo|facebook|twitter|instagram|tiktok)\b[^\n]{0,80})$]]

rule {
  name = "SHARE_PROMPT", group = "spam", score = 2,
  phase = "clean", -- furniture: cut before the duplicate checks read the body
  description = "Share or follow prompt copied from a web page (scores 5 when it is all there is)",
  check = function(item)
    local m, s, f = item:find(SHARE, "body", "im")
    if not m then return false end
    -- A submission that is nothing but the prompt is not a story at all.
    local rest = item.body:sub(1, s - 1) .. item.body:sub(f + 1)
    local alone = select(2, rest:gsub("[%w\128-\255]+", "")) <= 3
    return { score = alone and 5 or 2, span = { s, f }, field = "body",
             furniture = true, detail = quote(m) .. (alone and " (and next to nothing else)" or "") }
  end,
}

-- A line that reads like a teaser headline: a few words to a long
-- sentence, not ending as prose does, not two sentences, not a photo
-- caption or credit (©).
local function headline_like(line)
  local words = select(2, line:gsub("%S+", ""))
  return words >= 3 and words <= 30 and not line:find("[.:;,]%s*$")
    and not line:find("[.!?] %u") and not line:find("\194\169", 1, true)
end

-- Blocks of "Read also" / "Also on" teasers: a heading line from
-- lists/headings.txt followed by headline lines (an image credit or
-- caption may sit between).  Returns a list of {s, f, heading, first}.
local function has_heading(item)
  -- Only short lines can be headings: item:lines(44) gives the lines of
  -- at most 44 bytes (trimmed), so no paragraph is walked in Lua.
  for _, l in ipairs(item:lines(44)) do
    local line = l.text
    if line:find("%a") then
      local t = line:gsub("[%s:.…]+$", "")
      if t ~= "" and headings:has(t) then return true end
    end
  end
  return false
end

local function teaser_blocks(body)
  local blocks, pending = {}, nil
  for s, line, f in body:gmatch("()([^\n]*)()") do
    local t = line:gsub("^%s+", ""):gsub("[%s:.…]+$", "")
    if t ~= "" then
      if #t <= 40 and headings:has(t) then
        pending = { s = s, heading = t, lines = 0 }
        blocks[#blocks + 1] = pending
      elseif pending and pending.lines < 6 and headline_like(t) then
        pending.lines = pending.lines + 1
        pending.f = f - 1
        pending.first = pending.first or t
      elseif pending and pending.lines < 2 and #t <= 200 then
        pending.lines = pending.lines + 1 -- a caption or credit line
      else
        pending = nil
      end
    end
  end
  local out = {}
  for _, b in ipairs(blocks) do
    if b.first then out[#out + 1] = b end
  end
  return out
end

rule {
  name = "READ_ALSO_BLOCK", group = "spam", score = 2,
  phase = "clean", -- furniture: cut before the duplicate checks read the body
  description = "Teaser links to other stories (\"Read also\", \"Also on\") copied from a web page",
  check = function(item)
    if not has_heading(item) then return false end
    local blocks = teaser_blocks(item.body)
    if #blocks == 0 then return false end
    local parts, cuts = {}, {}
    for i, b in ipairs(blocks) do
      if i <= 64 then cuts[i] = { b.s, b.f } end -- a hit holds 64 spans
    end
    for i, b in ipairs(blocks) do
      if i > 8 then
        parts[#parts + 1] = fmt("and %d more", #blocks - 8)
        break
      end
      parts[#parts + 1] = fmt("%s: %s [%d-%d]", quote(b.heading), quote(b.first),
                              b.s - 1, b.f)
    end
    return { score = math.min(6, 2 * #blocks), detail = table.concat(parts, "; "),
             spans = cuts, field = "body", furniture = true }
  end,
}


-- Five or more month-year links in a row ("March 2010April 2010...").
-- The pattern starts at the first year, so PCRE skips ahead to digits
-- instead of trying every capital letter; the month before that year is
-- then added to the span.
-- The navigation block around an archive run [s, f]: the run plus the
-- short lines (menu labels, the site's name) next to it, up to the blank
-- lines that part it from the story.  Returns {start, end}.
local function nav_block(body, s, f)
  local a = s
  while a > 1 do
    local ls = (body:sub(1, a - 2):match(".*()\n") or 0) + 1
    local line = body:sub(ls, a - 2)
    if line:find("^%s*$") or #line > 40 then break end
    a = ls
  end
  while true do
    local nl = body:find("\n", f + 1, true)
    if not nl then break end
    local line = body:match("^[^\n]*", nl + 1)
    if line:find("^%s*$") or #line > 40 then break end
    f = nl + #line
  end
  return { a, f }
end

-- Each month-year is an atomic group: backtracking into one never helps
-- (the next starts with a digit), and without it PCRE keeps a backtrack
-- frame per step, so a long run ("2019 Jan " 22,000 times, from the
-- hostile-input table) ran out of the match limit instead of matching.
local ARCHIVE = [[(?:(?>(?:19|20)\d\d(?!\d)[\s|,;/·•-]*]] .. MONTH .. [[\.?\s*)){4,}(?:19|20)\d\d(?!\d)]]

rule {
  name = "ARCHIVE_NAVIGATION", group = "spam", score = 3,
  phase = "clean", -- furniture: cut before the duplicate checks read the body
  description = "A run of month-year archive links copied from a web page",
  check = function(item)
    if not yearmonth_gate(item) then return false end
    local m, s, f = item:find(ARCHIVE, "body")
    if not m then return false end
    local before = item.body:sub(math.max(1, s - 16), s - 1)
    local month = before:match("(%a+%.?[%s\194\160]*)$")
    if month then s = s - #month end
    local text = item.body:sub(s, f)
    -- The run is the hit's span; the block around it is cut too.
    return { detail = quote(text), spans = { { s, f }, nav_block(item.body, s, f) },
             field = "body", furniture = true }
  end,
}

local YOUR_NEWS = [[your\s+(?:own\s+)?(?:news|stories|story|articles?|press\s+releases?)\s+(?:instantly|now|here|today|for\s+free|with\s+us|on\s+our)]]

gated {
  name = "SITE_PROMO_FOOTER", group = "spam", score = 3,
  phase = "clean", -- furniture: cut before the duplicate checks read the body
  description = "A site's own promotional footer copied with the story",
  gate = gate("footer"),
  furniture = true,
  -- The phrase in the middle of each alternative (see self_promotion).
  pre = { [[\badd\s+]] .. YOUR_NEWS, [[\bsubmit\s+]] .. YOUR_NEWS, [[\bpost\s+]] .. YOUR_NEWS,
          [[\bsend\s+]] .. YOUR_NEWS, [[\bpublish\s+]] .. YOUR_NEWS,
          [[\bnews\s+24\s*/\s*7\b]], [[\bminute-by-minute\s+updates?,?\s+now\s+on\b]] },
  pattern = [[^[^\n]{0,200}?(?:\b(?:add|submit|post|send|publish)\s+your\s+(?:own\s+)?(?:news|stories|story|articles?|press\s+releases?)\s+(?:instantly|now|here|today|for\s+free|with\s+us|on\s+our)|\bnews\s+24\s*/\s*7\b|\bminute-by-minute\s+updates?,?\s+now\s+on\b)[^\n]{0,200}$]],
  flags = "im", field = "body",
}

-- Test cases (`newsgate test`; see docs/rules.md), generated from
-- tests/spam/cases.ndjson: each rule fires on one and stays quiet on a near
-- miss.  The flooding and learner rules are tested in spam_history.lua.

case {
  name = "spam case 1: Shop sale",
  item = { title = "Shop sale", body = "Great deals this week. Click here to buy now and use promo code SAVE10 at checkout." },
  hits = { "PROMO_CALL_TO_ACTION" },
}

case {
  name = "spam case 2: Council budget",
  item = { title = "Council budget", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. Residents can click through the report online; the council now plans new roads." },
  misses = { "PROMO_CALL_TO_ACTION" },
}

case {
  name = "spam case 3: Earn from home",
  item = { title = "Earn from home", body = "Make money online with this amazing system, guaranteed returns every week, passive income for all." },
  hits = { "MONEY_SCAM" },
}

case {
  name = "spam case 4: Market report",
  item = { title = "Market report", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. Investors made money as shares rose; the central bank kept its guarantee on deposits." },
  misses = { "MONEY_SCAM" },
}

case {
  name = "spam case 5: Donate",
  item = { title = "Donate", body = "Send your donations to 1BoatSLRHtKNngkdXEeobR76b53LETtpyT today, thanks to everyone helping." },
  hits = { "CRYPTO_ADDRESS" },
}

case {
  name = "spam case 6: Numbers",
  item = { title = "Numbers", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. The reference number of the case is 12345678901234567890 and it was filed in 2004." },
  misses = { "CRYPTO_ADDRESS" },
}

case {
  name = "spam case 7: Contact",
  item = { title = "Contact", body = "For more details write to deals.today@example.com and we will answer you." },
  hits = { "EMAIL_IN_BODY" },
}

case {
  name = "spam case 8: Contact policy",
  item = { title = "Contact policy", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. Readers may write to the editor at the address printed on page two." },
  misses = { "EMAIL_IN_BODY" },
}

case {
  name = "spam case 9: Call us",
  item = { title = "Call us", body = "Cheap flights to anywhere, call now: +44 20 7946 0958 before the offer ends." },
  hits = { "PHONE_NUMBER" },
}

case {
  name = "spam case 10: Crowd size",
  item = { title = "Crowd size", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. Some 12 000 people attended in 2004 and 15 000 in 2005, the organisers said." },
  misses = { "PHONE_NUMBER" },
}

case {
  name = "spam case 11: Add me",
  item = { title = "Add me", body = "Want to talk? Add me on WhatsApp, or telegram: @best_deals_now for prices." },
  hits = { "MESSENGER_HANDLE" },
}

case {
  name = "spam case 12: App news",
  item = { title = "App news", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. WhatsApp and Telegram both said they would not share user data with the government." },
  misses = { "MESSENGER_HANDLE" },
}

case {
  name = "spam case 13: Comment by fan",
  item = { title = "Comment by fan", body = "Hey everyone, check out my new channel and please subscribe!" },
  hits = { "SELF_PROMOTION" },
}

case {
  name = "spam case 14: Magazine subscriptions",
  item = { title = "Magazine subscriptions", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. Many readers subscribe to the paper; the editor said: \"see our website for the full report\"." },
  misses = { "SELF_PROMOTION" },
}

case {
  name = "spam case 15: Comment by fan",
  item = { title = "Comment by fan", body = "Like this comment if you are watching in 2015" },
  hits = { "LIKE_BAIT" },
}

case {
  name = "spam case 16: Film review",
  item = { title = "Film review", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. It felt like if the director had never seen a western, and the audience did not like this film." },
  misses = { "LIKE_BAIT" },
}

case {
  name = "spam case 17: Deal",
  item = { title = "Deal", body = "Amazing prices at https://bit.ly/3xYzAbc for everyone who wants a bargain this weekend." },
  hits = { "URL_SHORTENER" },
}

case {
  name = "spam case 18: Report",
  item = { title = "Report", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. The full report is at https://www.example.org/reports/2004/budget.html for anyone to read." },
  misses = { "URL_SHORTENER" },
}

case {
  name = "spam case 19: Look",
  item = { title = "Look", body = "wow http://spam.example.com/x" },
  hits = { "LINK_IN_SHORT_TEXT" },
}

case {
  name = "spam case 20: Report",
  item = { title = "Report", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. The full report is at https://www.example.org/reports/2004/budget.html for anyone to read." },
  misses = { "LINK_IN_SHORT_TEXT" },
}

case {
  name = "spam case 21: Sale",
  item = { title = "Sale", body = "THIS IS THE BEST OFFER YOU WILL EVER SEE IN YOUR WHOLE LIFE, BUY IT TODAY" },
  hits = { "BODY_SHOUTING" },
}

case {
  name = "spam case 22: NATO summit",
  item = { title = "NATO summit", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. Leaders of NATO and the EU met the UN and the IMF in Brussels." },
  misses = { "BODY_SHOUTING" },
}

case {
  name = "spam case 23: Wow",
  item = { title = "Wow", body = "Amazing!!! You have to see this!!! Unbelievable!!" },
  hits = { "EXCLAMATION_RUNS" },
}

case {
  name = "spam case 24: Goal",
  item = { title = "Goal", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. \"What a goal!\" the manager said after the match." },
  misses = { "EXCLAMATION_RUNS" },
}

case {
  name = "spam case 25: FREE iPhone giveaway $$$",
  item = { title = "FREE iPhone giveaway $$$", body = "Enter the draw for a phone this week; The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. " },
  hits = { "TITLE_SPAM" },
}

case {
  name = "spam case 26: Free school meals extended",
  item = { title = "Free school meals extended", body = "Ministers extended free school meals; The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. " },
  misses = { "TITLE_SPAM" },
}

case {
  name = "spam case 27: Special оffer",
  item = { title = "Special оffer", body = "A word with a Cyrillic letter inside: оffer is not offer. The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. " },
  hits = { "MIXED_SCRIPT_WORD" },
}

case {
  name = "spam case 28: Moscow talks",
  item = { title = "Moscow talks", body = "Officials met in Москва (Moscow) and in Athens (Αθήνα) on Monday. The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. " },
  misses = { "MIXED_SCRIPT_WORD" },
}

case {
  name = "spam case 29: Home",
  item = { title = "Home", body = "Some text copied from a page. The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. " },
  hits = { "TITLE_IS_NAVIGATION" },
}

case {
  name = "spam case 30: Homecoming parade draws crowds",
  item = { title = "Homecoming parade draws crowds", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. " },
  misses = { "TITLE_IS_NAVIGATION" },
}

case {
  name = "spam case 31: Story",
  item = { title = "Story", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. \nLike this story? Share it with a friend!\n" },
  hits = { "SHARE_PROMPT" },
}

case {
  name = "spam case 32: Social media",
  item = { title = "Social media", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. \nPeople share stories with friends, the survey found, and share it widely.\n" },
  misses = { "SHARE_PROMPT" },
}

case {
  name = "spam case 33: Story",
  item = { title = "Story", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. \nRead also\n\nMinister resigns over expenses claims in surprise move\n\nFloods hit the north as rivers burst their banks\n" },
  hits = { "READ_ALSO_BLOCK" },
}

case {
  name = "spam case 34: Story",
  item = { title = "Story", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. \nRelated\nThis paragraph continues the story in full sentences, as a report does. It is not a teaser.\n" },
  misses = { "READ_ALSO_BLOCK" },
}

case {
  name = "spam case 35: Archive",
  item = { title = "Archive", body = "January 2019 February 2019 March 2019 April 2019 May 2019 June 2019\nThe council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. " },
  hits = { "ARCHIVE_NAVIGATION" },
}

case {
  name = "spam case 36: Timeline",
  item = { title = "Timeline", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. Prices rose in January 2019, fell in March 2019 and recovered by June 2019." },
  misses = { "ARCHIVE_NAVIGATION" },
}

case {
  name = "spam case 37: Story",
  item = { title = "Story", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. \nFresh news every hour on our site. You can add your news instantly now — here." },
  hits = { "SITE_PROMO_FOOTER" },
}

case {
  name = "spam case 38: Story",
  item = { title = "Story", body = "The council met on Tuesday to discuss the new budget for schools and roads, and members said the plan would be published next month after a public consultation. \nReaders sent their news to the editor, who added it to the paper." },
  misses = { "SITE_PROMO_FOOTER" },
}
