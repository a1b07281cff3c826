//! `warren`: run Warren scenarios from the command line.

use std::process::ExitCode;
use warren_engine::scenario::Scenario;
use warren_engine::trace::{to_jsonl, Runner};

const USAGE: &str = "\
warren — a RabbitMQ 3.10 broker simulator

Usage:
  warren trace SCENARIO.json   run the scenario on the simulated broker and print its trace
                               (JSON Lines, as shared/scenario-format.md describes)
  warren --help                this text

A scenario that cannot be read is reported with the step and field (or the line and column of
broken JSON) and exit status 2.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["--help"] | ["-h"] | ["help"] => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        ["trace", file] => trace(file),
        _ => {
            eprint!("warren: unknown arguments {args:?}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn trace(file: &str) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("warren: cannot read {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let scenario = match Scenario::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("warren: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    match Runner::run(&scenario) {
        Ok(lines) => {
            print!("{}", to_jsonl(&lines));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("warren: {file}: {e}");
            ExitCode::from(2)
        }
    }
}
