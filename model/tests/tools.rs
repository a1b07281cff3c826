//! The tools worker's requests and answers (`src/tools.rs`): what the page gets from it is what
//! the same functions give natively, and a request it cannot serve is answered with why.

use serde_json::{json, Value};
use warren_model::design::{Design, Opened};
use warren_model::json::Json;
use warren_model::tools::{answer, handle, request, Job};

fn design() -> Design {
    let text = std::fs::read_to_string("../tests/designs/topic_logs.json").unwrap();
    Design::from_file(&text).unwrap().0
}

fn ask(id: u64, job: Job, input: Value) -> Result<Value, String> {
    let (got, outcome) = answer(&handle(&request(id, job, input))).expect("an answer");
    assert_eq!(got, id);
    outcome
}

#[test]
fn pika_code_and_definitions_are_the_designs() {
    let d = design();
    let files = ask(1, Job::Pika, d.write()).unwrap();
    let files: Vec<(String, String)> = serde_json::from_value(files).unwrap();
    assert_eq!(files, warren_model::pika::files(&d));
    assert!(files.iter().any(|f| f.0 == "setup.py"), "{files:?}");
    let defs = ask(2, Job::Definitions, d.write()).unwrap();
    assert_eq!(defs, d.definitions().unwrap());
}

#[test]
fn definitions_come_back_as_the_design_a_file_would_open() {
    let text = std::fs::read_to_string("../tests/definitions/topology.defs.json").unwrap();
    let Opened::Import(doc) = Design::open(&text).unwrap() else {
        panic!("a definitions file opens as definitions");
    };
    let got = ask(7, Job::Import, doc).unwrap();
    let (want, left_out) = Design::from_file(&text).unwrap();
    assert_eq!(Design::read(&got["design"]).unwrap(), want);
    assert_eq!(got["left_out"], json!(left_out));
    // a scenario file opens in the page itself
    assert!(matches!(
        Design::open(&want.to_scenario().to_string()),
        Ok(Opened::Design(..))
    ));
    // a scenario without a canvas is imported by the worker too: its topology, run
    let text = std::fs::read_to_string("../tests/conformance/topics.json").unwrap();
    let Opened::Import(doc) = Design::open(&text).unwrap() else {
        panic!("a scenario without a canvas opens as an import");
    };
    let got = ask(8, Job::Import, doc).unwrap();
    assert_eq!(
        Design::read(&got["design"]).unwrap(),
        Design::from_scenario(&text).unwrap()
    );
    assert_eq!(got["left_out"], json!([]));
}

#[test]
fn what_it_cannot_do_is_answered_with_why() {
    let e = ask(3, Job::Import, json!({"queues": [{"name": 1}]})).unwrap_err();
    assert_eq!(e, "definitions: queues[0]: \"name\" is not a string");
    let e = ask(4, Job::Pika, json!({"nodes": "none"})).unwrap_err();
    assert_eq!(e, "the design: nodes: expected an array, found \"none\"");
    let e = answer(&handle(r#"{"id": 5, "job": "compile"}"#))
        .unwrap()
        .1
        .unwrap_err();
    assert_eq!(e, r#"not a tools request: {"id":5,"job":"compile"}"#);
    // not even JSON: an answer all the same, with no id to match
    let a: Value = serde_json::from_str(&handle("pika please")).unwrap();
    assert_eq!(a, json!({"id": null, "error": "not a tools request: null"}));
    assert_eq!(answer("garbage"), None);
}
