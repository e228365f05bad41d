-- wrk script: POSTs an Alertmanager v4 webhook shaped like samples/alerts/hyperverge-worker-queue-depth-high.json
-- with a bearer token. Environment:
--   BENCH_TOKEN   the Alertmanager bearer token (required)
--   BENCH_MODE    "unique" (default): every request carries a new alert (fingerprint and `instance` label from a
--                 per-thread counter, so no two requests of a run share an alert); "duplicate": the same payload
--                 every time (what an HA peer re-sending looks like; the journal answers "duplicate").
--   BENCH_RUN     a tag mixed into the unique fingerprints so separate runs against one store never collide.
--   BENCH_DELAY_MS  a pause before each request of a connection (a paced flood: C connections send at most
--                 C * 1000 / BENCH_DELAY_MS requests/s); 0 or unset: back to back.
-- done() prints one machine-readable line: RESULT rps=... p50_ms=... p90_ms=... p99_ms=... errors=... non2xx=...

local mode = os.getenv("BENCH_MODE") or "unique"
local token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
local run = tonumber(os.getenv("BENCH_RUN") or "0")
local pause_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")

local threads = {}
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

local head = '{"version":"4","groupKey":"{}/{severity=~\\"warning|critical\\"}:{alertname=\\"QueueDepthHigh\\", ecs_cluster=\\"hyperverge-prod\\", queue=\\"monitor-queue\\"}",'
  .. '"truncatedAlerts":0,"status":"firing","receiver":"responder",'
  .. '"groupLabels":{"alertname":"QueueDepthHigh","ecs_cluster":"hyperverge-prod","queue":"monitor-queue"},'
  .. '"commonLabels":{"alertname":"QueueDepthHigh","ecs_cluster":"hyperverge-prod","job":"bullmq","queue":"monitor-queue","severity":"warning"},'
  .. '"commonAnnotations":{"summary":"monitor-queue holds 3412 waiting jobs (threshold 1000)",'
  .. '"description":"BullMQ monitor-queue on hyperverge-prod has had more than 1000 waiting jobs for 5 minutes.",'
  .. '"runbook_url":"https://runbooks.example.com/hyperverge/scaling#scaling-triggers"},'
  .. '"externalURL":"http://alertmanager:9093","alerts":[{"status":"firing",'
  .. '"labels":{"alertname":"QueueDepthHigh","ecs_cluster":"hyperverge-prod","job":"bullmq","queue":"monitor-queue","severity":"warning","instance":"'
local middle = '"},"annotations":{"summary":"monitor-queue holds 3412 waiting jobs (threshold 1000)",'
  .. '"description":"BullMQ monitor-queue on hyperverge-prod has had more than 1000 waiting jobs for 5 minutes.",'
  .. '"runbook_url":"https://runbooks.example.com/hyperverge/scaling#scaling-triggers"},'
  .. '"startsAt":"2026-03-02T20:10:00Z","endsAt":"0001-01-01T00:00:00Z",'
  .. '"generatorURL":"http://prometheus:9090/graph?g0.expr=bull_queue_waiting%7Becs_cluster%3D%22hyperverge-prod%22%2Cqueue%3D%22monitor-queue%22%7D+%3E+1000&g0.tab=1",'
  .. '"fingerprint":"'
local tail = '"}]}'

local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
}

local counter = 0
local tid_value = 0
local fixed = nil

function init(args)
  tid_value = tonumber(tid) or 0
  if mode == "duplicate" then
    fixed = wrk.format("POST", "/hooks/alertmanager", headers,
      head .. "worker-0" .. middle .. "ba9dff575eaaa157" .. tail)
  end
end

function delay()
  return pause_ms
end

function request()
  if fixed then return fixed end
  counter = counter + 1
  local fingerprint = string.format("%02x%02x%012x", run % 256, tid_value, counter)
  local body = head .. "worker-" .. tid_value .. "-" .. counter .. middle .. fingerprint .. tail
  return wrk.format("POST", "/hooks/alertmanager", headers, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
