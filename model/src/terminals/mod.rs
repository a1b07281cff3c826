//! Terminals: a learner's own Python scripts (pika clients) run the way a person runs them, one
//! terminal each, all on the simulation's clock.
//!
//! Each terminal runs one script in a Python of its own (a process, as `python receive.py` is;
//! CPython compiled to wasm, see `python/`). The script's `pika` is Warren's: each blocking call
//! is a message to this coordinator, which answers it from the simulated broker. Only one script
//! runs at a time; the others wait for their answer, so a run is a sequence of instants and the
//! same scripts give the same run every time. A script's own code takes no simulated time: time
//! passes only while every script waits (in `time.sleep`, `start_consuming`,
//! `process_data_events`), and then it jumps to the next instant anything happens.
//!
//! The person at the terminals ([`Terminals::new`]) types the commands in order: the next one once
//! every terminal has printed nothing for [`NEXT_COMMAND_AFTER_MS`]; after the last one, once
//! every terminal has printed nothing for [`INTERRUPT_AFTER_MS`], Ctrl+C in each terminal whose
//! script still runs.
//!
//! Sans IO: whoever runs the Pythons (the CLI's Node processes, the page's workers) asks
//! [`Terminals::what_next`] what happens next, hands each message a script sends to
//! [`Terminals::message`], and sends back what they return. The messages are `protocol.md`'s.

mod canvas;
mod command;
mod network;
pub mod route;
pub mod run;

pub use canvas::{client_node, node_name};
pub use command::{split_words, Command};

use crate::sim::Live;
use serde_json::{json, Value};
use std::collections::VecDeque;

/// The next command is typed once every terminal has printed nothing for this long (ms).
pub const NEXT_COMMAND_AFTER_MS: u64 = 1500;
/// After the last command, Ctrl+C once every terminal has printed nothing for this long (ms).
pub const INTERRUPT_AFTER_MS: u64 = 2000;
/// A run gets Ctrl+C in every terminal after this much simulated time (ms), and a terminal whose
/// script goes on is closed.
pub const TIME_BUDGET_MS: u64 = 10 * 60 * 1000;
/// A script gets Ctrl+C once it has sent this many messages (calls, prints, sleeps), and its
/// terminal is closed at twice as many.
pub const STEP_BUDGET: u64 = 50_000;

/// Which of a script's streams a line went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A line a script printed, at the simulated instant it printed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub t_ms: u64,
    pub stream: Stream,
    pub text: String,
}

/// The texts of the lines printed to `stream`.
pub fn printed(lines: &[Line], stream: Stream) -> Vec<&str> {
    lines
        .iter()
        .filter(|l| l.stream == stream)
        .map(|l| l.text.as_str())
        .collect()
}

/// One terminal: its command, what it printed, how it ended.
#[derive(Clone, Debug)]
pub struct Terminal {
    pub command: Command,
    pub lines: Vec<Line>,
    /// The script's exit status, once it has ended (130: Ctrl+C it did not catch, as a shell
    /// reports it).
    pub exit: Option<i32>,
    /// When its command was typed, and when its script ended.
    pub started_at: Option<u64>,
    pub ended_at: Option<u64>,
    state: State,
    /// What the broker sent its connections that the script has not been told yet: its place
    /// in the order things happened, the instant it reaches the script, the trace line.
    inbox: VecDeque<(u64, u64, Value)>,
    /// The answer to its call on its way back: the call's number, when it arrives, the answer
    /// (and whether what came before it goes with it).
    answer: Option<(u64, u64, Value, bool)>,
    /// Its connections so far (their names are `t<terminal>`, `t<terminal>.<n>`).
    conns: Vec<String>,
    /// Its stdin lines not read yet.
    stdin: VecDeque<String>,
    sent: u64,
    /// It got Ctrl+C for making too many calls.
    over_budget: bool,
    /// What it did, that says how the canvas draws it ([`canvas`]).
    role: canvas::Role,
}

impl Terminal {
    /// What it printed to stdout, line by line.
    pub fn stdout(&self) -> Vec<&str> {
        printed(&self.lines, Stream::Stdout)
    }

