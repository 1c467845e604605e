#!/usr/bin/env bash
# Many writers on one registry and one decision log: WRITERS processes record screened requests
# (`winnow screen --record --log`, each request with an id of its own) into REGISTRY and decide on
# each (`winnow log decide`) for SECONDS; then the registry's count of earlier requests is compared
# with the recordings that each writer saw succeed, the store checks its own counts (`registry stats
# --check`), the log holds one screening and one decision for each, and `log verify` passes.
# Exit 1 when anything was lost or a write failed.
#   bash scripts/registry-writers.sh REGISTRY [SECONDS] [WRITERS] [WINNOW_BINARY]
# REGISTRY is a postgres:// address (an empty database or schema) or a SQLite path. With
# LOG=registry the decision log is kept in REGISTRY's database too, as servers started with
# --shared-store keep it; else in a folder.
set -euo pipefail
cd "$(dirname "$0")/.."
registry=${1:?usage: registry-writers.sh REGISTRY [SECONDS] [WRITERS] [WINNOW_BINARY]}
seconds=${2:-60}
writers=${3:-8}
bin=${4:-.build/release/winnow}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" registry import SampleRequests/registry/demo.json --registry "$registry" >/dev/null
if [ "${LOG:-folder}" = registry ]; then
    log=$registry
    "$bin" log init "$log" --signing-key "$work/log.key" >/dev/null
else
    log=$work/log
    "$bin" log init "$log" >/dev/null
fi
count() { "$bin" registry stats --registry "$registry" | awk '$1 == "priorRequest" {print $2}'; }
before=$(count)
deadline=$(($(date +%s) + seconds))
template=SampleRequests/eaw-pl-theft.json
for w in $(seq "$writers"); do
    (
        ok=0; failed=0; decided=0; n=0
        while [ "$(date +%s)" -lt "$deadline" ]; do
            n=$((n + 1))
            f="$work/w$w-$n.json"
            sed "s/DE-EAW-2025-1102/DE-EAW-W$w-N$n/" "$template" > "$f"
            if "$bin" screen "$f" --registry "$registry" --record --log "$log" --format json >/dev/null 2>"$f.err" \
                && "$bin" log decide "$log" --request "$f" --decision execute --reviewer "writer $w" >/dev/null 2>>"$f.err"; then
                ok=$((ok + 1)); decided=$((decided + 1)); rm -f "$f.err"
            else failed=$((failed + 1)); fi
            rm -f "$f"
        done
        echo "$ok $failed $decided" > "$work/w$w.result"
    ) &
done
wait
ok=$(cat "$work"/w*.result | awk '{s += $1} END {print s}')
failed=$(cat "$work"/w*.result | awk '{s += $2} END {print s}')
decided=$(cat "$work"/w*.result | awk '{s += $3} END {print s}')
verified=$("$bin" log verify "$log" | tail -1)
echo "$verified"
entries=$(echo "$verified" | sed -n 's/^log verified: \([0-9]*\) entries.*/\1/p')
after=$(count)
"$bin" registry stats --registry "$registry" --check | tail -1
stored=$((after - before))
echo "$writers writers for $seconds s: $ok recordings succeeded, $failed failed; the registry holds $stored new earlier requests"
echo "the log (${LOG:-folder}) holds ${entries:-?} entries for $ok screenings and $decided decisions"
# What the failed recordings said, if any failed.
if compgen -G "$work/*.err" >/dev/null; then cat "$work"/*.err | grep -v "^logged as entry \|^recorded as " | sort | uniq -c | head -5; fi
[ "$stored" -eq "$ok" ] && [ "$failed" -eq 0 ] && [ "${entries:-0}" -eq $((ok + decided)) ] || { echo "LOST OR FAILED"; exit 1; }
echo "nothing lost, nothing duplicated"
