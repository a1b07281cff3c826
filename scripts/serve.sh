#!/usr/bin/env bash
# Build and serve the app at http://127.0.0.1:8080 (installs the wasm target, trunk,
# wasm-bindgen-cli and the page's wasm-opt first if they are missing: scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
exec trunk serve --offline --release "$@"
