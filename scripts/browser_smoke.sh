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
# The built-in work-queues scenario, computed by the engine in the page: the queue shows what
# rabbitmqctl would report (1 ready, 2 unacknowledged), each worker a full prefetch slot, and the
# trace has worker-2's delivery.
checks=(
  'ready 1 · unacked 2'
  'aria-label="queue task_queue: 1 ready, 2 unacknowledged"'
  'aria-label="consumer worker-1: 1 unacknowledged, prefetch 1"'
  'class="slot full"'
  '&quot;body&quot;: &quot;task 2&quot;, &quot;ch&quot;: 1, &quot;conn&quot;: &quot;W2&quot;, &quot;consumer_tag&quot;: &quot;worker-2&quot;'
)
missing=0
for c in "${checks[@]}"; do
  alt=${c//&quot;/\"}
  if ! grep -qF "$c" <<<"$dom" && ! grep -qF "$alt" <<<"$dom"; then
    echo "browser smoke: the page lacks: $c" >&2
    missing=1
  fi
done
if [ $missing = 0 ]; then
  echo "browser smoke: the page ran the engine and shows its trace"
  echo "smoke: 1 passed, 0 failed"
else
  echo "browser smoke: the page did not show the expected trace; it showed:" >&2
  echo "$dom" | head -40 >&2
  echo "smoke: 0 passed, 1 failed"
  exit 1
fi