    /// What it printed to stderr (and what Warren said there), line by line.
    pub fn stderr(&self) -> Vec<&str> {
        printed(&self.lines, Stream::Stderr)
    }

    /// Whether its script runs (started, not ended).
    pub fn alive(&self) -> bool {
        !matches!(self.state, State::NotStarted | State::Exited)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum State {
    NotStarted,
    /// Its script runs now (the coordinator reads its messages).
    Running,
    /// Its answer is ready: it goes on as soon as it is its turn.
    Ready(Value),
    /// Waits for the answer to call number `.0`, on its way over the network.
    Answer(u64),
    /// Waits for the broker (consuming, `process_data_events`), until an instant or forever.
    Events {
        until: Option<u64>,
    },
    /// In `time.sleep` until an instant.
    Sleep {
        until: u64,
    },
    Exited,
}

/// What happens next (from [`Terminals::what_next`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Next {
    /// Start terminal `.0`'s script (its command is [`Terminal::command`]).
    Start(usize),
    /// Send terminal `.0`'s script this answer: it goes on.
    Resume(usize, Value),
    /// Stop terminal `.0`'s process: it is over (the reason is already in its lines).
    Kill(usize),
    /// Nothing happens until after the instant the run may reach ([`Terminals::hold_at`]):
    /// every script waits there.
    Hold,
    /// Every script has ended.
    Done,
}

/// What to do with a message a running script sent (from [`Terminals::message`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Handled {
    /// Nothing to send back: read its next message.
    Continue,
    /// Send it this answer now: it goes on.
    Reply(Value),
    /// It waits: ask [`Terminals::what_next`] what happens next.
    Waits,
    /// Its script has ended (its process ends by itself).
    Exited,
    /// Stop its process: it is over (the reason is in its lines).
    Kill,
}

/// The coordinator of a run of terminals. Its broker is a [`Live`] the caller keeps (the
/// page's, whose canvas and timeline show the run; a new one for the CLI), handed to every call
/// that may reach it.
pub struct Terminals {
    pub terminals: Vec<Terminal>,
    /// How long a frame takes between a script and the broker (simulated ms).
    hop: u64,
    /// The run's instant.
    now: u64,
    /// The run goes no further than this instant (the page's playback clock).
    horizon: u64,
    /// After the last command, the person presses Ctrl+C in every terminal once all have been
    /// quiet for [`INTERRUPT_AFTER_MS`] (`warren python`); else the learner does, when they
    /// choose ([`Terminals::interrupt`]).
    pub auto_interrupt: bool,
    /// Frames on their way to the broker, in the order they arrive.
    frames: VecDeque<network::Sent>,
    /// How many of the timeline's events the run has read.
    seen: usize,
    /// Deliveries to the scripts not settled yet (where an ack's dot starts).
    held: Vec<network::Held>,
    /// Calls numbered so far.
    calls: u64,
    /// Commands typed so far.
    started: usize,
    /// The last instant any terminal printed something, or a command was typed.
    quiet_since: u64,
    /// Ctrl+C was pressed in every terminal, at this instant.
    interrupted_at: Option<u64>,
    /// Terminals to get Ctrl+C, in turn.
    interrupting: VecDeque<usize>,
    /// Terminals whose answer is ready, in the order they became ready.
    ready: VecDeque<usize>,
    seq: u64,
    /// The run reached [`TIME_BUDGET_MS`] (and every terminal got Ctrl+C).
    out_of_time: bool,
    /// Bumped whenever what the canvas draws of the scripts may have changed (a declaration,
    /// a binding, a consumer, a connection, a script's role).
    pub shape: u64,
}

