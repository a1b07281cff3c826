//! `warren`: run Warren scenarios from the command line, on the simulated broker or a real one.

/// `print!` and `println!` for stdout, except that a reader that went away (`warren trace F |
/// head`) ends the program quietly, as Unix tools do, instead of a panic.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout(), $($t)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            panic!("failed printing to stdout: {e}");
        }
    }};
}
macro_rules! outln {
    () => { out!("\n") };
    ($($t:tt)*) => { out!("{}\n", format_args!($($t)*)) };
}

mod amqp;
mod compare;
mod fuzz;
mod live;
mod python;
mod python_real;

use serde_json::Value;
use std::process::ExitCode;
use warren_engine::scenario::Scenario;
use warren_engine::trace::{python_json, to_jsonl, Runner};

const USAGE: &str = "\
warren — a RabbitMQ broker simulator (3.10 and 4.3)

Usage:
  warren trace SCENARIO.json               run the scenario on the simulated broker and print its
                                           trace (JSON Lines, as shared/scenario-format.md describes)
  warren trace --amqp URL SCENARIO.json    run it on a real broker instead (same trace format)
  warren diff --amqp URL [--reset] SCENARIO.json...
                                           run each scenario on both; print \"same\" or the first
                                           differing line of each side; exit 1 on any difference;
                                           --reset resets the broker before each scenario
                                           (rabbitmqctl stop_app, reset, start_app)
  warren diff --rabbitmq A --rabbitmq B SCENARIO.json...
                                           run each scenario as both versions (3.10 and 4.3) and
                                           print the steps whose trace lines differ, each side's
                                           lines, and why (the rule that differs, in one line)
  warren gen SEED [STEPS]                  print a random scenario (seeded; default 40 steps)
  warren fuzz --amqp URL [--seed S] [--count N] [--steps K] [--out DIR]
                                           diff N random scenarios (seeds S, S+1, ...) against the
                                           broker; on a difference print the seed and a minimized
                                           scenario (also written to DIR), and exit 1
  warren export definitions SCENARIO.json  print the RabbitMQ definitions (export_definitions JSON:
                                           exchanges, queues, bindings of vhost /) the scenario
                                           leaves once it has run and its clients have gone
  warren import definitions FILE           print a scenario that declares what a definitions file
                                           (rabbitmqctl export_definitions, management API) holds;
                                           what it cannot represent is listed on stderr
  warren export pika SCENARIO.json DIR     write Python (pika) scripts for the scenario's actors in
                                           the style of the RabbitMQ tutorials: setup.py, one
                                           producer_*.py and consumer_*.py each, and expected.txt
                                           (what list_queues name messages shows after setup and
                                           each producer once, as the simulator predicts)
  warren share SCENARIO.json               print the fragment of a link that holds the scenario
                                           (compressed; the page opens it as #FRAGMENT)
  warren unshare FRAGMENT|URL              print the scenario a link holds
  warren ctl SCENARIO.json COMMAND [ARGS...]
                                           run the scenario, then print what `rabbitmqctl -q
                                           COMMAND ARGS` prints on a broker after it, its clients
                                           still connected (list_queues, list_exchanges,
                                           list_bindings, with their columns)
  warren ctl --amqp URL SCENARIO.json COMMAND [ARGS...]
                                           the same on a real broker (runs rabbitmqctl)
  warren play DESIGN.json [--seconds N] [--hop-ms N]
                                           run a design as the page runs it (a saved file, a share's
                                           scenario, a tutorial's design): its setup, each producer's
                                           burst once at 0 ms, its consumers (one callback at a time,
                                           as pika's BlockingConnection), producers on a timer; print
                                           what the page's event log shows as JSON Lines, one event a
                                           line with the instant it is shown: {\"t_ms\": 4270,
                                           \"kind\": \"acked\", \"client\": \"worker-1\", ...}; up to
                                           N simulated seconds (default: until nothing more happens,
                                           at most 600); a message takes N ms along each edge (the
                                           page's 400 by default; 0 for a network as fast as
                                           loopback, to compare with real clients)
  warren tutorials                         list the page's guided tutorials
  warren tutorials DIR                     play every tutorial to its end as a learner would and
                                           write what it did as scenarios (NN-id.json; a tutorial
                                           that changes a setting midway starts a second run,
                                           NN-id.2.json), with the closing question's answer;
                                           a run is cut before a direct reply-to request, whose
                                           reply address a real broker makes up; and each
                                           tutorial's design as DIR/designs/NN-id.json
  warren python [--json] [--stdin N=TEXT]... [--hop-ms N] CMD...
                                           run pika scripts (from this directory) as a person runs
                                           them in terminals, one terminal per CMD (\"worker.py\",
                                           \"emit_log_topic.py kern.critical 'A kernel error'\"), on
                                           the simulated broker (default 4.3), each in a Python of
                                           its own (CPython in wasm, as the page runs it): CMD k+1
                                           is typed once every terminal has printed nothing for
                                           1.5 s of simulated time; after the last, once all have
                                           been quiet for 2 s, Ctrl+C in each still running. Prints
                                           each terminal's output; --json: {\"terminals\":
                                           [{\"command\", \"stdout\": [lines], \"stderr\", \"exit\"}]};
                                           --stdin N=TEXT is what terminal N reads with input();
                                           a frame takes --hop-ms N (default 400, as on the page)
                                           each way between a script and the broker
  warren python --amqp URL [--json] [--stdin N=TEXT]... CMD...
                                           the same with real CPython and pika 1.3.2 (in a virtual
                                           environment made on first use, target/pika-1.3.2) on
                                           the broker at URL, in real time; every connection goes
                                           to URL's host and port, whatever the script names
  warren --help                            this text

--rabbitmq 3.10|4.3 (anywhere on the line) runs every scenario as that RabbitMQ: its rules,
texts and rabbitmqctl. Without it, a scenario runs as its \"rabbitmq\" field says, and a file
without one as 3.10, what it was made for; gen and fuzz make scenarios for 4.3 (today's
RabbitMQ) and say so in them. 4.3 is checked against RabbitMQ 4.3.6 (see
docs/versions.md for what differs and what is not simulated yet).

URL is amqp://user:password@host:port/vhost (default user guest, port 5672, vhost /), for example
amqp://guest:guest@127.0.0.1:5672/%2f. A restart step on a real broker runs
`rabbitmqctl stop_app` and `start_app` (set RABBITMQ_NODENAME to name the node).

A scenario that cannot be read is reported with the step and field (or the line and column of
broken JSON) and exit status 2; a broker that cannot be reached, with one line and exit status 3.
";

/// `--rabbitmq VERSION`: the RabbitMQ every scenario read runs as (else the file's own
/// `"rabbitmq"`, else 3.10, what files without one were made for).
static RABBITMQ: std::sync::OnceLock<warren_engine::Version> = std::sync::OnceLock::new();

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut versions = Vec::new();
    while let Some(i) = args.iter().position(|a| a == "--rabbitmq") {
        let Some(v) = args.get(i + 1) else {
            eprintln!("warren: --rabbitmq needs a version: 3.10 or 4.3");
            return ExitCode::from(2);
        };
        match warren_engine::Version::parse(v) {
            Ok(v) => versions.push(v),
            Err(e) => {
                eprintln!("warren: --rabbitmq: {e}");
                return ExitCode::from(2);
            }
        }
        args.drain(i..i + 2);
    }
    match versions[..] {
        [] => {}
        [v] => {
            let _ = RABBITMQ.set(v);
        }
        [a, b] => {
            // two versions: compare them (warren diff FILE...)
            return match &args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
                ["diff", files @ ..] if !files.is_empty() && !files.contains(&"--amqp") => compare::run([a, b], files),
                _ => {
                    eprintln!("warren: two --rabbitmq versions compare them: warren diff --rabbitmq 3.10 --rabbitmq 4.3 SCENARIO.json...");
                    ExitCode::from(2)
                }
            };
        }
        _ => {
            eprintln!("warren: --rabbitmq at most twice (two versions compare them)");
            return ExitCode::from(2);
        }
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    match a.as_slice() {
        [] | ["--help"] | ["-h"] | ["help"] => {
            out!("{USAGE}");
            ExitCode::SUCCESS
        }
        ["trace", file] => trace(file, None),
        ["trace", "--amqp", url, file] | ["trace", file, "--amqp", url] => trace(file, Some(url)),
        ["diff", "--amqp", url, "--reset", files @ ..] if !files.is_empty() => diff(url, files, true),
        ["diff", "--amqp", url, files @ ..] if !files.is_empty() => diff(url, files, false),
        ["gen", seed] | ["gen", seed, _] => match (seed.parse::<u64>(), a.get(2).map(|n| n.parse::<usize>())) {
            (Ok(seed), None) => gen(seed, 40),
            (Ok(seed), Some(Ok(n))) => gen(seed, n),
            _ => {
                eprintln!("warren: gen takes a seed and a step count, whole numbers");
                ExitCode::from(2)
            }
        },
        ["export", "definitions", file] => export_definitions(file),
        ["ctl", "--amqp", url, file, args @ ..] if !args.is_empty() => ctl_live(url, file, args),
        ["ctl", file, args @ ..] if !args.is_empty() => ctl_sim(file, args),
        ["play", rest @ ..] => play_args(rest),
        ["python", rest @ ..] => python::run(rest, RABBITMQ.get().copied()),
        ["tutorials"] => tutorials(None),
        ["tutorials", dir] => tutorials(Some(dir)),
        ["share", file] => share(file),
        ["export", "pika", file, dir] => export_pika(file, dir),
        ["unshare", link] => match warren_engine::share::decode(link) {
            Ok(v) => {
                outln!("{}", serde_json::to_string_pretty(&v).expect("serializes"));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("warren: {e}");
                ExitCode::from(2)
            }
        },
        ["import", "definitions", file] => import_definitions(file),
        ["fuzz", "--amqp", url, rest @ ..] => match fuzz::Options::parse(rest) {
            Ok(o) => fuzz::run(url, &o),
            Err(e) => {
                eprintln!("warren: {e}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprint!("warren: unknown arguments {args:?}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn ctl_sim(file: &str, args: &[&str]) -> ExitCode {
    let scenario = match load(file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut r = Runner::with_version(scenario.seed, scenario.rabbitmq.unwrap_or_default());
    if let Err(e) = warren_engine::trace::run_steps(&scenario.steps, |i, st| r.step(i, st)) {
        eprintln!("warren: {file}: {e}");
        return ExitCode::from(2);
    }
    let out = warren_engine::ctl::execute(&mut r.server, args);
    out!("{}", out.stdout);
    eprint!("{}", out.stderr);
    ExitCode::from(out.status.clamp(0, 255) as u8)
}

fn ctl_live(url: &str, file: &str, args: &[&str]) -> ExitCode {
    let scenario = match load(file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match live::Live::ctl(url, &scenario, args) {
        Ok((out, err, code)) => {
            out!("{out}");
            eprint!("{err}");
            ExitCode::from(code.clamp(0, 255) as u8)
        }
        Err(e) => {
            eprintln!("warren: {e}");
            ExitCode::from(3)
        }
    }
}

fn tutorials(dir: Option<&str>) -> ExitCode {
    use warren_model::i18n::Lang;
    use warren_model::tutorial::{builtin, play};
    if let Some(d) = dir {
        if let Err(e) = std::fs::create_dir_all(d) {
            eprintln!("warren: cannot create {d}: {e}");
            return ExitCode::from(2);
        }
    }
    for (i, t) in builtin().iter().enumerate() {
        let Some(dir) = dir else {
            outln!("{:<20} {}", t.id, t.title.get(Lang::En));
            continue;
        };
        let played = match play(t) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("warren: tutorial {}: {e}", t.id);
                return ExitCode::FAILURE;
            }
        };
        for (k, (mut sc, cut)) in played.replayable().into_iter().enumerate() {
            sc["name"] = Value::String(format!("tutorial {}: {}", t.id, t.title.get(Lang::En)));
            if let Some(v) = RABBITMQ.get() {
                sc["rabbitmq"] = Value::String(v.as_str().into());
            }
            if cut > 0 {
                sc["name"] = Value::String(format!(
                    "{} (the last {cut} steps left out: a direct reply-to address is the broker's own)",
                    sc["name"].as_str().unwrap_or("")
                ));
            }
            let suffix = if k == 0 { String::new() } else { format!(".{}", k + 1) };
            let path = std::path::Path::new(dir).join(format!("{:02}-{}{suffix}.json", i + 1, t.id));
            let text = serde_json::to_string_pretty(&sc).expect("serializes") + "\n";
            if let Err(e) = std::fs::write(&path, text) {
                eprintln!("warren: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
            outln!("{}", path.display());
        }
        // the tutorial's design as a scenario file the page loads (and `warren export pika` reads)
        let designs = std::path::Path::new(dir).join("designs");
        let path = designs.join(format!("{:02}-{}.json", i + 1, t.id));
        let text = serde_json::to_string_pretty(&versioned(t.design()).to_scenario()).expect("serializes") + "\n";
        if let Err(e) = std::fs::create_dir_all(&designs).and_then(|_| std::fs::write(&path, text)) {
            eprintln!("warren: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        outln!("{}", path.display());
        outln!("  {} → {}", t.question.ask.get(Lang::En), played.answer);
    }
    ExitCode::SUCCESS
}

/// `warren play`'s arguments: a file, `--seconds N`, `--hop-ms N`, in any order.
fn play_args(args: &[&str]) -> ExitCode {
    let (mut file, mut seconds, mut hop) = (None, None, warren_model::timeline::HOP);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "--seconds" | "--hop-ms" => {
                let v = it.next().copied().unwrap_or("");
                let (max, what) = if *a == "--seconds" {
                    (86_400, "seconds")
                } else {
                    (10_000, "ms")
                };
                match v.parse::<u64>() {
                    Ok(n) if n <= max && *a == "--seconds" => seconds = Some(n),
                    Ok(n) if n <= max => hop = n as f64,
                    _ => {
                        eprintln!("warren: play {a} takes a whole number of {what} from 0 to {max}, not '{v}'");
                        return ExitCode::from(2);
                    }
                }
            }
            f if file.is_none() && !f.starts_with("--") => file = Some(f),
            other => {
                eprintln!("warren: play takes one design file, --seconds N and --hop-ms N; '{other}' is none of them");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("warren: play needs a design file (a saved file, a tutorial's design)");
        return ExitCode::from(2);
    };
    play(file, seconds, hop)
}

fn play(file: &str, seconds: Option<u64>, hop: f64) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("warren: cannot read {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let limit = seconds.map_or(warren_model::play::DEFAULT_LIMIT_MS, |s| s * 1000);
    let opened = warren_model::design::Design::open(&text).and_then(|o| match o {
        // a file with a run replays it
        warren_model::design::Opened::Design(d, Some(run)) => {
            warren_model::runfile::read(&versioned(d), &run).map(|r| warren_model::play::replay(&r, limit, hop))
        }
        warren_model::design::Opened::Design(d, None) => warren_model::play::run(versioned(d), limit, hop),
        warren_model::design::Opened::Import(v) => {
            let d = versioned(warren_model::design::Design::import(&v)?.0);
            // a scenario without a canvas: its publishes, at their instants
            let run = warren_model::runfile::of_steps(&d, &v);
            if run.actions.is_empty() {
                warren_model::play::run(d, limit, hop)
            } else {
                Ok(warren_model::play::replay(&run, limit, hop))
            }
        }
    });
    let live = match opened {
        Ok(l) => l,
        Err(e) => {
            eprintln!("warren: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    for l in warren_model::play::lines(&live, limit) {
        outln!("{}", warren_model::play::text(&l));
    }
    for p in &live.problems {
        eprintln!("warren: {file}: the broker said: {p}");
    }
    ExitCode::SUCCESS
}

fn export_pika(file: &str, dir: &str) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("warren: cannot read {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let design = match warren_model::design::Design::from_file(&text) {
        Ok((d, _)) => versioned(d),
        Err(e) => {
            eprintln!("warren: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("warren: cannot create {dir}: {e}");
        return ExitCode::from(2);
    }
    for (name, contents) in warren_model::pika::files(&design) {
        let path = std::path::Path::new(dir).join(&name);
        if let Err(e) = std::fs::write(&path, contents) {
            eprintln!("warren: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        outln!("{}", path.display());
    }
    ExitCode::SUCCESS
}

fn share(file: &str) -> ExitCode {
    // the scenario must read (a link to a broken scenario helps nobody), and is shared as written
    match load(file) {
        Ok(scenario) => {
            outln!("{}", warren_engine::share::encode(&scenario.raw));
            ExitCode::SUCCESS
        }
        Err(c) => c,
    }
}

fn export_definitions(file: &str) -> ExitCode {
    let scenario = match load(file) {
        Ok(s) => s,
        Err(c) => return c,
    };
    match warren_engine::definitions::of_scenario(&scenario) {
        Ok(d) => {
            outln!("{}", serde_json::to_string_pretty(&d).expect("serializes"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("warren: {file}: {e}");
            ExitCode::from(2)
        }
    }
}

fn import_definitions(file: &str) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("warren: cannot read {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let defs: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!(
                "warren: {file}: not JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            );
            return ExitCode::from(2);
        }
    };
    let name = format!("imported from {file}");
    match warren_engine::definitions::import(&defs, &name) {
        Ok(imp) => {
            for l in &imp.left_out {
                eprintln!("warren: left out: {l}");
            }
            outln!("{}", serde_json::to_string_pretty(&imp.scenario).expect("serializes"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("warren: {file}: {e}");
            ExitCode::from(2)
        }
    }
}

/// A design as `--rabbitmq` asks (else as it says).
fn versioned(mut d: warren_model::design::Design) -> warren_model::design::Design {
    if let Some(v) = RABBITMQ.get() {
        d.rabbitmq = *v;
    }
    d
}

pub(crate) fn load(file: &str) -> Result<Scenario, ExitCode> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        eprintln!("warren: cannot read {file}: {e}");
        ExitCode::from(2)
    })?;
    let mut sc = Scenario::parse(&text).map_err(|e| {
        eprintln!("warren: {file}: {e}");
        ExitCode::from(2)
    })?;
    if let Some(v) = RABBITMQ.get() {
        sc.rabbitmq = Some(*v);
    }
    Ok(sc)
}

fn simulate(file: &str, scenario: &Scenario) -> Result<Vec<Value>, ExitCode> {
    Runner::run(scenario).map_err(|e| {
        eprintln!("warren: {file}: {e}");
        ExitCode::from(2)
    })
}

fn real(url: &str, scenario: &Scenario) -> Result<Vec<Value>, ExitCode> {
    live::Live::run(url, scenario).map_err(|e| {
        eprintln!("warren: {e}");
        ExitCode::from(3)
    })
}

fn trace(file: &str, url: Option<&str>) -> ExitCode {
    let scenario = match load(file) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let lines = match url {
        None => simulate(file, &scenario),
        Some(u) => real(u, &scenario),
    };
    match lines {
        Ok(lines) => {
            out!("{}", to_jsonl(&lines));
            ExitCode::SUCCESS
        }
        Err(c) => c,
    }
}

fn diff(url: &str, files: &[&str], reset: bool) -> ExitCode {
    let mut differ = false;
    for file in files {
        if reset {
            if let Err(e) = live::reset_broker() {
                eprintln!("warren: {e}");
                return ExitCode::from(3);
            }
        }
        let scenario = match load(file) {
            Ok(s) => s,
            Err(c) => return c,
        };
        let sim = match simulate(file, &scenario) {
            Ok(l) => l,
            Err(c) => return c,
        };
        let broker = match real(url, &scenario) {
            Ok(l) => l,
            Err(c) => return c,
        };
        match (0..sim.len().max(broker.len())).find(|&i| sim.get(i) != broker.get(i)) {
            None => outln!("{file}: same"),
            Some(i) => {
                differ = true;
                let show = |l: Option<&Value>| l.map(python_json).unwrap_or_else(|| "(nothing)".into());
                outln!("{file}: differs at line {}", i + 1);
                outln!("  warren: {}", show(sim.get(i)));
                outln!("  broker: {}", show(broker.get(i)));
            }
        }
    }
    if differ {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn gen(seed: u64, steps: usize) -> ExitCode {
    outln!(
        "{}",
        serde_json::to_string_pretty(&generated(seed, steps)).expect("JSON")
    );
    ExitCode::SUCCESS
}

/// The random scenario of `seed`, made for the version `--rabbitmq` names, 4.3 without it (a new
/// scenario is for today's RabbitMQ). It says so in its `"rabbitmq"`, so that a scenario fuzz
/// writes out replays as it ran.
fn generated(seed: u64, steps: usize) -> Value {
    let v = RABBITMQ.get().copied().unwrap_or(warren_engine::Version::V4_3);
    let mut doc = warren_engine::generate::scenario_as(seed, steps, v);
    if let Value::Object(o) = &mut doc {
        o.insert("rabbitmq".into(), Value::String(v.as_str().into()));
    }
    doc
}
