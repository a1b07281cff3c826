//! What the user builds on the canvas: producers, exchanges, queues and consumers with their
//! settings and positions, and the links between them. Plain data, changed only through
//! [`Action`]s by [`History`], which keeps undo and redo.
//!
//! A link means what its ends make of it:
//! - producer → exchange: the producer publishes to that exchange (with its own routing key);
//! - producer → queue: the producer publishes through the default exchange with the queue's name;
//! - exchange → queue or exchange → exchange: a binding, with a key or headers arguments;
//! - queue → consumer: the consumer subscribes to that queue.
//!
//! A design is saved inside a scenario file (`shared/scenario-format.md`): the scenario's `steps`
//! are the design's setup (declares, binds, qos, consumes) and one publish per producer, so
//! `warren trace` and a real broker can run it; the canvas itself goes under `"canvas"`.

mod clients;
pub(crate) mod files;

pub use files::Opened;

use crate::json::{field, found, need, object, put, Json};
use serde_json::{json, Value};
use std::fmt::Write as _;
use warren_engine::names::VecMap;
use warren_engine::scenario::Step;
use warren_engine::Version;

pub type Id = u32;

/// The format version of `"canvas"`; a file from a newer Warren is refused with a clear message.
pub const CANVAS_VERSION: u32 = 1;

/// A producer whose `reply_to` is this uses direct reply-to: it consumes the pseudo-queue
/// (no-ack) on its own channel before publishing, and replies come straight back to it.
pub const DIRECT_REPLY_TO: &str = "amq.rabbitmq.reply-to";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Producer,
    Exchange,
    Queue,
    Consumer,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Producer => "producer",
            Kind::Exchange => "exchange",
            Kind::Queue => "queue",
            Kind::Consumer => "consumer",
        }
    }
}

/// How a producer publishes when told to, and on its own while the simulation plays.
#[derive(Clone, Debug, PartialEq)]
pub struct Producer {
    pub routing_key: String,
    /// `{n}` is replaced by the message's number (1, 2, …) from this producer.
    pub body: String,
    pub mandatory: bool,
    /// Publisher confirms (`confirm.select` on its channel): the broker acks each message.
    pub confirm: bool,
    /// `delivery_mode` 2.
    pub persistent: bool,
    pub correlation_id: String,
    pub reply_to: String,
    /// Per-message TTL in ms (`expiration`), empty for none.
    pub expiration: String,
    pub priority: Option<u8>,
    /// Message headers (string values).
    pub headers: VecMap<String, String>,
    /// How many messages one "publish" sends (1 = once).
    pub burst: u32,
    /// While playing, publish a burst every this many simulated ms (0 = only when told).
    pub every_ms: u64,
    /// The user its connection logs in as (empty: guest) and that user's password.
    pub user: String,
    pub password: String,
}

impl Default for Producer {
    fn default() -> Self {
        Producer {
            routing_key: String::new(),
            body: "message {n}".into(),
            mandatory: false,
            confirm: false,
            persistent: false,
            correlation_id: String::new(),
            reply_to: String::new(),
            expiration: String::new(),
            priority: None,
            headers: VecMap::new(),
            burst: 1,
            every_ms: 0,
            user: String::new(),
            password: String::new(),
        }
    }
}

/// What a consumer does with a delivery that fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnFailure {
    Nack,
    Reject,
}

/// A way messages take that the canvas has no link for ([`Design::implied_paths`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Implied {
    /// Dead letters of a queue, to its dead-letter exchange.
    DeadLetter,
    /// An RPC server's replies, to the requester's reply queue (or the requester).
    Reply,
    /// An RPC client reading the replies from its callback queue (see
    /// [`Design::reads_replies`]).
    ReadsReplies,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Consumer {
    /// `basic.qos` prefetch_count (0 = unlimited).
    pub prefetch: u16,
    pub auto_ack: bool,
    /// Simulated ms between a delivery and its ack (or nack).
    pub processing_ms: u64,
    /// Percent of deliveries that fail (0–100), decided by the scenario's seed.
    pub failure_pct: u8,
    pub on_failure: OnFailure,
    pub requeue: bool,
    /// RPC server: after processing, publish a reply to the message's `reply_to` with its
    /// `correlation_id`.
    pub reply: bool,
    /// The user its connection logs in as (empty: guest) and that user's password.
    pub user: String,
    pub password: String,
}

