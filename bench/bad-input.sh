#!/usr/bin/env bash
# Hostile bodies against a running `responder serve` (release build, default Playbooks/, SNS enabled for the AWS
# vectors' topic): COUNT mutated bodies (default 11,000) in ten classes (truncations, byte flips, deep nesting, lone
# and paired surrogate escapes, huge arrays, huge label maps, duplicate keys, invalid UTF-8, wrong types), seeded
# from the shared Alertmanager and SNS vectors and samples/, sent over HTTPS with valid Alertmanager credentials,
# one keep-alive connection. Prints answers by class, 5xx (must be 0), crashes (the process must be alive and its
# log free of runtime failures) and RSS growth after the first 1,000 requests (goal: under 10 MB).
# Run by hand; not part of CI. Environment: COUNT (default 11000), LOG_LEVEL (default warning: one refused
# delivery is one log line at notice).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh
COUNT=${COUNT:-11000}
LOG_LEVEL=${LOG_LEVEL:-warning}
VECTORS=${VECTORS:-$PWD/../shared/vectors}
ensure_packages openssl:openssl curl:curl python3:python3 sqlite3:sqlite3
swift build -c release --product responder
BIN=$PWD/.build/release/responder

TMP=$(mktemp -d /tmp/responder-bad-input.XXXXXX)
PID=""
cleanup() { [ -n "$PID" ] && stop_pid "$PID"; rm -rf "$TMP"; }
trap cleanup EXIT
make_cert "$TMP"
openssl rand -hex 32 > "$TMP/am-token"
mkdir -p "$TMP/state" "$TMP/sns-certs"
cp "$VECTORS"/sns/aws-php-sns-message-validator/*.pem "$TMP/sns-certs/"
for f in "$TMP"/sns-certs/sns.*.pem; do mv "$f" "$TMP/sns-certs/${f##*/sns.us-east-2.}"; done
TOPIC=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["TopicArn"])' \
  "$VECTORS/sns/aws-php-sns-message-validator/http_fixtures.json")
PORT=$(free_port)
RESPONDER_ALERTMANAGER_BEARER_TOKEN_FILE=$TMP/am-token RESPONDER_LOG_LEVEL=$LOG_LEVEL \
RESPONDER_SNS_ALLOWED_REGIONS=us-east-2 RESPONDER_SNS_ALLOWED_TOPIC_ARNS=$TOPIC \
RESPONDER_SNS_CERTIFICATE_DIR=$TMP/sns-certs RESPONDER_SNS_FETCH_CERTIFICATES=false \
  "$BIN" serve --listen "127.0.0.1:$PORT" --state "$TMP/state" --playbooks "$PWD/Playbooks" \
  --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" >"$TMP/serve.out" 2>"$TMP/serve.log" &
PID=$!
wait_200 "$PORT" /readyz 60
machine_line
echo "responder pid $PID on 127.0.0.1:$PORT (default Playbooks/, dry-run, log_level $LOG_LEVEL); $COUNT bodies"
status=0
python3 bench/lib/bad_input.py "$PORT" "$TMP/cert.pem" "$(cat "$TMP/am-token")" "$PID" "$COUNT" \
  "$VECTORS/alertmanager" "$VECTORS/sns" "$PWD/samples" || status=$?
if grep -E "Fatal error|runtime failure|Illegal instruction" "$TMP/serve.log" "$TMP/serve.out"; then
  echo "crash lines in the server's output (above)"; status=1
fi
echo "peak RSS (VmHWM): $(peak_rss_mib "$PID") MiB"
echo "log lines: $(wc -l < "$TMP/serve.log"); runs started: $(sqlite3 "$TMP/state/responder.sqlite" 'select count(*) from run' 2>/dev/null || echo '?')"
exit $status
