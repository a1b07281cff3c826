//! The canvas's links and bindings (and the implied ways: dead letters, RPC replies), with what the broker has lost drawn as lost.

use super::*;

impl App {
    /// The links, drawn anew only when the design, the dragged node or the selected link
    /// changes (not when counts do): kept in `edges_cache`, and a component of their own that
    /// the page's other renders pass over without comparing its 500 links one by one.
    /// The links that stand for a binding (exchange to queue or exchange) the broker does not
    /// have at the instant shown.
    pub(super) fn lost_bindings(&self) -> Vec<usize> {
        let d = &self.hist.design;
        let tally = self.live.timeline.tally();
        d.links
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                let (Some(a), Some(b)) = (d.node(l.from), d.node(l.to)) else {
                    return false;
                };
                if a.kind() != Kind::Exchange || !matches!(b.kind(), Kind::Queue | Kind::Exchange) {
                    return false;
                }
                let dest = if b.kind() == Kind::Queue {
                    self.live.real_queue(&b.name)
                } else {
                    b.name.clone()
                };
                !tally.bound(&a.name, &dest, &l.key)
            })
            .map(|(i, _)| i)
            .collect()
    }

    pub(super) fn edges_view(&self) -> EdgesProps {
        let d = &self.hist.design;
        let gone = self.lost_bindings();
        let key = EdgesKey {
            design_gen: self.design_gen,
            dragged: self.dragged_key(),
            sel: match self.sel {
                Sel::Link(i) => Some(i),
                _ => None,
            },
            gone,
        };
        let version = match &*self.edges_cache.borrow() {
            Some((k, props)) if *k == key => return props.clone(),
            Some((_, props)) => props.version + 1,
            None => 0,
        };
        let pos = |n: &Node| self.shown_at(n);
        let mut by_id: Vec<(Id, &Node)> = d.nodes.iter().map(|n| (n.id, n)).collect();
        warren_engine::sort::sort_by_key(&mut by_id, |e| e.0);
        let node = |id: Id| by_id.binary_search_by_key(&id, |e| e.0).ok().map(|i| by_id[i].1);
        let at = |id: Id| node(id).map(pos);
        let mut edges = Vec::new();
        let mut labels = Vec::new();
        let mut parallel: warren_engine::names::VecMap<(Id, Id), f32> = warren_engine::names::VecMap::new();
        for (i, l) in d.links.iter().enumerate() {
            let (Some((x0, y0)), Some((x1, y1)), Some(a), Some(b)) = (at(l.from), at(l.to), node(l.from), node(l.to))
            else {
                continue;
            };
            // a producer linked to a queue publishes through the default exchange
            let (x0, y0) = if d.show_default && a.kind() == Kind::Producer && b.kind() == Kind::Queue {
                default_exchange_at(d)
            } else {
                (x0, y0)
            };
            // its label halfway along what shows of it, between the two shapes
            let a_kind = if (x0, y0) == pos(a) { a.kind() } else { Kind::Exchange };
            let (sx, sy) = to_border(x1, y1, x0, y0, a_kind);
            let (x1, y1) = to_border(x0, y0, x1, y1, b.kind());
            let label_at = ((sx + x1) / 2.0, (sy + y1) / 2.0);
            // several bindings between the same two nodes: their labels stack
            let nth = parallel.entry((l.from, l.to)).or_default();
            let label = if !l.arguments.is_empty() {
                l.arguments
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                l.key.clone()
            };
            let gone = key.gone.contains(&i);
            let e = EdgeProps {
                index: i,
                line: (x0, y0, x1, y1),
                label_at,
                gone,
                aria: format!(
                    "link {} to {}{}{}",
                    a.name,
                    b.name,
                    if label.is_empty() {
                        String::new()
                    } else {
                        format!(" with key {label}")
                    },
                    if gone { ", not on the broker" } else { "" }
                ),
                label: label.into(),
                selected: self.sel == Sel::Link(i),
                onselect: self.select_link.clone(),
            };
            if !e.label.is_empty() {
                // above the nodes (drawn after them), a line higher for each binding before it
                let (lx, ly) = e.label_at;
                labels.push(html! {
                    <text class={classes!("edge-label", gone.then_some("gone"))} x={coord(lx)} y={coord(ly)}
                        dy={format!("-{}em", short(0.45 + 1.2 * *nth as f64, 2))}>{ e.label.clone() }</text>
                });
            }
            *nth += 1.0;
            edges.push(html! { <EdgeView ..e /> });
        }
        if d.show_default {
            let (dx, dy) = default_exchange_at(d);
            // a producer linked to a queue publishes to the default exchange: that leg too
            for p in d.nodes.iter().filter(|n| n.kind() == Kind::Producer) {
                if d.producer_target(p.id).is_some_and(|t| t.0.is_empty()) {
                    let (px, py) = pos(p);
                    let (dx, dy) = to_border(px, py, dx, dy, Kind::Exchange);
                    edges.push(html! {
                        <g class="edge implicit" aria-label={format!("{} publishes to the default exchange", p.name)}>
                            <line x1={coord(px)} y1={coord(py)} x2={coord(dx)} y2={coord(dy)} />
                        </g>
                    });
                }
            }
            for q in d.nodes.iter().filter(|n| n.kind() == Kind::Queue) {
                let (qx, qy) = pos(q);
                let (qx, qy) = to_border(dx, dy, qx, qy, Kind::Queue);
                edges.push(html! {
                    <g class="edge implicit" aria-label={format!("implicit binding of queue {} with key {}", q.name, q.name)}>
                        <line x1={coord(dx)} y1={coord(dy)} x2={coord(qx)} y2={coord(qy)} />
                    </g>
                });
            }
        }
        // the ways with no link: dead letters and RPC replies, dashed
        for (from, to, kind) in d.implied_paths() {
            let (Some((x0, y0)), Some((x1, y1)), Some(a), Some(b)) = (at(from), at(to), node(from), node(to)) else {
                continue;
            };
            let (class, aria) = match kind {
                warren_model::design::Implied::DeadLetter => {
                    ("dead-letter", format!("dead letters of {} go to {}", a.name, b.name))
                }
                warren_model::design::Implied::Reply => ("reply", format!("{} replies to {}", a.name, b.name)),
                warren_model::design::Implied::ReadsReplies => {
                    ("reply", format!("{} reads its replies from {}", b.name, a.name))
                }
            };
            let (x1, y1) = to_border(x0, y0, x1, y1, b.kind());
            edges.push(html! {
                <g class={classes!("edge", "implied", class)} aria-label={aria}>
                    <line x1={coord(x0)} y1={coord(y0)} x2={coord(x1)} y2={coord(y1)} />
                </g>
            });
        }
        let props = EdgesProps {
            version,
            edges: edges.into_iter().collect(),
            labels: labels.into_iter().collect(),
        };
        *self.edges_cache.borrow_mut() = Some((key, props.clone()));
        props
    }
}

