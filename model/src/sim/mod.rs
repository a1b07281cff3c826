//! Running a scenario for the page: the trace, and the diagram of the broker afterwards.

mod agenda;
mod clients;
mod scripts;

use clients::Calls;

use crate::diagram::Diagram;
use std::rc::Rc;
use warren_engine::method::Method;
use warren_engine::scenario::{Call, Scenario};
use warren_engine::trace::{run_steps, to_jsonl, Runner};

/// What the page shows for a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    pub name: String,
    pub diagram: Diagram,
    pub trace: String,
}

/// Run a scenario (JSON text) to its end; errors are the scenario's, worded for a person.
pub fn simulate(text: &str) -> Result<Simulation, String> {
    let sc = Scenario::parse(text).map_err(|e| e.to_string())?;
    let mut r = Runner::with_version(sc.seed, sc.rabbitmq.unwrap_or_default());
    let lines = run_steps(&sc.steps, |i, st| r.step(i, st)).map_err(|e| e.to_string())?;
    // producers: each connection that published, with the exchanges it published to
    let mut publishers: Vec<(String, String)> = Vec::new();
    for st in &sc.steps {
        if let Call::Method(Method::BasicPublish { exchange, .. }) = &st.call {
            let p = (st.conn.clone(), exchange.to_string());
            if !publishers.contains(&p) {
                publishers.push(p);
            }
        }
    }
    let show_default = publishers.iter().any(|(_, x)| x.is_empty());
    Ok(Simulation {
        name: sc.name.clone(),
        diagram: Diagram::of(r.broker(), &publishers, show_default),
        trace: to_jsonl(&lines),
    })
}

use crate::design::{Design, Id, OnFailure, Spec};
use crate::timeline::Timeline;
use crate::timeline::{Place, TripKind};
use serde_json::{json, Value};
use warren_engine::event::EventKind;
use warren_engine::exchange::Dest;
use warren_engine::names::{VecMap, VecSet};
use warren_engine::rng::Rng;
use warren_engine::scenario::Step;
use warren_engine::{MsgId, Name};

/// Something the user does while the simulation runs (recorded, so a run can be replayed).
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// A producer publishes (once, or its burst).
    Publish(Id),
    /// A producer publishes (its burst) with another routing key, its other settings unchanged.
    PublishKey(Id, String),
    /// A consumer's client dies: its connection closes, its unacknowledged messages go back to
    /// their queues (redelivered), its exclusive queues are deleted. It stays stopped until
    /// [`Input::Start`].
    Stop(Id),
    /// A stopped consumer's client runs again, as a learner reruns its script: it connects,
    /// declares its queue and bindings as the exported script does, sets its prefetch and
    /// consumes.
    Start(Id),
    /// The broker restarts.
    Restart,
    /// A `rabbitmqctl` command that changes the node, typed in the console (its words).
    Ctl(Vec<String>),
    /// The design changed while running, in a way the run takes ([`crate::edit::plan`]).
    Edit(Box<Design>),
}

/// What a producer or consumer will do at a later simulated instant.
#[derive(Clone, Debug, PartialEq)]
enum Due {
    /// A producer with `every_ms` publishes its burst.
    Publish(Id),
    /// A consumer's callback returns: it replies (RPC), then acks or refuses its delivery.
    Settle {
        consumer: Id,
        generation: u32,
        delivery_tag: u64,
        auto_ack: bool,
        fail: bool,
        /// An RPC server's reply (to, correlation id, body): boxed, few settles have one, and
        /// a page's run can have many settles due.
        reply: Option<Box<(String, Option<String>, String)>>,
        /// The delivery: its message, its queue, and where its dot went (the consumer).
        msg: MsgId,
        queue: Name,
        holder: Place,
    },
    /// A frame a client sent (a publish, an ack…) reaches the broker: its step runs, unless the
    /// client's connection has gone since (stopped, the broker restarted): then it was lost.
    Arrive {
        node: Id,
        generation: u32,
        /// The step, kept small while it travels.
        frame: crate::steps::Frame,
        /// The trips drawn for it, by number (a publish's, numbered once the broker numbers
        /// the message).
        trips: std::ops::Range<usize>,
    },
    /// A user's action planned for its instant (a tutorial's later acts).
    Input(Input),
    /// An RPC client's call returned (its reply came back): it makes its next call.
    Call { producer: Id, generation: u32 },
}

