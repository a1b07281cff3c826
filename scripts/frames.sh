#!/usr/bin/env bash
# Frame times of the page animating a large topology (200 nodes, 500 links, ~680 messages in
# flight) in headless Chromium, without and with 4x CPU throttling. Prints figures; the last line
# is key=value. Usage: scripts/frames.sh [SECONDS]   (default 8 per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/setup.sh --browser >/dev/null
. scripts/page.sh
page_serve "${WARREN_FRAMES_PORT:-8733}"
WARREN_URL="$PAGE_URL" node tests/e2e/frames.mjs "${1:-8}"
