#!/usr/bin/env bash
# playbook serve under load while it rebuilds: wrk (loopback only) for a
# bounded time against the served example, while a loop edits a session
# guide so that rebuilds and site swaps happen mid-traffic. Prints the
# requests, failures, and the server's memory (VmRSS) before and after.
#
#   scripts/load/serve-load.sh [--playbook BIN] [--seconds 30] [--connections 500]
#
# Needs wrk (Debian: wrk). Exits non-zero on any failed request.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=target/release/playbook SECONDS_=30 CONN=500
while [ $# -gt 0 ]; do
  case "$1" in
    --playbook) BIN="$2"; shift 2 ;;
    --seconds) SECONDS_="$2"; shift 2 ;;
    --connections) CONN="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }
WORK="$(mktemp -d)"
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; [ -n "${EDITOR_PID:-}" ] && kill "$EDITOR_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cp -r content library playbook.yaml "$WORK/"
ulimit -n 65536 2>/dev/null || true
"$BIN" serve "$WORK" --port 0 > "$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q "serving" "$WORK/serve.log" && break; sleep 0.1; done
URL=$(grep -o 'http://127.0.0.1:[0-9]*/' "$WORK/serve.log" | head -1)
[ -n "$URL" ] || { cat "$WORK/serve.log"; exit 1; }
rss() { awk '/VmRSS/ {print $2}' /proc/"$PID"/status; }
fds() { ls /proc/"$PID"/fd | wc -l; }
before=$(rss); fd_before=$(fds)
# Rebuilds during the load: one edit every 200 ms.
GUIDE="$WORK/content/leadership-accelerator/sessions/01-kickoff.md"
( i=0; while true; do echo "Edit $i." >> "$GUIDE"; i=$((i+1)); sleep 0.2; done ) &
EDITOR_PID=$!
cat > "$WORK/paths.lua" <<'LUA'
local paths = {"/", "/leadership-accelerator/", "/leadership-accelerator/sessions/01-kickoff/",
  "/leadership-accelerator/curriculum/", "/style.css", "/no/such/page", "/%2e%2e/%2e%2e/etc/passwd"}
local i = 0
request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end
local bad = 0
response = function(status) if status >= 500 then bad = bad + 1 end end
done = function(summary) io.write(string.format("5xx: %d\n", bad)) end
LUA
wrk -t 2 -c "$CONN" -d "${SECONDS_}s" -s "$WORK/paths.lua" "$URL" > "$WORK/wrk.txt" 2>&1 || true
kill "$EDITOR_PID"; EDITOR_PID=
sleep 2
after=$(rss); fd_after=$(fds)
rebuilds=$(grep -c "rebuilt in" "$WORK/serve.log" || true)
cat "$WORK/wrk.txt"
echo "rebuilds during the run: $rebuilds"
echo "server memory (VmRSS): ${before} KiB before, ${after} KiB after"
echo "open descriptors: ${fd_before} before, ${fd_after} after"
errors=$(grep -o "Socket errors:.*" "$WORK/wrk.txt" || true)
fivexx=$(grep -o "5xx: [0-9]*" "$WORK/wrk.txt" | awk '{print $2}')
if [ -n "$errors" ] || [ "${fivexx:-1}" != 0 ]; then
  echo "FAILED: $errors 5xx=${fivexx:-?}"; exit 1
fi
echo "no failed request"
