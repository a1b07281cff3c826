//! Reading a pattern as PCRE does: its syntax, its errors and their offsets, into the nodes the
//! matcher ([`super::Regex`]) runs.

use super::*;

/// PCRE's limit on a quantifier's numbers.
const MAX_REPEAT: u32 = 65_535;

#[derive(Clone, Copy, Debug, Default)]
struct Flags {
    caseless: bool,
    multiline: bool,
    dotall: bool,
}

struct Parser<'a> {
    p: &'a [u8],
    i: usize,
    groups: u32,
    /// PCRE finds these only once the whole pattern has parsed (its second pass): the first
    /// look-behind that is not fixed-length, then a reference to a group that does not exist.
    lookbehind: Option<Error>,
    missing_ref: bool,
    /// PCRE2's syntax where it differs: `{,n}` is a quantifier (`node/pcre/pcre2.rs`).
    pcre2: bool,
}

fn err<T>(message: &str, offset: usize) -> Result<T, Error> {
    Err(Error {
        message: message.into(),
        offset,
    })
}

pub(super) fn unsupported<T>(what: &str, offset: usize) -> Result<T, Error> {
    err(&format!("{what} is not simulated by Warren"), offset)
}

/// What an escape outside or inside a class stands for.
enum Escaped {
    Byte(u8),
    Set(Set),
    Assert(Assert),
    /// `\Q`: literal text up to `\E`.
    Quote,
    /// `\E` without `\Q`: nothing.
    Nothing,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.p.get(self.i).copied()
    }

    /// Skip `(?#…)` comments: PCRE reads past them as if they were not there, so `a(?#c)*` is
    /// `a*`.
    /// `\E` outside `\Q…\E` and an empty `\Q\E` are as invisible.
    fn skip_comments(&mut self) {
        loop {
            let rest = &self.p[self.i..];
            if rest.starts_with(b"(?#") {
                match rest.iter().position(|&b| b == b')') {
                    Some(end) => self.i += end + 1,
                    None => return,
                }
            } else if rest.starts_with(b"\\E") {
                self.i += 2;
            } else if rest.starts_with(b"\\Q\\E") {
                self.i += 4;
            } else {
                return;
            }
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn alternatives(&mut self, flags: &mut Flags) -> Result<Vec<Vec<Node>>, Error> {
        let mut alts = vec![];
        loop {
            alts.push(self.sequence(flags)?);
            if !self.eat(b'|') {
                return Ok(alts);
            }
        }
    }

    fn sequence(&mut self, flags: &mut Flags) -> Result<Vec<Node>, Error> {
        let mut seq: Vec<Node> = vec![];
        loop {
            self.skip_comments();
            let Some(c) = self.peek() else {
                break;
            };
            let at = self.i;
            let node = match c {
                b'|' => break,
                // at the top level, an unmatched one (Regex::new says so)
                b')' => break,
                b'(' => {
                    self.i += 1;
                    match self.group(flags)? {
                        Some(n) => n,
                        None => continue, // an option setting such as (?i)
                    }
                }
                b'[' if self.posix_outside_class() => {
                    return err(
                        if self.p[at + 1] == b':' {
                            "POSIX named classes are supported only within a class"
                        } else {
                            "POSIX collating elements are not supported"
                        },
                        at,
                    );
                }
                b'[' => {
                    self.i += 1;
                    Node::Byte(self.class(flags.caseless)?)
                }
                b'.' => {
                    self.i += 1;
                    let mut any = Set::default().negated();
                    if !flags.dotall {
                        any.0[0] &= !(1 << b'\n');
                    }
                    Node::Byte(any)
                }
                b'^' => {
                    self.i += 1;
                    Node::Assert(Assert::Start {
                        multiline: flags.multiline,
                    })
                }
                b'$' => {
                    self.i += 1;
                    Node::Assert(Assert::End {
                        multiline: flags.multiline,
                    })
                }
                b'*' | b'+' | b'?' => return err("nothing to repeat", at),
                b'{' => match self.quantifier_braces() {
                    Some((_, _, end)) => return err("nothing to repeat", end),
                    None => {
                        self.i += 1;
                        literal(c, flags)
                    }
                },
                b'\\' => {
                    self.i += 1;
                    match self.escape(false)? {
                        Escaped::Byte(b) => literal(b, flags),
                        Escaped::Set(s) => Node::Byte(s),
                        Escaped::Assert(a) => Node::Assert(a),
                        Escaped::Nothing => continue,
                        Escaped::Quote => {
                            // literal text; a quantifier after `\E` repeats its last byte
                            let mut last = None;
                            while self.i < self.p.len() {
                                if self.p[self.i..].starts_with(b"\\E") {
                                    self.i += 2;
                                    break;
                                }
                                seq.extend(last.replace(literal(self.p[self.i], flags)));
                                self.i += 1;
                            }
                            match last {
                                Some(node) => node,
                                None => continue,
                            }
                        }
                    }
                }
                _ => {
                    self.i += 1;
                    literal(c, flags)
                }
            };
            seq.push(self.quantified(node)?);
        }
        Ok(seq)
    }

    /// `[:name:]` (or `[.x.]`, `[=x=]`) outside a class, which PCRE refuses.
    fn posix_outside_class(&self) -> bool {
        let rest = &self.p[self.i..];
        match rest.get(1) {
            Some(&t @ (b':' | b'.' | b'=')) => rest[2..].windows(2).any(|w| w[0] == t && w[1] == b']'),
            _ => false,
        }
    }

    /// `{n}`, `{n,}` or `{n,m}` at the parser's position: (min, max, offset of the `}`); None
    /// when the brace is a literal (PCRE 8 reads `a{,3}` or `a{x}` as text; PCRE2 reads `{,3}`
    /// as `{0,3}`).
    fn quantifier_braces(&self) -> Option<(u64, Option<u64>, usize)> {
        let rest = &self.p[self.i..];
        let close = rest.iter().position(|&b| b == b'}')?;
        let inner = &rest[1..close];
        let num = |s: &[u8]| -> Option<u64> {
            if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(s.iter().fold(0u64, |n, d| (n * 10 + (d - b'0') as u64).min(1 << 40)))
        };
        let (min, max) = match inner.iter().position(|&b| b == b',') {
            None => {
                let n = num(inner)?;
                (n, Some(n))
            }
            Some(0) if self.pcre2 && inner.len() > 1 => (0, Some(num(&inner[1..])?)),
            Some(comma) => {
                let min = num(&inner[..comma])?;
                let max_text = &inner[comma + 1..];
                let max = if max_text.is_empty() {
                    None
                } else {
                    Some(num(max_text)?)
                };
                (min, max)
            }
        };
        Some((min, max, self.i + close))
    }

    /// `node` with the quantifiers that follow it (PCRE refuses a second one, and any on `^`,
    /// `$` and the other assertions).
    fn quantified(&mut self, mut node: Node) -> Result<Node, Error> {
        let mut repeated = false;
        loop {
            self.skip_comments();
            let (min, max) = match self.peek() {
                Some(b'*') => {
                    self.i += 1;
                    (0, u32::MAX)
                }
                Some(b'+') => {
                    self.i += 1;
                    (1, u32::MAX)
                }
                Some(b'?') => {
                    self.i += 1;
                    (0, 1)
                }
                Some(b'{') => match self.quantifier_braces() {
                    Some((min, max, end)) => {
                        if min > MAX_REPEAT as u64 || max.is_some_and(|m| m > MAX_REPEAT as u64) {
                            return err("number too big in {} quantifier", end);
                        }
                        if max.is_some_and(|m| m < min) {
                            return err("numbers out of order in {} quantifier", end);
                        }
                        self.i = end + 1;
                        (min as u32, max.map_or(u32::MAX, |m| m as u32))
                    }
                    None => return Ok(node),
                },
                _ => return Ok(node),
            };
            if repeated || matches!(node, Node::Assert(_)) {
                // at the quantifier's last character
                return err("nothing to repeat", self.i - 1);
            }
            self.skip_comments();
            let mode = if self.eat(b'?') {
                Mode::Lazy
            } else if self.eat(b'+') {
                Mode::Possessive
            } else {
                Mode::Greedy
            };
            node = Node::Repeat {
                node: Box::new(node),
                min,
                max,
                mode,
            };
            repeated = true;
        }
    }

    /// After `(`: a group, a look-around, or an option setting (None).
    fn group(&mut self, flags: &mut Flags) -> Result<Option<Node>, Error> {
        let open = self.i - 1;
        let mut inner = *flags;
        let mut kind = 'c'; // capturing
        if self.eat(b'?') {
            let at = self.i;
            match self.peek() {
                // non-capturing, atomic, look-ahead, negative look-ahead
                Some(c @ (b':' | b'>' | b'=' | b'!')) => {
                    self.i += 1;
                    kind = c as char;
                }
                Some(b'<') if matches!(self.p.get(self.i + 1), Some(b'=') | Some(b'!')) => {
                    kind = if self.p[self.i + 1] == b'=' { 'b' } else { 'B' };
                    self.i += 2;
                }
                Some(b'#') => {
                    while let Some(c) = self.peek() {
                        self.i += 1;
                        if c == b')' {
                            return Ok(None);
                        }
                    }
                    return err("missing ) after comment", self.i);
                }
                Some(b'-' | b'i' | b'm' | b's' | b'x' | b'J' | b'U' | b'X') => {
                    let mut on = true;
                    let mut set = inner;
                    loop {
                        match self.peek() {
                            Some(b'-') => on = false,
                            Some(b'i') => set.caseless = on,
                            Some(b'm') => set.multiline = on,
                            Some(b's') => set.dotall = on,
                            Some(c @ (b'x' | b'J' | b'U' | b'X')) => {
                                return unsupported(&format!("the option (?{})", c as char), self.i)
                            }
                            Some(b')') => {
                                self.i += 1;
                                *flags = set;
                                return Ok(None);
                            }
                            Some(b':') => {
                                self.i += 1;
                                inner = set;
                                kind = ':';
                                break;
                            }
                            _ => return err("unrecognized character after (? or (?-", self.i),
                        }
                        self.i += 1;
                    }
                }
                Some(b'<' | b'P' | b'\'') => return unsupported("a named group", at),
                Some(b'(') => return unsupported("a conditional group", at),
                Some(b'R' | b'0'..=b'9' | b'&' | b'+') => return unsupported("recursion", at),
                Some(b'|') => return unsupported("(?|", at),
                _ => return err("unrecognized character after (? or (?-", at),
            }
        } else if self.peek() == Some(b'*') && self.p.get(self.i + 1).is_some_and(|&b| b == b':' || letters().has(b)) {
            // `(*NAME`: a verb (PCRE reads letters, Latin-1's included)
            let (start, letters) = (self.i + 1, letters());
            let mut end = start;
            while self.p.get(end).is_some_and(|&b| letters.has(b)) {
                end += 1;
            }
            const VERBS: [&[u8]; 10] = [
                b"ACCEPT", b"FAIL", b"F", b"COMMIT", b"PRUNE", b"SKIP", b"THEN", b"MARK", b"UTF8", b"UCP",
            ];
            if VERBS.contains(&&self.p[start..end]) && matches!(self.p.get(end), Some(b')' | b':')) {
                return unsupported("a backtracking verb", open);
            }
            return err("(*VERB) not recognized or malformed", end);
        }
        if kind == 'c' {
            self.groups += 1;
        }
        let alts = self.alternatives(&mut inner)?;
        if !self.eat(b')') {
            return err("missing )", self.p.len());
        }
        Ok(Some(match kind {
            '=' | '!' => Node::Look {
                alts,
                ahead: true,
                negate: kind == '!',
            },
            'b' | 'B' => {
                if alts.iter().any(|alt| fixed_len(alt).is_none()) && self.lookbehind.is_none() {
                    self.lookbehind = Some(Error {
                        message: "lookbehind assertion is not fixed length".into(),
                        offset: self.i - 1,
                    });
                }
                Node::Look {
                    alts,
                    ahead: false,
                    negate: kind == 'B',
                }
            }
            _ => Node::Group {
                alts,
                atomic: kind == '>',
            },
        }))
    }

    /// After `\` (`in_class`: inside `[…]`, where `\b` is a backspace).
    fn escape(&mut self, in_class: bool) -> Result<Escaped, Error> {
        let Some(c) = self.peek() else {
            return err("\\ at end of pattern", self.p.len());
        };
        let at = self.i;
        self.i += 1;
        Ok(match c {
            b'd' | b'D' | b'w' | b'W' | b's' | b'S' | b'h' | b'H' | b'v' | b'V' => {
                Escaped::Set(class_of(c).expect("a class letter"))
            }
            b'n' => Escaped::Byte(b'\n'),
            b't' => Escaped::Byte(b'\t'),
            b'r' => Escaped::Byte(b'\r'),
            b'f' => Escaped::Byte(0x0c),
            b'e' => Escaped::Byte(0x1b),
            b'a' => Escaped::Byte(0x07),
            b'b' if in_class => Escaped::Byte(0x08),
            b'b' => Escaped::Assert(Assert::Word),
            b'B' if !in_class => Escaped::Assert(Assert::NotWord),
            b'A' if !in_class => Escaped::Assert(Assert::AbsStart),
            b'G' if !in_class => Escaped::Assert(Assert::AbsStart),
            b'z' if !in_class => Escaped::Assert(Assert::AbsEnd),
            b'Z' if !in_class => Escaped::Assert(Assert::AbsEndNl),
            b'Q' => Escaped::Quote,
            b'E' => Escaped::Nothing,
            b'c' => {
                let Some(x) = self.peek() else {
                    return err("\\c at end of pattern", self.p.len());
                };
                self.i += 1;
                Escaped::Byte(x.to_ascii_uppercase() ^ 0x40)
            }
            b'x' => {
                if self.eat(b'{') {
                    let start = self.i;
                    while self.peek().is_some_and(|b| b.is_ascii_hexdigit()) {
                        self.i += 1;
                    }
                    let hex = &self.p[start..self.i];
                    if self.peek() != Some(b'}') {
                        return err("non-hex character in \\x{} (closing brace missing?)", self.i);
                    }
                    if hex.is_empty() {
                        return err("digits missing in \\x{} or \\o{}", self.i);
                    }
                    self.i += 1;
                    let v = hex
                        .iter()
                        .fold(0u32, |n, &d| n.saturating_mul(16).saturating_add(hex_digit(d) as u32));
                    if v > 0xff {
                        return err("character value in \\x{} or \\o{} is too large", self.i - 1);
                    }
                    Escaped::Byte(v as u8)
                } else {
                    let mut v = 0u32;
                    for _ in 0..2 {
                        match self.peek() {
                            Some(d) if d.is_ascii_hexdigit() => {
                                v = v * 16 + hex_digit(d) as u32;
                                self.i += 1;
                            }
                            _ => break,
                        }
                    }
                    Escaped::Byte(v as u8)
                }
            }
            b'0' => Escaped::Byte(self.octal(0)),
            b'1'..=b'9' => {
                // outside a class, a number is a back-reference when it is below 8 or names a
                // group opened before it; otherwise (and inside a class) `\8` and `\9` are the
                // digits and anything else up to three octal digits
                let start = at;
                let mut end = start;
                while self.p.get(end).is_some_and(u8::is_ascii_digit) {
                    end += 1;
                }
                let n: u64 = self.p[start..end]
                    .iter()
                    .fold(0u64, |n, d| (n * 10 + (d - b'0') as u64).min(1 << 20));
                if !in_class && (n < 8 || n <= self.groups as u64) {
                    self.i = end;
                    if n > self.total_groups() as u64 {
                        self.missing_ref = true;
                        return Ok(Escaped::Set(Set::default()));
                    }
                    return unsupported("a back-reference", start - 1);
                }
                if c >= b'8' {
                    return Ok(Escaped::Byte(c));
                }
                Escaped::Byte(self.octal((c - b'0') as u32))
            }
            b'p' | b'P' => return unsupported("\\p", at - 1),
            // (seen on 3.10.8: tests/scenarios/access_regex_errors)
            b'o' if self.peek() != Some(b'{') => return err("missing opening brace after \\o", at),
            b'o' => return unsupported("\\o{…}", at - 1),
            b'k' if !matches!(self.peek(), Some(b'<' | b'\'' | b'{')) => {
                return err("\\k is not followed by a braced, angle-bracketed, or quoted name", at)
            }
            b'R' | b'X' | b'K' | b'C' | b'N' | b'g' | b'k' => return unsupported(&format!("\\{}", c as char), at - 1),
            // any other escaped byte stands for itself (PCRE 8 reads `\y` as `y`)
            _ => Escaped::Byte(c),
        })
    }

    /// An octal escape whose first digit (`v`) is read: up to two more digits, the low byte.
    fn octal(&mut self, mut v: u32) -> u8 {
        for _ in 0..2 {
            match self.peek() {
                Some(d @ b'0'..=b'7') => {
                    v = v * 8 + (d - b'0') as u32;
                    self.i += 1;
                }
                _ => break,
            }
        }
        (v & 0xff) as u8
    }

    /// How many capturing groups the whole pattern has (PCRE checks references against all).
    fn total_groups(&self) -> u32 {
        let mut n = 0;
        let mut i = 0;
        let p = self.p;
        let mut in_class = false;
        while i < p.len() {
            match p[i] {
                b'\\' => i += 1,
                b'[' if !in_class => in_class = true,
                b']' if in_class => in_class = false,
                b'(' if !in_class && p.get(i + 1) != Some(&b'?') && p.get(i + 1) != Some(&b'*') => n += 1,
                _ => {}
            }
            i += 1;
        }
        n
    }

    /// After `[`: the class up to its `]`.
    /// (`caseless`: both cases of its letters, before a `^` negates it.)
    fn class(&mut self, caseless: bool) -> Result<Set, Error> {
        let negate = self.eat(b'^');
        let mut set = Set::default();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return err("missing terminating ] for character class", self.p.len());
            };
            if c == b']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            // one item: a byte (which may start a range) or a set
            let lo = match c {
                b'[' if matches!(self.p.get(self.i + 1), Some(b':' | b'.' | b'=')) => {
                    let start = self.i + 2;
                    let Some(end) = self.p[start..]
                        .windows(2)
                        .position(|w| w[1] == b']' && w[0] == self.p[self.i + 1])
                    else {
                        self.i += 1;
                        set.add(b'[');
                        continue;
                    };
                    let mut name = &self.p[start..start + end];
                    let neg = name.first() == Some(&b'^');
                    if neg {
                        name = &name[1..];
                    }
                    if self.p[self.i + 1] != b':' {
                        return err("POSIX collating elements are not supported", self.i);
                    }
                    let Some(s) = posix(name) else {
                        return err("unknown POSIX class name", start);
                    };
                    set.union(&if neg { s.negated() } else { s });
                    self.i = start + end + 2;
                    continue;
                }
                b'\\' => {
                    self.i += 1;
                    match self.escape(true)? {
                        Escaped::Byte(b) => b,
                        // `[\d-z]` is \d, `-` and `z`
                        Escaped::Set(s) => {
                            set.union(&s);
                            continue;
                        }
                        Escaped::Assert(_) | Escaped::Nothing | Escaped::Quote => continue,
                    }
                }
                _ => {
                    self.i += 1;
                    c
                }
            };
            if self.peek() == Some(b'-') && self.p.get(self.i + 1).is_some_and(|&b| b != b']') {
                self.i += 1;
                let c2 = self.peek().expect("checked");
                let hi = if c2 == b'\\' {
                    self.i += 1;
                    match self.escape(true)? {
                        Escaped::Byte(b) => b,
                        _ => return err("invalid range in character class", self.i - 1),
                    }
                } else if c2 == b'[' && matches!(self.p.get(self.i + 1), Some(b':')) {
                    return err("invalid range in character class", self.i + 1);
                } else {
                    self.i += 1;
                    c2
                };
                if hi < lo {
                    return err("range out of order in character class", self.i - 1);
                }
                set.add_range(lo, hi);
            } else {
                set.add(lo);
            }
        }
        let set = if caseless { set.caseless() } else { set };
        Ok(if negate { set.negated() } else { set })
    }
}

fn hex_digit(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        b'a'..=b'f' => d - b'a' + 10,
        _ => d - b'A' + 10,
    }
}

fn literal(b: u8, flags: &Flags) -> Node {
    let s = Set::of(b);
    Node::Byte(if flags.caseless { s.caseless() } else { s })
}

/// Parse `pattern` as `re:compile/1` does (no options): its alternatives.
pub(super) fn parse(pattern: &str, pcre2: bool) -> Result<Vec<Vec<Node>>, Error> {
    let mut parser = Parser {
        p: pattern.as_bytes(),
        i: 0,
        groups: 0,
        lookbehind: None,
        missing_ref: false,
        pcre2,
    };
    let alts = parser.alternatives(&mut Flags::default())?;
    if let Some(e) = parser.lookbehind {
        return Err(e);
    }
    if parser.i < parser.p.len() {
        // only a `)` stops the top level early; PCRE says so after its second pass
        return err("unmatched parentheses", parser.i);
    }
    if parser.missing_ref {
        return err("reference to non-existent subpattern", parser.p.len());
    }
    Ok(alts)
}
