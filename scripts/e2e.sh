#!/usr/bin/env bash
# The page's end-to-end tests: build it with trunk, serve dist/ on loopback, and drive it in
# headless Chromium with playwright-core (tests/e2e). WARREN_SCREENSHOTS=DIR writes screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
trunk build --offline --release >/dev/null 2>&1 || trunk build --offline --release
(cd tests/e2e && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund >/dev/null; })
PORT=${WARREN_E2E_PORT:-8732}
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  if python3 -c "import urllib.request;urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null; then break; fi
  sleep 0.1
done
WARREN_URL="http://127.0.0.1:$PORT/" node tests/e2e/app.test.mjs
