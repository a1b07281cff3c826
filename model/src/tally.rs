//! The counts a node shows at a moment of playback, as `rabbitmqctl` would report them then
//! ([`Tally`]), kept by applying the engine's events one by one, and taken back event by event
//! (each applied event leaves what it changed in an [`Undo`] record, so a step back undoes the
//! last events instead of counting again from a copy).

use std::collections::VecDeque;
use warren_engine::event::EventKind;
use warren_engine::exchange::Dest;
use warren_engine::names::VecMap;
use warren_engine::{ConnId, MsgId, Name};

/// Where one copy of a message (message, queue) is. (Eight bytes: a queue's copies are many,
/// and the timeline keeps copies of them for stepping back.)
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Copy {
    Ready,
    /// Delivered, not settled: to this consumer (its place in the holders' list; None for
    /// `basic.get`).
    Unacked(Option<u32>),
    /// Nacked with requeue: waiting for its `Requeued`.
    Settling,
}

/// A map in key order kept in a ring buffer, for [`Tally`]'s copies of a queue: lookups by
/// binary search, as a B-tree's; a removed entry leaves a gap (its key, no value) that a new value
/// for the key fills in place, and gaps at either end are dropped. A queue's copies come and go
/// at its ends (new messages join at the back, the oldest leave first), and a delivery or requeue
/// is a removal and an insertion of one key, so nothing is shifted. A B-tree map type of its own
/// cost the page 2.4 KB gzip'd.
#[derive(Clone, Debug)]
pub struct Ring<K, V> {
    items: VecDeque<(K, Option<V>)>,
}

impl<K, V> Default for Ring<K, V> {
    fn default() -> Self {
        Ring { items: VecDeque::new() }
    }
}

impl<K: Ord, V> Ring<K, V> {
    fn find(&self, k: &K) -> Result<usize, usize> {
        self.items.binary_search_by(|(x, _)| x.cmp(k))
    }
    fn insert(&mut self, k: K, v: V) {
        match self.find(&k) {
            Ok(i) => self.items[i].1 = Some(v),
            Err(i) => self.items.insert(i, (k, Some(v))),
        }
    }
    fn remove(&mut self, k: &K) -> Option<V> {
        let i = self.find(k).ok()?;
        let v = self.items[i].1.take();
        while self.items.front().is_some_and(|e| e.1.is_none()) {
            self.items.pop_front();
        }
        while self.items.back().is_some_and(|e| e.1.is_none()) {
            self.items.pop_back();
        }
        v
    }
    fn get(&self, k: &K) -> Option<&V> {
        self.items.get(self.find(k).ok()?)?.1.as_ref()
    }
    fn keys(&self) -> impl Iterator<Item = &K> {
        self.items.iter().filter(|e| e.1.is_some()).map(|e| &e.0)
    }
}

/// Equal when the same keys hold the same values (gaps aside).
impl<K: PartialEq, V: PartialEq> PartialEq for Ring<K, V> {
    fn eq(&self, o: &Self) -> bool {
        fn full<K, V>(r: &Ring<K, V>) -> impl Iterator<Item = (&K, &V)> {
            r.items.iter().filter_map(|(k, v)| Some((k, v.as_ref()?)))
        }
        full(self).eq(full(o))
    }
}

/// Counts as `rabbitmqctl` would report them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// Per queue, each copy of a message in it, by message id.
    copies: VecMap<Name, Ring<MsgId, Copy>>,
    /// Per queue: (messages_ready, messages_unacknowledged).
    pub queues: VecMap<String, (u64, u64)>,
    /// Per consumer (connection name, tag): unacknowledged deliveries.
    pub consumers: VecMap<(String, String), u64>,
    /// Per client (connection name): deliveries it received in all, redeliveries and direct
    /// replies included.
    pub got: VecMap<String, u64>,
    /// Per publisher (connection name): publisher confirms (acks, nacks).
    pub confirms: VecMap<String, (u64, u64)>,
    /// Per publisher (connection name): mandatory messages returned to it.
    pub returned: VecMap<String, u64>,
    /// The exchanges the broker has (declared, not deleted or lost in a restart).
    pub exchanges: VecMap<String, ()>,
    /// The bindings it has: (source exchange, destination, key), how many (by arguments).
    pub bindings: VecMap<(String, String, String), u32>,
    /// The consumers (connection name, tag) that unacked copies name, by number.
    holders: Vec<(String, String)>,
    holder_ids: VecMap<(String, String), u32>,
}

