#!/usr/bin/env bash
# The page's end-to-end tests: build it with trunk, serve dist/ on loopback, and drive it in
# headless Chromium with playwright-core (tests/e2e). WARREN_SCREENSHOTS=DIR writes screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
. scripts/page.sh
page_serve "${WARREN_E2E_PORT:-8732}"
WARREN_URL="$PAGE_URL" node tests/e2e/app.test.mjs
