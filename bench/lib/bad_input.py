#!/usr/bin/env python3
"""Sends mutated bodies to both webhooks of a running `responder serve` over TLS and reports the answers.

Usage: bad_input.py PORT CAFILE AM_TOKEN PID COUNT SEED_DIR...

Seeds: every *.json under the SEED_DIRs that is an Alertmanager v4 body (goes to /hooks/alertmanager with the
bearer token) or an SNS envelope / a list of them (goes to /hooks/sns). Each request takes one mutation class in
turn, so every class gets COUNT / classes requests. Deterministic (random.Random(13)).

Prints, per class and in total, answers by status, connection failures, 5xx; Responder's RSS (VmRSS) after the
first 1,000 requests and at the end; whether the process is still alive. Exit status 1 when the process died, any
answer was 5xx, or a connection failed other than right after a 413 (which closes the connection on purpose).
"""
import http.client
import json
import os
import random
import ssl
import sys
import time

PORT, CAFILE, TOKEN, PID, COUNT = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
SEED_DIRS = sys.argv[6:]
AM_CAP = 1 << 20
SNS_CAP = 512 << 10
rng = random.Random(13)


def load_seeds():
    am, sns = [], []
    for root in SEED_DIRS:
        for folder, _, files in os.walk(root):
            for name in sorted(files):
                if not name.endswith(".json"):
                    continue
                try:
                    value = json.load(open(os.path.join(folder, name), encoding="utf-8"))
                except ValueError:
                    continue
                items = value if isinstance(value, list) else [value]
                for item in items:
                    if isinstance(item, dict) and item.get("version") == "4" and isinstance(item.get("alerts"), list):
                        am.append(item)
                    elif isinstance(item, dict) and "TopicArn" in item and "Signature" in item:
                        sns.append(item)
    return am, sns


AM_SEEDS, SNS_SEEDS = load_seeds()
if not AM_SEEDS or not SNS_SEEDS:
    sys.exit(f"need Alertmanager and SNS seeds, found {len(AM_SEEDS)} and {len(SNS_SEEDS)}")


def encode(value):
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def seed():
    """(route, parsed seed) with the Alertmanager hook twice as often as SNS."""
    if rng.random() < 2 / 3:
        return "/hooks/alertmanager", json.loads(json.dumps(rng.choice(AM_SEEDS)))
    return "/hooks/sns", json.loads(json.dumps(rng.choice(SNS_SEEDS)))