impl Terminals {
    /// Terminals for `commands`, typed in order, whose frames take `hop` ms to and from the
    /// broker (the page's [`crate::timeline::HOP`]; 0 for a loopback network).
    pub fn new(commands: Vec<Command>, hop: u64) -> Terminals {
        Terminals {
            terminals: commands
                .into_iter()
                .map(|command| Terminal {
                    stdin: command.stdin.lines().map(str::to_string).collect(),
                    command,
                    lines: Vec::new(),
                    exit: None,
                    started_at: None,
                    ended_at: None,
                    state: State::NotStarted,
                    inbox: VecDeque::new(),
                    answer: None,
                    conns: Vec::new(),
                    sent: 0,
                    over_budget: false,
                    role: canvas::Role::default(),
                })
                .collect(),
            hop,
            now: 0,
            horizon: u64::MAX,
            auto_interrupt: true,
            frames: VecDeque::new(),
            seen: 0,
            held: Vec::new(),
            calls: 0,
            started: 0,
            quiet_since: 0,
            interrupted_at: None,
            interrupting: VecDeque::new(),
            ready: VecDeque::new(),
            seq: 0,
            out_of_time: false,
            shape: 0,
        }
    }

    /// Simulated time (ms since the first command).
    pub fn now(&self) -> u64 {
        self.now
    }

    /// How long a frame takes between a script and the broker (ms).
    pub fn hop(&self) -> u64 {
        self.hop
    }

    /// How far the run may go.
    pub fn horizon(&self) -> u64 {
        self.horizon
    }

    /// The run may go as far as instant `t` (the page's playback clock), and no further.
    pub fn hold_at(&mut self, t: u64) {
        self.horizon = t;
    }

    /// Ctrl+C in terminal `k`, now (the learner's, or the Stop button's in every terminal): its
    /// script gets `KeyboardInterrupt` where it waits, before anything else happens. Whoever
    /// runs it interrupts a script that computes ([`run::Run::interrupt`]).
    pub fn interrupt(&mut self, k: usize) {
        if self.terminals.get(k).is_some_and(Terminal::alive) && !self.interrupting.contains(&k) {
            self.interrupting.push_back(k);
        }
    }

    /// Stop the run now: nothing more is typed, and Ctrl+C in every terminal whose script runs;
    /// one still running [`INTERRUPT_AFTER_MS`] later has its terminal closed.
    pub fn stop(&mut self) {
        self.started = self.terminals.len();
        self.interrupted_at = Some(self.now);
        self.quiet_since = self.now;
        for k in 0..self.terminals.len() {
            self.interrupt(k);
        }
    }

    /// What happens next: a script resumes, a command is typed, or time passes until one of
    /// these can happen.
    pub fn what_next(&mut self, live: &mut Live) -> Next {
        loop {
            // what reaches the broker or a script at this very instant
            self.settle(live);
            // Ctrl+C: each script gets it before anything else
            if let Some(k) = self.interrupting.pop_front() {
                if self.terminals[k].alive() && self.terminals[k].state != State::Running {
                    self.ready.retain(|&r| r != k);
                    self.terminals[k].state = State::Running;
                    return Next::Resume(k, json!({ "interrupt": true }));
                }
                continue;
            }
            if let Some(k) = self.ready.pop_front() {
                if let State::Ready(v) = std::mem::replace(&mut self.terminals[k].state, State::Running) {
                    return Next::Resume(k, v);
                }
                continue;
            }
            // a script waiting for the broker, with something from it: the earliest first
            let now = self.now;
            let waiting = (0..self.terminals.len())
                .filter(|&k| matches!(self.terminals[k].state, State::Events { .. }))
                .filter_map(|k| {
                    let (seq, at, _) = self.terminals[k].inbox.front()?;
                    (*at <= now).then_some((*seq, k))
                })
                .min();
            if let Some((_, k)) = waiting {
                let events = self.take_inbox(k);
                self.terminals[k].state = State::Running;
                return Next::Resume(k, json!({ "events": events, "now_ms": now }));
            }
            if let Some(next) = self.pass_time(live) {
                return next;
            }
        }
    }

