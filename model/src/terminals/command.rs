//! A command line as a person types it into a terminal, split as a shell splits it.

/// A command line typed into a terminal: `emit_log_topic.py kern.critical "A critical error"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// What the script sees as `sys.argv` (the script's file first).
    pub argv: Vec<String>,
    /// What the person types into it (`input()`, `sys.stdin`), not echoed.
    pub stdin: String,
}

impl Command {
    /// A command line as a shell splits it (quotes, backslashes); a leading `python` or
    /// `python3` is the program, not an argument.
    pub fn parse(line: &str) -> Result<Command, String> {
        let mut argv = split_words(line)?;
        if argv.first().is_some_and(|p| p == "python" || p == "python3") {
            argv.remove(0);
        }
        match argv.first() {
            None => Err(format!("'{line}' names no script")),
            Some(s) if !s.ends_with(".py") => Err(format!("'{s}' is not a Python script (a file ending in .py)")),
            Some(_) => Ok(Command {
                argv,
                stdin: String::new(),
            }),
        }
    }

    /// The script's file name.
    pub fn script(&self) -> &str {
        &self.argv[0]
    }
}

/// Words as a POSIX shell splits a line: spaces between words, `'...'` and `"..."` quote, `\`
/// escapes the next character (inside `"..."`: only `"`, `\`, `$` and `` ` ``).
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut w = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut w));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err(format!("a quote (') is not closed in: {line}")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => w.push(c),
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err(format!("a quote (\") is not closed in: {line}")),
                        },
                        Some(c) => w.push(c),
                        None => return Err(format!("a quote (\") is not closed in: {line}")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    w.push(c);
                }
            }
            c => {
                in_word = true;
                w.push(c);
            }
        }
    }
    if in_word {
        words.push(w);
    }
    Ok(words)
}
