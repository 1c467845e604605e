#!/usr/bin/env bash
# Batch benchmark: libxml2's own parse + XSD validation (xmllint) against winnow validate and
# winnow batch, on the same generated corpus, at each size given (default 10000 100000).
#   bash scripts/bench-batch.sh [N ...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
if ! command -v xmllint >/dev/null; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libxml2-utils >/dev/null
fi
swift build -c release --product winnow >/dev/null
winnow=.build/release/winnow
xsd=Sources/WinnowIntake/Schemas/request.xsd
jobs=$(nproc)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

measure() {  # label, N, command...: prints seconds, requests/s, peak RSS
    local label=$1 n=$2; shift 2
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    local out; out=$(tail -1 "$work/time")
    local secs=${out% *} kb=${out#* }
    printf "  %-44s %8.2f s  %9.0f req/s  peak %6.0f MB\n" "$label" "$secs" "$(echo "$n / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
    echo "$secs"  > "$work/last"
}

printf "batch benchmark on %s cores, %s\n" "$jobs" "$(date -u +%Y-%m-%d)"
for n in "${sizes[@]}"; do
    corpus="$work/corpus-$n"
    made=$(python3 scripts/make-corpus.py "$n" "$corpus" --xml-only)
    echo "N = $n XML requests ($(du -sh "$corpus" | cut -f1)): ${made#wrote }"
    # xmllint is given the machine's cores too (batch uses them all), in chunks of 500 files.
    cores=$(nproc)
    measure "xmllint --noout --schema (parse + XSD), $cores at once" "$n" sh -c "find '$corpus' -name '*.xml' -print0 | xargs -0 -n 500 -P $cores xmllint --noout --schema '$xsd'"
    lint=$(cat "$work/last")
    measure "winnow validate" "$n" "$winnow" validate -q "$corpus"
    validate=$(cat "$work/last")
    measure "winnow batch --jobs $jobs (summary only)" "$n" "$winnow" batch "$corpus" --jobs "$jobs" --summary "$work/summary-$n.jsonl"
    batch=$(cat "$work/last")
    measure "winnow batch --jobs $jobs (summary + reports)" "$n" "$winnow" batch "$corpus" --jobs "$jobs" --summary "$work/summary-$n.jsonl" --reports "$work/reports-$n"
    reports=$(cat "$work/last")
    printf "  ratios to xmllint: validate %.2f, batch %.2f, batch with reports %.2f\n" \
        "$(echo "$validate / $lint" | bc -l)" "$(echo "$batch / $lint" | bc -l)" "$(echo "$reports / $lint" | bc -l)"
    rm -rf "$corpus" "$work/reports-$n"
done
