//! The broker of one virtual host: RabbitMQ 3.10's rules, simulated time (the vhosts, users and
//! permissions around it are [`crate::server::Server`]'s).

use crate::access::{Perm, Permissions};
use crate::deadletter;
use crate::error::AmqpError;
use crate::event::{DeathReason, DropReason, Event, EventKind, QueueGone};
use crate::exchange::{Binding, Dest, Exchange, ExchangeKind};
use crate::field::{FieldTable, FieldValue};
use crate::headers;
use crate::message::{Entry, Message, MsgId, Name, Properties};
use crate::method::{Method, Reply};
use crate::names::{NameMap, VecMap, VecSet};
use crate::queue::{ConnId, ConsumerKey, Overflow, Queue, QueueConfig};
use crate::rng::{base64_std, Rng};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::rc::Rc;

const REPLY_TO: &str = "amq.rabbitmq.reply-to";
const REPLY_TO_PREFIX: &str = "amq.rabbitmq.reply-to.";

/// A deterministic RabbitMQ 3.10 broker: one virtual host (`/` unless made with [`Broker::for_vhost`]).
///
/// # Driving it
/// Every call takes `now`, the simulated time in milliseconds, which never goes backwards. Calls:
/// - [`Broker::connect`] opens a connection, [`Broker::open_channel`] a channel on it;
/// - [`Broker::handle`] runs one AMQP method on a channel and returns its reply, or the error the
///   broker answered with (it has then closed the channel, or for a 5xx error the connection);
/// - [`Broker::close_connection`] closes a connection as a client does;
/// - [`Broker::advance`] lets time pass: message TTLs and `x-expires` fire at their exact instants;
/// - [`Broker::restart`] restarts the broker: connections drop, transient things are lost.
///
/// After each call, drain what happened with [`Broker::drain_events`] (see [`EventKind`]).
/// Nothing else changes the broker: no clock, no threads, no OS randomness. Names the broker makes
/// up (`amq.gen-…`, `amq.ctag-…`, reply-to names) come from the seed given to [`Broker::new`], so
/// the same calls always give the same events.
pub struct Broker {
    vhost: Name,
    now: u64,
    names: Rng,
    ctags: Rng,
    replies: Rng,
    exchanges: NameMap<Exchange>,
    queues: NameMap<Queue>,
    queue_by_id: VecMap<u64, Name>,
    /// Bindings by destination: (source exchange, binding).
    incoming: BTreeMap<Dest, BTreeSet<(Name, Binding)>>,
    conns: VecMap<ConnId, Connection>,
    reply_routes: VecMap<String, (ConnId, u16)>,
    /// Due instants, soonest first: at most two per queue (its head message, its lease).
    timers: VecSet<(u64, u64, Timer)>,
    next_conn: u32,
    next_queue_id: u64,
    next_msg: u64,
    events: Vec<Event>,
    dirty: Vec<Name>,
    /// Reused buffers for routing (no allocation per publish).
    scratch: (Vec<Name>, Vec<Name>, Vec<Dest>),
    /// The routing keys and properties of the last message published: the next message with the
    /// same shares them (see [`Message`]).
    last_shared: Option<(Rc<[Name]>, Rc<Properties>)>,
    /// The queues a publish routed to, reused (see [`Broker::recycle`]).
    routed: Vec<Name>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Timer {
    /// The head message of a queue (by id) expires.
    Head,
    /// A queue's `x-expires` lease ends.
    Lease,
}

/// A client connection.
#[derive(Debug, Default)]
pub struct Connection {
    pub channels: VecMap<u16, Channel>,
    /// The user it logged in as (`guest` unless opened by [`Broker::attach`]).
    pub user: Name,
    /// When it opened (simulated ms).
    pub opened_at: u64,
    /// The user's permissions in this vhost; `None` checks nothing (a bare broker's connections).
    perms: Option<Rc<Permissions>>,
}

/// A channel: delivery tags, unacknowledged deliveries, consumers, prefetch, confirms.
#[derive(Debug, Default)]
pub struct Channel {
    next_tag: u64,
    pending: VecDeque<Pending>,
    pub consumers: VecMap<Name, Consumer>,
    /// `basic.qos(global=false)`: the prefetch of consumers created from now on.
    pub prefetch: u16,
    /// `basic.qos(global=true)`: one limit for all consumers of the channel (0 = none).
    pub global_prefetch: u16,
    /// Unacknowledged consumer deliveries (what the global limit counts).
    limited: u32,
    pub confirm: bool,
    next_seq: u64,
    last_queue: Option<Name>,
    reply_consumer: Option<(Name, String)>,
    /// rabbit_channel's permission cache: the last 12 checks that passed (perm, queue?, name),
    /// newest first. A permission taken away later still passes for these on this channel.
    perm_cache: VecDeque<(Perm, bool, Name)>,
    /// A consumer of this channel may wait to be unblocked: set when one is set aside as blocked
    /// or consumes from a single-active-consumer queue, cleared when a look finds none (so an
    /// ack on a channel with nothing blocked looks no further).
    may_unblock: bool,
}

impl Channel {
    /// Unacknowledged deliveries on this channel (consumer deliveries and gets).
    pub fn unacked(&self) -> usize {
        self.pending.len()
    }

    /// Room under the channel's global prefetch (`basic.qos(global=true)`).
    fn global_room(&self) -> bool {
        self.global_prefetch == 0 || self.limited < self.global_prefetch as u32
    }

    /// A consumer's delivery `p` is settled or returned: its counts on this channel.
    #[inline]
    fn release(&mut self, p: &Pending) {
        if let Some(tag) = &p.consumer {
            self.limited -= 1;
            if let Some(cons) = self.consumers.get_mut(tag) {
                cons.unacked -= 1;
            }
        }
    }
}

impl Consumer {
    /// May it take one more message now (`can_send`): its own prefetch, then the channel's
    /// (`global_room`, see [`Channel::global_room`]).
    fn can_take(&self, global_room: bool) -> bool {
        self.no_ack || ((self.prefetch == 0 || self.unacked < self.prefetch as u32) && global_room)
    }
}

/// A consumer on a channel.
#[derive(Debug, Clone)]
pub struct Consumer {
    pub queue: Name,
    pub queue_id: u64,
    pub no_ack: bool,
    pub prefetch: u16,
    pub unacked: u32,
    pub priority: i64,
    pub exclusive: bool,
}

#[derive(Debug, Clone)]
struct Pending {
    tag: u64,
    queue: Name,
    queue_id: u64,
    entry: Entry,
    consumer: Option<Name>,
}

/// A snapshot of a queue, as `rabbitmqctl list_queues` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueInfo {
    pub name: Name,
    pub messages_ready: u64,
    pub messages_unacknowledged: u64,
    pub consumers: u64,
    pub durable: bool,
    pub auto_delete: bool,
    pub exclusive: bool,
}

/// The broker's [`Graph`]: a macro, not a method, so that it borrows those fields alone and an
/// exchange looked up in the broker can be routed from.
macro_rules! graph {
    ($b:expr) => {
        Graph {
            exchanges: &$b.exchanges,
            queues: &$b.queues,
            events: &mut $b.events,
            scratch: &mut $b.scratch,
            now: $b.now,
        }
    };
}

mod preview;

type R<T> = Result<T, AmqpError>;

