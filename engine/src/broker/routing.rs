//! Routing (semantics §2.7, §2.8, §10): through the exchange graph (exchange-to-exchange
//! bindings, alternate exchanges) to the queues that get a copy, each once.

use super::*;

/// What routing through the exchange graph reads and writes: borrowed apart from the rest of
/// the broker, so a publish routes from the exchange it has already looked up.
pub(super) struct Graph<'a> {
    pub(super) exchanges: &'a NameMap<Exchange>,
    pub(super) queues: &'a NameMap<Queue>,
    pub(super) events: &'a mut Vec<Event>,
    pub(super) scratch: &'a mut (Vec<Name>, Vec<Name>, Vec<Dest>),
    pub(super) now: u64,
}

impl Graph<'_> {
    /// The queues a message published to `x` reaches (semantics §2.7, §2.8, §10), sorted and
    /// each once, in `out` (emptied first). Emits a `Routed` event per hop.
    pub(super) fn route(self, x: &Exchange, msg: &Rc<Message>, mut out: Vec<Name>) -> Vec<Name> {
        out.clear();
        let headers = msg.properties.headers.as_ref();
        // The common case first: an exchange whose matches are all queues, one hop.
        let exchange = &x.name;
        let mut dests = std::mem::take(&mut self.scratch.2);
        dests.clear();
        x.route(&msg.routing_keys, headers, &mut dests);
        if !dests.is_empty() && dests.iter().all(|d| matches!(d, Dest::Queue(_))) {
            if dests.len() > 1 {
                crate::sort::heapsort(&mut dests);
                dests.dedup();
            }
            for d in dests.drain(..) {
                let Dest::Queue(q) = d else {
                    continue;
                };
                // a binding's queue exists: deleting a queue removes the bindings to it
                debug_assert!(self.queues.contains_key(&q), "binding to a missing queue");
                out.push(q.clone());
                routed(self.events, self.now, msg.id, exchange, Dest::Queue(q), false);
            }
            self.scratch.2 = dests;
            return out;
        }
        // `dests` holds the first exchange's matches already: the walk starts from them
        let (mut visited, mut work, _) = std::mem::take(self.scratch);
        visited.clear();
        work.clear();
        visited.push(exchange.clone());
        let mut first = Some(x);
        loop {
            let (xn, x) = match first.take() {
                Some(x) => (exchange.clone(), x),
                None => {
                    let Some(xn) = work.pop() else {
                        break;
                    };
                    let Some(x) = self.exchanges.get(&xn) else {
                        continue;
                    };
                    dests.clear();
                    x.route(&msg.routing_keys, headers, &mut dests);
                    (xn, x)
                }
            };
            if dests.len() > 1 {
                crate::sort::heapsort(&mut dests);
                dests.dedup();
            }
            if dests.is_empty() {
                if let Some(ae) = x.alternate() {
                    if self.exchanges.contains_key(ae) && !visited.iter().any(|v| &**v == ae) {
                        let ae: Name = self.exchanges.get_key_value(ae).expect("checked").0.clone();
                        routed(self.events, self.now, msg.id, &xn, Dest::Exchange(ae.clone()), true);
                        visited.push(ae.clone());
                        work.push(ae);
                    }
                }
                continue;
            }
            for d in dests.drain(..) {
                routed(self.events, self.now, msg.id, &xn, d.clone(), false);
                match d {
                    Dest::Queue(q) => out.push(q),
                    Dest::Exchange(e) => {
                        if !visited.contains(&e) {
                            visited.push(e.clone());
                            work.push(e);
                        }
                    }
                }
            }
        }
        if out.len() > 1 {
            crate::sort::heapsort(&mut out);
            out.dedup();
        }
        debug_assert!(
            out.iter().all(|q| self.queues.contains_key(q)),
            "binding to a missing queue"
        );
        visited.clear();
        *self.scratch = (visited, work, dests);
        out
    }
}

/// The routing keys and properties of a new message, shared with the last message published
/// when they are the same.
pub(super) fn share(
    last_shared: &mut Option<(Rc<[Name]>, Rc<Properties>)>,
    key: Name,
    cc: Vec<Name>,
    props: Rc<Properties>,
) -> (Rc<[Name]>, Rc<Properties>) {
    let last = last_shared.take();
    let keys = match &last {
        // `Name` equality compares addresses
        Some((k, _)) if cc.is_empty() && k.len() == 1 && k[0] == key => k.clone(),
        _ => std::iter::once(key).chain(cc).collect(),
    };
    let props = match last {
        Some((_, p)) if Rc::ptr_eq(&p, &props) || *p == *props => p,
        _ => props,
    };
    *last_shared = Some((keys.clone(), props.clone()));
    (keys, props)
}

impl Broker {
    /// Route through the exchange graph (semantics §2.7, §2.8, §10): the queues that get a copy,
    /// sorted and each once. Emits a `Routed` event per hop.
    pub(super) fn route(&mut self, exchange: &Name, msg: &Rc<Message>) -> Vec<Name> {
        let mut out = std::mem::take(&mut self.routed);
        out.clear();
        if exchange.is_empty() {
            let mut keys: Vec<&Name> = msg.routing_keys.iter().collect();
            crate::sort::heapsort(&mut keys);
            keys.dedup();
            for k in keys {
                if k.starts_with(REPLY_TO_PREFIX) {
                    self.deliver_reply(k, msg);
                } else if self.queues.contains_key(k) {
                    routed(
                        &mut self.events,
                        self.now,
                        msg.id,
                        exchange,
                        Dest::Queue(k.clone()),
                        false,
                    );
                    out.push(k.clone());
                }
            }
            return out;
        }
        let Some(x) = self.exchanges.get(exchange) else {
            return out;
        };
        graph!(self).route(x, msg, out)
    }

    /// Give back the list [`Broker::route`] returned, for the next routing.
    #[inline(always)]
    pub(super) fn recycle(&mut self, mut queues: Vec<Name>) {
        queues.clear();
        self.routed = queues;
    }
}
