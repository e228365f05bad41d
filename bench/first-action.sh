#!/usr/bin/env bash
# Alert-to-first-action latency: `responder serve` (release build, executors.dry_run false) with one playbook whose
# first action is an `http` call to a local HTTP target. The sender posts N new alerts over HTTPS, SPACING seconds
# apart, stamping time.time() before each request; the target logs time.time() on arrival. Prints p50/p90/p99/max
# of arrival - send, and of the webhook's own answer time. Run by hand; not part of CI.
# Environment: COUNT (default 200), SPACING (seconds, default 0.05), LOG_LEVEL (default info).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh
COUNT=${COUNT:-200}
SPACING=${SPACING:-0.05}
LOG_LEVEL=${LOG_LEVEL:-info}

ensure_packages openssl:openssl curl:curl python3:python3 sqlite3:sqlite3
swift build -c release --product responder
BIN=$PWD/.build/release/responder

TMP=$(mktemp -d /tmp/responder-first-action.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
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
cat > "$TMP/playbooks/first-action.yaml" <<YAML
# bench/first-action.sh: the first (and only) action is an HTTP call to the local target.
playbooks:
  - name: bench-first-action
    kind: emergency-scale
    match:
      sources: [alertmanager]
      matchers: [alertname="BenchFirstAction"]
    actions:
      - http: {method: POST, url: "http://127.0.0.1:$TARGET_PORT/hit/\${alert.fingerprint}", body: "\${labels.instance}", expect_status: [204]}
    page: false
YAML
"$BIN" validate "$TMP/playbooks"

PORT=$(free_port)
RESPONDER_ALERTMANAGER_BEARER_TOKEN_FILE=$TMP/am-token RESPONDER_EXECUTORS_DRY_RUN=false RESPONDER_LOG_LEVEL=$LOG_LEVEL \
  "$BIN" serve --listen "127.0.0.1:$PORT" --state "$TMP/state" --playbooks "$TMP/playbooks" \
  --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" >"$TMP/serve.out" 2>"$TMP/serve.log" &
SERVE_PID=$!; PIDS+=("$SERVE_PID")
wait_200 "$PORT" /readyz 60
grep -i "executors" "$TMP/serve.out" || true

python3 bench/lib/send_alerts.py "$PORT" "$(cat "$TMP/am-token")" "$TMP/cert.pem" "$COUNT" "$SPACING" "$TMP/target.log"
echo "peak RSS (VmHWM) of responder: $(peak_rss_mib "$SERVE_PID") MiB"
stop_pid "$SERVE_PID"
sqlite3 "$TMP/state/responder.sqlite" \
  "select 'runs by status: ' || group_concat(status || '=' || n, ', ') from (select status, count(*) n from run group by status)" || true
machine_line
