//! Random scenarios for differential testing against a real broker (seeded, replayable).
//!
//! [`scenario`] builds a scenario step by step while running it on the engine, so that most acks
//! name real delivery tags and most publishes reach something. It mixes declares (with TTL,
//! max-length (in messages or bytes), overflow, dead-lettering, priority and expiry arguments;
//! quorum queues, some with a delivery limit; the operator's purge_queue and delete_queue
//! (rabbitmqctl steps) now and then; durable, auto-delete, internal and passive exchange
//! declares), bindings of every exchange kind (and exchange-to-exchange, and unbinding both),
//! exchange and queue deletes (if unused, if empty), publishes with properties, consumers with
//! prefetch, acks, nacks, rejects, gets, cancels, recovers, purges, channel and connection closes,
//! broker restarts, confirms and waits. In some scenarios connection C logs in as a user of its
//! own whose permissions change on the way.
//!
//! It keeps clear of real races, so a real broker gives one answer: a channel consumes from at
//! most one queue (deliveries from two queues to one channel may interleave either way); queue
//! TTLs are 0 or far beyond the run; a short per-message TTL is only used right before a wait
//! that outlasts it; `x-expires` is never short.

use crate::names::VecMap;
use crate::rng::Rng;
use crate::scenario::{Scenario, Step};
use crate::trace::Runner;
use serde_json::{json, Value};

const CONNS: [&str; 3] = ["A", "B", "C"];
const WORDS: [&str; 4] = ["red", "green", "blue", ""];
const KINDS: [&str; 4] = ["direct", "fanout", "topic", "headers"];
const E2E_DESTS: [&str; 3] = ["direct", "topic", "fanout"];

/// Names the generator uses: a prefix keeps them apart from other scenarios' names.
fn q(i: u64) -> String {
    format!("g.q{i}")
}
fn x(kind: &str) -> String {
    format!("g.{kind}")
}

struct Gen {
    rng: Rng,
    runner: Runner,
    steps: Vec<Value>,
    /// Outstanding deliveries that need an ack: (conn, ch) -> tags.
    tags: VecMap<(String, u16), Vec<u64>>,
    /// What each (conn, ch) consumes from, and its consumer tags.
    consuming: VecMap<(String, u16), (String, Vec<String>)>,
    declared_queues: Vec<String>,
    next_tag: u64,
    /// Whether connection C logs in as [`USER`] (whose permissions the scenario sets and changes).
    user: bool,
}

/// The user connection C logs in as, in scenarios that have one (password [`PASSWORD`]).
const USER: &str = "g.user";
const PASSWORD: &str = "pw";

impl Gen {
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.rng.below(xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.rng.below(100) < percent
    }
    fn conn_ch(&mut self) -> (String, u16) {
        let c = self.pick(&CONNS).to_string();
        let ch = if self.chance(75) { 1 } else { 2 };
        (c, ch)
    }
    fn queue(&mut self) -> String {
        if self.declared_queues.is_empty() || self.chance(5) {
            q(self.rng.below(4))
        } else {
            let i = self.rng.below(self.declared_queues.len() as u64) as usize;
            self.declared_queues[i].clone()
        }
    }
    fn key(&mut self) -> String {
        let n = 1 + self.rng.below(3);
        (0..n)
            .map(|_| self.pick(&WORDS).to_string())
            .collect::<Vec<_>>()
            .join(".")
    }
    fn topic_pattern(&mut self) -> String {
        let n = 1 + self.rng.below(3);
        let mut hashes = 0;
        let mut ws = Vec::new();
        for _ in 0..n {
            let w = match self.rng.below(4) {
                0 if hashes < 2 => {
                    hashes += 1;
                    "#"
                }
                1 => "*",
                _ => self.pick(&WORDS),
            };
            ws.push(w.to_string());
        }
        ws.join(".")
    }
    fn headers(&mut self) -> Value {
        let mut h = serde_json::Map::new();
        for k in ["color", "size"] {
            if self.chance(60) {
                h.insert(k.into(), json!(self.pick(&["red", "blue"]).to_string()));
            }
        }
        if self.chance(20) {
            h.insert("n".into(), json!(self.rng.below(3)));
        }
        Value::Object(h)
    }

