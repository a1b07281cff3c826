#!/usr/bin/env bash
# Warren's figures, in one run (figures, not pass/fail):
#   natively: the engine's bytes per waiting message beyond its body; publish→route→deliver→ack
#   through a direct exchange with one queue (msgs/s); topic routing with 10, 1,000 and 100,000
#   bindings (ns per message; should stay flat); a 100-queue fanout; an exchange-to-exchange diamond;
#   in wasm under Node: the same first workload, and its ratio to native;
#   a step back in a 10-minute run of the large topology (warren-stepback, natively);
#   the page in headless Chromium (scripts/frames.sh): navigation → first interactive canvas, frame
#   times on a large topology without and with 4x CPU throttling at several loads, the page's
#   memory with 100,000 messages waiting; and the compressed size of what the page loads (gzip -9,
#   the goal's measure, and brotli for comparison). What the page fetches only when it is first
#   needed is not counted: the tutorials file and the tools worker (pika code, definitions);
#   a terminal's Python ready (scripts/python_ready.sh: pyodide on the page, cold and warm cache,
#   and warren python's).
# The last line sums it up as key=value pairs. With --publish, the run also rewrites
# BENCHMARKS.md (figures, goals, the machine) and its chart, docs/bench/frames.svg.
# Usage: scripts/bench.sh [--publish] [MESSAGES]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
publish=0
if [ "${1:-}" = "--publish" ]; then publish=1; shift; fi
N=${1:-1000000}
case $N in ''|*[!0-9]*) echo "bench: MESSAGES is a count of messages, not '$N'" >&2; exit 2 ;; esac
scripts/setup.sh --browser >/dev/null
out_dir=target/bench
mkdir -p "$out_dir"
cargo build --release -q -p warren-bench
native=$(./target/release/warren-bench "$N")
echo "$native" | sed '$d'
# instructions per message: the same on any machine (wall-clock figures on a shared VM vary)
instr_per_msg=nan
if command -v valgrind >/dev/null; then
  refs=$(valgrind --tool=callgrind --callgrind-out-file="$out_dir/callgrind.out" \
    --toggle-collect='warren_bench::direct_pump*' ./target/release/warren-bench 100000 direct 2>&1 |
    sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,)
  # direct_pump runs 3 times (best of 3), 100,000 messages each, its broker's set-up included
  [ -n "$refs" ] && instr_per_msg=$((refs / 300000))
  echo "direct publish→route→deliver→ack: $instr_per_msg instructions per message (valgrind --tool=callgrind, 3 × 100,000 messages, set-up included)"