fn strip_crlf(s: &str) -> String {
    s.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

/// `rabbit_misc:val/1` for a value present on one side only.
fn val_typed(v: Option<&FieldValue>) -> String {
    match v {
        None => "none".into(),
        Some(v) => format!("the value '{}' of type '{}'", v, v.type_name()),
    }
}

fn inequivalent(key: &str, what: &str, received: String, current: String) -> AmqpError {
    AmqpError::precondition_failed(format!(
        "inequivalent arg '{key}' for {what}: received {received} but current is {current}"
    ))
}

/// `rabbit_misc:assert_args_equivalence/4` for one key.
fn assert_arg(key: &str, what: &str, current: &FieldTable, new: &FieldTable) -> R<()> {
    match (current.get(key), new.get(key)) {
        (None, None) => Ok(()),
        (Some(a), Some(b)) => {
            if a.type_class() == b.type_class() && a.num_eq(b) && (a.type_class() == "int" || a == b) {
                Ok(())
            } else {
                Err(inequivalent(key, what, format!("'{b}'"), format!("'{a}'")))
            }
        }
        (a, b) => Err(inequivalent(key, what, val_typed(b), val_typed(a))),
    }
}

fn bool_field(key: &str, what: &str, current: bool, new: bool) -> R<()> {
    if current == new {
        Ok(())
    } else {
        Err(inequivalent(key, what, format!("'{new}'"), format!("'{current}'")))
    }
}

const CLASSIC_EQUIV_ARGS: [&str; 13] = [
    "x-expires",
    "x-message-ttl",
    "x-dead-letter-exchange",
    "x-dead-letter-routing-key",
    "x-max-length",
    "x-max-length-bytes",
    "x-max-priority",
    "x-overflow",
    "x-queue-mode",
    "x-queue-version",
    "x-single-active-consumer",
    "x-queue-type",
    "x-queue-master-locator",
];

/// The arguments a quorum queue knows (3.10 `rabbit_quorum_queue:capabilities/0`), compared in
/// this order on re-declare.
const QUORUM_ARGS: [&str; 14] = [
    "x-dead-letter-exchange",
    "x-dead-letter-routing-key",
    "x-dead-letter-strategy",
    "x-expires",
    "x-max-length",
    "x-max-length-bytes",
    "x-max-in-memory-length",
    "x-max-in-memory-bytes",
    "x-overflow",
    "x-single-active-consumer",
    "x-queue-type",
    "x-quorum-initial-group-size",
    "x-delivery-limit",
    "x-message-ttl",
];

/// Arguments some queue type knows: one a queue's type does not know is refused.
const ALL_TYPE_ARGS: [&str; 21] = [
    "x-expires",
    "x-message-ttl",
    "x-dead-letter-exchange",
    "x-dead-letter-routing-key",
    "x-dead-letter-strategy",
    "x-max-length",
    "x-max-length-bytes",
    "x-max-in-memory-length",
    "x-max-in-memory-bytes",
    "x-max-priority",
    "x-overflow",
    "x-queue-mode",
    "x-queue-version",
    "x-single-active-consumer",
    "x-queue-type",
    "x-queue-master-locator",
    "x-quorum-initial-group-size",
    "x-delivery-limit",
    "x-max-age",
    "x-stream-max-segment-size-bytes",
    "x-initial-cluster-size",
];

/// Arguments of other queue types, refused on a classic queue.
const OTHER_TYPE_ARGS: [&str; 8] = [
    "x-delivery-limit",
    "x-dead-letter-strategy",
    "x-quorum-initial-group-size",
    "x-max-age",
    "x-stream-max-segment-size-bytes",
    "x-initial-cluster-size",
    "x-queue-leader-locator",
    "x-max-in-memory-length",
];

/// `rabbit_amqqueue:check_declare_arguments/2`, in its order; the reason as Erlang prints it.
fn check_queue_args(args: &FieldTable) -> Result<QueueConfig, (String, String)> {
    let int = |k: &str| -> Result<Option<i64>, (String, String)> {
        match args.get(k) {
            None => Ok(None),
            Some(FieldValue::Int(_, v)) => Ok(Some(*v)),
            Some(v) => Err((k.to_string(), format!("{{unacceptable_type,{}}}", v.type_name()))),
        }
    };
    let non_neg = |k: &str| -> Result<Option<u64>, (String, String)> {
        match int(k)? {
            Some(v) if v < 0 => Err((k.to_string(), format!("{{value_negative,{v}}}"))),
            v => Ok(v.map(|v| v as u64)),
        }
    };
    let mut cfg = QueueConfig::default();
    // x-expires: positive integer
    match args.get("x-expires") {
        None => {}
        Some(FieldValue::Int(_, v)) if *v > 0 => cfg.expires = Some(*v as u64),
        Some(FieldValue::Int(_, 0)) => return Err(("x-expires".into(), "{value_zero,0}".into())),
        Some(FieldValue::Int(_, v)) => return Err(("x-expires".into(), format!("{{value_negative,{v}}}"))),
        Some(v) => return Err(("x-expires".into(), format!("{{unacceptable_type,{}}}", v.type_name()))),
    }
    match args.get("x-message-ttl") {
        None => {}
        Some(FieldValue::Int(_, v)) if *v >= 0 => cfg.message_ttl = Some(*v as u64),
        Some(FieldValue::Int(_, v)) => return Err(("x-message-ttl".into(), format!("{{value_negative,{v}}}"))),
        Some(v) => {
            return Err((
                "x-message-ttl".into(),
                format!("\"expected integer, got {}\"", v.type_name()),
            ))
        }
    }
    if let Some(v) = args.get("x-dead-letter-exchange") {
        cfg.dlx = v.as_str().map(Name::from);
    }
    if let Some(v) = args.get("x-dead-letter-routing-key") {
        if cfg.dlx.is_none() {
            return Err((
                "x-dead-letter-routing-key".into(),
                "routing_key_but_no_dlx_defined".into(),
            ));
        }
        match v {
            FieldValue::Str(s) => cfg.dlrk = Some(Name::from(s.as_str())),
            v => {
                return Err((
                    "x-dead-letter-routing-key".into(),
                    format!("{{unacceptable_type,{}}}", v.type_name()),
                ))
            }
        }
    }
    cfg.max_length = non_neg("x-max-length")?;
    cfg.max_length_bytes = non_neg("x-max-length-bytes")?;
    non_neg("x-max-in-memory-length")?;
    non_neg("x-max-in-memory-bytes")?;
    if let Some(p) = non_neg("x-max-priority")? {
        if p > 255 {
            return Err(("x-max-priority".into(), format!("{{max_value_exceeded,{p}}}")));
        }
        cfg.max_priority = Some(p as u8);
    }
    match args.get("x-overflow") {
        None => {}
        Some(FieldValue::Str(s)) => {
            cfg.overflow = Some(match s.as_str() {
                "drop-head" => Overflow::DropHead,
                "reject-publish" => Overflow::RejectPublish,
                "reject-publish-dlx" => Overflow::RejectPublishDlx,
                _ => return Err(("x-overflow".into(), "invalid_overflow".into())),
            })
        }
        Some(v) => return Err(("x-overflow".into(), format!("{{unacceptable_type,{}}}", v.type_name()))),
    }
    match args.get("x-queue-mode") {
        None => {}
        Some(FieldValue::Str(s)) if s == "default" || s == "lazy" => {}
        Some(FieldValue::Str(s)) => return Err(("x-queue-mode".into(), format!("\"unsupported queue mode '{s}'\""))),
        Some(v) => {
            return Err((
                "x-queue-mode".into(),
                format!("{{unacceptable_type,{}}}", v.type_name()),
            ))
        }
    }
    match args.get("x-single-active-consumer") {
        None => {}
        Some(FieldValue::Bool(b)) => cfg.single_active_consumer = *b,
        Some(v) => {
            return Err((
                "x-single-active-consumer".into(),
                format!("{{unacceptable_type,{}}}", v.type_name()),
            ))
        }
    }
    match args.get("x-queue-type") {
        None => {}
        Some(FieldValue::Str(s)) if s == "classic" => {}
        Some(FieldValue::Str(s)) if s == "quorum" => cfg.quorum = true,
        Some(FieldValue::Str(s)) if s == "stream" => {
            return Err((
                "x-queue-type".into(),
                format!("\"queue type '{s}' is not simulated by Warren yet\""),
            ))
        }
        Some(FieldValue::Str(s)) => return Err(("x-queue-type".into(), format!("\"unsupported queue type '{s}'\""))),
        Some(v) => {
            return Err((
                "x-queue-type".into(),
                format!("{{unacceptable_type,{}}}", v.type_name()),
            ))
        }
    }
    if let Some(FieldValue::Int(_, n)) = args.get("x-delivery-limit") {
        cfg.delivery_limit = Some((*n).max(0) as u64);
    }
    if cfg.quorum && cfg.overflow == Some(Overflow::RejectPublishDlx) {
        // 3.10's quorum queues have no reject-publish-dlx: they drop (and dead-letter) the head
        cfg.overflow = Some(Overflow::DropHead);
    }
    Ok(cfg)
}

/// `rabbit_misc:parse_expiration`: the per-message TTL in ms, or RabbitMQ's reason.
fn parse_expiration(e: &str) -> Result<u64, String> {
    let b = e.as_bytes();
    let mut i = 0;
    let neg = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == start {
        return Err("no_integer".into());
    }
    if i < b.len() {
        return Err(format!("{{leftover_string,\"{}\"}}", &e[i..]));
    }
    let digits = &e[start..i];
    if neg {
        return Err(format!(
            "{{value_negative,-{}}}",
            digits.trim_start_matches('0').max("0")
        ));
    }
    Ok(digits.parse::<u64>().unwrap_or(u64::MAX))
}

impl Broker {
    /// A broker with the pre-declared exchanges (semantics §2.1); `seed` fixes generated names.
    pub fn new(seed: u64) -> Broker {
        Broker::for_vhost(seed, "/")
    }

    /// The broker of virtual host `vhost` (its generated names are forked by the vhost's name).
    pub fn for_vhost(seed: u64, vhost: &str) -> Broker {
        let label = |what: &str| {
            if vhost == "/" {
                what.to_string()
            } else {
                format!("{what}@{vhost}")
            }
        };
        let mut b = Broker {
            vhost: vhost.into(),
            now: 0,
            names: Rng::fork(seed, &label("queue-names")),
            ctags: Rng::fork(seed, &label("consumer-tags")),
            replies: Rng::fork(seed, &label("reply-to")),
            exchanges: NameMap::default(),
            queues: NameMap::default(),
            queue_by_id: VecMap::new(),
            incoming: BTreeMap::new(),
            conns: VecMap::default(),
            reply_routes: VecMap::new(),
            timers: VecSet::new(),
            next_conn: 0,
            next_queue_id: 0,
            next_msg: 0,
            events: Vec::new(),
            dirty: Vec::new(),
            scratch: Default::default(),
            last_shared: None,
            routed: Vec::new(),
        };
        b.predeclare();
        b
    }

    fn predeclare(&mut self) {
        for (name, kind, internal) in [
            ("", ExchangeKind::Direct, false),
            ("amq.direct", ExchangeKind::Direct, false),
            ("amq.fanout", ExchangeKind::Fanout, false),
            ("amq.topic", ExchangeKind::Topic, false),
            ("amq.headers", ExchangeKind::Headers, false),
            ("amq.match", ExchangeKind::Headers, false),
            ("amq.rabbitmq.trace", ExchangeKind::Topic, true),
        ] {
            if !self.exchanges.contains_key(name) {
                let n = Name::from(name);
                self.exchanges.insert(
                    n.clone(),
                    Exchange::new(n, kind, true, false, internal, FieldTable::new()),
                );
            }
        }
    }

    /// The virtual host this broker is.
    pub fn vhost(&self) -> &str {
        &self.vhost
    }

    fn rs_queue(&self, q: &str) -> String {
        format!("queue '{q}' in vhost '{}'", self.vhost)
    }
    fn rs_exchange(&self, x: &str) -> String {
        format!("exchange '{x}' in vhost '{}'", self.vhost)
    }

    /// `check_resource_access` as rabbit_channel calls it: `perm` on a queue (`queue`) or an
    /// exchange named `name` (the default exchange is `amq.default`), through the channel's cache.
    fn check(&mut self, conn: ConnId, ch: u16, perm: Perm, queue: bool, name: &str) -> R<()> {
        let Some(c) = self.conns.get_mut(&conn) else {
            return Ok(());
        };
        let Some(p) = &c.perms else {
            return Ok(());
        };
        let name = if !queue && name.is_empty() { "amq.default" } else { name };
        let chan = c.channels.get_mut(&ch);
        if let Some(chan) = &chan {
            if chan
                .perm_cache
                .iter()
                .any(|(pp, qq, n)| *pp == perm && *qq == queue && &**n == name)
            {
                return Ok(());
            }
        }
        if p.allows(perm, name) {
            if let Some(chan) = chan {
                chan.perm_cache.push_front((perm, queue, name.into()));
                chan.perm_cache.truncate(12);
            }
            return Ok(());
        }
        let user = c.user.clone();
        let what = if queue {
            self.rs_queue(name)
        } else {
            self.rs_exchange(name)
        };
        Err(AmqpError::access_refused(format!(
            "access to {what} refused for user '{user}'"
        )))
    }

    /// The current simulated time (ms).
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Take the events of the calls so far (see [`EventKind`]).
    pub fn drain_events(&mut self) -> std::vec::Drain<'_, Event> {
        self.events.drain(..)
    }

    fn emit(&mut self, kind: EventKind) {
        self.events.push(Event { at: self.now, kind });
    }

    // ---- inspection --------------------------------------------------------------------------

    pub fn queue(&self, name: &str) -> Option<&Queue> {
        self.queues.get(name)
    }
    pub fn queues(&self) -> impl Iterator<Item = &Queue> {
        self.queues.values()
    }
    pub fn exchange(&self, name: &str) -> Option<&Exchange> {
        self.exchanges.get(name)
    }
    pub fn exchanges(&self) -> impl Iterator<Item = &Exchange> {
        self.exchanges.values()
    }
    pub fn connection(&self, conn: ConnId) -> Option<&Connection> {
        self.conns.get(&conn)
    }
    pub fn connections(&self) -> impl Iterator<Item = (&ConnId, &Connection)> {
        self.conns.iter()
    }

    /// `list_queues name messages_ready messages_unacknowledged consumers durable auto_delete exclusive`.
    pub fn queue_info(&self) -> Vec<QueueInfo> {
        self.queues
            .values()
            .map(|q| QueueInfo {
                name: q.name.clone(),
                messages_ready: q.len(),
                messages_unacknowledged: q.unacked,
                consumers: q.consumer_count(),
                durable: q.durable,
                auto_delete: q.auto_delete,
                exclusive: q.exclusive_owner.is_some(),
            })
            .collect()
    }

    /// When the next timer fires, if any: call [`Broker::advance`] with it to see what happens.
    pub fn next_timeout(&self) -> Option<u64> {
        self.timers.first().map(|t| t.0)
    }

    // ---- connections and channels --------------------------------------------------------------

    /// Open a connection.
    pub fn connect(&mut self, now: u64) -> ConnId {
        self.advance(now);
        self.next_conn += 1;
        let id = ConnId(self.next_conn);
        self.conns.insert(
            id,
            Connection {
                user: "guest".into(),
                opened_at: now,
                ..Connection::default()
            },
        );
        self.emit(EventKind::ConnectionOpened { conn: id });
        id
    }

    /// Open connection `id` (chosen by the server, unique across vhosts) for `user`, whose
    /// permissions in this vhost are `perms`.
    pub fn attach(&mut self, now: u64, id: ConnId, user: &str, perms: Rc<Permissions>) {
        self.advance(now);
        self.next_conn = self.next_conn.max(id.0);
        self.conns.insert(
            id,
            Connection {
                channels: VecMap::default(),
                user: user.into(),
                opened_at: now,
                perms: Some(perms),
            },
        );
        self.emit(EventKind::ConnectionOpened { conn: id });
    }

    /// `set_permissions` / `clear_permissions` took effect: `user`'s open connections check
    /// `perms` from now on (`None`: the user has no permissions here any more).
    pub fn set_user_permissions(&mut self, user: &str, perms: Option<Rc<Permissions>>) {
        let perms = perms.unwrap_or_else(|| Rc::new(Permissions::new("", "", "").expect("empty compiles")));
        for c in self.conns.values_mut() {
            if &*c.user == user {
                c.perms = Some(perms.clone());
            }
        }
    }

    /// Close every connection of `user` with `error` (`delete_user`), or every connection when
    /// `user` is `None` (the vhost is deleted).
    pub fn close_connections_of(&mut self, now: u64, user: Option<&str>, error: Option<AmqpError>) {
        self.advance(now);
        let ids: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(_, c)| user.is_none_or(|u| &*c.user == u))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            self.close_connection_inner(id, error.clone());
        }
        self.run_dirty();
    }

    /// Open channel `ch` on `conn`. Opening a channel that is open is a connection error.
    pub fn open_channel(&mut self, now: u64, conn: ConnId, ch: u16) -> R<()> {
        self.advance(now);
        let Some(c) = self.conns.get_mut(&conn) else {
            return Err(AmqpError::channel_error("connection is closed"));
        };
        if c.channels.contains_key(&ch) {
            let e = AmqpError::channel_error(format!("second 'channel.open' seen on channel {ch}"));
            self.close_connection_inner(conn, Some(e.clone()));
            self.run_dirty();
            return Err(e);
        }
        c.channels.insert(
            ch,
            Channel {
                next_tag: 1,
                next_seq: 1,
                ..Channel::default()
            },
        );
        self.emit(EventKind::ChannelOpened { conn, ch });
        Ok(())
    }

    /// Is channel `ch` of `conn` open?
    pub fn channel(&self, conn: ConnId, ch: u16) -> Option<&Channel> {
        self.conns.get(&conn)?.channels.get(&ch)
    }

    /// Close a connection as a client does (`connection.close`).
    pub fn close_connection(&mut self, now: u64, conn: ConnId) {
        self.advance(now);
        self.close_connection_inner(conn, None);
        self.run_dirty();
    }

    /// Run one method on an open channel. On an error the broker has closed the channel (4xx) or
    /// the connection (5xx) and the error is returned.
    pub fn handle(&mut self, now: u64, conn: ConnId, ch: u16, method: Method) -> R<Reply> {
        self.advance(now);
        if self.channel(conn, ch).is_none() {
            return Err(AmqpError::channel_error(format!(
                "expected 'channel.open' on channel {ch}"
            )));
        }
        let r = self.exec(conn, ch, method);
        if let Err(e) = &r {
            if e.is_connection_error() {
                self.close_connection_inner(conn, Some(e.clone()));
            } else {
                self.close_channel_inner(conn, ch, Some(e.clone()));
            }
        }
        self.run_dirty();
        r
    }

    fn exec(&mut self, conn: ConnId, ch: u16, m: Method) -> R<Reply> {
        match m {
            Method::ExchangeDeclare {
                exchange,
                kind,
                passive,
                durable,
                auto_delete,
                internal,
                arguments,
            } => self
                .exchange_declare(
                    conn,
                    ch,
                    &exchange,
                    &kind,
                    passive,
                    durable,
                    auto_delete,
                    internal,
                    arguments,
                )
                .map(|_| Reply::Ok),
            Method::ExchangeDelete { exchange, if_unused } => {
                self.exchange_delete(conn, ch, &exchange, if_unused).map(|_| Reply::Ok)
            }
            Method::ExchangeBind {
                destination,
                source,
                routing_key,
                arguments,
            } => self
                .bind(
                    conn,
                    ch,
                    &source,
                    Dest::Exchange(strip_crlf(&destination).into()),
                    &routing_key,
                    arguments,
                )
                .map(|_| Reply::Ok),
            Method::ExchangeUnbind {
                destination,
                source,
                routing_key,
                arguments,
            } => self
                .unbind(
                    conn,
                    ch,
                    &source,
                    Dest::Exchange(strip_crlf(&destination).into()),
                    &routing_key,
                    arguments,
                )
                .map(|_| Reply::Ok),
            Method::QueueDeclare {
                queue,
                passive,
                durable,
                exclusive,
                auto_delete,
                arguments,
            } => self.queue_declare(conn, ch, &queue, passive, durable, exclusive, auto_delete, arguments),
            Method::QueueBind {
                queue,
                exchange,
                routing_key,
                arguments,
            } => {
                let (q, key) = self.shortcut_bind(conn, ch, &queue, &routing_key)?;
                self.bind(conn, ch, &exchange, Dest::Queue(q), &key, arguments)
                    .map(|_| Reply::Ok)
            }
            Method::QueueUnbind {
                queue,
                exchange,
                routing_key,
                arguments,
            } => {
                let (q, key) = self.shortcut_bind(conn, ch, &queue, &routing_key)?;
                self.unbind(conn, ch, &exchange, Dest::Queue(q), &key, arguments)
                    .map(|_| Reply::Ok)
            }
            Method::QueuePurge { queue } => {
                let q = self.shortcut(conn, ch, &queue)?;
                self.check(conn, ch, Perm::Read, true, &q)?;
                self.queue_purge(conn, &q)
            }
            Method::QueueDelete {
                queue,
                if_unused,
                if_empty,
            } => {
                let q = self.shortcut(conn, ch, &queue)?;
                self.check(conn, ch, Perm::Configure, true, &q)?;
                self.queue_delete(conn, &q, if_unused, if_empty)
            }
            Method::BasicQos {
                prefetch_size,
                prefetch_count,
                global,
            } => self.basic_qos(conn, ch, prefetch_size, prefetch_count, global),
            Method::BasicConsume {
                queue,
                consumer_tag,
                no_ack,
                exclusive,
                arguments,
            } => {
                let q = if queue == REPLY_TO {
                    Name::from(REPLY_TO)
                } else {
                    self.shortcut(conn, ch, &queue)?
                };
                self.basic_consume(conn, ch, q, consumer_tag, no_ack, exclusive, arguments)
            }
            Method::BasicCancel { consumer_tag } => {
                self.basic_cancel(conn, ch, &consumer_tag);
                Ok(Reply::Ok)
            }
            Method::BasicPublish {
                exchange,
                routing_key,
                mandatory,
                immediate,
                properties,
                body,
            } => self
                .basic_publish(conn, ch, &exchange, routing_key, mandatory, immediate, properties, body)
                .map(|_| Reply::None),
            Method::BasicGet { queue, no_ack } => {
                let q = self.shortcut(conn, ch, &queue)?;
                self.check(conn, ch, Perm::Read, true, &q)?;
                self.basic_get(conn, ch, &q, no_ack)
            }
            Method::BasicAck { delivery_tag, multiple } => {
                self.settle(conn, ch, delivery_tag, multiple, None).map(|_| Reply::None)
            }
            Method::BasicNack {
                delivery_tag,
                multiple,
                requeue,
            } => self
                .settle(conn, ch, delivery_tag, multiple, Some(requeue))
                .map(|_| Reply::None),
            Method::BasicReject { delivery_tag, requeue } => self
                .settle(conn, ch, delivery_tag, false, Some(requeue))
                .map(|_| Reply::None),
            Method::BasicRecover { requeue } => {
                if !requeue {
                    return Err(AmqpError::not_implemented("requeue=false"));
                }
                self.requeue_channel(conn, ch);
                Ok(Reply::Ok)
            }
            Method::ConfirmSelect => {
                self.chan(conn, ch).confirm = true;
                Ok(Reply::Ok)
            }
            Method::ChannelClose => {
                self.close_channel_inner(conn, ch, None);
                Ok(Reply::Ok)
            }
        }
    }

    fn chan(&mut self, conn: ConnId, ch: u16) -> &mut Channel {
        self.conns
            .get_mut(&conn)
            .and_then(|c| c.channels.get_mut(&ch))
            .expect("channel checked open before exec")
    }

    /// Empty queue name = the queue last declared on this channel (semantics §1.5).
    fn shortcut(&mut self, conn: ConnId, ch: u16, queue: &str) -> R<Name> {
        let q = strip_crlf(queue);
        if q.is_empty() {
            self.chan(conn, ch)
                .last_queue
                .clone()
                .ok_or_else(|| AmqpError::not_found("no previously declared queue"))
        } else {
            Ok(q.into())
        }
    }

    fn shortcut_bind(&mut self, conn: ConnId, ch: u16, queue: &str, key: &str) -> R<(Name, String)> {
        let empty = strip_crlf(queue).is_empty();
        let q = self.shortcut(conn, ch, queue)?;
        let key = if empty && key.is_empty() {
            q.to_string()
        } else {
            key.to_string()
        };
        Ok((q, key))
    }

    // ---- exchanges ---------------------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn exchange_declare(
        &mut self,
        conn: ConnId,
        ch: u16,
        name: &str,
        kind: &str,
        passive: bool,
        durable: bool,
        auto_delete: bool,
        internal: bool,
        args: FieldTable,
    ) -> R<()> {
        let name = strip_crlf(name);
        if passive {
            if name.is_empty() {
                return Err(AmqpError::default_exchange());
            }
            return if self.exchanges.contains_key(name.as_str()) {
                Ok(())
            } else {
                Err(AmqpError::no_exchange(&name, &self.vhost))
            };
        }
        let Some(kind) = ExchangeKind::parse(kind) else {
            return Err(AmqpError::command_invalid(format!("unknown exchange type '{kind}'")));
        };
        if name.is_empty() {
            return Err(AmqpError::default_exchange());
        }
        self.check(conn, ch, Perm::Configure, false, &name)?;
        let what = self.rs_exchange(&name);
        if !self.exchanges.contains_key(name.as_str()) {
            if name.starts_with("amq.") {
                return Err(AmqpError::access_refused(format!(
                    "exchange name '{name}' contains reserved prefix 'amq.*'"
                )));
            }
            if let Some(v) = args.get("alternate-exchange") {
                let Some(ae) = v.as_str() else {
                    return Err(AmqpError::precondition_failed(format!(
                        "invalid type '{}' for arg 'alternate-exchange' in {what}",
                        v.type_name()
                    )));
                };
                let ae = ae.to_string();
                self.check(conn, ch, Perm::Read, false, &name)?;
                self.check(conn, ch, Perm::Write, false, &ae)?;
            }
            let n: Name = name.as_str().into();
            self.exchanges.insert(
                n.clone(),
                Exchange::new(n.clone(), kind, durable, auto_delete, internal, args.clone()),
            );
            self.emit(EventKind::ExchangeDeclared { exchange: n });
        }
        let x = &self.exchanges[name.as_str()];
        if x.kind != kind {
            return Err(inequivalent(
                "type",
                &what,
                format!("'{}'", kind.name()),
                format!("'{}'", x.kind.name()),
            ));
        }
        bool_field("durable", &what, x.durable, durable)?;
        bool_field("auto_delete", &what, x.auto_delete, auto_delete)?;
        bool_field("internal", &what, x.internal, internal)?;
        assert_arg("alternate-exchange", &what, &x.arguments, &args)
    }

    fn exchange_delete(&mut self, conn: ConnId, ch: u16, name: &str, if_unused: bool) -> R<()> {
        let name = strip_crlf(name);
        if name.is_empty() {
            return Err(AmqpError::default_exchange());
        }
        if name.starts_with("amq.") {
            return Err(AmqpError::access_refused(format!(
                "deletion of system {} not allowed",
                self.rs_exchange(&name)
            )));
        }
        self.check(conn, ch, Perm::Configure, false, &name)?;
        let Some(x) = self.exchanges.get(name.as_str()) else {
            return Ok(());
        };
        if if_unused && !x.bindings.is_empty() {
            return Err(AmqpError::precondition_failed(format!(
                "{} in use",
                self.rs_exchange(&name)
            )));
        }
        self.delete_exchange(&Name::from(name.as_str()), false);
        Ok(())
    }

    fn delete_exchange(&mut self, name: &Name, auto: bool) {
        let Some(x) = self.exchanges.remove(name) else {
            return;
        };
        // bindings where it is the source
        for b in &x.bindings {
            if let Some(set) = self.incoming.get_mut(&b.dest) {
                set.remove(&(name.clone(), b.clone()));
                if set.is_empty() {
                    self.incoming.remove(&b.dest);
                }
            }
            self.events.push(Event {
                at: self.now,
                kind: EventKind::Unbound {
                    source: name.clone(),
                    dest: b.dest.clone(),
                    key: b.key.clone(),
                    arguments: b.args.clone(),
                },
            });
        }
        self.emit(EventKind::ExchangeDeleted {
            exchange: name.clone(),
            auto,
        });
        // bindings where it is the destination
        self.remove_incoming(&Dest::Exchange(name.clone()));
    }

    /// Remove every binding leading to `dest`; sources left without bindings may auto-delete.
    fn remove_incoming(&mut self, dest: &Dest) {
        let Some(set) = self.incoming.remove(dest) else {
            return;
        };
        let mut sources = Vec::new();
        for (src, b) in set {
            if let Some(x) = self.exchanges.get_mut(&src) {
                x.unbind(&b);
                sources.push(src.clone());
            }
            self.emit(EventKind::Unbound {
                source: src,
                dest: b.dest,
                key: b.key,
                arguments: b.args,
            });
        }
        sources.dedup();
        for s in sources {
            self.maybe_auto_delete_exchange(&s);
        }
    }

    fn maybe_auto_delete_exchange(&mut self, name: &Name) {
        if let Some(x) = self.exchanges.get(name) {
            if x.auto_delete && x.bindings.is_empty() {
                self.delete_exchange(name, true);
            }
        }
    }

    fn bind(&mut self, conn: ConnId, ch: u16, source: &str, dest: Dest, key: &str, args: FieldTable) -> R<()> {
        let source = strip_crlf(source);
        self.check_binding(conn, ch, &source, &dest)?;
        let Some(x) = self.exchanges.get(source.as_str()) else {
            return Err(AmqpError::no_exchange(&source, &self.vhost));
        };
        match &dest {
            Dest::Exchange(d) => {
                if !self.exchanges.contains_key(d) {
                    return Err(AmqpError::no_exchange(d, &self.vhost));
                }
            }
            Dest::Queue(q) => {
                if !self.queues.contains_key(q) {
                    return Err(AmqpError::no_queue(q, &self.vhost));
                }
            }
        }
        if x.kind == ExchangeKind::Headers {
            headers::validate(&args)?;
        }
        if let Dest::Queue(q) = &dest {
            self.check_exclusive(conn, q)?;
        }
        // the binding holds the very name the broker keys the destination by (see `NameMap`)
        let dest = match dest {
            Dest::Queue(q) => Dest::Queue(self.queues.get_key_value(&q).expect("checked").0.clone()),
            Dest::Exchange(x) => Dest::Exchange(self.exchanges.get_key_value(&x).expect("checked").0.clone()),
        };
        let src: Name = source.as_str().into();
        let b = Binding {
            dest: dest.clone(),
            key: key.into(),
            args,
        };
        let x = self.exchanges.get_mut(source.as_str()).expect("checked");
        if x.bind(b.clone()) {
            self.incoming
                .entry(dest.clone())
                .or_default()
                .insert((src.clone(), b.clone()));
            self.emit(EventKind::Bound {
                source: src,
                dest,
                key: b.key,
                arguments: b.args,
            });
        }
        Ok(())
    }

    /// rabbit_channel's binding_action: write on the destination, neither end the default
    /// exchange, read on the source; existence is checked after.
    fn check_binding(&mut self, conn: ConnId, ch: u16, source: &str, dest: &Dest) -> R<()> {
        match dest {
            Dest::Queue(q) => self.check(conn, ch, Perm::Write, true, q)?,
            Dest::Exchange(d) => self.check(conn, ch, Perm::Write, false, d)?,
        }
        if source.is_empty() || matches!(dest, Dest::Exchange(d) if d.is_empty()) {
            return Err(AmqpError::default_exchange());
        }
        self.check(conn, ch, Perm::Read, false, source)
    }

    fn unbind(&mut self, conn: ConnId, ch: u16, source: &str, dest: Dest, key: &str, args: FieldTable) -> R<()> {
        let source = strip_crlf(source);
        self.check_binding(conn, ch, &source, &dest)?;
        let src: Name = source.as_str().into();
        let b = Binding {
            dest: dest.clone(),
            key: key.into(),
            args,
        };
        let exists = self.exchanges.get(&src).is_some_and(|x| x.bindings.contains(&b));
        if !exists {
            return Ok(()); // 3.10: unbinding what is not bound succeeds (semantics §2.7)
        }
        if let Dest::Queue(q) = &dest {
            self.check_exclusive(conn, q)?;
        }
        self.exchanges.get_mut(&src).expect("exists").unbind(&b);
        if let Some(set) = self.incoming.get_mut(&dest) {
            set.remove(&(src.clone(), b.clone()));
            if set.is_empty() {
                self.incoming.remove(&dest);
            }
        }
        self.emit(EventKind::Unbound {
            source: src.clone(),
            dest,
            key: b.key,
            arguments: b.args,
        });
        self.maybe_auto_delete_exchange(&src);
        Ok(())
    }

    // ---- queues ------------------------------------------------------------------------------

    fn check_exclusive(&self, conn: ConnId, q: &str) -> R<()> {
        match self.queues.get(q).and_then(|q| q.exclusive_owner) {
            Some(owner) if owner != conn => Err(AmqpError::queue_locked(q, &self.vhost)),
            _ => Ok(()),
        }
    }

    fn lookup_queue(&self, conn: ConnId, q: &str) -> R<()> {
        if !self.queues.contains_key(q) {
            return Err(AmqpError::no_queue(q, &self.vhost));
        }
        self.check_exclusive(conn, q)
    }

    #[allow(clippy::too_many_arguments)]
    fn queue_declare(
        &mut self,
        conn: ConnId,
        ch: u16,
        queue: &str,
        passive: bool,
        durable: bool,
        exclusive: bool,
        auto_delete: bool,
        args: FieldTable,
    ) -> R<Reply> {
        let name = strip_crlf(queue);
        if name == REPLY_TO
            || (name.starts_with(REPLY_TO_PREFIX) && self.reply_routes.contains_key(&name[REPLY_TO_PREFIX.len()..]))
        {
            return Ok(Reply::DeclareOk {
                queue: name.as_str().into(),
                message_count: 0,
                consumer_count: 1,
            });
        }
        if name.starts_with(REPLY_TO_PREFIX) {
            return Err(AmqpError::no_queue(&name, &self.vhost));
        }
        if passive {
            let Some(q) = self.queues.get(name.as_str()) else {
                return Err(AmqpError::no_queue(&name, &self.vhost));
            };
            let (id, reply) = (
                q.id,
                Reply::DeclareOk {
                    queue: q.name.clone(),
                    message_count: q.len(),
                    consumer_count: q.declared_consumers(),
                },
            );
            self.check_exclusive(conn, &name)?;
            self.touch(id);
            self.chan(conn, ch).last_queue = Some(name.as_str().into());
            return Ok(reply);
        }
        let typed = args
            .get("x-queue-type")
            .and_then(|v| v.as_str())
            .filter(|t| *t == "quorum" || *t == "stream");
        let name = if name.is_empty() {
            if let Some(t) = typed {
                return Err(AmqpError::precondition_failed(format!(
                    "Cannot declare a server-named queue for type rabbit_{t}_queue"
                )));
            }
            self.names.guid_name("amq.gen")
        } else if name.starts_with("amq.") {
            return Err(AmqpError::access_refused(format!(
                "queue name '{name}' contains reserved prefix 'amq.*'"
            )));
        } else {
            name
        };
        self.check(conn, ch, Perm::Configure, true, &name)?;
        let owner = exclusive.then_some(conn);
        let durable = durable && !exclusive;
        let what = self.rs_queue(&name);
        if let Some(q) = self.queues.get(name.as_str()) {
            if q.exclusive_owner != owner {
                return Err(AmqpError::queue_locked(&name, &self.vhost));
            }
            bool_field("durable", &what, q.durable, durable)?;
            bool_field("auto_delete", &what, q.auto_delete, auto_delete)?;
            let keys: &[&str] = if q.cfg.quorum {
                &QUORUM_ARGS
            } else {
                &CLASSIC_EQUIV_ARGS
            };
            for &key in keys {
                if key == "x-queue-type" {
                    // absent is the same as "classic"; a difference is reported as sent
                    let ty = |t: &FieldTable| t.get(key).and_then(|v| v.as_str()).unwrap_or("classic").to_string();
                    if ty(&q.arguments) != ty(&args) {
                        assert_arg(key, &what, &q.arguments, &args)?;
                    }
                } else {
                    assert_arg(key, &what, &q.arguments, &args)?;
                }
            }
            let (id, reply) = (
                q.id,
                Reply::DeclareOk {
                    queue: q.name.clone(),
                    message_count: q.len(),
                    consumer_count: q.declared_consumers(),
                },
            );
            self.touch(id);
            self.chan(conn, ch).last_queue = Some(name.as_str().into());
            return Ok(reply);
        }
        if let Some(v) = args.get("x-dead-letter-exchange") {
            let Some(dlx) = v.as_str() else {
                return Err(AmqpError::precondition_failed(format!(
                    "invalid type '{}' for arg 'x-dead-letter-exchange' in {what}",
                    v.type_name()
                )));
            };
            let dlx = dlx.to_string();
            self.check(conn, ch, Perm::Read, true, &name)?;
            self.check(conn, ch, Perm::Write, false, &dlx)?;
        }
        let cfg = check_queue_args(&args)
            .map_err(|(k, why)| AmqpError::precondition_failed(format!("invalid arg '{k}' for {what}: {why}")))?;
        if cfg.quorum {
            // rabbit_quorum_queue:declare/2: arguments, then auto-delete, exclusive, durable
            if let Some(k) = args
                .keys()
                .find(|k| ALL_TYPE_ARGS.contains(&k.as_str()) && !QUORUM_ARGS.contains(&k.as_str()))
            {
                return Err(AmqpError::precondition_failed(format!(
                    "invalid arg '{k}' for {what} of queue type rabbit_quorum_queue"
                )));
            }
            let bad = if auto_delete {
                Some("auto-delete")
            } else if exclusive {
                Some("exclusive-owner")
            } else if !durable {
                Some("non-durable")
            } else {
                None
            };
            if let Some(b) = bad {
                return Err(AmqpError::precondition_failed(format!(
                    "invalid property '{b}' for {what}"
                )));
            }
        } else if let Some(k) = OTHER_TYPE_ARGS.iter().find(|k| args.contains_key(**k)) {
            return Err(AmqpError::precondition_failed(format!(
                "invalid arg '{k}' for {what} of queue type rabbit_classic_queue"
            )));
        }
        self.next_queue_id += 1;
        let id = self.next_queue_id;
        let n: Name = name.as_str().into();
        let q = Queue::new(id, n.clone(), durable, auto_delete, owner, args, cfg, self.now);
        self.queues.insert(n.clone(), q);
        self.queue_by_id.insert(id, n.clone());
        self.emit(EventKind::QueueDeclared { queue: n.clone() });
        self.refresh_timers(&n);
        self.chan(conn, ch).last_queue = Some(n.clone());
        Ok(Reply::DeclareOk {
            queue: n,
            message_count: 0,
            consumer_count: 0,
        })
    }

    /// Renew the `x-expires` lease of a queue.
    fn touch(&mut self, id: u64) {
        let Some(name) = self.queue_by_id.get(&id).cloned() else {
            return;
        };
        if let Some(q) = self.queues.get_mut(&name) {
            q.last_used = self.now;
        }
        self.refresh_timers(&name);
    }

    fn queue_purge(&mut self, conn: ConnId, name: &Name) -> R<Reply> {
        self.lookup_queue(conn, name)?;
        let count = self.purge(name);
        Ok(Reply::PurgeOk { message_count: count })
    }

    /// `rabbitmqctl purge_queue`: the operator empties a queue (no permission or exclusivity
    /// check). `None` if there is no such queue.
    pub fn purge_queue(&mut self, now: u64, name: &str) -> Option<u64> {
        self.advance(now);
        let name = self.queues.get(name)?.name.clone();
        let n = self.purge(&name);
        self.run_dirty();
        Some(n)
    }

    /// `rabbitmqctl delete_queue [--if-empty] [--if-unused]`: the ready messages it had, or
    /// rabbitmqctl's reason (`Queue not found`, `Queue is not empty`, `Queue is in use`).
    pub fn delete_queue_now(&mut self, now: u64, name: &str, if_unused: bool, if_empty: bool) -> Result<u64, String> {
        self.advance(now);
        let q = self.queues.get(name).ok_or("Queue not found")?;
        if let Some(why) = delete_refused(q, if_unused, if_empty) {
            return Err(format!("Queue is {why}"));
        }
        let name = q.name.clone();
        let n = self.delete_queue(&name, QueueGone::Deleted);
        self.run_dirty();
        Ok(n)
    }

    fn purge(&mut self, name: &Name) -> u64 {
        let q = self.queues.get_mut(name).expect("checked");
        let gone = q.drain();
        let count = gone.len() as u64;
        for e in gone {
            self.emit(EventKind::Dropped {
                msg: e.msg.id,
                queue: name.clone(),
                reason: DropReason::Purged,
            });
        }
        self.emit(EventKind::Purged {
            queue: name.clone(),
            count,
        });
        self.refresh_timers(name);
        count
    }

    fn queue_delete(&mut self, conn: ConnId, name: &Name, if_unused: bool, if_empty: bool) -> R<Reply> {
        let Some(q) = self.queues.get(name) else {
            return Ok(Reply::DeleteOk { message_count: 0 });
        };
        self.check_exclusive(conn, name)?;
        if q.cfg.quorum && (if_unused || if_empty) {
            // rabbit_quorum_queue:delete/4: the flags are refused, if-unused first
            let flag = if if_unused { "if-unused" } else { "if-empty" };
            return Err(AmqpError::not_implemented(format!(
                "cannot delete {}. queue.delete operations with {flag} flag set are not supported by quorum queues",
                self.rs_queue(name)
            )));
        }
        if let Some(why) = delete_refused(q, if_unused, if_empty) {
            return Err(AmqpError::precondition_failed(format!("{} {why}", self.rs_queue(name))));
        }
        let count = self.delete_queue(name, QueueGone::Deleted);
        Ok(Reply::DeleteOk { message_count: count })
    }

    /// Delete a queue: its consumers are cancelled, its ready messages dropped, its bindings removed.
    fn delete_queue(&mut self, name: &Name, why: QueueGone) -> u64 {
        let Some(mut q) = self.queues.remove(name) else {
            return 0;
        };
        self.queue_by_id.remove(&q.id);
        for c in q.registered.clone() {
            if let Some(chan) = self.conns.get_mut(&c.conn).and_then(|x| x.channels.get_mut(&c.ch)) {
                chan.consumers.remove(&c.tag);
            }
            self.emit(EventKind::ConsumerRemoved {
                conn: c.conn,
                ch: c.ch,
                queue: name.clone(),
                consumer_tag: c.tag.clone(),
            });
        }
        let gone = q.drain();
        let count = gone.len() as u64;
        let reason = if why == QueueGone::Restart {
            DropReason::Restart
        } else {
            DropReason::QueueDeleted
        };
        for e in gone {
            self.emit(EventKind::Dropped {
                msg: e.msg.id,
                queue: name.clone(),
                reason,
            });
        }
        if let Some(t) = q.head_timer {
            self.timers.remove(&(t, q.id, Timer::Head));
        }
        if let Some(t) = q.expiry_timer {
            self.timers.remove(&(t, q.id, Timer::Lease));
        }
        self.emit(EventKind::QueueDeleted {
            queue: name.clone(),
            why,
        });
        self.remove_incoming(&Dest::Queue(name.clone()));
        count
    }

    // ---- consumers ---------------------------------------------------------------------------

    fn basic_qos(&mut self, conn: ConnId, ch: u16, size: u32, count: u16, global: bool) -> R<Reply> {
        if size != 0 {
            return Err(AmqpError::not_implemented(format!("prefetch_size!=0 ({size})")));
        }
        let c = self.chan(conn, ch);
        if global {
            c.global_prefetch = count;
        } else {
            // 3.10: a per-consumer qos also lifts the channel-wide limit (`unlimit_prefetch`)
            c.prefetch = count;
            c.global_prefetch = 0;
        }
        self.unblock_channel(conn, ch);
        Ok(Reply::Ok)
    }

    #[allow(clippy::too_many_arguments)]
    fn basic_consume(
        &mut self,
        conn: ConnId,
        ch: u16,
        queue: Name,
        tag: String,
        no_ack: bool,
        exclusive: bool,
        args: FieldTable,
    ) -> R<Reply> {
        if self.chan(conn, ch).consumers.contains_key(tag.as_str()) {
            return Err(AmqpError::not_allowed(format!("attempt to reuse consumer tag '{tag}'")));
        }
        if &*queue != REPLY_TO {
            self.check(conn, ch, Perm::Read, true, &queue)?;
        }
        if &*queue == REPLY_TO {
            let c = self.chan(conn, ch);
            if !no_ack {
                return Err(AmqpError::precondition_failed("reply consumer cannot acknowledge"));
            }
            if c.reply_consumer.is_some() {
                return Err(AmqpError::precondition_failed("reply consumer already set"));
            }
            let tag: Name = if tag.is_empty() {
                self.ctags.guid_name("amq.ctag").into()
            } else {
                tag.into()
            };
            let pid = base64_std(&self.replies.guid()[..12]);
            let key = base64_std(&self.replies.guid());
            let suffix = format!("{pid}.{key}");
            self.reply_routes.insert(suffix.clone(), (conn, ch));
            self.chan(conn, ch).reply_consumer = Some((tag.clone(), suffix));
            return Ok(Reply::ConsumeOk { consumer_tag: tag });
        }
        self.lookup_queue(conn, &queue)?;
        let priority = match args.get("x-priority") {
            None => 0,
            Some(FieldValue::Int(_, p)) => *p,
            Some(v) => {
                return Err(AmqpError::precondition_failed(format!(
                    "invalid arg 'x-priority' for {}: {{unacceptable_type,{}}}",
                    self.rs_queue(&queue),
                    v.type_name()
                )))
            }
        };
        let q = &self.queues[&queue];
        if q.cfg.quorum && self.chan(conn, ch).global_prefetch > 0 {
            return Err(AmqpError::not_implemented(format!(
                "{} does not support global qos",
                self.rs_queue(&queue)
            )));
        }
        let q = &self.queues[&queue];
        // quorum queues ignore the flag; rabbit_amqqueue_process basic_consume: a classic
        // single-active-consumer queue refuses every exclusive consume, even with no consumer yet
        let exclusive = exclusive && !q.cfg.quorum;
        let refused = q.cfg.single_active_consumer || q.consumer_count() > 0;
        if q.has_exclusive_consumer || (exclusive && refused) {
            return Err(AmqpError::access_refused(format!(
                "{} in exclusive use",
                self.rs_queue(&queue)
            )));
        }
        let tag: Name = if tag.is_empty() {
            self.ctags.guid_name("amq.ctag").into()
        } else {
            tag.into()
        };
        let queue_id = q.id;
        let sac = q.cfg.single_active_consumer;
        let c = self.chan(conn, ch);
        let prefetch = c.prefetch;
        c.may_unblock |= sac;
        c.consumers.insert(
            tag.clone(),
            Consumer {
                queue: queue.clone(),
                queue_id,
                no_ack,
                prefetch,
                unacked: 0,
                priority,
                exclusive,
            },
        );
        let key = ConsumerKey {
            conn,
            ch,
            tag: tag.clone(),
            priority,
        };
        let q = self.queues.get_mut(&queue).expect("checked");
        q.registered.push(key.clone());
        q.activate(key);
        q.had_consumer = true;
        q.has_exclusive_consumer |= exclusive;
        q.last_used = self.now;
        self.emit(EventKind::ConsumerAdded {
            conn,
            ch,
            queue: queue.clone(),
            consumer_tag: tag.clone(),
        });
        self.refresh_timers(&queue);
        self.mark_dirty(&queue);
        Ok(Reply::ConsumeOk { consumer_tag: tag })
    }

    fn basic_cancel(&mut self, conn: ConnId, ch: u16, tag: &str) {
        let c = self.chan(conn, ch);
        if c.reply_consumer.as_ref().is_some_and(|(t, _)| &**t == tag) {
            let (_, suffix) = c.reply_consumer.take().expect("checked");
            self.reply_routes.remove(&suffix);
            return;
        }
        let Some(consumer) = c.consumers.remove(tag) else {
            return;
        };
        self.remove_consumer_from_queue(conn, ch, tag, &consumer);
    }

    fn remove_consumer_from_queue(&mut self, conn: ConnId, ch: u16, tag: &str, consumer: &Consumer) {
        let Some(q) = self
            .queues
            .get_mut(&consumer.queue)
            .filter(|q| q.id == consumer.queue_id)
        else {
            return;
        };
        q.remove_consumer(conn, ch, tag);
        if consumer.exclusive {
            q.has_exclusive_consumer = false;
        }
        let name = q.name.clone();
        self.emit(EventKind::ConsumerRemoved {
            conn,
            ch,
            queue: name.clone(),
            consumer_tag: tag.into(),
        });
        let q = &self.queues[&name];
        if q.registered.is_empty() {
            if q.auto_delete && q.had_consumer {
                self.delete_queue(&name, QueueGone::AutoDeleted);
                return;
            }
            let id = q.id;
            self.touch(id);
        }
        self.mark_dirty(&name);
    }

    // ---- publishing --------------------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn basic_publish(
        &mut self,
        conn: ConnId,
        ch: u16,
        exchange: &str,
        routing_key: Name,
        mandatory: bool,
        immediate: bool,
        mut props: Rc<Properties>,
        body: Vec<u8>,
    ) -> R<()> {
        if immediate {
            return Err(AmqpError::not_implemented("immediate=true"));
        }
        self.check(conn, ch, Perm::Write, false, exchange)?;
        let Some(x) = self.exchanges.get(exchange) else {
            return Err(AmqpError::no_exchange(exchange, &self.vhost));
        };
        if x.internal {
            return Err(AmqpError::access_refused(format!(
                "cannot publish to internal {}",
                self.rs_exchange(exchange)
            )));
        }
        let xname = x.name.clone();
        if props.reply_to.as_deref() == Some(REPLY_TO) {
            let chan = self.conns.get(&conn).and_then(|c| c.channels.get(&ch));
            match chan.and_then(|c| c.reply_consumer.as_ref()) {
                Some((_, suffix)) => Rc::make_mut(&mut props).reply_to = Some(format!("{REPLY_TO_PREFIX}{suffix}")),
                None => return Err(AmqpError::precondition_failed("fast reply consumer does not exist")),
            }
        }
        if let Some(uid) = &props.user_id {
            let user = &self.conns[&conn].user;
            if uid != &**user {
                return Err(AmqpError::precondition_failed(format!(
                    "user_id property set to '{uid}' but authenticated user was '{user}'"
                )));
            }
        }
        if let Some(e) = &props.expiration {
            if let Err(why) = parse_expiration(e) {
                return Err(AmqpError::precondition_failed(format!(
                    "invalid expiration '{e}': {why}"
                )));
            }
        }
        let mut cc: Vec<Name> = Vec::new();
        if let Some(h) = &props.headers {
            for hk in ["CC", "BCC"] {
                match h.get(hk) {
                    None => {}
                    Some(FieldValue::Array(a)) => cc.extend(a.iter().filter_map(|v| v.as_str()).map(Name::from)),
                    Some(v) => {
                        return Err(AmqpError::precondition_failed(format!(
                            "invalid message: {{unacceptable_type_in_header,\"{hk}\",{}}}",
                            v.type_name()
                        )))
                    }
                }
            }
            if h.contains_key("BCC") {
                if let Some(h) = &mut Rc::make_mut(&mut props).headers {
                    h.remove("BCC");
                }
            }
        }
        let (keys, props) = share(&mut self.last_shared, routing_key, cc, props);
        let c = self
            .conns
            .get_mut(&conn)
            .and_then(|c| c.channels.get_mut(&ch))
            .expect("channel checked open before exec");
        let seq = if c.confirm {
            c.next_seq += 1;
            Some(c.next_seq - 1)
        } else {
            None
        };
        self.next_msg += 1;
        let msg = Rc::new(Message {
            id: MsgId(self.next_msg),
            exchange: xname.clone(),
            routing_keys: keys,
            properties: props,
            body: body.into_boxed_slice(),
        });
        let (now, exchange, message) = (self.now, xname.clone(), msg.clone());
        push_event(&mut self.events, || Event {
            at: now,
            kind: EventKind::Published {
                msg: message.id,
                conn,
                ch,
                exchange,
                seq,
                message,
            },
        });
        let queues = if xname.is_empty() {
            self.route(&xname, &msg)
        } else {
            let out = std::mem::take(&mut self.routed);
            graph!(self).route(x, &msg, out)
        };
        if queues.is_empty() {
            self.recycle(queues);
            self.emit(EventKind::Unroutable {
                msg: msg.id,
                exchange: xname,
            });
            if mandatory {
                self.emit(EventKind::Returned {
                    msg: msg.id,
                    conn,
                    ch,
                    reply_code: 312,
                    reply_text: "NO_ROUTE".into(),
                    message: msg.clone(),
                });
            }
            if let Some(seq) = seq {
                self.emit(EventKind::Confirmed {
                    conn,
                    ch,
                    seq,
                    ack: true,
                });
            }
            return Ok(());
        }
        let mut all = true;
        for q in &queues {
            all &= self.enqueue(q, msg.clone(), Some((conn, ch)));
        }
        self.recycle(queues);
        if let Some(seq) = seq {
            self.emit(EventKind::Confirmed {
                conn,
                ch,
                seq,
                ack: all,
            });
        }
        Ok(())
    }

    /// Route through the exchange graph (semantics §2.7, §2.8, §10): the queues that get a copy,
    /// sorted and each once. Emits a `Routed` event per hop.
    fn route(&mut self, exchange: &Name, msg: &Rc<Message>) -> Vec<Name> {
        let mut out = std::mem::take(&mut self.routed);
        out.clear();
        if exchange.is_empty() {
            let mut keys: Vec<&Name> = msg.routing_keys.iter().collect();
            crate::sort::heapsort(&mut keys);
            keys.dedup();
            for k in keys {
                if k.starts_with(REPLY_TO_PREFIX) {
                    self.deliver_reply(k, msg);
                } else if self.queues.contains_key(k) {
                    routed(
                        &mut self.events,
                        self.now,
                        msg.id,
                        exchange,
                        Dest::Queue(k.clone()),
                        false,
                    );
                    out.push(k.clone());
                }
            }
            return out;
        }
        let Some(x) = self.exchanges.get(exchange) else {
            return out;
        };
        graph!(self).route(x, msg, out)
    }

    /// Give back the list [`Broker::route`] returned, for the next routing.
    #[inline(always)]
    fn recycle(&mut self, mut queues: Vec<Name>) {
        queues.clear();
        self.routed = queues;
    }

    fn deliver_reply(&mut self, key: &Name, msg: &Rc<Message>) {
        let Some(&(conn, ch)) = self.reply_routes.get(&key[REPLY_TO_PREFIX.len()..]) else {
            return;
        };
        let Some(c) = self.conns.get_mut(&conn).and_then(|c| c.channels.get_mut(&ch)) else {
            return;
        };
        let Some((ctag, _)) = c.reply_consumer.clone() else {
            return;
        };
        let tag = c.next_tag;
        c.next_tag += 1;
        // The reply shows the key it was published with, whatever the message's first key.
        let mut m = (**msg).clone();
        m.routing_keys = Rc::from([key.clone()]);
        self.emit(EventKind::Delivered {
            msg: msg.id,
            queue: key.clone(),
            conn,
            ch,
            consumer_tag: Some(ctag),
            delivery_tag: tag,
            redelivered: false,
            auto_ack: true,
            message: Rc::new(m),
            message_count: None,
        });
    }

    /// Offer a message to a queue (`maybe_deliver_or_enqueue`), published by channel `from`
    /// (`None`: dead-lettered): false when the queue refused it.
    fn enqueue(&mut self, qname: &Name, msg: Rc<Message>, from: Option<(ConnId, u16)>) -> bool {
        let Some(q) = self.queues.get_mut(qname) else {
            return true;
        };
        // a quorum queue refuses by blocking publishing channels (over the limit, not at it),
        // never a dead letter (3.10 sends those untracked); one that drops the head takes the
        // message, then drops
        let full = q.has_limit()
            && match (q.cfg.quorum, q.cfg.overflow()) {
                (true, Overflow::RejectPublish) => from.is_some_and(|f| !q.admits(f)),
                (true, _) => false,
                (false, _) => q.would_overflow(msg.body.len() as u64),
            };
        if full {
            match q.cfg.overflow() {
                Overflow::RejectPublish => {
                    self.emit(EventKind::Dropped {
                        msg: msg.id,
                        queue: qname.clone(),
                        reason: DropReason::RejectPublish,
                    });
                    return false;
                }
                Overflow::RejectPublishDlx => {
                    let e = Entry {
                        seq: 0,
                        msg,
                        expires: u64::MAX,
                        delivered: false,
                        level: 0,
                        delivery_count: 0,
                    };
                    self.dead_letter(qname, e, DeathReason::MaxLen, DropReason::RejectPublish);
                    return false;
                }
                Overflow::DropHead => {}
            }
        }
        let ttl = match (
            q.cfg.message_ttl,
            msg.properties
                .expiration
                .as_deref()
                .and_then(|e| parse_expiration(e).ok()),
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut entry = Entry {
            seq: q.next_seq(),
            expires: ttl.map_or(u64::MAX, |t| self.now.saturating_add(t)),
            delivered: false,
            level: q.level_of(msg.properties.priority),
            delivery_count: 0,
            msg,
        };
        let (now, msg, queue) = (self.now, entry.msg.id, qname.clone());
        push_event(&mut self.events, || Event {
            at: now,
            kind: EventKind::Enqueued { msg, queue },
        });
        if q.is_empty() {
            let mut slot = Some(entry);
            if deliver_next(q, &mut self.conns, &mut self.events, self.now, &mut slot) {
                return true;
            }
            entry = slot.expect("not delivered");
        }
        q.push(entry);
        self.maybe_drop_head(qname);
        self.drop_expired(qname);
        self.refresh_timers(qname);
        true
    }

    fn maybe_drop_head(&mut self, qname: &Name) {
        loop {
            let Some(q) = self.queues.get_mut(qname) else {
                return;
            };
            if q.cfg.overflow() != Overflow::DropHead || !q.over_limit() {
                return;
            }
            let e = q.pop().expect("over the limit, so not empty");
            self.dead_letter(qname, e, DeathReason::MaxLen, DropReason::MaxLength);
        }
    }

    /// Drop expired messages from the head (semantics §4.7).
    fn drop_expired(&mut self, qname: &Name) {
        loop {
            let Some(q) = self.queues.get_mut(qname) else {
                return;
            };
            let now = self.now;
            if q.head().is_none_or(|h| h.expires_at().is_none_or(|t| t > now)) {
                return;
            }
            let e = q.pop().expect("has a head");
            self.emit(EventKind::Expired {
                msg: e.msg.id,
                queue: qname.clone(),
            });
            self.dead_letter(qname, e, DeathReason::Expired, DropReason::Expired);
        }
    }

    /// Dead-letter a message that left `qname` (semantics §4.10), or drop it with `otherwise`.
    fn dead_letter(&mut self, qname: &Name, e: Entry, reason: DeathReason, otherwise: DropReason) {
        let q = self.queues.get(qname);
        let (dlx, dlrk) = match q {
            Some(q) => (q.cfg.dlx.clone(), q.cfg.dlrk.clone()),
            None => (None, None),
        };
        let Some(dlx) = dlx.filter(|x| self.exchanges.contains_key(x)) else {
            let reason = if q.and_then(|q| q.cfg.dlx.as_ref()).is_some() {
                DropReason::DeadLetterUnroutable
            } else {
                otherwise
            };
            self.emit(EventKind::Dropped {
                msg: e.msg.id,
                queue: qname.clone(),
                reason,
            });
            return;
        };
        self.next_msg += 1;
        let new = Rc::new(deadletter::make_message(
            &e.msg,
            MsgId(self.next_msg),
            reason,
            &dlx,
            dlrk.as_ref(),
            qname,
            self.now / 1000,
        ));
        self.emit(EventKind::DeadLettered {
            msg: e.msg.id,
            new_msg: new.id,
            queue: qname.clone(),
            exchange: dlx.clone(),
            reason,
            message: new.clone(),
        });
        let mut queues = self.route(&dlx, &new);
        if reason != DeathReason::Rejected {
            queues.retain(|target| !deadletter::is_cycle(target, &new));
        }
        if queues.is_empty() {
            self.emit(EventKind::Dropped {
                msg: new.id,
                queue: qname.clone(),
                reason: DropReason::DeadLetterCycle,
            });
            self.recycle(queues);
            return;
        }
        for target in &queues {
            self.enqueue(target, new.clone(), None);
        }
        self.recycle(queues);
    }

    // ---- delivery ----------------------------------------------------------------------------

    fn mark_dirty(&mut self, q: &Name) {
        if !self.dirty.contains(q) {
            self.dirty.push(q.clone());
        }
    }

    /// Deliver what can be delivered, queue by queue, until nothing moves.
    #[inline(always)]
    fn run_dirty(&mut self) {
        if !self.dirty.is_empty() {
            self.dispatch_dirty();
        }
    }

    fn dispatch_dirty(&mut self) {
        while !self.dirty.is_empty() {
            let q = self.dirty.remove(0);
            self.dispatch(&q);
        }
    }

    fn dispatch(&mut self, qname: &Name) {
        loop {
            self.drop_expired(qname);
            let Some(q) = self.queues.get_mut(qname) else {
                return;
            };
            if q.is_empty() {
                break;
            }
            if !deliver_next(q, &mut self.conns, &mut self.events, self.now, &mut None) {
                break;
            }
        }
        self.refresh_timers(qname);
    }

    fn basic_get(&mut self, conn: ConnId, ch: u16, qname: &Name, no_ack: bool) -> R<Reply> {
        self.lookup_queue(conn, qname)?;
        let q = &self.queues[qname];
        if q.cfg.quorum && q.cfg.single_active_consumer {
            // rabbit_quorum_queue:basic_get/5
            return Err(AmqpError::resource_locked(format!(
                "cannot obtain access to locked {}. basic.get operations are not supported by quorum queues with single active consumer",
                self.rs_queue(qname)
            )));
        }
        let id = q.id;
        self.touch(id);
        self.drop_expired(qname);
        let q = self.queues.get_mut(qname).expect("checked");
        let Some(mut e) = q.pop() else {
            self.emit(EventKind::GetEmpty {
                conn,
                ch,
                queue: qname.clone(),
            });
            return Ok(Reply::GetEmpty);
        };
        // get-ok's message_count is taken after expired messages at the new head are dropped
        self.drop_expired(qname);
        let q = self.queues.get_mut(qname).expect("checked");
        let message_count = q.len();
        let chan = self
            .conns
            .get_mut(&conn)
            .and_then(|c| c.channels.get_mut(&ch))
            .expect("open");
        let tag = chan.next_tag;
        chan.next_tag += 1;
        let redelivered = e.delivered;
        let msg = shown(q, &e, true);
        if !no_ack {
            q.unacked += 1;
            if q.cfg.quorum {
                q.unsettled_gets += 1;
            }
            e.delivered = true;
            chan.pending.push_back(Pending {
                tag,
                queue: qname.clone(),
                queue_id: q.id,
                entry: e,
                consumer: None,
            });
        }
        self.emit(EventKind::Delivered {
            msg: msg.id,
            queue: qname.clone(),
            conn,
            ch,
            consumer_tag: None,
            delivery_tag: tag,
            redelivered,
            auto_ack: no_ack,
            message: msg.clone(),
            message_count: Some(u32::try_from(message_count).unwrap_or(u32::MAX)),
        });
        self.refresh_timers(qname);
        Ok(Reply::GetOk {
            delivery_tag: tag,
            redelivered,
            message_count,
            message: msg,
        })
    }

    /// ack (`requeue: None`), nack or reject (`Some(requeue)`), following `collect_acks`.
    fn settle(&mut self, conn: ConnId, ch: u16, tag: u64, multiple: bool, nack: Option<bool>) -> R<()> {
        let c = self.chan(conn, ch);
        let taken: Vec<Pending> = if tag == 0 && multiple {
            c.pending.drain(..).collect()
        } else {
            let at = c.pending.partition_point(|p| p.tag < tag);
            if c.pending.get(at).is_none_or(|p| p.tag != tag) {
                return Err(AmqpError::precondition_failed(format!("unknown delivery tag {tag}")));
            }
            if multiple {
                c.pending.drain(..=at).collect()
            } else {
                // acks come in delivery order most often: the oldest is the front
                let p = if at == 0 {
                    c.pending.pop_front()
                } else {
                    c.pending.remove(at)
                }
                .expect("found");
                if nack.is_none() {
                    // the common case, a single ack: no list to build, the channel at hand
                    c.release(&p);
                    let may_unblock = c.may_unblock;
                    release_queue(&mut self.queues, &p);
                    let now = self.now;
                    push_event(&mut self.events, || Event {
                        at: now,
                        kind: acked(conn, ch, p),
                    });
                    if may_unblock {
                        self.unblock_channel(conn, ch);
                    }
                    return Ok(());
                }
                vec![p]
            }
        };
        let mut requeued: Vec<Name> = Vec::new();
        for p in taken {
            self.release(conn, ch, &p);
            let live = self.queues.get(&p.queue).is_some_and(|q| q.id == p.queue_id);
            match nack {
                None => self.emit(acked(conn, ch, p)),
                Some(requeue) => {
                    self.emit(EventKind::Nacked {
                        msg: p.entry.msg.id,
                        queue: p.queue.clone(),
                        conn,
                        ch,
                        delivery_tag: p.tag,
                        requeue,
                    });
                    if !live {
                        continue;
                    }
                    if requeue {
                        if self.return_entry(&p.queue, p.queue_id, p.entry, true) && !requeued.contains(&p.queue) {
                            requeued.push(p.queue.clone());
                        }
                    } else {
                        self.dead_letter(&p.queue, p.entry, DeathReason::Rejected, DropReason::Rejected);
                    }
                }
            }
        }
        for q in requeued {
            self.after_requeue(&q);
        }
        self.unblock_channel(conn, ch);
        Ok(())
    }

    /// Bookkeeping when a delivery is settled or returned: counts for the queue and consumer.
    fn release(&mut self, conn: ConnId, ch: u16, p: &Pending) {
        release_queue(&mut self.queues, p);
        if p.consumer.is_some() {
            self.chan(conn, ch).release(p);
        }
    }

    fn after_requeue(&mut self, q: &Name) {
        self.drop_expired(q);
        self.maybe_drop_head(q);
        self.refresh_timers(q);
        self.mark_dirty(q);
    }

    /// A delivered message comes back to its queue (`requeued`: by nack or reject with requeue or
    /// recover; else because its channel closed): a classic queue puts it at its original
    /// position; a quorum queue counts the delivery and dead-letters it past `x-delivery-limit`,
    /// else takes it back ([`Queue::return_quorum`]). True when the message is ready again.
    fn return_entry(&mut self, qname: &Name, queue_id: u64, mut entry: Entry, requeued: bool) -> bool {
        let Some(q) = self.queues.get_mut(qname).filter(|q| q.id == queue_id) else {
            return false;
        };
        let id = entry.msg.id;
        if q.cfg.quorum {
            entry.delivery_count += 1;
            if q.cfg.delivery_limit.is_some_and(|l| entry.delivery_count as u64 > l) {
                self.dead_letter(qname, entry, DeathReason::DeliveryLimit, DropReason::DeliveryLimit);
                return false;
            }
            q.return_quorum(entry, requeued);
        } else {
            q.requeue(entry);
        }
        self.emit(EventKind::Requeued {
            msg: id,
            queue: qname.clone(),
        });
        true
    }

    /// Return every unacknowledged delivery of a channel to its queue (`basic.recover`).
    fn requeue_channel(&mut self, conn: ConnId, ch: u16) {
        let pending: Vec<Pending> = self.chan(conn, ch).pending.drain(..).collect();
        let mut queues: Vec<Name> = Vec::new();
        for p in pending {
            self.release(conn, ch, &p);
            if self.return_entry(&p.queue, p.queue_id, p.entry, true) && !queues.contains(&p.queue) {
                queues.push(p.queue);
            }
        }
        for q in queues {
            self.after_requeue(&q);
        }
        self.unblock_channel(conn, ch);
    }

    /// Consumers of this channel that were blocked and can now take messages go back into their
    /// queues' rotation, at the back (`rabbit_queue_consumers:unblock/2`).
    fn unblock_channel(&mut self, conn: ConnId, ch: u16) {
        let Some(chan) = self.conns.get_mut(&conn).and_then(|c| c.channels.get_mut(&ch)) else {
            return;
        };
        if !chan.may_unblock {
            return;
        }
        let queues = &self.queues;
        let waiting = |c: &Consumer| {
            queues
                .get(&c.queue)
                .is_some_and(|q| !q.blocked.is_empty() || q.cfg.single_active_consumer)
        };
        if !chan.consumers.values().any(waiting) {
            chan.may_unblock = false;
            return;
        }
        let mut queues: Vec<Name> = chan.consumers.values().map(|c| c.queue.clone()).collect();
        crate::sort::heapsort(&mut queues);
        queues.dedup();
        for qn in queues {
            let Some(q) = self.queues.get_mut(&qn) else {
                continue;
            };
            let mut moved = false;
            let mut i = 0;
            while i < q.blocked.len() {
                let k = &q.blocked[i];
                if k.conn == conn && k.ch == ch && can_accept(&self.conns, k) {
                    let k = q.blocked.remove(i);
                    q.activate(k);
                    moved = true;
                } else {
                    i += 1;
                }
            }
            if moved || q.cfg.single_active_consumer {
                self.mark_dirty(&qn);
            }
        }
    }

    // ---- closing -----------------------------------------------------------------------------

    fn close_channel_inner(&mut self, conn: ConnId, ch: u16, error: Option<AmqpError>) {
        let Some(c) = self.conns.get_mut(&conn).and_then(|c| c.channels.get_mut(&ch)) else {
            return;
        };
        let consumers: Vec<(Name, Consumer)> = std::mem::take(&mut c.consumers).into_iter().collect();
        if let Some((_, suffix)) = c.reply_consumer.take() {
            self.reply_routes.remove(&suffix);
        }
        // Unacked deliveries go back first, then the consumers go (an auto-delete queue may then go).
        let pending: Vec<Pending> = c.pending.drain(..).collect();
        let mut queues: Vec<Name> = Vec::new();
        for p in pending {
            if let Some(q) = self.queues.get_mut(&p.queue).filter(|q| q.id == p.queue_id) {
                q.settled(p.consumer.is_none());
            }
            if self.return_entry(&p.queue, p.queue_id, p.entry, false) && !queues.contains(&p.queue) {
                queues.push(p.queue);
            }
        }
        for (tag, cons) in &consumers {
            self.remove_consumer_from_queue(conn, ch, tag, cons);
        }
        self.conns.get_mut(&conn).expect("open").channels.remove(&ch);
        for q in self.queues.values_mut_unordered() {
            q.forget_enqueuer(conn, ch);
        }
        for q in queues {
            self.after_requeue(&q);
        }
        self.emit(EventKind::ChannelClosed { conn, ch, error });
    }

    fn close_connection_inner(&mut self, conn: ConnId, error: Option<AmqpError>) {
        let Some(c) = self.conns.get(&conn) else {
            return;
        };
        let chans: Vec<u16> = c.channels.keys().copied().collect();
        for ch in chans {
            self.close_channel_inner(conn, ch, None);
        }
        let owned: Vec<Name> = self
            .queues
            .values()
            .filter(|q| q.exclusive_owner == Some(conn))
            .map(|q| q.name.clone())
            .collect();
        for q in owned {
            self.delete_queue(&q, QueueGone::OwnerClosed);
        }
        self.conns.remove(&conn);
        self.emit(EventKind::ConnectionClosed { conn, error });
    }

    /// Restart the broker (semantics §4.6): connections close; durable exchanges, queues and
    /// bindings between durable ends survive, and in durable queues only persistent messages.
    pub fn restart(&mut self, now: u64) {
        self.close_connections_of(now, None, None);
        let transient: Vec<Name> = self
            .queues
            .values()
            .filter(|q| !q.durable)
            .map(|q| q.name.clone())
            .collect();
        for q in transient {
            self.delete_queue(&q, QueueGone::Restart);
        }
        let xs: Vec<Name> = self
            .exchanges
            .values()
            .filter(|x| !x.durable)
            .map(|x| x.name.clone())
            .collect();
        for x in xs {
            // a restart is not an auto-delete: bindings to durable exchanges from it just vanish
            self.delete_exchange(&x, false);
        }
        let names: Vec<Name> = self.queues.keys().cloned().collect();
        for n in names {
            let q = self.queues.get_mut(&n).expect("listed");
            let kept: Vec<Entry> = q.drain();
            let mut lost = Vec::new();
            for e in kept {
                if e.msg.properties.persistent() || q.cfg.quorum {
                    q.push(e);
                } else {
                    lost.push(e.msg.id);
                }
            }
            q.last_used = self.now;
            for id in lost {
                self.emit(EventKind::Dropped {
                    msg: id,
                    queue: n.clone(),
                    reason: DropReason::Restart,
                });
            }
            self.refresh_timers(&n);
        }
        self.reply_routes.clear();
        self.predeclare();
        self.emit(EventKind::Restarted);
    }

    // ---- time --------------------------------------------------------------------------------

    /// Let simulated time pass up to `now`, firing TTLs and queue expiry at their instants.
    #[inline]
    pub fn advance(&mut self, now: u64) {
        if self.timers.first().is_some_and(|&(at, ..)| at <= now) {
            self.fire_timers(now);
        }
        self.now = self.now.max(now);
    }

    /// Fire the timers due by `now`, in order.
    fn fire_timers(&mut self, now: u64) {
        while let Some(&(at, qid, kind)) = self.timers.first() {
            if at > now {
                break;
            }
            self.timers.pop_first();
            self.now = self.now.max(at);
            let Some(name) = self.queue_by_id.get(&qid).cloned() else {
                continue;
            };
            match kind {
                Timer::Head => {
                    if let Some(q) = self.queues.get_mut(&name) {
                        q.head_timer = None;
                    }
                    self.drop_expired(&name);
                    self.refresh_timers(&name);
                }
                Timer::Lease => {
                    if let Some(q) = self.queues.get_mut(&name) {
                        q.expiry_timer = None;
                        if q.registered.is_empty()
                            && q.cfg.expires.is_some_and(|e| q.last_used.saturating_add(e) <= self.now)
                        {
                            self.delete_queue(&name, QueueGone::Expired);
                            continue;
                        }
                    }
                    self.refresh_timers(&name);
                }
            }
            self.run_dirty();
        }
    }

    /// Keep a queue's timers in step with its head message and its lease.
    fn refresh_timers(&mut self, qname: &Name) {
        let Some(q) = self.queues.get_mut(qname) else {
            return;
        };
        let head = q.head().and_then(|h| h.expires_at());
        if head != q.head_timer {
            if let Some(t) = q.head_timer {
                self.timers.remove(&(t, q.id, Timer::Head));
            }
            if let Some(t) = head {
                self.timers.insert((t, q.id, Timer::Head));
            }
            q.head_timer = head;
        }
        let lease = match q.cfg.expires {
            Some(e) if q.registered.is_empty() => Some(q.last_used.saturating_add(e)),
            _ => None,
        };
        if lease != q.expiry_timer {
            if let Some(t) = q.expiry_timer {
                self.timers.remove(&(t, q.id, Timer::Lease));
            }
            if let Some(t) = lease {
                self.timers.insert((t, q.id, Timer::Lease));
            }
            q.expiry_timer = lease;
        }
    }
}

