//! Running a scenario and printing the trace a pika client would observe
//! (`shared/scenario-format.md`, and `shared/tools/pika_trace.py`, which this mirrors).

use crate::broker::Broker;
use crate::error::AmqpError;
use crate::event::{Event, EventKind};
use crate::message::Message;
use crate::method::{Method, Reply};
use crate::names::VecMap;
use crate::queue::ConnId;
use crate::rng::Rng;
use crate::scenario::{resolve, Call, Login, Scenario, Step};
use crate::server::Server;
use crate::version::Version;
use serde_json::{json, Map, Value};

/// Runs a scenario step by step against a [`Server`], keeping connections, channels and aliases
/// as the reference recorder does, and turns what a client sees into trace lines.
pub struct Runner {
    pub server: Server,
    conns: VecMap<String, ConnId>,
    conn_names: VecMap<ConnId, String>,
    aliases: VecMap<String, String>,
    now: u64,
    pika_tags: Rng,
    /// Every engine event so far, in order (for tools that want more than the trace).
    pub events: Vec<Event>,
    /// What the last operator's command printed (the page's console shows it).
    pub last_ctl: Option<crate::ctl::Output>,
}

/// A step refers to something the scenario never defined (a `$alias` with no `as`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    pub step: usize,
    pub message: String,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "step {}: {}", self.step, self.message)
    }
}
impl std::error::Error for RunError {}

impl Runner {
    pub fn new(seed: u64) -> Runner {
        Runner::with_version(seed, Version::default())
    }

    /// A runner on a node of RabbitMQ `version`.
    pub fn with_version(seed: u64, version: Version) -> Runner {
        Runner {
            server: Server::with_version(seed, version),
            conns: VecMap::new(),
            conn_names: VecMap::new(),
            aliases: VecMap::new(),
            now: 0,
            pika_tags: Rng::fork(seed, "pika-consumer-tags"),
            events: Vec::new(),
            last_ctl: None,
        }
    }

    /// The broker of vhost `/` (what the canvas shows).
    pub fn broker(&self) -> &Broker {
        self.server.broker()
    }

    /// The engine's id for a scenario connection name, while it is open.
    pub fn conn_id(&self, name: &str) -> Option<ConnId> {
        self.conns.get(name).copied()
    }

    /// The name of every connection opened so far, by the engine's id (in the order opened).
    pub fn conn_names(&self) -> &VecMap<ConnId, String> {
        &self.conn_names
    }

    /// The server-named queues so far: alias (`as`) to the name the broker gave.
    pub fn aliases(&self) -> &VecMap<String, String> {
        &self.aliases
    }

    /// Simulated time so far (ms).
    pub fn now(&self) -> u64 {
        self.now
    }

    fn unalias(&self, v: &str) -> String {
        for (a, real) in &self.aliases {
            if real == v {
                return format!("${a}");
            }
        }
        v.to_string()
    }

    /// The open connection named `name`, or a new one logged in with `login` (refused as the
    /// broker refuses it).
    fn conn(&mut self, name: &str, login: &Login) -> Result<ConnId, AmqpError> {
        if let Some(&c) = self.conns.get(name) {
            if self.server.connection(c).is_some() {
                return Ok(c);
            }
        }
        let (user, password, vhost) = login.or(("guest", "guest", "/"));
        let c = self.server.connect(self.now, user, password, vhost)?;
        self.conns.insert(name.to_string(), c);
        self.conn_names.insert(c, name.to_string());
        Ok(c)
    }

    /// Open connection `name`, logged in with `login`, now (a client that connects before its
    /// first call, as pika's `BlockingConnection` does), or refuse it as the broker does.
    pub fn connect(&mut self, name: &str, login: &Login) -> Result<(), AmqpError> {
        self.conn(name, login).map(|_| ())
    }

    /// Run one step; returns its trace lines (without `step`), in the recorder's order.
    pub fn step(&mut self, index: usize, st: &Step) -> Result<Vec<Value>, RunError> {
        self.exec(index, st, true)
    }