/// A running simulation of a design: the engine driven by the design's producers and consumers
/// in simulated time, every step recorded as a scenario, every event on the timeline.
pub struct Live {
    pub design: Design,
    /// The design the run started from (a rewind starts from it and replays the edits).
    initial: Design,
    runner: Runner,
    /// Every step issued so far in the scenario format, when asked for ([`Live::steps`] replays
    /// the run with it on): a run keeps no steps of its own, the inputs say it all.
    record: Option<Vec<Value>>,
    /// How many steps ran (a step's number in the scenario).
    ran: usize,
    pub timeline: Timeline,
    /// What is due, soonest first (ties in the order scheduled).
    due: agenda::Agenda<Due>,
    /// A publish's hops as previewed (one list, used again for each publish).
    hops: Vec<(Name, Dest)>,
    /// The user's inputs so far, with their simulated instants.
    pub inputs: Vec<(u64, Input)>,
    published: VecMap<Id, u64>,
    rngs: VecMap<Id, Rng>,
    /// A consumer's connection is renewed after a restart; settles from before are dropped.
    generation: VecMap<Id, u32>,
    /// Per consumer: (generation, the instant its client's callback in progress returns). A
    /// pika `BlockingConnection` runs one callback at a time: a delivery that arrives while the
    /// callback of an earlier one runs waits in the client, unacked, until that one returns.
    busy: VecMap<Id, (u32, u64)>,
    /// Per RPC client: its calls.
    calls: VecMap<Id, Calls>,
    /// Per producer: what it publishes, made once for the design as it is (forgotten when the
    /// design changes).
    publishers: VecMap<Id, crate::steps::Publisher>,
    /// Problems the broker reported (channel or connection errors), worded for a person.
    pub problems: Vec<String>,
    /// Consumers whose client was stopped ([`Input::Stop`]).
    pub stopped: VecSet<Id>,
    clock: u64,
    /// How long a message takes along an edge (simulated ms), for [`Live::rewind`].
    hop: f64,
}

impl Live {
    /// Start a design: its setup steps run at instant 0.
    pub fn new(design: Design) -> Live {
        Live::with_hop(design, crate::timeline::HOP)
    }

    /// Start a design whose messages take `hop` simulated ms along each edge (the page's
    /// [`crate::timeline::HOP`]; 0 for a network as fast as loopback, as `warren play --hop-ms 0`
    /// uses to compare with real clients).
    pub fn with_hop(design: Design, hop: f64) -> Live {
        Live::started(design, hop, None)
    }

    /// [`Live::with_hop`], writing every step down in `record` from the setup on (when
    /// `Some`: [`Live::steps`]).
    fn started(design: Design, hop: f64, record: Option<Vec<Value>>) -> Live {
        let mut l = Live {
            runner: Runner::with_version(design.seed, design.rabbitmq),
            timeline: Timeline::with_hop(design.show_default, hop),
            hop,
            record,
            ran: 0,
            due: agenda::Agenda::default(),
            hops: Vec::new(),
            inputs: Vec::new(),
            published: VecMap::new(),
            rngs: VecMap::new(),
            generation: VecMap::new(),
            busy: VecMap::new(),
            calls: VecMap::new(),
            publishers: VecMap::new(),
            problems: Vec::new(),
            stopped: Default::default(),
            clock: 0,
            initial: design.clone(),
            design,
        };
        for s in l.design.setup_steps() {
            l.run_json(s);
        }
        let every: Vec<(Id, u64)> = l
            .design
            .nodes
            .iter()
            .filter_map(|n| match &n.spec {
                Spec::Producer(p) if p.every_ms > 0 => Some((n.id, p.every_ms)),
                _ => None,
            })
            .collect();
        for (id, ms) in every {
            l.schedule(ms, Due::Publish(id));
        }
        l
    }

