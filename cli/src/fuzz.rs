//! `warren fuzz`: random scenarios run on the engine and on a real broker; differences are
//! reported with their seed and a minimized scenario.

use crate::live::Live;
use serde_json::Value;
use std::process::ExitCode;
use warren_engine::scenario::Scenario;
use warren_engine::trace::{python_json, Runner};

pub struct Options {
    pub seed: u64,
    pub count: u64,
    pub steps: usize,
    pub out: Option<String>,
}

impl Options {
    pub fn parse(args: &[&str]) -> Result<Options, String> {
        let mut o = Options {
            seed: 1,
            count: 200,
            steps: 40,
            out: None,
        };
        let mut i = 0;
        while i < args.len() {
            let v = args.get(i + 1).ok_or_else(|| format!("{} needs a value", args[i]))?;
            let num = |v: &str| {
                v.parse::<u64>()
                    .map_err(|_| format!("{} takes a whole number, not '{v}'", args[i]))
            };
            match args[i] {
                "--seed" => o.seed = num(v)?,
                "--count" => o.count = num(v)?,
                "--steps" => o.steps = num(v)? as usize,
                "--out" => o.out = Some(v.to_string()),
                other => return Err(format!("fuzz does not take '{other}'")),
            }
            i += 2;
        }
        Ok(o)
    }
}

/// The first differing line of the two traces, if any.
fn first_difference(sim: &[Value], real: &[Value]) -> Option<usize> {
    (0..sim.len().max(real.len())).find(|&i| sim.get(i) != real.get(i))
}

fn both(url: &str, doc: &Value) -> Result<(Vec<Value>, Vec<Value>), String> {
    let sc = Scenario::from_json(doc.clone()).map_err(|e| e.to_string())?;
    let sim = Runner::run(&sc).map_err(|e| e.to_string())?;
    let real = Live::run(url, &sc)?;
    Ok((sim, real))
}

/// Drop steps one at a time while the scenario still differs (greedy, from the end).
fn minimize(url: &str, doc: &Value) -> Value {
    let mut best = doc.clone();
    loop {
        let steps = best["steps"].as_array().cloned().unwrap_or_default();
        let mut shrunk = false;
        for i in (0..steps.len()).rev() {
            let mut fewer = steps.clone();
            fewer.remove(i);
            let mut candidate = best.clone();
            candidate["steps"] = Value::Array(fewer);
            if let Ok((sim, real)) = both(url, &candidate) {
                if first_difference(&sim, &real).is_some() {
                    best = candidate;
                    shrunk = true;
                    break;
                }
            }
        }
        if !shrunk {
            return best;
        }
    }
}

pub fn run(url: &str, o: &Options) -> ExitCode {
    let mut passed = 0u64;
    for seed in o.seed..o.seed + o.count {
        let doc = crate::generated(seed, o.steps);
        let (sim, real) = match both(url, &doc) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("warren: seed {seed}: {e}");
                return ExitCode::from(3);
            }
        };
        let Some(i) = first_difference(&sim, &real) else {
            passed += 1;
            continue;
        };
        let show = |l: Option<&Value>| l.map(python_json).unwrap_or_else(|| "(nothing)".into());
        outln!("seed {seed}: the engine and the broker differ at line {}", i + 1);
        outln!("  warren: {}", show(sim.get(i)));
        outln!("  broker: {}", show(real.get(i)));
        outln!("minimizing (replay with: warren gen {seed} {}) ...", o.steps);
        let small = minimize(url, &doc);
        let text = serde_json::to_string_pretty(&small).expect("JSON");
        outln!("{text}");
        if let Some(dir) = &o.out {
            let path = format!("{dir}/fuzz-seed-{seed}.json");
            if std::fs::create_dir_all(dir)
                .and_then(|_| std::fs::write(&path, &text))
                .is_ok()
            {
                outln!("written to {path}");
            }
        }
        outln!("fuzz: {passed} passed, 1 failed");
        return ExitCode::from(1);
    }
    outln!("fuzz: {passed} passed, 0 failed");
    ExitCode::SUCCESS
}
