//! The event stream: past-tense facts, each stamped with the simulated instant it happened at.
//!
//! Every call into the [`Broker`](crate::Broker) appends events; drain them with
//! [`Broker::drain_events`](crate::Broker::drain_events) after each call. Within one call, events
//! come in causal order: a `Published` is followed by its `Routed` hops (exchange to exchange to
//! queue), then `Enqueued` in each queue (or `Unroutable`/`Returned`), then any `Delivered`, then the
//! publisher's `Confirmed`. Messages are identified by [`MsgId`]; a message in several queues keeps
//! its id, so the UI addresses one copy as `(msg, queue)`. Dead-lettering republishes a message
//! under a new id (`DeadLettered { msg, new_msg }`).

use crate::error::AmqpError;
use crate::exchange::Dest;
use crate::field::FieldTable;
use crate::message::{Message, MsgId, Name};
use crate::queue::ConnId;
use std::rc::Rc;

/// One fact, at simulated time `at` (milliseconds since the scenario began).
#[derive(Clone, Debug)]
pub struct Event {
    pub at: u64,
    pub kind: EventKind,
}

/// Why a message left a queue without being delivered or dead-lettered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// `x-max-length`/`-bytes` with drop-head and no dead-letter exchange.
    MaxLength,
    /// Refused on arrival by a full queue with `reject-publish(-dlx)`.
    RejectPublish,
    /// `basic.nack`/`basic.reject` without requeue and no dead-letter exchange.
    Rejected,
    /// Expired with no dead-letter exchange.
    Expired,
    /// Returned more often than a quorum queue's `x-delivery-limit`, with no dead-letter exchange.
    DeliveryLimit,
    /// Dead-lettering would have looped back without a rejection (semantics §4.10).
    DeadLetterCycle,
    /// The dead-letter exchange does not exist, or routed the message nowhere.
    DeadLetterUnroutable,
    /// The queue was purged.
    Purged,
    /// The queue was deleted with the message in it.
    QueueDeleted,
    /// The broker restarted: a transient message, or any message of a transient queue.
    Restart,
}

/// Why a message was dead-lettered (the `reason` of its `x-death` entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeathReason {
    Rejected,
    Expired,
    MaxLen,
    /// A quorum queue's `x-delivery-limit` was exceeded.
    DeliveryLimit,
}

impl DeathReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DeathReason::Rejected => "rejected",
            DeathReason::Expired => "expired",
            DeathReason::MaxLen => "maxlen",
            DeathReason::DeliveryLimit => "delivery_limit",
        }
    }
}

/// Why a queue went away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueGone {
    /// `queue.delete`.
    Deleted,
    /// Auto-delete: its last consumer went.
    AutoDeleted,
    /// Exclusive: its connection closed.
    OwnerClosed,
    /// `x-expires`: unused for that long.
    Expired,
    /// Transient queue lost in a broker restart.
    Restart,
}

/// What happened. Each variant names the ids the UI needs to animate it.
#[derive(Clone, Debug)]
pub enum EventKind {
    /// A client connection opened.
    ConnectionOpened { conn: ConnId },
    /// A connection closed: by the client (`error: None`) or by the broker with a connection error.
    ConnectionClosed { conn: ConnId, error: Option<AmqpError> },
    /// A channel opened.
    ChannelOpened { conn: ConnId, ch: u16 },
    /// A channel closed: by the client, with its connection, or by a channel error.
    ChannelClosed {
        conn: ConnId,
        ch: u16,
        error: Option<AmqpError>,
    },
    /// An exchange was created.
    ExchangeDeclared { exchange: Name },
    /// An exchange was deleted (`auto` when auto-delete removed it).
    ExchangeDeleted { exchange: Name, auto: bool },
    /// A queue was created.
    QueueDeclared { queue: Name },
    /// A queue went away.
    QueueDeleted { queue: Name, why: QueueGone },
    /// A binding was added (`source` to `dest` with `key` and `arguments`).
    Bound {
        source: Name,
        dest: Dest,
        key: Name,
        arguments: FieldTable,
    },
    /// A binding was removed.
    Unbound {
        source: Name,
        dest: Dest,
        key: Name,
        arguments: FieldTable,
    },
    /// A consumer started on a queue.
    ConsumerAdded {
        conn: ConnId,
        ch: u16,
        queue: Name,
        consumer_tag: Name,
    },
    /// A consumer stopped (cancel, channel or connection close, queue deleted).
    ConsumerRemoved {
        conn: ConnId,
        ch: u16,
        queue: Name,
        consumer_tag: Name,
    },
    /// A client published a message to `exchange` (`conn`/`ch` say who; `seq` is its confirm
    /// sequence number in confirm mode).
    Published {
        msg: MsgId,
        conn: ConnId,
        ch: u16,
        exchange: Name,
        seq: Option<u64>,
        message: Rc<Message>,
    },
    /// One hop of routing: `from` (an exchange) passed the message to `to`. `alternate` marks the
    /// hop to an alternate exchange. A queue reached along several paths still gets one copy.
    Routed {
        msg: MsgId,
        from: Name,
        to: Dest,
        alternate: bool,
    },
    /// No queue took the message (it is dropped, or returned if mandatory).
    Unroutable { msg: MsgId, exchange: Name },
    /// A copy of the message was stored in `queue` (ready).
    Enqueued { msg: MsgId, queue: Name },
    /// A message was sent to a consumer (`consumer_tag`) or handed out by `basic.get`
    /// (`consumer_tag: None`, with `message_count` the ready messages left).
    Delivered {
        msg: MsgId,
        queue: Name,
        conn: ConnId,
        ch: u16,
        consumer_tag: Option<Name>,
        delivery_tag: u64,
        redelivered: bool,
        auto_ack: bool,
        message: Rc<Message>,
        message_count: Option<u32>,
    },
    /// `basic.get` found nothing.
    GetEmpty { conn: ConnId, ch: u16, queue: Name },
    /// The client acknowledged a delivery.
    Acked {
        msg: MsgId,
        queue: Name,
        conn: ConnId,
        ch: u16,
        delivery_tag: u64,
    },
    /// The client refused a delivery (`basic.nack` or `basic.reject`).
    Nacked {
        msg: MsgId,
        queue: Name,
        conn: ConnId,
        ch: u16,
        delivery_tag: u64,
        requeue: bool,
    },
    /// A delivered message went back to its position in the queue (nack, reject, recover, or its
    /// channel closed).
    Requeued { msg: MsgId, queue: Name },
    /// A message's TTL ran out at the head of the queue.
    Expired { msg: MsgId, queue: Name },
    /// A message was discarded.
    Dropped {
        msg: MsgId,
        queue: Name,
        reason: DropReason,
    },
    /// A message left `queue` for the dead-letter exchange `exchange`, as `new_msg`.
    DeadLettered {
        msg: MsgId,
        new_msg: MsgId,
        queue: Name,
        exchange: Name,
        reason: DeathReason,
        message: Rc<Message>,
    },
    /// A mandatory message came back to its publisher (`basic.return`).
    Returned {
        msg: MsgId,
        conn: ConnId,
        ch: u16,
        reply_code: u16,
        reply_text: Name,
        message: Rc<Message>,
    },
    /// A publisher confirm: `ack` true for `basic.ack`, false for `basic.nack`.
    Confirmed { conn: ConnId, ch: u16, seq: u64, ack: bool },
    /// `n` ready messages were purged from `queue`.
    Purged { queue: Name, count: u64 },
    /// The broker restarted.
    Restarted,
}
