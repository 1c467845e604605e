#!/usr/bin/env bash
# Renders sample HTML reports in headless Chromium: a screenshot (PNG) and a printed A4 PDF each,
# for checking by eye. Output in ${1:-out/rendered}.
#   bash scripts/render-reports.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/rendered}
mkdir -p "$out"; out=$(realpath "$out")
if ! command -v chromium >/dev/null; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
swift build --product winnow >/dev/null
for sample in mla-kz-refugee-lawyer-search.json eio-fr-law-firm-with-safeguards.xml eaw-pl-theft.json; do
    name=${sample%.*}
    .build/debug/winnow screen "SampleRequests/$sample" --registry SampleRequests/registry/demo.json --format html -o "$out/$name.html"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1600 \
        --screenshot="$out/$name.png" "file://$out/$name.html" >/dev/null 2>&1
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$out/$name.pdf" "file://$out/$name.html" >/dev/null 2>&1
    echo "$out/$name.png  $out/$name.pdf"
done
