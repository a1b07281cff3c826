#!/usr/bin/env bash
# Where the page's main thread goes while it animates the large topology (a development aid):
# builds the page as usual, swaps in a wasm that keeps its function names (the `web` profile
# without strip), serves it and runs tests/e2e/profile.mjs. Environment: RATE (CPU throttling,
# default 4), TRACE=1 for the browser's trace events instead of a CPU profile.
# Usage: scripts/profile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/setup.sh --browser >/dev/null
trunk build --offline --release >/dev/null 2>&1 || trunk build --offline --release
(cd tests/e2e && { [ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] || npm ci --no-audit --no-fund >/dev/null; })
CARGO_PROFILE_WEB_STRIP=false cargo build -q --profile web --target wasm32-unknown-unknown --bin warren-app \
  --target-dir target/profile
out=target/profile/page
rm -rf "$out" target/profile/bindgen
cp -r dist "$out"
wasm-bindgen --target web --out-dir target/profile/bindgen target/profile/wasm32-unknown-unknown/web/warren-app.wasm
js=$(ls "$out"/warren-app-*.js) wasm=$(ls "$out"/warren-app-*_bg.wasm)
cp target/profile/bindgen/warren-app.js "$js"
cp target/profile/bindgen/warren-app_bg.wasm "$wasm"
# the swapped files no longer match the page's integrity hashes
sed -i 's/ integrity="[^"]*"//g' "$out/index.html"
port=${WARREN_PROFILE_PORT:-8791}
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$out" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  python3 -c "import urllib.request;urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
  sleep 0.1
done
WARREN_URL="http://127.0.0.1:$port/" node tests/e2e/profile.mjs
