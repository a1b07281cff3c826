#!/usr/bin/env bash
# Build the app with trunk, serve it on loopback, load it in headless Chromium and check that the
# page shows the trace the engine (running as wasm in the page) computed for its scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
trunk build --offline --release >/dev/null 2>&1 || trunk build --offline --release
PORT=${WARREN_SMOKE_PORT:-8731}
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
server=$!
profile=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$profile"' EXIT
for _ in $(seq 1 50); do
  if python3 -c "import urllib.request;urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null; then break; fi
  sleep 0.1
done
dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --virtual-time-budget=10000 --dump-dom "http://127.0.0.1:$PORT/" 2>/dev/null)
# The engine's trace for the hello-world scenario: the receiver gets the message with tag 1.
want='&quot;body&quot;: &quot;Hello World!&quot;, &quot;ch&quot;: 1, &quot;conn&quot;: &quot;R&quot;, &quot;consumer_tag&quot;: &quot;receiver&quot;, &quot;delivery_tag&quot;: 1'
want_plain='"body": "Hello World!", "ch": 1, "conn": "R", "consumer_tag": "receiver", "delivery_tag": 1'
if grep -qF "$want_plain" <<<"$dom" || grep -qF "$want" <<<"$dom"; then
  echo "browser smoke: the page ran the engine and shows its trace"
  echo "smoke: 1 passed, 0 failed"
else
  echo "browser smoke: the page did not show the expected trace; it showed:" >&2
  echo "$dom" | head -40 >&2
  echo "smoke: 0 passed, 1 failed"
  exit 1
fi
