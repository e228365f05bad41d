# Shared helpers of the bench/*.sh scripts (sourced, not run).

# Installs the Debian packages named by their probe command when the command is missing: "cmd:package ...".
ensure_packages() {
  local need=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Self-signed ECDSA P-256 certificate for 127.0.0.1/localhost (the curve Responder generates) into $1/cert.pem, key.pem.
make_cert() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null
}

# Polls https://127.0.0.1:$1$2 until it answers 200 (timeout $3 seconds, default 60).
wait_200() {
  local deadline=$(( $(date +%s) + ${3:-60} ))
  until [ "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$1$2" 2>/dev/null)" = "200" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out waiting for https://127.0.0.1:$1$2" >&2; return 1; }
    sleep 0.05
  done
}

# Peak resident set (VmHWM) of a process, in MiB.
peak_rss_mib() {
  awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# Stops a process we started (SIGTERM, then SIGKILL after 10 s) and waits for it.
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

machine_line() {
  echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, Debian $(cat /etc/debian_version), $(swift --version 2>&1 | head -1)"
}

# Starts a throwaway PostgreSQL (Debian's server binaries) in a temp folder of its own on a free loopback port, creates
# database `responder`, and prints its URL; the server's pid goes to $1/pg.pid and its folder to $1/pg.dir. As root it
# runs as user postgres (which cannot enter $1).
start_postgres() {
  local dir port bin as=()
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  port=$(free_port)
  dir=$(mktemp -d /tmp/responder-bench-pg.XXXXXX)
  echo "$dir" > "$1/pg.dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir"
    as=(setpriv --reuid postgres --regid postgres --init-groups)
  fi
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
  "${as[@]}" "$bin/postgres" -D "$dir/data" -p "$port" -k "$dir" -c listen_addresses=127.0.0.1 \
    >"$dir/server.log" 2>&1 &
  echo $! > "$1/pg.pid"
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; do sleep 0.1; done
  psql -q -h 127.0.0.1 -p "$port" -U postgres -c 'CREATE DATABASE responder' >/dev/null
  echo "postgres://postgres@127.0.0.1:$port/responder?sslmode=disable"
}
