//! Running a scenario against a real broker, printing the same trace as the simulated run.
//!
//! This mirrors the reference recorder (`shared/tools/pika_trace.py`) step for step: connections
//! and channels open on first use, a sync call that fails records the broker's close, and after
//! each step the runner waits until the broker's effects have arrived before it goes on (for an
//! asynchronous method, first a round trip on its channel: see `Conn::round_trip`).
//!
//! Talking to a real broker takes real time: this module, unlike the engine, reads the clock.
#![allow(clippy::disallowed_methods)]

use crate::amqp::{Conn, Error, Incoming, Url};
use amq_protocol::protocol::{basic, confirm, exchange, queue, AMQPClass, BasicProperties};
use amq_protocol::types::{AMQPValue, DecimalValue, FieldArray, FieldTable, LongString, ShortString};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;
use warren_engine::field::{FieldTable as Table, FieldValue, IntType};
use warren_engine::names::VecMap;
use warren_engine::rng::Rng;
use warren_engine::scenario::resolve;
use warren_engine::scenario::{Call, Login, Scenario, Step};
use warren_engine::trace::{resolve_alias, run_steps};
use warren_engine::Method;
use warren_engine::Properties;

/// A failure of the run itself (not of a step): the broker cannot be reached, a socket broke.
pub type Fatal = String;

struct ChanState {
    real: u16,
    confirm: bool,
    next_seq: u64,
    consumers: BTreeSet<String>,
}

/// The live runner's state across steps.
pub struct Live {
    url: Url,
    conns: BTreeMap<String, Conn>,
    chans: BTreeMap<(String, u16), ChanState>,
    aliases: VecMap<String, String>,
    tags: Rng,
    /// This step's events: (conn, ch, line), in arrival order.
    events: Vec<(String, u16, Value)>,
}

fn to_amqp(v: &FieldValue) -> AMQPValue {
    match v {
        FieldValue::Bool(b) => AMQPValue::Boolean(*b),
        FieldValue::Int(t, i) => match t {
            IntType::Byte => AMQPValue::ShortShortInt(*i as i8),
            IntType::UnsignedByte => AMQPValue::ShortShortUInt(*i as u8),
            IntType::Short => AMQPValue::ShortInt(*i as i16),
            IntType::UnsignedShort => AMQPValue::ShortUInt(*i as u16),
            IntType::SignedInt => AMQPValue::LongInt(*i as i32),
            IntType::UnsignedInt => AMQPValue::LongUInt(*i as u32),
            IntType::Long => AMQPValue::LongLongInt(*i),
        },
        FieldValue::Float(f) => AMQPValue::Double(*f),
        FieldValue::Decimal(d) => {
            let (int, frac) = d.split_once('.').unwrap_or((d, ""));
            let digits = format!("{int}{frac}");
            AMQPValue::DecimalValue(DecimalValue {
                scale: frac.len() as u8,
                value: digits.parse().unwrap_or(0),
            })
        }
        FieldValue::Str(s) => AMQPValue::LongString(LongString::from(s.as_bytes().to_vec())),
        FieldValue::Timestamp(t) => AMQPValue::Timestamp(*t),
        FieldValue::Table(t) => AMQPValue::FieldTable(table(t)),
        FieldValue::Array(a) => AMQPValue::FieldArray(FieldArray::from(a.iter().map(to_amqp).collect::<Vec<_>>())),
        FieldValue::Void => AMQPValue::Void,
    }
}

fn table(t: &Table) -> FieldTable {
    let mut out = FieldTable::default();
    for (k, v) in t {
        out.insert(ShortString::from(k.as_str()), to_amqp(v));
    }
    out
}

