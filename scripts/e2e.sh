#!/usr/bin/env bash
# The page's end-to-end tests: build it with trunk, serve dist/ on loopback, and drive it in
# headless Chromium with playwright-core (tests/e2e). WARREN_SCREENSHOTS=DIR writes screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
. scripts/page.sh
page_serve "${WARREN_E2E_PORT:-8732}"
status=0
WARREN_URL="$PAGE_URL" node tests/e2e/app.test.mjs || status=1
WARREN_URL="$PAGE_URL" node tests/e2e/panels.test.mjs || status=1
# learners' own pika scripts in terminals (pyodide in workers)
WARREN_URL="$PAGE_URL" node tests/e2e/terminals.test.mjs || status=1
# the same page at a phone's, a laptop's and a projector's size
WARREN_URL="$PAGE_URL" node tests/e2e/screens.test.mjs || status=1
# axe-core on the main views, and the keyboard
WARREN_URL="$PAGE_URL" node tests/e2e/a11y.test.mjs || status=1
exit $status
