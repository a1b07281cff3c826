//! The overview panel, in the style of the management UI's Overview and Queues tabs: totals,
//! per-queue ready / unacked / total with rates, message rates over simulated time, and each
//! consumer's prefetch window.
//!
//! Everything is read at the moment the canvas shows (`t`): message counts from the timeline's
//! tally (the numbers drawn on the queues), rates from the engine events shown in the last
//! [`WINDOW_MS`] of simulated time, objects (connections, channels, consumers) from the broker.
//! The management UI samples every 5 s of real time; here the window slides with the playback.

use crate::sim::Live;
use warren_engine::event::EventKind;

/// The span rates are averaged over (ms of simulated time), as the management UI's 5 s samples.
pub const WINDOW_MS: f64 = 5_000.0;
/// The chart's span and its bars.
pub const CHART_MS: f64 = 30_000.0;
pub const CHART_BINS: usize = 30;

/// Messages per second of simulated time.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rates {
    /// Published by clients (`basic.publish`).
    pub publish: f64,
    /// Delivered to consumers or handed out by `basic.get`.
    pub deliver: f64,
    /// Acknowledged by clients.
    pub ack: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct QueueRow {
    pub name: String,
    pub ready: u64,
    pub unacked: u64,
    pub consumers: u64,
    /// Enqueued into this queue (incoming), delivered from it, acked.
    pub incoming: f64,
    pub deliver: f64,
    pub ack: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerRow {
    pub queue: String,
    /// The client (the canvas name of its connection).
    pub client: String,
    pub tag: String,
    pub ack_required: bool,
    /// Its prefetch (0: unlimited), and the channel-wide global one if set.
    pub prefetch: u16,
    pub global_prefetch: u16,
    /// Deliveries it holds unacknowledged (as the canvas shows them).
    pub unacked: u64,
    /// How full its prefetch window is, 0..=1 (`None`: unlimited or auto-ack).
    pub utilisation: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    pub connections: usize,
    pub channels: usize,
    pub exchanges: usize,
    pub queues: usize,
    pub consumers: usize,
    pub ready: u64,
    pub unacked: u64,
    pub rates: Rates,
    /// The chart: rates per bar of `CHART_MS / CHART_BINS`, oldest first, the last ending at `t`.
    pub series: Vec<Rates>,
    pub queue_rows: Vec<QueueRow>,
    pub consumer_rows: Vec<ConsumerRow>,
}

impl Overview {
    pub fn total(&self) -> u64 {
        self.ready + self.unacked
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Publish,
    Enqueue,
    Deliver,
    Ack,
}

/// What kind of rate an event counts toward, and for which queue.
fn counted(k: &EventKind) -> Option<(Kind, Option<&str>)> {
    match k {
        EventKind::Published { .. } => Some((Kind::Publish, None)),
        EventKind::Enqueued { queue, .. } => Some((Kind::Enqueue, Some(queue))),
        EventKind::Delivered { queue, .. } => Some((Kind::Deliver, Some(queue))),
        EventKind::Acked { queue, .. } => Some((Kind::Ack, Some(queue))),
        _ => None,
    }
}

/// The overview of `live` at shown time `t` (ms), once the timeline has been sought to `t` (as
/// the canvas does before it draws).
pub fn at(live: &Live, t: f64) -> Overview {
    let tally = live.timeline.tally();
    let broker = live.broker();
    let per_s = 1000.0 / WINDOW_MS;
    let bin_ms = CHART_MS / CHART_BINS as f64;
    let mut rates = Rates::default();
    let mut series = vec![Rates::default(); CHART_BINS];
    let mut by_queue: warren_engine::names::VecMap<&str, [f64; 3]> = Default::default();
    // the shown events, latest first, back to the chart's start: a frame's work is the window's
    // events, not the whole run's
    for e in live
        .timeline
        .shown_latest_first()
        .take_while(|e| e.at as f64 > t - CHART_MS)
    {
        let shown = e.at as f64;
        let Some((kind, queue)) = counted(&e.kind) else {
            continue;
        };
        let bin = (((t - shown) / bin_ms) as usize).min(CHART_BINS - 1);
        let in_window = shown > t - WINDOW_MS;
        let add = |r: &mut Rates, by: f64| match kind {
            Kind::Publish => r.publish += by,
            Kind::Deliver => r.deliver += by,
            Kind::Ack => r.ack += by,
            Kind::Enqueue => {}
        };
        add(&mut series[CHART_BINS - 1 - bin], 1000.0 / bin_ms);
        if in_window {
            add(&mut rates, per_s);
            if let Some(q) = queue {
                let r = by_queue.entry(q).or_default();
                match kind {
                    Kind::Enqueue => r[0] += per_s,
                    Kind::Deliver => r[1] += per_s,
                    Kind::Ack => r[2] += per_s,
                    Kind::Publish => {}
                }
            }
        }
    }
    let mut qs: Vec<_> = broker.queues().collect();
    warren_engine::sort::sort_by_key(&mut qs, |q| q.id);
    let queue_rows: Vec<QueueRow> = qs
        .iter()
        .map(|q| {
            let (ready, unacked) = tally.queue(&q.name);
            let r = by_queue.get(&*q.name).copied().unwrap_or_default();
            QueueRow {
                name: live.canvas_queue(&q.name).to_string(),
                ready,
                unacked,
                consumers: q.consumer_count(),
                incoming: r[0],
                deliver: r[1],
                ack: r[2],
            }
        })
        .collect();
    let mut consumer_rows = Vec::new();
    let mut channels = 0;
    for (conn, c) in broker.connections() {
        channels += c.channels.len();
        let client = live
            .timeline
            .names
            .get(conn)
            .cloned()
            .unwrap_or_else(|| format!("connection {}", conn.0));
        for ch in c.channels.values() {
            for (tag, cons) in &ch.consumers {
                let unacked = tally.consumer(&client, tag);
                let limit = match (cons.prefetch, ch.global_prefetch) {
                    (0, 0) => 0,
                    (0, g) => g,
                    (p, 0) => p,
                    (p, g) => p.min(g),
                };
                consumer_rows.push(ConsumerRow {
                    queue: live.canvas_queue(&cons.queue).to_string(),
                    client: client.clone(),
                    tag: tag.to_string(),
                    ack_required: !cons.no_ack,
                    prefetch: cons.prefetch,
                    global_prefetch: ch.global_prefetch,
                    unacked,
                    utilisation: (limit > 0 && !cons.no_ack).then(|| (unacked as f64 / limit as f64).min(1.0)),
                });
            }
        }
    }
    warren_engine::sort::sort_by(&mut consumer_rows, |a, b| {
        (&a.queue, &a.client, &a.tag).cmp(&(&b.queue, &b.client, &b.tag))
    });
    Overview {
        connections: broker.connections().count(),
        channels,
        exchanges: broker.exchanges().count(),
        queues: queue_rows.len(),
        consumers: consumer_rows.len(),
        ready: queue_rows.iter().map(|q| q.ready).sum(),
        unacked: queue_rows.iter().map(|q| q.unacked).sum(),
        rates,
        series,
        queue_rows,
        consumer_rows,
    }
}

/// A rate as the management UI prints it: `0.0/s`, `2.4/s`, `120/s`.
pub fn rate_text(r: f64) -> String {
    if r >= 100.0 {
        format!("{}/s", warren_engine::num::fixed(r, 0))
    } else {
        format!("{}/s", warren_engine::num::fixed(r, 1))
    }
}
