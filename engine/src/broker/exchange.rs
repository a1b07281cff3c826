//! Exchanges and their routing functions: direct, fanout, topic, headers (semantics §2).
//! The broker's rules for them: `exchange.declare` (types, equivalence, reserved `amq.` names,
//! `internal`, `alternate-exchange`), `exchange.delete` (`if-unused`) and auto-delete. An
//! unknown type closes the connection in 3.10 (503 COMMAND_INVALID), the channel in 4.x (406).

use super::*;
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

impl Broker {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn exchange_declare(
        &mut self,
        conn: ConnId,
        ch: u16,
        name: &str,
        kind: &str,
        passive: bool,
        durable: bool,
        auto_delete: bool,
        internal: bool,
        args: FieldTable,
    ) -> R<()> {
        let name = strip_crlf(name);
        if passive {
            if name.is_empty() {
                return Err(AmqpError::default_exchange());
            }
            self.check_passive(conn, ch, false, &name)?;
            self.note_log_exchange(&name);
            return if self.exchanges.contains_key(name.as_str()) {
                Ok(())
            } else {
                Err(AmqpError::no_exchange(&name, &self.vhost))
            };
        }
        let Some(kind) = ExchangeKind::parse(kind) else {
            // 3.10 closes the connection (503); 4.x the channel (406; seen on 4.3.6:
            // err_unknown_type_closes_connection)
            let why = format!("unknown exchange type '{kind}'");
            return Err(if self.four(Difference::UnknownExchangeType) {
                AmqpError::precondition_failed(why)
            } else {
                AmqpError::command_invalid(why)
            });
        };
        if name.is_empty() {
            return Err(AmqpError::default_exchange());
        }
        self.check(conn, ch, Perm::Configure, false, &name)?;
        let what = self.rs_exchange(&name);
        if !self.exchanges.contains_key(name.as_str()) {
            if name.starts_with("amq.") {
                return Err(AmqpError::access_refused(format!(
                    "exchange name '{name}' contains reserved prefix 'amq.*'"
                )));
            }
            if let Some(v) = args.get("alternate-exchange") {
                let Some(ae) = v.as_str() else {
                    return Err(AmqpError::precondition_failed(format!(
                        "invalid type '{}' for arg 'alternate-exchange' in {what}",
                        v.type_name()
                    )));
                };
                let ae = ae.to_string();
                self.check(conn, ch, Perm::Read, false, &name)?;
                self.check(conn, ch, Perm::Write, false, &ae)?;
            }
            let n: Name = name.as_str().into();
            self.exchanges.insert(
                n.clone(),
                Exchange::new(n.clone(), kind, durable, auto_delete, internal, args.clone()),
            );
            self.emit(EventKind::ExchangeDeclared { exchange: n });
        }
        let x = &self.exchanges[name.as_str()];
        if x.kind != kind {
            return Err(inequivalent(
                "type",
                &what,
                format!("'{}'", kind.name()),
                format!("'{}'", x.kind.name()),
            ));
        }
        bool_field("durable", &what, x.durable, durable)?;
        bool_field("auto_delete", &what, x.auto_delete, auto_delete)?;
        bool_field("internal", &what, x.internal, internal)?;
        assert_arg("alternate-exchange", &what, &x.arguments, &args)
    }

    pub(super) fn exchange_delete(&mut self, conn: ConnId, ch: u16, name: &str, if_unused: bool) -> R<()> {
        let name = strip_crlf(name);
        if name.is_empty() {
            return Err(AmqpError::default_exchange());
        }
        if name.starts_with("amq.") {
            return Err(AmqpError::access_refused(format!(
                "deletion of system {} not allowed",
                self.rs_exchange(&name)
            )));
        }
        self.check(conn, ch, Perm::Configure, false, &name)?;
        let Some(x) = self.exchanges.get(name.as_str()) else {
            return Ok(());
        };
        if if_unused && !x.bindings.is_empty() {
            return Err(AmqpError::precondition_failed(format!(
                "{} in use",
                self.rs_exchange(&name)
            )));
        }
        self.delete_exchange(&Name::from(name.as_str()), false);
        Ok(())
    }

    pub(super) fn delete_exchange(&mut self, name: &Name, auto: bool) {
        let Some(x) = self.exchanges.remove(name) else {
            return;
        };
        // bindings where it is the source
        for b in &x.bindings {
            if let Some(set) = self.incoming.get_mut(&b.dest) {
                set.remove(&(name.clone(), b.clone()));
                if set.is_empty() {
                    self.incoming.remove(&b.dest);
                }
            }
            self.events.push(Event {
                at: self.now,
                kind: EventKind::Unbound {
                    source: name.clone(),
                    dest: b.dest.clone(),
                    key: b.key.clone(),
                    arguments: b.args.clone(),
                },
            });
        }
        self.emit(EventKind::ExchangeDeleted {
            exchange: name.clone(),
            auto,
        });
        // bindings where it is the destination
        self.remove_incoming(&Dest::Exchange(name.clone()));
    }

    /// Remove every binding leading to `dest`; sources left without bindings may auto-delete.
    pub(super) fn remove_incoming(&mut self, dest: &Dest) {
        let Some(set) = self.incoming.remove(dest) else {
            return;
        };
        let mut sources = Vec::new();
        for (src, b) in set {
            if let Some(x) = self.exchanges.get_mut(&src) {
                x.unbind(&b);
                sources.push(src.clone());
            }
            self.emit(EventKind::Unbound {
                source: src,
                dest: b.dest,
                key: b.key,
                arguments: b.args,
            });
        }
        sources.dedup();
        for s in sources {
            self.maybe_auto_delete_exchange(&s);
        }
    }

    pub(super) fn maybe_auto_delete_exchange(&mut self, name: &Name) {
        if let Some(x) = self.exchanges.get(name) {
            if x.auto_delete && x.bindings.is_empty() {
                self.delete_exchange(name, true);
            }
        }
    }
}

/// The exchange RabbitMQ 4.x declares in vhost `/` for its log (`amq.rabbitmq.log`).
pub const LOG_EXCHANGE: &str = "amq.rabbitmq.log";

impl Broker {
    /// 4.x declares `amq.rabbitmq.log` (topic, durable, internal) in vhost `/` when it boots, and
    /// exports it in definitions; 3.10 has none (seen on 4.3.6: `list_exchanges`,
    /// `export_definitions`, `ex_log_exchange`).
    pub(super) fn predeclare_log_exchange(&mut self) {
        if &*self.vhost == "/" && self.version.four() && !self.exchanges.contains_key(LOG_EXCHANGE) {
            let n = Name::from(LOG_EXCHANGE);
            self.exchanges.insert(
                n.clone(),
                Exchange::new(n, ExchangeKind::Topic, true, false, true, FieldTable::new()),
            );
        }
    }

    /// A step names the log exchange: what it meets depends on the version.
    pub(super) fn note_log_exchange(&self, name: &str) {
        if name == LOG_EXCHANGE && &*self.vhost == "/" {
            self.four(Difference::LogExchange);
        }
    }
}
