//! `warren diff --rabbitmq A --rabbitmq B SCENARIO.json...`: each scenario run as both versions,
//! the steps whose trace lines differ, and why ([`warren_engine::compare`]).

use std::process::ExitCode;
use warren_engine::compare::compare;
use warren_engine::trace::python_json;
use warren_engine::Version;

pub fn run(versions: [Version; 2], files: &[&str]) -> ExitCode {
    let [a, b] = versions;
    for file in files {
        let Ok(sc) = crate::load(file) else {
            return ExitCode::from(2);
        };
        let c = match compare(&sc, a, b) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("warren: {file}: {e}");
                return ExitCode::from(2);
            }
        };
        if c.differences.is_empty() {
            outln!("{file}: the same on RabbitMQ {a} and {b} ({} steps)", c.steps);
            continue;
        }
        let n = c.differences.len();
        outln!(
            "{file}: RabbitMQ {a} and {b} differ at {n} of {} step{}",
            c.steps,
            if c.steps == 1 { "" } else { "s" }
        );
        let width = a.as_str().len().max(b.as_str().len());
        for d in &c.differences {
            outln!("  step {} ({} on {}):", d.step, d.call, d.conn);
            for (v, lines) in [a, b].iter().zip(&d.lines) {
                if lines.is_empty() {
                    outln!("    {:width$}  (nothing)", v.as_str());
                }
                for l in lines {
                    outln!("    {:width$}  {}", v.as_str(), python_json(l));
                }
            }
            let from = d.follows.map(|s| format!(" (from step {s})")).unwrap_or_default();
            for r in &d.reasons {
                outln!("    why{from}: {} [{}]", r.reason().0, r.rule());
            }
        }
    }
    ExitCode::SUCCESS
}