/// A received value as pika decodes it (strings, numbers, booleans, lists, objects).
fn json_of(v: &AMQPValue) -> Value {
    match v {
        AMQPValue::Boolean(b) => json!(b),
        AMQPValue::ShortShortInt(i) => json!(i),
        AMQPValue::ShortShortUInt(i) => json!(i),
        AMQPValue::ShortInt(i) => json!(i),
        AMQPValue::ShortUInt(i) => json!(i),
        AMQPValue::LongInt(i) => json!(i),
        AMQPValue::LongUInt(i) => json!(i),
        AMQPValue::LongLongInt(i) => json!(i),
        AMQPValue::Float(f) => json!(f),
        AMQPValue::Double(f) => json!(f),
        AMQPValue::DecimalValue(d) => json!(d.value as f64 / 10f64.powi(d.scale as i32)),
        AMQPValue::ShortString(s) => json!(s.as_str()),
        AMQPValue::LongString(s) => json!(String::from_utf8_lossy(s.as_bytes())),
        AMQPValue::FieldArray(a) => Value::Array(a.as_slice().iter().map(json_of).collect()),
        AMQPValue::Timestamp(t) => json!(t),
        AMQPValue::FieldTable(t) => Value::Object(t.inner().iter().map(|(k, v)| (k.to_string(), json_of(v))).collect()),
        AMQPValue::ByteArray(b) => json!(String::from_utf8_lossy(b.as_slice())),
        AMQPValue::Void => Value::Null,
    }
}

fn basic_properties(p: &Properties) -> BasicProperties {
    let mut b = BasicProperties::default();
    let s = |v: &String| ShortString::from(v.as_str());
    if let Some(v) = &p.content_type {
        b = b.with_content_type(s(v));
    }
    if let Some(v) = &p.content_encoding {
        b = b.with_content_encoding(s(v));
    }
    if let Some(h) = &p.headers {
        b = b.with_headers(table(h));
    }
    if let Some(v) = p.delivery_mode {
        b = b.with_delivery_mode(v);
    }
    if let Some(v) = p.priority {
        b = b.with_priority(v);
    }
    if let Some(v) = &p.correlation_id {
        b = b.with_correlation_id(s(v));
    }
    if let Some(v) = &p.reply_to {
        b = b.with_reply_to(s(v));
    }
    if let Some(v) = &p.expiration {
        b = b.with_expiration(s(v));
    }
    if let Some(v) = &p.message_id {
        b = b.with_message_id(s(v));
    }
    if let Some(v) = p.timestamp {
        b = b.with_timestamp(v);
    }
    if let Some(v) = &p.type_ {
        b = b.with_type(s(v));
    }
    if let Some(v) = &p.user_id {
        b = b.with_user_id(s(v));
    }
    if let Some(v) = &p.app_id {
        b = b.with_app_id(s(v));
    }
    b
}

impl Live {
    /// Check that the broker answers (one line on failure) and set up a run.
    pub fn new(url: &str, seed: u64) -> Result<Live, Fatal> {
        let url = Url::parse(url)?;
        let mut probe = Conn::connect(&url)?;
        probe.close();
        Ok(Live {
            url,
            conns: BTreeMap::new(),
            chans: BTreeMap::new(),
            aliases: VecMap::new(),
            tags: Rng::fork(seed, "pika-consumer-tags"),
            events: Vec::new(),
        })
    }

    fn unalias(&self, v: &str) -> String {
        self.aliases
            .iter()
            .find(|(_, real)| *real == v)
            .map(|(a, _)| format!("${a}"))
            .unwrap_or_else(|| v.to_string())
    }

    fn props_json(&self, p: &BasicProperties) -> Value {
        let mut m = Map::new();
        let mut s = |k: &str, v: &Option<ShortString>| {
            if let Some(v) = v {
                m.insert(k.into(), json!(v.as_str()));
            }
        };
        s("content_type", p.content_type());
        s("correlation_id", p.correlation_id());
        s("expiration", p.expiration());
        s("message_id", p.message_id());
        s("type", p.kind());
        s("app_id", p.app_id());
        if let Some(r) = p.reply_to() {
            m.insert("reply_to".into(), json!(self.unalias(r.as_str())));
        }
        if let Some(d) = p.delivery_mode() {
            m.insert("delivery_mode".into(), json!(d));
        }
        if let Some(d) = p.priority() {
            m.insert("priority".into(), json!(d));
        }
        if let Some(h) = p.headers() {
            let mut t = Map::new();
            for (k, v) in h.inner() {
                let mut j = json_of(v);
                if k.as_str() == "x-death" {
                    if let Value::Array(entries) = &mut j {
                        for e in entries {
                            if let Value::Object(o) = e {
                                o.remove("time");
                            }
                        }
                    }
                }
                t.insert(k.to_string(), j);
            }
            m.insert("headers".into(), Value::Object(t));
        }
        Value::Object(m)
    }

