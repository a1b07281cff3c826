#!/usr/bin/env bash
# Frame times of the page animating a large topology (200 nodes, 500 links, ~650 messages in
# flight) in headless Chromium, without and with 4x CPU throttling. Prints figures; the last line
# is key=value. Usage: scripts/frames.sh [SECONDS]   (default 8 per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup.sh --browser >/dev/null
trunk build --offline --release >/dev/null 2>&1 || trunk build --offline --release
(cd tests/e2e && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund >/dev/null; })
PORT=${WARREN_FRAMES_PORT:-8733}
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  if python3 -c "import urllib.request;urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null; then break; fi
  sleep 0.1
done
WARREN_URL="http://127.0.0.1:$PORT/" node tests/e2e/frames.mjs "${1:-8}"
