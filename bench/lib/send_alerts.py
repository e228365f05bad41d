#!/usr/bin/env python3
"""Sender of bench/first-action.sh: POSTs N Alertmanager v4 webhooks (one new alert each, fingerprint = the send
number) to Responder over HTTPS, `spacing` seconds apart, stamping time.time() just before each request is written.
Then waits for the HTTP target to log `/hit/<fingerprint>` for each and prints the distribution of arrival - send,
and of the webhook's own answer time (send -> 200)."""
import http.client
import json
import ssl
import sys
import time

port, token, cafile, count, spacing, target_log = (int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]),
                                                    float(sys.argv[5]), sys.argv[6])
context = ssl.create_default_context(cafile=cafile)
connection = http.client.HTTPSConnection("127.0.0.1", port, context=context)


def body(fingerprint):
    alert = {
        "status": "firing",
        "labels": {"alertname": "BenchFirstAction", "ecs_cluster": "hyperverge-prod", "job": "bullmq",
                   "queue": "monitor-queue", "severity": "critical", "instance": f"bench-{fingerprint}"},
        "annotations": {"summary": "first-action latency probe"},
        "startsAt": "2026-03-02T20:10:00Z", "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus:9090/graph", "fingerprint": fingerprint,
    }
    return json.dumps({
        "version": "4", "groupKey": "{}:{alertname=\"BenchFirstAction\"}", "truncatedAlerts": 0, "status": "firing",
        "receiver": "responder", "groupLabels": {"alertname": "BenchFirstAction"},
        "commonLabels": {"alertname": "BenchFirstAction"}, "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093", "alerts": [alert],
    })


run_tag = int(time.time()) & 0xFFFF
sent = {}
acks = []
for n in range(count):
    fingerprint = f"{run_tag:04x}{n:012x}"
    payload = body(fingerprint)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    started = time.time()
    connection.request("POST", "/hooks/alertmanager", payload, headers)
    response = connection.getresponse()
    response.read()
    acked = time.time()
    if response.status != 200:
        print(f"alert {n}: HTTP {response.status}", file=sys.stderr)
    sent[fingerprint] = started
    acks.append(acked - started)
    time.sleep(spacing)

arrivals = {}
deadline = time.time() + 30
while time.time() < deadline:
    arrivals = {}
    with open(target_log) as log:
        for line in log:
            stamp, path = line.split()
            fingerprint = path.rsplit("/", 1)[-1]
            if fingerprint in sent and fingerprint not in arrivals:
                arrivals[fingerprint] = float(stamp)
    if len(arrivals) == len(sent):
        break
    time.sleep(0.2)


def summary(values):
    values = sorted(v * 1000 for v in values)
    if not values:
        return "none"
    pick = lambda p: values[min(len(values) - 1, int(len(values) * p))]
    return f"p50 {pick(0.5):.1f} ms  p90 {pick(0.9):.1f} ms  p99 {pick(0.99):.1f} ms  max {values[-1]:.1f} ms"


latencies = [arrivals[f] - sent[f] for f in arrivals]
print(f"alerts sent: {len(sent)}, {spacing * 1000:.0f} ms apart; first action arrived for {len(arrivals)}")
print(f"RESULT alert-to-first-action: {summary(latencies)}")
print(f"RESULT webhook answer (send -> 200): {summary(acks)}")
