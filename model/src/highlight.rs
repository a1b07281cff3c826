//! Python source split into the pieces a code view colours: keywords, strings, comments,
//! numbers, the names of functions called, and the rest as it is. Enough of Python's lexical
//! rules for the scripts Warren writes and the tutorials' own: `#` comments, '…' "…" and
//! triple-quoted strings with their prefixes (b'', f''), escapes inside them.

/// What a piece of source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    Keyword,
    Str,
    Comment,
    Number,
    /// A name followed by `(`: a function or method called, or a class made.
    Call,
    Plain,
}

impl Piece {
    /// Its class in the page's style sheet.
    pub fn class(self) -> &'static str {
        match self {
            Piece::Keyword => "kw",
            Piece::Str => "str",
            Piece::Comment => "com",
            Piece::Number => "num",
            Piece::Call => "fn",
            Piece::Plain => "",
        }
    }
}

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del", "elif", "else",
    "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "not", "or", "pass", "raise",
    "return", "try", "while", "with", "yield",
];

/// `src` in pieces, in order: joined, they are `src` again.
pub fn python(src: &str) -> Vec<(Piece, &str)> {
    let b = src.as_bytes();
    let mut out: Vec<(Piece, &str)> = Vec::new();
    let mut plain = 0; // where the plain text not yet pushed starts
    let mut i = 0;
    fn flush<'a>(out: &mut Vec<(Piece, &'a str)>, src: &'a str, from: usize, to: usize) {
        if to > from {
            out.push((Piece::Plain, &src[from..to]));
        }
    }
    while i < b.len() {
        let c = b[i];
        let start = i;
        let piece = if c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            Some(Piece::Comment)
        } else if c == b'\'' || c == b'"' || is_prefix(b, i) {
            i += prefix_len(b, i);
            let q = b[i];
            let triple = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
            i += if triple { 3 } else { 1 };
            loop {
                match b.get(i) {
                    None => break,
                    Some(b'\\') => i += 2,
                    Some(b'\n') if !triple => break,
                    Some(&x) if x == q && (!triple || (b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q))) => {
                        i += if triple { 3 } else { 1 };
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            i = i.min(b.len());
            Some(Piece::Str)
        } else if c.is_ascii_digit() && (i == 0 || !is_word(b[i - 1])) {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_') {
                i += 1;
            }
            Some(Piece::Number)
        } else if is_word(c) && !c.is_ascii_digit() && (i == 0 || !is_word(b[i - 1])) {
            while i < b.len() && is_word(b[i]) {
                i += 1;
            }
            let word = &src[start..i];
            if KEYWORDS.contains(&word) {
                Some(Piece::Keyword)
            } else if b.get(i) == Some(&b'(') {
                Some(Piece::Call)
            } else {
                None
            }
        } else {
            // a byte of something else (UTF-8 continuation bytes stay with their character)
            i += 1;
            while i < b.len() && (b[i] & 0xC0) == 0x80 {
                i += 1;
            }
            None
        };
        if let Some(p) = piece {
            flush(&mut out, src, plain, start);
            out.push((p, &src[start..i]));
            plain = i;
        }
    }
    flush(&mut out, src, plain, b.len());
    out
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// Whether a string prefix (b, r, f, u, rb, br, fr, rf; any case) starts at `i`.
fn is_prefix(b: &[u8], i: usize) -> bool {
    (i == 0 || !is_word(b[i - 1])) && prefix_len(b, i) > 0
}

fn prefix_len(b: &[u8], i: usize) -> usize {
    let letter = |j: usize| {
        b.get(j)
            .map(|c| c.to_ascii_lowercase())
            .filter(|c| matches!(c, b'b' | b'r' | b'f' | b'u'))
    };
    match (letter(i), letter(i + 1)) {
        (Some(_), Some(_)) if matches!(b.get(i + 2), Some(b'\'' | b'"')) => 2,
        (Some(_), _) if matches!(b.get(i + 1), Some(b'\'' | b'"')) => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::{python, Piece};

    fn kinds(src: &str) -> Vec<(Piece, String)> {
        python(src)
            .into_iter()
            .filter(|p| p.0 != Piece::Plain)
            .map(|(p, s)| (p, s.to_string()))
            .collect()
    }

    #[test]
    fn the_pieces_join_into_the_source() {
        let src = "#!/usr/bin/env python\n\"\"\"Doc, with 'quotes'.\"\"\"\nimport pika\nx = b'a\\'b' + f\"{n}\"  # note\nprint(' [x] 关于 %r' % body)\nfor n in range(1, 4 + 1):\n    pass\n";
        let joined: String = python(src).iter().map(|p| p.1).collect();
        assert_eq!(joined, src);
    }

    #[test]
    fn keywords_strings_comments_numbers_and_calls() {
        assert_eq!(
            kinds("channel.queue_declare(queue='task_queue', durable=True)  # idempotent\n"),
            [
                (Piece::Call, "queue_declare".into()),
                (Piece::Str, "'task_queue'".into()),
                (Piece::Keyword, "True".into()),
                (Piece::Comment, "# idempotent".into()),
            ]
        );
        assert_eq!(
            kinds("time.sleep(1.5)\nbody = b'x' + rb\"y\"\nif n in x2: pass"),
            [
                (Piece::Call, "sleep".into()),
                (Piece::Number, "1.5".into()),
                (Piece::Str, "b'x'".into()),
                (Piece::Str, "rb\"y\"".into()),
                (Piece::Keyword, "if".into()),
                (Piece::Keyword, "in".into()),
                (Piece::Keyword, "pass".into()),
            ]
        );
        // a string with an escaped quote, a triple-quoted one over lines, one never closed
        assert_eq!(kinds(r"'it\'s'"), [(Piece::Str, r"'it\'s'".into())]);
        assert_eq!(
            kinds("\"\"\"a\n'b'\n\"\"\" x"),
            [(Piece::Str, "\"\"\"a\n'b'\n\"\"\"".into())]
        );
        assert_eq!(kinds("'open\nx"), [(Piece::Str, "'open".into())]);
        // names that merely contain keywords or digits are names
        assert_eq!(kinds("format_ = iffy + x1"), []);
    }
}
