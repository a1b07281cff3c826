//! `warren python CMD...`: a learner's pika scripts run in terminals, as the page runs them: one
//! Python (pyodide, CPython in wasm) a terminal, each a Node process (`python/term.mjs`), all
//! driven by the model's coordinator ([`warren_model::terminals`]) on the simulated broker.
//!
//! Processes and pipes take real time, so this module, unlike the engine, reads the clock: a
//! script that never talks to the broker (a loop that never sleeps) is stopped after
//! [`silent_limit`] of real time.
#![allow(clippy::disallowed_methods)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command as Process, ExitCode, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;
use warren_engine::Version;
use warren_model::design::Design;
use warren_model::sim::Live;
use warren_model::terminals::run::{Do, Run};
use warren_model::terminals::{printed, Command, Line, Stream, Terminals};

/// What a terminal printed and how its script ended.
pub struct Ran {
    pub lines: Vec<Line>,
    pub exit: Option<i32>,
}

/// How long a running script may compute without a word to the broker (real time) before it gets
/// Ctrl+C, and after that before its terminal is closed (`WARREN_SILENT_LIMIT_MS` to change).
fn silent_limit() -> Duration {
    let ms = std::env::var("WARREN_SILENT_LIMIT_MS")
        .ok()
        .and_then(|v| v.parse().ok());
    Duration::from_millis(ms.unwrap_or(10_000))
}
/// How long a Python may take to start (pyodide loads its 10 MB once per process).
const START_LIMIT: Duration = Duration::from_secs(120);

/// The options and commands of `warren python`.
#[derive(Debug, Default, PartialEq)]
pub struct Options {
    pub json: bool,
    pub amqp: Option<String>,
    /// With `--amqp`: the real pika's release (default 1.3.2; 0.10.0 for the 0.x forms).
    pub pika: Option<String>,
    pub commands: Vec<(String, Command)>,
    /// How long a frame takes between a script and the broker (simulated ms): the page's by
    /// default.
    pub hop_ms: Option<u64>,
}

impl Options {
    pub fn parse(args: &[&str]) -> Result<Options, String> {
        let mut o = Options::default();
        let mut stdin: Vec<(usize, String)> = Vec::new();
        let mut i = 0;
        while i < args.len() {
            match args[i] {
                "--json" => o.json = true,
                "--amqp" => {
                    i += 1;
                    o.amqp = Some(args.get(i).ok_or("--amqp needs a URL")?.to_string());
                }
                "--pika" => {
                    i += 1;
                    o.pika = Some(args.get(i).ok_or("--pika needs a release, e.g. 0.10.0")?.to_string());
                }
                "--hop-ms" => {
                    i += 1;
                    let v = args.get(i).ok_or("--hop-ms needs a number of milliseconds")?;
                    let ms = v
                        .parse::<u64>()
                        .ok()
                        .filter(|&ms| ms <= 60_000)
                        .ok_or(format!("--hop-ms {v}: expected whole milliseconds, 0 to 60000"))?;
                    o.hop_ms = Some(ms);
                }
                "--stdin" => {
                    i += 1;
                    let v = args.get(i).ok_or("--stdin needs N=TEXT")?;
                    let (n, text) = v.split_once('=').ok_or(format!("--stdin {v}: expected N=TEXT"))?;
                    let n: usize = n
                        .parse()
                        .ok()
                        .filter(|&n| n >= 1)
                        .ok_or(format!("--stdin {v}: N is a terminal's number, from 1"))?;
                    stdin.push((n, text.to_string()));
                }
                cmd => o.commands.push((cmd.to_string(), Command::parse(cmd)?)),
            }
            i += 1;
        }
        if o.commands.is_empty() {
            return Err("python needs commands: warren python receive.py send.py".into());
        }
        if o.pika.is_some() && o.amqp.is_none() {
            return Err("--pika names the real pika of --amqp (the simulated terminals take both forms)".into());
        }
        for (n, text) in stdin {
            let c = &mut o
                .commands
                .get_mut(n - 1)
                .ok_or(format!("--stdin {n}=...: there is no terminal {n}"))?
                .1;
            c.stdin.push_str(&text);
            c.stdin.push('\n');
        }
        Ok(o)
    }
}

/// Where Warren's Python side is (`python/`: term.mjs, site/, node_modules/pyodide).
fn python_dir() -> PathBuf {
    match std::env::var_os("WARREN_PYTHON_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../python")),
    }
}

/// One terminal's process: its pipes, and its lines as they come.
struct Proc {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    /// Created to press Ctrl+C in a script that computes without end (term.mjs watches it).
    interrupt: PathBuf,
}

