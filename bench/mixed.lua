-- wrk script of the mixed scenario: each request a random path from the file named by the
-- first argument after "--" (one path a line); reports like report.lua, plus the statuses seen.
local paths = {}
counts = {}  -- global: done() reads each thread's copy with thread:get()
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  for line in io.lines(args[1]) do
    if line ~= "" then table.insert(paths, line) end
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

response = function(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

done = function(summary, latency, requests)
  local statuses = {}
  for _, thread in ipairs(threads) do
    local thread_counts = thread:get("counts")
    for status, count in pairs(thread_counts) do
      statuses[status] = (statuses[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(statuses) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "bad_status": %d, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "statuses": {%s}}\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    table.concat(parts, ", ")))
end
