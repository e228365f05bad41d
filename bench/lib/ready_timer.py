#!/usr/bin/env python3
"""bench/restart.sh: starts `responder serve ARGS...` and measures from process start to the first 200 of
GET /readyz, polling every 10 ms over HTTPS. Prints `READY <seconds>` and leaves the process running; its pid is
written to the file named by the first argument. Usage: ready_timer.py PIDFILE PORT CAFILE LOGFILE -- COMMAND..."""
import http.client
import ssl
import subprocess
import sys
import time

pidfile, port, cafile, logfile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
command = sys.argv[sys.argv.index("--") + 1:]
context = ssl.create_default_context(cafile=cafile)
log = open(logfile, "ab")
started = time.monotonic()
process = subprocess.Popen(command, stdout=log, stderr=log)
open(pidfile, "w").write(str(process.pid))
first_503 = None
while True:
    if process.poll() is not None:
        print(f"FAILED: responder exited with {process.returncode}")
        sys.exit(1)
    try:
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=2)
        connection.request("GET", "/readyz")
        status = connection.getresponse().status
        connection.close()
        if status == 200:
            break
        if first_503 is None:
            first_503 = time.monotonic() - started
    except (ConnectionRefusedError, ConnectionResetError, ssl.SSLError, OSError):
        pass
    if time.monotonic() - started > 600:
        print("FAILED: not ready after 600 s")
        sys.exit(1)
    time.sleep(0.01)
ready = time.monotonic() - started
print(f"READY {ready:.3f}" + (f" (first non-200 answer at {first_503:.3f} s)" if first_503 is not None else ""))
