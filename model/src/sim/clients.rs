//! The clients of a running design: producers publish (each with its publisher; an RPC client
//! one call at a time), consumers react to their deliveries (one callback at a time, as pika's
//! `BlockingConnection`) and settle them, and every frame a client sends is drawn on its way to
//! the broker.

use super::*;

impl Live {
    /// A client sends a frame now: it reaches the broker a hop later ([`Due::Arrive`]). `trips`
    /// are its dots, already drawn.
    pub(super) fn send(&mut self, node: Id, frame: crate::steps::Frame, trips: std::ops::Range<usize>) {
        let generation = self.generation.get(&node).copied().unwrap_or(0);
        let at = self.runner.now() + self.hop.ceil() as u64;
        self.schedule(
            at,
            Due::Arrive {
                node,
                generation,
                frame,
                trips,
            },
        );
    }

    /// A client publishes now (`step` is its `basic_publish`): the message is drawn on its way
    /// along the route the broker's bindings now give it (to the exchange in the first half of
    /// the hop, then through the bindings), and the broker takes it a hop later.
    pub(super) fn send_publish(&mut self, node: Id, frame: crate::steps::Frame) {
        let trips = match &frame {
            crate::steps::Frame::Publish {
                conn,
                exchange,
                routing_key,
                properties,
                ..
            } => self.draw_publish(conn, exchange, routing_key, properties),
            _ => 0..0,
        };
        self.send(node, frame, trips);
    }

    /// Draw a message client `conn` publishes now along the route the broker's bindings now
    /// give it (to the exchange in the first half of the hop, then through the bindings): its
    /// trips, to be named once the broker numbers the message ([`Timeline::name_trips`]).
    pub(super) fn draw_publish(
        &mut self,
        conn: &Name,
        exchange: &Name,
        routing_key: &Name,
        properties: &Rc<warren_engine::message::Properties>,
    ) -> std::ops::Range<usize> {
        let t = self.runner.now() as f64;
        let h = self.hop;
        let alias = match routing_key.strip_prefix('$') {
            Some(alias) => self.runner.aliases().get(alias).map(|q| Name::from(q.as_str())),
            None => None,
        };
        let rk = alias.as_ref().unwrap_or(routing_key);
        let mut hops = std::mem::take(&mut self.hops);
        self.runner.server.preview_route(exchange, rk, properties, &mut hops);
        let (client, exchange) = (Place::Client(conn.clone()), exchange.clone());
        let tl = &mut self.timeline;
        // its trips are the ones added now, one after the other
        let first = tl.trips.len();
        let none = MsgId(0);
        let add = |tl: &mut crate::timeline::Timeline, from: Place, to: Option<Place>, a: f64, b: f64| {
            let kind = if to.is_some() { TripKind::Flow } else { TripKind::Fall };
            tl.add_trip(none, from, to, a, b, kind);
        };
        if exchange.is_empty() && !tl.show_default {
            // the default exchange is not drawn: straight to the queue the key names
            let to = hops.iter().find_map(|(_, d)| match d {
                Dest::Queue(q) => Some(Place::Queue(q.clone())),
                Dest::Exchange(_) => None,
            });
            add(tl, client, to, t, t + h);
        } else {
            let x = Place::Exchange(exchange.clone());
            add(tl, client, Some(x.clone()), t, t + h / 2.0);
            if hops.is_empty() {
                add(tl, x, None, t + h / 2.0, t + h);
            }
            // the hops level by level (an exchange bound to an exchange is one level further)
            let mut depth: VecMap<Name, usize> = VecMap::new();
            depth.insert(exchange.clone(), 0);
            let mut levels = Vec::new();
            for (from, to) in &hops {
                let d = depth.get(from).copied().unwrap_or(0);
                if let Dest::Exchange(e) = to {
                    if depth.get(e).is_none() {
                        depth.insert(e.clone(), d + 1);
                    }
                }
                levels.push(d);
            }
            let span = h / 2.0 / (levels.iter().max().map_or(1, |m| m + 1) as f64);
            for ((from, to), d) in hops.iter().zip(levels) {
                let a = t + h / 2.0 + d as f64 * span;
                let to = match to {
                    Dest::Queue(q) => Place::Queue(q.clone()),
                    Dest::Exchange(e) => Place::Exchange(e.clone()),
                };
                add(tl, Place::Exchange(from.clone()), Some(to), a, a + span);
            }
        }
        self.hops = hops;
        first..self.timeline.trips.len()
    }

