-- Replays a pool of prepared requests in random order.
-- Each line of the pool file: METHOD <TAB> PATH <TAB> TOKEN <TAB> BODY
-- "__KEY__" in a body becomes a key unique to this run (the nonce after the
-- pool file in the script arguments), thread and request
-- (fresh idempotency keys for recordShare). Bodies that carry GraphQL
-- "errors" are counted as errors even when the status is 200.

local threads = {}
local pool = {}
local counter = 0
-- Unique to this wrk run (bench/run.py passes it): two runs within one
-- second must not reuse each other's idempotency keys.
local run_nonce = "0"
-- Globals, not locals: setup() sets thread_id with thread:set, and done()
-- reads each thread's graphql_errors with thread:get.
thread_id = 0
graphql_errors = 0

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  run_nonce = args[2] or tostring(os.time())
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    if #line > 0 then
      local f = split(line)
      local headers = { ["Accept"] = "application/graphql-response+json" }
      if f[3] ~= "" then headers["Authorization"] = "Bearer " .. f[3] end
      if f[4] ~= "" then headers["Content-Type"] = "application/json" end
      table.insert(pool, { method = f[1], path = f[2], headers = headers, body = f[4] })
    end
  end
  file:close()
  math.randomseed(os.time() + (thread_id or 0) * 7919)
end

function request()
  local r = pool[math.random(#pool)]
  local body = r.body
  if body ~= "" and body:find("__KEY__", 1, true) then
    counter = counter + 1
    body = body:gsub("__KEY__", string.format("%s-%d-%d", run_nonce, thread_id or 0, counter))
  end
  if body == "" then body = nil end
  return wrk.format(r.method, r.path, r.headers, body)
end

function response(status, headers, body)
  if body and body:find('"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
  end
end

function done(summary, latency, requests)
  local gql = 0
  for _, t in ipairs(threads) do
    gql = gql + (t:get("graphql_errors") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d,"errors_graphql":%d}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, gql))
end
