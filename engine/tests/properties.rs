//! Property tests: random operation sequences against invariants checked after every step.
//!
//! A small model follows the engine's events (never its private counters) and checks:
//! - a consumer never holds more unacknowledged deliveries than its prefetch;
//! - a publish puts at most one copy in each queue;
//! - each queue delivers first-time messages in the order they were enqueued (FIFO except requeues);
//! - every message copy is accounted for: ready, unacknowledged, or settled (acked, auto-acked,
//!   dropped, expired, dead-lettered), and the model's ready and unacked counts equal the broker's;
//!   every publish was enqueued somewhere, refused, or reported unroutable;
//! - the same operations twice give identical events (determinism).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use warren_engine::event::EventKind;
use warren_engine::field::{FieldTable, FieldValue, IntType};
use warren_engine::{Broker, ConnId, Method, MsgId, Properties};

const QUEUES: [&str; 3] = ["q0", "q1", "q2"];
const KEYS: [&str; 4] = ["a.b", "a.c", "b.b", "q1"];

#[derive(Clone, Debug)]
enum Op {
    Publish {
        conn: usize,
        exchange: usize,
        key: usize,
        ttl: Option<u16>,
        priority: u8,
        confirm: bool,
    },
    Consume {
        conn: usize,
        queue: usize,
        prefetch: u16,
        global: bool,
        no_ack: bool,
        prio: i8,
    },
    Cancel {
        conn: usize,
        nth: usize,
    },
    Ack {
        conn: usize,
        nth: usize,
        multiple: bool,
    },
    Nack {
        conn: usize,
        nth: usize,
        multiple: bool,
        requeue: bool,
    },
    Get {
        conn: usize,
        queue: usize,
        no_ack: bool,
    },
    Recover {
        conn: usize,
    },
    CloseChannel {
        conn: usize,
    },
    Purge {
        queue: usize,
    },
    Wait {
        ms: u16,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize, 0..4usize, 0..4usize, proptest::option::of(0..300u16), 0..4u8, any::<bool>())
            .prop_map(|(conn, exchange, key, ttl, priority, confirm)| Op::Publish { conn, exchange, key, ttl, priority, confirm }),
        2 => (0..3usize, 0..3usize, 0..4u16, any::<bool>(), any::<bool>(), -1..2i8)
            .prop_map(|(conn, queue, prefetch, global, no_ack, prio)| Op::Consume { conn, queue, prefetch, global, no_ack, prio }),
        1 => (0..3usize, 0..4usize).prop_map(|(conn, nth)| Op::Cancel { conn, nth }),
        3 => (0..3usize, 0..6usize, any::<bool>()).prop_map(|(conn, nth, multiple)| Op::Ack { conn, nth, multiple }),
        2 => (0..3usize, 0..6usize, any::<bool>(), any::<bool>()).prop_map(|(conn, nth, multiple, requeue)| Op::Nack { conn, nth, multiple, requeue }),
        1 => (0..3usize, 0..3usize, any::<bool>()).prop_map(|(conn, queue, no_ack)| Op::Get { conn, queue, no_ack }),
        1 => (0..3usize).prop_map(|conn| Op::Recover { conn }),
        1 => (0..3usize).prop_map(|conn| Op::CloseChannel { conn }),
        1 => (0..3usize).prop_map(|queue| Op::Purge { queue }),
        1 => (0..500u16).prop_map(|ms| Op::Wait { ms }),
    ]
}