fi
cargo build --release -q -p warren-bench --lib --target wasm32-unknown-unknown
wasm_out=target/bench-wasm
rm -rf "$wasm_out"
wasm-bindgen --target nodejs --out-dir "$wasm_out" target/wasm32-unknown-unknown/release/warren_bench.wasm
wasm_per_s=$(node -e "
const m = require('./$wasm_out/warren_bench.js');
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
# the page's cost of one publish, from the click to its events, in wasm as the page runs it
# (warren_bench::page_publish: 100,000 clicks on the work queues canvas)
page_publish_us=$(node -e "
const m = require('./$wasm_out/warren_bench.js');
const n = 100000;
let best = Infinity;
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const events = m.wasm_page_publish(n);
  best = Math.min(best, performance.now() - t);
  m.wasm_page_publish_drop();
  if (events < 3 * n) throw new Error('events missing');
}
console.log((best * 1000 / n).toFixed(2));
")
echo "the page's publish, click to events (work queues canvas, wasm under Node): $page_publish_us µs per publish"
native_per_s=$(echo "$native" | tail -1 | sed 's/.*engine_msgs_per_s=\([0-9]*\).*/\1/')
ratio=$(python3 -c "print(f'{$native_per_s / $wasm_per_s:.2f}')")
echo "wasm (Node $(node --version)) publish→route→deliver→ack: $wasm_per_s msgs/s; native/wasm = $ratio"
# a step back in a 10-minute run of the large topology (natively: the timeline's own cost)
cargo build --release -q -p warren-cli --bin warren-stepback
stepback=$(./target/release/warren-stepback)
echo "$stepback" | sed '$d'
frames=$(WARREN_CHART=$out_dir/frames.svg scripts/frames.sh)
echo "$frames" | sed '$d'
ready=$(scripts/python_ready.sh)
echo "$ready" | sed '$d'
# what the page loads: its wasm and JavaScript, not the tools worker's nor the Python worker's (started on first use)
# nor the lazy part of its wasm (split/: fetched once the page is idle, or when first needed);
# and what it fetches when first needed: the tutorials file, the tools worker, the Python worker's script (pyodide itself is not counted: 14 MB, fetched when the terminals open)
page_files=$(ls dist/*.wasm dist/*.js | grep -v -e '^dist/warren-tools' -e 'loader\.js$' -e '\.lazy\.wasm$' -e '^dist/python-worker\.js$')
lazy_files=$(ls dist/*.lazy.wasm)
later_files="dist/tutorials.json dist/tools-loader.js dist/python-worker.js $(ls dist/warren-tools*)"
kb_gz() { python3 -c "import gzip,sys;print(round(sum(len(gzip.compress(open(f,'rb').read(),9)) for f in sys.argv[1:])/1024))" "$@"; }
page_kb_gz=$(kb_gz $page_files)
later_kb_gz=$(kb_gz $later_files)
lazy_kb_gz=$(kb_gz $lazy_files)
# the page with brotli (quality 11), as hosts that offer it send it: for comparison, the goal is gzip's
page_kb_br=$(node -e "
const fs = require('fs'), zlib = require('zlib');
const q = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } };
console.log(Math.round(process.argv.slice(1).reduce((n, f) => n + zlib.brotliCompressSync(fs.readFileSync(f), q).length, 0) / 1024));
" $page_files)
echo "page: wasm + JavaScript, gzip -9: $page_kb_gz KB (brotli -q 11: $page_kb_br KB); the rest of its wasm, once idle: $lazy_kb_gz KB; fetched when first used (tutorials, tools worker, Python worker): $later_kb_gz KB"
summary="$(echo "$native" | tail -1) $(echo "$stepback" | tail -1) engine_instr_per_msg=$instr_per_msg page_publish_us=$page_publish_us wasm_msgs_per_s=$wasm_per_s wasm_over_native=$ratio $(echo "$frames" | tail -1 | sed 's/^frames //') page_kb_gz=$page_kb_gz page_kb_br=$page_kb_br lazy_kb_gz=$lazy_kb_gz later_kb_gz=$later_kb_gz $(echo "$ready" | tail -1)"
# the issue's keys first, in its order; then the rest
python3 - "$summary" > "$out_dir/summary.txt" <<'EOF'
import sys
kv = dict(p.split("=", 1) for p in sys.argv[1].split())
first = ["fps_4x", "frame_ms_median_4x", "engine_msgs_per_s", "wasm_over_native", "topic_ns_10",
         "topic_ns_100k", "page_kb_gz", "first_canvas_ms", "bytes_per_msg", "page_publish_us", "page_mb_100k", "stepback_ms"]
print(" ".join(f"{k}={kv[k]}" for k in first + [k for k in kv if k not in first]))
EOF
{ echo "$native" | sed '$d'
  [ "$instr_per_msg" = nan ] || echo "direct publish→route→deliver→ack: $instr_per_msg instructions per message (valgrind --tool=callgrind, 3 × 100,000 messages, set-up included)"
  echo "wasm (Node $(node --version)) publish→route→deliver→ack: $wasm_per_s msgs/s; native/wasm = $ratio"
  echo "the page's publish, click to events (work queues canvas, wasm under Node): $page_publish_us µs per publish"
  echo "$stepback" | sed '$d'
  echo "$frames" | sed '$d'
  echo "$ready" | sed '$d'
  echo "page: wasm + JavaScript, gzip -9: $page_kb_gz KB (brotli -q 11: $page_kb_br KB); the rest of its wasm, once idle: $lazy_kb_gz KB; fetched when first used (tutorials, tools worker, Python worker): $later_kb_gz KB"; } > "$out_dir/figures.txt"
if [ $publish = 1 ]; then
  mkdir -p docs/bench
  cp "$out_dir/frames.svg" docs/bench/frames.svg
  scripts/benchmarks_md.py "$out_dir/summary.txt" "$out_dir/figures.txt" "$N" > BENCHMARKS.md
  echo "bench: wrote BENCHMARKS.md and docs/bench/frames.svg" >&2
fi
cat "$out_dir/summary.txt"
