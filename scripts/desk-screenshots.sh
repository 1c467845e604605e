#!/usr/bin/env bash
# Screenshots of the desk's pages (docs/desk/*.png), made by the browser test in a real Chromium:
# sign-in, a case, the case decided, the queue, the oversight view, a case at tablet width.
set -euo pipefail
cd "$(dirname "$0")/.."
WINNOW_DESK_SCREENSHOTS=docs/desk swift test --filter BrowserTests
ls -l docs/desk
