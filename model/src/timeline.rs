//! The timeline: the engine's events, each at the instant the simulation did it, the dots that
//! show messages travelling, and the counts each node shows at any moment of playback.
//!
//! One clock: an event is shown at its own simulated instant, so what the canvas counts at `t`
//! is the broker's state at `t` (what the console's `list_queues` prints then). The network is
//! part of the simulation ([`crate::sim::Live`]): a client's publish, ack or nack reaches the
//! broker [`HOP`] ms after it leaves, and its dot is drawn along the way (the simulation adds
//! those trips when the client sends, [`Timeline::add_trip`]); a delivery, a return, a direct
//! reply leave the broker at their instant and reach the client a hop later (their trips start
//! at the event). What the broker does inside at one instant (routing, dead-lettering, dropping)
//! takes no time: the dot of a dead-lettered or dropped message is drawn after the instant it
//! happened, as the message leaves the picture, and changes no count.

// the event log's words live in their own file; these names stay for the log's readers
pub use crate::log::{describe, describe_in, messages_of};
// the counts too
pub use crate::tally::Tally;
use crate::tally::{Undo, Undos};
use std::collections::VecDeque;
use warren_engine::event::{Event, EventKind};
use warren_engine::exchange::Dest;
use warren_engine::names::VecMap;
use warren_engine::{ConnId, MsgId, Name};

/// How long a dot takes along one edge, in simulated ms.
pub const HOP: f64 = 400.0;

/// A place a dot can be: a canvas node, by kind and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// A client connection (a producer, or a consumer's connection).
    Client(Name),
    Exchange(Name),
    Queue(Name),
    /// A consumer: connection name and consumer tag.
    Consumer(Name, Name),
}

/// What a trip means (its dot's colour).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TripKind {
    /// Publishing, routing, delivering.
    Flow,
    /// Back to the queue (nack/reject with requeue, recover, channel closed).
    Requeue,
    /// To the dead-letter exchange.
    DeadLetter,
    /// A mandatory message coming back to its publisher.
    Return,
    /// Falling out: unroutable, expired, dropped.
    Fall,
    /// An acknowledgement on its way back to the broker.
    Ack,
}

/// A dot moving from one place to another (`to: None` falls out below `from`).
#[derive(Clone, Debug, PartialEq)]
pub struct Trip {
    pub msg: MsgId,
    pub from: Place,
    pub to: Option<Place>,
    pub start: f64,
    /// How long it takes (at most a hop: a float's precision is plenty, and a trip is 48 bytes
    /// in the page, not 56: a run keeps every one).
    len: f32,
    pub kind: TripKind,
}

impl Trip {
    /// When it lands.
    pub fn end(&self) -> f64 {
        self.start + self.len as f64
    }
}

/// The queue name a direct reply-to delivery reports (the pseudo-queue and the channel's key).
const DIRECT_REPLY_PREFIX: &str = "amq.rabbitmq.reply-to.";

/// Items in fixed-size chunks: growing never copies what is there, and leaves at most one chunk
/// unused. (A run that keeps 100,000 messages waiting has 300,000 events; a `Vec` doubled to
/// 524,288 places would leave 40% of them unused, and while growing hold the old ones as well:
/// in wasm, whose memory never shrinks, that peak stays.)
#[derive(Clone, Debug)]
pub struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

/// Events applied between two copies of the counts at least ([`Timeline::seek`]).
const SNAPSHOT_EVERY: usize = 4096;
/// And at least this many times the copy's size: copies of large counts are fewer.
const SNAPSHOT_RATIO: usize = 2;

/// How many of the last applied events a step back can undo one by one ([`Timeline::seek`]).
const UNDO_EVENTS: usize = 4_096;

