//! Permission patterns against Erlang's `re` (what RabbitMQ runs them with): 1,500 patterns,
//! hand-written and generated, on 44 names each, recorded from Erlang/OTP 25 by
//! `scripts/pcre_record.py` (the live tests check that Erlang still gives them). Every match, and
//! every refusal's message and offset, must be the same; a pattern the simulator does not cover
//! is refused with a message that says so, and there must be few of those. One known difference:
//! PCRE 8's required-byte optimisation misses some matches of a pattern that starts with a
//! look-ahead (on Erlang/OTP 25, `(?=a)b*a` does not match `ab`); Warren matches as the
//! expression reads, and the test counts those cases apart.
use warren_engine::pcre::Regex;

const VECTORS: &str = include_str!("../../tests/pcre/re_vectors.json");

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn matches_and_refusals_are_erlangs() {
    let doc: serde_json::Value = serde_json::from_str(VECTORS).expect("vectors parse");
    let subjects: Vec<&str> = doc["subjects"]
        .as_array()
        .expect("subjects")
        .iter()
        .map(|s| s.as_str().expect("a subject"))
        .collect();
    let (mut same, mut refused, mut not_simulated, mut lookahead_quirk) = (0, 0, 0, 0);
    let mut differ = vec![];
    for case in doc["cases"].as_array().expect("cases") {
        let (pattern, erlang) = (case[0].as_str().expect("pattern"), case[1].as_str().expect("result"));
        let ours = match Regex::new(pattern) {
            Ok(re) => subjects
                .iter()
                .map(|s| if re.is_match(s) { '1' } else { '0' })
                .collect(),
            Err(e) if e.message.contains("not simulated") => {
                not_simulated += 1;
                continue;
            }
            Err(e) => format!("E {} {}", e.message, e.offset),
        };
        if ours == erlang {
            same += 1;
            refused += erlang.starts_with('E') as u32;
        } else if pattern.starts_with("(?=") && !erlang.starts_with('E') && !ours.starts_with('E') {
            // Erlang finds fewer matches, never more
            let fewer = erlang.chars().zip(ours.chars()).all(|(e, w)| e <= w);
            assert!(fewer, "{pattern:?}: Erlang {erlang}, Warren {ours}");
            lookahead_quirk += 1;
        } else {
            differ.push(format!("{pattern:?}: Erlang {erlang}, Warren {ours}"));
        }
    }
    assert!(differ.is_empty(), "{} differ:\n{}", differ.len(), differ.join("\n"));
    assert!(same >= 1490 && refused > 400, "{same} same, {refused} of them refusals");
    assert!(not_simulated <= 10, "{not_simulated} not simulated");
    assert!(
        lookahead_quirk <= 3,
        "{lookahead_quirk} patterns starting with a look-ahead differ"
    );
}
