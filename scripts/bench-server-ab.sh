#!/usr/bin/env bash
# Two builds of `winnow serve` side by side: both servers run at once and wrk alternates between
# them, so that the machine's noise falls on both alike. Prints requests/s per run and the sums.
#   bash scripts/bench-server-ab.sh OLD_BINARY NEW_BINARY [SAMPLE] [ROUNDS] [SECONDS] [CONNECTIONS]
# Each binary needs its resource folders (*.resources) beside it, as in .build/release.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2
sample=${3:-SampleRequests/mla-kz-refugee-lawyer-search.json}
rounds=${4:-5} seconds=${5:-5} connections=${6:-1}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 2; }
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
declare -A port
for side in old new; do
  bin=${!side}
  mkdir -p "$work/$side"
  token=$("$bin" serve token create --data "$work/$side" --name bench --scope screen 2>/dev/null)
  port[$side]=$((20000 + RANDOM % 20000))
  "$bin" serve --data "$work/$side" --port "${port[$side]}" --log-level error --max-screens 64 2>/dev/null &
  pids+=($!)
  python3 - "$sample" "$token" > "$work/$side.lua" <<'PY'
import sys
body = open(sys.argv[1], encoding="utf-8").read()
print('wrk.method = "POST"')
print('wrk.body = [==[' + body + ']==]')
print('wrk.headers["Authorization"] = "Bearer %s"' % sys.argv[2])
PY
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:${port[$side]}/health" >/dev/null && break; sleep 0.2; done
done
declare -A sum=([old]=0 [new]=0)
for round in $(seq "$rounds"); do
  for side in old new; do
    rps=$(wrk -t1 -c"$connections" -d"${seconds}s" -s "$work/$side.lua" "http://127.0.0.1:${port[$side]}/v1/screen?asOf=2026-11-29" | awk '/Requests\/sec/ {print $2}')
    echo "round $round $side $rps requests/s"
    sum[$side]=$(python3 -c "print(${sum[$side]} + $rps)")
  done
done
echo "sum old ${sum[old]}  new ${sum[new]}  new/old $(python3 -c "print(round(${sum[new]} / ${sum[old]}, 2))")"