impl Tally {
    pub fn queue(&self, q: &str) -> (u64, u64) {
        self.queues.get(q).copied().unwrap_or_default()
    }
    /// Deliveries a client received in all.
    pub fn got(&self, conn: &str) -> u64 {
        self.got.get(conn).copied().unwrap_or(0)
    }
    pub fn consumer(&self, conn: &str, tag: &str) -> u64 {
        self.consumers
            .get(&(conn.to_string(), tag.to_string()))
            .copied()
            .unwrap_or(0)
    }

    fn take(&mut self, msg: MsgId, q: &Name, undo: &mut Undos) -> Option<Copy> {
        let c = *self.copies.get(q)?.get(&msg)?;
        undo.push(|| Undo::Copy(q.clone(), msg, Some(c)));
        self.copies.get_mut(q)?.remove(&msg);
        undo.push(|| Undo::Queue(q.clone(), self.queues.get(&**q).copied()));
        let counts = counts_of(&mut self.queues, q);
        match &c {
            Copy::Ready => counts.0 -= 1,
            Copy::Unacked(who) => {
                counts.1 -= 1;
                if let Some(k) = who {
                    let key = &self.holders[*k as usize];
                    if let Some(n) = self.consumers.get_mut(key) {
                        undo.push(|| Undo::Holding(*k, Some(*n)));
                        *n = n.saturating_sub(1);
                    }
                }
            }
            Copy::Settling => {}
        }
        Some(c)
    }

    fn put(&mut self, msg: MsgId, q: &Name, c: Copy, undo: &mut Undos) {
        undo.push(|| Undo::Queue(q.clone(), self.queues.get(&**q).copied()));
        let counts = counts_of(&mut self.queues, q);
        match &c {
            Copy::Ready => counts.0 += 1,
            Copy::Unacked(who) => {
                counts.1 += 1;
                if let Some(k) = who {
                    let key = &self.holders[*k as usize];
                    undo.push(|| Undo::Holding(*k, self.consumers.get(key).copied()));
                    match self.consumers.get_mut(key) {
                        Some(n) => *n += 1,
                        None => {
                            self.consumers.insert(key.clone(), 1);
                        }
                    }
                }
            }
            Copy::Settling => {}
        }
        if self.copies.get(q).is_none() {
            undo.push(|| Undo::Copies(q.clone(), None));
        }
        let ring = self.copies.entry(q.clone()).or_default();
        undo.push(|| Undo::Copy(q.clone(), msg, ring.get(&msg).copied()));
        ring.insert(msg, c);
    }

    /// Apply one engine event (`names` maps connections to their scenario names).
    pub fn apply(&mut self, e: &EventKind, names: &VecMap<ConnId, String>) {
        self.apply_noting(e, names, &mut Undos::off());
    }

