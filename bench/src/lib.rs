//! Workloads for the engine's benchmarks. The same code runs natively (`warren-bench`) and in
//! wasm under Node (`scripts/bench.sh`), so the two figures compare like with like.

use std::rc::Rc;
use warren_engine::field::FieldTable;
use warren_engine::message::Name;
use warren_engine::{Broker, ConnId, EventKind, Method, Properties};

fn ok(b: &mut Broker, c: ConnId, ch: u16, m: Method) {
    b.handle(0, c, ch, m).expect("benchmark setup succeeds");
}

fn declare_exchange(b: &mut Broker, c: ConnId, name: &str, kind: &str) {
    ok(
        b,
        c,
        1,
        Method::ExchangeDeclare {
            exchange: name.into(),
            kind: kind.into(),
            passive: false,
            durable: false,
            auto_delete: false,
            internal: false,
            arguments: FieldTable::new(),
        },
    );
}

fn declare_queue(b: &mut Broker, c: ConnId, name: &str) {
    ok(
        b,
        c,
        1,
        Method::QueueDeclare {
            queue: name.into(),
            passive: false,
            durable: false,
            exclusive: false,
            auto_delete: false,
            arguments: FieldTable::new(),
        },
    );
}

fn bind(b: &mut Broker, c: ConnId, q: &str, x: &str, key: &str) {
    ok(
        b,
        c,
        1,
        Method::QueueBind {
            queue: q.into(),
            exchange: x.into(),
            routing_key: key.into(),
            arguments: FieldTable::new(),
        },
    );
}

/// A consumer of `queue` on channel 2 with consumer tag `tag`.
fn consume(b: &mut Broker, c: ConnId, queue: &str, tag: &str, no_ack: bool) {
    ok(
        b,
        c,
        2,
        Method::BasicConsume {
            queue: queue.into(),
            consumer_tag: tag.into(),
            no_ack,
            exclusive: false,
            arguments: FieldTable::new(),
        },
    );
}

/// Publish `n` messages to `exchange` with `key`; returns the deliveries they made.
fn deliveries(b: &mut Broker, c: ConnId, exchange: &str, key: &str, n: u64) -> u64 {
    let mut delivered = 0;
    let p = Publisher::new(exchange, key);
    for _ in 0..n {
        p.publish(b, c, b"payload");
        delivered += b
            .drain_events()
            .filter(|e| matches!(e.kind, EventKind::Delivered { .. }))
            .count() as u64;
    }
    delivered
}

/// A broker with a publisher channel (1) and a consumer channel (2) on one connection.
fn broker() -> (Broker, ConnId) {
    let mut b = Broker::new(1);
    let c = b.connect(0);
    b.open_channel(0, c, 1).unwrap();
    b.open_channel(0, c, 2).unwrap();
    (b, c)
}

/// What a client publishes again and again: its exchange and key as names, one set of
/// properties (cloning them is a reference count); the body is a new buffer each time.
struct Publisher {
    exchange: Name,
    key: Name,
    properties: Rc<Properties>,
}

impl Publisher {
    fn new(exchange: &str, key: &str) -> Publisher {
        Publisher {
            exchange: exchange.into(),
            key: key.into(),
            properties: Rc::default(),
        }
    }

    fn publish(&self, b: &mut Broker, c: ConnId, body: &[u8]) {
        ok(
            b,
            c,
            1,
            Method::BasicPublish {
                exchange: self.exchange.clone(),
                routing_key: self.key.clone(),
                mandatory: false,
                immediate: false,
                properties: self.properties.clone(),
                body: body.to_vec(),
            },
        );
    }
}

/// Publish → route (direct exchange, one queue) → deliver → ack, `n` times. Returns the number of
/// events the engine reported (every message: published, routed, enqueued, delivered, acked).
pub fn direct_pump(n: u64) -> u64 {
    let (mut b, c) = broker();
    declare_exchange(&mut b, c, "work", "direct");
    declare_queue(&mut b, c, "q");
    bind(&mut b, c, "q", "work", "task");
    ok(
        &mut b,
        c,
        2,
        Method::BasicQos {
            prefetch_size: 0,
            prefetch_count: 100,
            global: false,
        },
    );
    consume(&mut b, c, "q", "w", false);
    let mut events = b.drain_events().count() as u64;
    let p = Publisher::new("work", "task");
    for i in 0..n {
        p.publish(&mut b, c, b"payload");
        ok(
            &mut b,
            c,
            2,
            Method::BasicAck {
                delivery_tag: i + 1,
                multiple: false,
            },
        );
        events += b.drain_events().count() as u64;
    }
    events
}

/// A topic exchange with `bindings` bindings, of which one matches the key published; `n`
/// publishes delivered to an auto-ack consumer. Returns the deliveries.
pub fn topic_setup(bindings: u32) -> (Broker, ConnId) {
    let (mut b, c) = broker();
    declare_exchange(&mut b, c, "logs", "topic");
    for q in ["hit", "miss"] {
        declare_queue(&mut b, c, q);
    }
    bind(&mut b, c, "hit", "logs", "app.*.error");
    for i in 1..bindings {
        // keys that share words with the one published but cannot match it
        let key = match i % 3 {
            0 => format!("svc{i}.*.error"),
            1 => format!("app.node{i}.#"),
            _ => format!("#.region{i}"),
        };
        bind(&mut b, c, "miss", "logs", &key);
    }
    consume(&mut b, c, "hit", "t", true);
    b.drain_events().count();
    (b, c)
}

