//! Queues: ready messages in order (by priority level, then position), consumers in dispatch order.

use crate::field::FieldTable;
use crate::message::{Entry, Message, Name};
use crate::names::VecMap;
use std::collections::VecDeque;

/// A connection, as the broker numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConnId(pub u32);

/// What a full queue does with a new message (`x-overflow`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overflow {
    DropHead,
    RejectPublish,
    RejectPublishDlx,
}

/// The queue arguments the broker acts on (validated at declare).
#[derive(Clone, Debug, Default)]
pub struct QueueConfig {
    pub message_ttl: Option<u64>,
    pub expires: Option<u64>,
    pub max_length: Option<u64>,
    pub max_length_bytes: Option<u64>,
    pub overflow: Option<Overflow>,
    pub dlx: Option<Name>,
    pub dlrk: Option<Name>,
    pub max_priority: Option<u8>,
    pub single_active_consumer: bool,
    /// `x-queue-type: quorum` (semantics §4.13).
    pub quorum: bool,
    /// `x-delivery-limit` (quorum queues).
    pub delivery_limit: Option<u64>,
    /// A 4.x quorum queue: a message's encoded properties count with its body against
    /// `x-max-length-bytes` (see `broker/overflow.rs`).
    pub count_properties: bool,
}

impl QueueConfig {
    pub fn overflow(&self) -> Overflow {
        self.overflow.unwrap_or(Overflow::DropHead)
    }

    /// What `message` counts for against `x-max-length-bytes`.
    pub fn bytes_of(&self, message: &Message) -> u64 {
        let body = message.body.len() as u64;
        if self.count_properties {
            body + message.meta()
        } else {
            body
        }
    }
}

/// A consumer as a queue knows it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConsumerKey {
    pub conn: ConnId,
    pub ch: u16,
    pub tag: Name,
    pub priority: i64,
}

#[derive(Clone, Debug)]
pub struct Queue {
    /// Unique per incarnation: a queue deleted and declared again is another queue.
    pub id: u64,
    pub name: Name,
    pub durable: bool,
    pub auto_delete: bool,
    pub exclusive_owner: Option<ConnId>,
    pub arguments: FieldTable,
    pub cfg: QueueConfig,
    levels: Vec<VecDeque<Entry>>,
    /// Quorum queues with a delivery limit serve returned messages first, in return order.
    returns: VecDeque<Entry>,
    ready_len: u64,
    pub ready_bytes: u64,
    /// Deliveries of this queue not yet settled.
    pub unacked: u64,
    /// Of those, `basic.get` deliveries of a quorum queue: 3.10 registers each as a consumer of
    /// the queue until it is settled, so declare-ok's `consumer_count` counts it.
    pub unsettled_gets: u64,
    /// Consumers in registration order (single active consumer picks the first).
    pub registered: Vec<ConsumerKey>,
    /// Consumers that may receive, highest priority first, round-robin within a priority.
    pub active: VecDeque<ConsumerKey>,
    /// Consumers that could not take the last message offered (prefetch full), in blocking order.
    pub blocked: Vec<ConsumerKey>,
    pub has_exclusive_consumer: bool,
    pub had_consumer: bool,
    /// Last use for `x-expires` (declare, get, last consumer gone), ms.
    pub last_used: u64,
    next_seq: u64,
    /// A quorum queue with `reject-publish`: the channels that have published to it (3.10
    /// `rabbit_fifo`'s enqueuers), and whether each is blocked.
    enqueuers: VecMap<(ConnId, u16), bool>,
    pub(crate) head_timer: Option<u64>,
    pub(crate) expiry_timer: Option<u64>,
}