/// Items per chunk of a [`Chunked`].
const CHUNK: usize = 4096;

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    pub fn push(&mut self, v: T) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        self.chunks.last_mut().expect("a chunk with room").push(v);
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> std::iter::Flatten<std::slice::Iter<'_, Vec<T>>> {
        self.chunks.iter().flatten()
    }

    pub fn last(&self) -> Option<&T> {
        self.chunks.last().and_then(|c| c.last())
    }

    /// The number of items before the first for which `pred` is false (`pred` true for a prefix).
    pub fn partition_point(&self, mut pred: impl FnMut(&T) -> bool) -> usize {
        // whole chunks first, then within the chunk
        let c = self.chunks.partition_point(|c| c.last().is_some_and(&mut pred));
        match self.chunks.get(c) {
            Some(chunk) => c * CHUNK + chunk.partition_point(pred),
            None => self.len,
        }
    }
}

impl<T> std::ops::Index<usize> for Chunked<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T> std::ops::IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<'a, T> IntoIterator for &'a Chunked<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<T>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The timeline of a simulation: every engine event with the moment it is shown, the trips,
/// and the counts at the playback position.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// Engine events in engine order, which is the order of their instants (one clock): each
    /// is shown at its instant, `at`.
    pub events: Chunked<Event>,
    /// Every trip, in the order they were made (not sorted by start).
    pub trips: Chunked<Trip>,
    /// Trip indices sorted by (start, index), for the first `trips_indexed` trips: the trips in
    /// flight at an instant are one slice of it (every trip lasts as long), however long the run.
    trip_order: Vec<usize>,
    trips_indexed: usize,
    /// The latest moment a trip ends.
    trips_end: f64,
    /// The counts with the first `applied` events applied.
    tally: Tally,
    applied: usize,
    /// What the last applied events changed in the counts (at most [`UNDO_EVENTS`] of them):
    /// `undo_counts` has how many records each event left, newest last. A step back within
    /// them undoes those events; further back starts from a copy of the counts.
    undo: VecDeque<Undo>,
    undo_counts: VecDeque<u32>,
    noting: Undos,
    /// Copies of the counts, each with how many events it has applied: a step back
    /// starts from the latest one before it ([`Timeline::seek`]).
    snapshots: Vec<(usize, Tally)>,
    /// Bumped whenever the shown counts change (the page re-renders on it).
    pub version: u64,
    // scheduling state
    // (Sorted vectors, not B-trees: their keys start with the message id, and new keys are new
    // messages, so they join at the end; each B-tree map type costs the page ~1.5 KB gzip'd.)
    /// When a dead-lettered message's dot arrives at an exchange it is routed from.
    arrive: VecMap<(MsgId, Place), f64>,
    /// Per copy of a message delivered and not yet settled: who holds it (where its dot goes
    /// back from, should it be requeued without a nack: a closed channel, a recover).
    copy: VecMap<(MsgId, Name), Place>,
    /// Copies refused with requeue (their nack's dot took them back).
    nacked: VecMap<(MsgId, Name), ()>,
    /// Per message, by id (the broker numbers them 1, 2, 3…): its publisher's connection and
    /// the exchange it was published to.
    origin: Vec<Option<(Name, Name)>>,
    last: f64,
    /// Connection names (kept up to date by the simulation).
    pub names: VecMap<ConnId, String>,
    /// The same names shared by the places that hold them.
    client_names: VecMap<ConnId, Name>,
    /// Whether the default exchange is drawn (if not, its hops start at the publisher).
    pub show_default: bool,
    /// How long a dot takes along one edge (simulated ms): [`HOP`] on the page.
    hop: f64,
}

impl Timeline {
    pub fn new(show_default: bool) -> Timeline {
        Timeline::with_hop(show_default, HOP)
    }

    /// A timeline whose dots take `hop` simulated ms along an edge (0: every hop is instant, and
    /// each event is shown at the instant the broker did it).
    pub fn with_hop(show_default: bool, hop: f64) -> Timeline {
        Timeline {
            show_default,
            hop,
            noting: Undos::on(),
            ..Timeline::default()
        }
    }