/// What routing through the exchange graph reads and writes: borrowed apart from the rest of
/// the broker, so a publish routes from the exchange it has already looked up.
struct Graph<'a> {
    exchanges: &'a NameMap<Exchange>,
    queues: &'a NameMap<Queue>,
    events: &'a mut Vec<Event>,
    scratch: &'a mut (Vec<Name>, Vec<Name>, Vec<Dest>),
    now: u64,
}

impl Graph<'_> {
    /// The queues a message published to `x` reaches (semantics §2.7, §2.8, §10), sorted and
    /// each once, in `out` (emptied first). Emits a `Routed` event per hop.
    fn route(self, x: &Exchange, msg: &Rc<Message>, mut out: Vec<Name>) -> Vec<Name> {
        out.clear();
        let headers = msg.properties.headers.as_ref();
        // The common case first: an exchange whose matches are all queues, one hop.
        let exchange = &x.name;
        let mut dests = std::mem::take(&mut self.scratch.2);
        dests.clear();
        x.route(&msg.routing_keys, headers, &mut dests);
        if !dests.is_empty() && dests.iter().all(|d| matches!(d, Dest::Queue(_))) {
            if dests.len() > 1 {
                crate::sort::heapsort(&mut dests);
                dests.dedup();
            }
            for d in dests.drain(..) {
                let Dest::Queue(q) = d else {
                    continue;
                };
                // a binding's queue exists: deleting a queue removes the bindings to it
                debug_assert!(self.queues.contains_key(&q), "binding to a missing queue");
                out.push(q.clone());
                routed(self.events, self.now, msg.id, exchange, Dest::Queue(q), false);
            }
            self.scratch.2 = dests;
            return out;
        }
        // `dests` holds the first exchange's matches already: the walk starts from them
        let (mut visited, mut work, _) = std::mem::take(self.scratch);
        visited.clear();
        work.clear();
        visited.push(exchange.clone());
        let mut first = Some(x);
        loop {
            let (xn, x) = match first.take() {
                Some(x) => (exchange.clone(), x),
                None => {
                    let Some(xn) = work.pop() else {
                        break;
                    };
                    let Some(x) = self.exchanges.get(&xn) else {
                        continue;
                    };
                    dests.clear();
                    x.route(&msg.routing_keys, headers, &mut dests);
                    (xn, x)
                }
            };
            if dests.len() > 1 {
                crate::sort::heapsort(&mut dests);
                dests.dedup();
            }
            if dests.is_empty() {
                if let Some(ae) = x.alternate() {
                    if self.exchanges.contains_key(ae) && !visited.iter().any(|v| &**v == ae) {
                        let ae: Name = self.exchanges.get_key_value(ae).expect("checked").0.clone();
                        routed(self.events, self.now, msg.id, &xn, Dest::Exchange(ae.clone()), true);
                        visited.push(ae.clone());
                        work.push(ae);
                    }
                }
                continue;
            }
            for d in dests.drain(..) {
                routed(self.events, self.now, msg.id, &xn, d.clone(), false);
                match d {
                    Dest::Queue(q) => out.push(q),
                    Dest::Exchange(e) => {
                        if !visited.contains(&e) {
                            visited.push(e.clone());
                            work.push(e);
                        }
                    }
                }
            }
        }
        if out.len() > 1 {
            crate::sort::heapsort(&mut out);
            out.dedup();
        }
        debug_assert!(
            out.iter().all(|q| self.queues.contains_key(q)),
            "binding to a missing queue"
        );
        visited.clear();
        *self.scratch = (visited, work, dests);
        out
    }
}

