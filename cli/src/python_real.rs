//! `warren python --amqp URL CMD...`: the same command lines as `warren python`, run with real
//! CPython and real pika (1.3.2, in a virtual environment made on first use) against a real
//! broker, typed and interrupted the same way but in real time: the next command once every
//! terminal has printed nothing for 1.5 s, Ctrl+C (SIGINT) in each still running once all have
//! been quiet for 2 s after the last. Its output has the same form, so the two can be compared.
//!
//! The scripts name their broker themselves (`host="localhost"`); here every
//! `ConnectionParameters` is pointed at the URL's host and port (a `sitecustomize` the virtual
//! environment loads), so the tutorials run unchanged against any broker.
#![allow(clippy::disallowed_methods)]

use crate::python::{Options, Ran};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::sync::mpsc::{channel, Sender};
use std::time::{Duration, Instant};
use warren_model::terminals::{Line, Stream, INTERRUPT_AFTER_MS, NEXT_COMMAND_AFTER_MS};

/// pika's release the real terminals run, unless told (`--pika`).
const PIKA: &str = "1.3.2";

const SITECUSTOMIZE: &str = r#"# Written by warren python --amqp: every pika connection goes to WARREN_AMQP_URL's host and port.
import collections
import collections.abc
import os
import signal

# Ctrl+C as in a terminal: KeyboardInterrupt, even when whatever started warren ignored SIGINT
# (a shell's background job does; Python then keeps ignoring it)
signal.signal(signal.SIGINT, signal.default_int_handler)

# pika 0.x (for the tutorials' 0.x forms) looks for collections.Callable, gone since Python 3.10
if not hasattr(collections, "Callable"):
    collections.Callable = collections.abc.Callable

_url = os.environ.get("WARREN_AMQP_URL")
if _url:
    import urllib.parse

    import pika

    _u = urllib.parse.urlparse(_url)
    _init = pika.ConnectionParameters.__init__

    def _to_the_broker(self, *args, **kwargs):
        _init(self, *args, **kwargs)
        self.host = _u.hostname or "localhost"
        self.port = _u.port or 5672

    pika.ConnectionParameters.__init__ = _to_the_broker
"#;

/// The virtual environment with pika `release`, made if missing (under `WARREN_PIKA_VENV`, else
/// `target/`, as `pika-RELEASE`).
fn venv(release: &str) -> Result<PathBuf, String> {
    if !release.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(format!("--pika {release}: expected a release such as 1.3.2 or 0.10.0"));
    }
    let base = match std::env::var_os("WARREN_PIKA_VENV") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")),
    };
    let dir = base.join(format!("pika-{release}"));
    let python = dir.join("bin/python");
    let ok = |p: &Path| {
        Process::new(p)
            .args([
                "-c",
                &format!("import pika, sys; sys.exit(pika.__version__ != '{release}')"),
            ])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !ok(&python) {
        eprintln!(
            "warren: making a Python virtual environment with pika {release} in {}",
            dir.display()
        );
        let status = Process::new("python3").arg("-m").arg("venv").arg(&dir).status();
        if !status.is_ok_and(|s| s.success()) {
            return Err(format!(
                "cannot make a virtual environment in {} (python3 -m venv)",
                dir.display()
            ));
        }
        let status = Process::new(dir.join("bin/pip"))
            .args(["install", "-q", &format!("pika=={release}")])
            .status()
            .is_ok_and(|s| s.success());
        if status {
            old_pika_on_new_python(&dir);
        }
        if !status || !ok(&python) {
            return Err(format!(
                "cannot install pika {release} from PyPI into {}",
                dir.display()
            ));
        }
    }
    let site = dir.join("warren-site");
    std::fs::create_dir_all(&site).map_err(|e| format!("{}: {e}", site.display()))?;
    std::fs::write(site.join("sitecustomize.py"), SITECUSTOMIZE).map_err(|e| format!("{}: {e}", site.display()))?;
    Ok(dir)
}

/// pika 0.10's libev adapter, which a plain `import pika` compiles, names an attribute `async`, a
/// keyword since Python 3.7: renamed, so that the old release imports (the adapter is not used).
fn old_pika_on_new_python(venv: &Path) {
    let Ok(libs) = std::fs::read_dir(venv.join("lib")) else {
        return;
    };
    for lib in libs.flatten() {
        let f = lib.path().join("site-packages/pika/adapters/libev_connection.py");
        if let Ok(text) = std::fs::read_to_string(&f) {
            let _ = std::fs::write(
                &f,
                text.replace("self.async.", "self.async_.")
                    .replace("self.async =", "self.async_ ="),
            );
        }
    }
}

