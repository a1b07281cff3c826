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

mod route;
pub mod run;

use serde_json::{json, Value};
use std::collections::VecDeque;
use warren_engine::scenario::{Call, Login, Scenario, Step};
use warren_engine::trace::Runner;
use warren_engine::version::Version;

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

/// A command line typed into a terminal: `emit_log_topic.py kern.critical "A critical error"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// What the script sees as `sys.argv` (the script's file first).
    pub argv: Vec<String>,
    /// What the person types into it (`input()`, `sys.stdin`), not echoed.
    pub stdin: String,
}

impl Command {
    /// A command line as a shell splits it (quotes, backslashes); a leading `python` or
    /// `python3` is the program, not an argument.
    pub fn parse(line: &str) -> Result<Command, String> {
        let mut argv = split_words(line)?;
        if argv.first().is_some_and(|p| p == "python" || p == "python3") {
            argv.remove(0);
        }
        match argv.first() {
            None => Err(format!("'{line}' names no script")),
            Some(s) if !s.ends_with(".py") => Err(format!("'{s}' is not a Python script (a file ending in .py)")),
            Some(_) => Ok(Command {
                argv,
                stdin: String::new(),
            }),
        }
    }

    /// The script's file name.
    pub fn script(&self) -> &str {
        &self.argv[0]
    }
}

/// Words as a POSIX shell splits a line: spaces between words, `'...'` and `"..."` quote, `\`
/// escapes the next character (inside `"..."`: only `"`, `\`, `$` and `` ` ``).
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut w = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut w));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err(format!("a quote (') is not closed in: {line}")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => w.push(c),
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err(format!("a quote (\") is not closed in: {line}")),
                        },
                        Some(c) => w.push(c),
                        None => return Err(format!("a quote (\") is not closed in: {line}")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    w.push(c);
                }
            }
            c => {
                in_word = true;
                w.push(c);
            }
        }
    }
    if in_word {
        words.push(w);
    }
    Ok(words)
}

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
    state: State,
    /// What the broker sent its connections that the script has not been told yet, each with
    /// its place in the order things happened.
    inbox: VecDeque<(u64, Value)>,
    /// Its connections so far (their names are `t<terminal>`, `t<terminal>.<n>`).
    conns: Vec<String>,
    /// Its stdin lines not read yet.
    stdin: VecDeque<String>,
    sent: u64,
    /// It got Ctrl+C for making too many calls.
    over_budget: bool,
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

/// The coordinator of a run of terminals.
pub struct Terminals {
    runner: Runner,
    pub terminals: Vec<Terminal>,
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
    steps: usize,
    seq: u64,
    /// The run reached [`TIME_BUDGET_MS`] (and every terminal got Ctrl+C).
    out_of_time: bool,
}

impl Terminals {
    /// Terminals for `commands`, typed in order, on a simulated RabbitMQ `version`.
    pub fn new(commands: Vec<Command>, version: Version) -> Terminals {
        Terminals {
            runner: Runner::with_version(0, version),
            terminals: commands
                .into_iter()
                .map(|command| Terminal {
                    stdin: command.stdin.lines().map(str::to_string).collect(),
                    command,
                    lines: Vec::new(),
                    exit: None,
                    state: State::NotStarted,
                    inbox: VecDeque::new(),
                    conns: Vec::new(),
                    sent: 0,
                    over_budget: false,
                })
                .collect(),
            started: 0,
            quiet_since: 0,
            interrupted_at: None,
            interrupting: VecDeque::new(),
            ready: VecDeque::new(),
            steps: 0,
            seq: 0,
            out_of_time: false,
        }
    }

    /// Simulated time (ms since the first command).
    pub fn now(&self) -> u64 {
        self.runner.now()
    }

    /// The simulated broker and clients, as the engine runs them.
    pub fn runner(&self) -> &Runner {
        &self.runner
    }

