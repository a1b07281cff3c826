//! Routing explained: why a binding matched a message or did not, in words a learner can check.
//! The verdict is always the engine's; the explanation shows the reason (topic words aligned,
//! each header of a headers binding compared). Tested against RabbitMQ's matching vectors.

use crate::i18n::Lang;
use warren_engine::exchange::{Binding, Exchange, ExchangeKind};
use warren_engine::field::{FieldTable, FieldValue};
use warren_engine::headers::{self, XMatch};
use warren_engine::topic::words;
use warren_engine::Name;

/// Why a topic binding key matches a routing key (the words aligned), or where it fails.
/// The first value is the verdict.
pub fn topic(binding: &str, routing: &str) -> (bool, String) {
    topic_in(Lang::En, binding, routing)
}

/// [`topic`] in the learner's language. The verdict is the engine's matcher's; the words
/// aligned (or where they fail to) are the explanation.
pub fn topic_in(l: Lang, binding: &str, routing: &str) -> (bool, String) {
    let hit = warren_engine::topic::matches(binding, routing);
    let (b, r) = (words(binding), words(routing));
    let why = match (hit, align(l, &b, &r)) {
        (true, Some(parts)) if parts.is_empty() => pick(l, "both have no words", "两边都没有单词").to_string(),
        (true, Some(parts)) => parts.join(", "),
        (false, _) => mismatch(l, &b, &r),
        (true, None) => pick(l, "the words line up", "单词能对齐").to_string(),
    };
    (hit, why)
}

