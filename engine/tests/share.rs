//! Share links: every scenario of the corpus goes through a link and comes back equal; a damaged
//! link or one from a newer format is refused with a message that says which.
use warren_engine::share::{compress, decode, decompress, encode};

const CORPUS: &[&str] = &[
    include_str!("../../tests/conformance/topics.json"),
    include_str!("../../tests/conformance/rpc.json"),
    include_str!("../../tests/conformance/workqueue.json"),
    include_str!("../../tests/definitions/topology.json"),
];

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn scenarios_survive_a_link() {
    let mut scenarios: Vec<serde_json::Value> = CORPUS.iter().map(|t| serde_json::from_str(t).unwrap()).collect();
    for seed in 0..40 {
        scenarios.push(warren_engine::generate::scenario(seed, 60));
    }
    let (mut raw, mut linked) = (0, 0);
    for s in &scenarios {
        let link = encode(s);
        assert!(link.starts_with("s1.") && link.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)));
        assert_eq!(&decode(&link).unwrap(), s);
        assert_eq!(&decode(&format!("https://example.org/warren/#{link}")).unwrap(), s);
        raw += serde_json::to_string(s).unwrap().len();
        linked += link.len();
    }
    // JSON repeats itself: the link is much shorter than the text
    assert!(linked * 2 < raw, "{linked} vs {raw}");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn damaged_and_newer_links_are_told_apart() {
    let s: serde_json::Value = serde_json::from_str(CORPUS[0]).unwrap();
    let link = encode(&s);
    let cut = &link[..link.len() - 7];
    assert!(decode(cut).unwrap_err().contains("damaged"), "cut short");
    // change one character anywhere in the data: always detected
    let bytes = link.as_bytes();
    for i in 3..bytes.len() {
        let mut b = bytes.to_vec();
        b[i] = if b[i] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(b).unwrap();
        if changed != link {
            assert!(decode(&changed).unwrap_err().contains("damaged"), "changed at {i}");
        }
    }
    assert!(decode(&link.replacen("s1.", "s2.", 1))
        .unwrap_err()
        .contains("newer Warren"));
    assert!(decode("hello").unwrap_err().contains("holds no scenario"));
    assert!(decode("x9.abc").unwrap_err().contains("holds no scenario"));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn compression_round_trips_odd_inputs() {
    for input in [
        &b""[..],
        b"a",
        b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        b"abcabcabcabcabcxyz",
        &[0u8, 255, 128, 0, 0, 0, 0, 0][..],
    ] {
        assert_eq!(decompress(&compress(input)).unwrap(), input);
    }
    let long: Vec<u8> = (0..100_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    assert_eq!(decompress(&compress(&long)).unwrap(), long);
    assert!(decompress(&[5, 1, 2]).is_none());
}
