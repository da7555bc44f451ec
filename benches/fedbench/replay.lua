-- wrk script of benches/federation.sh: replays raw HTTP requests written by
-- `fedbench inbox-prep` (each as "<length>\n<bytes>"), every request once,
-- spread over wrk's threads (thread t sends requests t, t+T, t+2T...).
--
--   wrk -t2 -c10 -d10s -s replay.lua http://127.0.0.1:PORT -- FILE THREADS [PATH|-] [close]
--
-- With PATH, every request goes to PATH instead of its own target (the
-- baselines: same headers and body, another program answers). With `close`,
-- every request says `Connection: close` (wrk reconnects for the next one):
-- under prefork + mod_cgi a kept-alive connection waits 47 ms before its next
-- request whenever the CGI process had not quite exited when Apache cleaned
-- up the request (APR sends it SIGTERM and sleeps 46.875 ms). When a thread
-- has sent all its requests it starts again from its first one, and says so
-- (the replayed activities are duplicates, which the inbox answers faster).
-- Ends with one line for benches/federation.sh:
--   WRK_RESULT requests=.. seconds=.. rps=.. p50_ms=.. p99_ms=.. mean_ms=.. non2xx=.. socket_errors=.. wrapped=..

local threads = {}
local counter = 0

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   local path, nthreads, target, close = args[1], tonumber(args[2]), args[3], args[4] == "close"
   if target == "-" then
      target = nil
   end
   local f = assert(io.open(path, "rb"))
   local data = f:read("*a")
   f:close()
   local all = {}
   local pos = 1
   while pos <= #data do
      local nl = data:find("\n", pos, true)
      local len = tonumber(data:sub(pos, nl - 1))
      local r = data:sub(nl + 1, nl + len)
      if target then
         r = r:gsub("^(%u+) [^ ]+ ", "%1 " .. target .. " ", 1)
      end
      if close then
         r = r:gsub("\r\n", "\r\nConnection: close\r\n", 1)
      end
      all[#all + 1] = r
      pos = nl + 1 + len
   end
   assert(#all > 0, "no requests in " .. path)
   -- Fewer requests than threads (the baselines' one sample): all for each.
   reqs = {}
   for i, r in ipairs(all) do
      if #all < nthreads or (i - 1) % nthreads == tid then
         reqs[#reqs + 1] = r
      end
   end
   idx = 0
   wrapped = 0
end

function request()
   idx = idx + 1
   if idx > #reqs then
      idx = 1
      wrapped = wrapped + 1
   end
   return reqs[idx]
end

function done(summary, latency, requests)
   local wraps = 0
   for _, t in ipairs(threads) do
      wraps = wraps + (t:get("wrapped") or 0)
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "WRK_RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.2f p99_ms=%.2f mean_ms=%.2f non2xx=%d socket_errors=%d wrapped=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000,
      e.status, e.connect + e.read + e.write + e.timeout, wraps))
end
