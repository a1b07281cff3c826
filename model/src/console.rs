//! The console beside the canvas: `rabbitmqctl` commands typed against the simulated broker,
//! printed as RabbitMQ prints them ([`warren_engine::ctl`]), with a history the up and down
//! arrows walk through (as a shell's does).

use warren_engine::ctl::Output;

/// One command and what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub command: String,
    pub output: String,
    /// A usage error or an unreadable line (printed on stderr by rabbitmqctl).
    pub error: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Console {
    pub entries: Vec<Entry>,
    history: Vec<String>,
    /// Where the arrows are in the history (None: past its end, on a fresh line).
    cursor: Option<usize>,
}

/// What an empty command prints (the console's own hint to `help`).
const HELP_HINT: &str =
    "Usage: rabbitmqctl <command> [<command options>]\nType help for the commands, clear to empty the screen.";

/// The words of a command line: whitespace separates them, single or double quotes keep spaces
/// (`set_permissions -p / guest ".*" ".*" ".*"`).
pub fn split(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(q) = quote {
        return Err(format!("unterminated {q} quote"));
    }
    words.extend(word);
    Ok(words)
}

/// The command's words without what only a shell would need: a leading `rabbitmqctl` (or
/// `sudo rabbitmqctl`), `-q`/`--quiet`, `-n NODE`/`--node NODE`, `--longnames`.
fn command_words(words: &[String]) -> Vec<&str> {
    let mut w: Vec<&str> = words.iter().map(String::as_str).collect();
    if w.first() == Some(&"sudo") {
        w.remove(0);
    }
    if w.first()
        .is_some_and(|c| *c == "rabbitmqctl" || c.ends_with("/rabbitmqctl"))
    {
        w.remove(0);
    }
    let mut out = Vec::new();
    let mut it = w.into_iter();
    while let Some(a) = it.next() {
        match a {
            "-q" | "--quiet" | "--longnames" => {}
            "-n" | "--node" if out.is_empty() => {
                it.next();
            }
            _ => out.push(a),
        }
    }
    out
}

impl Console {
    /// Run a line and keep it (and its output): `exec` runs rabbitmqctl's words on the node
    /// (listing it, or changing it through the simulation), quietly when the line says `-q`.
    /// `clear` empties the screen; `help` lists the commands.
    pub fn run(&mut self, line: &str, exec: impl FnOnce(&[&str], bool) -> Output) {
        let line = line.trim();
        self.cursor = None;
        if line.is_empty() {
            return;
        }
        if self.history.last().map(String::as_str) != Some(line) {
            self.history.push(line.to_string());
        }
        if line == "clear" {
            self.entries.clear();
            return;
        }
        let (output, error) = match split(line) {
            Err(e) => (e, true),
            Ok(words) => {
                let args = command_words(&words);
                let quiet = words.iter().any(|w| w == "-q" || w == "--quiet");
                let out = match args.split_first() {
                    None => None,
                    Some((&"help", rest)) => Some(warren_engine::ctl::help(rest)),
                    Some(_) => Some(exec(&args, quiet)),
                };
                match out {
                    None => (HELP_HINT.into(), true),
                    Some(out) => (format!("{}{}", out.stdout, out.stderr), out.status != 0),
                }
            }
        };
        self.entries.push(Entry {
            command: line.to_string(),
            output,
            error,
        });
    }

    /// The previous command (up arrow), staying at the oldest.
    pub fn up(&mut self) -> Option<&str> {
        let i = match self.cursor {
            None => self.history.len().checked_sub(1)?,
            Some(i) => i.saturating_sub(1),
        };
        self.cursor = Some(i);
        self.history.get(i).map(String::as_str)
    }

    /// The next command (down arrow); past the newest, an empty line.
    pub fn down(&mut self) -> &str {
        match self.cursor {
            Some(i) if i + 1 < self.history.len() => {
                self.cursor = Some(i + 1);
                &self.history[i + 1]
            }
            _ => {
                self.cursor = None;
                ""
            }
        }
    }
}
