//! `warren-bench`: engine throughput figures, natively (see scripts/bench.sh for the wasm one).
#![allow(clippy::disallowed_methods)] // a benchmark reads the wall clock; the engine never does

use std::time::Instant;
use warren_bench::{direct_pump, topic_pump, topic_setup};

fn best_of<F: FnMut() -> f64>(runs: usize, mut f: F) -> f64 {
    (0..runs).map(|_| f()).fold(f64::MAX, f64::min)
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let secs = best_of(3, || {
        let t = Instant::now();
        let events = direct_pump(n);
        assert!(events >= 5 * n, "every message reported");
        t.elapsed().as_secs_f64()
    });
    let per_s = n as f64 / secs;
    println!(
        "direct publish→route→deliver→ack: {per_s:.0} msgs/s ({n} messages, best of 3, {:.1} ns/msg)",
        secs * 1e9 / n as f64
    );
    if std::env::args().nth(2).as_deref() == Some("direct") {
        return;
    }
    let mut topic = Vec::new();
    for bindings in [10u32, 1_000, 100_000] {
        let (mut b, c) = topic_setup(bindings);
        let m = 200_000u64;
        let secs = best_of(3, || {
            let t = Instant::now();
            assert_eq!(topic_pump(&mut b, c, m), m, "each publish delivered once");
            t.elapsed().as_secs_f64()
        });
        let ns = secs * 1e9 / m as f64;
        println!("topic routing with {bindings:>6} bindings: {ns:.0} ns/msg (publish, route, deliver)");
        topic.push(ns);
    }
    println!(
        "engine_msgs_per_s={per_s:.0} topic_ns_10={:.0} topic_ns_1k={:.0} topic_ns_100k={:.0}",
        topic[0], topic[1], topic[2]
    );
}
