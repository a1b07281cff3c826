#!/usr/bin/env bash
# Every test of Warren, as CI runs it (.ci/run calls this; the README names it):
#   1. formatting and clippy, warnings denied
#   2. the workspace's tests natively: engine conformance against traces from a real RabbitMQ,
#      matching vectors, behaviour scenarios, property tests, the runner
#   3. learners' pika scripts run in terminals (warren python: pyodide under Node) give the output
#      real pika gave on real brokers (tests/python/, scripts/python_cases.py); the engine's
#      tests compiled to wasm32 and run under Node (wasm-bindgen-test)
#   4. the app built with trunk and driven in headless Chromium (tests/e2e, playwright-core)
#   5. live differential tests against private RabbitMQ nodes, 3.10.8 and 4.3.6 side by side
#      (scripts/live_test.sh 3.10 and 4.3): every golden scenario and 200 random ones must give
#      the same trace on the engine, as that version, and on its broker
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/setup.sh --browser

echo "== fmt and clippy"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

echo "== native tests"
cargo test --workspace

echo "== learners' pika scripts in terminals (pyodide), on the engine as 3.10 and 4.3, against the outputs real pika gave (tests/python/)"
cargo build -q -p warren-cli
mkdir -p target
# both at once (each Python is a process of its own; a run waits on one at a time)
python3 scripts/python_cases.py --sim 3.10 > target/python-3.10.log 2>&1 &
py310=$!
py43=0
python3 scripts/python_cases.py --sim 4.3 > target/python-4.3.log 2>&1 || py43=$?
py310s=0; wait $py310 || py310s=$?
sed 's/^/3.10: /' target/python-3.10.log; sed 's/^/4.3: /' target/python-4.3.log
# the same on a loopback network (the page's frames take 400 ms each way): no output changes
py0=0
python3 scripts/python_cases.py --sim 4.3 --hop 0 > target/python-4.3-hop0.log 2>&1 || py0=$?
sed 's/^/4.3, hop 0: /' target/python-4.3-hop0.log
[ $py310s = 0 ] && [ $py43 = 0 ] && [ $py0 = 0 ]

echo "== engine tests in wasm32 under Node"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p warren-engine --target wasm32-unknown-unknown

echo "== the app in headless Chromium (end-to-end)"
scripts/e2e.sh

echo "== live differential tests against real RabbitMQ 3.10 and 4.3, side by side"
# installed and started one after the other (each may install packages), then tested at once;
# each run's output is printed when both are done
scripts/broker.sh start 3.10
scripts/broker.sh start 4.3
# the terminals' real pika goes in virtual environments (Debian's python3-venv, before both runs)
if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  echo "test: installing Debian's python3-venv" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
fi
mkdir -p target
scripts/live_test.sh 3.10 > target/live-3.10.log 2>&1 &
live310=$!
scripts/live_test.sh 4.3 > target/live-4.3.log 2>&1 &
live43=$!
status310=0; wait $live310 || status310=$?
status43=0; wait $live43 || status43=$?
cat target/live-3.10.log target/live-4.3.log
echo "live: RabbitMQ 3.10 $([ $status310 = 0 ] && echo passed || echo failed), 4.3 $([ $status43 = 0 ] && echo passed || echo failed)"
[ $status310 = 0 ] && [ $status43 = 0 ]
