//! The examples in `shared/conformance/`: the engine gives exactly the traces a real RabbitMQ
//! 3.10.8 gave (recorded with pika), and the copies in `tests/conformance/` match the originals.
mod common;

// The topics tutorial: `*` is one word, `#` zero or more; a mandatory unroutable message returns.
golden!(topics_tutorial, "topics", "conformance");
// Fair dispatch with prefetch 1, requeue to the original position, channel and connection errors.
golden!(work_queue, "workqueue", "conformance");
// RPC with a server-named exclusive callback queue and correlation ids.
golden!(rpc_callback_queue, "rpc", "conformance");

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn copies_match_shared() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    if !shared.exists() {
        eprintln!("../shared is not beside the repository: nothing to compare");
        return;
    }
    let ours = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance");
    for entry in std::fs::read_dir(&shared).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap();
        let a = std::fs::read(&p).unwrap();
        let b = std::fs::read(ours.join(name)).unwrap_or_else(|_| panic!("tests/conformance lacks {name:?}"));
        assert!(
            a == b,
            "tests/conformance/{name:?} differs from shared/conformance: copy it again"
        );
    }
}

/// Every scenario of `tests/scenarios/` has its golden trace and a `golden!` test in one of the
/// `behaviour_*.rs` files, so none is only compared live.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_scenario_has_a_golden_test() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut tests = String::new();
    for entry in std::fs::read_dir(root.join("tests")).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("behaviour_") && name.ends_with(".rs") {
            tests.push_str(&std::fs::read_to_string(&p).unwrap());
        }
    }
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root.join("../tests/scenarios")).unwrap() {
        let p = entry.unwrap().path();
        let Some(stem) = p
            .file_name()
            .unwrap()
            .to_string_lossy()
            .strip_suffix(".json")
            .map(String::from)
        else {
            continue;
        };
        // `golden!(test, "NAME")`, which rustfmt may break over lines
        let named = tests
            .match_indices(&format!("\"{stem}\""))
            .any(|(i, m)| tests[i + m.len()..].trim_start().starts_with(')'));
        if !p.with_extension("jsonl").exists() || !named {
            missing.push(stem);
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "scenarios without a golden trace or a golden! test in engine/tests/behaviour_*.rs: {missing:?}"
    );
}
