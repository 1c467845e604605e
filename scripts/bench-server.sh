#!/usr/bin/env bash
# Load test of `winnow serve` with wrk (Debian) on loopback: POST /v1/screen with a sample, at 1, 8
# and 32 connections, DURATION seconds each; prints wrk's latency distribution and the server's
# CPU time per request and peak memory (VmHWM) after each run.
#   bash scripts/bench-server.sh [WINNOW_BINARY] [SAMPLE] [DURATION] [REGISTRY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/winnow}
sample=${2:-SampleRequests/mla-kz-refugee-lawyer-search.json}
duration=${3:-30}
registry=${4:-}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 2; }
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
token=$("$bin" serve token create --data "$data" --name bench --scope screen 2>/dev/null)
args=(serve --data "$data" --port "$port" --log-level error --max-screens 64)
[ -n "$registry" ] && args+=(--registry "$registry")
"$bin" "${args[@]}" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
lua="$data/post.lua"
python3 - "$sample" "$token" > "$lua" <<'PY'
import json, sys
body = open(sys.argv[1], encoding="utf-8").read()
print('wrk.method = "POST"')
print('wrk.body = [==[' + body + ']==]')
print('wrk.headers["Authorization"] = "Bearer %s"' % sys.argv[2])
print('done = function(summary, latency, requests)')
print('  io.write(string.format("p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  errors %d (status %d)  requests %d\\n", latency:percentile(50)/1000, latency:percentile(95)/1000, latency:percentile(99)/1000, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status, summary.requests))')
print('end')
PY
for c in 1 8 32; do
  echo "== $c connections, ${duration}s, $sample"
  before=$(awk '{print $14 + $15}' /proc/$server/stat)
  out=$(wrk -t $(( c < 2 ? 1 : 2 )) -c "$c" -d "${duration}s" -s "$lua" "http://127.0.0.1:$port/v1/screen?asOf=2026-11-29")
  after=$(awk '{print $14 + $15}' /proc/$server/stat)
  echo "$out" | grep -E "Requests/sec|p50|Non-2xx"
  requests=$(echo "$out" | sed -n 's/.*requests \([0-9]*\)$/\1/p')
  # CPU ticks are hundredths of a second (getconf CLK_TCK).
  echo "server CPU per request: $(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f ms", t / hz / n * 1000 }')"
  echo "server peak memory: $(grep VmHWM /proc/$server/status | awk '{print $2, $3}')"
done
