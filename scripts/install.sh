#!/usr/bin/env bash
# Installs winnow under PREFIX (default /usr/local): the binary and the resources its libraries
# load (the request schemas) in PREFIX/bin, the rule pack and profiles in PREFIX/share/winnow/Rules,
# where an installed binary looks for them (after $WINNOW_RULES and ./Rules). The binary carries the
# Swift runtime and Foundation (--static-swift-stdlib): it runs where no Swift toolchain is
# installed, and starts faster (fewer libraries to load and bind). It is built in its own scratch
# folder, so it never replaces the development build in .build/release.
# Usage: bash scripts/install.sh [PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"
build=(-c release --static-swift-stdlib --scratch-path .build/install)
swift build "${build[@]}" --product winnow
bin="$(swift build "${build[@]}" --show-bin-path)"
mkdir -p "$prefix/bin" "$prefix/share/winnow"
install -m 0755 "$bin/winnow" "$prefix/bin/winnow"
for bundle in "$bin"/*.resources; do
  rm -rf "$prefix/bin/$(basename "$bundle")"
  cp -R "$bundle" "$prefix/bin/"
done
rm -rf "$prefix/share/winnow/Rules"
cp -R Rules "$prefix/share/winnow/Rules"
echo "installed $prefix/bin/winnow; rule pack in $prefix/share/winnow/Rules"
