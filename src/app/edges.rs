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
            present: self.present,
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
            let size = if self.present { 15.0 * 1.08 } else { 11.0 };
            let label_at = label_point((sx, sy), (x1, y1), warren_model::label::width_em(&label) * size);
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
                // above the nodes (drawn after them), beside its own line: see [`label_side`]
                let (lx, ly) = e.label_at;
                let (anchor, dx, dy) = label_side(x1 - sx, y1 - sy, *nth as f64);
                labels.push(html! {
                    <text class={classes!("edge-label", gone.then_some("gone"))} x={coord(lx)} y={coord(ly)}
                        text-anchor={anchor} dx={dx} dy={dy}>{ e.label.clone() }</text>
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
    /// Presenting (larger labels).
    present: bool,
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

/// Where a link's label sits beside its line (the line from the label's point going `dx`, `dy`;
/// `nth`: how many bindings between the same two nodes were labelled before it): on the side away
/// from the links that fan out beside it, so each key is read on its own edge. A line going up
/// has its keys above it, one going down below it, each further binding a line further out; a
/// steep line has them to its right. Returns the text's anchor and its `dx` and `dy`.
pub(super) fn label_side(dx: f32, dy: f32, nth: f64) -> (&'static str, &'static str, String) {
    let em = |v: f64| format!("{}em", short(v, 2));
    if steep(dx, dy) {
        ("start", "0.6em", em(0.35 + 1.2 * nth))
    } else if dy > 0.05 * dx.abs() {
        ("middle", "0", em(1.15 + 1.2 * nth))
    } else {
        ("middle", "0", em(-(0.45 + 1.2 * nth)))
    }
}

/// A line going up or down more than one and a half times as far as across: its labels sit
/// beside it, not above or below.
fn steep(dx: f32, dy: f32) -> bool {
    dy.abs() > 1.5 * dx.abs()
}

/// Where a link's label is centred on its line from `s` to `e` (the shapes' borders), for a
/// label `width` wide: halfway, or nearer the start when the label would otherwise reach over
/// the arrowhead (on a short line, a long key), but not nearer than a fifth of the way.
pub(super) fn label_point(s: (f32, f32), e: (f32, f32), width: f32) -> (f32, f32) {
    let (dx, dy) = (e.0 - s.0, e.1 - s.1);
    let mut t = 0.5;
    if !steep(dx, dy) && dx.abs() > 1.0 {
        // the label's end stays an arrowhead and a gap (22) short of the end
        let room = dx.abs() - 22.0 - width / 2.0;
        t = (room / dx.abs()).clamp(0.2, 0.5);
    }
    (s.0 + t * dx, s.1 + t * dy)
}

#[cfg(test)]
mod tests {
    use super::{label_point, label_side};

    #[test]
    fn a_long_key_on_a_short_line_keeps_clear_of_the_arrowhead() {
        // room enough: halfway
        assert_eq!(label_point((0.0, 0.0), (200.0, 40.0), 60.0), (100.0, 20.0));
        // 100 long, a key 90 wide: its end 16 short of the arrowhead
        let (x, y) = label_point((0.0, 0.0), (100.0, -20.0), 90.0);
        assert_eq!(x + 45.0, 100.0 - 22.0);
        assert!((y + 20.0 * x / 100.0).abs() < 1e-3, "on the line");
        // leftwards the same, and never nearer the start than a fifth
        assert_eq!(label_point((0.0, 0.0), (-100.0, 0.0), 90.0).0, -33.0);
        assert_eq!(label_point((0.0, 0.0), (100.0, 0.0), 400.0).0, 20.0);
        // a steep line: halfway (its label is beside it)
        assert_eq!(label_point((0.0, 0.0), (10.0, 100.0), 400.0), (5.0, 50.0));
    }

    #[test]
    fn a_key_sits_on_the_side_of_its_own_line() {
        // level or going up: above, further up for each binding before it
        assert_eq!(label_side(100.0, 0.0, 0.0), ("middle", "0", "-0.45em".to_string()));
        assert_eq!(label_side(100.0, -60.0, 1.0), ("middle", "0", "-1.65em".to_string()));
        // going down: below, further down for each one before it
        assert_eq!(label_side(100.0, 60.0, 0.0), ("middle", "0", "1.15em".to_string()));
        assert_eq!(label_side(100.0, 60.0, 1.0).2, "2.35em");
        // steep: to its right
        assert_eq!(label_side(10.0, 100.0, 0.0).0, "start");
        assert_eq!(label_side(-10.0, -100.0, 0.0).0, "start");
    }
}
