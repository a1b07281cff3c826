//! Where a message published now would go, without publishing it: the hops routing would take
//! (what a publish's `Routed` events would say), for a client whose publish is still on its way
//! to the broker. The page draws the message along them while it travels; the broker routes it
//! for real when it arrives (the same rules: [`Graph::route`], the default exchange's queues).

use super::{Broker, Graph, REPLY_TO_PREFIX};
use crate::event::EventKind;
use crate::exchange::Dest;
use crate::field::FieldValue;
use crate::message::{Message, MsgId, Name, Properties};
use std::rc::Rc;

impl Broker {
    /// The hops (from an exchange, to a queue or exchange) a message published now to
    /// `exchange` with `routing_key` and `properties` would take, in routing order; empty when
    /// it would be unroutable (or the exchange does not exist). Nothing changes in the broker.
    pub fn preview_route(&mut self, exchange: &str, routing_key: &str, properties: &Properties) -> Vec<(Name, Dest)> {
        let mut keys: Vec<Name> = vec![Name::from(routing_key)];
        if let Some(h) = &properties.headers {
            for hk in ["CC", "BCC"] {
                if let Some(FieldValue::Array(a)) = h.get(hk) {
                    keys.extend(a.iter().filter_map(|v| v.as_str()).map(Name::from));
                }
            }
        }
        let first = self.events.len();
        let xname = Name::from(exchange);
        if exchange.is_empty() {
            // the default exchange: a queue named by a key (a direct reply-to key is no queue)
            keys.sort();
            keys.dedup();
            for k in keys.iter().filter(|k| !k.starts_with(REPLY_TO_PREFIX)) {
                if self.queues.contains_key(k) {
                    super::routed(
                        &mut self.events,
                        self.now,
                        MsgId(0),
                        &xname,
                        Dest::Queue(k.clone()),
                        false,
                    );
                }
            }
        } else if let Some(x) = self.exchanges.get(exchange) {
            let msg = Rc::new(Message {
                id: MsgId(0),
                exchange: xname.clone(),
                routing_keys: keys.into(),
                properties: Rc::new(properties.clone()),
                body: Box::default(),
            });
            let out = std::mem::take(&mut self.routed);
            let graph = Graph {
                exchanges: &self.exchanges,
                queues: &self.queues,
                events: &mut self.events,
                scratch: &mut self.scratch,
                now: self.now,
            };
            let out = graph.route(x, &msg, out);
            self.recycle(out);
        }
        self.events
            .drain(first..)
            .filter_map(|e| match e.kind {
                EventKind::Routed { from, to, .. } => Some((from, to)),
                _ => None,
            })
            .collect()
    }
}