    /// What is due at this instant: frames reach the broker, and answers reach the scripts
    /// that wait for them (the ends of sleeps and waits come once nothing else is left to do at
    /// this instant: [`Terminals::pass_time`]).
    fn settle(&mut self, live: &mut Live) {
        while self.frames.front().is_some_and(|f| f.at <= self.now) {
            let f = self.frames.pop_front().expect("a frame");
            self.arrive(live, f);
        }
        self.catch_up(live);
        for k in 0..self.terminals.len() {
            if let Some(answer) = self.answered(k) {
                self.terminals[k].state = State::Ready(answer);
                self.ready.push_back(k);
            }
        }
    }

    /// Terminal `k`'s answer, if it waits for one and it has reached it now (with what came
    /// before it, for a call's). Its arrival is something the terminal shows, as a print is.
    fn answered(&mut self, k: usize) -> Option<Value> {
        let now = self.now;
        let term = &mut self.terminals[k];
        let State::Answer(id) = term.state else {
            return None;
        };
        if !term.answer.as_ref().is_some_and(|a| a.0 == id && a.1 <= now) {
            return None;
        }
        let (_, _, answer, with_events) = term.answer.take().expect("an answer");
        self.quiet_since = self.quiet_since.max(now);
        Some(match with_events {
            true => json!({ "reply": answer, "events": self.take_inbox(k) }),
            false => answer,
        })
    }

    /// Every script waits: time passes to the next instant something happens there. `None`:
    /// something became ready (ask again); or what happens.
    fn pass_time(&mut self, live: &mut Live) -> Option<Next> {
        let now = self.now;
        let alive: Vec<usize> = (0..self.terminals.len())
            .filter(|&k| self.terminals[k].alive())
            .collect();
        let mut due: Vec<u64> = Vec::new();
        let mut polling = false;
        for &k in &alive {
            let term = &self.terminals[k];
            match term.state {
                State::Sleep { until } => due.push(until),
                State::Events { until } => {
                    // a poll (`process_data_events()` in a loop) spins until something happens:
                    // the next instant anything is due
                    match until {
                        Some(u) if u <= now => polling = true,
                        _ => due.extend(until),
                    }
                    due.extend(term.inbox.front().map(|l| l.1));
                }
                State::Answer(_) => due.extend(term.answer.as_ref().map(|a| a.1)),
                _ => {}
            }
        }
        due.extend(self.frames.front().map(|f| f.at));
        let typing = self.started < self.terminals.len();
        let next_command = typing.then(|| {
            if self.started == 0 {
                0
            } else {
                self.quiet_since + NEXT_COMMAND_AFTER_MS
            }
        });
        let interrupt = (!typing && !alive.is_empty())
            .then(|| match self.interrupted_at {
                None => self.auto_interrupt.then_some(self.quiet_since + INTERRUPT_AFTER_MS),
                // still running after Ctrl+C: the terminal is closed
                Some(at) => Some(self.quiet_since.max(at) + INTERRUPT_AFTER_MS),
            })
            .flatten();
        due.extend(next_command);
        due.extend(interrupt);
        if !alive.is_empty() || !self.frames.is_empty() {
            due.extend(live.next_due());
        }
        if !alive.is_empty() && !self.out_of_time {
            // the run's time limit is an instant something happens
            due.push(TIME_BUDGET_MS + 1);
        }
        let Some(t) = due.into_iter().min().or(polling.then_some(now)) else {
            return Some(Next::Done);
        };
        let t = t.max(now);
        if t > self.horizon {
            if self.horizon > now {
                self.advance(live, self.horizon);
            }
            return Some(Next::Hold);
        }
        if t > TIME_BUDGET_MS {
            if self.out_of_time {
                // Ctrl+C did not end it: the terminal is closed
                let k = *alive.first()?;
                let why = format!(
                    "warren: closed the terminal of {}: it went on after Ctrl+C",
                    self.terminals[k].command.script()
                );
                return Some(self.close(live, k, why));
            }
            // Ctrl+C in every terminal, with a line that says why; nothing more is typed
            self.out_of_time = true;
            self.started = self.terminals.len();
            self.interrupted_at = Some(t);
            for &k in &alive {
                let why = format!(
                    "warren: Ctrl+C: the run reached its limit of {} minutes of simulated time",
                    TIME_BUDGET_MS / 60_000
                );
                self.print(k, Stream::Stderr, why);
            }
            self.interrupting.extend(alive);
            return None;
        }
        if t > now {
            self.advance(live, t);
        }
        self.settle(live);
        for &k in &alive {
            let term = &mut self.terminals[k];
            match term.state {
                State::Sleep { until } if until <= t => {
                    term.state = State::Ready(json!({ "ok": true }));
                    self.ready.push_back(k);
                }
                State::Events { until: Some(until) } if until <= t && term.inbox.front().is_none_or(|l| l.1 > t) => {
                    term.state = State::Ready(json!({ "events": [], "timeout": true, "now_ms": t }));
                    self.ready.push_back(k);
                }
                _ => {}
            }
        }
        if next_command == Some(t) {
            let k = self.started;
            self.started += 1;
            self.quiet_since = t;
            self.terminals[k].state = State::Running;
            self.terminals[k].started_at = Some(t);
            self.shape += 1;
            return Some(Next::Start(k));
        }
        if interrupt == Some(t) {
            if self.interrupted_at.is_some() {
                let k = *alive.first()?;
                return Some(self.close(
                    live,
                    k,
                    format!(
                        "warren: closed the terminal of {}: it went on after Ctrl+C",
                        self.terminals[k].command.script()
                    ),
                ));
            }
            self.interrupted_at = Some(t);
            self.interrupting.extend(alive);
        }
        None
    }