fn pick(l: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match l {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The alignment of binding words to routing words, if there is one (the first found).
fn align(l: Lang, b: &[&str], r: &[&str]) -> Option<Vec<String>> {
    match (b.first(), r.first()) {
        (None, None) => Some(Vec::new()),
        (Some(&"#"), _) => {
            // '#' takes 0, 1, 2… words: the fewest that let the rest align
            for n in 0..=r.len() {
                if let Some(mut rest) = align(l, &b[1..], &r[n..]) {
                    let took = if n == 0 {
                        pick(l, "'#' = no words", "'#' = 零个单词").to_string()
                    } else {
                        format!("'#' = '{}'", r[..n].join("."))
                    };
                    rest.insert(0, took);
                    return Some(rest);
                }
            }
            None
        }
        (Some(&"*"), Some(x)) => {
            let mut rest = align(l, &b[1..], &r[1..])?;
            rest.insert(0, format!("'*' = '{x}'"));
            Some(rest)
        }
        (Some(w), Some(x)) if w == x => {
            let mut rest = align(l, &b[1..], &r[1..])?;
            rest.insert(0, format!("'{w}' = '{x}'"));
            Some(rest)
        }
        _ => None,
    }
}

fn mismatch(l: Lang, b: &[&str], r: &[&str]) -> String {
    let zh = l == Lang::Zh;
    let word = |i: usize, w: &str, x: &str| {
        if zh {
            format!("第 {} 个单词：'{w}' ≠ '{x}'", i + 1)
        } else {
            format!("word {}: '{w}' ≠ '{x}'", i + 1)
        }
    };
    if !b.contains(&"#") {
        for (i, (w, x)) in b.iter().zip(r).enumerate() {
            if *w != "*" && w != x {
                return word(i, w, x);
            }
        }
        let stars = if b.contains(&"*") {
            pick(l, " ('*' is exactly one word)", "（'*' 恰好是一个单词）")
        } else {
            ""
        };
        if zh {
            return format!("绑定键有 {} 个单词，路由键有 {} 个{stars}", b.len(), r.len());
        }
        return format!(
            "the binding has {} word{}, the routing key {}{stars}",
            b.len(),
            if b.len() == 1 { "" } else { "s" },
            r.len()
        );
    }
    // the words before the first '#' and after the last one must line up on their own
    let head = b.iter().position(|w| *w == "#").unwrap_or(b.len());
    for (i, (w, x)) in b[..head].iter().zip(r).enumerate() {
        if *w != "*" && w != x {
            return word(i, w, x);
        }
    }
    let tail = b.len() - 1 - b.iter().rposition(|w| *w == "#").unwrap_or(0);
    for (i, (w, x)) in b.iter().rev().zip(r.iter().rev()).take(tail).enumerate() {
        if *w != "*" && w != x {
            return if zh {
                format!("倒数第 {} 个单词：'{w}' ≠ '{x}'", i + 1)
            } else {
                format!("word {} from the end: '{w}' ≠ '{x}'", i + 1)
            };
        }
    }
    if zh {
        return format!(
            "'{}' 和 '{}' 无法对齐（'#' 是零个或多个单词，'*' 恰好一个）",
            b.join("."),
            r.join(".")
        );
    }
    format!(
        "no way to line up '{}' with '{}' ('#' is zero or more words, '*' exactly one)",
        b.join("."),
        r.join(".")
    )
}

/// Why a headers binding matches a message's headers: each header compared, and the x-match
/// rule. The verdict is the engine's; `per header` results are the engine's too (one at a time).
pub fn headers(args: &FieldTable, msg_headers: Option<&FieldTable>) -> (bool, String) {
    headers_in(Lang::En, args, msg_headers)
}

/// [`headers`] in the learner's language.
pub fn headers_in(l: Lang, args: &FieldTable, msg_headers: Option<&FieldTable>) -> (bool, String) {
    let zh = l == Lang::Zh;
    let verdict = headers::matches(args, msg_headers);
    let kind = headers::validate(args).unwrap_or(XMatch::All);
    let (rule, with_x) = match kind {
        XMatch::All => ("all", false),
        XMatch::Any => ("any", false),
        XMatch::AllWithX => ("all-with-x", true),
        XMatch::AnyWithX => ("any-with-x", true),
    };
    let one_rule = if with_x { "all-with-x" } else { "all" };
    let mut parts = Vec::new();
    for (k, v) in args {
        if k == "x-match" || (!with_x && k.starts_with("x-")) {
            continue;
        }
        let mut single = FieldTable::new();
        single.insert("x-match".into(), FieldValue::Str(one_rule.into()));
        single.insert(k.clone(), v.clone());
        let ok = headers::matches(&single, msg_headers);
        let has = msg_headers.and_then(|h| h.get(k));
        let what = match (ok, has) {
            (true, _) => format!("{k}={v} ✓"),
            (false, None) if zh => format!("{k}={v} ✗（消息没有 {k}）"),
            (false, Some(m)) if zh => format!("{k}={v} ✗（消息里是 {m}）"),
            (false, None) => format!("{k}={v} ✗ (the message has no {k})"),
            (false, Some(m)) => format!("{k}={v} ✗ (the message has {m})"),
        };
        parts.push(what);
    }
    let why = if parts.is_empty() && zh {
        format!("x-match {rule}，没有要比较的头")
    } else if parts.is_empty() {
        format!("x-match {rule} with no headers to compare")
    } else {
        format!("x-match {rule}: {}", parts.join(", "))
    };
    (verdict, why)
}

/// Why a binding of exchange `x` matched a message or not, as the broker routed it: the verdict
/// is the engine's ([`Exchange::binding_matches`]) for all the message's routing keys (its
/// routing key, then those its `CC` and `BCC` headers add: RabbitMQ's sender-selected
/// distribution, for direct and topic exchanges); the explanation names the key that matched.
pub fn binding_of(
    l: Lang,
    x: &Exchange,
    b: &Binding,
    keys: &[Name],
    msg_headers: Option<&FieldTable>,
) -> (bool, String) {
    let hit = x.binding_matches(b, keys, msg_headers);
    let kind = x.kind.name();
    let routing = keys.first().map_or("", |k| k.as_str());
    let direct_or_topic = matches!(x.kind, ExchangeKind::Direct | ExchangeKind::Topic);
    if !direct_or_topic || keys.len() < 2 {
        let (_, why) = binding_in(l, kind, &b.key, &b.args, routing, msg_headers);
        return (hit, why);
    }
    let header_of = |k: &Name| {
        let listed = |h: &str| {
            msg_headers
                .and_then(|t| t.get(h))
                .is_some_and(|v| matches!(v, FieldValue::Array(a) if a.iter().any(|v| v.as_str() == Some(k.as_str()))))
        };
        if listed("CC") {
            "CC"
        } else {
            "BCC"
        }
    };
    let single = |k: &Name| x.binding_matches(b, std::slice::from_ref(k), None);
    let (_, plain) = binding_in(l, kind, &b.key, &b.args, routing, msg_headers);
    match keys.iter().position(single) {
        Some(i) if i > 0 => {
            let k = &keys[i];
            let (_, why) = binding_in(l, kind, &b.key, &b.args, k, msg_headers);
            let h = header_of(k);
            let why = match l {
                Lang::En => format!("by the key '{k}' its {h} header adds: {why}"),
                Lang::Zh => format!("靠它的 {h} 头加上的键 '{k}'：{why}"),
            };
            (hit, why)
        }
        _ if hit => (hit, plain),
        _ => {
            let extra: Vec<&str> = keys[1..].iter().map(|k| k.as_str()).collect();
            let why = match l {
                Lang::En => format!(
                    "{plain}; nor the keys its CC/BCC headers add ('{}')",
                    extra.join("', '")
                ),
                Lang::Zh => format!("{plain}；CC/BCC 头加上的键（'{}'）也不匹配", extra.join("'、'")),
            };
            (hit, why)
        }
    }
}

/// Why a binding of an exchange of `kind` matches (or not) a message with this routing key and
/// these headers (one routing key: [`binding_of`] takes a message's CC and BCC keys too).
pub fn binding(
    kind: &str,
    key: &str,
    args: &FieldTable,
    routing_key: &str,
    msg_headers: Option<&FieldTable>,
) -> (bool, String) {
    binding_in(Lang::En, kind, key, args, routing_key, msg_headers)
}

/// [`binding`] in the learner's language.
pub fn binding_in(
    l: Lang,
    kind: &str,
    key: &str,
    args: &FieldTable,
    routing_key: &str,
    msg_headers: Option<&FieldTable>,
) -> (bool, String) {
    let zh = l == Lang::Zh;
    match kind {
        "fanout" => (
            true,
            pick(
                l,
                "a fanout exchange ignores keys: every binding gets a copy",
                "fanout 交换机忽略键：每个绑定都得到一份",
            )
            .into(),
        ),
        "topic" => topic_in(l, key, routing_key),
        "headers" => headers_in(l, args, msg_headers),
        _ => {
            let hit = key == routing_key;
            let sign = if hit { "=" } else { "≠" };
            let why = if zh {
                format!("绑定键 '{key}' {sign} 路由键 '{routing_key}'")
            } else {
                format!("binding key '{key}' {sign} routing key '{routing_key}'")
            };
            (hit, why)
        }
    }
}
