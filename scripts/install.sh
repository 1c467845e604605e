#!/usr/bin/env bash
# Installs winnow under PREFIX (default /usr/local): the binary and the resources its libraries
# load (the request schemas) in PREFIX/bin, the rule pack and profiles in PREFIX/share/winnow/Rules,
# where an installed binary looks for them (after $WINNOW_RULES and ./Rules).
# Usage: bash scripts/install.sh [PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"
swift build -c release --product winnow
bin="$(swift build -c release --show-bin-path)"
mkdir -p "$prefix/bin" "$prefix/share/winnow"
install -m 0755 "$bin/winnow" "$prefix/bin/winnow"
for bundle in "$bin"/*.resources; do
  rm -rf "$prefix/bin/$(basename "$bundle")"
  cp -R "$bundle" "$prefix/bin/"
done
rm -rf "$prefix/share/winnow/Rules"
cp -R Rules "$prefix/share/winnow/Rules"
echo "installed $prefix/bin/winnow; rule pack in $prefix/share/winnow/Rules"
