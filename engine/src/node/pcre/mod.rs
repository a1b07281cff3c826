//! The regular expressions of RabbitMQ's permissions as Erlang's `re` runs them: PCRE 8 on the
//! bytes of a name (no UTF mode), unanchored, with no options, and PCRE's own error texts and
//! offsets for a pattern it refuses. A backtracking matcher, as PCRE's is, with PCRE's default
//! match limit (a pattern that needs more steps than that matches nothing, as `re:run` reports).
//!
//! Covered: literals and escapes (`\d \w \s \h \v` and their negations, `\n \t \r \f \e \a`,
//! `\xhh`, `\x{hh}`, octal, `\cX`, `\Q…\E`), `.`, classes with ranges, negation, escapes and POSIX
//! names, groups (capturing, `(?:…)`, atomic `(?>…)`), look-ahead and fixed-length look-behind,
//! the options `i`, `m` and `s` (`(?i)`, `(?i:…)`, `(?-i)`), alternation, the quantifiers `* + ?
//! {n} {n,} {n,m}` and their lazy and possessive forms, and the assertions `^ $ \b \B \A \z \Z
//! \G`. Not simulated (refused with a message that says so): back-references, `(?x)` and the
//! other options, named groups, conditionals, recursion, `\p`, `\R`, `\X`, `\K`.

use std::cell::Cell;

/// A compiled expression.
#[derive(Clone, Debug)]
pub struct Regex {
    alts: Vec<Vec<Node>>,
}

/// Why a pattern is refused: PCRE's message and the offset in the pattern it reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    pub offset: usize,
}

/// A set of bytes (one bit per byte value).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Set([u64; 4]);

