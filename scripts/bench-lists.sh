#!/usr/bin/env bash
# Screening time as a request's lists grow, beside the time to parse and check the same file
# (`winnow validate`): the ratio should stay flat if screening is linear in the lists.
# Usage: bash scripts/bench-lists.sh [SIZES...]   (default: 1000 4000 16000)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
bin=.build/release/winnow
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sizes=("${@:-1000 4000 16000}")
printf '%-22s %8s %10s %10s %7s\n' list items validate_s screen_s ratio
for n in ${sizes[@]}; do
  python3 - "$n" "$dir" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
base = json.load(open("SampleRequests/eaw-pl-theft.json"))
def save(name, d): json.dump(d, open(f"{out}/{name}-{n}.json", "w"))
d = json.loads(json.dumps(base)); d["transmission"]["via"] = ["CZ"] * n; save("transit-states", d)
d = json.loads(json.dumps(base)); o = d["offences"][0]
d["offences"] = [dict(o, id=f"o{i}", label=f"Theft {i}") for i in range(n // 8)]; save("offences", d)
d = json.loads(json.dumps(base)); d["linkedRequests"] = [{"reference": f"R-{i}", "state": "CZ", "outcome": "executed"} for i in range(n // 4)]; save("linked-requests", d)
PY
  for list in transit-states offences linked-requests; do
    f="$dir/$list-$n.json"
    items=$(python3 -c "import json,sys; d=json.load(open('$f')); print(len(d['transmission']['via']) if '$list'=='transit-states' else len(d['offences']) if '$list'=='offences' else len(d['linkedRequests']))")
    /usr/bin/time -f %e -o "$dir/t" "$bin" validate "$f" >/dev/null 2>&1 || true; v=$(cat "$dir/t")
    /usr/bin/time -f %e -o "$dir/t" "$bin" screen "$f" --format json -o "$dir/out.json" >/dev/null 2>&1 || true; s=$(cat "$dir/t")
    printf '%-22s %8s %10s %10s %7.1f\n' "$list" "$items" "$v" "$s" "$(python3 -c "print($s/max($v,0.01))")"
  done
done
