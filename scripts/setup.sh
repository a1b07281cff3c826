#!/usr/bin/env bash
# Install what building and testing Warren needs, when it is missing:
# the wasm32 target, trunk 0.21.14, wasm-bindgen-cli at the version of wasm-bindgen in
# Cargo.lock, and the page's wasm-opt (binaryen 132 from npm, in scripts/wasm-opt; Debian's
# nodejs and npm first if missing): trunk cannot download tools here; pyodide (CPython in wasm, in
# python/) for the terminals. With --browser, also
# Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target" >&2
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q '0.21.14'; then
  echo "setup: installing trunk 0.21.14 (about 17 minutes, once)" >&2
  cargo install --locked trunk@0.21.14
fi

WBG=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WBG\$"; then
  echo "setup: installing wasm-bindgen-cli $WBG (the version in Cargo.lock)" >&2
  # not --locked: a crate its lock file pins is no longer served; the resolver picks a compatible one
  cargo install wasm-bindgen-cli --version "$WBG" --force
fi

if ! command -v npm >/dev/null; then
  echo "setup: installing Debian's nodejs and npm (the page's wasm-opt, and its end-to-end tests)" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi

if ! [ -x scripts/wasm-opt/node_modules/.bin/wasm-opt ]; then
  echo "setup: installing wasm-opt (binaryen 132, npm ci in scripts/wasm-opt)" >&2
  (cd scripts/wasm-opt && npm ci --no-audit --no-fund >/dev/null)
fi

if ! [ -f python/node_modules/pyodide/pyodide.asm.wasm ]; then
  echo "setup: installing pyodide (CPython in wasm, for the terminals: npm ci in python)" >&2
  (cd python && npm ci --no-audit --no-fund >/dev/null)
fi

if [ "${1:-}" = "--browser" ] && ! [ -x /usr/bin/chromium ]; then
  echo "setup: installing Debian's chromium" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
