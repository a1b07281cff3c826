//! The diagram view-model: what the canvas shows, as plain data computed from the engine's state.
//! No rendering here (Yew components draw it), so all of it is tested natively.
//!
//! Nodes stand in four kinds of columns, left to right: producers (connections that published),
//! exchanges (an exchange bound to another stands one column further right), queues and consumers.
//! Within a column, nodes are ordered to cross few edges (a few barycenter sweeps), deterministically.

use warren_engine::exchange::Dest;
use warren_engine::names::VecMap;
use warren_engine::Broker;

/// What a node is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Producer,
    /// An exchange and its kind (`direct`, `fanout`, `topic`, `headers`).
    Exchange(&'static str),
    Queue,
    Consumer,
}

/// One node on the canvas, with the state RabbitMQ would report for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Stable id: `p:conn`, `x:name`, `q:name`, `c:conn/ch/tag`.
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    /// `messages_ready` for a queue.
    pub ready: u64,
    /// `messages_unacknowledged` for a queue, unacked deliveries for a consumer.
    pub unacked: u64,
    /// A consumer's prefetch window (0 = unlimited).
    pub prefetch: u16,
    pub column: usize,
    pub x: f32,
    pub y: f32,
}

/// An edge: a binding (with its key), a publisher's exchange, or a queue's consumer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: String,
}

