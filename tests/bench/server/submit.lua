-- submit.lua -- wrk script for `make bench-server`: every request is a
-- POST /v1/items of one news item, different for every request (thread
-- number and counter in the title and body), so the duplicate rules
-- find nothing and every item is filed.
local counter = 0
local path = os.getenv("NG_PATH") or "/v1/items"  -- /v1/check for dry runs
-- Several wrk at once (two servers on one database) must not send the
-- same items: each gets its own NG_TID_BASE.
local tid_base = tonumber(os.getenv("NG_TID_BASE") or "0")
local nthreads = 0
tid = 0   -- global: setup() sets it in each thread's state

function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
end

local syl = { "ba", "ko", "ri", "tan", "mel", "su", "dor", "vi", "ne",
  "lo", "gar", "pe", "shi", "mun", "ta", "re", "fo", "quin", "za", "hol" }

-- 45 pseudo-words drawn from n: bodies share few shingles, so the
-- near-duplicate rule stays quiet, as it would for real stories.
local function body(n)
  local t, x = {}, n * 2654435761 % 2147483648
  for i = 1, 45 do
    local w = {}
    for k = 1, 3 do
      x = (x * 1103515245 + 12345) % 2147483648
      w[k] = syl[math.floor(x / 256) % #syl + 1]
    end
    t[i] = table.concat(w)
  end
  return table.concat(t, " ")
end

request = function()
  counter = counter + 1
  local n = (tid_base + tid) * 100000000 + counter
  local item = string.format(
    '{"title":"Story %d from the council","body":"Story %d: %s.",' ..
    '"url":"https://example.org/news/%d","source":"Example Post",' ..
    '"submitter":"user%d"}', n, n, body(n), n, n % 97)
  return wrk.format("POST", path,
    { ["Content-Type"] = "application/json" }, item)
end

local failed = 0
response = function(status, headers, b)
  if status ~= 201 and status ~= 200 then failed = failed + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format(
    "requests %d, errors %d (non-2xx %d)\n" ..
    "throughput %.0f submissions/s\n" ..
    "latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, " ..
    "max %.2f ms\n",
    summary.requests, summary.errors.status + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000))
end