    /// A connection's name as places hold it: one shared copy per connection.
    fn name(&mut self, c: &ConnId) -> Name {
        // a connection keeps its id and name for the run: its name is made once
        if let Some(n) = self.client_names.get(c) {
            return n.clone();
        }
        match self.names.get(c) {
            Some(s) => {
                let n: Name = s.as_str().into();
                self.client_names.insert(*c, n.clone());
                n
            }
            None => format!("#{}", c.0).into(),
        }
    }

    fn origin_of(&self, msg: MsgId) -> Option<&(Name, Name)> {
        self.origin.get(msg.0 as usize).and_then(Option::as_ref)
    }

    fn set_origin(&mut self, msg: MsgId, o: (Name, Name)) {
        let i = msg.0 as usize;
        if i >= self.origin.len() {
            self.origin.resize(i + 1, None);
        }
        self.origin[i] = Some(o);
    }

    fn exchange_place(&self, msg: MsgId, x: &Name) -> Place {
        if x.is_empty() && !self.show_default {
            if let Some((p, _)) = self.origin_of(msg) {
                return Place::Client(p.clone());
            }
        }
        Place::Exchange(x.clone())
    }

    fn dest_place(&self, msg: MsgId, d: &Dest) -> Place {
        match d {
            Dest::Queue(q) => Place::Queue(q.clone()),
            Dest::Exchange(x) => self.exchange_place(msg, x),
        }
    }

    /// A trip of one hop from `start` (none from a place to itself); the instant it ends.
    fn trip(&mut self, msg: MsgId, from: Place, to: Option<Place>, start: f64, kind: TripKind) -> f64 {
        self.add_trip(msg, from, to, start, start + self.hop, kind);
        start + self.hop
    }

    /// Draw a dot from `from` to `to` (None: falling out below `from`) between `start` and `end`
    /// (at most a hop apart): what the simulation adds for a frame a client sends, while it
    /// travels. `msg` may be made known later ([`Timeline::name_trips`]), once the broker has
    /// numbered the message. Returns the trip's index.
    pub fn add_trip(
        &mut self,
        msg: MsgId,
        from: Place,
        to: Option<Place>,
        start: f64,
        end: f64,
        kind: TripKind,
    ) -> Option<usize> {
        if to.as_ref() == Some(&from) {
            return None;
        }
        self.trips_end = self.trips_end.max(end);
        self.trips.push(Trip {
            msg,
            from,
            to,
            start,
            len: (end.min(start + self.hop) - start) as f32,
            kind,
        });
        Some(self.trips.len() - 1)
    }

    /// The trips of a frame that reached the broker, now that it numbered their message.
    pub fn name_trips(&mut self, trips: std::ops::Range<usize>, msg: MsgId) {
        for i in trips {
            self.trips[i].msg = msg;
        }
    }

    /// The place a message published to exchange `x` by `client` is drawn going to first: the
    /// exchange, or (the default exchange not drawn) the queue its key names.
    pub fn publish_place(&self, client: &Place, x: &str, queue: Option<&Name>) -> Place {
        match queue {
            Some(q) if x.is_empty() && !self.show_default => Place::Queue(q.clone()),
            _ if x.is_empty() && !self.show_default => client.clone(),
            _ => Place::Exchange(x.into()),
        }
    }

    /// A client's place (its connection's name as the simulation named it).
    pub fn client_place(&mut self, c: &ConnId) -> Place {
        Place::Client(self.name(c))
    }

    /// A consumer's place.
    pub fn consumer_place(&mut self, c: &ConnId, tag: &Name) -> Place {
        Place::Consumer(self.name(c), tag.clone())
    }

    /// How long a dot takes along one edge (simulated ms).
    pub fn hop(&self) -> f64 {
        self.hop
    }

    /// Take the events of one engine call (in engine order): each is shown at its instant.
    pub fn push(&mut self, events: impl IntoIterator<Item = Event>) {
        for mut e in events {
            // one clock: the engine never goes back (were it to, its event is shown with the
            // latest, so that the events stay in the order of their instants)
            if let Some(prev) = self.events.last() {
                e.at = e.at.max(prev.at);
            }
            let at = e.at as f64;
            self.schedule(&e.kind, at);
            self.last = self.last.max(at);
            self.events.push(e);
        }
    }

