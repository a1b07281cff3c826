//! Share links: a whole scenario in a URL fragment, compressed, with a checksum so that a damaged
//! link is told apart from a scenario that does not parse.
//!
//! A fragment is `s1.` followed by base64url (no padding) of: the scenario's compact JSON,
//! compressed with a small LZ77 (below), then the FNV-1a 32-bit hash of that JSON (4 bytes,
//! little-endian). `s1` is the format version: a link from a newer Warren (`s2.`…) is refused with
//! a message that says so.
//!
//! The compressed stream is a sequence of blocks: a varint count of literal bytes, those bytes,
//! a varint match length (0 ends the stream), and a varint distance back into the output.

use serde_json::Value;

/// The format version written and the highest one read.
pub const VERSION: u32 = 1;

const MIN_MATCH: usize = 4;
const MAX_MATCH: usize = 258;
const WINDOW: usize = 1 << 15;
const CANDIDATES: usize = 24;

/// The fragment (without `#`) for a scenario.
pub fn encode(scenario: &Value) -> String {
    // Value's Display: the page prints Values that way elsewhere, so no second serializer
    let json = scenario.to_string();
    let mut bytes = compress(json.as_bytes());
    bytes.extend_from_slice(&fnv1a(json.as_bytes()).to_le_bytes());
    format!("s{VERSION}.{}", crate::rng::base64_url(&bytes))
}

/// The scenario in a fragment (a whole URL is fine too: what follows `#` is read). Errors are
/// worded for the person who followed the link.
pub fn decode(link: &str) -> Result<Value, String> {
    let frag = link.rsplit_once('#').map_or(link, |(_, f)| f).trim();
    let Some((version, data)) = frag.split_once('.') else {
        return Err("this link holds no scenario (it should end in #s1.…)".into());
    };
    match version.strip_prefix('s').map(str::parse::<u32>) {
        Some(Ok(VERSION)) => {}
        Some(Ok(v)) if v > VERSION => {
            return Err(format!(
                "this link was made by a newer Warren (format s{v}; this one reads s{VERSION}): open it there"
            ))
        }
        _ => {
            return Err(format!(
                "this link holds no scenario (it starts with '{version}', not s{VERSION})"
            ))
        }
    }
    let damaged = || "this link is damaged (cut short or changed): copy it again from where it was shared".to_string();
    let bytes = base64_url_decode(data).ok_or_else(damaged)?;
    if bytes.len() < 4 {
        return Err(damaged());
    }
    let (body, sum) = bytes.split_at(bytes.len() - 4);
    let json = decompress(body).ok_or_else(damaged)?;
    if fnv1a(&json).to_le_bytes() != sum {
        return Err(damaged());
    }
    // from text, as the page parses everything else (no second deserializer)
    let json = std::str::from_utf8(&json).map_err(|_| damaged())?;
    serde_json::from_str(json).map_err(|_| damaged())
}

fn fnv1a(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(0x811c_9dc5u32, |h, b| (h ^ *b as u32).wrapping_mul(0x0100_0193))
}

fn put_varint(out: &mut Vec<u8>, mut v: usize) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(input: &[u8], at: &mut usize) -> Option<usize> {
    let mut v = 0usize;
    for shift in (0..35).step_by(7) {
        let b = *input.get(*at)?;
        *at += 1;
        v |= ((b & 0x7f) as usize) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// LZ77 with hash chains over 4-byte prefixes (deterministic: positions are tried newest first).
pub fn compress(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 3 + 16);
    // hashed without OS randomness (the engine has none): only looked up, never iterated
    let mut chains: std::collections::HashMap<[u8; MIN_MATCH], Vec<usize>, crate::names::FxBuild> =
        std::collections::HashMap::default();
    let mut literal_start = 0;
    let mut i = 0;
    let key =
        |i: usize| -> Option<[u8; MIN_MATCH]> { input.get(i..i + MIN_MATCH).map(|s| s.try_into().expect("4 bytes")) };
    while i < input.len() {
        let mut best = (0usize, 0usize);
        if let Some(k) = key(i) {
            if let Some(chain) = chains.get(&k) {
                for &p in chain.iter().rev().take(CANDIDATES) {
                    if i - p > WINDOW {
                        break;
                    }
                    let len = input[p..]
                        .iter()
                        .zip(&input[i..])
                        .take(MAX_MATCH)
                        .take_while(|(a, b)| a == b)
                        .count();
                    if len > best.0 {
                        best = (len, i - p);
                    }
                }
            }
        }
        if best.0 >= MIN_MATCH {
            put_varint(&mut out, i - literal_start);
            out.extend_from_slice(&input[literal_start..i]);
            put_varint(&mut out, best.0);
            put_varint(&mut out, best.1);
            for j in i..i + best.0 {
                if let Some(k) = key(j) {
                    chains.entry(k).or_default().push(j);
                }
            }
            i += best.0;
            literal_start = i;
        } else {
            if let Some(k) = key(i) {
                chains.entry(k).or_default().push(i);
            }
            i += 1;
        }
    }
    put_varint(&mut out, input.len() - literal_start);
    out.extend_from_slice(&input[literal_start..]);
    put_varint(&mut out, 0);
    out
}

/// The inverse of [`compress`]; None for a stream that is not one (cut short, changed).
pub fn decompress(input: &[u8]) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(input.len() * 4);
    let mut at = 0;
    loop {
        let n = get_varint(input, &mut at)?;
        out.extend_from_slice(input.get(at..at.checked_add(n)?)?);
        at += n;
        let len = get_varint(input, &mut at)?;
        if len == 0 {
            return (at == input.len()).then_some(out);
        }
        let dist = get_varint(input, &mut at)?;
        if dist == 0 || dist > out.len() || len > MAX_MATCH || out.len() + len > 64 << 20 {
            return None;
        }
        let from = out.len() - dist;
        for k in 0..len {
            out.push(out[from + k]);
        }
    }
}

fn base64_url_decode(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32)
    };
    let s = s.trim_end_matches('=').as_bytes();
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for chunk in s.chunks(4) {
        let mut n = 0u32;
        for (k, c) in chunk.iter().enumerate() {
            n |= val(*c)? << (18 - 6 * k);
        }
        // a short last group must leave its unused low bits zero (a changed character is caught)
        let unused = match chunk.len() {
            2 => n & 0xffff,
            3 => n & 0xff,
            _ => 0,
        };
        if unused != 0 {
            return None;
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}
