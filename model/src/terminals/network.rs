//! The network between the scripts and the broker: a frame a script sends reaches the broker a
//! hop later, and what the broker sends a script's connections reaches it a hop after that, as
//! the page draws the design's own clients' frames ([`crate::sim::Live`]). A frame on its way
//! is drawn on the timeline: a publish along its route, an ack back to its queue.

use super::{route, State, Terminals};
use crate::sim::Live;
use crate::timeline::{Place, TripKind};
use serde_json::{json, Value};
use warren_engine::event::EventKind;
use warren_engine::method::Method;
use warren_engine::scenario::{Call, Login, Scenario, Step};
use warren_engine::{MsgId, Name};

/// What a script sends the broker.
pub(super) enum Frame {
    /// `pika.BlockingConnection(...)`: its next connection, logged in so.
    Connect(Login),
    /// An AMQP method (a scenario's step), with the trips drawn for it.
    Step(Step, std::ops::Range<usize>),
    /// Its process ended: these connections close.
    Close(Vec<String>),
}

/// A frame on its way: it reaches the broker at `at`.
pub(super) struct Sent {
    pub at: u64,
    terminal: usize,
    /// The number of the call whose answer the script waits for (None: a cast).
    call: Option<u64>,
    frame: Frame,
}

/// A delivery to a script not settled yet: where its ack's dot starts.
pub(super) struct Held {
    conn: String,
    ch: u16,
    delivery_tag: u64,
    msg: MsgId,
    queue: Name,
    holder: Place,
}

impl Terminals {
    /// Terminal `k` sends a frame now, not waiting for an answer.
    pub(super) fn send(&mut self, live: &mut Live, k: usize, frame: Frame) {
        self.send_call(live, k, frame, None);
    }

    /// Terminal `k` sends a frame now; `call`: the number of the call it waits on.
    pub(super) fn send_call(&mut self, live: &mut Live, k: usize, frame: Frame, call: Option<u64>) {
        let at = self.now + self.hop;
        self.frames.push_back(Sent {
            at,
            terminal: k,
            call,
            frame,
        });
        if self.hop == 0 {
            // a loopback network: it is there before anything else happens
            let f = self.frames.pop_back().expect("the frame");
            self.arrive(live, f);
        }
    }

    /// A frame reaches the broker now: what it does, and the answer the script waits for on its
    /// way back.
    pub(super) fn arrive(&mut self, live: &mut Live, f: Sent) {
        self.catch_up(live);
        let k = f.terminal;
        let answer = match f.frame {
            Frame::Connect(login) => {
                self.shape += 1;
                let name = route::conn_name(k, self.terminals[k].conns.len());
                match live.script_connect(&name, &login) {
                    Ok(()) => {
                        self.terminals[k].conns.push(name.clone());
                        Some((json!({ "conn": name }), false))
                    }
                    Err(e) => Some((json!({ "refused": { "code": e.code, "text": e.text } }), false)),
                }
            }
            Frame::Step(step, trips) => {
                if !matches!(
                    step.call,
                    Call::Method(
                        Method::BasicPublish { .. }
                            | Method::BasicAck { .. }
                            | Method::BasicNack { .. }
                            | Method::BasicReject { .. }
                    )
                ) {
                    self.shape += 1;
                }
                let (ok, first) = live.script_step(&step, trips);
                // a basic_get's answer is its delivery (or get_empty): it is the reply, not an event
                let caller = f.call.map(|_| (step.conn.as_str(), step.ch));
                let got = self.read(live, first, caller);
                Some((ok.or(got).unwrap_or(Value::Null), true))
            }
            Frame::Close(conns) => {
                self.shape += 1;
                for conn in conns {
                    if live.runner().conn_id(&conn).is_some() {
                        let (_, first) = live.script_step(&crate::steps::on(&conn, Call::ConnectionClose), 0..0);
                        self.read(live, first, None);
                    }
                    self.held.retain(|h| h.conn != conn);
                }
                None
            }
        };
        self.catch_up(live);
        let (Some(id), Some((answer, with_events))) = (f.call, answer) else {
            return;
        };
        let term = &mut self.terminals[k];
        if term.state == State::Answer(id) {
            term.answer = Some((id, self.now + self.hop, answer, with_events));
        }
    }

    /// What the broker did since the run last looked (a TTL, a console command, another client)
    /// reaches the scripts' connections.
    pub(super) fn catch_up(&mut self, live: &Live) {
        let from = self.seen;
        self.read(live, from, None);
    }

