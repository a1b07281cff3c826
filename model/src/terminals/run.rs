//! A run of terminals as its host drives it, event by event: the page (a worker per Python) and
//! the CLI (a Node process per Python) both hand it what each Python says and do what it answers
//! ([`Do`]), so the two run scripts the same way.

use super::{Command, Handled, Next, Terminals};
use crate::sim::Live;
use serde_json::{json, Value};

/// What the host does for the run.
#[derive(Clone, Debug, PartialEq)]
pub enum Do {
    /// Send this text (one JSON message) to terminal `.0`'s Python.
    Post(usize, String),
    /// Press Ctrl+C where terminal `.0`'s Python computes (it never waited for an answer).
    Interrupt(usize),
    /// Stop terminal `.0`'s Python: it is over.
    Stop(usize),
}

/// A run in progress.
pub struct Run {
    pub terms: Terminals,
    /// Each script's source, as the files had it when the run started (None: no such file).
    sources: Vec<Option<String>>,
    /// Which Pythons have loaded.
    loaded: Vec<bool>,
    /// The terminal the run waits on: its Python runs (or is to start once loaded).
    awaiting: Option<usize>,
    /// Whether the awaited terminal's Python was started (else: started once loaded).
    started: bool,
    /// Ctrl+C was pressed where the awaited Python computes.
    pressed: bool,
    done: bool,
}

impl Run {
    /// A run of `commands`, their scripts found with `file` (by name), whose frames take `hop`
    /// ms to and from the broker (a [`Live`] the host keeps and hands to each call). Each
    /// terminal's Python is to be loaded by the host, which says so with [`Run::loaded`] (or the
    /// Python's `{"op": "ready"}`).
    pub fn new(commands: Vec<Command>, file: impl Fn(&str) -> Option<String>, hop: u64) -> Run {
        let sources = commands.iter().map(|c| file(c.script())).collect();
        let n = commands.len();
        Run {
            terms: Terminals::new(commands, hop),
            sources,
            loaded: vec![false; n],
            awaiting: None,
            started: false,
            pressed: false,
            done: false,
        }
    }

    /// The terminal whose Python the run waits to hear from (its loading, or its next message).
    pub fn awaiting(&self) -> Option<usize> {
        self.awaiting
    }

    /// Whether the awaited terminal's script was started (else its Python is still loading).
    pub fn started(&self) -> bool {
        self.started
    }

    /// Every script has ended.
    pub fn done(&self) -> bool {
        self.done
    }

    /// The run goes on as far as instant `t` (the page's playback clock), and no further.
    pub fn advance(&mut self, live: &mut Live, t: u64) -> Vec<Do> {
        let mut out = Vec::new();
        self.terms.hold_at(t);
        self.pump(live, &mut out);
        out
    }

    /// The instant up to which the run is settled: the page shows the run no further. While a
    /// script computes, its instant; while every script waits, where the run holds; once every
    /// script has ended, no limit.
    pub fn frontier(&self) -> u64 {
        match (self.done, self.awaiting) {
            (true, _) => u64::MAX,
            (false, Some(_)) => self.terms.now(),
            (false, None) => self.terms.now().max(self.terms.horizon()),
        }
    }

    /// Ctrl+C in terminal `k` now (the learner pressed it): its script gets `KeyboardInterrupt`
    /// where it waits; one that computes is interrupted where it is (`Do::Interrupt`).
    pub fn interrupt(&mut self, live: &mut Live, k: usize) -> Vec<Do> {
        let mut out = Vec::new();
        if !self.terms.terminals.get(k).is_some_and(|t| t.alive()) {
            return out;
        }
        if self.awaiting == Some(k) {
            if self.started && !self.pressed {
                self.pressed = true;
                out.push(Do::Interrupt(k));
            }
            return out;
        }
        self.terms.interrupt(k);
        self.pump(live, &mut out);
        out
    }

    /// Stop the run (the Stop button): Ctrl+C in every terminal whose script runs, and nothing
    /// more is typed; a script still running 2 s later has its terminal closed.
    pub fn stop(&mut self, live: &mut Live) -> Vec<Do> {
        let mut out = Vec::new();
        if let (Some(k), true) = (self.awaiting, self.started) {
            if !self.pressed {
                self.pressed = true;
                out.push(Do::Interrupt(k));
            }
        }
        self.terms.stop();
        self.pump(live, &mut out);
        out
    }

    /// Begin: what to do first.
    pub fn start(&mut self, live: &mut Live) -> Vec<Do> {
        let mut out = Vec::new();
        self.pump(live, &mut out);
        out
    }