/// What the links are drawn from (see [`App::edges_view`]).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct EdgesKey {
    design_gen: u64,
    /// A node being dragged: its id and where it is.
    dragged: Option<(Id, u32, u32)>,
    /// The selected link.
    sel: Option<usize>,
    /// The links whose binding the broker does not have at the instant shown.
    gone: Vec<usize>,
}

/// All the links, as [`App::edges_view`] drew them: `version` tells one drawing from another.
#[derive(Properties, Clone)]
pub struct EdgesProps {
    pub version: u64,
    pub edges: Html,
    /// Their binding keys (drawn over the nodes).
    pub labels: Html,
}

impl PartialEq for EdgesProps {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

#[function_component(Edges)]
pub(super) fn edges(p: &EdgesProps) -> Html {
    p.edges.clone()
}

#[function_component(EdgeLabels)]
pub(super) fn edge_labels(p: &EdgesProps) -> Html {
    p.labels.clone()
}

#[derive(Properties, Clone, PartialEq)]
pub struct EdgeProps {
    pub index: usize,
    pub line: (f32, f32, f32, f32),
    /// Where its label is centred (drawn by [`EdgeLabels`]).
    pub label_at: (f32, f32),
    pub label: AttrValue,
    pub aria: String,
    pub selected: bool,
    /// A binding the broker does not have (lost in a restart, say).
    pub gone: bool,
    pub onselect: Callback<usize>,
}

/// One link, selectable (a wide invisible line takes the clicks).
#[function_component(EdgeView)]
pub(super) fn edge_view(p: &EdgeProps) -> Html {
    let (x0, y0, x1, y1) = p.line;
    let (i, cb) = (p.index, p.onselect.clone());
    let key_cb = cb.clone();
    let onkeydown = move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            key_cb.emit(i);
        }
    };
    html! {
        <g class={classes!("edge", p.selected.then_some("selected"), p.gone.then_some("gone"))} role="button" tabindex="0"
            aria-label={p.aria.clone()} onclick={move |_| cb.emit(i)} {onkeydown}
            onpointerdown={|e: PointerEvent| e.stop_propagation()}>
            <line class="hitline" x1={coord(x0)} y1={coord(y0)} x2={coord(x1)} y2={coord(y1)} />
            <line x1={coord(x0)} y1={coord(y0)} x2={coord(x1)} y2={coord(y1)} />
        </g>
    }
}