impl Queue {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: u64,
        name: Name,
        durable: bool,
        auto_delete: bool,
        owner: Option<ConnId>,
        arguments: FieldTable,
        cfg: QueueConfig,
        now: u64,
    ) -> Queue {
        let levels = (0..=cfg.max_priority.unwrap_or(0)).map(|_| VecDeque::new()).collect();
        Queue {
            id,
            name,
            durable,
            auto_delete,
            exclusive_owner: owner,
            arguments,
            cfg,
            levels,
            returns: VecDeque::new(),
            ready_len: 0,
            ready_bytes: 0,
            unacked: 0,
            unsettled_gets: 0,
            registered: Vec::new(),
            active: VecDeque::new(),
            blocked: Vec::new(),
            has_exclusive_consumer: false,
            had_consumer: false,
            last_used: now,
            next_seq: 0,
            enqueuers: VecMap::new(),
            head_timer: None,
            expiry_timer: None,
        }
    }

    /// Ready messages (`messages_ready`).
    pub fn len(&self) -> u64 {
        self.ready_len
    }
    pub fn is_empty(&self) -> bool {
        self.ready_len == 0
    }

    /// The priority level for a message priority (missing = 0, above the maximum = the maximum).
    pub fn level_of(&self, priority: Option<u8>) -> u8 {
        priority.unwrap_or(0).min(self.cfg.max_priority.unwrap_or(0))
    }

    pub fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Append at the tail of its level.
    pub fn push(&mut self, e: Entry) {
        self.ready_len += 1;
        self.ready_bytes += self.cfg.bytes_of(&e.msg);
        self.levels[e.level as usize].push_back(e);
        self.block_if_over();
    }

    /// A quorum queue takes a returned message back: a message the client requeued (nack, reject,
    /// recover) goes to the tail, as a new enqueue, unless the queue has a delivery limit (`limited`; every quorum queue has one in 4.x)
    /// (semantics §4.13); one returned because its channel closed, and any with a delivery limit,
    /// to the returns, served first (3.10 `rabbit_fifo`: a consumer's down returns go through
    /// `return_one`).
    pub fn return_quorum(&mut self, mut e: Entry, requeued: bool, limited: bool) {
        self.ready_len += 1;
        self.ready_bytes += self.cfg.bytes_of(&e.msg);
        if limited || !requeued {
            self.returns.push_back(e);
        } else {
            e.seq = self.next_seq();
            self.levels[0].push_back(e);
        }
        self.block_if_over();
    }

    /// Put a message back at its original position (semantics §7.4).
    pub fn requeue(&mut self, e: Entry) {
        self.ready_len += 1;
        self.ready_bytes += self.cfg.bytes_of(&e.msg);
        let level = &mut self.levels[e.level as usize];
        let at = level.partition_point(|x| x.seq < e.seq);
        level.insert(at, e);
    }

    /// The next message to deliver.
    pub fn head(&self) -> Option<&Entry> {
        self.returns
            .front()
            .or_else(|| self.levels.iter().rev().find_map(|l| l.front()))
    }

    pub fn pop(&mut self) -> Option<Entry> {
        let e = match self.returns.pop_front() {
            Some(e) => e,
            None => self.levels.iter_mut().rev().find_map(|l| l.pop_front())?,
        };
        self.ready_len -= 1;
        self.ready_bytes -= self.cfg.bytes_of(&e.msg);
        if !self.enqueuers.is_empty() && self.below_soft_limit() {
            self.enqueuers.values_mut().for_each(|b| *b = false);
        }
        Some(e)
    }

    /// Remove every ready message, in delivery order.
    pub fn drain(&mut self) -> Vec<Entry> {
        let mut out = Vec::with_capacity(self.ready_len as usize);
        while let Some(e) = self.pop() {
            out.push(e);
        }
        out
    }

    /// Ready messages in delivery order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.returns
            .iter()
            .chain(self.levels.iter().rev().flat_map(|l| l.iter()))
    }

    /// Has `x-max-length` or `x-max-length-bytes`.
    #[inline]
    pub fn has_limit(&self) -> bool {
        self.cfg.max_length.is_some() || self.cfg.max_length_bytes.is_some()
    }

    /// Over `x-max-length` / `x-max-length-bytes`.
    pub fn over_limit(&self) -> bool {
        self.cfg.max_length.is_some_and(|m| self.ready_len > m)
            || self.cfg.max_length_bytes.is_some_and(|m| self.ready_bytes > m)
    }

    /// A quorum queue with `reject-publish` (3.10 `rabbit_fifo`): whether it takes a message
    /// from `from`. Over its limit (more ready messages or bytes than the limit: it holds one
    /// message more than a classic queue) it blocks every enqueuer it knows, and one that comes
    /// to it new while it is over; they stay blocked until it is down to 80% of the limit.
    pub fn admits(&mut self, from: (ConnId, u16)) -> bool {
        if let Some(blocked) = self.enqueuers.get(&from) {
            return !blocked;
        }
        let over = self.over_limit();
        self.enqueuers.insert(from, over);
        !over
    }

    /// A channel closed: it is no longer an enqueuer (opened again, it is a new one).
    pub fn forget_enqueuer(&mut self, conn: ConnId, ch: u16) {
        self.enqueuers.remove(&(conn, ch));
    }

    fn block_if_over(&mut self) {
        if !self.enqueuers.is_empty() && self.over_limit() {
            self.enqueuers.values_mut().for_each(|b| *b = true);
        }
    }

    /// At or below 80% of every limit it has (`rabbit_fifo`'s soft limit).
    fn below_soft_limit(&self) -> bool {
        let below = |limit: Option<u64>, n: u64| limit.is_none_or(|m| n as f64 <= m as f64 * 0.8);
        self.has_limit()
            && below(self.cfg.max_length, self.ready_len)
            && below(self.cfg.max_length_bytes, self.ready_bytes)
    }

    /// Would one more message of `size` bytes go over a limit (`will_overflow`).
    pub fn would_overflow(&self, size: u64) -> bool {
        self.cfg.max_length.is_some_and(|m| self.ready_len + 1 > m)
            || self.cfg.max_length_bytes.is_some_and(|m| self.ready_bytes + size > m)
    }

    pub fn consumer_count(&self) -> u64 {
        self.registered.len() as u64
    }

    /// The `consumer_count` of a declare-ok: the consumers, and a quorum queue's unsettled
    /// `basic.get` deliveries (`rabbit_fifo` keeps a one-off consumer for each).
    pub fn declared_consumers(&self) -> u64 {
        self.consumer_count() + self.unsettled_gets
    }

    /// A delivery of this queue was settled or returned (`get`: it was a `basic.get`).
    #[inline]
    pub fn settled(&mut self, get: bool) {
        self.unacked -= 1;
        if get && self.cfg.quorum {
            self.unsettled_gets -= 1;
        }
    }

    /// Insert a consumer at the back of its priority level.
    #[inline]
    pub fn activate(&mut self, c: ConsumerKey) {
        // the list is in descending priority: one no higher than the last goes last
        if self.active.back().is_none_or(|b| b.priority >= c.priority) {
            self.active.push_back(c);
        } else {
            self.activate_by_priority(c);
        }
    }

    /// The first active consumer took a message: it goes to the back of its priority level, as
    /// [`Queue::activate`] after taking it off the front would put it, moved within the list.
    #[inline]
    pub fn rotate_front(&mut self) {
        let n = self.active.len();
        if n <= 1 {
            return;
        }
        if self.active[n - 1].priority >= self.active[0].priority {
            self.active.rotate_left(1);
        } else {
            let c = self.active.pop_front().expect("not empty");
            self.activate_by_priority(c);
        }
    }

    /// The first active consumer cannot take a message now: set aside as blocked.
    pub fn block_front(&mut self) {
        if let Some(c) = self.active.pop_front() {
            self.blocked.push(c);
        }
    }

    fn activate_by_priority(&mut self, c: ConsumerKey) {
        let at = self
            .active
            .iter()
            .position(|x| x.priority < c.priority)
            .unwrap_or(self.active.len());
        self.active.insert(at, c);
    }

    pub fn remove_consumer(&mut self, conn: ConnId, ch: u16, tag: &str) -> bool {
        let before = self.registered.len();
        let same = |c: &ConsumerKey| c.conn == conn && c.ch == ch && &*c.tag == tag;
        self.registered.retain(|c| !same(c));
        self.active.retain(|c| !same(c));
        self.blocked.retain(|c| !same(c));
        before != self.registered.len()
    }
}