fn args(pairs: &[(&str, FieldValue)]) -> FieldTable {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn int(v: i64) -> FieldValue {
    FieldValue::Int(IntType::SignedInt, v)
}

/// (connection, channel, delivery tag).
type DeliveryKey = (ConnId, u16, u64);
/// (consumer tag or None for basic.get, message, queue).
type Holder = (Option<String>, MsgId, String);

/// The model's view, built from events only.
#[derive(Default)]
struct Model {
    /// (msg, queue) -> "ready" | "unacked"; settled copies leave the map.
    copies: BTreeMap<(MsgId, String), &'static str>,
    enqueued_ever: BTreeSet<(MsgId, String)>,
    /// Outstanding consumer deliveries: (conn, ch, delivery tag) -> (consumer tag, msg, queue).
    outstanding: BTreeMap<DeliveryKey, Holder>,
    /// Prefetch each consumer was created with.
    prefetch: BTreeMap<(ConnId, String), u16>,
    /// Enqueue order per queue (first time only), and the last first-time delivery's position.
    order: BTreeMap<String, Vec<MsgId>>,
    last_first_delivery: BTreeMap<String, usize>,
    published: BTreeSet<MsgId>,
    priority: BTreeMap<MsgId, u8>,
    placed: BTreeSet<MsgId>,
}

fn apply(model: &mut Model, b: &Broker, events: Vec<warren_engine::Event>) -> Result<(), TestCaseError> {
    for e in events {
        match e.kind {
            EventKind::Published { msg, ref message, .. } => {
                model.published.insert(msg);
                model.priority.insert(msg, message.properties.priority.unwrap_or(0));
            }
            EventKind::Unroutable { msg, .. } => {
                model.placed.insert(msg);
            }
            EventKind::Enqueued { msg, queue } => {
                let k = (msg, queue.to_string());
                prop_assert!(
                    model.enqueued_ever.insert(k.clone()),
                    "a second copy of {msg:?} in {queue}"
                );
                model.copies.insert(k, "ready");
                model.order.entry(level_key(model, &queue, msg)).or_default().push(msg);
                model.placed.insert(msg);
            }
            EventKind::Delivered {
                msg,
                queue,
                conn,
                ch,
                consumer_tag,
                delivery_tag,
                redelivered,
                auto_ack,
                ..
            } => {
                let k = (msg, queue.to_string());
                prop_assert_eq!(
                    model.copies.get(&k).copied(),
                    Some("ready"),
                    "delivered a copy that was not ready"
                );
                if auto_ack {
                    model.copies.remove(&k);
                } else {
                    model.copies.insert(k, "unacked");
                    model.outstanding.insert(
                        (conn, ch, delivery_tag),
                        (consumer_tag.as_ref().map(|t| t.to_string()), msg, queue.to_string()),
                    );
                }
                if !redelivered {
                    let key = level_key(model, &queue, msg);
                    let order = &model.order[&key];
                    let pos = order.iter().position(|m| *m == msg).expect("enqueued before delivered");
                    let last = model.last_first_delivery.entry(key).or_insert(0);
                    prop_assert!(pos + 1 > *last, "{queue} delivered {msg:?} out of order");
                    *last = pos + 1;
                }
            }
            EventKind::Acked {
                msg,
                queue,
                conn,
                ch,
                delivery_tag,
            }
            | EventKind::Nacked {
                msg,
                queue,
                conn,
                ch,
                delivery_tag,
                ..
            } => {
                prop_assert!(
                    model.outstanding.remove(&(conn, ch, delivery_tag)).is_some(),
                    "settled a tag that was not outstanding"
                );
                let k = (msg, queue.to_string());
                if model.copies.get(&k) == Some(&"unacked") {
                    model.copies.remove(&k);
                }
            }
            EventKind::Requeued { msg, queue } => {
                let k = (msg, queue.to_string());
                model.copies.insert(k, "ready");
            }
            EventKind::ChannelClosed { conn, ch, .. } => {
                model.outstanding.retain(|k, _| !(k.0 == conn && k.1 == ch));
            }
            EventKind::DeadLettered {
                msg,
                new_msg,
                queue,
                ref message,
                ..
            } => {
                model.priority.insert(new_msg, message.properties.priority.unwrap_or(0));
                model.copies.remove(&(msg, queue.to_string()));
                model.placed.insert(msg);
            }
            EventKind::Dropped { msg, queue, .. } | EventKind::Expired { msg, queue } => {
                model.copies.remove(&(msg, queue.to_string()));
                model.placed.insert(msg);
            }
            _ => {}
        }
    }
    // consumers within their prefetch
    let mut held: BTreeMap<(ConnId, String), u16> = BTreeMap::new();
    for ((conn, _, _), (tag, _, _)) in &model.outstanding {
        if let Some(t) = tag {
            *held.entry((*conn, t.clone())).or_default() += 1;
        }
    }
    for (k, n) in held {
        let p = model.prefetch.get(&k).copied().unwrap_or(0);
        prop_assert!(p == 0 || n <= p, "consumer {k:?} holds {n} unacked with prefetch {p}");
    }
    // the model's counts are the broker's
    for q in QUEUES {
        let ready = model
            .copies
            .iter()
            .filter(|((_, qn), s)| qn == q && **s == "ready")
            .count() as u64;
        let unacked = model
            .copies
            .iter()
            .filter(|((_, qn), s)| qn == q && **s == "unacked")
            .count() as u64;
        let bq = b.queue(q).expect("queues are never deleted here");
        prop_assert_eq!(bq.len(), ready, "ready count of {}", q);
        prop_assert_eq!(bq.unacked, unacked, "unacked count of {}", q);
    }
    for m in &model.published {
        prop_assert!(
            model.placed.contains(m),
            "publish {m:?} neither enqueued, refused nor unroutable"
        );
    }
    Ok(())
}

/// FIFO holds per queue and priority level (q1 is the priority queue, max 3).
fn level_key(model: &Model, queue: &str, msg: MsgId) -> String {
    let p = if queue == "q1" {
        model.priority.get(&msg).copied().unwrap_or(0).min(3)
    } else {
        0
    };
    format!("{queue}/{p}")
}

fn setup(b: &mut Broker) -> Vec<ConnId> {
    let conns: Vec<ConnId> = (0..3).map(|_| b.connect(0)).collect();
    for c in &conns {
        b.open_channel(0, *c, 1).unwrap();
    }
    let c = conns[0];
    let decl = |b: &mut Broker, m| b.handle(0, c, 1, m).unwrap();
    for (exchange, kind) in [("topic", "topic"), ("fan", "fanout"), ("dlx", "fanout")] {
        let (exchange, kind) = (exchange.into(), kind.into());
        let arguments = FieldTable::new();
        decl(
            b,
            Method::ExchangeDeclare {
                exchange,
                kind,
                passive: false,
                durable: false,
                auto_delete: false,
                internal: false,
                arguments,
            },
        );
    }
    let qargs = [
        args(&[
            ("x-max-length", int(3)),
            ("x-dead-letter-exchange", FieldValue::Str("dlx".into())),
        ]),
        args(&[
            ("x-max-priority", int(3)),
            ("x-message-ttl", int(700)),
            ("x-overflow", FieldValue::Str("reject-publish".into())),
            ("x-max-length", int(5)),
        ]),
        // a quorum queue: returns go to its returns list, past two returns a message is dead
        args(&[
            ("x-queue-type", FieldValue::Str("quorum".into())),
            ("x-delivery-limit", int(2)),
        ]),
    ];
    for (q, a) in QUEUES.iter().zip(qargs) {
        decl(
            b,
            Method::QueueDeclare {
                queue: q.to_string(),
                passive: false,
                durable: *q == "q2",
                exclusive: false,
                auto_delete: false,
                arguments: a,
            },
        );
    }
    for (q, key) in [("q0", "a.*"), ("q1", "#.b"), ("q2", "a.#")] {
        decl(
            b,
            Method::QueueBind {
                queue: q.into(),
                exchange: "topic".into(),
                routing_key: key.into(),
                arguments: FieldTable::new(),
            },
        );
    }
    decl(
        b,
        Method::ExchangeBind {
            destination: "topic".into(),
            source: "fan".into(),
            routing_key: "".into(),
            arguments: FieldTable::new(),
        },
    );
    decl(
        b,
        Method::QueueBind {
            queue: "q0".into(),
            exchange: "fan".into(),
            routing_key: "".into(),
            arguments: FieldTable::new(),
        },
    );
    decl(
        b,
        Method::QueueBind {
            queue: "q2".into(),
            exchange: "dlx".into(),
            routing_key: "".into(),
            arguments: FieldTable::new(),
        },
    );
    conns
}

/// Run the ops; returns a rendering of every event, for the determinism check.
fn run(ops: &[Op]) -> Result<Vec<String>, TestCaseError> {
    let mut b = Broker::new(7);
    let mut conns = setup(&mut b);
    let mut model = Model::default();
    let mut log = Vec::new();
    let mut now = 0u64;
    let mut confirm = [false; 3];
    let mut qos = [(0u16, false); 3];
    for op in ops {
        // a connection error (global qos on the quorum queue) closes a connection: open it again
        for (i, c) in conns.iter_mut().enumerate() {
            if b.connection(*c).is_none() {
                *c = b.connect(now);
                confirm[i] = false;
                qos[i] = (0, false);
            }
        }
        let ensure = |b: &mut Broker, c: ConnId| {
            if b.channel(c, 1).is_none() {
                b.open_channel(now, c, 1).unwrap();
            }
        };
        match op.clone() {
            Op::Publish {
                conn,
                exchange,
                key,
                ttl,
                priority,
                confirm: want_confirm,
            } => {
                let c = conns[conn];
                ensure(&mut b, c);
                if want_confirm && !confirm[conn] {
                    confirm[conn] = b.handle(now, c, 1, Method::ConfirmSelect).is_ok();
                }
                let exchange = ["", "topic", "fan", "nowhere-but-default"][exchange];
                let exchange = if exchange == "nowhere-but-default" {
                    ""
                } else {
                    exchange
                };
                let properties = Properties {
                    expiration: ttl.map(|t| t.to_string()),
                    priority: Some(priority),
                    ..Properties::default()
                };
                let _ = b.handle(
                    now,
                    c,
                    1,
                    Method::BasicPublish {
                        exchange: exchange.into(),
                        routing_key: KEYS[key].into(),
                        mandatory: true,
                        immediate: false,
                        properties: properties.into(),
                        body: vec![b'x'; key + 1],
                    },
                );
            }
            Op::Consume {
                conn,
                queue,
                prefetch,
                global,
                no_ack,
                prio,
            } => {
                let c = conns[conn];
                ensure(&mut b, c);
                if (prefetch, global) != qos[conn] {
                    b.handle(
                        now,
                        c,
                        1,
                        Method::BasicQos {
                            prefetch_size: 0,
                            prefetch_count: prefetch,
                            global,
                        },
                    )
                    .unwrap();
                    qos[conn] = (prefetch, global);
                }
                let tag = format!("c{conn}-{}", log.len());
                let per_consumer = b.channel(c, 1).map(|ch| ch.prefetch).unwrap_or(0);
                let mut a = FieldTable::new();
                a.insert("x-priority".into(), int(prio as i64));
                if b.handle(
                    now,
                    c,
                    1,
                    Method::BasicConsume {
                        queue: QUEUES[queue].into(),
                        consumer_tag: tag.clone(),
                        no_ack,
                        exclusive: false,
                        arguments: a,
                    },
                )
                .is_ok()
                    && !no_ack
                {
                    model.prefetch.insert((c, tag), per_consumer);
                }
            }
            Op::Cancel { conn, nth } => {
                let c = conns[conn];
                if let Some(tag) = b.channel(c, 1).and_then(|ch| ch.consumers.keys().nth(nth).cloned()) {
                    b.handle(
                        now,
                        c,
                        1,
                        Method::BasicCancel {
                            consumer_tag: tag.to_string(),
                        },
                    )
                    .unwrap();
                }
            }
            Op::Ack { conn, nth, multiple }
            | Op::Nack {
                conn, nth, multiple, ..
            } => {
                let c = conns[conn];
                let tags: Vec<u64> = model
                    .outstanding
                    .keys()
                    .filter(|k| k.0 == c && k.1 == 1)
                    .map(|k| k.2)
                    .collect();
                let Some(&tag) = tags.get(nth % tags.len().max(1)) else {
                    continue;
                };
                let m = match op {
                    Op::Nack { requeue, .. } => Method::BasicNack {
                        delivery_tag: tag,
                        multiple,
                        requeue: *requeue,
                    },
                    _ => Method::BasicAck {
                        delivery_tag: tag,
                        multiple,
                    },
                };
                b.handle(now, c, 1, m).expect("acking an outstanding tag succeeds");
            }
            Op::Get { conn, queue, no_ack } => {
                let c = conns[conn];
                ensure(&mut b, c);
                b.handle(
                    now,
                    c,
                    1,
                    Method::BasicGet {
                        queue: QUEUES[queue].into(),
                        no_ack,
                    },
                )
                .unwrap();
            }
            Op::Recover { conn } => {
                let c = conns[conn];
                if b.channel(c, 1).is_some() {
                    b.handle(now, c, 1, Method::BasicRecover { requeue: true }).unwrap();
                    model.outstanding.retain(|k, _| !(k.0 == c && k.1 == 1));
                }
            }
            Op::CloseChannel { conn } => {
                let c = conns[conn];
                if b.channel(c, 1).is_some() {
                    b.handle(now, c, 1, Method::ChannelClose).unwrap();
                    confirm[conn] = false;
                    qos[conn] = (0, false);
                }
            }
            Op::Purge { queue } => {
                let c = conns[0];
                ensure(&mut b, c);
                b.handle(
                    now,
                    c,
                    1,
                    Method::QueuePurge {
                        queue: QUEUES[queue].into(),
                    },
                )
                .unwrap();
            }
            Op::Wait { ms } => {
                now += ms as u64;
                b.advance(now);
            }
        }
        let events: Vec<_> = b.drain_events().collect();
        log.extend(events.iter().map(|e| format!("{} {:?}", e.at, e.kind)));
        apply(&mut model, &b, events)?;
    }
    Ok(log)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn invariants_hold_and_runs_repeat(ops in proptest::collection::vec(op(), 1..80)) {
        let first = run(&ops)?;
        let second = run(&ops)?;
        prop_assert_eq!(first, second, "the same operations gave different events");
    }
}