    /// What happens next: a script resumes, a command is typed, or time passes until one of
    /// these can happen.
    pub fn what_next(&mut self) -> Next {
        loop {
            // Ctrl+C in every terminal at once: each script gets it before anything else
            if let Some(k) = self.interrupting.pop_front() {
                if self.terminals[k].alive() {
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
            let waiting = (0..self.terminals.len())
                .filter(|&k| matches!(self.terminals[k].state, State::Events { .. }))
                .filter_map(|k| self.terminals[k].inbox.front().map(|(seq, _)| (*seq, k)))
                .min();
            if let Some((_, k)) = waiting {
                let events = self.take_inbox(k);
                self.terminals[k].state = State::Running;
                return Next::Resume(k, json!({ "events": events, "now_ms": self.now() }));
            }
            if let Some(next) = self.pass_time() {
                return next;
            }
        }
    }

    /// Every script waits: time passes to the next instant something happens there. `None`:
    /// something became ready (ask again); or what happens.
    fn pass_time(&mut self) -> Option<Next> {
        let now = self.now();
        let alive: Vec<usize> = (0..self.terminals.len())
            .filter(|&k| self.terminals[k].alive())
            .collect();
        let mut due: Vec<u64> = Vec::new();
        for &k in &alive {
            match self.terminals[k].state {
                State::Sleep { until } | State::Events { until: Some(until) } => due.push(until),
                _ => {}
            }
        }
        let typing = self.started < self.terminals.len();
        let next_command = typing.then(|| {
            if self.started == 0 {
                0
            } else {
                self.quiet_since + NEXT_COMMAND_AFTER_MS
            }
        });
        let interrupt = (!typing && !alive.is_empty()).then(|| match self.interrupted_at {
            None => self.quiet_since + INTERRUPT_AFTER_MS,
            // still running after Ctrl+C: the terminal is closed
            Some(at) => self.quiet_since.max(at) + INTERRUPT_AFTER_MS,
        });
        due.extend(next_command);
        due.extend(interrupt);
        if !alive.is_empty() {
            due.extend(self.runner.server.next_timeout());
        }
        let Some(t) = due.into_iter().min() else {
            return Some(Next::Done);
        };
        let t = t.max(now);
        if t > TIME_BUDGET_MS {
            if self.out_of_time {
                // Ctrl+C did not end it: the terminal is closed
                let k = *alive.first()?;
                let why = format!(
                    "warren: closed the terminal of {}: it went on after Ctrl+C",
                    self.terminals[k].command.script()
                );
                return Some(self.stop(k, why));
            }
            // Ctrl+C in every terminal, with a line that says why; nothing more is typed
            self.out_of_time = true;
            self.started = self.terminals.len();
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
            self.advance(t);
        }
        for &k in &alive {
            let term = &mut self.terminals[k];
            match term.state {
                State::Sleep { until } if until <= t => {
                    term.state = State::Ready(json!({ "ok": true }));
                    self.ready.push_back(k);
                }
                State::Events { until: Some(until) } if until <= t && term.inbox.is_empty() => {
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
            return Some(Next::Start(k));
        }
        if interrupt == Some(t) {
            if self.interrupted_at.is_some() {
                let k = *alive.first()?;
                return Some(self.stop(
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
    fn advance(&mut self, t: u64) {
        let ms = t - self.now();
        self.run(None, "A", 1, Call::Wait { ms });
    }

    /// Stop terminal `k` with a line saying why.
    fn stop(&mut self, k: usize, why: String) -> Next {
        self.print(k, Stream::Stderr, why);
        self.exited(k, 1);
        Next::Kill(k)
    }

    fn print(&mut self, k: usize, stream: Stream, text: String) {
        let t_ms = self.now();
        self.quiet_since = t_ms;
        self.terminals[k].lines.push(Line { t_ms, stream, text });
    }

    fn take_inbox(&mut self, k: usize) -> Vec<Value> {
        self.terminals[k].inbox.drain(..).map(|(_, v)| v).collect()
    }

    /// Terminal `k`'s script has ended with `code`: its connections close, as a process's
    /// sockets do when it exits.
    fn exited(&mut self, k: usize, code: i32) {
        self.terminals[k].exit = Some(code);
        self.terminals[k].state = State::Exited;
        self.ready.retain(|&r| r != k);
        for conn in self.terminals[k].conns.clone() {
            if self.runner.conn_id(&conn).is_some() {
                self.run(Some(k), &conn, 1, Call::ConnectionClose);
            }
        }
        self.terminals[k].inbox.clear();
    }

    /// A line on terminal `k`'s stderr from whoever runs it (a Ctrl+C it pressed).
    pub fn say(&mut self, k: usize, text: &str) {
        self.print(k, Stream::Stderr, text.to_string());
    }

    /// Terminal `k`'s process was stopped from outside (it never waited: a loop that never
    /// calls pika or sleeps), with a line saying why.
    pub fn killed(&mut self, k: usize, why: &str) {
        if self.terminals[k].alive() {
            self.print(k, Stream::Stderr, why.to_string());
            self.exited(k, 1);
        }
    }

    /// Run a step for terminal `k` (None: no terminal's); the lines for terminal `k` itself
    /// are returned, the others go to their terminals.
    fn run(&mut self, k: Option<usize>, conn: &str, ch: u16, call: Call) -> Vec<Value> {
        let st = Step {
            conn: conn.to_string(),
            ch,
            call,
            alias: None,
            login: Login::default(),
        };
        let lines = self.runner.step(self.steps, &st).unwrap_or_default();
        self.steps += 1;
        let mut own = Vec::new();
        for l in lines {
            if let Some(l) = self.deliver(k, l) {
                own.push(l);
            }
        }
        own
    }

    /// Hand a trace line to the terminal whose connection it is about; a line for `caller`
    /// (or for no connection: the caller's reply) comes back.
    fn deliver(&mut self, caller: Option<usize>, line: Value) -> Option<Value> {
        let owner = line["conn"].as_str().and_then(route::terminal_of);
        match owner {
            Some(k) if Some(k) != caller => {
                if k < self.terminals.len() && self.terminals[k].alive() {
                    self.seq += 1;
                    let seq = self.seq;
                    self.terminals[k].inbox.push_back((seq, line));
                }
                None
            }
            _ => caller.map(|_| line),
        }
    }

    /// A message from terminal `k`'s running script (`protocol.md`), and what to do with it.
    pub fn message(&mut self, k: usize, msg: &Value) -> Handled {
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
            self.exited(k, 1);
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
        let now = self.now();
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
            "connect" => Handled::Reply(self.connect(k, msg)),
            "call" => Handled::Reply(self.call(k, msg)),
            "cast" => {
                // a call pika does not wait on (publish, ack): what it causes reaches the script
                // with its next answer, as from the socket
                match self.run_call(k, msg) {
                    Ok(lines) => {
                        for l in lines {
                            self.seq += 1;
                            self.terminals[k].inbox.push_back((self.seq, l));
                        }
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
                if !self.terminals[k].inbox.is_empty() {
                    return Handled::Reply(json!({ "events": self.take_inbox(k), "now_ms": now }));
                }
                // a wait of 0 (a poll) takes no time, but lets the other scripts go first
                let until = msg["timeout_ms"].as_u64().map(|ms| now.saturating_add(ms));
                self.terminals[k].state = State::Events { until };
                Handled::Waits
            }
            "exit" => {
                let code = msg["code"].as_i64().unwrap_or(0) as i32;
                self.exited(k, code);
                Handled::Exited
            }
            other => Handled::Reply(json!({ "error": format!("warren: unknown message '{other}'") })),
        }
    }

    /// `pika.BlockingConnection(...)`: a new connection for terminal `k`, logged in as the
    /// message says; refused as the broker refuses it.
    fn connect(&mut self, k: usize, msg: &Value) -> Value {
        let name = route::conn_name(k, self.terminals[k].conns.len());
        let s = |f: &str| msg[f].as_str().map(str::to_string);
        let login = Login {
            user: s("user"),
            password: s("password"),
            vhost: s("vhost"),
        };
        match self.runner.connect(&name, &login) {
            Ok(()) => {
                self.terminals[k].conns.push(name.clone());
                json!({ "conn": name })
            }
            Err(e) => json!({ "refused": { "code": e.code, "text": e.text } }),
        }
    }

    /// A pika call on one of terminal `k`'s channels: its reply (`ok`, `get`, `get_empty`),
    /// if any, and everything else the broker sent the terminal's connections meanwhile.
    fn call(&mut self, k: usize, msg: &Value) -> Value {
        let lines = match self.run_call(k, msg) {
            Ok(lines) => lines,
            Err(e) => return json!({ "error": e }),
        };
        // what was waiting for it comes first, in the order it came (the call's own lines come
        // back to it, never to its inbox)
        let mut events: Vec<Value> = self.take_inbox(k);
        let mut reply = Value::Null;
        for l in lines {
            match l["kind"].as_str() {
                Some("ok" | "get" | "get_empty") if reply.is_null() => reply = l,
                _ => events.push(l),
            }
        }
        json!({ "reply": reply, "events": events })
    }

    /// Run a pika call (`call`, `cast`) on one of terminal `k`'s channels now: the lines for this
    /// script's connections it caused (its reply among them), or what pika would refuse.
    fn run_call(&mut self, k: usize, msg: &Value) -> Result<Vec<Value>, String> {
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
        let call = match Scenario::from_json(json!({ "steps": [step] })) {
            Ok(sc) => sc.steps.into_iter().next().expect("one step").call,
            Err(e) => {
                let text = e.to_string();
                return Err(text.strip_prefix("step 0: ").unwrap_or(&text).to_string());
            }
        };
        let ch = msg["ch"].as_u64().unwrap_or(1) as u16;
        Ok(self.run(Some(k), &conn, ch, call))
    }
}