    /// [`Tally::apply`], noting in `undo` what it changed, for [`Tally::undo`].
    pub fn apply_noting(&mut self, e: &EventKind, names: &VecMap<ConnId, String>, undo: &mut Undos) {
        let name = |c: &ConnId| names.get(c).cloned().unwrap_or_else(|| format!("#{}", c.0));
        match e {
            EventKind::QueueDeclared { queue } => {
                undo.push(|| Undo::Queue(queue.clone(), self.queues.get(&**queue).copied()));
                self.queues.entry(queue.to_string()).or_default();
            }
            EventKind::ExchangeDeclared { exchange } => {
                undo.push(|| Undo::Exchange(exchange.as_str().into(), self.exchanges.contains_key(&**exchange)));
                self.exchanges.insert(exchange.to_string(), ());
            }
            EventKind::ExchangeDeleted { exchange, .. } => {
                undo.push(|| Undo::Exchange(exchange.as_str().into(), self.exchanges.contains_key(&**exchange)));
                self.exchanges.remove(&**exchange);
            }
            EventKind::Bound { source, dest, key, .. } => {
                let k = binding_key(source, dest, key);
                undo.push(|| Undo::Binding(Box::new(k.clone()), self.bindings.get(&k).copied()));
                *self.bindings.entry(k).or_default() += 1;
            }
            EventKind::Unbound { source, dest, key, .. } => {
                let k = binding_key(source, dest, key);
                if let Some(n) = self.bindings.get_mut(&k) {
                    undo.push(|| Undo::Binding(Box::new(k.clone()), Some(*n)));
                    *n -= 1;
                    if *n == 0 {
                        self.bindings.remove(&k);
                    }
                }
            }
            EventKind::Enqueued { msg, queue } => self.put(*msg, queue, Copy::Ready, undo),
            EventKind::Delivered {
                conn,
                consumer_tag: Some(_),
                msg,
                queue,
                auto_ack,
                ..
            } if *auto_ack => {
                // direct replies among them (always no-ack)
                self.count_got(name(conn), undo);
                self.take(*msg, queue, undo);
            }
            EventKind::Delivered {
                msg,
                queue,
                conn,
                consumer_tag,
                auto_ack,
                ..
            } if self.take(*msg, queue, undo).is_some() && !auto_ack => {
                if consumer_tag.is_some() {
                    self.count_got(name(conn), undo);
                }
                let who = consumer_tag
                    .as_ref()
                    .map(|t| self.holder((name(conn), t.to_string()), undo));
                self.put(*msg, queue, Copy::Unacked(who), undo);
            }
            EventKind::Confirmed { conn, ack, .. } => {
                let n = name(conn);
                undo.push(|| Undo::Confirms(n.as_str().into(), self.confirms.get(&n).copied()));
                let c = self.confirms.entry(n).or_default();
                if *ack {
                    c.0 += 1;
                } else {
                    c.1 += 1;
                }
            }
            EventKind::Returned { conn, .. } => {
                let n = name(conn);
                undo.push(|| Undo::Returned(n.as_str().into(), self.returned.get(&n).copied()));
                *self.returned.entry(n).or_default() += 1;
            }
            EventKind::Acked { msg, queue, .. } => {
                self.take(*msg, queue, undo);
            }
            EventKind::Nacked {
                msg, queue, requeue, ..
            } if self.take(*msg, queue, undo).is_some() && *requeue => {
                self.put(*msg, queue, Copy::Settling, undo);
            }
            EventKind::Requeued { msg, queue } => {
                self.take(*msg, queue, undo);
                self.put(*msg, queue, Copy::Ready, undo);
            }
            EventKind::Expired { msg, queue } | EventKind::Dropped { msg, queue, .. } => {
                self.take(*msg, queue, undo);
            }
            EventKind::DeadLettered { msg, queue, .. } => {
                self.take(*msg, queue, undo);
            }
            EventKind::QueueDeleted { queue, .. } => {
                let gone: Vec<MsgId> = self
                    .copies
                    .get(queue)
                    .map(|r| r.keys().copied().collect())
                    .unwrap_or_default();
                for m in gone {
                    self.take(m, queue, undo);
                }
                if let Some(ring) = self.copies.remove(queue) {
                    undo.push(|| Undo::Copies(queue.clone(), Some(Box::new(ring))));
                }
                undo.push(|| Undo::Queue(queue.clone(), self.queues.get(&**queue).copied()));
                self.queues.remove(&**queue);
            }
            EventKind::ConsumerRemoved { conn, consumer_tag, .. } => {
                // its unacked deliveries stay on the channel (RabbitMQ keeps them there)
                let k = (name(conn), consumer_tag.to_string());
                undo.push(|| Undo::Consumer(Box::new(k.clone()), self.consumers.get(&k).copied()));
                self.consumers.remove(&k);
            }
            EventKind::ConsumerAdded { conn, consumer_tag, .. } => {
                let k = (name(conn), consumer_tag.to_string());
                undo.push(|| Undo::Consumer(Box::new(k.clone()), self.consumers.get(&k).copied()));
                self.consumers.entry(k).or_default();
            }
            _ => {}
        }
    }

    fn count_got(&mut self, n: String, undo: &mut Undos) {
        undo.push(|| Undo::Got(n.as_str().into(), self.got.get(&n).copied()));
        *self.got.entry(n).or_default() += 1;
    }

    /// Take back what an event's [`Undo`] records say it changed (the records of one event, in
    /// the order they were noted).
    pub fn undo(&mut self, records: impl DoubleEndedIterator<Item = Undo>) {
        fn set<K: Ord, V>(m: &mut VecMap<K, V>, k: K, v: Option<V>) {
            match v {
                Some(v) => {
                    m.insert(k, v);
                }
                None => {
                    m.remove(&k);
                }
            }
        }
        for u in records.rev() {
            match u {
                Undo::Copy(q, msg, before) => {
                    if let Some(ring) = self.copies.get_mut(&q) {
                        match before {
                            Some(c) => ring.insert(msg, c),
                            None => {
                                ring.remove(&msg);
                            }
                        }
                    }
                }
                Undo::Copies(q, before) => set(&mut self.copies, q, before.map(|r| *r)),
                Undo::Queue(q, before) => set(&mut self.queues, q.to_string(), before),
                Undo::Consumer(k, before) => set(&mut self.consumers, *k, before),
                Undo::Holding(k, before) => {
                    let key = self.holders[k as usize].clone();
                    set(&mut self.consumers, key, before)
                }
                Undo::Got(n, before) => set(&mut self.got, n.into(), before),
                Undo::Confirms(n, before) => set(&mut self.confirms, n.into(), before),
                Undo::Returned(n, before) => set(&mut self.returned, n.into(), before),
                Undo::Exchange(x, had) => set(&mut self.exchanges, x.into(), had.then_some(())),
                Undo::Binding(k, before) => set(&mut self.bindings, *k, before),
                Undo::Holder => {
                    if let Some(who) = self.holders.pop() {
                        self.holder_ids.remove(&who);
                    }
                }
            }
        }
    }
}