    /// Rebuild from the design and replay the inputs made up to `t` (the engine is deterministic:
    /// the same seed and inputs give the same events). Later inputs are forgotten.
    pub fn rewind(&mut self, t: u64) {
        let inputs: Vec<(u64, Input)> = self.inputs.iter().filter(|i| i.0 <= t).cloned().collect();
        // actions planned for later than `t` stay planned
        let planned: Vec<(u64, Input)> = self
            .due
            .iter()
            .filter_map(|(at, d)| match d {
                Due::Input(i) => Some((at, i.clone())),
                _ => None,
            })
            .collect();
        let now = std::mem::take(&mut self.design);
        *self = Live::with_hop(self.initial.clone(), self.hop);
        for (at, i) in inputs {
            let _ = self.input(at, i); // an error was reported when it was first made
        }
        for (at, i) in planned {
            self.input_at(at.max(t), i);
        }
        self.advance_to(t);
        // where nodes are drawn is not part of the run: as they are now
        for n in self.design.nodes.iter_mut() {
            if let Some(m) = now.node(n.id) {
                (n.x, n.y) = (m.x, m.y);
            }
        }
    }

    /// The design changes while it runs, at instant `t`: what the run can take applies now
    /// (declarations, bindings, consumers started or stopped, a consumer subscribing again with
    /// its new prefetch) and client settings from the next publish or delivery; what happened
    /// so far stays. A change the run cannot take changes nothing and says why
    /// ([`crate::edit::plan`]): the run must start again for it.
    pub fn edit(&mut self, t: u64, new: Design) -> Result<(), String> {
        if self.design.topology() == new.topology() {
            self.design = new; // only where nodes are drawn
            self.publishers.clear();
            return Ok(());
        }
        let plan = crate::edit::plan(&self.design, &new);
        if let Some(why) = plan.restart {
            return Err(why);
        }
        self.input(t, Input::Edit(Box::new(new)))
    }

    fn apply_edit(&mut self, new: Design) -> Result<(), String> {
        let plan = crate::edit::plan(&self.design, &new);
        if let Some(why) = plan.restart {
            return Err(why);
        }
        for id in plan.stop {
            if !self.stopped.contains(&id) {
                let _ = self.act(Input::Stop(id));
            }
            self.stopped.remove(&id);
        }
        self.design = new;
        self.publishers.clear();
        for s in plan.steps {
            self.run_json(s);
        }
        for id in plan.start {
            self.stopped.insert(id);
            let _ = self.act(Input::Start(id));
        }
        let now = self.runner.now();
        for id in plan.timers {
            if let Some(Spec::Producer(p)) = self.design.node(id).map(|n| &n.spec) {
                let every = p.every_ms;
                self.schedule(now + every, Due::Publish(id));
            }
        }
        Ok(())
    }

    /// Simulated time the engine has reached.
    pub fn clock(&self) -> u64 {
        self.clock
    }

    fn schedule(&mut self, at: u64, d: Due) {
        self.due.push(at, d);
    }

    /// Run a step written as JSON (a design's setup, an edit's declarations, a console
    /// command: not the hot path), with its connection's login.
    fn run_json(&mut self, v: Value) -> usize {
        let v = self.design.with_login(v);
        match crate::steps::step_of(v.clone()) {
            Ok(st) => {
                if let Some(r) = &mut self.record {
                    r.push(v);
                }
                self.exec(&st)
            }
            Err(e) => {
                self.problems.push(e);
                self.timeline.events.len()
            }
        }
    }

    /// Run a step a client sends, typed (a publish, an ack, a wait), with its connection's
    /// login.
    fn run(&mut self, mut st: Step) -> usize {
        if !matches!(st.call, Call::Wait { .. } | Call::Restart) {
            st.login = self.design.login(&st.conn);
        }
        if let Some(r) = &mut self.record {
            r.push(crate::steps::step_json(&st));
        }
        self.exec(&st)
    }

