//! Erlang/OTP 28 moved `re` from PCRE 8 to PCRE2, and RabbitMQ 4.3.6 runs on Erlang 29: a
//! permission's pattern means what it meant, but PCRE2 refuses escapes PCRE 8 took as literals
//! (`\y`, `\F`, `\x` without digits), reads `{,3}` as a quantifier (`{0,3}`; PCRE 8 as text),
//! words its errors otherwise, and reports most offsets one past the character where PCRE 8
//! reported them (`nothing to repeat` at 2 becomes `quantifier
//! does not follow a repeatable item` at 3). PCRE2 also takes a look-behind of bounded length
//! (`(?<=a{1,3})`), which this matcher does not run: refused with a message that says so.
//! All seen on 4.3.6 with `rabbitmqctl set_permissions` (tests/scenarios/access_regex_errors).

use super::{Error, Regex};

/// Compile `pattern` as Erlang 29's `re:compile/1` would, or refuse it as it would.
pub fn compile(pattern: &str) -> Result<Regex, Error> {
    let escape = escape_error(pattern);
    match Regex::new_pcre2_syntax(pattern) {
        Ok(re) => match escape {
            Some((_, e)) => Err(e),
            None => Ok(re),
        },
        Err(e) => match escape {
            Some((at, early)) if at <= e.offset => Err(early),
            _ => Err(convert(pattern, e)),
        },
    }
}

fn error(message: &str, offset: usize) -> Error {
    Error {
        message: message.into(),
        offset,
    }
}

/// PCRE 8's error for `pattern` in PCRE2's words, at PCRE2's offset.
fn convert(pattern: &str, e: Error) -> Error {
    let at = e.offset;
    match e.message.as_str() {
        "missing )" => error("missing closing parenthesis", at),
        "unmatched parentheses" => error("unmatched closing parenthesis", at + 1),
        "nothing to repeat" => error("quantifier does not follow a repeatable item", at + 1),
        "range out of order in character class" | "invalid range in character class" => error(&e.message, at + 1),
        // a group cut short after `(?` or its options
        "unrecognized character after (? or (?-" if at >= pattern.len() => {
            error("missing closing parenthesis", pattern.len())
        }
        "unrecognized character after (? or (?-" => error(&e.message, at + 1),
        // PCRE2 points past the class name's `:]`
        "unknown POSIX class name" => {
            let end = pattern
                .get(at..)
                .and_then(|rest| rest.find(":]"))
                .map_or(at, |i| at + i + 2);
            error(&e.message, end)
        }
        "lookbehind assertion is not fixed length" => {
            // PCRE 8 reports the end of the look-behind; PCRE2 its start, and takes it when its
            // length is bounded
            let start = pattern[..at.min(pattern.len())].rfind("(?<").unwrap_or(0);
            let body = &pattern[start..at.min(pattern.len())];
            if unbounded(body) {
                error("length of lookbehind assertion is not limited", start)
            } else {
                super::parser::unsupported::<()>(
                    "a look-behind of varying (bounded) length, which RabbitMQ 4.x takes",
                    start,
                )
                .unwrap_err()
            }
        }
        _ => e,
    }
}

