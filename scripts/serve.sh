#!/usr/bin/env bash
# Build and serve the app at http://127.0.0.1:8080 (installs the wasm target, trunk and
# wasm-bindgen-cli first if they are missing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
exec trunk serve --offline --release "$@"