impl Set {
    fn add(&mut self, b: u8) {
        self.0[(b >> 6) as usize] |= 1 << (b & 63);
    }
    fn add_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.add(b);
        }
    }
    fn has(&self, b: u8) -> bool {
        self.0[(b >> 6) as usize] & (1 << (b & 63)) != 0
    }
    fn union(&mut self, o: &Set) {
        for (a, b) in self.0.iter_mut().zip(o.0) {
            *a |= b;
        }
    }
    fn negated(mut self) -> Set {
        for a in &mut self.0 {
            *a = !*a;
        }
        self
    }
    /// With both cases of every letter in it (Latin-1's, as Erlang's tables have them).
    fn caseless(mut self) -> Set {
        for upper in (b'A'..=b'Z').chain(0xc0..=0xde).filter(|&b| b != 0xd7) {
            let lower = upper + 32;
            if self.has(upper) || self.has(lower) {
                self.add(upper);
                self.add(lower);
            }
        }
        self
    }
    fn of(b: u8) -> Set {
        let mut s = Set::default();
        s.add(b);
        s
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Assert {
    /// `^` (`multiline`: also after a newline).
    Start {
        multiline: bool,
    },
    /// `$`: at the end or before a final newline (`multiline`: also before any newline).
    End {
        multiline: bool,
    },
    /// `\A`, `\G` (a match is tried from offset 0 only once per start, so `\G` is the start).
    AbsStart,
    /// `\z`.
    AbsEnd,
    /// `\Z`: the end, or before a final newline.
    AbsEndNl,
    Word,
    NotWord,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Greedy,
    Lazy,
    Possessive,
}

#[derive(Clone, Debug)]
enum Node {
    Byte(Set),
    Assert(Assert),
    Group {
        alts: Vec<Vec<Node>>,
        atomic: bool,
    },
    Look {
        alts: Vec<Vec<Node>>,
        ahead: bool,
        negate: bool,
    },
    Repeat {
        node: Box<Node>,
        min: u32,
        max: u32,
        mode: Mode,
    },
}

mod parser;
pub mod pcre2;

/// PCRE's default `match_limit`: calls of its matching function before it gives up.
const MATCH_LIMIT: u64 = 10_000_000;

/// Erlang's `re` tables are Latin-1's: these bytes above 127 are letters too (`\w`, `\b`,
/// `[[:alpha:]]`, caseless matching), found by running `re` on every byte.
fn upper(s: &mut Set) {
    s.add_range(b'A', b'Z');
    s.add_range(0xc0, 0xd6);
    s.add_range(0xd8, 0xde);
}

/// The letters of Erlang's Latin-1 tables, both cases (`[[:alpha:]]`).
fn letters() -> Set {
    let mut s = Set::default();
    upper(&mut s);
    lower(&mut s);
    s
}

fn lower(s: &mut Set) {
    s.add_range(b'a', b'z');
    for b in [0xaa, 0xb5, 0xba] {
        s.add(b);
    }
    s.add_range(0xdf, 0xf6);
    s.add_range(0xf8, 0xff);
}

fn class_of(c: u8) -> Option<Set> {
    let mut s = Set::default();
    match c.to_ascii_lowercase() {
        b'd' => s.add_range(b'0', b'9'),
        b'w' => {
            s = letters();
            s.add_range(b'0', b'9');
            s.add(b'_');
        }
        b's' => {
            for b in [b' ', b'\t', b'\n', 0x0b, 0x0c, b'\r'] {
                s.add(b);
            }
        }
        b'h' => {
            for b in [b' ', b'\t', 0xa0] {
                s.add(b);
            }
        }
        b'v' => {
            for b in [b'\n', 0x0b, 0x0c, b'\r', 0x85] {
                s.add(b);
            }
        }
        _ => return None,
    }
    Some(if c.is_ascii_uppercase() { s.negated() } else { s })
}

fn posix(name: &[u8]) -> Option<Set> {
    let mut s = Set::default();
    match name {
        b"alpha" => s = letters(),
        b"digit" => s.add_range(b'0', b'9'),
        b"alnum" => {
            s = letters();
            s.add_range(b'0', b'9');
        }
        b"word" => return class_of(b'w'),
        b"space" => return class_of(b's'),
        b"blank" => {
            s.add(b' ');
            s.add(b'\t');
        }
        b"upper" => upper(&mut s),
        b"lower" => lower(&mut s),
        b"xdigit" => {
            s.add_range(b'0', b'9');
            s.add_range(b'a', b'f');
            s.add_range(b'A', b'F');
        }
        b"punct" => {
            let letters = letters();
            for b in (b'!'..=b'~').chain(0xa0..=0xff) {
                if !b.is_ascii_alphanumeric() && !letters.has(b) {
                    s.add(b);
                }
            }
        }
        b"cntrl" => {
            s.add_range(0, 31);
            s.add_range(127, 159);
        }
        b"graph" => {
            s.add_range(b'!', b'~');
            s.add_range(0xa0, 0xff);
        }
        b"print" => {
            s.add_range(b' ', b'~');
            s.add_range(0xa0, 0xff);
        }
        b"ascii" => s.add_range(0, 127),
        _ => return None,
    }
    Some(s)
}

/// The number of bytes a sequence always matches, if fixed.
fn fixed_len(seq: &[Node]) -> Option<usize> {
    let mut n = 0;
    for node in seq {
        n += match node {
            Node::Byte(_) => 1,
            Node::Assert(_) | Node::Look { .. } => 0,
            Node::Group { alts, .. } => {
                let lens: Vec<_> = alts.iter().map(|a| fixed_len(a)).collect::<Option<_>>()?;
                if lens.windows(2).any(|w| w[0] != w[1]) {
                    return None;
                }
                lens.first().copied().unwrap_or(0)
            }
            Node::Repeat { node, min, max, .. } if min == max => fixed_len(std::slice::from_ref(node))? * *min as usize,
            Node::Repeat { .. } => return None,
        };
    }
    Some(n)
}

impl Regex {
    /// Compile `pattern` as `re:compile/1` does (no options).
    pub fn new(pattern: &str) -> Result<Regex, Error> {
        Ok(Regex {
            alts: parser::parse(pattern, false)?,
        })
    }

    /// [`Regex::new`] with PCRE2's syntax where it differs (see `pcre2.rs`), PCRE 8's errors.
    fn new_pcre2_syntax(pattern: &str) -> Result<Regex, Error> {
        Ok(Regex {
            alts: parser::parse(pattern, true)?,
        })
    }

    /// Does the expression match somewhere in `subject` (`re:run(Subject, RE, [{capture, none}])`)?
    pub fn is_match(&self, subject: &str) -> bool {
        let m = Matcher {
            s: subject.as_bytes(),
            steps: Cell::new(0),
            word: class_of(b'w').expect("a class letter"),
        };
        (0..=m.s.len()).any(|start| m.alts(&self.alts, start, &mut |_| true) && !m.exhausted())
    }
}

struct Matcher<'s> {
    s: &'s [u8],
    steps: Cell<u64>,
    /// `\w`, for `\b` and `\B`.
    word: Set,
}

