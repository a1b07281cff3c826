//! `warren-stepback`: how long a step back takes in a long run (a figure for scripts/bench.sh,
//! not a test). The large topology of the page's frame figures (bench/data/large.json: 200
//! nodes, 20 producers publishing every ~0.5 s into fanouts) runs 10 simulated minutes as the
//! page plays it (the counts followed every 50 ms), then steps back from the end, from the
//! middle and to the start, as the page's ← does: the previous instant, and the counts there;
//! and jumps back further than a step's undo reaches (the timeline's slider).
//! Prints the figures and a last line `stepback_ms=… stepback_events=…`.
#![allow(clippy::disallowed_methods)] // a benchmark reads the wall clock

use std::time::Instant;
use warren_model::design::Design;
use warren_model::sim::Live;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("{}/../bench/data/large.json", env!("CARGO_MANIFEST_DIR")));
    let minutes: u64 = std::env::args().nth(2).and_then(|m| m.parse().ok()).unwrap_or(10);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (design, _) = Design::from_file(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let end = minutes * 60_000;
    let mut live = Live::new(design);
    let started = Instant::now();
    let mut t = 0;
    while t < end {
        t += 50;
        live.advance_to(t);
        live.timeline.seek(t as f64);
    }
    let played = started.elapsed().as_secs_f64();
    let events = live.timeline.events.len();
    println!(
        "step back: {minutes} simulated minutes of {} nodes played in {played:.1} s, {events} events, {} dots drawn in all",
        live.design.nodes.len(),
        live.timeline.trips.len()
    );
    // one step back, as ← does: the previous instant, and the counts there (best of 5, from
    // the end; then from the middle; then the jump to the start and back to the end)
    let step = |live: &mut Live, at: f64| -> (f64, f64) {
        let s = Instant::now();
        let prev = live.timeline.prev_moment(at - 1e-6).unwrap_or(0.0);
        live.timeline.seek(prev);
        (s.elapsed().as_secs_f64() * 1000.0, prev)
    };
    let mut worst: f64 = 0.0;
    let mut at = end as f64;
    let mut times = Vec::new();
    for _ in 0..20 {
        let (ms, prev) = step(&mut live, at);
        times.push(ms);
        at = prev;
    }
    times.sort_by(f64::total_cmp);
    worst = worst.max(times[times.len() - 1]);
    println!(
        "step back from the end, 20 steps: median {:.2} ms, slowest {:.2} ms",
        times[times.len() / 2],
        times[times.len() - 1]
    );
    live.timeline.seek(end as f64 / 2.0);
    let (mid, _) = step(&mut live, end as f64 / 2.0);
    worst = worst.max(mid);
    let s = Instant::now();
    live.timeline.seek(0.0);
    let to_start = s.elapsed().as_secs_f64() * 1000.0;
    let s = Instant::now();
    live.timeline.seek(end as f64);
    let to_end = s.elapsed().as_secs_f64() * 1000.0;
    let (from_end, _) = step(&mut live, end as f64);
    worst = worst.max(from_end);
    println!(
        "step back in the middle: {mid:.2} ms; seek to the start {to_start:.2} ms, back to the end {to_end:.2} ms, then a step back {from_end:.2} ms"
    );
    // a step back undoes the last events one by one (what each changed was noted as it was
    // applied), as far back as the last 4,096; a jump further back starts from a copy of the
    // counts and counts forward from it: the slowest of 20 such jumps from the end
    let mut jumps = Vec::new();
    for k in 1..=20 {
        live.timeline.seek(end as f64);
        let back = live.timeline.events.len() - 20_000 * k;
        let t = live.timeline.events[back].at as f64;
        let s = Instant::now();
        live.timeline.seek(t);
        jumps.push(s.elapsed().as_secs_f64() * 1000.0);
    }
    jumps.sort_by(f64::total_cmp);
    let jump = jumps[jumps.len() - 1];
    println!(
        "a jump back past the last 4,096 events (from a copy of the counts): median {:.2} ms, slowest {jump:.2} ms",
        jumps[jumps.len() / 2]
    );
    println!("stepback_ms={worst:.2} jumpback_ms={jump:.2} stepback_events={events}");
}