    /// The dots an event starts (those of frames a client sends are the simulation's).
    fn schedule(&mut self, k: &EventKind, at: f64) {
        let half = self.hop / 2.0;
        match k {
            EventKind::Published {
                msg, conn, exchange, ..
            } => {
                let p = self.name(conn);
                self.set_origin(*msg, (p, exchange.clone()));
            }
            // a dead-lettered message's way on from its dead-letter exchange (drawn after)
            EventKind::Routed { msg, from, to, .. } => {
                let f = self.exchange_place(*msg, from);
                if let Some(a) = self.arrive.get(&(*msg, f.clone())).copied() {
                    let t = self.dest_place(*msg, to);
                    self.add_trip(*msg, f, Some(t.clone()), a, a + half, TripKind::DeadLetter);
                    if matches!(to, Dest::Exchange(_)) {
                        self.arrive.insert((*msg, t), a + half);
                    }
                }
            }
            EventKind::Unroutable { msg, exchange } => {
                let f = self.exchange_place(*msg, exchange);
                if let Some(a) = self.arrive.get(&(*msg, f.clone())).copied() {
                    self.add_trip(*msg, f, None, a, a + half, TripKind::Fall);
                }
            }
            EventKind::Returned { msg, conn, .. } => {
                let x = self.origin_of(*msg).map(|o| o.1.clone()).unwrap_or_default();
                let f = self.exchange_place(*msg, &x);
                let p = Place::Client(self.name(conn));
                self.trip(*msg, f, Some(p), at, TripKind::Return);
            }
            EventKind::Delivered {
                msg,
                queue,
                conn,
                consumer_tag,
                ..
            } => {
                if queue.starts_with(DIRECT_REPLY_PREFIX) {
                    // direct reply-to: from the replier (or the default exchange) to the client
                    let f = self.exchange_place(*msg, &Name::from(""));
                    let to = Place::Client(self.name(conn));
                    self.trip(*msg, f, Some(to), at, TripKind::Flow);
                    return;
                }
                let to = match consumer_tag {
                    Some(t) => Place::Consumer(self.name(conn), t.clone()),
                    None => Place::Client(self.name(conn)),
                };
                self.trip(*msg, Place::Queue(queue.clone()), Some(to.clone()), at, TripKind::Flow);
                self.copy.insert((*msg, queue.clone()), to);
            }
            EventKind::Acked { msg, queue, .. } => {
                self.copy.remove(&(*msg, queue.clone()));
            }
            EventKind::Nacked {
                msg, queue, requeue, ..
            } => {
                self.copy.remove(&(*msg, queue.clone()));
                if *requeue {
                    self.nacked.insert((*msg, queue.clone()), ());
                }
            }
            EventKind::Requeued { msg, queue } => {
                // a nack's own dot brought it back; a closed channel's copies go back now
                let key = (*msg, queue.clone());
                let by = self.copy.remove(&key);
                if self.nacked.remove(&key).is_none() {
                    if let Some(h) = by {
                        self.trip(*msg, h, Some(Place::Queue(queue.clone())), at, TripKind::Requeue);
                    }
                }
            }
            EventKind::Dropped { msg, queue, .. } => {
                self.copy.remove(&(*msg, queue.clone()));
                self.trip(*msg, Place::Queue(queue.clone()), None, at, TripKind::Fall);
            }
            EventKind::DeadLettered {
                msg,
                new_msg,
                queue,
                exchange,
                ..
            } => {
                self.copy.remove(&(*msg, queue.clone()));
                let x = Place::Exchange(exchange.clone());
                if let Some(o) = self.origin_of(*msg).cloned() {
                    self.set_origin(*new_msg, (o.0, exchange.clone()));
                }
                let q = Place::Queue(queue.clone());
                self.add_trip(*msg, q, Some(x.clone()), at, at + half, TripKind::DeadLetter);
                self.arrive.insert((*new_msg, x), at + half);
            }
            _ => {}
        }
    }

