//! Definitions: what the engine exports for a scenario equals what RabbitMQ 3.10.8's
//! `rabbitmqctl export_definitions` gave after the same scenario (tests/definitions/), and an
//! import of those definitions declares the same topology again.
use serde_json::Value;
use warren_engine::definitions::{import, of_scenario};
use warren_engine::scenario::Scenario;

const SCENARIO: &str = include_str!("../../tests/definitions/topology.json");
const RECORDED: &str = include_str!("../../tests/definitions/topology.defs.json");

/// The topology part, each list sorted (the broker's order is its own).
fn topology(d: &Value) -> Vec<Vec<String>> {
    ["queues", "exchanges", "bindings"]
        .iter()
        .map(|k| {
            let mut v: Vec<String> = d[k].as_array().unwrap().iter().map(|x| x.to_string()).collect();
            v.sort();
            v
        })
        .collect()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn export_matches_the_real_brokers() {
    let ours = of_scenario(&Scenario::parse(SCENARIO).unwrap()).unwrap();
    let theirs: Value = serde_json::from_str(RECORDED).unwrap();
    assert_eq!(topology(&ours), topology(&theirs));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn import_declares_what_the_definitions_hold_and_lists_the_rest() {
    let mut theirs: Value = serde_json::from_str(RECORDED).unwrap();
    theirs["users"] = serde_json::json!([{"name": "guest"}]);
    theirs["vhosts"] = serde_json::json!([{"name": "/"}, {"name": "other"}]);
    let imp = import(&theirs, "imported").unwrap();
    // the binding to the internal exchange (not exported) cannot be made; users and vhosts are listed
    assert_eq!(
        imp.left_out,
        vec![
            "users: 1 (a scenario has none)".to_string(),
            "vhost 'other' (a scenario has only '/')".to_string(),
            "binding of exchange 'ix' to 'hx' with key 'i' (one end is not in the definitions)".to_string(),
        ]
    );
    let again = of_scenario(&Scenario::from_json(imp.scenario).unwrap()).unwrap();
    let mut want = topology(&theirs);
    want[2].retain(|b| !b.contains("\"ix\""));
    assert_eq!(topology(&again), want);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn bad_definitions_say_where() {
    let e = import(&serde_json::json!({"queues": [{"durable": true}]}), "x").unwrap_err();
    assert_eq!(e, "queues[0]: no \"name\"");
    let e = import(&serde_json::json!({"bindings": 3}), "x").unwrap_err();
    assert_eq!(e, "\"bindings\" is 3, not a list");
    let e = import(
        &serde_json::json!({"exchanges": [{"name": "x", "type": "topic", "durable": "yes"}]}),
        "x",
    )
    .unwrap_err();
    assert_eq!(e, "exchanges[0]: \"durable\" is \"yes\", not true or false");
}
