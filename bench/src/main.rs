//! `warren-bench`: engine throughput figures, natively (see scripts/bench.sh for the wasm one).
#![allow(clippy::disallowed_methods)] // a benchmark reads the wall clock; the engine never does

use std::time::Instant;
use warren_bench::{
    diamond_pump, diamond_setup, direct_pump, fanout_pump, fanout_setup, fill, page_publish, topic_pump, topic_setup,
};

/// Resident memory of this process in bytes (Linux `/proc/self/status` VmRSS), if readable.
fn rss() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb * 1024.0)
}

fn best_of<F: FnMut() -> f64>(runs: usize, mut f: F) -> f64 {
    (0..runs).map(|_| f()).fold(f64::MAX, f64::min)
}

/// The resident memory that 200,000 waiting messages add, less their bodies, per message. Run
/// first, before other work leaves freed pages to reuse.
fn memory_per_msg() -> f64 {
    let (count, body) = (200_000u64, 64usize);
    let before = rss();
    let filled = fill(count, body);
    let per_msg = match (before, rss()) {
        (Some(a), Some(z)) => {
            let bytes = z - a;
            let per = bytes / count as f64 - body as f64;
            println!(
                "memory: {count} messages of {body} bytes waiting in a queue: {:.1} MB more resident, {per:.0} bytes per message beyond its body",
                bytes / 1e6
            );
            per
        }
        _ => {
            println!("memory: /proc/self/status not readable here; bytes per message not measured");
            f64::NAN
        }
    };
    drop(filled);
    per_msg
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    // `warren-bench N direct` runs the direct pump alone (scripts/bench.sh counts its
    // instructions): without the memory figure, whose 200,000 freed messages glibc would
    // consolidate inside the pump's first allocation
    let only = std::env::args().nth(2);
    if only.as_deref() == Some("diamond") {
        // `warren-bench N diamond`: the exchange-to-exchange diamond alone (for instruction counts)
        let (mut b, c) = diamond_setup();
        assert_eq!(diamond_pump(&mut b, c, n), n, "each publish delivered once");
        return;
    }
    if only.as_deref() == Some("page") {
        // `warren-bench N page`: the page's publishes alone (for a profile)
        drop(page_publish(n));
        return;
    }
    let direct_only = only.as_deref() == Some("direct");
    let per_msg = if direct_only { f64::NAN } else { memory_per_msg() };
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
    if direct_only {
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
    // one publish copied to 100 queues, each with an auto-ack consumer
    let (mut b, c) = fanout_setup(100);
    let m = 20_000u64;
    let secs = best_of(3, || {
        let t = Instant::now();
        assert_eq!(
            fanout_pump(&mut b, c, m),
            m * 100,
            "each publish delivered to every queue"
        );
        t.elapsed().as_secs_f64()
    });
    let fanout = m as f64 / secs;
    println!(
        "fanout to 100 queues (auto-ack consumers): {fanout:.0} publishes/s, {:.0} deliveries/s",
        fanout * 100.0
    );
    // a fanout exchange bound to two direct exchanges, both bound to one queue: each message
    // delivered once
    let (mut b, c) = diamond_setup();
    let m = 200_000u64;
    let secs = best_of(3, || {
        let t = Instant::now();
        assert_eq!(diamond_pump(&mut b, c, m), m, "each publish delivered once");
        t.elapsed().as_secs_f64()
    });
    let diamond = m as f64 / secs;
    println!(
        "exchange-to-exchange diamond (fanout → two direct → one queue, auto-ack consumer): {diamond:.0} msgs/s ({:.0} ns/msg)",
        secs * 1e9 / m as f64
    );
    // the page's cost of one publish, from the click to its events (the view-model's calls,
    // natively; scripts/bench.sh times the same in wasm, as the page runs it)
    let clicks = 100_000u64;
    let secs = best_of(3, || {
        let t = Instant::now();
        let live = page_publish(clicks);
        let secs = t.elapsed().as_secs_f64();
        // (freed after the clock stopped: the page keeps its run)
        assert!(
            live.timeline.events.len() as u64 >= 3 * clicks,
            "each publish published, routed, enqueued"
        );
        secs
    });
    let page_us = secs * 1e6 / clicks as f64;
    println!("the page's publish, click to events (work queues canvas, natively): {page_us:.2} µs per publish ({clicks} clicks, best of 3)");
    println!(
        "native_page_publish_us={page_us:.2} engine_msgs_per_s={per_s:.0} topic_ns_10={:.0} topic_ns_1k={:.0} topic_ns_100k={:.0} fanout100_msgs_per_s={fanout:.0} diamond_msgs_per_s={diamond:.0} bytes_per_msg={per_msg:.0}",
        topic[0], topic[1], topic[2]
    );
}