    /// The latest moment anything is shown at.
    pub fn end(&self) -> f64 {
        self.last.max(self.trips_end)
    }

    fn recount(&mut self) {
        self.tally = Tally::default();
        self.applied = 0;
        self.version += 1;
        self.forget_undo();
    }

    fn forget_undo(&mut self) {
        self.undo.clear();
        self.undo_counts.clear();
    }

    /// Move the counts to playback time `t` (forward or back). Back: from the latest copy of
    /// the counts taken at or before `t`, not from the start.
    pub fn seek(&mut self, t: f64) -> &Tally {
        self.index_trips();
        let upto = self.events.partition_point(|e| e.at as f64 <= t);
        if upto < self.applied && self.applied - upto <= self.undo_counts.len() {
            // the last events applied, undone one by one (newest first)
            while self.applied > upto {
                let n = self.undo_counts.pop_back().expect("one per event applied") as usize;
                let records = self.undo.split_off(self.undo.len() - n);
                self.tally.undo(records.into_iter());
                self.applied -= 1;
            }
            self.version += 1;
        } else if upto < self.applied {
            self.forget_undo();
            match self.snapshots.iter().rposition(|s| s.0 <= upto) {
                Some(k) => {
                    let (n, tally) = &self.snapshots[k];
                    self.applied = *n;
                    self.tally = tally.clone();
                    self.version += 1;
                }
                None => self.recount(),
            }
        }
        while self.applied < upto {
            let e = &self.events[self.applied];
            if upto - self.applied > UNDO_EVENTS {
                // too far from where this seek ends for a step back to undo it
                self.undo.clear();
                self.undo_counts.clear();
                self.tally.apply(&e.kind, &self.names);
            } else {
                self.tally.apply_noting(&e.kind, &self.names, &mut self.noting);
                self.undo_counts.push_back(self.noting.records.len() as u32);
                self.undo.extend(self.noting.records.drain(..));
                if self.undo_counts.len() > UNDO_EVENTS {
                    let n = self.undo_counts.pop_front().expect("more than one") as usize;
                    self.undo.drain(..n);
                }
            }
            self.applied += 1;
            self.version += 1;
            // a copy when the events since the last one are many, and at least twice the copy's
            // entries: copies hold about as many entries as half the events (8 bytes each)
            // (beyond the last one only: those before stay good)
            let since = self.applied.saturating_sub(self.snapshots.last().map_or(0, |s| s.0));
            if since >= SNAPSHOT_EVERY && since >= SNAPSHOT_RATIO * self.tally.size() {
                self.snapshots.push((self.applied, self.tally.clone()));
            }
        }
        &self.tally
    }

    /// The events shown so far, the latest shown first (the order the counts changed in).
    pub fn shown_latest_first(&self) -> impl Iterator<Item = &Event> {
        (0..self.applied).rev().map(|i| &self.events[i])
    }

    /// How many events have been shown (applied to the counts).
    pub fn shown(&self) -> usize {
        self.applied
    }

    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// Bring `trip_order` up to date: new trips join it, and only the part from the earliest new
    /// start on is re-sorted (new trips start near the end of what is there).
    fn index_trips(&mut self) {
        let (first, n) = (self.trips_indexed, self.trips.len());
        if first == n {
            return;
        }
        self.trips_indexed = n;
        let trips = &self.trips;
        let earliest = (first..n).map(|i| trips[i].start).fold(f64::INFINITY, f64::min);
        let from = self.trip_order.partition_point(|&i| trips[i].start < earliest);
        self.trip_order.extend(first..n);
        warren_engine::sort::sort_indices(&mut self.trip_order[from..], &mut |a, b| {
            trips[a].start.total_cmp(&trips[b].start).then(a.cmp(&b))
        });
    }