    /// Record a step and run it on the engine to learn its outcome.
    fn push(&mut self, conn: &str, ch: u16, call: &str, args: Value, alias: Option<&str>) {
        let mut st = json!({"conn": conn, "ch": ch, "call": call, "args": args});
        if self.user && conn == "C" {
            st["user"] = json!(USER);
            st["password"] = json!(PASSWORD);
        }
        if let Some(a) = alias {
            st["as"] = json!(a);
        }
        let parsed = Scenario::from_json(json!({"steps": [st.clone()]})).expect("the generator writes valid steps");
        let step: &Step = &parsed.steps[0];
        let index = self.steps.len();
        self.steps.push(st);
        let lines = self.runner.step(index, step).expect("no aliases");
        for l in lines {
            let (c, chn) = (
                l["conn"].as_str().unwrap_or("").to_string(),
                l["ch"].as_u64().unwrap_or(0) as u16,
            );
            match l["kind"].as_str() {
                Some(kind @ ("deliver" | "get")) => {
                    // consumer tags made here end in "-a" when auto-ack
                    let manual = if kind == "get" {
                        !self.steps[index]["args"]["auto_ack"].as_bool().unwrap_or(false)
                    } else {
                        !l["consumer_tag"].as_str().unwrap_or("").ends_with("-a")
                    };
                    if manual {
                        self.tags
                            .entry((c, chn))
                            .or_default()
                            .push(l["delivery_tag"].as_u64().unwrap_or(0));
                    }
                }
                Some("channel_error") => {
                    self.tags.remove(&(c.clone(), chn));
                    self.consuming.remove(&(c, chn));
                }
                Some("connection_error") => {
                    self.tags.retain(|k, _| k.0 != c);
                    self.consuming.retain(|k, _| k.0 != c);
                }
                _ => {}
            }
        }
    }