/// Whether a look-behind's text repeats without bound (`*`, `+`, `{n,}`), escapes and classes
/// aside.
fn unbounded(body: &str) -> bool {
    let b = body.as_bytes();
    let mut i = 0;
    let mut class = false;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' => class = true,
            b']' => class = false,
            b'*' | b'+' if !class => return true,
            b'{' if !class => {
                let close = body[i..].find('}').map(|k| &body[i + 1..i + k]);
                if close.is_some_and(|q| {
                    q.ends_with(',') && q.len() > 1 && q[..q.len() - 1].bytes().all(|c| c.is_ascii_digit())
                }) {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// The escapes PCRE2 knows; another letter after a backslash is refused.
const KNOWN: &[u8] = b"aAbBcCdDeEfgGhHkKnNopPQrRsStvVwWxXzZ";

/// The first escape PCRE2 refuses that PCRE 8 took: where its backslash is, and the error.
fn escape_error(pattern: &str) -> Option<(usize, Error)> {
    let b = pattern.as_bytes();
    let mut i = 0;
    let mut quoted = false; // inside \Q…\E
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(&c) = b.get(i + 1) else {
            return None; // `\` at the end: PCRE 8 refuses it too
        };
        if quoted {
            quoted = c != b'E';
            i += if quoted { 1 } else { 2 };
            continue;
        }
        let after = i + 2; // just past the escape's letter
        let refused = match c {
            b'Q' => {
                quoted = true;
                None
            }
            b'F' | b'L' | b'l' | b'U' | b'u' => Some(error(
                "PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u",
                after,
            )),
            b'x' => hex_escape(b, after),
            b'o' if b.get(after) != Some(&b'{') => Some(error("missing opening brace after \\o", after)),
            b'g' if !b.get(after).is_some_and(|n| n.is_ascii_digit() || b"{<'-+".contains(n)) => Some(error(
                "\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number",
                after,
            )),
            b'k' if !b.get(after).is_some_and(|n| b"{<'".contains(n)) => Some(error(
                "\\k is not followed by a braced, angle-bracketed, or quoted name",
                after,
            )),
            c if c.is_ascii_alphabetic() && !KNOWN.contains(&c) => {
                Some(error("unrecognized character follows \\", after))
            }
            _ => None,
        };
        if let Some(e) = refused {
            return Some((i, e));
        }
        i += 2;
    }
    None
}

/// `\x` with no hex digit after it, or a `\x{…}` that is empty or holds a non-hex character.
fn hex_escape(b: &[u8], at: usize) -> Option<Error> {
    const MISSING: &str = "digits missing after \\x or in \\x{} or \\o{} or \\N{U+}";
    match b.get(at) {
        Some(b'{') => {
            let mut k = at + 1;
            while b.get(k).is_some_and(|c| c.is_ascii_hexdigit()) {
                k += 1;
            }
            match b.get(k) {
                Some(b'}') if k == at + 1 => Some(error(MISSING, k)),
                Some(b'}') => None,
                _ => Some(error("non-hex character in \\x{} (closing brace missing?)", k + 1)),
            }
        }
        Some(c) if c.is_ascii_hexdigit() => None,
        _ => Some(error(MISSING, at)),
    }
}

#[cfg(test)]
mod tests {
    use super::compile;

    #[test]
    fn errors_as_erlang_29_re_compile() {
        // {error, {Message, Offset}} from re:compile/1 on Erlang 29 (RabbitMQ 4.3.6), as
        // rabbitmqctl set_permissions printed them
        for (p, msg, at) in [
            ("(", "missing closing parenthesis", 1),
            (")", "unmatched closing parenthesis", 1),
            ("\\", "\\ at end of pattern", 1),
            ("a{99999}", "number too big in {} quantifier", 7),
            ("[z-a]", "range out of order in character class", 4),
            ("(?<=a+)b", "length of lookbehind assertion is not limited", 0),
            ("x(?<=a+)b", "length of lookbehind assertion is not limited", 1),
            ("\\1", "reference to non-existent subpattern", 2),
            ("a**", "quantifier does not follow a repeatable item", 3),
            ("x{2,1}", "numbers out of order in {} quantifier", 5),
            ("[[:foo:]]", "unknown POSIX class name", 8),
            ("[a[:foo:]]", "unknown POSIX class name", 9),
            ("[[:foo:]", "unknown POSIX class name", 8),
            ("(?", "missing closing parenthesis", 2),
            ("ab(?", "missing closing parenthesis", 4),
            ("(?i", "missing closing parenthesis", 3),
            ("(?-", "missing closing parenthesis", 3),
            ("(?:", "missing closing parenthesis", 3),
            ("(?z)", "unrecognized character after (? or (?-", 3),
            ("x(?z)", "unrecognized character after (? or (?-", 4),
            ("abc)", "unmatched closing parenthesis", 4),
            ("(a", "missing closing parenthesis", 2),
            ("((a)", "missing closing parenthesis", 4),
            ("?", "quantifier does not follow a repeatable item", 1),
            ("+a", "quantifier does not follow a repeatable item", 1),
            ("a|*", "quantifier does not follow a repeatable item", 3),
            ("{3}", "quantifier does not follow a repeatable item", 3),
            ("[]", "missing terminating ] for character class", 2),
            ("[^]", "missing terminating ] for character class", 3),
            ("[a-", "missing terminating ] for character class", 3),
            ("\\c", "\\c at end of pattern", 2),
            ("a{2}{3}", "quantifier does not follow a repeatable item", 7),
            ("^*", "quantifier does not follow a repeatable item", 2),
            ("$*", "quantifier does not follow a repeatable item", 2),
            ("(*)", "quantifier does not follow a repeatable item", 2),
            ("[a-\\d]", "invalid range in character class", 5),
            ("\\y", "unrecognized character follows \\", 2),
            ("[\\y]", "unrecognized character follows \\", 3),
            ("\\y(", "unrecognized character follows \\", 2),
            ("(\\y", "unrecognized character follows \\", 3),
            ("\\T", "unrecognized character follows \\", 2),
            ("\\F", "PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u", 2),
            (
                "[\\F]",
                "PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u",
                3,
            ),
            ("\\u", "PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u", 2),
            (
                "\\g",
                "\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number",
                2,
            ),
            (
                "\\k",
                "\\k is not followed by a braced, angle-bracketed, or quoted name",
                2,
            ),
            ("\\o", "missing opening brace after \\o", 2),
            ("\\x", "digits missing after \\x or in \\x{} or \\o{} or \\N{U+}", 2),
            ("\\xZZ", "digits missing after \\x or in \\x{} or \\o{} or \\N{U+}", 2),
            ("[\\xZZ]", "digits missing after \\x or in \\x{} or \\o{} or \\N{U+}", 3),
            ("\\x{}", "digits missing after \\x or in \\x{} or \\o{} or \\N{U+}", 3),
            ("\\x{zz}", "non-hex character in \\x{} (closing brace missing?)", 4),
            ("a{,3}x(", "missing closing parenthesis", 7),
            ("it's(", "missing closing parenthesis", 5),
        ] {
            let e = compile(p).expect_err(p);
            assert_eq!((e.message.as_str(), e.offset), (msg, at), "{p}");
        }
        // accepted by Erlang 29's re:compile/1
        for p in [
            "a{,3}",
            "(?i)A",
            "a++b",
            "\\x4",
            "\\c!",
            "\\e",
            "\\Qab",
            "\\Q\\y\\E",
            "xy(?<=a|bc)",
            "a\\z\\Z\\A\\G",
        ] {
            assert!(compile(p).is_ok(), "{p}");
        }
        // `{,n}` repeats
        let re = compile("^q{,3}$").unwrap();
        assert!(re.is_match("qq") && re.is_match("") && !re.is_match("q{,3}"));
        assert!(super::Regex::new("^q{,3}$").unwrap().is_match("q{,3}"));
        // accepted, but not simulated: a look-behind of bounded length
        for p in ["(?<=a{1,3})b", "(?<=a?)b"] {
            assert!(compile(p).unwrap_err().message.contains("not simulated"), "{p}");
        }
    }
}
