//! Exchanges and their routing functions: direct, fanout, topic, headers (semantics §2).

use crate::field::FieldTable;
use crate::headers;
use crate::message::Name;
use crate::topic::TopicTrie;

use crate::names::NameMap;
use std::collections::BTreeSet;

/// The kind (type) of an exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExchangeKind {
    Direct,
    Fanout,
    Topic,
    Headers,
}

impl ExchangeKind {
    pub fn parse(s: &str) -> Option<ExchangeKind> {
        Some(match s {
            "direct" => ExchangeKind::Direct,
            "fanout" => ExchangeKind::Fanout,
            "topic" => ExchangeKind::Topic,
            "headers" => ExchangeKind::Headers,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            ExchangeKind::Direct => "direct",
            ExchangeKind::Fanout => "fanout",
            ExchangeKind::Topic => "topic",
            ExchangeKind::Headers => "headers",
        }
    }
}

/// Where a binding leads.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dest {
    Queue(Name),
    Exchange(Name),
}

impl Dest {
    pub fn name(&self) -> &Name {
        match self {
            Dest::Queue(n) | Dest::Exchange(n) => n,
        }
    }
}

/// A binding's identity below its source: destination, key and arguments (semantics §2.6).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Binding {
    pub dest: Dest,
    pub key: Name,
    pub args: FieldTable,
}

/// An exchange with its bindings (as source) and the index its kind routes with.
#[derive(Clone, Debug)]
pub struct Exchange {
    pub name: Name,
    pub kind: ExchangeKind,
    pub durable: bool,
    pub auto_delete: bool,
    pub internal: bool,
    pub arguments: FieldTable,
    pub bindings: BTreeSet<Binding>,
    router: Router,
}

#[derive(Clone, Debug)]
enum Router {
    Direct(NameMap<Counted>),
    Fanout(Counted),
    Topic(TopicTrie<Dest>),
    Headers,
}

/// Destinations with how many bindings lead to each (a direct exchange's bindings with one
/// key may differ only in arguments), in destination order.
#[derive(Clone, Debug, Default)]
struct Counted(Vec<(Dest, u32)>);

impl Counted {
    fn add(&mut self, d: &Dest) {
        match self.0.binary_search_by(|(x, _)| x.cmp(d)) {
            Ok(i) => self.0[i].1 += 1,
            Err(i) => self.0.insert(i, (d.clone(), 1)),
        }
    }
    fn remove(&mut self, d: &Dest) {
        if let Ok(i) = self.0.binary_search_by(|(x, _)| x.cmp(d)) {
            self.0[i].1 -= 1;
            if self.0[i].1 == 0 {
                self.0.remove(i);
            }
        }
    }
}

impl Exchange {
    pub fn new(
        name: Name,
        kind: ExchangeKind,
        durable: bool,
        auto_delete: bool,
        internal: bool,
        arguments: FieldTable,
    ) -> Exchange {
        let router = match kind {
            ExchangeKind::Direct => Router::Direct(NameMap::default()),
            ExchangeKind::Fanout => Router::Fanout(Counted::default()),
            ExchangeKind::Topic => Router::Topic(TopicTrie::default()),
            ExchangeKind::Headers => Router::Headers,
        };
        Exchange {
            name,
            kind,
            durable,
            auto_delete,
            internal,
            arguments,
            bindings: BTreeSet::new(),
            router,
        }
    }

    /// The `alternate-exchange` argument, when it is a string.
    pub fn alternate(&self) -> Option<&str> {
        self.arguments.get("alternate-exchange").and_then(|v| v.as_str())
    }

    /// Add a binding; false when an identical one exists (a no-op, as in RabbitMQ).
    pub fn bind(&mut self, b: Binding) -> bool {
        if self.bindings.contains(&b) {
            return false;
        }
        match &mut self.router {
            Router::Direct(m) => match m.get_mut(&b.key) {
                Some(d) => d.add(&b.dest),
                None => {
                    let mut d = Counted::default();
                    d.add(&b.dest);
                    m.insert(b.key.clone(), d);
                }
            },
            Router::Fanout(m) => m.add(&b.dest),
            Router::Topic(t) => t.insert(&b.key, b.dest.clone()),
            Router::Headers => {}
        }
        self.bindings.insert(b);
        true
    }

    /// Remove a binding; false when there was none.
    pub fn unbind(&mut self, b: &Binding) -> bool {
        if !self.bindings.remove(b) {
            return false;
        }
        match &mut self.router {
            Router::Direct(m) => {
                if let Some(d) = m.get_mut(&b.key) {
                    d.remove(&b.dest);
                    if d.0.is_empty() {
                        m.remove(&b.key);
                    }
                }
            }
            Router::Fanout(m) => m.remove(&b.dest),
            Router::Topic(t) => t.remove(&b.key, &b.dest),
            Router::Headers => {}
        }
        true
    }

    /// The destinations this exchange's own type routes a message to (before alternate exchanges),
    /// appended to `out` (may hold duplicates across keys; the caller de-duplicates).
    pub fn route(&self, keys: &[Name], headers: Option<&FieldTable>, out: &mut Vec<Dest>) {
        match &self.router {
            Router::Direct(m) => {
                for k in keys {
                    if let Some(d) = m.get(k) {
                        for (dest, _) in &d.0 {
                            out.push(dest.clone());
                        }
                    }
                }
            }
            Router::Fanout(m) => out.extend(m.0.iter().map(|(dest, _)| dest.clone())),
            Router::Topic(t) => {
                for k in keys {
                    t.route(k, out);
                }
            }
            Router::Headers => {
                for b in &self.bindings {
                    if headers::matches(&b.args, headers) {
                        out.push(b.dest.clone());
                    }
                }
            }
        }
    }

    /// Why each binding matched or not, for the UI's "routing explained" (same rules as `route`).
    pub fn binding_matches(&self, b: &Binding, keys: &[Name], headers: Option<&FieldTable>) -> bool {
        match self.kind {
            ExchangeKind::Direct => keys.contains(&b.key),
            ExchangeKind::Fanout => true,
            ExchangeKind::Topic => keys.iter().any(|k| crate::topic::matches(&b.key, k)),
            ExchangeKind::Headers => headers::matches(&b.args, headers),
        }
    }
}