    /// Let simulated time pass to `t`; what the broker does meanwhile goes to its clients.
    fn advance(&mut self, live: &mut Live, t: u64) {
        self.now = t;
        live.reach(t);
        self.catch_up(live);
    }

    /// Close terminal `k` with a line saying why.
    fn close(&mut self, live: &mut Live, k: usize, why: String) -> Next {
        self.print(k, Stream::Stderr, why);
        self.exited(live, k, 1);
        Next::Kill(k)
    }

    fn print(&mut self, k: usize, stream: Stream, text: String) {
        let t_ms = self.now;
        self.quiet_since = t_ms;
        self.terminals[k].lines.push(Line { t_ms, stream, text });
    }

    /// What has reached terminal `k`'s script by now, in the order it came.
    fn take_inbox(&mut self, k: usize) -> Vec<Value> {
        let now = self.now;
        let inbox = &mut self.terminals[k].inbox;
        let n = inbox.iter().take_while(|l| l.1 <= now).count();
        inbox.drain(..n).map(|l| l.2).collect()
    }

    /// Terminal `k`'s script has ended with `code`: its connections close, as a process's
    /// sockets do when it exits (the broker hears of it a hop later).
    fn exited(&mut self, live: &mut Live, k: usize, code: i32) {
        let term = &mut self.terminals[k];
        term.exit = Some(code);
        term.ended_at = Some(self.now);
        term.state = State::Exited;
        term.inbox.clear();
        term.answer = None;
        self.ready.retain(|&r| r != k);
        self.interrupting.retain(|&r| r != k);
        let conns = self.terminals[k].conns.clone();
        self.send(live, k, network::Frame::Close(conns));
        self.shape += 1;
    }

    /// A line on terminal `k`'s stderr from whoever runs it (a Ctrl+C it pressed).
    pub fn say(&mut self, k: usize, text: &str) {
        self.print(k, Stream::Stderr, text.to_string());
    }

    /// Terminal `k`'s process was stopped from outside (it never waited: a loop that never
    /// calls pika or sleeps), with a line saying why.
    pub fn killed(&mut self, live: &mut Live, k: usize, why: &str) {
        if self.terminals[k].alive() {
            self.print(k, Stream::Stderr, why.to_string());
            self.exited(live, k, 1);
        }
    }

