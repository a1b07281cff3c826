//! `warren play`: a design run headless as the page runs it, with its clients (consumers that run
//! one callback at a time, RPC servers, producers on a timer), and what the page's event log shows
//! as JSON Lines, one event a line, at the instant the page shows it:
//! `{"t_ms": 4270, "kind": "acked", "client": "worker-1", "queue": "task_queue", "message": 5, ...}`.
//!
//! The run is what a saved file stands for: its `"run"` (what the user did, at its instants)
//! when it has one; else the design's setup at 0 ms, then each producer publishes once (its
//! burst) at 0 ms, in the canvas's order, as `Design::to_scenario` writes it and as the exported
//! pika scripts do when each producer runs once.

use crate::design::{Design, Kind};
use crate::sim::{Input, Live};
use crate::timeline::describe;
use serde_json::{json, Map, Value};
use warren_engine::event::{DeathReason, DropReason, EventKind};
use warren_engine::exchange::Dest;
use warren_engine::names::VecMap;
use warren_engine::ConnId;

/// How long a run without `--seconds` may go on (simulated): producers on a timer publish for ever.
pub const DEFAULT_LIMIT_MS: u64 = 600_000;

/// Run a design: setup, each producer's burst at 0 ms, then everything due up to `limit_ms`
/// (simulated), with messages taking `hop_ms` along each edge (the page's
/// [`crate::timeline::HOP`]). Errors are the producers' (one not linked, say), worded for a person.
pub fn run(design: Design, limit_ms: u64, hop_ms: f64) -> Result<Live, String> {
    let producers: Vec<_> = design.ids(Kind::Producer);
    let mut live = Live::with_hop(design, hop_ms);
    for p in producers {
        live.input(0, Input::Publish(p))?;
    }
    Ok(finish(live, limit_ms))
}

/// A file's run replayed as the page replays it ([`crate::runfile`]): its actions at their
/// instants, then everything due up to `limit_ms`.
pub fn replay(run: &crate::runfile::Run, limit_ms: u64, hop_ms: f64) -> Live {
    finish(run.live_with_hop(hop_ms), limit_ms)
}

fn finish(mut live: Live, limit_ms: u64) -> Live {
    while let Some(n) = live.next_due().filter(|n| *n <= limit_ms) {
        live.advance_to(n);
    }
    live
}

/// The log's lines shown up to `limit_ms`, in the order the page shows them (the engine's, which
/// is the order of their instants), each as a JSON object.
pub fn lines(live: &Live, limit_ms: u64) -> Vec<Value> {
    let tl = &live.timeline;
    let upto = tl.events.partition_point(|e| e.at <= limit_ms);
    (0..upto)
        .filter_map(|i| {
            let e = &tl.events[i];
            line(&e.kind, e.at as f64, &tl.names)
        })
        .collect()
}

