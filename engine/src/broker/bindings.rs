//! Bindings (semantics §2.6, §2.7): `queue.bind`, `exchange.bind` and their unbinds, with the
//! permissions they need (write on the destination, read on the source) and the default
//! exchange's refusal.

use super::*;

impl Broker {
    pub(super) fn bind(
        &mut self,
        conn: ConnId,
        ch: u16,
        source: &str,
        dest: Dest,
        key: &str,
        args: FieldTable,
    ) -> R<()> {
        let source = strip_crlf(source);
        self.check_binding(conn, ch, &source, &dest)?;
        self.note_log_exchange(&source);
        if let Dest::Exchange(d) = &dest {
            self.note_log_exchange(d);
        }
        let Some(x) = self.exchanges.get(source.as_str()) else {
            return Err(AmqpError::no_exchange(&source, &self.vhost));
        };
        match &dest {
            Dest::Exchange(d) => {
                if !self.exchanges.contains_key(d) {
                    return Err(AmqpError::no_exchange(d, &self.vhost));
                }
            }
            Dest::Queue(q) => {
                if !self.queues.contains_key(q) {
                    return Err(AmqpError::no_queue(q, &self.vhost));
                }
            }
        }
        if x.kind == ExchangeKind::Headers {
            headers::validate(&args)?;
        }
        if let Dest::Queue(q) = &dest {
            self.check_exclusive(conn, q)?;
        }
        // the binding holds the very name the broker keys the destination by (see `NameMap`)
        let dest = match dest {
            Dest::Queue(q) => Dest::Queue(self.queues.get_key_value(&q).expect("checked").0.clone()),
            Dest::Exchange(x) => Dest::Exchange(self.exchanges.get_key_value(&x).expect("checked").0.clone()),
        };
        let src: Name = source.as_str().into();
        let b = Binding {
            dest: dest.clone(),
            key: key.into(),
            args,
        };
        let x = self.exchanges.get_mut(source.as_str()).expect("checked");
        if x.bind(b.clone()) {
            self.incoming
                .entry(dest.clone())
                .or_default()
                .insert((src.clone(), b.clone()));
            self.emit(EventKind::Bound {
                source: src,
                dest,
                key: b.key,
                arguments: b.args,
            });
        }
        Ok(())
    }

    /// rabbit_channel's binding_action: write on the destination, neither end the default
    /// exchange, read on the source; existence is checked after.
    pub(super) fn check_binding(&mut self, conn: ConnId, ch: u16, source: &str, dest: &Dest) -> R<()> {
        match dest {
            Dest::Queue(q) => self.check(conn, ch, Perm::Write, true, q)?,
            Dest::Exchange(d) => self.check(conn, ch, Perm::Write, false, d)?,
        }
        if source.is_empty() || matches!(dest, Dest::Exchange(d) if d.is_empty()) {
            return Err(AmqpError::default_exchange());
        }
        self.check(conn, ch, Perm::Read, false, source)
    }

    pub(super) fn unbind(
        &mut self,
        conn: ConnId,
        ch: u16,
        source: &str,
        dest: Dest,
        key: &str,
        args: FieldTable,
    ) -> R<()> {
        let source = strip_crlf(source);
        self.check_binding(conn, ch, &source, &dest)?;
        let src: Name = source.as_str().into();
        let b = Binding {
            dest: dest.clone(),
            key: key.into(),
            args,
        };
        let exists = self.exchanges.get(&src).is_some_and(|x| x.bindings.contains(&b));
        if !exists {
            return Ok(()); // 3.10: unbinding what is not bound succeeds (semantics §2.7)
        }
        if let Dest::Queue(q) = &dest {
            self.check_exclusive(conn, q)?;
        }
        self.exchanges.get_mut(&src).expect("exists").unbind(&b);
        if let Some(set) = self.incoming.get_mut(&dest) {
            set.remove(&(src.clone(), b.clone()));
            if set.is_empty() {
                self.incoming.remove(&dest);
            }
        }
        self.emit(EventKind::Unbound {
            source: src.clone(),
            dest,
            key: b.key,
            arguments: b.args,
        });
        self.maybe_auto_delete_exchange(&src);
        Ok(())
    }
}