/// What applying an event changed in a [`Tally`], one slot at a time, with the slot's value
/// before (None: it was not there).
#[derive(Clone, Debug)]
pub enum Undo {
    Copy(Name, MsgId, Option<Copy>),
    Copies(Name, Option<Box<Ring<MsgId, Copy>>>),
    Queue(Name, Option<(u64, u64)>),
    Consumer(Box<(String, String)>, Option<u64>),
    /// The unacked count of the consumer with this number in the holders' list.
    Holding(u32, Option<u64>),
    Got(Box<str>, Option<u64>),
    Confirms(Box<str>, Option<(u64, u64)>),
    Returned(Box<str>, Option<u64>),
    Exchange(Box<str>, bool),
    Binding(Box<(String, String, String)>, Option<u32>),
    /// A consumer got its number in the holders' list (the last one).
    Holder,
}

/// Where [`Tally::apply_noting`] notes its [`Undo`] records (or, off, does not).
#[derive(Clone, Debug, Default)]
pub struct Undos {
    on: bool,
    pub records: Vec<Undo>,
}

impl Undos {
    pub fn on() -> Undos {
        Undos {
            on: true,
            records: Vec::new(),
        }
    }
    pub fn off() -> Undos {
        Undos::default()
    }
    /// Note a record (made only when noting is on).
    fn push(&mut self, u: impl FnOnce() -> Undo) {
        if self.on {
            self.records.push(u());
        }
    }
}

fn binding_key(source: &Name, dest: &Dest, key: &Name) -> (String, String, String) {
    let d = match dest {
        Dest::Queue(q) | Dest::Exchange(q) => q.to_string(),
    };
    (source.to_string(), d, key.to_string())
}

impl Tally {
    /// A consumer's number in [`Tally::holders`], given on first use.
    fn holder(&mut self, who: (String, String), undo: &mut Undos) -> u32 {
        if let Some(&k) = self.holder_ids.get(&who) {
            return k;
        }
        undo.push(|| Undo::Holder);
        let k = self.holders.len() as u32;
        self.holders.push(who.clone());
        self.holder_ids.insert(who, k);
        k
    }

    /// About how many entries a copy of these counts holds.
    pub fn size(&self) -> usize {
        self.copies.iter().map(|(_, r)| r.items.len()).sum::<usize>()
            + self.consumers.len()
            + self.queues.len()
            + self.bindings.len()
    }

    /// Whether the broker has exchange `x` (the default exchange always).
    pub fn exchange(&self, x: &str) -> bool {
        x.is_empty() || self.exchanges.contains_key(x)
    }

    /// Whether it has a binding from `source` to `dest` with `key`.
    pub fn bound(&self, source: &str, dest: &str, key: &str) -> bool {
        self.bindings
            .contains_key(&(source.to_string(), dest.to_string(), key.to_string()))
    }

    /// Whether a consumer (connection name, tag) is subscribed.
    pub fn consuming(&self, conn: &str, tag: &str) -> bool {
        self.consumers.contains_key(&(conn.to_string(), tag.to_string()))
    }

    /// The deliveries unacknowledged by the consumers of the connections `owns` says are one
    /// client's (a terminal's script), and whether it has any.
    pub fn client_consumers(&self, owns: impl Fn(&str) -> bool) -> (u64, bool) {
        let mut held = (0, false);
        for ((conn, _), n) in self.consumers.iter() {
            if owns(conn) {
                held = (held.0 + n, true);
            }
        }
        held
    }
}

/// A queue's (ready, unacked) counts, made on first use: the name is copied only then, not for
/// every message put into or taken out of the queue.
fn counts_of<'a>(queues: &'a mut VecMap<String, (u64, u64)>, q: &str) -> &'a mut (u64, u64) {
    if !queues.contains_key(q) {
        queues.insert(q.to_string(), (0, 0));
    }
    queues.get_mut(q).expect("just made")
}