    fn step(&mut self) {
        let (c, ch) = self.conn_ch();
        let roll = self.rng.below(100);
        match roll {
            0..=7 => {
                let name = q(self.rng.below(4));
                let mut args = serde_json::Map::new();
                if self.chance(30) {
                    args.insert("x-max-length".into(), json!(self.rng.below(4)));
                    if self.chance(50) {
                        args.insert(
                            "x-overflow".into(),
                            json!(self
                                .pick(&["drop-head", "reject-publish", "reject-publish-dlx"])
                                .to_string()),
                        );
                    }
                }
                if self.chance(30) {
                    args.insert(
                        "x-dead-letter-exchange".into(),
                        json!(self.pick(&[x("fanout"), x("direct"), String::new()]).clone()),
                    );
                    if self.chance(50) {
                        args.insert("x-dead-letter-routing-key".into(), json!(q(self.rng.below(4))));
                    }
                }
                if self.chance(15) {
                    args.insert("x-message-ttl".into(), json!(*self.pick(&[0u64, 600_000])));
                }
                if self.chance(8) {
                    args.insert("x-max-length-bytes".into(), json!(*self.pick(&[0u64, 2, 5])));
                }
                if self.chance(5) {
                    args.insert("x-expires".into(), json!(600_000));
                }
                if self.chance(15) {
                    args.insert("x-max-priority".into(), json!(self.rng.below(4)));
                }
                if self.chance(10) {
                    args.insert("x-single-active-consumer".into(), json!(true));
                }
                let mut exclusive = self.chance(10);
                let mut auto_delete = self.chance(10);
                let mut durable = self.chance(15);
                if self.chance(15) {
                    // a quorum queue: durable, neither exclusive nor auto-delete, no priorities
                    // (now and then one of those anyway, for the broker's refusal)
                    args.remove("x-max-priority");
                    args.insert("x-queue-type".into(), json!("quorum"));
                    if self.chance(30) {
                        args.insert("x-delivery-limit".into(), json!(self.rng.below(3)));
                    }
                    durable = !self.chance(5);
                    exclusive = exclusive && self.chance(30);
                    auto_delete = auto_delete && self.chance(30);
                }
                self.push(
                    &c,
                    ch,
                    "queue_declare",
                    json!({"queue": name, "durable": durable, "exclusive": exclusive, "auto_delete": auto_delete, "arguments": args}),
                    None,
                );
                if !self.declared_queues.contains(&name) {
                    self.declared_queues.push(name);
                }
            }
            8..=11 => {
                let kind = *self.pick(&["direct", "fanout", "topic", "headers"]);
                if self.chance(15) {
                    // deleted (its bindings both ways go with it), perhaps only if unused
                    let if_unused = self.chance(50);
                    self.push(
                        &c,
                        ch,
                        "exchange_delete",
                        json!({"exchange": x(kind), "if_unused": if_unused}),
                        None,
                    );
                    return;
                }
                let mut args = serde_json::Map::new();
                if self.chance(20) {
                    args.insert("alternate-exchange".into(), json!(x("fanout")));
                }
                // now and then durable, auto-delete (gone with its last binding), internal (no
                // publishes) or passive: a redeclare that differs is refused as inequivalent
                let (durable, auto_delete, internal, passive) =
                    (self.chance(5), self.chance(10), self.chance(5), self.chance(5));
                self.push(
                    &c,
                    ch,
                    "exchange_declare",
                    json!({"exchange": x(kind), "exchange_type": kind, "durable": durable, "auto_delete": auto_delete,
                           "internal": internal, "passive": passive, "arguments": args}),
                    None,
                );
            }
            12..=19 => {
                let kind = *self.pick(&["direct", "fanout", "topic", "headers"]);
                let queue = self.queue();
                let (key, args) = match kind {
                    "topic" => (self.topic_pattern(), json!({})),
                    "headers" => {
                        let mut a = self.headers();
                        a["x-match"] = json!(self.pick(&["all", "any"]).to_string());
                        (String::new(), a)
                    }
                    _ => (self.key(), json!({})),
                };
                if self.chance(15) {
                    let dest_kind: &str = E2E_DESTS[self.rng.below(3) as usize];
                    let dest = x(dest_kind);
                    self.push(
                        &c,
                        ch,
                        "exchange_bind",
                        json!({"destination": dest, "source": x(kind), "routing_key": key}),
                        None,
                    );
                } else {
                    self.push(
                        &c,
                        ch,
                        "queue_bind",
                        json!({"queue": queue, "exchange": x(kind), "routing_key": key, "arguments": args}),
                        None,
                    );
                }
            }
            20..=44 => {
                let exchange = match self.rng.below(6) {
                    0 => String::new(),
                    1 => "g.missing".to_string(),
                    _ => x(KINDS[self.rng.below(4) as usize]),
                };
                let key = if exchange.is_empty() { self.queue() } else { self.key() };
                let mut props = serde_json::Map::new();
                if self.chance(30) {
                    props.insert("delivery_mode".into(), json!(2));
                }
                if self.chance(25) {
                    props.insert("priority".into(), json!(self.rng.below(6)));
                }
                if self.chance(30) {
                    props.insert("headers".into(), self.headers());
                }
                if self.chance(10) {
                    props.insert("correlation_id".into(), json!(format!("c{}", self.steps.len())));
                }
                let short_ttl = self.chance(6);
                if short_ttl {
                    props.insert("expiration".into(), json!("300"));
                } else if self.chance(8) {
                    props.insert("expiration".into(), json!("600000"));
                }
                let mandatory = self.chance(30);
                let body = format!("m{}", self.steps.len());
                self.push(&c, ch, "basic_publish", json!({"exchange": exchange, "routing_key": key, "body": body, "mandatory": mandatory, "properties": props}), None);
                if short_ttl {
                    // the message may expire: nothing else may happen before a wait outlasts it
                    self.push("A", 1, "wait", json!({"ms": 1500}), None);
                }
            }
            45..=50 => {
                let global = self.chance(25);
                let n = self.rng.below(4);
                self.push(
                    &c,
                    ch,
                    "basic_qos",
                    json!({"prefetch_count": n, "global_qos": global}),
                    None,
                );
            }
            51..=58 => {
                let queue = self.queue();
                let key = (c.clone(), ch);
                if self.consuming.get(&key).is_some_and(|(q, _)| *q != queue) {
                    return; // one queue per channel: no interleaving races
                }
                let auto_ack = self.chance(30);
                self.next_tag += 1;
                let tag = format!("t{}{}", self.next_tag, if auto_ack { "-a" } else { "" });
                let mut args = json!({"queue": queue, "auto_ack": auto_ack, "consumer_tag": tag});
                if self.chance(10) {
                    args["arguments"] = json!({"x-priority": self.rng.below(3)});
                }
                if self.chance(5) {
                    args["exclusive"] = json!(true);
                }
                self.push(&c, ch, "basic_consume", args, None);
                if self
                    .runner
                    .server
                    .channel(self.conn_id(&c), ch)
                    .is_some_and(|chan| chan.consumers.contains_key(tag.as_str()))
                {
                    let e = self.consuming.entry(key).or_insert_with(|| (queue, Vec::new()));
                    e.1.push(tag);
                }
            }
            59..=61 => {
                let key = (c.clone(), ch);
                let tag = match self.consuming.get_mut(&key) {
                    Some((_, tags)) if !tags.is_empty() => tags.remove(0),
                    _ => "nobody".to_string(),
                };
                if self.consuming.get(&key).is_some_and(|(_, t)| t.is_empty()) {
                    self.consuming.remove(&key);
                }
                self.push(&c, ch, "basic_cancel", json!({"consumer_tag": tag}), None);
            }
            62..=76 => {
                // settle something this channel holds (or, now and then, a tag it does not)
                let key = self
                    .tags
                    .keys()
                    .nth(self.rng.below(self.tags.len().max(1) as u64) as usize)
                    .cloned();
                let (c, ch, tag) = match key {
                    Some(k) if !self.chance(5) => {
                        let tags = self.tags.get_mut(&k).expect("listed");
                        let i = self.rng.below(tags.len() as u64) as usize;
                        let tag = tags[i];
                        (k.0, k.1, tag)
                    }
                    _ => (c, ch, 99),
                };
                let multiple = self.chance(20);
                let (call, args) = match self.rng.below(3) {
                    0 => ("basic_ack", json!({"delivery_tag": tag, "multiple": multiple})),
                    1 => (
                        "basic_nack",
                        json!({"delivery_tag": tag, "multiple": multiple, "requeue": self.chance(60)}),
                    ),
                    _ => ("basic_reject", json!({"delivery_tag": tag, "requeue": self.chance(60)})),
                };
                let k = (c.clone(), ch);
                if let Some(tags) = self.tags.get_mut(&k) {
                    tags.retain(|t| if multiple { *t > tag } else { *t != tag });
                    if tags.is_empty() {
                        self.tags.remove(&k);
                    }
                }
                self.push(&c, ch, call, args, None);
            }
            77..=84 => {
                let queue = self.queue();
                let auto_ack = self.chance(40);
                self.push(&c, ch, "basic_get", json!({"queue": queue, "auto_ack": auto_ack}), None);
            }
            85..=86 => {
                self.tags.remove(&(c.clone(), ch));
                self.push(&c, ch, "basic_recover", json!({"requeue": true}), None);
            }
            87..=88 => {
                let queue = self.queue();
                if queue.starts_with("g.") && self.chance(20) {
                    // the operator purges it (rabbitmqctl purge_queue)
                    self.push(&c, ch, "rabbitmqctl", json!({"command": ["purge_queue", queue]}), None);
                } else {
                    self.push(&c, ch, "queue_purge", json!({"queue": queue}), None);
                }
            }
            89..=90 => self.close_channel(&c, ch),
            91 => self.close_connection(&c, ch),
            92..=94 => self.push(&c, ch, "confirm_select", json!({}), None),
            95 => {
                let queue = self.queue();
                let (if_empty, if_unused) = (self.chance(30), self.chance(20));
                if queue.starts_with("g.") && self.chance(25) {
                    // the operator deletes it (rabbitmqctl delete_queue, its own refusals)
                    let mut command = vec![json!("delete_queue"), json!(queue)];
                    command.extend(if_empty.then(|| json!("--if-empty")));
                    command.extend(if_unused.then(|| json!("--if-unused")));
                    self.push(&c, ch, "rabbitmqctl", json!({ "command": command }), None);
                } else {
                    self.push(
                        &c,
                        ch,
                        "queue_delete",
                        json!({"queue": queue, "if_empty": if_empty, "if_unused": if_unused}),
                        None,
                    );
                }
                self.consuming.retain(|_, (q, _)| *q != queue);
            }
            96 => {
                let kind = *self.pick(&["direct", "topic", "fanout"]);
                let key = self.key();
                if self.chance(30) {
                    let dest = *self.pick(&E2E_DESTS);
                    self.push(
                        &c,
                        ch,
                        "exchange_unbind",
                        json!({"destination": x(dest), "source": x(kind), "routing_key": key}),
                        None,
                    );
                } else {
                    let queue = self.queue();
                    self.push(
                        &c,
                        ch,
                        "queue_unbind",
                        json!({"queue": queue, "exchange": x(kind), "routing_key": key}),
                        None,
                    );
                }
            }
            _ if self.user && self.chance(30) => {
                // C's channels go first: one kept would answer from its permission cache, which
                // a real channel clears when it hibernates, after about a second idle
                self.close_connection("C", 1);
                self.permissions();
            }
            _ if self.chance(12) && self.tags.len() <= 1 => {
                // a broker restart: connections close, durable things and persistent messages
                // stay. Only while at most one channel holds deliveries: the broker closes
                // connections in an order of its own, and a quorum queue takes back what each
                // held in that order
                self.tags.clear();
                self.consuming.clear();
                self.push("A", 1, "restart", json!({}), None);
            }
            _ => {
                if self.chance(25) {
                    let kind = *self.pick(&KINDS);
                    self.push(
                        &c,
                        ch,
                        "exchange_declare",
                        json!({"exchange": x(kind), "exchange_type": kind, "passive": true}),
                        None,
                    );
                    return;
                }
                let queue = self.queue();
                self.push(&c, ch, "queue_declare", json!({"queue": queue, "passive": true}), None);
            }
        }
    }

