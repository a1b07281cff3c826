#!/usr/bin/env bash
# How long a terminal's Python takes to be ready: on the page in headless Chromium (cold: first
# fetch of pyodide; warm: the median of three more runs, pyodide from the browser's cache), and
# for warren python (a Node process, pyodide from disk). Prints figures; the last line is key=value.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/setup.sh --browser >/dev/null
. scripts/page.sh
page_serve "${WARREN_READY_PORT:-8734}"
page=$(WARREN_URL="$PAGE_URL" node tests/e2e/python_ready.mjs)
cargo build --release -q -p warren-cli
dir=$(mktemp -d)
echo 'print("ready")' > "$dir/ready.py"
best=
for _ in 1 2 3; do
  t0=$(date +%s%N)
  (cd "$dir" && "$OLDPWD/target/release/warren" python ready.py >/dev/null)
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
rm -rf "$dir"
echo "a terminal's Python ready, on the page: $(sed 's/.*python_ready_ms=\([0-9]*\).*/\1/' <<<"$page") ms warm, $(sed 's/python_ready_cold_ms=\([0-9]*\).*/\1/' <<<"$page") ms on first fetch; warren python, one script start to end: $best ms (best of 3)"
echo "$page cli_python_run_ms=$best"
