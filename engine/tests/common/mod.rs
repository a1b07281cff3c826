//! Shared harness: run a scenario on the engine and compare with a trace from a real RabbitMQ.
#![allow(dead_code)]

use serde_json::Value;
use warren_engine::scenario::Scenario;
use warren_engine::trace::{python_json, Runner};

/// Run `scenario` (JSON text) and compare its trace with `golden` (JSON Lines from a real broker).
/// Lines compare as parsed objects (key order and spacing do not matter). On a difference, the
/// panic shows the first differing line of each side.
pub fn assert_trace(name: &str, scenario: &str, golden: &str) {
    let sc = Scenario::parse(scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
    let got = Runner::run(&sc).unwrap_or_else(|e| panic!("{name}: {e}"));
    let want: Vec<Value> = golden
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("golden line is JSON"))
        .collect();
    for i in 0..got.len().max(want.len()) {
        let (g, w) = (got.get(i), want.get(i));
        if g != w {
            panic!(
                "{name}: the engine's trace differs from the real broker's at line {i}\n  engine: {}\n  broker: {}",
                g.map(python_json).unwrap_or_else(|| "(nothing)".into()),
                w.map(python_json).unwrap_or_else(|| "(nothing)".into())
            );
        }
    }
}

/// One test per scenario file: `golden!(test, "NAME")` runs `tests/scenarios/NAME.json` against
/// `NAME.jsonl`; `golden!(test, "NAME", "conformance")` takes them from `tests/conformance/`.
/// Each test also runs compiled to wasm32.
#[macro_export]
macro_rules! golden {
    ($test:ident, $file:literal) => {
        golden!($test, $file, "scenarios");
    };
    ($test:ident, $file:literal, $dir:literal) => {
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(target_arch = "wasm32"), test)]
        fn $test() {
            common::assert_trace(
                $file,
                include_str!(concat!("../../tests/", $dir, "/", $file, ".json")),
                include_str!(concat!("../../tests/", $dir, "/", $file, ".jsonl")),
            );
        }
    };
}

/// Scenarios whose 4.3 trace the engine does not give yet, each with what differs. A scenario
/// that starts to match must leave this list (engine/tests/rabbitmq_4_3.rs says so).
pub const PENDING_4_3: &[(&str, &str)] = &[];

/// Every golden recorded on RabbitMQ 4.3.6 (`tests/scenarios/4.3/`, `tests/conformance/4.3/`):
/// (the folder of its scenario, its name, the 4.3 golden), by folder and name.
pub fn goldens_4_3() -> Vec<(std::path::PathBuf, String, std::path::PathBuf)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut all = Vec::new();
    for dir in ["scenarios", "conformance"] {
        let dir = root.join(dir);
        let mut goldens: Vec<std::path::PathBuf> = std::fs::read_dir(dir.join("4.3"))
            .expect("the 4.3 goldens")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        goldens.sort();
        for g in goldens {
            let name = g.file_stem().unwrap().to_str().unwrap().to_string();
            all.push((dir.clone(), name, g));
        }
    }
    all
}