def strings_of(value, path=()):
    """Paths of every string in a parsed document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from strings_of(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_of(item, path + (index,))
    elif isinstance(value, str):
        yield path


def set_at(document, path, new):
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new


def replace_in_text(body, needle_bytes):
    """Puts raw bytes inside a random string literal of an encoded body."""
    quotes = [i for i, b in enumerate(body) if b == 0x22]
    if len(quotes) < 2:
        return body + needle_bytes
    at = rng.choice(quotes[1:]) if rng.random() < 0.5 else rng.choice(quotes)
    return body[:at] + needle_bytes + body[at:]


def truncation(route, doc):
    body = encode(doc)
    return route, body[: rng.randrange(0, max(1, len(body)))]


def byte_flips(route, doc):
    body = bytearray(encode(doc))
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(body))
        body[i] = rng.randrange(256)
    return route, bytes(body)


def deep_nesting(route, doc):
    depth = rng.choice([65, 100, 1000, 10_000, 100_000])
    opener, closer = (b"[", b"]") if rng.random() < 0.5 else (b'{"a":', b"}")
    inner = opener * depth + b"1" + closer * depth
    if rng.random() < 0.5:
        return route, inner
    body = encode(doc)
    # Inside the first object: {"x": <deep>, ...}
    return route, b'{"x":' + inner + b"," + body[1:]


def lone_surrogates(route, doc):
    escape = rng.choice([rb"\ud800", rb"\udc00", rb"\ud800\ud800", rb"\udbff\u0041", rb"\ud800\\", rb"\udfff\ud800"])
    return route, replace_in_text(encode(doc), escape)


def paired_surrogates(route, doc):
    return route, replace_in_text(encode(doc), rng.choice([rb"\ud83d\ude00", rb"\udbff\udfff", rb"\ud800\udc00"]))


def huge_arrays(route, doc):
    cap = AM_CAP if route == "/hooks/alertmanager" else SNS_CAP
    if route == "/hooks/alertmanager" and doc["alerts"]:
        alert = doc["alerts"][0]
        one = len(encode(alert)) + 1
        doc["alerts"] = [alert] * rng.randint(2, max(3, int(cap * 1.2) // one))
    else:
        doc["Extra"] = [0] * rng.randint(1000, cap // 2 + 10_000)
    return route, encode(doc)


def huge_label_maps(route, doc):
    size = rng.choice([1000, 10_000, 60_000])
    labels = {f"l{i}": "v" * rng.randint(0, 8) for i in range(size)}
    if route == "/hooks/alertmanager" and doc["alerts"]:
        doc["alerts"][0]["labels"] = dict(doc["alerts"][0].get("labels", {}), **labels)
    else:
        doc["MessageAttributes"] = {k: {"Type": "String", "Value": v} for k, v in list(labels.items())[: size // 4]}
    return route, encode(doc)


def duplicate_keys(route, doc):
    body = encode(doc)
    key = rng.choice([b'"status"', b'"Type"', b'"labels"', b'"alerts"', b'"Message"', b'"version"'])
    i = body.find(key)
    if i < 0:
        return route, b'{"a":1,"a":2,' + body[1:]
    j = body.find(b":", i)
    dup = key + b':"x",'
    return route, body[:i] + dup + body[i:] if j > 0 else body


def invalid_utf8(route, doc):
    bad = rng.choice([b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80", b"\xff\xfe", b"\xc3"])
    return route, replace_in_text(encode(doc), bad)


def wrong_types(route, doc):
    paths = list(strings_of(doc))
    replacement = rng.choice([0, -1, 1e308, True, None, [], {}, [1, 2], {"a": 1}, 99999999999999999999,
                              -9223372036854775809, "x" * 100_000])
    if paths:
        set_at(doc, rng.choice(paths), replacement)
    for key in ("truncatedAlerts", "version", "SignatureVersion", "Timestamp"):
        if key in doc and rng.random() < 0.3:
            doc[key] = rng.choice([1.7976931348623157e308, -1, 2**64, "9" * 400, None, [], "1e400"])
    # JSON has no limit on exponents: a number past Double's range, as a sender could write it.
    return route, encode(doc).replace(b"1.7976931348623157e+308", b"1e400")


CLASSES = [
    ("truncation", truncation), ("byte flips", byte_flips), ("deep nesting", deep_nesting),
    ("lone surrogates", lone_surrogates), ("paired surrogates", paired_surrogates), ("huge arrays", huge_arrays),
    ("huge label maps", huge_label_maps), ("duplicate keys", duplicate_keys), ("invalid UTF-8", invalid_utf8),
    ("wrong types", wrong_types),
]


def rss_mib(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


context = ssl.create_default_context(cafile=CAFILE)
connection = None


def send(route, body):
    """Status code, or a string naming the connection failure."""
    global connection
    headers = {"Content-Type": "application/json"}
    if route == "/hooks/alertmanager":
        headers["Authorization"] = f"Bearer {TOKEN}"
    else:
        headers["Content-Type"] = "text/plain; charset=UTF-8"
    for attempt in range(2):
        if connection is None:
            connection = http.client.HTTPSConnection("127.0.0.1", PORT, context=context, timeout=30)
        try:
            connection.request("POST", route, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close" or response.status == 413:
                connection.close()
                connection = None
            return response.status
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            connection = None
            if attempt == 1:
                return type(error).__name__
    return "unreachable"


results = {name: {} for name, _ in CLASSES}
sizes = {name: 0 for name, _ in CLASSES}
rss_after_first = None
trace = []
started = time.monotonic()
previous_413 = False
unexpected_failures = 0
for index in range(COUNT):
    name, mutate = CLASSES[index % len(CLASSES)]
    route, document = seed()
    route, body = mutate(route, document)
    sizes[name] += len(body)
    status = send(route, body)
    if isinstance(status, str) and not previous_413:
        unexpected_failures += 1
    previous_413 = status == 413
    key = str(status)
    results[name][key] = results[name].get(key, 0) + 1
    if index + 1 == 1000:
        rss_after_first = rss_mib(PID)
    if (index + 1) % 1000 == 0:
        trace.append(f"{(index + 1) // 1000}k: {rss_mib(PID) or 0:.1f}")
elapsed = time.monotonic() - started
rss_end = rss_mib(PID)
is_alive = alive(PID)

totals = {}
for counts in results.values():
    for key, value in counts.items():
        totals[key] = totals.get(key, 0) + value
fivexx = sum(v for k, v in totals.items() if k.isdigit() and k.startswith("5"))
failures = sum(v for k, v in totals.items() if not k.isdigit())

print(f"requests: {COUNT} in {elapsed:.1f} s ({COUNT / elapsed:,.0f}/s), seeds: {len(AM_SEEDS)} Alertmanager, {len(SNS_SEEDS)} SNS")
print("| class | requests | mean body | answers |")
print("|---|---|---|---|")
for name, _ in CLASSES:
    n = sum(results[name].values())
    answers = ", ".join(f"{k}: {v}" for k, v in sorted(results[name].items()))
    print(f"| {name} | {n} | {sizes[name] / max(n, 1) / 1024:,.1f} KiB | {answers} |")
print(f"| all | {COUNT} | | " + ", ".join(f"{k}: {v}" for k, v in sorted(totals.items())) + " |")
print(f"5xx: {fivexx}; connection failures: {failures} ({unexpected_failures} not after a 413); process alive: {is_alive}")
if rss_after_first is not None and rss_end is not None:
    print(f"RSS after 1,000 requests: {rss_after_first:.1f} MiB; at the end: {rss_end:.1f} MiB; "
          f"growth: {rss_end - rss_after_first:+.1f} MiB")
    print("RSS (MiB) every 1,000 requests: " + ", ".join(trace))
sys.exit(0 if is_alive and fivexx == 0 and unexpected_failures == 0 else 1)
