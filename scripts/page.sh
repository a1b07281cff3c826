# Sourced by e2e.sh and frames.sh: build the page with trunk, install playwright-core for
# tests/e2e when missing, and serve dist/ on loopback port $1 until the calling script exits.
# Sets PAGE_URL.
page_serve() {
  local port=$1
  trunk build --offline --release >/dev/null 2>&1 || trunk build --offline --release
  (cd tests/e2e && { [ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] || npm ci --no-audit --no-fund >/dev/null; })
  python3 -m http.server "$port" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
  PAGE_SERVER=$!
  trap 'kill $PAGE_SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do
    if python3 -c "import urllib.request;urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null; then break; fi
    sleep 0.1
  done
  PAGE_URL="http://127.0.0.1:$port/"
}
