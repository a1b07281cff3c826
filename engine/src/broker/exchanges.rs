//! Exchanges (semantics §2): `exchange.declare` (types, equivalence, reserved `amq.` names,
//! `internal`, `alternate-exchange`), `exchange.delete` (`if-unused`) and auto-delete.

use super::*;

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
            return if self.exchanges.contains_key(name.as_str()) {
                Ok(())
            } else {
                Err(AmqpError::no_exchange(&name, &self.vhost))
            };
        }
        let Some(kind) = ExchangeKind::parse(kind) else {
            return Err(AmqpError::command_invalid(format!("unknown exchange type '{kind}'")));
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
