#!/usr/bin/env bash
# Pending-timer benchmark: builds release binaries and fires 10,000 (then 100,000 with --large) durable timers
# through the real run coordinator and SQLite store. Prints restore time, fire lateness p50/p99/max and peak RSS.
# Run by hand; not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product responder-bench
BIN=.build/release/responder-bench
"$BIN" --count 10000 --spread 30
if [ "${1:-}" = "--large" ]; then
  "$BIN" --count 100000 --spread 60
fi