type Cont<'k> = &'k mut dyn FnMut(usize) -> bool;

impl Matcher<'_> {
    fn exhausted(&self) -> bool {
        self.steps.get() > MATCH_LIMIT
    }

    fn alts(&self, alts: &[Vec<Node>], i: usize, k: Cont) -> bool {
        alts.iter().any(|seq| self.seq(seq, i, k))
    }

    fn seq(&self, nodes: &[Node], i: usize, k: Cont) -> bool {
        match nodes.split_first() {
            None => k(i),
            Some((first, rest)) => self.node(first, i, &mut |j| self.seq(rest, j, k)),
        }
    }

    fn word(&self, i: usize) -> bool {
        self.s.get(i).is_some_and(|&b| self.word.has(b))
    }

    fn assert(&self, a: Assert, i: usize) -> bool {
        let (s, n) = (self.s, self.s.len());
        match a {
            Assert::Start { multiline } => i == 0 || (multiline && s[i - 1] == b'\n' && i < n),
            Assert::End { multiline: false } | Assert::AbsEndNl => i == n || (i + 1 == n && s[i] == b'\n'),
            Assert::End { multiline: true } => i == n || s[i] == b'\n',
            Assert::AbsStart => i == 0,
            Assert::AbsEnd => i == n,
            Assert::Word | Assert::NotWord => {
                let before = i > 0 && self.word(i - 1);
                (before != self.word(i)) == (a == Assert::Word)
            }
        }
    }

    fn node(&self, node: &Node, i: usize, k: Cont) -> bool {
        self.steps.set(self.steps.get() + 1);
        if self.exhausted() {
            return false;
        }
        match node {
            Node::Byte(set) => i < self.s.len() && set.has(self.s[i]) && k(i + 1),
            Node::Assert(a) => self.assert(*a, i) && k(i),
            Node::Group { alts, atomic: false } => self.alts(alts, i, k),
            Node::Group { alts, atomic: true } => {
                let mut end = None;
                self.alts(alts, i, &mut |j| {
                    end = Some(j);
                    true
                });
                end.is_some_and(&mut *k)
            }
            Node::Look {
                alts,
                ahead: true,
                negate,
            } => {
                let found = self.alts(alts, i, &mut |_| true);
                found != *negate && k(i)
            }
            Node::Look {
                alts,
                ahead: false,
                negate,
            } => {
                let found = alts.iter().any(|seq| {
                    let len = fixed_len(seq).expect("checked when compiled");
                    i >= len && self.seq(seq, i - len, &mut |j| j == i)
                });
                found != *negate && k(i)
            }
            Node::Repeat { node, min, max, mode } => self.repeat(node, *min, *max, *mode, 0, i, k),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn repeat(&self, node: &Node, min: u32, max: u32, mode: Mode, count: u32, i: usize, k: Cont) -> bool {
        if mode == Mode::Possessive {
            // as many as match, each time the first way, and no giving back
            let mut at = i;
            let mut n = 0;
            while n < max {
                let mut next = None;
                self.node(node, at, &mut |j| {
                    next = Some(j);
                    true
                });
                match next {
                    Some(j) if j != at || n < min => {
                        at = j;
                        n += 1;
                    }
                    _ => break,
                }
            }
            return n >= min && k(at);
        }
        let more = |k: Cont| {
            count < max
                && self.node(node, i, &mut |j| {
                    // an iteration that matched nothing ends an unbounded repeat (as PCRE does)
                    (j != i || count < min) && self.repeat(node, min, max, mode, count + 1, j, k)
                })
        };
        if count < min {
            return more(k);
        }
        match mode {
            Mode::Lazy => k(i) || more(k),
            _ => more(k) || k(i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Regex::new(p).unwrap_or_else(|e| panic!("{p}: {e:?}")).is_match(s)
    }

    #[test]
    fn matches_as_re_run() {
        let forty = "a".repeat(40);
        for (p, s, want) in [
            ("^amq\\.gen.*", "amq.gen-abc", true),
            ("^amq\\.gen.*", "xamq.gen", false),
            ("a$", "a\n", true),
            ("a\\z", "a\n", false),
            ("^(foo|bar)$", "bar", true),
            ("^(foo|bar)$", "foobar", false),
            ("", "anything", true),
            ("^$", "", true),
            ("^$", "x", false),
            ("o+", "foo", true),
            ("^fo{2}$", "foo", true),
            ("^fo{3,}$", "foo", false),
            ("^[a-c]+\\d?$", "abc7", true),
            ("^[^a-c]+$", "xyz", true),
            ("^[^a-c]+$", "xaz", false),
            ("(?i)^ABC$", "abc", true),
            ("^(?i:a)B", "AB", true),
            ("^(?i:a)B", "Ab", false),
            ("\\bq\\b", "a q b", true),
            ("\\bq\\b", "aqb", false),
            ("^(?=ab)a", "ab", true),
            ("^(?!ab)a", "ab", false),
            ("(?<=x)y", "xy", true),
            ("(?<!x)y", "xy", false),
            ("^a*+a$", "aaa", false),
            ("^a*?a$", "aaa", true),
            ("^(?>a*)a$", "aaa", false),
            ("^[[:alpha:]]+$", "Queue", true),
            ("^a{,3}$", "a{,3}", true),
            ("\\Qa.b\\E$", "a.b", true),
            ("\\Qa.b\\E$", "axb", false),
            ("^.$", "x", true),
            ("^.$", "\n", false),
            ("(?s)^.$", "\n", true),
            // bytes, as PCRE without UTF: é is two
            ("^..$", "é", true),
            ("^.$", "é", false),
            // a pattern that backtracks past PCRE's limit matches nothing
            ("^(a|a)*b", &forty, false),
        ] {
            assert_eq!(m(p, s), want, "{p:?} on {s:?}");
        }
    }

    #[test]
    fn errors_as_erlang_re_compile() {
        // {error, {Message, Offset}} from re:compile/1 on Erlang/OTP 25 (Debian's erlang-base)
        for (p, msg, at) in [
            ("(", "missing )", 1),
            (")", "unmatched parentheses", 0),
            ("\\", "\\ at end of pattern", 1),
            ("a{99999}", "number too big in {} quantifier", 7),
            ("[z-a]", "range out of order in character class", 3),
            ("(?<=a+)b", "lookbehind assertion is not fixed length", 6),
            ("\\1", "reference to non-existent subpattern", 2),
            ("a**", "nothing to repeat", 2),
            ("x{2,1}", "numbers out of order in {} quantifier", 5),
            ("[[:foo:]]", "unknown POSIX class name", 3),
            ("(?", "unrecognized character after (? or (?-", 2),
            ("(?z)", "unrecognized character after (? or (?-", 2),
            ("abc)", "unmatched parentheses", 3),
            ("(a", "missing )", 2),
            ("((a)", "missing )", 4),
            ("?", "nothing to repeat", 0),
            ("+a", "nothing to repeat", 0),
            ("a|*", "nothing to repeat", 2),
            ("[]", "missing terminating ] for character class", 2),
            ("[^]", "missing terminating ] for character class", 3),
            ("[a-", "missing terminating ] for character class", 3),
            ("\\c", "\\c at end of pattern", 2),
            ("a{2}{3}", "nothing to repeat", 6),
            ("^*", "nothing to repeat", 1),
            ("$*", "nothing to repeat", 1),
            ("(*)", "nothing to repeat", 1),
            ("[a-\\d]", "invalid range in character class", 4),
        ] {
            let e = Regex::new(p).expect_err(p);
            assert_eq!((e.message.as_str(), e.offset), (msg, at), "{p}");
        }
        // accepted by re:compile/1
        for p in ["\\y", "a{,3}", "\\c", "(?i)A", "a++b", "\\x4", "\\xZZ"]
            .into_iter()
            .filter(|p| *p != "\\c")
        {
            assert!(Regex::new(p).is_ok(), "{p}");
        }
    }
}
