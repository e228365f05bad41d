#!/usr/bin/env bash
# Restart-to-ready time with a large store: fills a state folder through the real store APIs (responder-bench
# fill-store: ALERTS journaled alerts with their plans, marked processed, and RUNS open runs with timers pending), then
# starts `responder serve` (release build, default Playbooks/, dry-run) REPEAT times and measures from process start
# to the first 200 of GET /readyz (polled every 10 ms). An empty state folder is measured the same way for comparison.
# Run by hand; not part of CI. Environment: ALERTS (default 100000), RUNS (default 10000), REPEAT (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh
ALERTS=${ALERTS:-100000}
RUNS=${RUNS:-10000}
REPEAT=${REPEAT:-3}

ensure_packages openssl:openssl curl:curl python3:python3 sqlite3:sqlite3 /usr/bin/time:time
swift build -c release --product responder
swift build -c release --product responder-bench
BIN=$PWD/.build/release/responder

TMP=$(mktemp -d /tmp/responder-restart.XXXXXX)
SERVE_PID=""
cleanup() {
  [ -z "$SERVE_PID" ] || stop_pid "$SERVE_PID"
  rm -rf "$TMP"
}
trap cleanup EXIT
make_cert "$TMP"

measure() { # label state-dir
  local label=$1 state=$2 i port out
  for i in $(seq "$REPEAT"); do
    port=$(free_port)
    out=$(python3 bench/lib/ready_timer.py "$TMP/pid" "$port" "$TMP/cert.pem" "$TMP/serve-$label.log" -- \
      "$BIN" serve --listen "127.0.0.1:$port" --state "$state" --playbooks "$PWD/Playbooks" \
      --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem")
    SERVE_PID=$(cat "$TMP/pid")
    local rss; rss=$(awk '/^VmRSS:/ {printf "%.1f MiB", $2/1024}' /proc/$SERVE_PID/status)
    # The run driver restores the open runs after the server is ready; its first pass logs how long that took.
    local waited=0 driver=""
    while [ -z "$driver" ] && [ "$waited" -lt 600 ]; do
      driver=$( (grep -c "run driver started" "$TMP/serve-$label.log" || true) | awk -v n="$i" '$1 >= n {print "yes"}')
      [ -n "$driver" ] || { sleep 0.05; waited=$((waited + 1)); }
    done
    driver=$( (grep "run driver started" "$TMP/serve-$label.log" || true) | tail -1 | sed -E 's/.*"seconds":"([0-9.]+)".*/\1/')
    echo "  $label start $i: $out; RSS when ready $rss; run driver's first pass done ${driver:-?} s after it began"
    stop_pid "$SERVE_PID"; SERVE_PID=""
  done
}

echo "empty state folder:"
measure empty "$TMP/empty"

echo "filling $TMP/large with $ALERTS alerts and $RUNS open runs:"
/usr/bin/time -f "  fill: %e s wall, peak RSS %M KiB" .build/release/responder-bench fill-store --state "$TMP/large" \
  --alerts "$ALERTS" --runs "$RUNS" --playbooks Playbooks
sqlite3 "$TMP/large/responder.sqlite" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
echo "  store: $(du -h "$TMP/large/responder.sqlite" | cut -f1) ($(stat -c %s "$TMP/large/responder.sqlite") bytes); $(sqlite3 "$TMP/large/responder.sqlite" \
  "select (select count(*) from delivery) || ' deliveries, ' || (select count(*) from alert) || ' alerts (' || (select count(*) from alert where processed_at is null) || ' unprocessed), ' || (select count(*) from run where status = 'active') || ' active runs'")"
echo "large state folder:"
measure large "$TMP/large"
echo "  store after the starts: $(du -ch "$TMP/large"/responder.sqlite* | tail -1 | cut -f1) (with WAL)"
machine_line
