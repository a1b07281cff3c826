#!/usr/bin/env bash
# Rewrites www/first-load.txt, the functions the page runs when it opens (the page's build keeps
# them in its first module and moves the rest of its wasm to a lazy one: split/, scripts/split.sh).
# Run it when a change makes the first load call into the lazy part (the e2e test "the first load
# runs without the lazy part" fails and says so): a profiling build in a directory of its own,
# served on loopback, opened in headless Chromium the ways people open the page.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
dist=$(mktemp -d)
trap 'rm -rf "$dist"; kill $server 2>/dev/null || true' EXIT
WARREN_SPLIT=instrument trunk build --offline --release --dist "$dist" >/dev/null
(cd tests/e2e && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund >/dev/null; })
port=${WARREN_PROFILE_PORT:-8741}
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dist" >/dev/null 2>&1 &
server=$!
for _ in $(seq 1 50); do
  python3 -c "import urllib.request;urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
  sleep 0.1
done
WARREN_URL="http://127.0.0.1:$port/" node tests/e2e/first-load.mjs "$dist" www/first-load.txt