    /// Terminal `k`'s Python has loaded.
    pub fn loaded(&mut self, live: &mut Live, k: usize) -> Vec<Do> {
        let mut out = Vec::new();
        self.loaded[k] = true;
        if self.awaiting == Some(k) && !self.started {
            self.begin(live, k, &mut out);
        }
        out
    }

    /// A message from terminal `k`'s Python (one JSON text).
    pub fn heard(&mut self, live: &mut Live, k: usize, text: &str) -> Vec<Do> {
        let mut out = Vec::new();
        let msg: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                self.terms.killed(
                    live,
                    k,
                    &format!("warren: a message from Python that is not JSON ({e}): {text}"),
                );
                out.push(Do::Stop(k));
                self.after(live, k, &mut out);
                return out;
            }
        };
        if msg["op"] == "ready" {
            return self.loaded(live, k);
        }
        if msg["op"] == "failed" {
            // its Python could not start or run (a browser without stack switching)
            let why = msg["text"].as_str().unwrap_or_default();
            return self.lost(live, k, &format!("this Python could not run: {why}"));
        }
        if self.awaiting != Some(k) {
            // a Python that speaks out of turn (it was stopped meanwhile): nothing to do
            return out;
        }
        self.pressed = false;
        match self.terms.message(live, k, &msg) {
            Handled::Continue => {}
            Handled::Reply(v) => out.push(Do::Post(k, v.to_string())),
            Handled::Waits | Handled::Exited => self.after(live, k, &mut out),
            Handled::Kill => {
                out.push(Do::Stop(k));
                self.after(live, k, &mut out);
            }
        }
        out
    }

    /// Terminal `k`'s Python has said nothing for too long (real time): Ctrl+C the first time,
    /// then its terminal is closed. `why` says what it did (`computed 10 s without ...`).
    pub fn silent(&mut self, live: &mut Live, k: usize, why: &str) -> Vec<Do> {
        let mut out = Vec::new();
        if self.awaiting != Some(k) || !self.started {
            return out;
        }
        if !self.pressed {
            self.pressed = true;
            self.terms.say(k, &format!("warren: Ctrl+C: {why}"));
            out.push(Do::Interrupt(k));
        } else {
            self.terms
                .killed(live, k, &format!("warren: closed the terminal: {why}"));
            out.push(Do::Stop(k));
            self.after(live, k, &mut out);
        }
        out
    }

    /// Terminal `k`'s Python ended or broke without a word (its worker failed, its process died).
    pub fn lost(&mut self, live: &mut Live, k: usize, why: &str) -> Vec<Do> {
        let mut out = Vec::new();
        if self.terms.terminals[k].exit.is_none() {
            self.terms.killed(live, k, &format!("warren: {why}"));
        }
        if self.awaiting == Some(k) {
            self.after(live, k, &mut out);
        }
        out
    }

    /// Terminal `k` waits or is over: on to what happens next.
    fn after(&mut self, live: &mut Live, k: usize, out: &mut Vec<Do>) {
        if self.awaiting == Some(k) {
            self.awaiting = None;
        }
        self.pump(live, out);
    }

    fn begin(&mut self, live: &mut Live, k: usize, out: &mut Vec<Do>) {
        match &self.sources[k] {
            Some(source) => {
                self.started = true;
                let argv = &self.terms.terminals[k].command.argv;
                out.push(Do::Post(k, json!({ "argv": argv, "source": source }).to_string()));
            }
            None => {
                let script = self.terms.terminals[k].command.script().to_string();
                self.terms.killed(
                    live,
                    k,
                    &format!("python: can't open file '{script}': [Errno 2] No such file or directory"),
                );
                self.terms.terminals[k].exit = Some(2);
                out.push(Do::Stop(k));
                self.awaiting = None;
                self.pump(live, out);
            }
        }
    }

    fn pump(&mut self, live: &mut Live, out: &mut Vec<Do>) {
        while self.awaiting.is_none() && !self.done {
            match self.terms.what_next(live) {
                Next::Done => self.done = true,
                Next::Hold => break,
                Next::Kill(k) => out.push(Do::Stop(k)),
                Next::Resume(k, v) => {
                    self.awaiting = Some(k);
                    self.started = true;
                    self.pressed = false;
                    out.push(Do::Post(k, v.to_string()));
                }
                Next::Start(k) => {
                    self.awaiting = Some(k);
                    self.started = false;
                    self.pressed = false;
                    if self.loaded[k] {
                        self.begin(live, k, out);
                    }
                }
            }
        }
    }
}