/// The routing keys and properties of a new message, shared with the last message published
/// when they are the same.
fn share(
    last_shared: &mut Option<(Rc<[Name]>, Rc<Properties>)>,
    key: Name,
    cc: Vec<Name>,
    props: Rc<Properties>,
) -> (Rc<[Name]>, Rc<Properties>) {
    let last = last_shared.take();
    let keys = match &last {
        // `Name` equality compares addresses
        Some((k, _)) if cc.is_empty() && k.len() == 1 && k[0] == key => k.clone(),
        _ => std::iter::once(key).chain(cc).collect(),
    };
    let props = match last {
        Some((_, p)) if Rc::ptr_eq(&p, &props) || *p == *props => p,
        _ => props,
    };
    *last_shared = Some((keys.clone(), props.clone()));
    (keys, props)
}

/// The `Acked` event of the delivery `p` on channel `ch` of `conn`.
#[inline(always)]
fn acked(conn: ConnId, ch: u16, p: Pending) -> EventKind {
    EventKind::Acked {
        msg: p.entry.msg.id,
        queue: p.queue,
        conn,
        ch,
        delivery_tag: p.tag,
    }
}

/// A delivery `p` is settled or returned: one fewer unacknowledged in its queue, if that queue
/// is still the one it came from.
#[inline]
fn release_queue(queues: &mut NameMap<Queue>, p: &Pending) {
    if let Some(q) = queues.get_mut(&p.queue).filter(|q| q.id == p.queue_id) {
        q.settled(p.consumer.is_none());
    }
}