    /// Read the timeline's events from `first`: each trace line for a script's connection goes
    /// to its terminal, reaching it a hop after the broker sent it. The first `get` or
    /// `get_empty` on `caller`'s connection and channel is returned instead: its call's reply.
    fn read(&mut self, live: &Live, first: usize, caller: Option<(&str, u16)>) -> Option<Value> {
        let mut reply = None;
        let n = live.timeline.events.len();
        for i in first.max(self.seen)..n {
            let e = &live.timeline.events[i];
            let Some(line) = live.client_line(i) else {
                continue;
            };
            let conn = line["conn"].as_str().unwrap_or_default().to_string();
            let Some(k) = route::terminal_of(&conn).filter(|&k| k < self.terminals.len()) else {
                continue;
            };
            let ch = line["ch"].as_u64().unwrap_or(0) as u16;
            if let EventKind::Delivered {
                msg,
                queue,
                consumer_tag,
                delivery_tag,
                auto_ack,
                ..
            } = &e.kind
            {
                let role = &mut self.terminals[k].role;
                if role.delivered.is_none() && consumer_tag.is_some() {
                    role.delivered = Some(i);
                    self.shape += 1;
                }
                if !auto_ack {
                    let holder = match consumer_tag {
                        Some(tag) => Place::Consumer(conn.as_str().into(), tag.clone()),
                        None => Place::Client(conn.as_str().into()),
                    };
                    self.held.push(Held {
                        conn: conn.clone(),
                        ch,
                        delivery_tag: *delivery_tag,
                        msg: *msg,
                        queue: queue.clone(),
                        holder,
                    });
                }
            }
            let kind = line["kind"].as_str().unwrap_or_default();
            if reply.is_none()
                && matches!(kind, "get" | "get_empty")
                && caller.is_some_and(|(c, h)| c == conn && h == ch)
            {
                reply = Some(line);
                continue;
            }
            if self.terminals[k].alive() {
                self.seq += 1;
                let at = e.at + self.hop;
                self.terminals[k].inbox.push_back((self.seq, at, line));
            }
        }
        self.seen = n;
        reply
    }

    /// Draw a frame terminal `k` sends now: a publish along its route, an ack (a nack, a
    /// reject) from the script back to the message's queue. The trips to name when it arrives.
    pub(super) fn draw(&mut self, live: &mut Live, step: &Step) -> std::ops::Range<usize> {
        let (tag, multiple, kind) = match &step.call {
            Call::Method(Method::BasicPublish {
                exchange, routing_key, ..
            }) => {
                if let Some(k) = route::terminal_of(&step.conn) {
                    let role = &mut self.terminals[k].role;
                    if role.published.is_none() {
                        role.published = Some(self.seen);
                        self.shape += 1;
                    }
                    let n = role.targets.len();
                    role.published_to(exchange, routing_key);
                    if role.targets.len() != n {
                        self.shape += 1;
                    }
                }
                return live.draw_sent(step);
            }
            Call::Method(Method::BasicConsume { .. } | Method::BasicGet { .. }) => {
                if let Some(k) = route::terminal_of(&step.conn) {
                    self.terminals[k].role.consumes = true;
                }
                return 0..0;
            }
            Call::Method(Method::BasicAck { delivery_tag, multiple }) => (*delivery_tag, *multiple, TripKind::Ack),
            Call::Method(Method::BasicNack {
                delivery_tag,
                multiple,
                requeue,
            }) => (
                *delivery_tag,
                *multiple,
                if *requeue { TripKind::Requeue } else { TripKind::Fall },
            ),
            Call::Method(Method::BasicReject { delivery_tag, requeue }) => (
                *delivery_tag,
                false,
                if *requeue { TripKind::Requeue } else { TripKind::Fall },
            ),
            _ => return 0..0,
        };
        let t = self.now as f64;
        let hop = self.hop as f64;
        let settled = |h: &Held| {
            h.conn == step.conn
                && h.ch == step.ch
                && (h.delivery_tag == tag || (multiple && h.delivery_tag <= tag) || tag == 0 && multiple)
        };
        for h in self.held.iter().filter(|h| settled(h)) {
            let to = Some(Place::Queue(h.queue.clone()));
            live.timeline.add_trip(h.msg, h.holder.clone(), to, t, t + hop, kind);
        }
        self.held.retain(|h| !settled(h));
        0..0
    }

    /// A pika call's message as a scenario's step on one of terminal `k`'s channels, or what
    /// pika would refuse.
    pub(super) fn step_of(&self, k: usize, msg: &Value) -> Result<Step, String> {
        let conn = msg["conn"].as_str().unwrap_or_default().to_string();
        if !self.terminals[k].conns.contains(&conn) {
            return Err(format!("warren: '{conn}' is not a connection of this script"));
        }
        let mut step = json!({"conn": conn, "ch": msg["ch"], "call": msg["call"]});
        if !msg["args"].is_null() {
            step["args"] = msg["args"].clone();
        }
        // (read as a scenario's step is; not through steps::step_of, which the page's first load
        // has inlined where it opens)
        match Scenario::from_json(json!({ "steps": [step] })) {
            Ok(sc) => Ok(sc.steps.into_iter().next().expect("one step")),
            Err(e) => {
                let text = e.to_string();
                Err(text.strip_prefix("step 0: ").unwrap_or(&text).to_string())
            }
        }
    }
}