/// A line a script printed: its terminal, its stream, its text.
type Said = (usize, Stream, String);

fn reader(k: usize, stream: Stream, r: impl std::io::Read + Send + 'static, tx: Sender<Said>) {
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines() {
            let Ok(line) = line else { break };
            if tx.send((k, stream, line)).is_err() {
                break;
            }
        }
    });
}

fn interrupt(child: &Child) {
    let _ = Process::new("kill").args(["-INT", &child.id().to_string()]).status();
}

/// The exit status as a shell reports it (128 + a signal's number).
fn status_of(child: &mut Child) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    let s = child.try_wait().ok()??;
    Some(s.code().unwrap_or_else(|| 128 + s.signal().unwrap_or(0)))
}

/// Run the commands on the broker at `url`, as a person would in terminals.
pub fn run(o: &Options, url: &str) -> Result<Vec<Ran>, String> {
    let dir = venv(o.pika.as_deref().unwrap_or(PIKA))?;
    let n = o.commands.len();
    let (tx, rx) = channel::<Said>();
    let begin = Instant::now();
    let ms = |t: Instant| t.duration_since(begin).as_millis() as u64;
    let mut ran: Vec<Ran> = (0..n)
        .map(|_| Ran {
            lines: Vec::new(),
            exit: None,
        })
        .collect();
    let mut children: Vec<Option<Child>> = (0..n).map(|_| None).collect();
    let mut started = 0;
    let mut quiet_since = begin;
    let mut interrupted: Option<Instant> = None;
    loop {
        while let Ok((k, stream, text)) = rx.recv_timeout(Duration::from_millis(20)) {
            quiet_since = Instant::now();
            ran[k].lines.push(Line {
                t_ms: ms(quiet_since),
                stream,
                text,
            });
        }
        for k in 0..n {
            if let Some(c) = children[k].as_mut() {
                if let Some(code) = status_of(c) {
                    ran[k].exit = Some(code);
                    children[k] = None;
                }
            }
        }
        let now = Instant::now();
        let quiet = now.duration_since(quiet_since);
        let alive = children.iter().filter(|c| c.is_some()).count();
        if started < n {
            if started == 0 || quiet >= Duration::from_millis(NEXT_COMMAND_AFTER_MS) {
                let c = &o.commands[started].1;
                let mut child = Process::new(dir.join("bin/python"))
                    .arg("-u")
                    .args(&c.argv)
                    .env("PYTHONPATH", dir.join("warren-site"))
                    .env("WARREN_AMQP_URL", url)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .map_err(|e| format!("cannot run python: {e}"))?;
                if let Some(mut stdin) = child.stdin.take() {
                    let _ = stdin.write_all(c.stdin.as_bytes());
                }
                reader(started, Stream::Stdout, child.stdout.take().expect("piped"), tx.clone());
                reader(started, Stream::Stderr, child.stderr.take().expect("piped"), tx.clone());
                children[started] = Some(child);
                started += 1;
                quiet_since = Instant::now();
            }
            continue;
        }
        if alive == 0 {
            // what they printed last may still be in the pipes
            while let Ok((k, stream, text)) = rx.recv_timeout(Duration::from_millis(200)) {
                ran[k].lines.push(Line {
                    t_ms: ms(Instant::now()),
                    stream,
                    text,
                });
            }
            return Ok(ran);
        }
        let wait = Duration::from_millis(INTERRUPT_AFTER_MS);
        match interrupted {
            None if quiet >= wait => {
                for c in children.iter().flatten() {
                    interrupt(c);
                }
                interrupted = Some(now);
            }
            Some(at) if quiet >= wait && now.duration_since(at) >= wait => {
                for (k, c) in children.iter_mut().enumerate() {
                    if let Some(c) = c.as_mut() {
                        let _ = c.kill();
                        let _ = c.wait();
                        ran[k].lines.push(Line {
                            t_ms: ms(now),
                            stream: Stream::Stderr,
                            text: "warren: closed the terminal: it went on after Ctrl+C".into(),
                        });
                        ran[k].exit = Some(137);
                    }
                }
                children.iter_mut().for_each(|c| *c = None);
            }
            _ => {}
        }
    }
}
