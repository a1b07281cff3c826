//! One list of AMQP methods: a scenario's call is read (`args`, with pika's names and defaults)
//! and written back (`Call::args_json`) through the same `Method` the broker takes. Every step of
//! every scenario in the repository and of random ones, written and read again, is the same call.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use warren_engine::generate::scenario;
use warren_engine::method::Method;
use warren_engine::scenario::{resolve, Call, Scenario};

fn round_trip(where_: &str, sc: &Scenario) -> usize {
    for (i, st) in sc.steps.iter().enumerate() {
        let mut step = json!({"conn": st.conn, "call": st.call.name()});
        let args = st.call.args_json();
        if !args.is_null() {
            step["args"] = args;
        }
        let again = Scenario::from_json(json!({ "steps": [step] }))
            .unwrap_or_else(|e| panic!("{where_} step {i}: written as {step}, read back: {e}"));
        assert_eq!(again.steps[0].call, st.call, "{where_} step {i}: written as {step}");
    }
    sc.steps.len()
}

#[test]
fn every_call_written_reads_back_the_same() {
    let mut steps = 0;
    let mut files = 0;
    for dir in ["../tests/scenarios", "../tests/conformance"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let sc = Scenario::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                steps += round_trip(&path.display().to_string(), &sc);
                files += 1;
            }
        }
    }
    for seed in 0..200 {
        let sc = Scenario::from_json(scenario(seed, 40)).unwrap();
        steps += round_trip(&format!("generated seed {seed}"), &sc);
    }
    assert!(files >= 120 && steps >= 9000, "{files} files, {steps} steps");
}

#[test]
fn pika_defaults_are_applied_where_pika_applies_them() {
    let sc = Scenario::parse(
        r#"{"steps":[
        {"call":"queue_declare","args":{"queue":""},"as":"r"},
        {"call":"queue_bind","args":{"queue":"$r","exchange":"amq.direct"}},
        {"call":"queue_bind","args":{"queue":"$r","exchange":"amq.direct","routing_key":"k"}},
        {"call":"basic_consume","args":{"queue":"$r"}},
        {"call":"basic_publish","args":{"exchange":"","routing_key":"$r","properties":{"reply_to":"$r"}}}]}"#,
    )
    .unwrap();
    let name = |v: &str| match v {
        "$r" => Ok("amq.gen-1".to_string()),
        "$other" => Err("no such alias".to_string()),
        v => Ok(v.to_string()),
    };
    let sent: Vec<Method> = sc.steps[1..]
        .iter()
        .map(|st| {
            let Call::Method(m) = &st.call else { panic!("a method") };
            resolve(m, name, || "ctag1.0".to_string()).unwrap()
        })
        .collect();
    // no key: the queue's (resolved) name, as pika binds; a key given is sent as it is
    assert!(
        matches!(&sent[0], Method::QueueBind { queue, routing_key, .. } if queue == "amq.gen-1" && routing_key == "amq.gen-1")
    );
    assert!(matches!(&sent[1], Method::QueueBind { routing_key, .. } if routing_key == "k"));
    // no tag: pika makes one up
    assert!(
        matches!(&sent[2], Method::BasicConsume { queue, consumer_tag, .. } if queue == "amq.gen-1" && consumer_tag == "ctag1.0")
    );
    let Method::BasicPublish {
        routing_key,
        properties,
        ..
    } = &sent[3]
    else {
        panic!()
    };
    assert_eq!(
        (&**routing_key, properties.reply_to.as_deref()),
        ("amq.gen-1", Some("amq.gen-1"))
    );
    // written back, the bind without a key is still without one
    let written: Value = sc.steps[1].call.args_json();
    assert_eq!(written, json!({"queue": "$r", "exchange": "amq.direct"}));
}
