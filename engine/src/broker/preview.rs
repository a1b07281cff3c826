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
    /// it would be unroutable (or the exchange does not exist), written in `out` (emptied
    /// first: the caller's list, used again for each message). Nothing changes in the broker.
    pub fn preview_route(
        &mut self,
        exchange: &Name,
        routing_key: &Name,
        properties: &Rc<Properties>,
        out: &mut Vec<(Name, Dest)>,
    ) {
        out.clear();
        if exchange.is_empty() && properties.headers.is_none() {
            // the default exchange, one key: the queue it names (a direct reply-to key is none)
            if !routing_key.starts_with(REPLY_TO_PREFIX) && self.queues.contains_key(routing_key) {
                out.push((exchange.clone(), Dest::Queue(routing_key.clone())));
            }
            return;
        }
        let mut keys: Vec<Name> = vec![routing_key.clone()];
        if let Some(h) = &properties.headers {
            for hk in ["CC", "BCC"] {
                if let Some(FieldValue::Array(a)) = h.get(hk) {
                    keys.extend(a.iter().filter_map(|v| v.as_str()).map(Name::from));
                }
            }
        }
        let first = self.events.len();
        if exchange.is_empty() {
            // the default exchange: a queue named by a key (a direct reply-to key is no queue)
            keys.sort();
            keys.dedup();
            out.extend(
                keys.into_iter()
                    .filter(|k| !k.starts_with(REPLY_TO_PREFIX) && self.queues.contains_key(k))
                    .map(|k| (exchange.clone(), Dest::Queue(k))),
            );
            return;
        }
        if let Some(x) = self.exchanges.get(exchange) {
            let msg = Rc::new(Message {
                id: MsgId(0),
                exchange: exchange.clone(),
                routing_keys: keys.into(),
                properties: properties.clone(),
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
        out.extend(self.events.drain(first..).filter_map(|e| match e.kind {
            EventKind::Routed { from, to, .. } => Some((from, to)),
            _ => None,
        }));
    }
}
