//! What the canvas draws of a run of terminals: the exchanges, queues and bindings the broker
//! holds (what the scripts declared and bound), and one client per terminal, laid out as the
//! Tidy layout lays a design out.

use super::{route, Terminals};
use crate::design::files::{add_node, broker_nodes};
use crate::design::{Consumer, Design, Kind, Link, Producer, Spec};
use crate::sim::Live;
use warren_engine::names::VecMap;

/// The most places one script's publishes are drawn going to.
const TARGETS: usize = 16;

/// What a script did, that says how the canvas draws it.
#[derive(Clone, Debug, Default)]
pub(super) struct Role {
    /// The run's place (events read) when it first published, and first got a delivery.
    pub published: Option<usize>,
    pub delivered: Option<usize>,
    /// It consumed or got from a queue.
    pub consumes: bool,
    /// Where it published to: (exchange, routing key).
    pub targets: Vec<(String, String)>,
}

impl Role {
    /// Drawn as a consumer (on the right): it consumes, and publishes only after it got a
    /// delivery (an RPC server's replies). Else as a producer (on the left): an RPC client
    /// reads its replies, but calls first.
    fn consumer(&self) -> bool {
        self.consumes
            && match (self.published, self.delivered) {
                (None, _) => true,
                (Some(p), Some(d)) => d < p,
                (Some(_), None) => false,
            }
    }

    pub(super) fn published_to(&mut self, exchange: &str, key: &str) {
        if self.targets.len() < TARGETS && !self.targets.iter().any(|(x, k)| x == exchange && k == key) {
            self.targets.push((exchange.to_string(), key.to_string()));
        }
    }
}

/// The canvas name of terminal `k`'s client (its first connection's name).
pub fn node_name(k: usize) -> String {
    route::conn_name(k, 0)
}

/// The canvas name of the terminal's client connection `conn` belongs to (`t1.2`: `t1`), if it
/// is a terminal's.
pub fn client_node(conn: &str) -> Option<String> {
    route::terminal_of(conn).map(node_name)
}

impl Terminals {
    /// The design the canvas draws for this run now: `base`'s name, version and users, the
    /// broker's exchanges, queues and bindings, and a client for each terminal whose command was
    /// typed (linked to where it publishes and the queues it consumes), tidied.
    pub fn design(&self, live: &Live, base: &Design) -> Design {
        let mut d = Design {
            name: base.name.clone(),
            seed: base.seed,
            rabbitmq: base.rabbitmq,
            show_default: false,
            users: base.users.clone(),
            ..Design::default()
        };
        let r = live.runner();
        let ids = broker_nodes(r, &mut d);
        for (k, term) in self.terminals.iter().enumerate() {
            if term.started_at.is_none() {
                continue;
            }
            let name = node_name(k);
            let role = &term.role;
            let id = if role.consumer() {
                // its prefetch window and acks as its first consumer has them
                let first = term
                    .conns
                    .iter()
                    .filter_map(|c| r.broker().connection(r.conn_id(c)?))
                    .flat_map(|c| c.channels.values())
                    .flat_map(|ch| ch.consumers.values())
                    .next();
                let spec = match first {
                    Some(c) => Consumer {
                        prefetch: c.prefetch,
                        auto_ack: c.no_ack,
                        ..Consumer::default()
                    },
                    None => Consumer::default(),
                };
                add_node(&mut d, &name, Spec::Consumer(spec))
            } else {
                add_node(&mut d, &name, Spec::Producer(Producer::default()))
            };
            let link = |d: &mut Design, from, to| {
                if !d.links.iter().any(|l| l.from == from && l.to == to) {
                    d.links.push(Link {
                        from,
                        to,
                        key: String::new(),
                        arguments: VecMap::new(),
                    });
                }
            };
            for (x, key) in &role.targets {
                let to = match x.is_empty() {
                    true => ids.get(&(Kind::Queue, key.clone())),
                    false => ids.get(&(Kind::Exchange, x.clone())),
                };
                if let Some(&to) = to {
                    link(&mut d, id, to);
                }
            }
            for conn in &term.conns {
                let Some(c) = r.conn_id(conn) else { continue };
                let Some(connection) = r.broker().connection(c) else {
                    continue;
                };
                for chan in connection.channels.values() {
                    for cons in chan.consumers.values() {
                        if let Some(&q) = ids.get(&(Kind::Queue, cons.queue.to_string())) {
                            link(&mut d, q, id);
                        }
                    }
                }
            }
        }
        d.tidy();
        d
    }
}