    /// Move what arrived on `conn` into this step's events.
    fn collect(&mut self, conn: &str) {
        let Some(c) = self.conns.get_mut(conn) else { return };
        let inbox = std::mem::take(&mut c.inbox);
        for m in inbox {
            let real = match &m {
                Incoming::Deliver { ch, .. }
                | Incoming::Return { ch, .. }
                | Incoming::Ack { ch, .. }
                | Incoming::Nack { ch, .. }
                | Incoming::ChannelClosed { ch, .. } => *ch,
            };
            let Some(ch) = self
                .chans
                .iter()
                .find(|((cn, _), st)| cn == conn && st.real == real)
                .map(|((_, n), _)| *n)
            else {
                continue;
            };
            let line = match m {
                Incoming::Deliver {
                    consumer_tag,
                    delivery_tag,
                    redelivered,
                    exchange,
                    routing_key,
                    properties,
                    body,
                    ..
                } => json!({
                    "kind": "deliver", "conn": conn, "ch": ch, "consumer_tag": consumer_tag, "delivery_tag": delivery_tag,
                    "redelivered": redelivered, "exchange": exchange, "routing_key": self.unalias(&routing_key),
                    "body": String::from_utf8_lossy(&body), "properties": self.props_json(&properties)}),
                Incoming::Return {
                    reply_code,
                    reply_text,
                    exchange,
                    routing_key,
                    body,
                    ..
                } => json!({
                    "kind": "return", "conn": conn, "ch": ch, "reply_code": reply_code, "reply_text": reply_text,
                    "exchange": exchange, "routing_key": self.unalias(&routing_key), "body": String::from_utf8_lossy(&body)}),
                Incoming::ChannelClosed { code, text, .. } => {
                    self.chans.remove(&(conn.to_string(), ch));
                    json!({"kind": "channel_error", "conn": conn, "ch": ch, "code": code, "text": text})
                }
                Incoming::Ack { .. } | Incoming::Nack { .. } => continue,
            };
            self.events.push((conn.to_string(), ch, line));
        }
    }