    /// Run one step now: put its events on the timeline, and let the consumers react to their
    /// deliveries. The index of its first event.
    fn exec(&mut self, st: &Step) -> usize {
        let index = self.ran;
        self.ran += 1;
        let first = self.timeline.events.len();
        match self.runner.apply(index, st) {
            Ok(errors) => {
                for (who, code, text) in errors {
                    self.problems.push(format!("{who}: {code} {text}"));
                }
            }
            Err(e) => self.problems.push(e.to_string()),
        }
        self.took(first)
    }

    /// A frame that reached the broker: handed to it as it is when its connection is open and
    /// nothing is being written down (the page's hot road), else run as a step. The index of
    /// its first event.
    fn arrive(&mut self, frame: crate::steps::Frame) -> usize {
        // a frame on an open channel goes to the broker as it is; one that opens a connection
        // or a channel, or that is written down, runs as a step
        let open = match &frame {
            crate::steps::Frame::Publish { conn, .. }
            | crate::steps::Frame::Ack { conn, .. }
            | crate::steps::Frame::Refuse { conn, .. }
                if self.record.is_none() =>
            {
                self.runner.open(conn, 1)
            }
            _ => None,
        };
        let Some(c) = open else {
            return self.run(frame.step());
        };
        match frame.into_method() {
            Ok((_, method)) => {
                self.ran += 1;
                let first = self.timeline.events.len();
                for (who, code, text) in self.runner.send(c, 1, method) {
                    self.problems.push(format!("{who}: {code} {text}"));
                }
                self.took(first)
            }
            Err(frame) => self.run(frame.step()),
        }
    }

    /// Simulated time passes by `ms` (a `wait` step, handed to the engine as it is unless
    /// steps are being written down).
    fn wait(&mut self, ms: u64) {
        if self.record.is_some() {
            self.run(crate::steps::wait(ms));
            return;
        }
        self.ran += 1;
        let first = self.timeline.events.len();
        self.runner.wait(ms);
        self.took(first);
    }

    /// The engine's events since `first` go on the timeline, and the consumers react to their
    /// deliveries. Returns `first`.
    fn took(&mut self, first: usize) -> usize {
        // most steps open no connection: copy the names only when there is a new one
        if self.runner.conn_names().len() != self.timeline.names.len() {
            for (c, n) in self.runner.conn_names() {
                if self.timeline.names.get(c).is_none() {
                    self.timeline.names.insert(*c, n.clone());
                }
            }
        }
        // (the engine's list is handed back empty: no new one for every step)
        let mut events = std::mem::take(&mut self.runner.events);
        self.timeline.push(events.drain(..));
        self.runner.events = events;
        // a consumer's callback starts when its delivery reaches the client, a hop after the
        // broker sent it (the delivery's dot is on its way meanwhile)
        let hop = self.hop.ceil() as u64;
        for i in first..self.timeline.events.len() {
            let e = &self.timeline.events[i];
            if matches!(e.kind, EventKind::Delivered { .. }) {
                let (at, k) = (e.at + hop, e.kind.clone());
                self.react(at, &k);
            }
        }
        first
    }

    fn wait_until(&mut self, t: u64) {
        let now = self.runner.now();
        if t > now {
            self.wait(t - now);
        }
    }

    /// Plan a user's action for instant `at` (not before the simulation's clock): it happens
    /// then, as if made then (a tutorial's later acts, a moment after the one before).
    pub fn input_at(&mut self, at: u64, i: Input) {
        self.schedule(at.max(self.clock), Due::Input(i));
    }

    /// Let simulated time pass to `t`: producers publish, consumers settle, TTLs fire, each at
    /// its instant, in order.
    pub fn advance_to(&mut self, t: u64) {
        loop {
            let due = self.due.next_at();
            let timer = self.runner.server.next_timeout();
            let next = match (due, timer) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            match next {
                Some(n) if n <= t => {
                    if due == Some(n) {
                        self.wait_until(n);
                        if let Some((_, d)) = self.due.pop() {
                            self.fire(n, d);
                        }
                    } else {
                        let ms = n.saturating_sub(self.runner.now());
                        self.wait(ms);
                        if self.runner.server.next_timeout() == Some(n) {
                            break; // a timer that does not fire (never expected): do not spin
                        }
                    }
                }
                _ => break,
            }
        }
        self.clock = self.clock.max(t);
    }