/// Append the event `make` builds. `resize_with` makes room before `make` runs, so the event is
/// written into the buffer where it stays: one built first and then pushed is copied from the
/// stack, and on x86 that copy's wide loads stall on the narrow stores that built it (a large
/// part of a message's time when it was so).
#[inline(always)]
fn push_event(events: &mut Vec<Event>, make: impl FnOnce() -> Event) {
    let mut make = Some(make);
    events.resize_with(events.len() + 1, || (make.take().expect("called once"))());
}

/// A `Routed` event: `msg` went from the exchange `from` to `to` (`alternate` when through
/// `from`'s alternate exchange).
fn routed(events: &mut Vec<Event>, at: u64, msg: MsgId, from: &Name, to: Dest, alternate: bool) {
    let from = from.clone();
    push_event(events, || Event {
        at,
        kind: EventKind::Routed {
            msg,
            from,
            to,
            alternate,
        },
    });
}

/// Why `queue.delete` / `rabbitmqctl delete_queue` with `if_unused` / `if_empty` refuses to
/// delete `q` (`not empty` is checked first), if it does.
fn delete_refused(q: &Queue, if_unused: bool, if_empty: bool) -> Option<&'static str> {
    if if_empty && !q.is_empty() {
        Some("not empty")
    } else if if_unused && q.consumer_count() > 0 {
        Some("in use")
    } else {
        None
    }
}