    /// Run one step without writing its trace (a simulation that only wants the engine's
    /// events): what a client would see is not built. Returns what refused it, if anything:
    /// (connection, code, text) of each connection or channel error, in the recorder's order.
    pub fn apply(&mut self, index: usize, st: &Step) -> Result<Vec<(String, u16, String)>, RunError> {
        let lines = self.exec(index, st, false)?;
        Ok(lines
            .into_iter()
            .map(|l| {
                let conn = l["conn"].as_str().unwrap_or_default().to_string();
                let code = l["code"].as_u64().unwrap_or_default() as u16;
                (conn, code, l["text"].as_str().unwrap_or_default().to_string())
            })
            .collect())
    }

    /// Whether connection `conn` (a scenario's name) and its channel `ch` are open.
    pub fn is_open(&self, conn: &str, ch: u16) -> bool {
        self.open(conn, ch).is_some()
    }

    /// The engine's id of connection `conn` (a scenario's name), when it and its channel `ch`
    /// are open: what [`Runner::send`] takes.
    pub fn open(&self, conn: &str, ch: u16) -> Option<ConnId> {
        let &c = self.conns.get(conn)?;
        self.server.channel(c, ch).map(|_| c)
    }

    /// Let simulated time pass by `ms` (a `wait` step, without a step: what a simulation that
    /// takes no trace does between its actions). The events are in [`Runner::events`].
    pub fn wait(&mut self, ms: u64) {
        self.now = self.now.saturating_add(ms);
        self.server.advance(self.now);
        self.server.drain_events_into(&mut self.events);
    }

    /// A client's method on an open connection and channel ([`Runner::open`]), handed to the
    /// broker as it is (no step to resolve: what a simulation's clients send most, publishes
    /// and acks). The refusals it caused, as [`Runner::apply`] returns them; the events are in
    /// [`Runner::events`].
    pub fn send(&mut self, c: ConnId, ch: u16, method: Method) -> Vec<(String, u16, String)> {
        // an error is reported from the ChannelClosed / ConnectionClosed event it causes
        let _ = self.server.handle(self.now, c, ch, method);
        let first = self.events.len();
        self.server.drain_events_into(&mut self.events);
        let mut errors = Vec::new();
        for e in &self.events[first..] {
            if let Some((conn, err)) = refusal(&e.kind) {
                let name = self.conn_names.get(conn).cloned().unwrap_or_default();
                errors.push((name, err.code, err.text.clone()));
            }
        }
        errors
    }