    /// The trips in flight at `t`: those indexed (by [`Timeline::seek`]) found by two binary
    /// searches, since no trip lasts more than a hop; trips made since, looked at one by one.
    pub fn active(&self, t: f64) -> impl Iterator<Item = &Trip> {
        let trips = &self.trips;
        let order = &self.trip_order;
        // a trip lasts at most a hop: those started a hop ago or earlier have ended
        let lo = order.partition_point(|&i| trips[i].start <= t - self.hop);
        let hi = order.partition_point(|&i| trips[i].start <= t).max(lo);
        order[lo..hi]
            .iter()
            .map(move |&i| &trips[i])
            .chain((self.trips_indexed..trips.len()).map(move |i| &trips[i]))
            .filter(move |tr| tr.start <= t && t < tr.end())
    }

    /// The shown times at which something happens or lands, sorted (what a step goes to).
    pub fn moments(&self) -> Vec<f64> {
        let mut m: Vec<f64> = self
            .events
            .iter()
            .map(|e| e.at as f64)
            .chain(self.trips.iter().map(|t| t.end()))
            .collect();
        warren_engine::sort::sort_by(&mut m, f64::total_cmp);
        m.dedup();
        m
    }

    /// The first of [`Timeline::moments`] after `t`, found by binary searches (a step forward
    /// in a long run does not sort every moment).
    pub fn next_moment(&mut self, t: f64) -> Option<f64> {
        self.index_trips();
        let (ev, trips, order) = (&self.events, &self.trips, &self.trip_order);
        let i = ev.partition_point(|e| e.at as f64 <= t);
        let event = (i < ev.len()).then(|| ev[i].at as f64);
        // a trip ending after t started after t - hop; of those starting after t (at s first),
        // the one ending first starts by s + hop (no trip lasts longer than a hop)
        let lo = order.partition_point(|&i| trips[i].start <= t - self.hop);
        let after = order.partition_point(|&i| trips[i].start <= t);
        let s = order.get(after).map_or(t, |&i| trips[i].start.max(t));
        let hi = order.partition_point(|&i| trips[i].start <= s + self.hop);
        let trip = order[lo..hi.max(lo)]
            .iter()
            .map(|&i| trips[i].end())
            .filter(|&e| e > t)
            .fold(None, |m: Option<f64>, e| Some(m.map_or(e, |m| m.min(e))));
        match (event, trip) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The last of [`Timeline::moments`] before `t` (binary searches, and a walk back over the
    /// trips that could end after the latest end found).
    pub fn prev_moment(&mut self, t: f64) -> Option<f64> {
        self.index_trips();
        let (ev, trips, order) = (&self.events, &self.trips, &self.trip_order);
        let i = ev.partition_point(|e| (e.at as f64) < t);
        let mut best = i.checked_sub(1).map(|j| ev[j].at as f64);
        let hi = order.partition_point(|&i| trips[i].start < t);
        for &k in order[..hi].iter().rev() {
            let tr = &trips[k];
            if best.is_some_and(|b| tr.start + self.hop <= b) {
                break; // started too early to end later than what was found
            }
            if tr.end() < t && best.is_none_or(|b| tr.end() > b) {
                best = Some(tr.end());
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::{Chunked, CHUNK};

    #[test]
    fn partition_point_finds_the_boundary_in_any_chunk() {
        let mut c = Chunked::default();
        for i in 0..(3 * CHUNK + 7) {
            c.push(i / 3); // each value three times, across chunk boundaries
        }
        for v in [
            0,
            1,
            CHUNK / 3,
            CHUNK / 3 + 1,
            CHUNK,
            3 * CHUNK / 3,
            (3 * CHUNK + 6) / 3,
            usize::MAX,
        ] {
            let want = (0..c.len()).take_while(|&i| c[i] <= v).count();
            assert_eq!(c.partition_point(|&x| x <= v), want, "at {v}");
        }
        assert_eq!(Chunked::<u8>::default().partition_point(|_| true), 0);
        assert_eq!(c.last(), Some(&((3 * CHUNK + 6) / 3)));
    }
}
