//! The broker of one virtual host: RabbitMQ 3.10's rules, simulated time (the vhosts, users and
//! permissions around it are [`crate::server::Server`]'s).
//!
//! This file holds the broker's state and the dispatch of each AMQP method to its rule; each
//! rule is a file of its own, named after it:
//! - declaring: `exchange.rs` (exchange types and their declare and delete rules), `queue_declare.rs`, `queue_arguments.rs` (what `x-` arguments mean
//!   and when a second declare is equivalent), `bindings.rs`; the permissions each method needs: `permissions.rs`;
//! - a message's way: `publish.rs`, `routing.rs` (with `preview.rs`, the same route without
//!   effects), `overflow.rs` (length limits), `ttl.rs` (message TTL, queue expiry, timers),
//!   `dead_letter.rs`; the exchange types' matching: `topic.rs`, `headers.rs`; what a queue
//!   holds: `queue.rs`;
//! - consuming: `consumers.rs`, `prefetch.rs` (consumer admission), `delivery.rs`, `acks.rs`;
//! - the rest of a queue's or the broker's life: `queue_deletion.rs`, `connections.rs`,
//!   `restart.rs`.

use crate::access::{Perm, Permissions};
use crate::error::AmqpError;
use crate::event::{DeathReason, DropReason, Event, EventKind, QueueGone};
use crate::exchange::{Binding, Dest, Exchange, ExchangeKind};
use crate::field::{FieldTable, FieldValue};
use crate::message::{Entry, Message, MsgId, Name, Properties};
use crate::method::{Method, Reply};
use crate::names::{NameMap, VecMap, VecSet};
use crate::queue::{ConnId, ConsumerKey, Overflow, Queue, QueueConfig};
use crate::rng::{base64_std, Rng};
use crate::version::{Difference, Met, Rules, Version};
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
    /// Which RabbitMQ's rules it follows.
    version: Version,
    /// The places where the versions differ that it met (see [`Broker::take_differences`]).
    met: Met,
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

mod acks;
mod bindings;
mod connections;
mod consumers;
mod dead_letter;
mod delivery;
pub mod exchange;
pub mod headers;
mod overflow;
mod permissions;
mod prefetch;
mod preview;
mod publish;
pub mod queue;
mod queue_arguments;
mod queue_declare;
mod queue_deletion;
pub use exchange::LOG_EXCHANGE;
pub use queue_deletion::not_found_for_ctl;
mod restart;
mod routing;
pub mod topic;
mod ttl;

use acks::Return;
use delivery::deliver_next;
use queue_arguments::*;
use routing::{share, Graph};
use ttl::parse_expiration;

type R<T> = Result<T, AmqpError>;

fn strip_crlf(s: &str) -> String {
    s.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

impl Broker {
    /// A broker with the pre-declared exchanges (semantics §2.1); `seed` fixes generated names.
    pub fn new(seed: u64) -> Broker {
        Broker::for_vhost(seed, "/")
    }

    /// The broker of virtual host `vhost` (its generated names are forked by the vhost's name).
    pub fn for_vhost(seed: u64, vhost: &str) -> Broker {
        Broker::with_version(seed, vhost, Version::default())
    }

    /// The broker of vhost `vhost` following RabbitMQ `version`'s rules.
    pub fn with_version(seed: u64, vhost: &str, version: Version) -> Broker {
        let label = |what: &str| {
            if vhost == "/" {
                what.to_string()
            } else {
                format!("{what}@{vhost}")
            }
        };
        let mut b = Broker {
            version,
            met: Met::default(),
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
        self.predeclare_log_exchange();
    }

    /// Which RabbitMQ's rules it follows.
    pub fn version(&self) -> Version {
        self.version
    }

    /// Whether it follows 4.x at `d`, noting that it met `d`.
    fn four(&self, d: Difference) -> bool {
        self.rules().four(d)
    }

    fn rules(&self) -> Rules<'_> {
        self.met.rules(self.version)
    }

    /// The places where 3.10 and 4.3 differ that it met since it was last asked: the rules that
    /// asked which version they follow (what a comparison of the two gives as the reasons).
    pub fn take_differences(&self) -> Vec<Difference> {
        self.met.take()
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
            Method::BasicAck { delivery_tag, multiple } => self
                .settle(conn, ch, delivery_tag, multiple, None, false)
                .map(|_| Reply::None),
            Method::BasicNack {
                delivery_tag,
                multiple,
                requeue,
            } => self
                .settle(conn, ch, delivery_tag, multiple, Some(requeue), false)
                .map(|_| Reply::None),
            Method::BasicReject { delivery_tag, requeue } => self
                .settle(conn, ch, delivery_tag, false, Some(requeue), true)
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

    // ---- queues ------------------------------------------------------------------------------

    // ---- consumers ---------------------------------------------------------------------------

    // ---- publishing --------------------------------------------------------------------------

    // ---- delivery ----------------------------------------------------------------------------

    // ---- closing -----------------------------------------------------------------------------

    // ---- time --------------------------------------------------------------------------------
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
