-- wrk script for bench/run. WORKLOAD: get, list, post or mixed (50 % get, 30 % list, 20 % post).
-- GET_PATHS / LIST_PATHS: files of paths, one is picked at random per request.
-- POST_PATH, POST_BODY, TOKEN: the write; every write carries a fresh Idempotency-Key.
-- Prints one JSON line at the end: requests/s, p50, p99 (ms) and errors.

local workload = os.getenv("WORKLOAD") or "get"

local function lines(name)
  local file = os.getenv(name)
  local list = {}
  if file then
    for line in io.lines(file) do
      if line ~= "" then list[#list + 1] = line end
    end
  end
  return list
end

local gets, lists = lines("GET_PATHS"), lines("LIST_PATHS")
local post_path, post_body = os.getenv("POST_PATH"), os.getenv("POST_BODY")
local post_headers = { ["Content-Type"] = "application/json" }
if os.getenv("TOKEN") then post_headers["Authorization"] = "Bearer " .. os.getenv("TOKEN") end

local thread_key = ""
local sent = 0

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6) + (tonumber(tostring({}):sub(8), 16) or 0))
  thread_key = string.format("%x-%x", os.time(), math.random(0, 2 ^ 30))
end

local function post()
  sent = sent + 1
  post_headers["Idempotency-Key"] = thread_key .. "-" .. sent
  return wrk.format("POST", post_path, post_headers, post_body)
end

local function get(list) return wrk.format("GET", list[math.random(#list)]) end

function request()
  if workload == "get" then return get(gets) end
  if workload == "list" then return get(lists) end
  if workload == "post" then return post() end
  local roll = math.random(100)
  if roll <= 50 then return get(gets) end
  if roll <= 80 then return get(lists) end
  return post()
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"errors":%d}\n',
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
