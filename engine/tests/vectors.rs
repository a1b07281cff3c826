//! RabbitMQ's own topic and headers matching vectors (tests/conformance, copied from shared/).
use warren_engine::exchange::Dest;
use warren_engine::field::{FieldTable, FieldValue};
use warren_engine::topic::{matches, TopicTrie};

const TOPIC: &str = include_str!("../../tests/conformance/topic_vectors.tsv");
const HEADERS: &str = include_str!("../../tests/conformance/headers_vectors.tsv");

fn typed_table(v: &serde_json::Value) -> Option<FieldTable> {
    let o = v.as_object()?;
    Some(
        o.iter()
            .map(|(k, v)| (k.clone(), FieldValue::from_typed_json(v).expect("typed value")))
            .collect(),
    )
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn topic_vectors() {
    let mut n = 0;
    let mut failures = Vec::new();
    for line in TOPIC.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let (binding, routing, want) = (f[0], f[1], f[2] == "true");
        // the reference matcher, and the trie the exchange routes with
        let mut trie = TopicTrie::default();
        trie.insert(binding, Dest::Queue("q".into()));
        let mut out = Vec::new();
        trie.route(routing, &mut out);
        if matches(binding, routing) != want || out.is_empty() == want {
            failures.push(format!("{binding:?} vs {routing:?}: want {want}"));
        }
        n += 1;
    }
    assert_eq!(n, 446, "every vector read");
    assert!(
        failures.is_empty(),
        "{} of {n} topic vectors fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn headers_vectors() {
    let mut n = 0;
    let mut failures = Vec::new();
    for line in HEADERS.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let args = typed_table(&serde_json::from_str(f[0]).unwrap()).expect("binding args");
        let headers = typed_table(&serde_json::from_str(f[1]).unwrap());
        let want = f[2] == "true";
        if warren_engine::headers::matches(&args, headers.as_ref()) != want {
            failures.push(format!("{} x {}: want {want} ({})", f[0], f[1], f[3]));
        }
        n += 1;
    }
    assert_eq!(n, 440, "every vector read");
    assert!(
        failures.is_empty(),
        "{} of {n} headers vectors fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
