#!/usr/bin/env python3
"""Write BENCHMARKS.md from a run of scripts/bench.sh (its summary line and printed figures),
with the goals of issue 7 and the machine the figures came from. Called by `scripts/bench.sh
--publish`; prints the Markdown.
Usage: scripts/benchmarks_md.py SUMMARY FIGURES MESSAGES"""
import datetime
import os
import platform
import subprocess
import sys


def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_gib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 2**20:.0f} GiB"
    except OSError:
        pass
    return "unknown"


def frames_met(median_ms, fps):
    """A median of one display frame (16.7 ms at 60 Hz) is the best a frame can be; the average
    tells whether every frame made it."""
    if median_ms > 16.75:
        return False
    return True if fps >= 59 else "vsync"


def main():
    summary_path, figures_path, messages = sys.argv[1:4]
    summary = open(summary_path).read().strip()
    figures = open(figures_path).read().rstrip()
    kv = dict(p.split("=", 1) for p in summary.split())
    f = lambda k: float(kv[k])
    # (what, measured, goal, met?)
    rows = [
        ("frames at 4x CPU throttling, large topology", f"median frame {kv['frame_ms_median_4x']} ms, p95 {kv.get('frame_ms_p95_4x', '?')} ms; {kv['fps_4x']} fps on average",
         "median frame under 16.7 ms (60 fps)", frames_met(f("frame_ms_median_4x"), f("fps_4x"))),
        ("the same without throttling", f"{kv['fps']} fps (median {kv['frame_ms_median']} ms, p95 {kv['frame_ms_p95']} ms)", "", None),
        ("engine, native: publish → route → deliver → ack", f"{f('engine_msgs_per_s') / 1e6:.2f} million msgs/s ({kv.get('engine_instr_per_msg', '?')} instructions per message)",
         "at least 5 million msgs/s", f("engine_msgs_per_s") >= 5e6),
        ("engine in wasm (Node), native/wasm", f"{f('wasm_msgs_per_s') / 1e6:.2f} million msgs/s, ratio {kv['wasm_over_native']}",
         "within 2x of native", f("wasm_over_native") <= 2.0),
        ("topic routing, 10 / 1,000 / 100,000 bindings", f"{kv['topic_ns_10']} / {kv['topic_ns_1k']} / {kv['topic_ns_100k']} ns per message",
         "flat", f("topic_ns_100k") <= 1.5 * f("topic_ns_10")),
        ("fanout to 100 queues (auto-ack consumers)", f"{f('fanout100_msgs_per_s'):,.0f} publishes/s", "", None),
        ("exchange-to-exchange diamond (fanout → two direct → one queue; each message once)", f"{f('diamond_msgs_per_s'):,.0f} msgs/s" if 'diamond_msgs_per_s' in kv else "not measured", "", None),
        ("the page's wasm + JavaScript, gzip -9 (what it loads before its first canvas)", f"{kv['page_kb_gz']} KB" + (f" (brotli -q 11: {kv['page_kb_br']} KB)" if 'page_kb_br' in kv else ""), "under 300 KB", f("page_kb_gz") < 300),
        ("fetched when first used: the tutorials file, the tools worker (pika code, definitions)", f"{kv['later_kb_gz']} KB gzip -9" if 'later_kb_gz' in kv else "not measured", "", None),
        ("a terminal's Python ready (pyodide in a worker, from opening the terminals to a script's first line; warm cache, median of 3)",
         f"{kv['python_ready_ms']} ms (first fetch: {kv.get('python_ready_cold_ms', '?')} ms; warren python, a script start to end: {kv.get('cli_python_run_ms', '?')} ms)" if 'python_ready_ms' in kv else "not measured",
         "under 3 s (issue 27)", f("python_ready_ms") < 3000 if 'python_ready_ms' in kv else None),
        ("navigation → first interactive canvas", f"{kv['first_canvas_ms']} ms", "under 1 second", f("first_canvas_ms") < 1000),
        ("engine memory per waiting message beyond its body", f"{kv['bytes_per_msg']} bytes", "at most 200 bytes", f("bytes_per_msg") <= 200),
        ("the page's cost of one publish, click to events (wasm under Node, work queues canvas)", f"{kv['page_publish_us']} µs" if 'page_publish_us' in kv else "not measured",
         "at most 1 µs (issue 24)", f("page_publish_us") <= 1 if 'page_publish_us' in kv else None),
        ("the page's memory (JS heap + wasm) with 100,000 messages waiting", f"{kv['page_mb_100k']} MB", "under 100 MB (issue 24: 50 MB)", f("page_mb_100k") < 100),
        ("one step back in a 10-minute run of the large topology (natively; the slowest of 22: the last events undone)", f"{kv['stepback_ms']} ms ({f('stepback_events'):,.0f} events)" if 'stepback_ms' in kv else "not measured",
         "at most 50 ms (issue 24)", f("stepback_ms") <= 50 if 'stepback_ms' in kv else None),
        ("a jump back further than a step's undo reaches (the slider; from a copy of the counts; the slowest of 20)", f"{kv['jumpback_ms']} ms" if 'jumpback_ms' in kv else "not measured", "", None),
    ]
    mark = {True: "met", False: "**not met**", None: "", "vsync": "median met (one 60 Hz frame); **the average is below 60 fps**"}
    commit = run("git", "rev-parse", "--short", "HEAD")
    # what --publish itself rewrites (BENCHMARKS.md, the chart) does not count as a change
    dirty = run("git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!BENCHMARKS.md", ":!docs/bench")
    dirty = " (with uncommitted changes)" if dirty else ""
    chromium = run("/usr/bin/chromium", "--version") or "not found"
    out = []
    out.append("# Benchmarks\n")
    out.append("Written by `scripts/bench.sh --publish` from one run; `scripts/bench.sh` prints the same figures "
               "without rewriting this file. Goals are issue 7's. Figures are measurements of one machine, "
               "not pass/fail tests.\n")
    out.append(f"Run on {datetime.date.today().isoformat()}, commit {commit}{dirty}, {messages} messages for the engine's throughput.\n")
    out.append("A shared virtual machine's wall-clock figures vary from run to run (by a quarter or more on the "
               "development machine: compare runs on one machine, or the engine's instructions per message, "
               "counted by valgrind, which do not vary).\n")
    out.append("## Machine\n")
    out.append(f"- CPU: {cpu_model()}, {os.cpu_count()} cores; memory {mem_gib()}")
    out.append(f"- {platform.system()} {platform.release()} ({platform.machine()})")
    out.append(f"- {run('rustc', '--version')}; Node {run('node', '--version')}; {chromium} (headless, software raster: `--disable-gpu`)\n")
    out.append("## Figures against the goals\n")
    out.append("| figure | measured | goal | |")
    out.append("|---|---|---|---|")
    for what, got, goal, met in rows:
        out.append(f"| {what} | {got} | {goal} | {mark[met]} |")
    out.append("")
    out.append("The large topology: 20 producers, 30 exchanges (fanout, two layers of exchange-to-exchange "
               "bindings), 100 queues, 50 consumers with prefetch 5; 200 nodes and 500 links, tidied and fitted "
               "to a 1400×860 window. The headline frame figures are with the producers publishing every "
               "500 ms each (several hundred messages in flight).\n")
    out.append("## Frame time against messages in flight\n")
    out.append("![Frame time against messages in flight](docs/bench/frames.svg)\n")
    out.append("Each point is one load of the large topology (the producers publishing every 4,000 ms down to every "
               "250 ms); messages in flight are the dots drawn per frame, averaged over the measurement.\n")
    out.append("## The run's output\n")
    out.append("```")
    out.append(figures)
    out.append(summary)
    out.append("```")
    print("\n".join(out))


if __name__ == "__main__":
    main()