/// The message as a client receives it from `q`: a quorum queue adds `x-delivery-count` to
/// every `basic.get` (`rabbit_quorum_queue:dequeue/4`), but to a consumer's delivery only once
/// the message has been returned (`rabbit_fifo_client:add_delivery_count_header/2` adds it only
/// when the message's header holds a count, which its first return puts there).
fn shown(q: &Queue, e: &Entry, get: bool) -> Rc<Message> {
    if !q.cfg.quorum || (!get && e.delivery_count == 0) {
        return e.msg.clone();
    }
    let mut m = (*e.msg).clone();
    Rc::make_mut(&mut m.properties)
        .headers
        .get_or_insert_with(FieldTable::new)
        .insert(
            "x-delivery-count".into(),
            FieldValue::Int(crate::field::IntType::Long, e.delivery_count as i64),
        );
    Rc::new(m)
}

/// May this consumer take one more message now ([`Consumer::can_take`])?
fn can_accept(conns: &VecMap<ConnId, Connection>, k: &ConsumerKey) -> bool {
    let Some(chan) = conns.get(&k.conn).and_then(|c| c.channels.get(&k.ch)) else {
        return false;
    };
    chan.consumers
        .get(&k.tag)
        .is_some_and(|c| c.can_take(chan.global_room()))
}

