#!/usr/bin/env bash
# Every test of Warren, as CI runs it (.ci/run calls this; the README names it):
#   1. formatting and clippy, warnings denied
#   2. the workspace's tests natively: engine conformance against traces from a real RabbitMQ,
#      matching vectors, behaviour scenarios, property tests, the runner
#   3. the engine's tests compiled to wasm32 and run under Node (wasm-bindgen-test)
#   4. the app built with trunk and driven in headless Chromium (tests/e2e, playwright-core)
#   5. live differential tests against a private RabbitMQ node (scripts/live_test.sh): every
#      golden scenario and 200 random ones must give the same trace on the engine and the broker
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/setup.sh --browser

echo "== fmt and clippy"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

echo "== native tests"
cargo test --workspace

echo "== engine tests in wasm32 under Node"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p warren-engine --target wasm32-unknown-unknown

echo "== the app in headless Chromium (end-to-end)"
scripts/e2e.sh

echo "== live differential tests against a real RabbitMQ"
scripts/live_test.sh