    /// Run one step; with `lines`, every trace line; without, only its errors' lines.
    fn exec(&mut self, index: usize, st: &Step, lines: bool) -> Result<Vec<Value>, RunError> {
        let mut oks: Vec<Value> = Vec::new();
        match &st.call {
            Call::Wait { ms } => {
                self.now = self.now.saturating_add(*ms);
                self.server.advance(self.now);
            }
            Call::Restart => {
                self.server.restart(self.now);
                self.conns.clear();
                oks.push(json!({"kind": "ok", "call": "restart"}));
            }
            Call::ConnectionClose => {
                if let Some(&c) = self.conns.get(&st.conn) {
                    self.server.close_connection(self.now, c);
                    self.conns.remove(&st.conn);
                }
                oks.push(json!({"kind": "ok", "call": "connection_close", "conn": st.conn}));
            }
            Call::Method(m) => match self.conn(&st.conn, &st.login) {
                Err(refused) => oks.push(json!({"kind": "connection_error", "conn": st.conn,
                    "code": refused.code, "text": refused.text})),
                Ok(c) => {
                    if self.server.channel(c, st.ch).is_none() {
                        self.server
                            .open_channel(self.now, c, st.ch)
                            .expect("a closed channel number opens");
                    }
                    let method = self.method(index, st.ch, m)?;
                    // an error is reported from the ChannelClosed / ConnectionClosed event it causes
                    if let Ok(reply) = self.server.handle(self.now, c, st.ch, method) {
                        if let (Reply::DeclareOk { queue, .. }, Some(a)) = (&reply, &st.alias) {
                            self.aliases.insert(a.clone(), queue.to_string());
                        }
                        if lines {
                            if let Some(ok) = self.ok_line(m.name(), &reply) {
                                oks.push(ok);
                            }
                        }
                    }
                }
            },
            call => {
                let out = ctl_call(&mut self.server, call);
                oks.push(ctl_line(call, &out));
                self.last_ctl = Some(out);
            }
        }
        let events: Vec<Event> = self.server.drain_events();
        if !lines {
            oks.retain(|v| v["kind"] == "connection_error");
        }
        let mut out: Vec<(String, u16, Value)> = oks
            .into_iter()
            .map(|v| (v.get("conn").and_then(|c| c.as_str()).unwrap_or("").to_string(), 0, v))
            .collect();
        for e in &events {
            if lines || refusal(&e.kind).is_some() {
                if let Some((conn, ch, v)) = self.client_line(e) {
                    out.push((conn, ch, v));
                }
            }
        }
        self.events.extend(events);
        // events of one step: by connection, then channel, then the order they came in
        crate::sort::sort_by(&mut out, |a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        Ok(out.into_iter().map(|l| l.2).collect())
    }

    fn method(&mut self, step: usize, ch: u16, method: &Method) -> Result<Method, RunError> {
        let tags = &mut self.pika_tags;
        let aliases = &self.aliases;
        resolve(
            method,
            |v| resolve_alias(aliases, v),
            || {
                let (a, b) = (tags.next_u64(), tags.next_u64());
                format!("ctag{ch}.{a:016x}{b:016x}")
            },
        )
        .map_err(|message| RunError { step, message })
    }

    fn ok_line(&self, name: &str, reply: &Reply) -> Option<Value> {
        match reply {
            Reply::None => None,
            Reply::GetOk { .. } | Reply::GetEmpty => None, // reported from the Delivered / GetEmpty event
            Reply::DeclareOk {
                queue,
                message_count,
                consumer_count,
            } => Some(
                json!({"kind": "ok", "call": name, "queue": self.unalias(queue), "message_count": message_count, "consumer_count": consumer_count}),
            ),
            Reply::PurgeOk { message_count } | Reply::DeleteOk { message_count } => {
                Some(json!({"kind": "ok", "call": name, "message_count": message_count}))
            }
            Reply::ConsumeOk { consumer_tag } => {
                Some(json!({"kind": "ok", "call": name, "consumer_tag": &**consumer_tag}))
            }
            Reply::Ok => Some(json!({"kind": "ok", "call": name})),
        }
    }

    fn message_fields(&self, m: &Message, out: &mut Map<String, Value>) {
        out.insert("exchange".into(), Value::String(m.exchange.to_string()));
        out.insert("routing_key".into(), Value::String(self.unalias(m.routing_key())));
        out.insert("body".into(), Value::String(m.body_text()));
    }

    fn props(&self, m: &Message) -> Value {
        let mut p = m.properties.to_trace_json();
        if let Some(r) = p.get_mut("reply_to") {
            *r = Value::String(self.unalias(r.as_str().unwrap_or_default()));
        }
        p
    }

    /// The trace line a client sees for an engine event, with its sort keys.
    pub fn client_line(&self, e: &Event) -> Option<(String, u16, Value)> {
        let cname = |c: &ConnId| self.conn_names.get(c).cloned().unwrap_or_default();
        let mut m = Map::new();
        let (conn, ch) = match &e.kind {
            EventKind::Delivered {
                conn,
                ch,
                consumer_tag,
                delivery_tag,
                redelivered,
                message,
                message_count,
                ..
            } => {
                match consumer_tag {
                    Some(t) => {
                        m.insert("kind".into(), "deliver".into());
                        m.insert("consumer_tag".into(), Value::String(t.to_string()));
                    }
                    None => {
                        m.insert("kind".into(), "get".into());
                        m.insert("message_count".into(), json!(message_count.unwrap_or(0)));
                    }
                }
                m.insert("delivery_tag".into(), json!(delivery_tag));
                m.insert("redelivered".into(), json!(redelivered));
                self.message_fields(message, &mut m);
                m.insert("properties".into(), self.props(message));
                (conn, *ch)
            }
            EventKind::GetEmpty { conn, ch, .. } => {
                m.insert("kind".into(), "get_empty".into());
                (conn, *ch)
            }
            EventKind::Returned {
                conn,
                ch,
                reply_code,
                reply_text,
                message,
                ..
            } => {
                m.insert("kind".into(), "return".into());
                m.insert("reply_code".into(), json!(reply_code));
                m.insert("reply_text".into(), Value::String(reply_text.to_string()));
                self.message_fields(message, &mut m);
                (conn, *ch)
            }
            EventKind::Confirmed {
                conn, ch, ack: false, ..
            } => {
                m.insert("kind".into(), "nack".into());
                (conn, *ch)
            }
            EventKind::ChannelClosed {
                conn,
                ch,
                error: Some(err),
            } => {
                m.insert("kind".into(), "channel_error".into());
                m.insert("code".into(), json!(err.code));
                m.insert("text".into(), Value::String(err.text.clone()));
                (conn, *ch)
            }
            EventKind::ConnectionClosed { conn, error: Some(err) } => {
                m.insert("kind".into(), "connection_error".into());
                m.insert("code".into(), json!(err.code));
                m.insert("text".into(), Value::String(err.text.clone()));
                let n = cname(conn);
                m.insert("conn".into(), Value::String(n.clone()));
                return Some((n, 0, Value::Object(m)));
            }
            _ => return None,
        };
        let n = cname(conn);
        m.insert("conn".into(), Value::String(n.clone()));
        m.insert("ch".into(), json!(ch));
        Some((n, ch, Value::Object(m)))
    }

    /// Run a whole scenario: its trace lines, each with its `step`.
    pub fn run(scenario: &Scenario) -> Result<Vec<Value>, RunError> {
        let mut r = Runner::with_version(scenario.seed, scenario.rabbitmq.unwrap_or_default());
        run_steps(&scenario.steps, |i, st| r.step(i, st))
    }
}

/// The connection or channel error an event reports, with its connection.
fn refusal(e: &EventKind) -> Option<(&ConnId, &AmqpError)> {
    match e {
        EventKind::ChannelClosed {
            conn, error: Some(err), ..
        }
        | EventKind::ConnectionClosed { conn, error: Some(err) } => Some((conn, err)),
        _ => None,
    }
}

/// Run an operator's `rabbitmqctl` command (`call.is_ctl()`) on the node: what it printed.
pub fn ctl_call(server: &mut Server, call: &Call) -> crate::ctl::Output {
    let words = call.ctl_args().expect("a rabbitmqctl command");
    let words: Vec<&str> = words.iter().map(|w| w.as_str()).collect();
    crate::ctl::execute(server, &words)
}

/// The trace line of an operator's command: `ok`, or `ctl_error` with rabbitmqctl's exit status
/// and what it printed after "Error:".
pub fn ctl_line(call: &Call, out: &crate::ctl::Output) -> Value {
    if out.status == 0 {
        json!({"kind": "ok", "call": call.name()})
    } else {
        json!({"kind": "ctl_error", "call": call.name(), "status": out.status,
               "text": crate::ctl::error_text(&out.stderr)})
    }
}

/// Run `steps` one by one with `step` and collect their trace lines, each stamped with its `step`
/// index: the loop every runner (simulated or live) shares.
pub fn run_steps<E>(
    steps: &[Step],
    mut step: impl FnMut(usize, &Step) -> Result<Vec<Value>, E>,
) -> Result<Vec<Value>, E> {
    let mut out = Vec::new();
    for (i, st) in steps.iter().enumerate() {
        for mut line in step(i, st)? {
            line.as_object_mut()
                .expect("lines are objects")
                .insert("step".into(), json!(i));
            out.push(line);
        }
    }
    Ok(out)
}

/// A JSON value the way Python's `json.dumps(v, sort_keys=True, ensure_ascii=False)` writes it,
/// so traces print exactly like the reference recorder's.
pub fn python_json(v: &Value) -> String {
    let mut s = String::new();
    write_py(v, &mut s);
    s
}

fn write_py(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            out.push('{');
            let mut keys: Vec<&String> = m.keys().collect();
            crate::sort::sort(&mut keys);
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(": ");
                write_py(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_py(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A whole trace as JSON Lines.
pub fn to_jsonl(lines: &[Value]) -> String {
    let mut s = String::new();
    for l in lines {
        s.push_str(&python_json(l));
        s.push('\n');
    }
    s
}

/// `$name` → the queue a `queue_declare` with `"as": "name"` returned; other names as they are.
pub fn resolve_alias(aliases: &VecMap<String, String>, v: &str) -> Result<String, String> {
    match v.strip_prefix('$') {
        Some(a) => aliases
            .get(a)
            .cloned()
            .ok_or_else(|| format!("'{v}' names no queue: no earlier queue_declare has \"as\": \"{a}\"")),
        None => Ok(v.to_string()),
    }
}