/// Deliver the next message of `q` (`entry`, or else the queue's head) to the consumer it goes
/// to (`rabbit_queue_consumers:deliver/3`): the first of the highest priority that can take it,
/// which then moves to the back of its priority; consumers that cannot are set aside as blocked.
/// With single active consumer only the first registered one. The consumer gets a delivery tag
/// on its channel, the delivery is pending until settled (unless auto-ack), and a `Delivered`
/// event says so. False when no consumer can take it (`entry` is left as it was).
fn deliver_next(
    q: &mut Queue,
    conns: &mut VecMap<ConnId, Connection>,
    events: &mut Vec<Event>,
    now: u64,
    entry: &mut Option<Entry>,
) -> bool {
    let single = q.cfg.single_active_consumer;
    loop {
        // the first in line, left in its place until it takes the message or is set aside
        let key = if single {
            q.registered.first().cloned()
        } else {
            q.active.front().cloned()
        };
        let Some(key) = key else {
            return false;
        };
        // `can_accept`, keeping the channel and consumer for the delivery
        let Some(chan) = conns.get_mut(&key.conn).and_then(|c| c.channels.get_mut(&key.ch)) else {
            if single {
                return false;
            }
            q.block_front();
            continue;
        };
        let room = chan.global_room();
        let consumer = chan.consumers.get_mut(&key.tag).filter(|c| c.can_take(room));
        let Some(consumer) = consumer else {
            if single {
                return false;
            }
            chan.may_unblock = true;
            q.block_front();
            continue;
        };
        let Some(mut e) = entry.take().or_else(|| q.pop()) else {
            return false;
        };
        if !single {
            q.rotate_front();
        }
        let tag = chan.next_tag;
        chan.next_tag += 1;
        let redelivered = e.delivered;
        let auto_ack = consumer.no_ack;
        let msg = shown(q, &e, false);
        if !auto_ack {
            consumer.unacked += 1;
            chan.limited += 1;
            q.unacked += 1;
            e.delivered = true;
            chan.pending.push_back(Pending {
                tag,
                queue: q.name.clone(),
                queue_id: q.id,
                entry: e,
                consumer: Some(key.tag.clone()),
            });
        }
        let queue = q.name.clone();
        push_event(events, || Event {
            at: now,
            kind: EventKind::Delivered {
                msg: msg.id,
                queue,
                conn: key.conn,
                ch: key.ch,
                consumer_tag: Some(key.tag),
                delivery_tag: tag,
                redelivered,
                auto_ack,
                message: msg,
                message_count: None,
            },
        });
        return true;
    }
}