    /// Close channel `ch` of `conn`: what it held and consumed goes with it.
    fn close_channel(&mut self, conn: &str, ch: u16) {
        let key = (conn.to_string(), ch);
        self.tags.remove(&key);
        self.consuming.remove(&key);
        self.push(conn, ch, "channel_close", json!({}), None);
    }

    /// Close connection `conn` (the step on channel `ch`): what it held and consumed goes with it.
    fn close_connection(&mut self, conn: &str, ch: u16) {
        // A closing connection's channels end in an order the broker does not fix: a delivery
        // one channel holds may go back to its queue before or after another channel's consumer
        // goes (and so be delivered to it, or not). The channels holding deliveries close first,
        // one by one, when another channel of the connection consumes.
        let holders: Vec<u16> = self.tags.keys().filter(|k| k.0 == conn).map(|k| k.1).collect();
        for h in holders {
            if self.consuming.keys().any(|k| k.0 == conn && k.1 != h) {
                self.close_channel(conn, h);
            }
        }
        self.tags.retain(|k, _| k.0 != conn);
        self.consuming.retain(|k, _| k.0 != conn);
        self.push(conn, ch, "connection_close", json!({}), None);
    }

    /// Set (or now and then clear) [`USER`]'s permissions on `/`: each of configure, write and
    /// read one of a few patterns over the generator's names.
    fn permissions(&mut self) {
        if self.chance(10) {
            self.push("A", 1, "clear_permissions", json!({"user": USER}), None);
            return;
        }
        let configure = *self.pick(&[".*", "", "^g\\.q.*", "^g\\.(q0|direct|fanout)$", "^amq\\.gen.*"]);
        let write = *self.pick(&[
            ".*",
            "",
            "^g\\.(direct|fanout)$",
            "^g\\.q[01]$",
            "^(g\\.topic|amq\\.default)$",
        ]);
        let read = *self.pick(&[".*", "", "^g\\.(topic|headers|q.*)$", "^g\\.q[23]$"]);
        self.push(
            "A",
            1,
            "set_permissions",
            json!({"user": USER, "configure": configure, "write": write, "read": read}),
            None,
        );
    }

