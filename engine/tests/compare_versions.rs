//! Comparing versions against the brokers themselves: for every scenario recorded on both
//! RabbitMQ 3.10.8 and 4.3.6, the steps the engine's comparison finds different are the steps
//! where the two brokers' traces differ, and each comes with a reason. And every place where
//! the versions differ is met by some golden.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use warren_engine::compare::compare;
use warren_engine::scenario::Scenario;
use warren_engine::trace::python_json;
use warren_engine::version::Difference;
use warren_engine::Version;

fn golden_steps(path: &Path) -> Vec<(u64, String)> {
    std::fs::read_to_string(path)
        .expect("golden")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).expect("golden line is JSON");
            let step = v["step"].as_u64().expect("step");
            v.as_object_mut().unwrap().remove("step");
            (step, python_json(&v))
        })
        .collect()
}

/// The steps whose lines differ between two goldens.
fn differing(a: &[(u64, String)], b: &[(u64, String)]) -> BTreeSet<u64> {
    let steps: BTreeSet<u64> = a.iter().chain(b).map(|(s, _)| *s).collect();
    let lines = |g: &[(u64, String)], s: u64| {
        g.iter()
            .filter(|(t, _)| *t == s)
            .map(|(_, l)| l.clone())
            .collect::<Vec<_>>()
    };
    steps.into_iter().filter(|s| lines(a, *s) != lines(b, *s)).collect()
}

#[test]
fn the_comparison_finds_the_steps_where_the_brokers_differ_and_says_why() {
    let mut compared = 0;
    let mut differ = 0;
    let mut wrong = Vec::new();
    let mut met: BTreeSet<Difference> = BTreeSet::new();
    for (dir, name, g) in common::goldens_4_3() {
        if common::PENDING_4_3.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let old = dir.join(format!("{name}.jsonl"));
        if !old.exists() {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).expect("scenario");
        let sc = Scenario::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let c = compare(&sc, Version::V3_10, Version::V4_3).unwrap_or_else(|e| panic!("{name}: {e}"));
        let found: BTreeSet<u64> = c.differences.iter().map(|d| d.step as u64).collect();
        let brokers = differing(&golden_steps(&old), &golden_steps(&g));
        if found != brokers {
            wrong.push(format!(
                "{name}: the engine finds steps {found:?}, the brokers differ at {brokers:?}"
            ));
        }
        for d in &c.differences {
            if d.reasons.is_empty() {
                wrong.push(format!("{name}: step {} differs without a reason", d.step));
            }
            met.extend(d.reasons.iter().copied());
        }
        differ += usize::from(!c.differences.is_empty());
        compared += 1;
    }
    assert!(compared >= 100, "only {compared} scenarios on both brokers");
    assert!(differ >= 20, "only {differ} scenarios differ between the versions");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let never: Vec<_> = Difference::ALL.into_iter().filter(|d| !met.contains(d)).collect();
    assert!(never.is_empty(), "no golden shows these differences: {never:?}");
}
