//! Determinism: the same scenario run twice gives identical engine events, natively and in wasm
//! (where the goldens also prove that both targets give the real broker's trace).
use warren_engine::scenario::Scenario;
use warren_engine::trace::Runner;
use warren_engine::Name;

const SCENARIOS: [&str; 15] = [
    include_str!("../../tests/conformance/topics.json"),
    include_str!("../../tests/conformance/workqueue.json"),
    include_str!("../../tests/conformance/rpc.json"),
    include_str!("../../tests/scenarios/acks_prefetch.json"),
    include_str!("../../tests/scenarios/consumers_dispatch.json"),
    include_str!("../../tests/scenarios/errors_channels.json"),
    include_str!("../../tests/scenarios/exchanges_e2e.json"),
    include_str!("../../tests/scenarios/exchanges_lifecycle.json"),
    include_str!("../../tests/scenarios/limits_deadletter.json"),
    include_str!("../../tests/scenarios/priority_confirms_replyto.json"),
    include_str!("../../tests/scenarios/queues_exclusive_autodelete.json"),
    include_str!("../../tests/scenarios/restart.json"),
    include_str!("../../tests/scenarios/ttl_expiry.json"),
    include_str!("../../tests/scenarios/quorum_queues.json"),
    include_str!("../../tests/scenarios/publishing_extras.json"),
];

fn events_of(text: &str, seed: u64) -> Vec<String> {
    let mut sc = Scenario::parse(text).unwrap();
    sc.seed = seed;
    let mut r = Runner::new(sc.seed);
    for (i, st) in sc.steps.iter().enumerate() {
        r.step(i, st).unwrap();
    }
    r.events.iter().map(|e| format!("{} {:?}", e.at, e.kind)).collect()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn same_scenario_same_events() {
    for text in SCENARIOS {
        let a = events_of(text, 11);
        assert!(!a.is_empty());
        assert_eq!(a, events_of(text, 11), "two runs of the same scenario differ");
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_seed_names_server_named_queues() {
    // rpc.json declares a server-named queue: its amq.gen- name comes from the seed alone
    let name = |seed| {
        events_of(SCENARIOS[2], seed)
            .into_iter()
            .find(|e| e.contains("QueueDeclared") && e.contains("amq.gen-"))
            .unwrap()
    };
    assert_eq!(name(1), name(1));
    assert_ne!(name(1), name(2));
}

/// Names are kept for the thread's life (see `Name`): a scenario run again, its server-named
/// queues, consumer tags and reply-to names included, makes no new ones.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_scenario_run_again_keeps_no_new_names() {
    let server_named = include_str!("../../tests/scenarios/q_server_named_each_new.json");
    let all = || SCENARIOS.into_iter().chain([server_named]);
    all().for_each(|text| drop(events_of(text, 7)));
    let kept = Name::interned();
    all().for_each(|text| drop(events_of(text, 7)));
    assert_eq!(Name::interned(), kept, "a second run made new names");
    // another seed gives the server-named queues other names: those are new
    events_of(server_named, 8);
    assert!(Name::interned() > kept);
}