/// Spacing of the layout, in canvas units.
pub const COLUMN_WIDTH: f32 = 220.0;
pub const ROW_HEIGHT: f32 = 110.0;
/// Room above the first row (for consumer labels).
pub const TOP: f32 = 24.0;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagram {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl Diagram {
    /// The diagram of a broker's current state. `publishers` are (producer name, exchange) pairs
    /// the scenario published through; the default exchange is left out unless `show_default`.
    pub fn of(broker: &Broker, publishers: &[(String, String)], show_default: bool) -> Diagram {
        let mut d = Diagram::default();
        let shown = |x: &str| show_default || !x.is_empty();
        for x in broker
            .exchanges()
            .filter(|x| shown(&x.name) && (!x.name.starts_with("amq.") || !x.bindings.is_empty()))
        {
            let label = if x.name.is_empty() {
                "(default)".to_string()
            } else {
                x.name.to_string()
            };
            d.nodes.push(Node::new(
                format!("x:{}", x.name),
                NodeKind::Exchange(x.kind.name()),
                label,
            ));
            for b in &x.bindings {
                let to = match &b.dest {
                    Dest::Queue(q) => format!("q:{q}"),
                    Dest::Exchange(e) => format!("x:{e}"),
                };
                d.edges.push(Edge {
                    from: format!("x:{}", x.name),
                    to,
                    label: b.key.to_string(),
                });
            }
        }
        for q in broker.queues() {
            let mut n = Node::new(format!("q:{}", q.name), NodeKind::Queue, q.name.to_string());
            n.ready = q.len();
            n.unacked = q.unacked;
            d.nodes.push(n);
            if show_default {
                d.edges.push(Edge {
                    from: "x:".into(),
                    to: format!("q:{}", q.name),
                    label: q.name.to_string(),
                });
            }
        }
        for (conn, c) in broker.connections() {
            for (ch, chan) in &c.channels {
                for (tag, cons) in &chan.consumers {
                    let id = format!("c:{}/{ch}/{tag}", conn.0);
                    let mut n = Node::new(id.clone(), NodeKind::Consumer, tag.to_string());
                    n.unacked = cons.unacked as u64;
                    n.prefetch = cons.prefetch;
                    d.nodes.push(n);
                    d.edges.push(Edge {
                        from: format!("q:{}", cons.queue),
                        to: id,
                        label: String::new(),
                    });
                }
            }
        }
        for (p, x) in publishers {
            let id = format!("p:{p}");
            if !d.nodes.iter().any(|n| n.id == id) {
                d.nodes.push(Node::new(id.clone(), NodeKind::Producer, p.clone()));
            }
            let to = format!("x:{x}");
            if d.nodes.iter().any(|n| n.id == to) && !d.edges.iter().any(|e| e.from == id && e.to == to) {
                d.edges.push(Edge {
                    from: id,
                    to,
                    label: String::new(),
                });
            }
        }
        d.layout();
        d
    }

    /// Assign columns and positions (see the module doc).
    pub fn layout(&mut self) {
        // exchanges: one column further right than any exchange that feeds them (cycles stop)
        let mut depth: VecMap<String, usize> = VecMap::new();
        for _ in 0..self.nodes.len() {
            let mut changed = false;
            for e in &self.edges {
                if e.from.starts_with("x:") && e.to.starts_with("x:") {
                    let d = depth.get(&e.from).copied().unwrap_or(0) + 1;
                    if d < self.nodes.len() && depth.get(&e.to).copied().unwrap_or(0) < d {
                        depth.insert(e.to.clone(), d);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let max_x = depth.values().copied().max().unwrap_or(0);
        for n in &mut self.nodes {
            n.column = match n.kind {
                NodeKind::Producer => 0,
                NodeKind::Exchange(_) => 1 + depth.get(&n.id).copied().unwrap_or(0),
                NodeKind::Queue => 2 + max_x,
                NodeKind::Consumer => 3 + max_x,
            };
        }
        // order within columns: start by id, then barycenter sweeps left-to-right and back
        let mut order: VecMap<String, f32> = VecMap::new();
        let columns = self.nodes.iter().map(|n| n.column).max().map_or(0, |m| m + 1);
        let mut by_col: Vec<Vec<usize>> = vec![Vec::new(); columns];
        for (i, n) in self.nodes.iter().enumerate() {
            by_col[n.column].push(i);
        }
        for col in &by_col {
            for (rank, &i) in col.iter().enumerate() {
                order.insert(self.nodes[i].id.clone(), rank as f32);
            }
        }
        for sweep in 0..4 {
            let cols: Vec<usize> = if sweep % 2 == 0 {
                (1..columns).collect()
            } else {
                (0..columns.saturating_sub(1)).rev().collect()
            };
            for c in cols {
                let mut keyed: Vec<(f32, f32, usize)> = by_col[c]
                    .iter()
                    .map(|&i| {
                        let id = &self.nodes[i].id;
                        let neighbours: Vec<f32> = self
                            .edges
                            .iter()
                            .filter_map(|e| {
                                if &e.to == id {
                                    order.get(&e.from).copied()
                                } else if &e.from == id {
                                    order.get(&e.to).copied()
                                } else {
                                    None
                                }
                            })
                            .collect();
                        let own = order[id];
                        let bary = if neighbours.is_empty() {
                            own
                        } else {
                            neighbours.iter().sum::<f32>() / neighbours.len() as f32
                        };
                        (bary, own, i)
                    })
                    .collect();
                warren_engine::sort::sort_by(&mut keyed, |a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
                by_col[c] = keyed.iter().map(|k| k.2).collect();
                for (rank, &i) in by_col[c].iter().enumerate() {
                    order.insert(self.nodes[i].id.clone(), rank as f32);
                }
            }
        }
        let tallest = by_col.iter().map(Vec::len).max().unwrap_or(0) as f32;
        for col in &by_col {
            let offset = (tallest - col.len() as f32) * ROW_HEIGHT / 2.0;
            for (rank, &i) in col.iter().enumerate() {
                let n = &mut self.nodes[i];
                n.x = n.column as f32 * COLUMN_WIDTH + COLUMN_WIDTH / 2.0;
                n.y = TOP + offset + rank as f32 * ROW_HEIGHT + ROW_HEIGHT / 2.0;
            }
        }
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Edges whose straight lines cross (between the same pair of adjacent columns).
    pub fn crossings(&self) -> usize {
        let seg = |e: &Edge| Some((self.node(&e.from)?, self.node(&e.to)?));
        let segs: Vec<_> = self.edges.iter().filter_map(seg).collect();
        let mut n = 0;
        for (i, (a1, b1)) in segs.iter().enumerate() {
            for (a2, b2) in &segs[i + 1..] {
                if a1.column == a2.column && b1.column == b2.column && (a1.y - a2.y) * (b1.y - b2.y) < 0.0 {
                    n += 1;
                }
            }
        }
        n
    }

    /// The canvas size that holds every node.
    pub fn size(&self) -> (f32, f32) {
        let w = self.nodes.iter().map(|n| n.x).fold(0.0, f32::max) + COLUMN_WIDTH / 2.0;
        let h = self.nodes.iter().map(|n| n.y).fold(0.0, f32::max) + ROW_HEIGHT / 2.0 + TOP;
        (w, h)
    }
}

impl Node {
    /// A node at the origin with no counts.
    pub fn new(id: String, kind: NodeKind, label: String) -> Node {
        Node {
            id,
            kind,
            label,
            ready: 0,
            unacked: 0,
            prefetch: 0,
            column: 0,
            x: 0.0,
            y: 0.0,
        }
    }
}