    /// The next instant something is due (a publish, a settle, a TTL), if any.
    pub fn next_due(&self) -> Option<u64> {
        let due = self.due.next_at();
        let timer = self.runner.server.next_timeout();
        match (due, timer) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn fire(&mut self, at: u64, d: Due) {
        match d {
            Due::Publish(id) => {
                let every = match self.design.node(id).map(|n| &n.spec) {
                    Some(Spec::Producer(p)) => p.every_ms,
                    _ => 0,
                };
                if every == 0 {
                    return; // its timer was turned off (or the producer removed) meanwhile
                }
                let _ = self.publish(id);
                if every > 0 {
                    self.schedule(at + every, Due::Publish(id));
                }
            }
            Due::Settle {
                consumer,
                generation,
                delivery_tag,
                auto_ack,
                fail,
                reply,
                msg,
                queue,
                holder,
            } => {
                if self.generation.get(&consumer).copied().unwrap_or(0) != generation {
                    return;
                }
                let Some(node) = self.design.node(consumer) else {
                    return;
                };
                let Spec::Consumer(c) = &node.spec else {
                    return;
                };
                let (conn, c) = (node.name.clone(), c.clone());
                if let (Some(reply), false) = (reply, fail) {
                    let (to, corr, body) = *reply;
                    // a server-named queue is written by its alias, so the step means the same
                    // on a real broker (which names the queue differently)
                    let to = match self.runner.aliases().iter().find(|(_, q)| **q == to) {
                        Some((alias, _)) => format!("${alias}"),
                        None => to,
                    };
                    let properties = warren_engine::message::Properties {
                        correlation_id: corr,
                        ..Default::default()
                    };
                    let publish = Call::Method(Method::BasicPublish {
                        exchange: "".into(),
                        routing_key: to.into(),
                        body: body.into_bytes(),
                        mandatory: false,
                        immediate: false,
                        properties: Rc::new(properties),
                    });
                    self.send_publish(consumer, crate::steps::Frame::of(crate::steps::on(&conn, publish)));
                }
                if auto_ack {
                    return;
                }
                let refused = if c.requeue { TripKind::Requeue } else { TripKind::Fall };
                let requeue = c.requeue;
                let (call, kind) = match (fail, c.on_failure) {
                    (false, _) => (
                        Call::Method(Method::BasicAck {
                            delivery_tag,
                            multiple: false,
                        }),
                        TripKind::Ack,
                    ),
                    (true, OnFailure::Nack) => (
                        Call::Method(Method::BasicNack {
                            delivery_tag,
                            multiple: false,
                            requeue,
                        }),
                        refused,
                    ),
                    (true, OnFailure::Reject) => (Call::Method(Method::BasicReject { delivery_tag, requeue }), refused),
                };
                let frame = crate::steps::Frame::of(crate::steps::on(&conn, call));
                let t = at as f64;
                let trip = self
                    .timeline
                    .add_trip(msg, holder, Some(Place::Queue(queue)), t, t + self.hop, kind);
                self.send(consumer, frame, trip.map_or(0..0, |i| i..i + 1));
            }
            Due::Arrive {
                node,
                generation,
                frame,
                trips,
            } => {
                if self.generation.get(&node).copied().unwrap_or(0) != generation {
                    return; // lost with its connection
                }
                let first = self.arrive(frame);
                let published = (first..self.timeline.events.len()).find_map(|i| match &self.timeline.events[i].kind {
                    EventKind::Published { msg, .. } => Some(*msg),
                    _ => None,
                });
                if let Some(msg) = published {
                    self.timeline.name_trips(trips, msg);
                }
            }
            Due::Call { producer, generation } => {
                if self.generation.get(&producer).copied().unwrap_or(0) == generation {
                    let _ = self.next_call(producer);
                }
            }
            Due::Input(i) => {
                // at its instant, after what was due before it (not what comes after it)
                self.inputs.push((at, i.clone()));
                if let Err(e) = self.act(i) {
                    self.problems.push(e);
                }
            }
        }
    }

    /// Do what the user asked at simulated instant `t` (not before the engine's clock).
    pub fn input(&mut self, t: u64, i: Input) -> Result<(), String> {
        let t = t.max(self.clock);
        self.advance_to(t);
        self.wait_until(t);
        self.inputs.push((t, i.clone()));
        let done = self.act(i);
        // what is due at this very instant (a frame that takes no time, on a 0 ms network)
        self.advance_to(t);
        done
    }

    fn act(&mut self, i: Input) -> Result<(), String> {
        match i {
            Input::Publish(id) => self.publish(id),
            Input::PublishKey(id, key) => self.publish_with(id, Some(&key)),
            Input::Stop(id) => {
                let name = match self.design.node(id) {
                    Some(n) if n.kind() == crate::design::Kind::Consumer => n.name.clone(),
                    Some(n) => return Err(format!("{} is not a consumer", n.name)),
                    None => return Err("that consumer is gone".into()),
                };
                if !self.stopped.insert(id) {
                    return Err(format!("{name} is already stopped"));
                }
                *self.generation.entry(id).or_default() += 1;
                if self.runner.conn_id(&name).is_some() {
                    self.run(crate::steps::on(&name, Call::ConnectionClose));
                }
                Ok(())
            }
            Input::Start(id) => {
                let name = match self.design.node(id) {
                    Some(n) if n.kind() == crate::design::Kind::Consumer => n.name.clone(),
                    Some(n) => return Err(format!("{} is not a consumer", n.name)),
                    None => return Err("that consumer is gone".into()),
                };
                if !self.stopped.remove(&id) {
                    return Err(format!("{name} is already running"));
                }
                *self.generation.entry(id).or_default() += 1;
                for s in self.design.consumer_steps(id) {
                    self.run_json(s);
                }
                Ok(())
            }
            Input::Edit(d) => self.apply_edit(*d),
            Input::Restart => {
                self.run(crate::steps::on("A", Call::Restart));
                self.reconnect();
                Ok(())
            }
            Input::Ctl(words) => {
                self.run_json(json!({"call": "rabbitmqctl", "args": {"command": words}}));
                match words.first().map(String::as_str) {
                    // the clients' connections dropped: what they were processing is forgotten
                    Some("stop_app") => {
                        for n in self.design.nodes.iter() {
                            *self.generation.entry(n.id).or_default() += 1;
                        }
                    }
                    Some("start_app") => self.reconnect(),
                    _ => {}
                }
                Ok(())
            }
        }
    }

    /// A console line's rabbitmqctl words, run at instant `t`: a listing reads the node as it is;
    /// a command that changes it is an input (recorded, replayed on rewind) run as a scenario
    /// step. What rabbitmqctl prints: with `quiet` (`-q`) only its output, else after the line
    /// saying what it does ([`warren_engine::ctl::verbose`]).
    pub fn console(&mut self, t: u64, words: &[&str], quiet: bool) -> warren_engine::ctl::Output {
        use warren_engine::ctl;
        let changes = words.first().is_some_and(|w| ctl::changes_node(w));
        let (running, out) = if !changes {
            (self.runner.server.running(), ctl::run(&self.runner.server, words))
        } else {
            // the node as it is at `t`, when the command is given
            self.advance_to(t);
            let running = self.runner.server.running();
            let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            self.runner.last_ctl = None;
            let _ = self.input(t, Input::Ctl(owned));
            // the step always runs; were it refused, the reason is the last problem
            let out = self.runner.last_ctl.take().unwrap_or_else(|| ctl::Output {
                stdout: String::new(),
                stderr: format!("{}\n", self.problems.last().map_or("not run", String::as_str)),
                status: 70,
            });
            (running, out)
        };
        match quiet {
            true => out,
            false => ctl::verbose(running, words, out),
        }
    }

    /// After a restart (or start_app) the clients reconnect: consumers whose queue survived
    /// subscribe again, producers ask for confirms again.
    fn reconnect(&mut self) {
        let ids: Vec<Id> = self.design.nodes.iter().map(|n| n.id).collect();
        for id in ids {
            *self.generation.entry(id).or_default() += 1;
        }
        let names: Vec<String> = self.runner.broker().queues().map(|q| q.name.to_string()).collect();
        let stopped: Vec<String> = self
            .stopped
            .iter()
            .filter_map(|id| self.design.node(*id).map(|n| n.name.clone()))
            .collect();
        let again: Vec<Value> = self
            .design
            .setup_steps()
            .into_iter()
            .filter(|s| {
                matches!(
                    s["call"].as_str(),
                    Some("basic_qos" | "basic_consume" | "confirm_select")
                ) && !stopped.iter().any(|c| s["conn"].as_str() == Some(c.as_str()))
                    && (s["call"] != "basic_consume"
                        || s["args"]["queue"] == crate::design::DIRECT_REPLY_TO
                        || names.iter().any(|q| s["args"]["queue"].as_str() == Some(q.as_str())))
            })
            .collect();
        // a qos without its consume is harmless; keep pairs together as setup made them
        for s in again {
            self.run_json(s);
        }
    }

    /// The design the run started from.
    pub fn initial(&self) -> &Design {
        &self.initial
    }

    /// Whether the user did anything in this run yet (published, stopped a client, typed a
    /// command…): a run without is as good as a new one.
    pub fn acted(&self) -> bool {
        self.inputs.iter().any(|(_, i)| !matches!(i, Input::Edit(_)))
    }

    /// Whether a consumer's client was stopped at instant `t` (by the inputs made up to then: a
    /// step back shows it running again before its Stop).
    pub fn stopped_at(&self, id: Id, t: u64) -> bool {
        self.inputs
            .iter()
            .take_while(|(at, _)| *at <= t)
            .fold(false, |s, (_, i)| match i {
                Input::Stop(x) if *x == id => true,
                Input::Start(x) if *x == id => false,
                _ => s,
            })
    }

    /// The broker's name for a canvas queue: a server-named queue's `amq.gen-…` once declared.
    pub fn real_queue(&self, name: &str) -> String {
        match self.design.by_name(crate::design::Kind::Queue, name).map(|n| &n.spec) {
            Some(Spec::Queue(q)) if q.server_named => self.runner.aliases().get(name).cloned().unwrap_or_default(),
            _ => name.to_string(),
        }
    }

    /// The canvas name of a queue the broker names `real`.
    pub fn canvas_queue<'a>(&'a self, real: &'a str) -> &'a str {
        self.runner
            .aliases()
            .iter()
            .find(|(_, q)| q.as_str() == real)
            .map_or(real, |(a, _)| a.as_str())
    }

    /// The node (vhosts, users), for the console.
    pub fn server(&self) -> &warren_engine::Server {
        &self.runner.server
    }

    /// The broker, for views that read its state directly.
    pub fn broker(&self) -> &warren_engine::Broker {
        self.runner.broker()
    }

    /// The steps run so far as a scenario (for `warren trace` or a real broker).
    pub fn scenario(&self) -> Value {
        json!({"name": self.design.name, "seed": self.design.seed, "rabbitmq": self.design.rabbitmq.as_str(), "steps": self.steps()})
    }

    /// Every step issued so far (the scenario format), `wait`s included: the run replayed from
    /// its inputs with its steps written down (a run keeps none of its own).
    pub fn steps(&self) -> Vec<Value> {
        let mut l = Live::started(self.initial.clone(), self.hop, Some(Vec::new()));
        for (at, i) in &self.inputs {
            let _ = l.input(*at, i.clone());
        }
        l.advance_to(self.clock);
        l.record.take().unwrap_or_default()
    }

    /// What a pika client would have seen so far, one line per step outcome (each with its
    /// `step`): the steps run again by the engine's trace runner.
    pub fn trace(&self) -> Vec<Value> {
        let steps: Vec<Step> = self
            .steps()
            .into_iter()
            .filter_map(|s| crate::steps::step_of(s).ok())
            .collect();
        let mut r = Runner::with_version(self.design.seed, self.design.rabbitmq);
        warren_engine::trace::run_steps(&steps, |i, st| r.step(i, st)).unwrap_or_default()
    }
}