/// One log line as JSON: the instant (ms, rounded), the kind, who and what, and the log's words.
pub fn line(e: &EventKind, shown: f64, names: &VecMap<ConnId, String>) -> Option<Value> {
    let (_, text) = describe(e, names)?;
    let who = |c: &ConnId| json!(names.get(c).cloned().unwrap_or_else(|| format!("connection {}", c.0)));
    let mut o = Map::new();
    o.insert("t_ms".into(), json!(shown.round() as u64));
    let mut put = |k: &str, v: Value| {
        o.insert(k.into(), v);
    };
    let kind = match e {
        EventKind::Published {
            msg,
            conn,
            exchange,
            message,
            ..
        } => {
            put("client", who(conn));
            put("exchange", json!(&**exchange));
            put("routing_key", json!(&**message.routing_key()));
            put("message", json!(msg.0));
            put("body", json!(message.body_text()));
            "published"
        }
        EventKind::Routed { msg, from, to, .. } => {
            put("message", json!(msg.0));
            put("exchange", json!(&**from));
            match to {
                Dest::Queue(q) => put("queue", json!(&**q)),
                Dest::Exchange(x) => put("to_exchange", json!(&**x)),
            }
            "routed"
        }
        EventKind::Unroutable { msg, exchange } => {
            put("message", json!(msg.0));
            put("exchange", json!(&**exchange));
            "unroutable"
        }
        EventKind::Enqueued { msg, queue } => {
            put("message", json!(msg.0));
            put("queue", json!(&**queue));
            "enqueued"
        }
        EventKind::Delivered {
            msg,
            queue,
            conn,
            consumer_tag,
            delivery_tag,
            redelivered,
            message,
            ..
        } => {
            put("client", who(conn));
            put("queue", json!(&**queue));
            put("message", json!(msg.0));
            put("body", json!(message.body_text()));
            put("delivery_tag", json!(delivery_tag));
            put("redelivered", json!(redelivered));
            if consumer_tag.is_none() {
                put("get", json!(true));
            }
            "delivered"
        }
        EventKind::GetEmpty { conn, queue, .. } => {
            put("client", who(conn));
            put("queue", json!(&**queue));
            "get-empty"
        }
        EventKind::Acked {
            msg,
            queue,
            conn,
            delivery_tag,
            ..
        } => {
            put("client", who(conn));
            put("queue", json!(&**queue));
            put("message", json!(msg.0));
            put("delivery_tag", json!(delivery_tag));
            "acked"
        }
        EventKind::Nacked {
            msg,
            queue,
            conn,
            delivery_tag,
            requeue,
            ..
        } => {
            put("client", who(conn));
            put("queue", json!(&**queue));
            put("message", json!(msg.0));
            put("delivery_tag", json!(delivery_tag));
            put("requeue", json!(requeue));
            "nacked"
        }
        EventKind::Requeued { msg, queue } => {
            put("message", json!(msg.0));
            put("queue", json!(&**queue));
            "requeued"
        }
        EventKind::Expired { msg, queue } => {
            put("message", json!(msg.0));
            put("queue", json!(&**queue));
            "expired"
        }
        EventKind::Dropped { msg, queue, reason } => {
            put("message", json!(msg.0));
            put("queue", json!(&**queue));
            put("reason", json!(drop_reason(*reason)));
            "dropped"
        }
        EventKind::DeadLettered {
            msg,
            new_msg,
            queue,
            exchange,
            reason,
            ..
        } => {
            put("message", json!(msg.0));
            put("queue", json!(&**queue));
            put("exchange", json!(&**exchange));
            put("reason", json!(death_reason(*reason)));
            put("new_message", json!(new_msg.0));
            "dead-lettered"
        }
        EventKind::Returned {
            msg,
            conn,
            reply_code,
            reply_text,
            ..
        } => {
            put("client", who(conn));
            put("message", json!(msg.0));
            put("reply_code", json!(reply_code));
            put("reply_text", json!(&**reply_text));
            "returned"
        }
        EventKind::Confirmed { conn, seq, ack, .. } => {
            put("client", who(conn));
            put("seq", json!(seq));
            put("ack", json!(ack));
            "confirmed"
        }
        EventKind::Purged { queue, count } => {
            put("queue", json!(&**queue));
            put("count", json!(count));
            "purged"
        }
        EventKind::Restarted => "restarted",
        EventKind::ConsumerAdded {
            conn,
            queue,
            consumer_tag,
            ..
        } => {
            put("client", who(conn));
            put("queue", json!(&**queue));
            put("consumer_tag", json!(&**consumer_tag));
            "consumer-added"
        }
        EventKind::ConsumerRemoved {
            conn,
            queue,
            consumer_tag,
            ..
        } => {
            put("client", who(conn));
            put("queue", json!(&**queue));
            put("consumer_tag", json!(&**consumer_tag));
            "consumer-removed"
        }
        EventKind::QueueDeclared { queue } => {
            put("queue", json!(&**queue));
            "queue-declared"
        }
        EventKind::QueueDeleted { queue, .. } => {
            put("queue", json!(&**queue));
            "queue-deleted"
        }
        EventKind::ExchangeDeclared { exchange } => {
            put("exchange", json!(&**exchange));
            "exchange-declared"
        }
        EventKind::ExchangeDeleted { exchange, .. } => {
            put("exchange", json!(&**exchange));
            "exchange-deleted"
        }
        EventKind::Bound { source, dest, key, .. } | EventKind::Unbound { source, dest, key, .. } => {
            put("exchange", json!(&**source));
            match dest {
                Dest::Queue(q) => put("queue", json!(&**q)),
                Dest::Exchange(x) => put("to_exchange", json!(&**x)),
            }
            put("routing_key", json!(&**key));
            if matches!(e, EventKind::Bound { .. }) {
                "bound"
            } else {
                "unbound"
            }
        }
        EventKind::ConnectionOpened { conn } => {
            put("client", who(conn));
            "connection-opened"
        }
        EventKind::ConnectionClosed { conn, .. } => {
            put("client", who(conn));
            "connection-closed"
        }
        EventKind::ChannelOpened { conn, ch } | EventKind::ChannelClosed { conn, ch, .. } => {
            put("client", who(conn));
            put("channel", json!(ch));
            if matches!(e, EventKind::ChannelOpened { .. }) {
                "channel-opened"
            } else {
                "channel-closed"
            }
        }
    };
    o.insert("kind".into(), json!(kind));
    o.insert("text".into(), json!(text));
    Some(Value::Object(o))
}

fn drop_reason(r: DropReason) -> &'static str {
    match r {
        DropReason::MaxLength => "maxlen",
        DropReason::RejectPublish => "reject-publish",
        DropReason::Rejected => "rejected",
        DropReason::Expired => "expired",
        DropReason::DeliveryLimit => "delivery_limit",
        DropReason::DeadLetterCycle => "dead-letter-cycle",
        DropReason::DeadLetterUnroutable => "dead-letter-unroutable",
        DropReason::Purged => "purged",
        DropReason::QueueDeleted => "queue-deleted",
        DropReason::Restart => "restart",
    }
}

fn death_reason(r: DeathReason) -> &'static str {
    match r {
        DeathReason::Rejected => "rejected",
        DeathReason::Expired => "expired",
        DeathReason::MaxLen => "maxlen",
        DeathReason::DeliveryLimit => "delivery_limit",
    }
}

/// A line as text: `t_ms` and `kind` first, then the rest in key order (compact JSON).
pub fn text(v: &Value) -> String {
    let mut out = format!("{{\"t_ms\":{},\"kind\":{}", v["t_ms"], v["kind"]);
    if let Some(o) = v.as_object() {
        for (k, x) in o.iter().filter(|(k, _)| *k != "t_ms" && *k != "kind") {
            out.push_str(&format!(",{}:{x}", Value::String(k.clone())));
        }
    }
    out.push('}');
    out
}