    fn conn_id(&self, name: &str) -> crate::queue::ConnId {
        self.runner.conn_id(name).unwrap_or(crate::queue::ConnId(0))
    }
}

/// A random scenario of about `len` steps from `seed` (the same seed gives the same scenario),
/// made watching RabbitMQ 3.10's engine.
pub fn scenario(seed: u64, len: usize) -> Value {
    scenario_as(seed, len, crate::Version::V3_10)
}

/// [`scenario`], made watching `version`'s engine: the generator picks its next step from what
/// the broker holds (the deliveries it can ack, the queues there are), which can differ.
pub fn scenario_as(seed: u64, len: usize, version: crate::Version) -> Value {
    let mut g = Gen {
        rng: Rng::fork(seed, "generator"),
        runner: Runner::with_version(seed, version),
        steps: Vec::new(),
        tags: VecMap::new(),
        consuming: VecMap::new(),
        declared_queues: Vec::new(),
        next_tag: 0,
        user: false,
    };
    // a topology to start from: the four exchange kinds and two queues
    for kind in ["direct", "fanout", "topic", "headers"] {
        g.push(
            "A",
            1,
            "exchange_declare",
            json!({"exchange": x(kind), "exchange_type": kind}),
            None,
        );
    }
    for i in 0..2 {
        g.push("A", 1, "queue_declare", json!({"queue": q(i)}), None);
        g.declared_queues.push(q(i));
    }
    // in some scenarios connection C logs in as a user of its own, with narrower permissions
    if g.chance(30) {
        g.push("A", 1, "add_user", json!({"user": USER, "password": PASSWORD}), None);
        g.user = true;
        g.permissions();
    }
    while g.steps.len() < len {
        g.step();
    }
    json!({"name": format!("random scenario, seed {seed}"), "seed": seed, "steps": g.steps})
}