    /// A consumer that got a delivery runs its callback once the callbacks of its earlier
    /// deliveries have returned (one at a time, as pika's `BlockingConnection` does); the
    /// callback lasts the processing time, and its reply and ack (or nack, reject) leave when it
    /// returns.
    pub(super) fn react(&mut self, at: u64, k: &EventKind) {
        let EventKind::Delivered {
            conn,
            consumer_tag: Some(tag),
            delivery_tag,
            auto_ack,
            message,
            msg,
            queue,
            ..
        } = k
        else {
            return;
        };
        let Some(name) = self.timeline.names.get(conn) else {
            return;
        };
        let Some(node) = self.design.nodes.iter().find(|n| &n.name == name && n.name == **tag) else {
            return;
        };
        if node.kind() == crate::design::Kind::Producer {
            // an RPC client's reply: the call it answers returns (when its correlation id is
            // the one awaited: rpc_client.py ignores others), and the next call goes out
            let (id, generation) = (node.id, self.generation.get(&node.id).copied().unwrap_or(0));
            if let Some(calls) = self.calls.get_mut(&id) {
                if calls.generation == generation && calls.waiting.as_ref() == Some(&message.properties.correlation_id)
                {
                    calls.waiting = None;
                    if !calls.queued.is_empty() {
                        self.schedule(
                            at,
                            Due::Call {
                                producer: id,
                                generation,
                            },
                        );
                    }
                }
            }
            return;
        }
        let Spec::Consumer(c) = &node.spec else {
            return;
        };
        let (id, c) = (node.id, c.clone());
        let seed = self.design.seed;
        let rng = self
            .rngs
            .entry(id)
            .or_insert_with(|| Rng::fork(seed, &format!("consumer {name}")));
        let fail = c.failure_pct > 0 && rng.below(100) < c.failure_pct as u64;
        let reply = match (&message.properties.reply_to, c.reply) {
            (Some(to), true) => Some(Box::new((
                to.clone(),
                message.properties.correlation_id.clone(),
                format!("reply to {}", message.body_text()),
            ))),
            _ => None,
        };
        let holder = self.timeline.consumer_place(conn, tag);
        let generation = self.generation.get(&id).copied().unwrap_or(0);
        let start = match self.busy.get(&id) {
            Some(&(g, until)) if g == generation => until.max(at),
            _ => at,
        };
        let done = start + c.processing_ms;
        self.busy.insert(id, (generation, done));
        if *auto_ack && reply.is_none() {
            return;
        }
        self.schedule(
            done,
            Due::Settle {
                consumer: id,
                generation,
                delivery_tag: *delivery_tag,
                auto_ack: *auto_ack,
                fail,
                reply,
                msg: *msg,
                queue: queue.clone(),
                holder,
            },
        );
    }

    /// A producer publishes its burst now; an error if it is not linked to an exchange or queue.
    pub(super) fn publish(&mut self, id: Id) -> Result<(), String> {
        self.publish_with(id, None)
    }

    pub(super) fn publish_with(&mut self, id: Id, key: Option<&str>) -> Result<(), String> {
        let burst = match self.design.node(id) {
            Some(n) => match &n.spec {
                Spec::Producer(p) => p.burst.max(1),
                _ => return Err(format!("{} is not a producer", n.name)),
            },
            None => return Err("that producer is gone".into()),
        };
        // (its name only for what goes wrong: a click must not copy it)
        let unlinked = |d: &crate::design::Design| {
            let name = d.node(id).map_or("", |n| n.name.as_str());
            format!("{name} is not linked to an exchange or a queue: draw a link from it first")
        };
        if self.design.reads_replies(id) {
            if self.design.producer_target(id).is_none() {
                return Err(unlinked(&self.design));
            }
            // an RPC client: its calls, one at a time
            let generation = self.generation.get(&id).copied().unwrap_or(0);
            let calls = self.calls.entry(id).or_default();
            if calls.generation != generation {
                *calls = Calls {
                    generation,
                    ..Calls::default()
                };
            }
            calls.queued.extend((0..burst).map(|_| key.map(str::to_string)));
            if calls.waiting.is_none() {
                self.next_call(id)?;
            }
            return Ok(());
        }
        for _ in 0..burst {
            let n = self.published.entry(id).or_insert(0);
            *n += 1;
            let n = *n;
            let Some(frame) = self.publisher(id).map(|p| p.frame(n, key)) else {
                return Err(unlinked(&self.design));
            };
            self.send_publish(id, frame);
        }
        Ok(())
    }

    /// A producer's publisher, made on first use for the design as it is.
    pub(super) fn publisher(&mut self, id: Id) -> Option<&crate::steps::Publisher> {
        if self.publishers.get(&id).is_none() {
            let p = self.design.publisher(id)?;
            self.publishers.insert(id, p);
        }
        self.publishers.get(&id)
    }

    /// An RPC client makes its next call: it publishes the request and waits for the reply
    /// with its correlation id.
    pub(super) fn next_call(&mut self, id: Id) -> Result<(), String> {
        let Some(calls) = self.calls.get_mut(&id) else {
            return Ok(());
        };
        let Some(key) = calls.queued.pop_front() else {
            return Ok(());
        };
        let n = self.published.entry(id).or_insert(0);
        *n += 1;
        let n = *n;
        let Some(frame) = self.publisher(id).map(|p| p.frame(n, key.as_deref())) else {
            return Err("that producer is not linked to an exchange or a queue".into());
        };
        let corr = match &frame {
            crate::steps::Frame::Publish { properties, .. } => properties.correlation_id.clone(),
            _ => None,
        };
        if let Some(calls) = self.calls.get_mut(&id) {
            calls.waiting = Some(corr);
        }
        self.send_publish(id, frame);
        Ok(())
    }
}

/// An RPC client's calls (a producer that reads its own replies, [`Design::reads_replies`]): as
/// the tutorial's `rpc_client.py`, it makes one call at a time, each a request published and a
/// wait for the reply with its correlation id.
#[derive(Clone, Debug, Default)]
pub(super) struct Calls {
    /// The client's connection these calls belong to (a restart ends the script's calls).
    pub(super) generation: u32,
    /// The call in progress: the correlation id its reply will carry.
    pub(super) waiting: Option<Option<String>>,
    /// The calls asked for and not made yet (each with its routing key, if not the producer's).
    pub(super) queued: std::collections::VecDeque<Option<String>>,
}
