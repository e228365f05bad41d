#!/usr/bin/env bash
# HTTPS ingest throughput and latency of `responder serve` (release build) under wrk, beside nginx answering 204 over
# HTTPS on the same loopback as the ceiling. Rows: nginx; Responder with a playbooks folder that matches nothing (pure
# ingest: authenticate, decode, journal with synchronous=FULL, answer) with new alerts and with a repeated (duplicate)
# payload; Responder with the default Playbooks/ (ingest + planning + runs, dry-run); the same on a PostgreSQL store
# (a throwaway local server, as several replicas would share; POSTGRES=0 skips it). Each at 8 and 32 connections.
# Prints requests/s, p50/p90/p99 latency, errors, non-2xx, ratio to nginx, and Responder's peak RSS (VmHWM).
# Run by hand; not part of CI. Environment: DURATION (wrk seconds, default 15), CONNECTIONS (default "8 32"),
# LOG_LEVEL (Responder's log_level, default info, the shipped default). BASE_BIN=path/to/an/older/responder adds the
# no-playbook rows for that binary, measured in the same run (how a change compares with the build before it).
# After the last row of each process, the script waits (up to 120 s) until the engine has handled every accepted alert
# and prints how long that took after the load stopped ("caught up"). SERVE_WRAPPER (words put before the responder
# command) runs it under another program, e.g. a slower disk's fsync:
# SERVE_WRAPPER="strace -f -qq --seccomp-bpf -e trace=fsync,fdatasync -e inject=fsync,fdatasync:delay_exit=2000 -o /dev/null"
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-"8 32"}
LOG_LEVEL=${LOG_LEVEL:-info}

POSTGRES=${POSTGRES:-1}
ensure_packages wrk:wrk nginx:nginx-light openssl:openssl curl:curl python3:python3 sqlite3:sqlite3
[ "$POSTGRES" = 0 ] || ensure_packages psql:postgresql
swift build -c release --product responder
BIN=$PWD/.build/release/responder

TMP=$(mktemp -d /tmp/responder-ingest.XXXXXX)
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
TOKEN=$(cat "$TMP/am-token")
mkdir -p "$TMP/empty-playbooks"
cat > "$TMP/empty-playbooks/none.yaml" <<'YAML'
# Matches nothing the benchmark sends: pure ingest.
playbooks:
  - name: bench-matches-nothing
    kind: emergency-scale
    match:
      matchers: [alertname="NeverSentByTheBenchmark"]
    actions:
      - notify: never
YAML

RESULTS=$TMP/results.tsv
: > "$RESULTS"
run_wrk() { # label connections port mode
  local label=$1 conns=$2 port=$3 mode=$4 line
  line=$(BENCH_TOKEN=$TOKEN BENCH_MODE=$mode BENCH_RUN=$RANDOM \
    wrk -t2 -c"$conns" -d"${DURATION}s" --latency -s bench/lib/alertmanager.lua "https://127.0.0.1:$port/hooks/alertmanager" \
    | tee "$TMP/wrk-$label-$conns.txt" | grep '^RESULT')
  echo "$label	$conns	$line" >> "$RESULTS"
  echo "  $label c=$conns: $line"
}

# --- nginx ceiling
NGINX_PORT=$(free_port)
mkdir -p "$TMP/nginx"
sed -e "s#@TMP@#$TMP#g" -e "s#@PORT@#$NGINX_PORT#g" bench/lib/nginx.conf.template > "$TMP/nginx.conf"
nginx -p "$TMP/nginx" -c "$TMP/nginx.conf" -g 'daemon off;' 2>"$TMP/nginx-stderr.log" &
NGINX_PID=$!; PIDS+=("$NGINX_PID")
until curl -sk -o /dev/null -X POST "https://127.0.0.1:$NGINX_PORT/hooks/alertmanager"; do sleep 0.05; done
echo "nginx $(nginx -v 2>&1 | sed 's/.*\///') on 127.0.0.1:$NGINX_PORT (worker_processes auto, return 204)"
for c in $CONNECTIONS; do run_wrk nginx "$c" "$NGINX_PORT" unique; done
stop_pid "$NGINX_PID"

