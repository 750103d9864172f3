-- wrk script: a fixed request rate on a fixed schedule (open loop), for bench/server/run.sh.
--
--   wrk -t1 -c16 -d30s --latency -s bench/server/fixed-rate.lua URL -- RATE
--
-- wrk 4.1 on its own sends as fast as it can (a saturating test: its p99 says nothing about a given
-- rate). Here the thread keeps one schedule of slots, 1/RATE seconds apart. Each connection, when it is
-- free for its next request, takes the next unclaimed slot and waits (wrk's delay()) until that slot's
-- time. So requests leave at RATE per second, evenly spaced, whatever the latency, as long as fewer than
-- the -c connections are busy at once. If every connection is busy when a slot comes, that request leaves
-- late: it is counted in `late` (with the worst lateness), the sign that the server did not keep up and
-- that the latencies below understate what a client on this schedule saw (coordinated omission).
-- Use one thread (-t1): the schedule is per thread.
--
-- done() writes key=value lines (to the file $FIXED_RATE_OUT, else stdout): requests, duration_s, rate, latency
-- percentiles in ms, errors by kind, responses that were not 200, late requests.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } cairn_timespec;
int clock_gettime(int clk_id, cairn_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("cairn_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local threads = {}
local out_file = nil

function setup(thread)
  table.insert(threads, thread)
end

-- Per thread (each wrk thread has its own Lua state).
local interval_us = nil
local next_slot = nil
late = 0
late_max_us = 0
not_ok = 0
not_ok_codes = ""

function init(args)
  local rate = tonumber(args[1])
  if rate == nil or rate <= 0 then
    error("fixed-rate.lua: pass the rate after --, e.g. -- 200")
  end
  interval_us = 1000000 / rate
end

function delay()
  local now = now_us()
  if next_slot == nil then
    next_slot = now
  end
  local slot = next_slot
  next_slot = next_slot + interval_us
  local wait = slot - now
  if wait < -1000 then
    late = late + 1
    if -wait > late_max_us then
      late_max_us = -wait
    end
  end
  if wait <= 0 then
    return 0
  end
  -- wrk's timer takes whole milliseconds: round, so the mean spacing stays exact.
  return math.floor(wait / 1000 + 0.5)
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    if not string.find(not_ok_codes, "[" .. status .. "]", 1, true) then
      not_ok_codes = not_ok_codes .. "[" .. status .. "]"
    end
  end
end

function done(summary, latency, requests)
  local lines = {}
  local function put(k, v)
    table.insert(lines, k .. "=" .. tostring(v))
  end
  local late_total, late_max, bad, codes = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    late_total = late_total + (t:get("late") or 0)
    late_max = math.max(late_max, t:get("late_max_us") or 0)
    bad = bad + (t:get("not_ok") or 0)
    codes = codes .. (t:get("not_ok_codes") or "")
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  put("requests", summary.requests)
  put("duration_s", string.format("%.2f", seconds))
  put("rate", string.format("%.1f", summary.requests / seconds))
  put("p50_ms", string.format("%.2f", latency:percentile(50) / 1000))
  put("p90_ms", string.format("%.2f", latency:percentile(90) / 1000))
  put("p99_ms", string.format("%.2f", latency:percentile(99) / 1000))
  put("p999_ms", string.format("%.2f", latency:percentile(99.9) / 1000))
  put("max_ms", string.format("%.2f", latency.max / 1000))
  put("mean_ms", string.format("%.2f", latency.mean / 1000))
  put("errors_connect", e.connect)
  put("errors_read", e.read)
  put("errors_write", e.write)
  put("errors_timeout", e.timeout)
  put("errors_status", e.status)
  put("not_200", bad)
  put("not_200_codes", codes == "" and "-" or codes)
  put("errors", e.connect + e.read + e.write + e.timeout + bad)
  put("late", late_total)
  put("late_max_ms", string.format("%.1f", late_max / 1000))
  local text = table.concat(lines, "\n") .. "\n"
  local path = os.getenv("FIXED_RATE_OUT")
  if path ~= nil and path ~= "" then
    local f = assert(io.open(path, "w"))
    f:write(text)
    f:close()
  else
    io.write(text)
  end
end
