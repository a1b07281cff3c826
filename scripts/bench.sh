#!/usr/bin/env bash
# Engine benchmarks (figures, not pass/fail):
#   natively: publish→route→deliver→ack through a direct exchange with one queue (msgs/s), and topic
#   routing with 10, 1,000 and 100,000 bindings (ns per message; should stay flat);
#   in wasm under Node: the same first workload, and its ratio to native.
# Then the page's frame times on a large topology (scripts/frames.sh) and its compressed size.
# Usage: scripts/bench.sh [MESSAGES]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
N=${1:-1000000}
scripts/setup.sh >/dev/null
cargo build --release -q -p warren-bench
native=$(./target/release/warren-bench "$N")
echo "$native" | sed '$d'
cargo build --release -q -p warren-bench --lib --target wasm32-unknown-unknown
out=target/bench-wasm
rm -rf "$out"
wasm-bindgen --target nodejs --out-dir "$out" target/wasm32-unknown-unknown/release/warren_bench.wasm
wasm_per_s=$(node -e "
const m = require('./$out/warren_bench.js');
const n = $N;
let best = Infinity;
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const events = m.wasm_direct_pump(n);
  const dt = (performance.now() - t) / 1000;
  if (events < 5 * n) throw new Error('events missing');
  best = Math.min(best, dt);
}
console.log(Math.round(n / best));
")
native_per_s=$(echo "$native" | tail -1 | sed 's/.*engine_msgs_per_s=\([0-9]*\).*/\1/')
ratio=$(python3 -c "print(f'{$native_per_s / $wasm_per_s:.2f}')")
echo "wasm (Node $(node --version)) publish→route→deliver→ack: $wasm_per_s msgs/s; native/wasm = $ratio"
frames=$(scripts/frames.sh)
echo "$frames" | sed '$d'
page_kb_gz=$(python3 -c "import gzip,glob;print(round(sum(len(gzip.compress(open(f,'rb').read(),9)) for f in glob.glob('dist/*.wasm')+glob.glob('dist/*.js'))/1024))")
echo "page: wasm + JavaScript, gzip -9: $page_kb_gz KB"
echo "$(echo "$native" | tail -1) wasm_msgs_per_s=$wasm_per_s wasm_over_native=$ratio $(echo "$frames" | tail -1 | sed 's/^frames //') page_kb_gz=$page_kb_gz"