# --- Responder: one fresh state folder and process per playbooks folder
RSS=$TMP/rss.tsv
: > "$RSS"
serve_rows() { # name playbooks-dir modes...  (DATABASE_URL set: on that PostgreSQL store instead of SQLite)
  local name=$1 playbooks=$2; shift 2
  local state=$TMP/state-$name port pid c mode
  mkdir -p "$state"
  port=$(free_port)
  RESPONDER_DATABASE_URL=${DATABASE_URL:-} \
  RESPONDER_ALERTMANAGER_BEARER_TOKEN_FILE=$TMP/am-token RESPONDER_LOG_LEVEL=$LOG_LEVEL \
    ${SERVE_WRAPPER:-} "${SERVE_BIN:-$BIN}" serve --listen "127.0.0.1:$port" --state "$state" --playbooks "$playbooks" \
    --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" >"$TMP/serve-$name.out" 2>"$TMP/serve-$name.log" &
  pid=$!; PIDS+=("$pid")
  wait_200 "$port" /readyz 60
  echo "responder ($name playbooks: $playbooks) pid $pid on 127.0.0.1:$port, log_level $LOG_LEVEL"
  for mode in "$@"; do
    if [ "$mode" = duplicate ]; then  # journal the repeated payload once, so every timed request is a duplicate
      BENCH_TOKEN=$TOKEN BENCH_MODE=duplicate wrk -t1 -c1 -d1s -s bench/lib/alertmanager.lua \
        "https://127.0.0.1:$port/hooks/alertmanager" >/dev/null
    fi
    for c in $CONNECTIONS; do run_wrk "$name-$mode" "$c" "$port" "$mode"; done
  done
  local rss db runs query backlog caught waited=0
  backlog="select count(*) from alert where processed_at is null"
  while :; do
    if [ -n "${DATABASE_URL:-}" ]; then left=$(psql -At "$DATABASE_URL" -c "$backlog"); else left=$(sqlite3 "$state/responder.sqlite" "$backlog"); fi
    if [ "$left" = 0 ] || [ "$waited" -ge 1200 ]; then break; fi
    sleep 0.1; waited=$((waited + 1))
  done
  caught="caught up $(awk -v w="$waited" 'BEGIN {printf "%.1f", w / 10}') s after the load stopped ($left left)"
  echo "  $caught"
  rss=$(peak_rss_mib "$pid")
  stop_pid "$pid"
  query="select (select count(*) from delivery) || ' deliveries, ' || (select count(*) from alert) || ' alerts (' || (select count(*) from alert where processed_at is null) || ' not yet handed to the run engine), ' || (select count(*) from run) || ' runs, ' || (select count(*) from executor_call) || ' dry-run executor calls'"
  if [ -n "${DATABASE_URL:-}" ]; then
    db=$(psql -At "$DATABASE_URL" -c "select pg_database_size(current_database()) / 1048576")
    runs=$(psql -At "$DATABASE_URL" -c "$query")
  else
    db=$(du -cm "$state"/responder.sqlite* | awk 'END {print $1}')
    runs=$(sqlite3 "$state/responder.sqlite" "$query")
  fi
  echo "$name	$rss	$db	$runs; $caught" >> "$RSS"
  echo "  peak RSS (VmHWM) $rss MiB; journal $db MiB; $runs"
}
serve_rows empty "$TMP/empty-playbooks" unique duplicate
[ -z "${BASE_BIN:-}" ] || SERVE_BIN=$BASE_BIN serve_rows base "$TMP/empty-playbooks" unique duplicate
serve_rows default "$PWD/Playbooks" unique
if [ "$POSTGRES" != 0 ]; then
  DATABASE_URL=$(start_postgres "$TMP")
  echo "PostgreSQL $(psql -At "$DATABASE_URL" -c 'show server_version') at $DATABASE_URL"
  DATABASE_URL=$DATABASE_URL serve_rows postgres "$PWD/Playbooks" unique
fi

# --- table
echo
machine_line
echo "wrk -t2 -c{$CONNECTIONS} -d${DURATION}s --latency, HTTPS (TLS 1.3, ECDSA P-256) on 127.0.0.1, one-alert Alertmanager v4 body (~1.6 KB) with a bearer token"
python3 - "$RESULTS" "$RSS" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
rss = {l.split("\t")[0]: l.rstrip("\n").split("\t")[1:] for l in open(sys.argv[2]) if l.strip()}
def parse(s):
    return dict(kv.split("=") for kv in s.split()[1:])
ceiling = {r[1]: float(parse(r[2])["rps"]) for r in rows if r[0] == "nginx"}
names = {"nginx": "nginx 204 (ceiling)", "empty-unique": "responder, no playbook matches, new alerts",
         "empty-duplicate": "responder, no playbook matches, duplicate payload",
         "base-unique": "BASE_BIN, no playbook matches, new alerts",
         "base-duplicate": "BASE_BIN, no playbook matches, duplicate payload",
         "default-unique": "responder, default Playbooks/ (dry-run runs), new alerts",
         "postgres-unique": "responder on PostgreSQL, default Playbooks/ (dry-run runs), new alerts"}
print("| row | conns | requests/s | p50 ms | p90 ms | p99 ms | errors | non-2xx | vs nginx | peak RSS |")
print("|---|---|---|---|---|---|---|---|---|---|")
for label, conns, line in rows:
    v = parse(line)
    ratio = float(v["rps"]) / ceiling[conns] if ceiling.get(conns) else float("nan")
    server = label.split("-")[0]
    peak = f'{rss[server][0]} MiB' if server in rss else "-"
    print(f'| {names.get(label, label)} | {conns} | {float(v["rps"]):,.0f} | {v["p50_ms"]} | {v["p90_ms"]} | {v["p99_ms"]} '
          f'| {v["errors"]} | {v["non2xx"]} | {ratio:.1%} | {peak} |')
for server, (peak, db, runs) in rss.items():
    print(f"responder ({server}): peak RSS {peak} MiB over all its rows; store {db} MiB at the end: {runs}")
PY
