-- wrk script for bench/target-service.sh: POSTs pre-generated bodies in rotation and counts answers.
-- Usage: wrk -s bench/post-rotating.lua URL -- PAYLOAD_FILE [RUN_TAG]
--   PAYLOAD_FILE: one JSON body per line (the URL's path is used). Every event_id gets a suffix unique
--   to this run (RUN_TAG), wrk thread and pass over the file, so no event is ever sent twice and the
--   store does real inserts, not duplicate skips. Use a different RUN_TAG per wrk run against a server.
-- done() prints one machine-readable line:
--   WRK_RESULT requests=… duration_us=… status_202=… non_202=… status_429=… socket_errors=… timeouts=… p50_us=… p95_us=… p99_us=…

local threads = {}
local threadCount = 0

function setup(thread)
  threadCount = threadCount + 1
  thread:set("threadId", threadCount)
  table.insert(threads, thread)
end

local headers = { ["Content-Type"] = "application/json" }
-- Each body split right after each event_id value: table.concat(parts, suffix) appends suffix to every id.
local bodies = {}
local nextIndex = 1
local pass = 0
local tag = "r"
status202 = 0
status429 = 0
otherStatus = 0

local function splitAfterIds(body)
  local parts, position = {}, 1
  while true do
    local _, keyEnd = string.find(body, '"event_id":"', position, true)
    if keyEnd == nil then break end
    local close = string.find(body, '"', keyEnd + 1, true)
    table.insert(parts, string.sub(body, position, close - 1))
    position = close
  end
  table.insert(parts, string.sub(body, position))
  return parts
end

function init(args)
  local file = args[1]
  if file == nil then
    error("pass the payload file after --, e.g. wrk -s post-rotating.lua URL -- single.jsonl")
  end
  tag = args[2] or tag
  for line in io.lines(file) do
    if #line > 0 then
      table.insert(bodies, splitAfterIds(line))
    end
  end
  if #bodies == 0 then
    error("no bodies in " .. file)
  end
end

function request()
  local parts = bodies[nextIndex]
  local suffix = "~" .. tag .. (threadId or 1) .. "." .. pass
  nextIndex = nextIndex + 1
  if nextIndex > #bodies then
    nextIndex = 1
    pass = pass + 1
  end
  return wrk.format("POST", wrk.path, headers, table.concat(parts, suffix))
end

function response(status, _, _)
  if status == 202 then
    status202 = status202 + 1
  elseif status == 429 then
    status429 = status429 + 1
  else
    otherStatus = otherStatus + 1
  end
end

function done(summary, latency, _)
  local s202, s429, other = 0, 0, 0
  for _, thread in ipairs(threads) do
    s202 = s202 + thread:get("status202")
    s429 = s429 + thread:get("status429")
    other = other + thread:get("otherStatus")
  end
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d status_202=%d non_202=%d status_429=%d socket_errors=%d timeouts=%d p50_us=%d p95_us=%d p99_us=%d\n",
    summary.requests, summary.duration, s202, s429 + other, s429, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