impl Default for Consumer {
    fn default() -> Self {
        Consumer {
            prefetch: 1,
            auto_ack: false,
            processing_ms: 1000,
            failure_pct: 0,
            on_failure: OnFailure::Nack,
            requeue: true,
            reply: false,
            user: String::new(),
            password: String::new(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueueSpec {
    /// Declared with an empty name: the broker names it (`amq.gen-…`); the canvas name is the
    /// scenario's alias for it (`as`, and `$name` in later steps).
    pub server_named: bool,
    pub durable: bool,
    pub exclusive: bool,
    pub auto_delete: bool,
    pub message_ttl: Option<u64>,
    pub max_length: Option<u64>,
    /// `x-overflow`: drop-head (default), reject-publish, reject-publish-dlx.
    pub overflow: String,
    pub dead_letter_exchange: Option<String>,
    pub dead_letter_routing_key: Option<String>,
    pub max_priority: Option<u8>,
    /// `x-queue-type`: empty (the broker's default, classic), `classic` or `quorum`.
    pub queue_type: String,
    /// `x-delivery-limit` (quorum queues): deliveries before a message is dead-lettered or dropped.
    pub delivery_limit: Option<u64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExchangeSpec {
    /// direct, fanout, topic, headers.
    pub kind: String,
    pub durable: bool,
    pub alternate_exchange: Option<String>,
}

impl Default for ExchangeSpec {
    fn default() -> Self {
        ExchangeSpec {
            kind: "direct".into(),
            durable: false,
            alternate_exchange: None,
        }
    }
}

/// A node's settings, by kind (read by [`Node`]'s `Deserialize`).
#[derive(Clone, Debug, PartialEq)]
pub enum Spec {
    Producer(Producer),
    Exchange(ExchangeSpec),
    Queue(QueueSpec),
    Consumer(Consumer),
}

impl Spec {
    pub fn kind(&self) -> Kind {
        match self {
            Spec::Producer(_) => Kind::Producer,
            Spec::Exchange(_) => Kind::Exchange,
            Spec::Queue(_) => Kind::Queue,
            Spec::Consumer(_) => Kind::Consumer,
        }
    }
    pub fn of(kind: Kind) -> Spec {
        match kind {
            Kind::Producer => Spec::Producer(Producer::default()),
            Kind::Exchange => Spec::Exchange(ExchangeSpec::default()),
            Kind::Queue => Spec::Queue(QueueSpec::default()),
            Kind::Consumer => Spec::Consumer(Consumer::default()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: Id,
    /// The exchange's or queue's name; a producer's or consumer's connection name (and a
    /// consumer's tag).
    pub name: String,
    pub x: f32,
    pub y: f32,
    pub spec: Spec,
}

impl Node {
    pub fn kind(&self) -> Kind {
        self.spec.kind()
    }
}

json_object!(Producer {
    "routing_key": routing_key,
    "body": body,
    "mandatory": mandatory,
    "confirm": confirm,
    "persistent": persistent,
    "correlation_id": correlation_id,
    "reply_to": reply_to,
    "expiration": expiration,
    "priority": priority,
    "headers": headers,
    "burst": burst,
    "every_ms": every_ms,
    "user": user [is_empty],
    "password": password [is_empty],
});

json_object!(Consumer {
    "prefetch": prefetch,
    "auto_ack": auto_ack,
    "processing_ms": processing_ms,
    "failure_pct": failure_pct,
    "on_failure": on_failure,
    "requeue": requeue,
    "reply": reply,
    "user": user [is_empty],
    "password": password [is_empty],
});

json_object!(QueueSpec {
    "server_named": server_named,
    "durable": durable,
    "exclusive": exclusive,
    "auto_delete": auto_delete,
    "message_ttl": message_ttl,
    "max_length": max_length,
    "overflow": overflow,
    "dead_letter_exchange": dead_letter_exchange,
    "dead_letter_routing_key": dead_letter_routing_key,
    "max_priority": max_priority,
    "queue_type": queue_type [is_empty],
    "delivery_limit": delivery_limit,
});

json_object!(ExchangeSpec {
    "exchange_type": kind,
    "durable": durable,
    "alternate_exchange": alternate_exchange,
});

json_object!(UserSpec {
    "name": name,
    "password": password,
    "configure": configure,
    "write": write,
    "read": read,
});

/// One of a few names.
fn one_of<T: Copy>(v: &Value, names: &[(&str, T)]) -> Result<T, String> {
    let s = String::read(v)?;
    names.iter().find(|(n, _)| *n == s).map(|(_, t)| *t).ok_or_else(|| {
        let all: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
        format!("{v} is not one of {}", all.join(", "))
    })
}

const KINDS: [(&str, Kind); 4] = [
    ("producer", Kind::Producer),
    ("exchange", Kind::Exchange),
    ("queue", Kind::Queue),
    ("consumer", Kind::Consumer),
];

impl Json for OnFailure {
    fn read(v: &Value) -> Result<OnFailure, String> {
        one_of(v, &[("nack", OnFailure::Nack), ("reject", OnFailure::Reject)])
    }
    fn write(&self) -> Value {
        match self {
            OnFailure::Nack => "nack",
            OnFailure::Reject => "reject",
        }
        .into()
    }
}

/// A node is one JSON object: its own fields, `kind`, and that kind's settings beside them.
impl Json for Node {
    fn read(v: &Value) -> Result<Node, String> {
        let o = object(v)?;
        let kind = one_of(o.get("kind").ok_or("missing field `kind`")?, &KINDS).map_err(|e| format!("kind: {e}"))?;
        let spec = match kind {
            Kind::Producer => Spec::Producer(Producer::read(v)?),
            Kind::Exchange => Spec::Exchange(ExchangeSpec::read(v)?),
            Kind::Queue => Spec::Queue(QueueSpec::read(v)?),
            Kind::Consumer => Spec::Consumer(Consumer::read(v)?),
        };
        Ok(Node {
            id: need(o, "id")?,
            name: need(o, "name")?,
            x: need(o, "x")?,
            y: need(o, "y")?,
            spec,
        })
    }
    fn write(&self) -> Value {
        let mut v = match &self.spec {
            Spec::Producer(p) => p.write(),
            Spec::Exchange(x) => x.write(),
            Spec::Queue(q) => q.write(),
            Spec::Consumer(c) => c.write(),
        };
        if let Some(o) = v.as_object_mut() {
            put(o, "id", &self.id);
            put(o, "name", &self.name);
            put(o, "x", &self.x);
            put(o, "y", &self.y);
            o.insert("kind".into(), self.kind().name().into());
        }
        v
    }
}

/// A link between two nodes (see the module doc for what it means).
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub from: Id,
    pub to: Id,
    /// The binding key (exchange → queue/exchange).
    pub key: String,
    /// Binding arguments for a headers exchange: `x-match` and the headers to match (strings).
    pub arguments: VecMap<String, String>,
}

/// The whole canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    pub name: String,
    pub seed: u64,
    /// The RabbitMQ it runs as: 4.3 for a new design; a file or link made before Warren had
    /// versions says nothing and runs as 3.10, what it was made for.
    pub rabbitmq: Version,
    pub show_default: bool,
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
    /// Users the setup creates (add_user) with their permissions on vhost `/`, before any
    /// producer or consumer connects; `guest` here only changes guest's permissions.
    pub users: Vec<UserSpec>,
}

/// A user of the design, with its permissions on vhost `/` (regular expressions, as
/// `rabbitmqctl set_permissions` takes them).
#[derive(Clone, Debug, PartialEq)]
pub struct UserSpec {
    pub name: String,
    pub password: String,
    pub configure: String,
    pub write: String,
    pub read: String,
}

impl Default for UserSpec {
    fn default() -> Self {
        UserSpec {
            name: "user".into(),
            password: "secret".into(),
            configure: ".*".into(),
            write: ".*".into(),
            read: ".*".into(),
        }
    }
}

impl Default for Design {
    fn default() -> Self {
        Design {
            name: "Untitled".into(),
            seed: 1,
            rabbitmq: Version::V4_3,
            show_default: false,
            nodes: Vec::new(),
            links: Vec::new(),
            users: Vec::new(),
        }
    }
}

impl Json for Link {
    fn read(v: &Value) -> Result<Link, String> {
        let o = object(v)?;
        let mut l = Link {
            from: need(o, "from")?,
            to: need(o, "to")?,
            key: String::new(),
            arguments: VecMap::new(),
        };
        field(o, "key", &mut l.key)?;
        field(o, "arguments", &mut l.arguments)?;
        Ok(l)
    }
    fn write(&self) -> Value {
        let mut o = serde_json::Map::new();
        put(&mut o, "from", &self.from);
        put(&mut o, "to", &self.to);
        put(&mut o, "key", &self.key);
        if !self.arguments.is_empty() {
            put(&mut o, "arguments", &self.arguments);
        }
        Value::Object(o)
    }
}

/// The design as the page saves it; a missing name, seed or `show_default` is empty, 0, false;
/// a missing `rabbitmq`, 3.10 (made before Warren had versions).
impl Json for Design {
    fn read(v: &Value) -> Result<Design, String> {
        let o = object(v)?;
        let nodes = o.get("nodes").ok_or("missing field `nodes`")?;
        let nodes = nodes
            .as_array()
            .ok_or_else(|| format!("nodes: expected an array, {}", found(nodes)))?;
        let mut d = Design {
            name: String::new(),
            seed: 0,
            rabbitmq: Version::V3_10,
            show_default: false,
            nodes: Vec::with_capacity(nodes.len()),
            links: Vec::new(),
            users: Vec::new(),
        };
        for (i, n) in nodes.iter().enumerate() {
            let which = match (
                n.get("id").and_then(Value::as_u64),
                n.get("name").and_then(Value::as_str),
            ) {
                (Some(id), Some(name)) => format!("node {id} ({name})"),
                _ => format!("node {} of the list", i + 1),
            };
            d.nodes.push(Node::read(n).map_err(|e| format!("{which}: {e}"))?);
        }
        d.links = need(o, "links")?;
        field(o, "name", &mut d.name)?;
        field(o, "seed", &mut d.seed)?;
        field(o, "show_default", &mut d.show_default)?;
        field(o, "users", &mut d.users)?;
        if let Some(v) = o.get("rabbitmq") {
            let text = v
                .as_str()
                .ok_or_else(|| format!("rabbitmq: expected \"3.10\" or \"4.3\", {}", found(v)))?;
            d.rabbitmq = Version::parse(text).map_err(|e| format!("rabbitmq: {e}"))?;
        }
        Ok(d)
    }
    fn write(&self) -> Value {
        let mut o = serde_json::Map::new();
        put(&mut o, "name", &self.name);
        put(&mut o, "seed", &self.seed);
        put(&mut o, "rabbitmq", &self.rabbitmq.as_str().to_string());
        put(&mut o, "show_default", &self.show_default);
        put(&mut o, "nodes", &self.nodes);
        put(&mut o, "links", &self.links);
        if !self.users.is_empty() {
            put(&mut o, "users", &self.users);
        }
        Value::Object(o)
    }
}

/// A change the user makes. Every change goes through [`History::apply`].
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Add a node of this kind at (x, y), with a fresh name.
    Add {
        kind: Kind,
        x: f32,
        y: f32,
    },
    Move {
        id: Id,
        x: f32,
        y: f32,
    },
    Rename {
        id: Id,
        name: String,
    },
    SetSpec {
        id: Id,
        spec: Spec,
    },
    /// Link two nodes (see the module doc); a producer has one target and a consumer one queue,
    /// so a new link replaces the old one.
    Link {
        from: Id,
        to: Id,
    },
    /// Change a link's binding key and arguments.
    EditLink {
        index: usize,
        key: String,
        arguments: VecMap<String, String>,
    },
    DeleteNode {
        id: Id,
    },
    DeleteLink {
        index: usize,
    },
    ShowDefault(bool),
    SetName(String),
    /// Run as another RabbitMQ (the run starts again).
    SetVersion(Version),
    /// Replace the design's users (add, edit, remove one).
    SetUsers(Vec<UserSpec>),
    /// Lay everything out in columns (producers, exchanges, queues, consumers) with few crossings.
    Tidy,
    /// Replace the whole design (a loaded file).
    Replace(Design),
}

impl Design {
    pub fn node(&self, id: Id) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    fn node_mut(&mut self, id: Id) -> Result<&mut Node, String> {
        self.nodes
            .iter_mut()
            .find(|n| n.id == id)
            .ok_or_else(|| format!("there is no node {id}"))
    }

    pub fn by_name(&self, kind: Kind, name: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.kind() == kind && n.name == name)
    }

    fn next_id(&self) -> Id {
        self.nodes.iter().map(|n| n.id).max().unwrap_or(0) + 1
    }

    /// A name nobody uses yet for this kind (connections are shared by producers and consumers).
    fn fresh_name(&self, kind: Kind) -> String {
        let stem = match kind {
            Kind::Producer => "producer",
            Kind::Exchange => "exchange",
            Kind::Queue => "queue",
            Kind::Consumer => "consumer",
        };
        (1..)
            .map(|i| format!("{stem}-{i}"))
            .find(|n| self.name_free(kind, n, None))
            .expect("some number is free")
    }

    fn name_free(&self, kind: Kind, name: &str, except: Option<Id>) -> bool {
        let conn = |k: Kind| matches!(k, Kind::Producer | Kind::Consumer);
        !self
            .nodes
            .iter()
            .any(|n| Some(n.id) != except && n.name == name && (n.kind() == kind || conn(n.kind()) && conn(kind)))
    }

    /// How scenario steps name a queue: `$name` for a server-named one.
    pub fn queue_ref(&self, name: &str) -> String {
        match self.by_name(Kind::Queue, name).map(|n| &n.spec) {
            Some(Spec::Queue(q)) if q.server_named => format!("${name}"),
            _ => name.to_string(),
        }
    }

    /// The design with where its nodes are drawn left out: what a run depends on (moving a node
    /// changes nothing in it).
    pub fn topology(&self) -> Design {
        let mut d = self.clone();
        for n in &mut d.nodes {
            (n.x, n.y) = (0.0, 0.0);
        }
        d
    }

    /// The ids of the nodes of one kind, in canvas order.
    pub fn ids(&self, kind: Kind) -> Vec<Id> {
        self.nodes.iter().filter(|n| n.kind() == kind).map(|n| n.id).collect()
    }

    /// The queue a consumer subscribes to.
    pub fn consumer_queue(&self, consumer: Id) -> Option<&Node> {
        self.links
            .iter()
            .find(|l| l.to == consumer)
            .and_then(|l| self.node(l.from))
            .filter(|n| n.kind() == Kind::Queue)
    }

    /// Where a producer publishes: (exchange name, routing key), or None if it is not linked.
    pub fn producer_target(&self, producer: Id) -> Option<(String, String)> {
        let Some(Spec::Producer(p)) = self.node(producer).map(|n| &n.spec) else {
            return None;
        };
        let to = self
            .links
            .iter()
            .find(|l| l.from == producer)
            .and_then(|l| self.node(l.to))?;
        match to.kind() {
            Kind::Exchange => Some((to.name.clone(), p.routing_key.clone())),
            Kind::Queue => Some((String::new(), self.queue_ref(&to.name))),
            _ => None,
        }
    }

    fn apply(&mut self, action: Action) -> Result<(), String> {
        match action {
            Action::Add { kind, x, y } => {
                let id = self.next_id();
                let name = self.fresh_name(kind);
                self.nodes.push(Node {
                    id,
                    name,
                    x,
                    y,
                    spec: Spec::of(kind),
                });
            }
            Action::Move { id, x, y } => {
                if !(x.is_finite() && y.is_finite()) {
                    return Err("a position must be a number".into());
                }
                let n = self.node_mut(id)?;
                n.x = x;
                n.y = y;
            }
            Action::Rename { id, name } => {
                let name = name.trim().to_string();
                let kind = self.node(id).ok_or_else(|| format!("there is no node {id}"))?.kind();
                check_name(kind, &name)?;
                if !self.name_free(kind, &name, Some(id)) {
                    return Err(format!("another {} is already called '{name}'", kind.name()));
                }
                let old = std::mem::replace(&mut self.node_mut(id)?.name, name.clone());
                // names that refer to this one follow it
                for n in &mut self.nodes {
                    match &mut n.spec {
                        Spec::Queue(q) if kind == Kind::Exchange && q.dead_letter_exchange.as_deref() == Some(&old) => {
                            q.dead_letter_exchange = Some(name.clone());
                        }
                        Spec::Exchange(x)
                            if kind == Kind::Exchange && x.alternate_exchange.as_deref() == Some(&old) =>
                        {
                            x.alternate_exchange = Some(name.clone());
                        }
                        Spec::Producer(p) if kind == Kind::Queue && p.reply_to == old => {
                            p.reply_to = name.clone();
                        }
                        _ => {}
                    }
                }
            }
            Action::SetSpec { id, spec } => {
                let n = self.node_mut(id)?;
                if n.kind() != spec.kind() {
                    return Err(format!("a {} cannot become a {}", n.kind().name(), spec.kind().name()));
                }
                if let Spec::Exchange(x) = &spec {
                    if !["direct", "fanout", "topic", "headers"].contains(&x.kind.as_str()) {
                        return Err(format!("unknown exchange type '{}'", x.kind));
                    }
                }
                if let Spec::Consumer(c) = &spec {
                    if c.failure_pct > 100 {
                        return Err("a failure rate is a percentage from 0 to 100".into());
                    }
                }
                if let Spec::Producer(p) = &spec {
                    if p.burst == 0 || p.burst > 10_000 {
                        return Err("a burst is from 1 to 10000 messages".into());
                    }
                    if p.every_ms != 0 && p.every_ms < 50 {
                        return Err("every: 0 (publish on click) or at least 50 ms".into());
                    }
                }
                n.spec = spec;
            }
            Action::Link { from, to } => {
                let (a, b) = (
                    self.node(from).ok_or("the link's start is gone")?.kind(),
                    self.node(to).ok_or("the link's end is gone")?.kind(),
                );
                // a link drawn backwards (consumer to queue, queue to producer…) is turned round
                let (from, to) = match (a, b) {
                    (Kind::Consumer, Kind::Queue) | (Kind::Queue | Kind::Exchange, Kind::Producer) => (to, from),
                    (Kind::Queue, Kind::Exchange) => (to, from),
                    _ => (from, to),
                };
                let (a, b) = (
                    self.node(from).expect("checked").kind(),
                    self.node(to).expect("checked").kind(),
                );
                match (a, b) {
                    (Kind::Producer, Kind::Exchange | Kind::Queue) => self.links.retain(|l| l.from != from),
                    (Kind::Queue, Kind::Consumer) => self.links.retain(|l| l.to != to),
                    (Kind::Exchange, Kind::Queue | Kind::Exchange) => {
                        if from == to {
                            return Err("an exchange cannot be bound to itself here".into());
                        }
                    }
                    _ => {
                        return Err(format!(
                            "a {} cannot be linked to a {} (link producers to exchanges or queues, exchanges to queues or exchanges, queues to consumers)",
                            a.name(),
                            b.name()
                        ))
                    }
                }
                let key = match (a, b, &self.node(to).expect("checked").spec) {
                    (Kind::Exchange, Kind::Queue, _) => self.node(to).expect("checked").name.clone(),
                    _ => String::new(),
                };
                if self.links.iter().any(|l| l.from == from && l.to == to && l.key == key) {
                    return Err("these two are already linked".into());
                }
                self.links.push(Link {
                    from,
                    to,
                    key,
                    arguments: VecMap::new(),
                });
            }
            Action::EditLink { index, key, arguments } => {
                if let Some(m) = arguments.get("x-match") {
                    if !["all", "any", "all-with-x", "any-with-x"].contains(&m.as_str()) {
                        return Err(format!("x-match is all or any, not '{m}'"));
                    }
                }
                let l = self.links.get_mut(index).ok_or("that link is gone")?;
                l.key = key;
                l.arguments = arguments;
            }
            Action::DeleteNode { id } => {
                self.node(id).ok_or_else(|| format!("there is no node {id}"))?;
                self.nodes.retain(|n| n.id != id);
                self.links.retain(|l| l.from != id && l.to != id);
            }
            Action::DeleteLink { index } => {
                if index >= self.links.len() {
                    return Err("that link is gone".into());
                }
                self.links.remove(index);
            }
            Action::ShowDefault(b) => self.show_default = b,
            Action::SetName(n) => self.name = n,
            Action::SetVersion(v) => self.rabbitmq = v,
            Action::SetUsers(users) => {
                let mut seen = std::collections::BTreeSet::new();
                for u in &users {
                    if u.name.is_empty() {
                        return Err("a user needs a name".into());
                    }
                    if !seen.insert(u.name.as_str()) {
                        return Err(format!("there is already a user {}", u.name));
                    }
                    for (what, re) in [("configure", &u.configure), ("write", &u.write), ("read", &u.read)] {
                        warren_engine::access::Pattern::new(re)
                            .map_err(|e| format!("{}: {what}: {}", u.name, e.text))?;
                    }
                }
                self.users = users;
            }
            Action::Tidy => self.tidy(),
            Action::Replace(d) => *self = d,
        }
        Ok(())
    }

    /// Columns left to right (producers, exchanges — one further right for each exchange that
    /// feeds them —, queues, consumers), ordered within each column by barycenter sweeps.
    pub fn tidy(&mut self) {
        let mut d = crate::diagram::Diagram::default();
        for n in &self.nodes {
            let kind = match n.kind() {
                Kind::Producer => crate::diagram::NodeKind::Producer,
                Kind::Exchange => crate::diagram::NodeKind::Exchange("direct"),
                Kind::Queue => crate::diagram::NodeKind::Queue,
                Kind::Consumer => crate::diagram::NodeKind::Consumer,
            };
            let mut dn = crate::diagram::Node::new(format!("{}", n.id), kind, n.name.clone());
            // keep the user's order as the starting order
            dn.y = n.y;
            d.nodes.push(dn);
        }
        let prefix = |id: Id| match self.node(id).map(Node::kind) {
            Some(Kind::Exchange) => "x:",
            _ => "",
        };
        for l in &self.links {
            d.edges.push(crate::diagram::Edge {
                from: format!("{}{}", prefix(l.from), l.from),
                to: format!("{}{}", prefix(l.to), l.to),
                label: String::new(),
            });
        }
        // the layout tells exchange chains by their "x:" ids
        for (dn, n) in d.nodes.iter_mut().zip(&self.nodes) {
            dn.id = format!("{}{}", prefix(n.id), n.id);
        }
        warren_engine::sort::sort_by(&mut d.nodes, |a, b| a.y.total_cmp(&b.y));
        d.layout();
        // a column taller than the screen can show wraps into several, side by side, so that a
        // big topology keeps the proportions of a screen (200 nodes: about 17 rows)
        use crate::diagram::{COLUMN_WIDTH, ROW_HEIGHT, TOP};
        let rows = ((d.nodes.len() as f32).sqrt() * 1.2).ceil().max(8.0) as usize;
        let columns = d.nodes.iter().map(|n| n.column + 1).max().unwrap_or(0);
        let mut by_col: Vec<Vec<usize>> = vec![Vec::new(); columns];
        for (i, n) in d.nodes.iter().enumerate() {
            by_col[n.column].push(i);
        }
        let tallest = by_col.iter().map(|c| c.len().min(rows)).max().unwrap_or(0);
        let mut x0 = 0.0;
        for col in &mut by_col {
            warren_engine::sort::sort_indices(col, &mut |a, b| d.nodes[a].y.total_cmp(&d.nodes[b].y));
            let shown = col.len().min(rows);
            let offset = (tallest - shown) as f32 * ROW_HEIGHT / 2.0;
            for (rank, &i) in col.iter().enumerate() {
                let (sub, row) = (rank / rows, rank % rows);
                let dn = &mut d.nodes[i];
                dn.x = x0 + sub as f32 * COLUMN_WIDTH + COLUMN_WIDTH / 2.0;
                dn.y = TOP + offset + row as f32 * ROW_HEIGHT + ROW_HEIGHT / 2.0;
            }
            x0 += col.len().div_ceil(rows).max(1) as f32 * COLUMN_WIDTH;
        }
        for dn in &d.nodes {
            let id: Id = dn.id.trim_start_matches("x:").parse().expect("numeric id");
            if let Ok(n) = self.node_mut(id) {
                n.x = dn.x;
                n.y = dn.y;
            }
        }
    }
}

fn check_name(kind: Kind, name: &str) -> Result<(), String> {
    if name.is_empty() {
        let article = if kind == Kind::Exchange { "an" } else { "a" };
        return Err(format!("{article} {} needs a name", kind.name()));
    }
    if name.len() > 255 {
        return Err("a name is at most 255 bytes (AMQP short string)".into());
    }
    if kind == Kind::Exchange && name.starts_with("amq.") {
        return Err("exchange names starting with 'amq.' are reserved by RabbitMQ".into());
    }
    Ok(())
}

/// The design with undo and redo.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    pub design: Design,
    past: Vec<Design>,
    future: Vec<Design>,
}

/// How many changes undo remembers.
const UNDO_DEPTH: usize = 200;

impl History {
    pub fn new(design: Design) -> History {
        History {
            design,
            past: Vec::new(),
            future: Vec::new(),
        }
    }

    /// Open `design` with `previous` one undo away (a shared link opened over the user's canvas).
    pub fn over(design: Design, previous: Design) -> History {
        History {
            design,
            past: vec![previous],
            future: Vec::new(),
        }
    }

    /// Apply a change; on error the design stays as it was and the error says why.
    pub fn apply(&mut self, action: Action) -> Result<(), String> {
        let mut next = self.design.clone();
        next.apply(action)?;
        if next != self.design {
            self.past.push(std::mem::replace(&mut self.design, next));
            if self.past.len() > UNDO_DEPTH {
                self.past.remove(0);
            }
            self.future.clear();
        }
        Ok(())
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }

    pub fn undo(&mut self) -> bool {
        match self.past.pop() {
            Some(d) => {
                self.future.push(std::mem::replace(&mut self.design, d));
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        match self.future.pop() {
            Some(d) => {
                self.past.push(std::mem::replace(&mut self.design, d));
                true
            }
            None => false,
        }
    }
}