pub fn topic_pump(b: &mut Broker, c: ConnId, n: u64) -> u64 {
    deliveries(b, c, "logs", "app.web1.error", n)
}

/// A fanout exchange bound to `queues` queues, each with an auto-ack consumer on channel 2.
pub fn fanout_setup(queues: u32) -> (Broker, ConnId) {
    let (mut b, c) = broker();
    declare_exchange(&mut b, c, "wide", "fanout");
    for i in 0..queues {
        let q = format!("f{i}");
        declare_queue(&mut b, c, &q);
        bind(&mut b, c, &q, "wide", "");
        consume(&mut b, c, &q, &q, true);
    }
    b.drain_events().count();
    (b, c)
}

/// Publish `n` messages to the fanout of [`fanout_setup`]; returns the deliveries (n × queues).
pub fn fanout_pump(b: &mut Broker, c: ConnId, n: u64) -> u64 {
    deliveries(b, c, "wide", "", n)
}

/// A diamond of exchanges: the fanout `front` bound to the direct exchanges `left` and `right`,
/// both bound to the queue `q` with the key published; `q` has an auto-ack consumer. RabbitMQ
/// stores a message reaching a queue along two paths once.
pub fn diamond_setup() -> (Broker, ConnId) {
    let (mut b, c) = broker();
    declare_exchange(&mut b, c, "front", "fanout");
    declare_queue(&mut b, c, "q");
    for x in ["left", "right"] {
        declare_exchange(&mut b, c, x, "direct");
        ok(
            &mut b,
            c,
            1,
            Method::ExchangeBind {
                destination: x.into(),
                source: "front".into(),
                routing_key: "".into(),
                arguments: FieldTable::new(),
            },
        );
        bind(&mut b, c, "q", x, "k");
    }
    consume(&mut b, c, "q", "d", true);
    b.drain_events().count();
    (b, c)
}

/// Publish `n` messages into the diamond of [`diamond_setup`]; returns the deliveries (`n`: each
/// message once).
pub fn diamond_pump(b: &mut Broker, c: ConnId, n: u64) -> u64 {
    deliveries(b, c, "front", "k", n)
}

/// `n` messages of `body_len` bytes waiting in one queue with no consumer (for memory figures);
/// the events are drained as they come, as the page's timeline would take them.
pub fn fill(n: u64, body_len: usize) -> Broker {
    let (mut b, c) = broker();
    declare_queue(&mut b, c, "waiting");
    b.drain_events().count();
    let body = vec![b'x'; body_len];
    let p = Publisher::new("", "waiting");
    for _ in 0..n {
        p.publish(&mut b, c, &body);
        b.drain_events().count();
    }
    assert_eq!(b.queue("waiting").map(|q| q.len()), Some(n), "every message waits");
    b
}

/// The page's cost of publishing: the first visit's canvas (work queues: a producer, a durable
/// queue, two workers with prefetch 1 taking 2 s a task), its producer publishing one persistent
/// message per click, `n` clicks 1 ms apart, each the call the page's Publish button makes
/// ([`Live::input`]); then the simulation runs until every publish has reached the broker (a
/// 400 ms network) and been routed. Everything the page computes for a click is in it: the
/// publish's route previewed for its dot, its frame, the engine's events on the timeline with
/// their counts. Returns the simulation (its events on the timeline), for the caller to drop
/// outside its timing.
pub fn page_publish(n: u64) -> warren_model::sim::Live {
    use warren_model::design::{Kind, Spec};
    use warren_model::sim::{Input, Live};
    let mut d = warren_model::example::example();
    let p = d.ids(Kind::Producer)[0];
    for node in d.nodes.iter_mut() {
        if let Spec::Producer(s) = &mut node.spec {
            s.burst = 1;
        }
    }
    let mut live = Live::new(d);
    for i in 0..n {
        live.input(i, Input::Publish(p)).expect("the producer publishes");
    }
    live.advance_to(n + 1000);
    live
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    static KEPT: std::cell::RefCell<Option<warren_model::sim::Live>> = const { std::cell::RefCell::new(None) };
}

/// wasm entry point: [`page_publish`] (Node times it); the simulation is kept until
/// [`wasm_page_publish_drop`], so that freeing it is not timed. Returns its events.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_page_publish(n: u32) -> u32 {
    let live = page_publish(n as u64);
    let events = live.timeline.events.len() as u32;
    KEPT.with(|k| *k.borrow_mut() = Some(live));
    events
}

/// Drop the simulation [`wasm_page_publish`] kept.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_page_publish_drop() {
    KEPT.with(|k| k.borrow_mut().take());
}

/// wasm entry point: run the direct pump (Node times it).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_direct_pump(n: u32) -> u32 {
    direct_pump(n as u64) as u32
}

// The page's allocator (see src/main.rs), so that the wasm figure is the page's engine.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
