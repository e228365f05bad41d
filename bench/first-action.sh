#!/usr/bin/env bash
# Alert-to-first-action latency: `responder serve` (release build, executors.dry_run false) with one playbook whose
# first action is an `http` call to a local HTTP target. The sender posts N new alerts over HTTPS, SPACING seconds
# apart, stamping time.time() before each request; the target logs time.time() on arrival. Prints p50/p90/p99/max
# of arrival - send, and of the webhook's own answer time. Run by hand; not part of CI.
# Environment: COUNT (default 200), SPACING (seconds, default 0.05), LOG_LEVEL (default info).
# FLOOD=R (default 0: none) sends a background flood of about R new alerts/s during the measurement (wrk, 16 keep-alive
# connections each pausing 16000/R - 3 ms before each request; the achieved rate is printed, bench/lib/alertmanager.lua's unique alerts, each its own
# fingerprint); they match `bench-flood`, an emergency-scale playbook scaling one command target (a file) to 10 and
# stepping it down 20 minutes after the resolve, so every flood alert is journaled, planned and handled by the
# engine: the first starts a run, which stays open, and the rest join it (one run per target), as a flood of alerts on
# one service would.
# STORE=postgres runs `serve` on a throwaway local PostgreSQL instead of SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh
COUNT=${COUNT:-200}
SPACING=${SPACING:-0.05}
LOG_LEVEL=${LOG_LEVEL:-info}
FLOOD=${FLOOD:-0}
STORE=${STORE:-sqlite}

ensure_packages openssl:openssl curl:curl python3:python3 sqlite3:sqlite3 wrk:wrk
swift build -c release --product responder
BIN=$PWD/.build/release/responder

TMP=$(mktemp -d /tmp/responder-first-action.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  [ -f "$TMP/pg.pid" ] && stop_pid "$(cat "$TMP/pg.pid")"
  [ -f "$TMP/pg.dir" ] && rm -rf "$(cat "$TMP/pg.dir")"
  rm -rf "$TMP"
}
trap cleanup EXIT
make_cert "$TMP"
openssl rand -hex 32 > "$TMP/am-token"

TARGET_PORT=$(free_port)
: > "$TMP/target.log"
python3 bench/lib/http_target.py "$TARGET_PORT" "$TMP/target.log" &
PIDS+=("$!")

mkdir -p "$TMP/playbooks"
echo 2 > "$TMP/flood-replicas"
cat > "$TMP/playbooks/first-action.yaml" <<YAML
# bench/first-action.sh: the first (and only) action is an HTTP call to the local target.
playbooks:
  - name: bench-first-action
    kind: emergency-scale
    match:
      sources: [alertmanager]
      matchers: [alertname="BenchFirstAction"]
    actions:
      - http: {method: POST, url: "http://127.0.0.1:$TARGET_PORT/hit/\${alert.fingerprint}", json: {instance: "\${labels.instance}"}, expect_status: [204]}
    page: false
  - name: bench-flood
    kind: emergency-scale
    match:
      sources: [alertmanager]
      matchers: [alertname="QueueDepthHigh"]
    actions:
      - scale: {target: flood-worker, to: 10}
    step_down:
      hold: 20m
      every: 10m
      levels:
        flood-worker: [floor]
    page: false
targets:
  - name: flood-worker
    command:
      get: [cat, "$TMP/flood-replicas"]
      set: [python3, -c, "import sys; open(sys.argv[1], 'w').write(sys.argv[2])", "$TMP/flood-replicas", "{replicas}"]
    bounds: {floor: 2, ceiling: 10}
YAML
"$BIN" validate "$TMP/playbooks"

STORE_ENV=()
if [ "$STORE" = postgres ]; then
  STORE_ENV=(RESPONDER_DATABASE_URL="$(start_postgres "$TMP")")
fi
PORT=$(free_port)
env "${STORE_ENV[@]}" RESPONDER_ALERTMANAGER_BEARER_TOKEN_FILE=$TMP/am-token RESPONDER_EXECUTORS_DRY_RUN=false RESPONDER_LOG_LEVEL=$LOG_LEVEL \
  "$BIN" serve --listen "127.0.0.1:$PORT" --state "$TMP/state" --playbooks "$TMP/playbooks" \
  --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" >"$TMP/serve.out" 2>"$TMP/serve.log" &
SERVE_PID=$!; PIDS+=("$SERVE_PID")
wait_200 "$PORT" /readyz 60
grep -i "executors" "$TMP/serve.out" || true

FLOOD_PID=""
if [ "$FLOOD" -gt 0 ]; then
  # 16 connections, each pausing 16000/R ms less the ~3 ms a request takes here: about R requests/s in all.
  DELAY_MS=$(( 16000 / FLOOD > 3 ? 16000 / FLOOD - 3 : 0 ))
  BENCH_TOKEN=$(cat "$TMP/am-token") BENCH_MODE=unique BENCH_RUN=$((RANDOM % 256)) BENCH_DELAY_MS=$DELAY_MS \
    wrk -t2 -c16 -d$(( $(python3 -c "print(int($COUNT * $SPACING) + 10)") ))s --latency -s bench/lib/alertmanager.lua \
    "https://127.0.0.1:$PORT/hooks/alertmanager" > "$TMP/flood.out" 2>&1 &
  FLOOD_PID=$!
  sleep 3 # the flood runs before the first probe
fi
python3 bench/lib/send_alerts.py "$PORT" "$(cat "$TMP/am-token")" "$TMP/cert.pem" "$COUNT" "$SPACING" "$TMP/target.log"
if [ -n "$FLOOD_PID" ]; then
  wait "$FLOOD_PID" || true
  echo "flood: $(grep RESULT "$TMP/flood.out")"
fi
echo "peak RSS (VmHWM) of responder: $(peak_rss_mib "$SERVE_PID") MiB"
stop_pid "$SERVE_PID"
[ -z "${KEEP_LOG:-}" ] || cp "$TMP/serve.log" "$KEEP_LOG"
[ "$STORE" = postgres ] || sqlite3 "$TMP/state/responder.sqlite" \
  "select 'runs by status: ' || group_concat(status || '=' || n, ', ') from (select status, count(*) n from run group by status)" || true
machine_line
