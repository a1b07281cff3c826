//! The random scenarios `warren fuzz` runs against a real broker: replayable from their seed,
//! valid, and reaching every kind of step the generator knows (a branch that stops being taken
//! would quietly shrink what the daily fuzz compares).
use serde_json::Value;
use std::collections::BTreeSet;
use warren_engine::generate::scenario;
use warren_engine::scenario::Scenario;
use warren_engine::trace::Runner;

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn random_scenarios_replay_and_reach_every_step() {
    let mut calls = BTreeSet::new();
    let mut flags = BTreeSet::new();
    let mut refused_for_user = 0;
    for seed in 0..150 {
        let doc = scenario(seed, 40);
        assert_eq!(doc, scenario(seed, 40), "seed {seed} replays");
        let sc = Scenario::from_json(doc.clone()).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let trace = Runner::run(&sc).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        for st in doc["steps"].as_array().unwrap() {
            calls.insert(st["call"].as_str().unwrap().to_string());
            let args = &st["args"];
            for f in ["auto_delete", "internal", "passive", "if_unused", "if_empty", "durable"] {
                if args[f] == Value::Bool(true) {
                    flags.insert(format!("{}.{f}", st["call"].as_str().unwrap()));
                }
            }
            if let Some(a) = args["arguments"].as_object() {
                flags.extend(a.keys().cloned());
            }
        }
        // the user's narrower permissions are what refuse some of C's steps
        refused_for_user += trace
            .iter()
            .filter(|l| {
                l["conn"] == "C"
                    && l["code"] == 403
                    && l["text"].as_str().is_some_and(|t| t.contains("for user 'g.user'"))
            })
            .count();
    }
    for call in [
        "exchange_declare",
        "exchange_delete",
        "exchange_bind",
        "exchange_unbind",
        "queue_declare",
        "queue_bind",
        "queue_unbind",
        "queue_purge",
        "queue_delete",
        "basic_qos",
        "basic_publish",
        "basic_consume",
        "basic_cancel",
        "basic_ack",
        "basic_nack",
        "basic_reject",
        "basic_get",
        "basic_recover",
        "confirm_select",
        "channel_close",
        "connection_close",
        "wait",
        "restart",
        "add_user",
        "set_permissions",
        "clear_permissions",
    ] {
        assert!(calls.contains(call), "no {call} in 150 scenarios: {calls:?}");
    }
    for flag in [
        "exchange_declare.auto_delete",
        "exchange_declare.internal",
        "exchange_declare.passive",
        "exchange_declare.durable",
        "exchange_delete.if_unused",
        "queue_delete.if_unused",
        "queue_delete.if_empty",
        "queue_declare.passive",
        "queue_declare.durable",
        "x-max-length-bytes",
        "x-expires",
        "x-queue-type",
        "x-delivery-limit",
        "alternate-exchange",
        "x-single-active-consumer",
    ] {
        assert!(flags.contains(flag), "no {flag} in 150 scenarios: {flags:?}");
    }
    assert!(refused_for_user > 0, "g.user's permissions never refused a step");
}

/// A connection closes with no channel holding deliveries while another of its channels
/// consumes: the broker ends a connection's channels in an order of its own, and which of the
/// two goes first decides whether the delivery reaches that consumer (see the README's "What
/// differs"). The generator closes such channels first.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn connections_close_without_a_delivery_beside_a_consumer() {
    let mut closes = 0;
    for seed in 0..1000 {
        let sc = Scenario::from_json(scenario(seed, 40)).unwrap();
        let mut r = Runner::new(sc.seed);
        for (i, st) in sc.steps.iter().enumerate() {
            let (name, call) = (st.conn.as_str(), st.call.name());
            if call == "connection_close" {
                if let Some(c) = r.conn_id(name).and_then(|id| r.server.connection(id)) {
                    closes += 1;
                    for (h, holder) in c.channels.iter().filter(|(_, ch)| ch.unacked() > 0) {
                        assert!(
                            !c.channels.iter().any(|(n, ch)| n != h && !ch.consumers.is_empty()),
                            "seed {seed}, step {i}: {name} closes while channel {h} holds {} \
                             deliveries and another channel consumes",
                            holder.unacked()
                        );
                    }
                }
            }
            r.step(i, st).unwrap();
        }
    }
    assert!(closes > 200, "only {closes} connection closes in 1,000 scenarios");
}