    /// Let the broker's effects arrive on every connection (the recorder's `settle`): read until
    /// every connection has been quiet for the settle window (30 ms, or `WARREN_SETTLE_MS`).
    fn settle(&mut self) -> Result<(), Fatal> {
        let window = std::env::var("WARREN_SETTLE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(30u64);
        let names: Vec<String> = self.conns.keys().cloned().collect();
        let mut quiet_since = std::time::Instant::now();
        let started = quiet_since;
        while quiet_since.elapsed() < Duration::from_millis(window) && started.elapsed() < Duration::from_secs(5) {
            let mut any = false;
            for n in &names {
                let Some(c) = self.conns.get_mut(n) else { continue };
                if !c.is_open() {
                    continue;
                }
                match c.poll(Duration::from_millis(2)) {
                    Ok(a) => any |= a,
                    Err(Error::Connection(code, text)) => {
                        any = true;
                        self.events.push((
                            n.clone(),
                            0,
                            json!({"kind": "connection_error", "conn": n, "code": code, "text": text}),
                        ));
                    }
                    Err(Error::Io(e)) => return Err(format!("lost the broker: {e}")),
                    Err(Error::Channel(..)) => {}
                }
                self.collect(n);
            }
            if any {
                quiet_since = std::time::Instant::now();
            }
        }
        Ok(())
    }

    /// Open connection `name` if it is not open, logging in as the step says (the URL's user,
    /// password and vhost where it says nothing). `Ok(false)`: the broker refused the login or
    /// the vhost, and the trace has its `connection_error`.
    fn conn(&mut self, name: &str, login: &Login) -> Result<bool, Fatal> {
        if !self.conns.get(name).is_some_and(|c| c.is_open()) {
            let (user, password, vhost) = login.or((&self.url.user, &self.url.password, &self.url.vhost));
            let url = Url {
                user: user.to_string(),
                password: password.to_string(),
                vhost: vhost.to_string(),
                ..self.url.clone()
            };
            self.chans.retain(|(cn, _), _| cn != name);
            match Conn::login(&url)? {
                Ok(c) => {
                    self.conns.insert(name.to_string(), c);
                }
                Err((code, text)) => {
                    self.conns.remove(name);
                    self.events.push((
                        name.into(),
                        0,
                        json!({"kind": "connection_error", "conn": name, "code": code, "text": text}),
                    ));
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    fn chan(&mut self, conn: &str, ch: u16) -> Result<u16, Fatal> {
        let key = (conn.to_string(), ch);
        let c = self.conns.get_mut(conn).expect("connected");
        if let Some(st) = self.chans.get(&key) {
            if c.channel_is_open(st.real) {
                return Ok(st.real);
            }
        }
        let real = c.open_channel().map_err(|e| format!("cannot open a channel: {e}"))?;
        self.chans.insert(
            key,
            ChanState {
                real,
                confirm: false,
                next_seq: 1,
                consumers: BTreeSet::new(),
            },
        );
        Ok(real)
    }

    /// Close every client connection (before the broker's application stops).
    fn close_all(&mut self) {
        for c in self.conns.values_mut() {
            c.close();
        }
        self.conns.clear();
        self.chans.clear();
    }

    fn ok(&mut self, v: Value) {
        let conn = v.get("conn").and_then(|c| c.as_str()).unwrap_or("").to_string();
        self.events.push((conn, 0, v));
    }

    /// Record a failed call as the recorder does; a broken socket ends the run.
    fn failed(&mut self, conn: &str, ch: u16, e: Error) -> Result<(), Fatal> {
        self.collect(conn);
        match e {
            Error::Channel(code, text) => {
                self.chans.remove(&(conn.to_string(), ch));
                self.events.push((
                    conn.into(),
                    ch,
                    json!({"kind": "channel_error", "conn": conn, "ch": ch, "code": code, "text": text}),
                ));
                Ok(())
            }
            Error::Connection(code, text) => {
                self.chans.retain(|(cn, _), _| cn != conn);
                self.events.push((
                    conn.into(),
                    0,
                    json!({"kind": "connection_error", "conn": conn, "code": code, "text": text}),
                ));
                Ok(())
            }
            Error::Io(e) => Err(format!("lost the broker: {e}")),
        }
    }

    /// Run one step; its trace lines in the recorder's order (without `step`).
    pub fn step(&mut self, index: usize, st: &Step) -> Result<Vec<Value>, Fatal> {
        self.events.clear();
        let settle_after = !matches!(st.call, Call::Restart);
        self.run_step(index, st)?;
        if settle_after {
            self.settle()?;
        }
        let mut lines = std::mem::take(&mut self.events);
        lines.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        Ok(lines.into_iter().map(|l| l.2).collect())
    }

    fn run_step(&mut self, index: usize, st: &Step) -> Result<(), Fatal> {
        let (cn, n) = (st.conn.as_str(), st.ch);
        match &st.call {
            Call::Wait { ms } => {
                std::thread::sleep(Duration::from_millis(*ms));
                return Ok(());
            }
            Call::Restart => {
                self.close_all();
                rabbitmqctl(&["stop_app"])?;
                rabbitmqctl(&["start_app"])?;
                self.ok(json!({"kind": "ok", "call": "restart"}));
                return Ok(());
            }
            Call::ConnectionClose => {
                if let Some(c) = self.conns.get_mut(cn) {
                    c.close();
                }
                self.conns.remove(cn);
                self.chans.retain(|(c, _), _| c != cn);
                self.ok(json!({"kind": "ok", "call": "connection_close", "conn": cn}));
                return Ok(());
            }
            Call::Method(_) => {}
            call => {
                let args = call.ctl_args().expect("a rabbitmqctl command");
                let args: Vec<&str> = args.iter().map(|a| a.as_str()).collect();
                if matches!(args.first(), Some(&"stop_app" | &"reset")) {
                    // our clients go first, as for a restart (a dropped socket is not a trace line)
                    self.close_all();
                }
                let (stdout, stderr, status) = rabbitmqctl_output(&args)?;
                let out = warren_engine::ctl::Output { stdout, stderr, status };
                self.ok(warren_engine::trace::ctl_line(call, &out));
                return Ok(());
            }
        }
        if !self.conn(cn, &st.login)? {
            return Ok(());
        }
        let real = self.chan(cn, n)?;
        let r = self.call(index, cn, n, real, st);
        match r {
            Ok(Some(ok)) => self.ok(ok),
            Ok(None) => {}
            Err(e) => return self.failed(cn, n, e),
        }
        self.collect(cn);
        Ok(())
    }

    fn call(&mut self, index: usize, cn: &str, n: u16, real: u16, st: &Step) -> Result<Option<Value>, Error> {
        let Call::Method(method) = &st.call else {
            unreachable!("{} is run by run_step", st.call.name())
        };
        let tags = &mut self.tags;
        let method = resolve(
            method,
            |v| resolve_alias(&self.aliases, v),
            || format!("ctag{real}.{:016x}{:016x}", tags.next_u64(), tags.next_u64()),
        )
        .map_err(|e| Error::Io(format!("step {index}: {e}")))?;
        let key = (cn.to_string(), n);
        let c = self.conns.get_mut(cn).expect("connected");
        let ok = |call: &str| Some(json!({"kind": "ok", "call": call}));
        let name = st.call.name();
        Ok(match method {
            Method::ExchangeDeclare {
                exchange,
                kind,
                passive,
                durable,
                auto_delete,
                internal,
                arguments,
            } => {
                let m = exchange::Declare {
                    exchange: exchange.into(),
                    kind: kind.into(),
                    passive,
                    durable,
                    auto_delete,
                    internal,
                    nowait: false,
                    arguments: table(&arguments),
                };
                c.call(real, AMQPClass::Exchange(exchange::AMQPMethod::Declare(m)))?;
                ok(name)
            }
            Method::ExchangeDelete { exchange, if_unused } => {
                let m = exchange::Delete {
                    exchange: exchange.into(),
                    if_unused,
                    nowait: false,
                };
                c.call(real, AMQPClass::Exchange(exchange::AMQPMethod::Delete(m)))?;
                ok(name)
            }
            Method::ExchangeBind {
                destination,
                source,
                routing_key,
                arguments,
            } => {
                let (destination, source, routing_key, arguments) =
                    (destination.into(), source.into(), routing_key.into(), table(&arguments));
                c.call(
                    real,
                    AMQPClass::Exchange(exchange::AMQPMethod::Bind(exchange::Bind {
                        destination,
                        source,
                        routing_key,
                        nowait: false,
                        arguments,
                    })),
                )?;
                ok(name)
            }
            Method::ExchangeUnbind {
                destination,
                source,
                routing_key,
                arguments,
            } => {
                let (destination, source, routing_key, arguments) =
                    (destination.into(), source.into(), routing_key.into(), table(&arguments));
                c.call(
                    real,
                    AMQPClass::Exchange(exchange::AMQPMethod::Unbind(exchange::Unbind {
                        destination,
                        source,
                        routing_key,
                        nowait: false,
                        arguments,
                    })),
                )?;
                ok(name)
            }
            Method::QueueDeclare {
                queue,
                passive,
                durable,
                exclusive,
                auto_delete,
                arguments,
            } => {
                let m = queue::Declare {
                    queue: queue.into(),
                    passive,
                    durable,
                    exclusive,
                    auto_delete,
                    nowait: false,
                    arguments: table(&arguments),
                };
                let AMQPClass::Queue(queue::AMQPMethod::DeclareOk(r)) =
                    c.call(real, AMQPClass::Queue(queue::AMQPMethod::Declare(m)))?
                else {
                    return Err(Error::Io("queue.declare got another reply".into()));
                };
                if let Some(a) = &st.alias {
                    self.aliases.insert(a.clone(), r.queue.to_string());
                }
                let q = self.unalias(r.queue.as_str());
                Some(
                    json!({"kind": "ok", "call": name, "queue": q, "message_count": r.message_count, "consumer_count": r.consumer_count}),
                )
            }
            Method::QueueBind {
                queue,
                exchange,
                routing_key,
                arguments,
            } => {
                let m = queue::Bind {
                    queue: queue.into(),
                    exchange: exchange.into(),
                    routing_key: routing_key.into(),
                    nowait: false,
                    arguments: table(&arguments),
                };
                c.call(real, AMQPClass::Queue(queue::AMQPMethod::Bind(m)))?;
                ok(name)
            }
            Method::QueueUnbind {
                queue,
                exchange,
                routing_key,
                arguments,
            } => {
                let m = queue::Unbind {
                    queue: queue.into(),
                    exchange: exchange.into(),
                    routing_key: routing_key.into(),
                    arguments: table(&arguments),
                };
                c.call(real, AMQPClass::Queue(queue::AMQPMethod::Unbind(m)))?;
                ok(name)
            }
            Method::QueuePurge { queue } => {
                let m = queue::Purge {
                    queue: queue.into(),
                    nowait: false,
                };
                let AMQPClass::Queue(queue::AMQPMethod::PurgeOk(r)) =
                    c.call(real, AMQPClass::Queue(queue::AMQPMethod::Purge(m)))?
                else {
                    return Err(Error::Io("queue.purge got another reply".into()));
                };
                Some(json!({"kind": "ok", "call": name, "message_count": r.message_count}))
            }
            Method::QueueDelete {
                queue,
                if_unused,
                if_empty,
            } => {
                let m = queue::Delete {
                    queue: queue.into(),
                    if_unused,
                    if_empty,
                    nowait: false,
                };
                let AMQPClass::Queue(queue::AMQPMethod::DeleteOk(r)) =
                    c.call(real, AMQPClass::Queue(queue::AMQPMethod::Delete(m)))?
                else {
                    return Err(Error::Io("queue.delete got another reply".into()));
                };
                Some(json!({"kind": "ok", "call": name, "message_count": r.message_count}))
            }
            Method::BasicQos {
                prefetch_size,
                prefetch_count,
                global,
            } => {
                c.qos(real, prefetch_size, prefetch_count, global)?;
                ok(name)
            }
            Method::BasicPublish {
                exchange,
                routing_key,
                mandatory,
                properties,
                body,
                ..
            } => {
                let (confirm, seq) = self
                    .chans
                    .get(&key)
                    .map(|s| (s.confirm, s.next_seq))
                    .unwrap_or((false, 0));
                c.publish(
                    real,
                    &exchange,
                    &routing_key,
                    mandatory,
                    basic_properties(&properties),
                    &body,
                )?;
                if confirm {
                    if let Some(s) = self.chans.get_mut(&key) {
                        s.next_seq += 1;
                    }
                    match self.conns.get_mut(cn).expect("connected").wait_confirm(real, seq) {
                        Ok(true) => {}
                        Ok(false) => {
                            self.collect(cn);
                            self.events
                                .push((cn.to_string(), n, json!({"kind": "nack", "conn": cn, "ch": n})));
                        }
                        // the close is in the inbox: it is collected as the channel's error
                        Err(Error::Channel(..)) => {}
                        Err(e) => return Err(e),
                    }
                } else {
                    self.conns.get_mut(cn).expect("connected").round_trip(real)?;
                }
                None
            }
            Method::BasicConsume {
                queue,
                consumer_tag,
                no_ack,
                exclusive,
                arguments,
            } => {
                let m = basic::Consume {
                    queue: queue.into(),
                    consumer_tag: consumer_tag.into(),
                    no_local: false,
                    no_ack,
                    exclusive,
                    nowait: false,
                    arguments: table(&arguments),
                };
                let AMQPClass::Basic(basic::AMQPMethod::ConsumeOk(r)) =
                    c.call(real, AMQPClass::Basic(basic::AMQPMethod::Consume(m)))?
                else {
                    return Err(Error::Io("basic.consume got another reply".into()));
                };
                if let Some(s) = self.chans.get_mut(&key) {
                    s.consumers.insert(r.consumer_tag.to_string());
                }
                Some(json!({"kind": "ok", "call": name, "consumer_tag": r.consumer_tag.as_str()}))
            }
            Method::BasicCancel { consumer_tag } => {
                // pika sends nothing for a tag it does not know, and reports success
                if self
                    .chans
                    .get_mut(&key)
                    .is_some_and(|s| s.consumers.remove(&consumer_tag))
                {
                    let m = basic::Cancel {
                        consumer_tag: consumer_tag.into(),
                        nowait: false,
                    };
                    self.conns
                        .get_mut(cn)
                        .expect("connected")
                        .call(real, AMQPClass::Basic(basic::AMQPMethod::Cancel(m)))?;
                }
                ok(name)
            }
            Method::BasicAck { delivery_tag, multiple } => {
                c.cast(
                    real,
                    AMQPClass::Basic(basic::AMQPMethod::Ack(basic::Ack { delivery_tag, multiple })),
                )?;
                c.round_trip(real)?;
                None
            }
            Method::BasicNack {
                delivery_tag,
                multiple,
                requeue,
            } => {
                c.cast(
                    real,
                    AMQPClass::Basic(basic::AMQPMethod::Nack(basic::Nack {
                        delivery_tag,
                        multiple,
                        requeue,
                    })),
                )?;
                c.round_trip(real)?;
                None
            }
            Method::BasicReject { delivery_tag, requeue } => {
                c.cast(
                    real,
                    AMQPClass::Basic(basic::AMQPMethod::Reject(basic::Reject { delivery_tag, requeue })),
                )?;
                c.round_trip(real)?;
                None
            }
            Method::BasicGet { queue, no_ack } => {
                let got = c.get(real, &queue, no_ack)?;
                self.collect(cn);
                let line = match got {
                    None => json!({"kind": "get_empty", "conn": cn, "ch": n}),
                    Some(g) => json!({
                        "kind": "get", "conn": cn, "ch": n, "delivery_tag": g.delivery_tag, "redelivered": g.redelivered,
                        "exchange": g.exchange, "routing_key": self.unalias(&g.routing_key), "body": String::from_utf8_lossy(&g.body),
                        "message_count": g.message_count, "properties": self.props_json(&g.properties)}),
                };
                self.events.push((cn.to_string(), n, line));
                None
            }
            Method::BasicRecover { requeue } => {
                c.call(
                    real,
                    AMQPClass::Basic(basic::AMQPMethod::Recover(basic::Recover { requeue })),
                )?;
                ok(name)
            }
            Method::ConfirmSelect => {
                c.call(
                    real,
                    AMQPClass::Confirm(confirm::AMQPMethod::Select(confirm::Select { nowait: false })),
                )?;
                if let Some(s) = self.chans.get_mut(&key) {
                    s.confirm = true;
                }
                ok(name)
            }
            Method::ChannelClose => {
                c.close_channel(real)?;
                self.chans.remove(&key);
                ok(name)
            }
        })
    }

    /// Delete every queue and exchange the scenario names, and the users and vhosts it adds, so
    /// that it starts (and leaves the broker) as a freshly reset broker would be for it, without
    /// the seconds a reset takes.
    pub fn clean(url: &str, scenario: &Scenario) -> Result<(), Fatal> {
        let url = Url::parse(url)?;
        let mut queues = BTreeSet::new();
        let mut exchanges = BTreeSet::new();
        for st in &scenario.steps {
            match &st.call {
                // users and vhosts it adds go now (by rabbitmqctl; "does not exist" is fine), but
                // never the one we log in as, the guest user or the default vhost
                Call::AddUser { user, .. } if *user != url.user && user != "guest" => {
                    drop(rabbitmqctl_output(&["delete_user", user])?)
                }
                Call::AddVhost { vhost } if *vhost != url.vhost && vhost != "/" => {
                    drop(rabbitmqctl_output(&["delete_vhost", vhost])?)
                }
                Call::Method(Method::QueueDeclare { queue, arguments, .. }) => {
                    if !queue.is_empty() && !queue.starts_with('$') {
                        queues.insert(queue.clone());
                    }
                    if let Some(FieldValue::Str(x)) = arguments.get("x-dead-letter-exchange") {
                        exchanges.insert(x.clone());
                    }
                }
                Call::Method(Method::ExchangeDeclare { exchange, .. }) => {
                    exchanges.insert(exchange.clone());
                }
                _ => {}
            }
        }
        exchanges.retain(|x| !x.is_empty() && !x.starts_with("amq."));
        queues.retain(|q| !q.starts_with("amq."));
        let mut c = Conn::connect(&url)?;
        let mut ch = c.open_channel().map_err(|e| format!("cannot clean up: {e}"))?;
        let mut run = |c: &mut Conn, m: AMQPClass| -> Result<(), Fatal> {
            match c.call(ch, m) {
                Ok(_) => Ok(()),
                // an exclusive queue of a connection that is still closing: open a new channel
                Err(Error::Channel(..)) => {
                    ch = c.open_channel().map_err(|e| format!("cannot clean up: {e}"))?;
                    Ok(())
                }
                Err(e) => Err(format!("cannot clean up: {e}")),
            }
        };
        for q in &queues {
            run(
                &mut c,
                AMQPClass::Queue(queue::AMQPMethod::Delete(queue::Delete {
                    queue: q.as_str().into(),
                    if_unused: false,
                    if_empty: false,
                    nowait: false,
                })),
            )?;
        }
        for x in &exchanges {
            run(
                &mut c,
                AMQPClass::Exchange(exchange::AMQPMethod::Delete(exchange::Delete {
                    exchange: x.as_str().into(),
                    if_unused: false,
                    nowait: false,
                })),
            )?;
        }
        c.close();
        Ok(())
    }

    /// Run a whole scenario: its trace lines, each with its `step`. The names it uses are
    /// deleted before and after (see [`Live::clean`]).
    pub fn run(url: &str, scenario: &Scenario) -> Result<Vec<Value>, Fatal> {
        Live::clean(url, scenario)?;
        let out = Live::run_only(url, scenario);
        Live::clean(url, scenario)?;
        out
    }

    /// Run a scenario, then `rabbitmqctl -q ARGS` while its clients are still connected (as a
    /// learner types into a console beside running programs): rabbitmqctl's stdout, stderr and
    /// exit status. The names the scenario uses are deleted before and after.
    pub fn ctl(url: &str, scenario: &Scenario, args: &[&str]) -> Result<(String, String, i32), Fatal> {
        Live::clean(url, scenario)?;
        let out = (|| {
            let mut live = Live::new(url, scenario.seed)?;
            run_steps(&scenario.steps, |i, st| live.step(i, st))?;
            let out = rabbitmqctl_output(args);
            for c in live.conns.values_mut() {
                c.close();
            }
            out
        })();
        Live::clean(url, scenario)?;
        out
    }

    fn run_only(url: &str, scenario: &Scenario) -> Result<Vec<Value>, Fatal> {
        let mut live = Live::new(url, scenario.seed)?;
        let out = run_steps(&scenario.steps, |i, st| live.step(i, st))?;
        for c in live.conns.values_mut() {
            c.close();
        }
        Ok(out)
    }
}

/// Reset the broker (`stop_app`, `reset`, `start_app`): every queue, exchange and message goes.
/// Never on a broker you care about.
pub fn reset_broker() -> Result<(), Fatal> {
    rabbitmqctl(&["stop_app"])?;
    rabbitmqctl(&["reset"])?;
    rabbitmqctl(&["start_app"])
}

/// `rabbitmqctl -q [-n $RABBITMQ_NODENAME] ARGS`: stdout, stderr and exit status.
fn rabbitmqctl_output(args: &[&str]) -> Result<(String, String, i32), Fatal> {
    let mut cmd =
        std::process::Command::new(std::env::var("WARREN_RABBITMQCTL").unwrap_or_else(|_| "rabbitmqctl".into()));
    cmd.arg("-q");
    if let Ok(node) = std::env::var("RABBITMQ_NODENAME") {
        cmd.args(["-n", &node]);
    }
    let out = cmd
        .args(args)
        .output()
        .map_err(|e| format!("cannot run rabbitmqctl: {e}"))?;
    Ok((
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    ))
}

/// `rabbitmqctl -q [-n $RABBITMQ_NODENAME] ARGS` (for the `restart` step and `--reset`).
fn rabbitmqctl(args: &[&str]) -> Result<(), Fatal> {
    let (_, err, status) = rabbitmqctl_output(args)?;
    if status != 0 {
        return Err(format!("rabbitmqctl {} failed: {}", args.join(" "), err.trim()));
    }
    Ok(())
}