    /// A message from terminal `k`'s running script (`protocol.md`), and what to do with it.
    pub fn message(&mut self, live: &mut Live, k: usize, msg: &Value) -> Handled {
        self.terminals[k].sent += 1;
        let sent = self.terminals[k].sent;
        let op = msg["op"].as_str().unwrap_or_default();
        if sent > 2 * STEP_BUDGET {
            let why = format!(
                "warren: closed the terminal of {}: {} messages without an end (a loop that never stops?)",
                self.terminals[k].command.script(),
                2 * STEP_BUDGET
            );
            self.print(k, Stream::Stderr, why);
            self.exited(live, k, 1);
            return Handled::Kill;
        }
        // over its budget: Ctrl+C where it next waits for an answer (a cast, a print has none)
        if sent > STEP_BUDGET && !self.terminals[k].over_budget && !matches!(op, "out" | "err" | "exit" | "cast") {
            self.terminals[k].over_budget = true;
            let why = format!(
                "warren: Ctrl+C: {} made {} calls without an end (a loop that never stops?)",
                self.terminals[k].command.script(),
                STEP_BUDGET
            );
            self.print(k, Stream::Stderr, why);
            return Handled::Reply(json!({ "interrupt": true }));
        }
        let now = self.now;
        let text = || msg["text"].as_str().unwrap_or_default().to_string();
        match op {
            "out" => {
                self.print(k, Stream::Stdout, text());
                Handled::Continue
            }
            "err" => {
                self.print(k, Stream::Stderr, text());
                Handled::Continue
            }
            "time" => Handled::Reply(json!({ "now_ms": now })),
            "input" => Handled::Reply(json!({ "line": self.terminals[k].stdin.pop_front() })),
            "connect" => {
                let s = |f: &str| msg[f].as_str().map(str::to_string);
                let login = warren_engine::scenario::Login {
                    user: s("user"),
                    password: s("password"),
                    vhost: s("vhost"),
                };
                self.call(live, k, network::Frame::Connect(login))
            }
            "call" => match self.step_of(k, msg) {
                Ok(step) => {
                    let trips = self.draw(live, &step);
                    self.call(live, k, network::Frame::Step(step, trips))
                }
                Err(e) => Handled::Reply(json!({ "error": e })),
            },
            "cast" => {
                // a call pika does not wait on (publish, ack): it reaches the broker a hop later,
                // and what it causes reaches the script with a later answer, as from the socket
                match self.step_of(k, msg) {
                    Ok(step) => {
                        let trips = self.draw(live, &step);
                        self.send(live, k, network::Frame::Step(step, trips));
                    }
                    Err(e) => self.print(k, Stream::Stderr, format!("warren: {e}")),
                }
                Handled::Continue
            }
            "flush" => Handled::Reply(json!({ "events": self.take_inbox(k) })),
            "sleep" => {
                let ms = msg["ms"].as_u64().unwrap_or(0);
                if ms == 0 {
                    return Handled::Reply(json!({ "ok": true }));
                }
                self.terminals[k].state = State::Sleep {
                    until: now.saturating_add(ms),
                };
                Handled::Waits
            }
            "wait" => {
                if self.terminals[k].inbox.front().is_some_and(|l| l.1 <= now) {
                    return Handled::Reply(json!({ "events": self.take_inbox(k), "now_ms": now }));
                }
                // a wait of 0 (a poll) takes no time, but lets the other scripts go first
                let until = msg["timeout_ms"].as_u64().map(|ms| now.saturating_add(ms));
                self.terminals[k].state = State::Events { until };
                Handled::Waits
            }
            "exit" => {
                let code = msg["code"].as_i64().unwrap_or(0) as i32;
                self.exited(live, k, code);
                Handled::Exited
            }
            other => Handled::Reply(json!({ "error": format!("warren: unknown message '{other}'") })),
        }
    }

    /// Terminal `k` sends a frame it waits on the answer of: it waits.
    fn call(&mut self, live: &mut Live, k: usize, frame: network::Frame) -> Handled {
        self.calls += 1;
        let id = self.calls;
        self.terminals[k].state = State::Answer(id);
        self.terminals[k].answer = None;
        self.send_call(live, k, frame, Some(id));
        // on a loopback network the answer is there at once: the script goes on
        match self.answered(k) {
            Some(answer) => {
                self.terminals[k].state = State::Running;
                Handled::Reply(answer)
            }
            None => Handled::Waits,
        }
    }
}
