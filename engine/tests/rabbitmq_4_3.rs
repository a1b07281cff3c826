//! The engine as RabbitMQ 4.3 against traces from a real RabbitMQ 4.3.6: every golden scenario
//! of `tests/scenarios/` and `tests/conformance/` was recorded on both brokers (3.10.8 beside
//! the scenario, 4.3.6 in its `4.3/` folder; `scripts/record.sh --rabbitmq 4.3`). The behaviour
//! tests check 3.10 scenario by scenario; this checks 4.3 on all of them at once.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::PENDING_4_3;
use serde_json::Value;
use std::path::{Path, PathBuf};
use warren_engine::scenario::Scenario;
use warren_engine::trace::{python_json, Runner};
use warren_engine::Version;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests")
}

/// The first line where the engine's trace differs from the golden, if any.
fn differs(scenario: &Path, golden: &Path) -> Option<String> {
    let text = std::fs::read_to_string(scenario).expect("scenario");
    let mut sc = Scenario::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", scenario.display()));
    sc.rabbitmq = Some(Version::V4_3);
    let got = Runner::run(&sc).unwrap_or_else(|e| panic!("{}: {e}", scenario.display()));
    let want: Vec<Value> = std::fs::read_to_string(golden)
        .expect("golden")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("golden line is JSON"))
        .collect();
    (0..got.len().max(want.len())).find_map(|i| {
        (got.get(i) != want.get(i)).then(|| {
            format!(
                "line {i}\n  engine: {}\n  broker: {}",
                got.get(i).map(python_json).unwrap_or_else(|| "(nothing)".into()),
                want.get(i).map(python_json).unwrap_or_else(|| "(nothing)".into())
            )
        })
    })
}

#[test]
fn every_golden_scenario_gives_rabbitmq_4_3s_trace() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    let mut fixed = Vec::new();
    for (dir, name, g) in common::goldens_4_3() {
        let pending = PENDING_4_3.iter().any(|(n, _)| *n == name);
        match (differs(&dir.join(format!("{name}.json")), &g), pending) {
            (Some(d), false) => wrong.push(format!("{name}: {d}")),
            (None, true) => fixed.push(name),
            _ => {}
        }
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} 4.3 goldens");
    assert!(
        fixed.is_empty(),
        "these now match RabbitMQ 4.3: take them out of PENDING: {fixed:?}"
    );
    assert!(
        wrong.is_empty(),
        "the engine differs from RabbitMQ 4.3.6:\n{}",
        wrong.join("\n")
    );
}

/// Golden scenarios with no 4.3 trace, and why.
const NOT_RECORDED: &[(&str, &str)] = &[(
    "q_name_crlf_stripped",
    "RabbitMQ 4.3.6 never answers a queue.declare whose name holds CR or LF: the client waits for ever",
)];

#[test]
fn every_golden_scenario_was_recorded_on_both_versions() {
    for dir in ["scenarios", "conformance"] {
        let dir = root().join(dir);
        for e in std::fs::read_dir(&dir).expect("dir") {
            let p = e.expect("entry").path();
            let name = p.file_stem().unwrap().to_str().unwrap();
            if p.extension().is_some_and(|x| x == "jsonl") && !NOT_RECORDED.iter().any(|(n, _)| *n == name) {
                let four = dir.join("4.3").join(p.file_name().unwrap());
                assert!(four.exists(), "{} has no 4.3 golden ({})", p.display(), four.display());
            }
        }
    }
}