impl Proc {
    fn spawn(k: usize) -> Result<Proc, String> {
        let dir = python_dir();
        if !dir.join("node_modules/pyodide").is_dir() {
            return Err(format!(
                "pyodide is not installed in {}: run `npm ci` there (scripts/setup.sh does)",
                dir.display()
            ));
        }
        let interrupt = std::env::temp_dir().join(format!("warren-term-{}-{k}.int", std::process::id()));
        let _ = std::fs::remove_file(&interrupt);
        let mut child = Process::new("node")
            .arg(dir.join("term.mjs"))
            .env("WARREN_INTERRUPT_FILE", &interrupt)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot run node: {e}"))?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Proc {
            child,
            stdin,
            lines,
            interrupt,
        })
    }

    fn send(&mut self, text: &str) {
        // a process that has gone is found when its next line does not come
        let _ = writeln!(self.stdin, "{text}");
        let _ = self.stdin.flush();
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.interrupt);
    }
}

/// Run the commands; print each terminal's output (or the JSON of them all).
pub fn run(args: &[&str], version: Option<Version>) -> ExitCode {
    let o = match Options::parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("warren: {e}");
            return ExitCode::from(2);
        }
    };
    let ran = match &o.amqp {
        Some(url) => crate::python_real::run(&o, url),
        None => drive(&o, version.unwrap_or(Version::V4_3)).map(|t| {
            t.terminals
                .into_iter()
                .map(|t| Ran {
                    lines: t.lines,
                    exit: t.exit,
                })
                .collect()
        }),
    };
    match ran {
        Ok(ran) => {
            print(&o, &ran);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("warren: {e}");
            ExitCode::from(3)
        }
    }
}

fn drive(o: &Options, version: Version) -> Result<Terminals, String> {
    let commands: Vec<Command> = o.commands.iter().map(|c| c.1.clone()).collect();
    let n = commands.len();
    // the scripts are read from this directory when the run starts, as the page reads its files
    let hop = o.hop_ms.unwrap_or(warren_model::timeline::HOP as u64);
    let mut live = Live::with_hop(
        Design {
            rabbitmq: version,
            ..Design::default()
        },
        hop as f64,
    );
    let mut run = Run::new(commands, |name| std::fs::read_to_string(name).ok(), hop);
    // every Python starts loading at once (they load in parallel; the run waits for each)
    let mut procs: Vec<Option<Proc>> = Vec::with_capacity(n);
    for k in 0..n {
        procs.push(Some(Proc::spawn(k)?));
    }
    let mut todo = run.start(&mut live);
    loop {
        for d in todo.drain(..) {
            match d {
                Do::Post(k, text) => {
                    if let Some(p) = procs[k].as_mut() {
                        p.send(&text);
                    }
                }
                Do::Interrupt(k) => {
                    if let Some(p) = procs[k].as_ref() {
                        let _ = std::fs::write(&p.interrupt, b"");
                    }
                }
                Do::Stop(k) => {
                    if let Some(mut p) = procs[k].take() {
                        p.kill();
                    }
                }
            }
        }
        let Some(k) = run.awaiting() else { break };
        let Some(p) = procs[k].as_mut() else {
            todo = run.lost(&mut live, k, "the script's Python is gone");
            continue;
        };
        let limit = if run.started() { silent_limit() } else { START_LIMIT };
        todo = match p.lines.recv_timeout(limit) {
            Ok(line) => run.heard(&mut live, k, &line),
            Err(RecvTimeoutError::Timeout) if run.started() => run.silent(
                &mut live,
                k,
                &format!(
                    "the script computed for {} s without waiting for the broker (a loop that never ends?)",
                    limit.as_secs()
                ),
            ),
            Err(RecvTimeoutError::Timeout) => return Err(format!("Python did not start in {} s", limit.as_secs())),
            Err(RecvTimeoutError::Disconnected) => {
                procs[k] = None;
                run.lost(&mut live, k, "the script's Python ended without a word")
            }
        };
    }
    for p in procs.iter_mut().flatten() {
        p.kill();
    }
    Ok(run.terms)
}

fn print(o: &Options, ran: &[Ran]) {
    if o.json {
        let ts: Vec<Value> = o
            .commands
            .iter()
            .zip(ran)
            .map(|((line, _), t)| {
                json!({"command": line, "stdout": printed(&t.lines, Stream::Stdout),
                    "stderr": printed(&t.lines, Stream::Stderr), "exit": t.exit})
            })
            .collect();
        outln!("{}", json!({ "terminals": ts }));
        return;
    }
    for (i, ((line, _), t)) in o.commands.iter().zip(ran).enumerate() {
        outln!("== terminal {}: python {line}", i + 1);
        for l in &t.lines {
            match l.stream {
                Stream::Stdout => outln!("{}", l.text),
                Stream::Stderr => outln!("! {}", l.text),
            }
        }
        match t.exit {
            Some(c) => outln!("(exit {c})"),
            None => outln!("(did not run)"),
        }
    }
}
