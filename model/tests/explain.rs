//! Routing explanations agree with RabbitMQ's matching vectors: the topic alignment exists exactly
//! when the binding matches, and each headers explanation's per-header verdicts combine (all / any)
//! to the engine's verdict.
use warren_engine::field::{FieldTable, FieldValue};
use warren_model::explain;

const TOPIC: &str = include_str!("../../tests/conformance/topic_vectors.tsv");
const HEADERS: &str = include_str!("../../tests/conformance/headers_vectors.tsv");

fn typed_table(v: &serde_json::Value) -> Option<FieldTable> {
    let o = v.as_object()?;
    Some(
        o.iter()
            .map(|(k, v)| (k.clone(), FieldValue::from_typed_json(v).unwrap()))
            .collect(),
    )
}

#[test]
fn topic_explanations_agree_with_the_vectors() {
    let mut n = 0;
    for line in TOPIC.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let (binding, routing, want) = (f[0], f[1], f[2] == "true");
        let (ok, why) = explain::topic(binding, routing);
        assert_eq!(ok, want, "{binding:?} vs {routing:?}: {why}");
        assert!(!why.is_empty());
        n += 1;
    }
    assert_eq!(n, 446);
    assert_eq!(
        explain::topic("*.orange.*", "quick.orange.rabbit").1,
        "'*' = 'quick', 'orange' = 'orange', '*' = 'rabbit'"
    );
    assert_eq!(explain::topic("lazy.#", "lazy").1, "'lazy' = 'lazy', '#' = no words");
    assert_eq!(
        explain::topic("*.orange.*", "quick.brown.fox").1,
        "word 2: 'orange' ≠ 'brown'"
    );
    assert_eq!(
        explain::topic("lazy.#", "quick.orange.rabbit").1,
        "word 1: 'lazy' ≠ 'quick'"
    );
    assert_eq!(
        explain::topic("#.rabbit", "quick.orange.fox").1,
        "word 1 from the end: 'rabbit' ≠ 'fox'"
    );
    assert_eq!(
        explain::topic("*.orange.*", "quick.orange.male.rabbit").1,
        "the binding has 3 words, the routing key 4 ('*' is exactly one word)"
    );
}

#[test]
fn headers_explanations_break_the_engines_verdict_down_per_header() {
    let mut n = 0;
    for line in HEADERS.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let args = typed_table(&serde_json::from_str(f[0]).unwrap()).unwrap();
        let headers = typed_table(&serde_json::from_str(f[1]).unwrap());
        let (ok, why) = explain::headers(&args, headers.as_ref());
        assert_eq!(ok, f[2] == "true", "{line}");
        let marks: Vec<bool> = why.matches(['✓', '✗']).map(|m| m == "✓").collect();
        let any = why.starts_with("x-match any");
        if !marks.is_empty() {
            let combined = if any {
                marks.iter().any(|m| *m)
            } else {
                marks.iter().all(|m| *m)
            };
            assert_eq!(combined, ok, "{line}: {why}");
        }
        n += 1;
    }
    assert_eq!(n, 440);
}

/// RabbitMQ routes a message by its CC and BCC headers' keys as well as its routing key (direct
/// and topic exchanges): the explanation says which key matched, never "≠" beside a match.
#[test]
fn a_binding_matched_by_a_cc_key_says_so() {
    use warren_engine::exchange::{Binding, Dest, Exchange, ExchangeKind};
    use warren_engine::Name;
    use warren_model::i18n::Lang;
    let mut x = Exchange::new(
        "logs".into(),
        ExchangeKind::Direct,
        false,
        false,
        false,
        FieldTable::new(),
    );
    let bind = |key: &str| Binding {
        dest: Dest::Queue(Name::from(format!("q-{key}").as_str())),
        key: key.into(),
        args: FieldTable::new(),
    };
    for k in ["info", "error", "debug"] {
        x.bind(bind(k));
    }
    let mut headers = FieldTable::new();
    headers.insert("CC".into(), FieldValue::Array(vec![FieldValue::Str("error".into())]));
    // published with key "info", CC "error", BCC "audit" (the broker keeps BCC out of the headers)
    let keys: Vec<Name> = ["info", "error", "audit"].into_iter().map(Name::from).collect();
    let (hit, why) = explain::binding_of(Lang::En, &x, &bind("error"), &keys, Some(&headers));
    assert!(hit, "{why}");
    assert_eq!(
        why,
        "by the key 'error' its CC header adds: binding key 'error' = routing key 'error'"
    );
    let (hit, why) = explain::binding_of(Lang::En, &x, &bind("info"), &keys, Some(&headers));
    assert_eq!((hit, why.as_str()), (true, "binding key 'info' = routing key 'info'"));
    let (hit, why) = explain::binding_of(Lang::En, &x, &bind("debug"), &keys, Some(&headers));
    assert!(!hit);
    assert_eq!(
        why,
        "binding key 'debug' ≠ routing key 'info'; nor the keys its CC/BCC headers add ('error', 'audit')"
    );
    let (hit, why) = explain::binding_of(Lang::En, &x, &bind("audit"), &keys, Some(&headers));
    assert!(
        hit && why.starts_with("by the key 'audit' its BCC header adds"),
        "{why}"
    );
    // a topic binding: the words aligned for the CC key
    let mut t = Exchange::new("t".into(), ExchangeKind::Topic, false, false, false, FieldTable::new());
    t.bind(bind("*.critical"));
    let keys: Vec<Name> = ["kern.info", "kern.critical"].into_iter().map(Name::from).collect();
    let (hit, why) = explain::binding_of(Lang::Zh, &t, &bind("*.critical"), &keys, Some(&headers));
    assert!(hit, "{why}");
    assert!(why.contains("'kern.critical'") && why.contains("'*' = 'kern'"), "{why}");
}
