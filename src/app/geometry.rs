//! Where things are on the canvas: node shapes, places of dots, the view's fit, what a point hits.

use super::*;

impl App {
    /// Where the canvas element's top left corner is on the page (client pixels).
    pub(super) fn svg_origin(&self) -> (f32, f32) {
        self.svg
            .cast::<web_sys::Element>()
            .map(|e| {
                let r = e.get_bounding_client_rect();
                (r.left() as f32, r.top() as f32)
            })
            .unwrap_or_default()
    }

    pub(super) fn to_canvas(&self, x: f32, y: f32) -> (f32, f32) {
        let (left, top) = self.svg_origin();
        ((x - left - self.tx) / self.scale, (y - top - self.ty) / self.scale)
    }

    pub(super) fn hit(&self, x: f32, y: f32) -> Option<(Id, bool)> {
        self.hist.design.nodes.iter().rev().find_map(|n| {
            let (w, h) = half(n.kind());
            let port = (x - (n.x + w + 8.0)).powi(2) + (y - n.y).powi(2) <= 12.0f32.powi(2);
            if port && n.kind() != Kind::Consumer {
                Some((n.id, true))
            } else if (x - n.x).abs() <= w && (y - n.y).abs() <= h {
                Some((n.id, false))
            } else {
                None
            }
        })
    }

    pub(super) fn fit(&mut self) {
        let Some((x0, y0, x1, y1)) = bounds(&self.hist.design) else {
            (self.scale, self.tx, self.ty) = (1.0, 0.0, 0.0);
            return;
        };
        let (w, h) = self
            .svg
            .cast::<web_sys::Element>()
            .map(|e| (e.client_width() as f32, e.client_height() as f32))
            .unwrap_or((1000.0, 600.0));
        let s = (w / (x1 - x0)).min(h / (y1 - y0)).clamp(0.1, 2.0);
        self.scale = s;
        self.tx = (w - (x1 - x0) * s) / 2.0 - x0 * s;
        self.ty = (h - (y1 - y0) * s) / 2.0 - y0 * s;
    }

    /// A node being dragged: its id and where it is (floats as bits, to compare exactly).
    pub(super) fn dragged_key(&self) -> Option<(Id, u32, u32)> {
        match &self.drag {
            Some(Drag::Node { id, x, y, .. }) => Some((*id, x.to_bits(), y.to_bits())),
            _ => None,
        }
    }

    /// Where a node is drawn: a dragged node where the pointer is.
    pub(super) fn shown_at(&self, n: &Node) -> (f32, f32) {
        match &self.drag {
            Some(Drag::Node { id, x, y, .. }) if *id == n.id => (*x, *y),
            _ => (n.x, n.y),
        }
    }
}

/// Node geometry: half width and half height of each kind's shape.
/// The box around what the canvas draws of design `d` (nodes with their names and handles, the
/// default exchange when shown): left, top, right, bottom. None when it has no nodes.
pub(super) fn bounds(d: &Design) -> Option<(f32, f32, f32, f32)> {
    if d.nodes.is_empty() {
        return None;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for n in &d.nodes {
        let (hw, hh) = half(n.kind());
        x0 = x0.min(n.x - hw - 20.0);
        // (a consumer's badges are to its right)
        x1 = x1.max(n.x + hw + if n.kind() == Kind::Consumer { 75.0 } else { 30.0 });
        y0 = y0.min(n.y - hh - 40.0);
        y1 = y1.max(n.y + hh + 70.0);
    }
    if d.show_default {
        let (dx, dy) = default_exchange_at(d);
        x0 = x0.min(dx - 90.0);
        y0 = y0.min(dy - 50.0);
    }
    Some((x0, y0, x1, y1))
}

/// Where a line from (`x0`, `y0`) to the centre (`x1`, `y1`) of a node of `kind` meets the
/// node's outline (its arrowhead's tip): a diamond for an exchange, else its box.
pub(super) fn to_border(x0: f32, y0: f32, x1: f32, y1: f32, kind: Kind) -> (f32, f32) {
    let (hw, hh) = half(kind);
    let (dx, dy) = (x0 - x1, y0 - y1);
    let reach = match kind {
        Kind::Exchange => dx.abs() / hw + dy.abs() / hh,
        _ => (dx.abs() / hw).max(dy.abs() / hh),
    };
    if reach <= 1.0 {
        return (x1, y1); // it starts inside the node
    }
    (x1 + dx / reach, y1 + dy / reach)
}

pub(super) fn half(kind: Kind) -> (f32, f32) {
    match kind {
        Kind::Producer => (55.0, 22.0),
        Kind::Exchange => (70.0, 30.0),
        Kind::Queue => (80.0, 28.0),
        Kind::Consumer => (60.0, 30.0),
    }
}

/// Where the default exchange is drawn (when shown): left of the queues, above them.
pub(super) fn default_exchange_at(d: &Design) -> (f32, f32) {
    let qs: Vec<&Node> = d.nodes.iter().filter(|n| n.kind() == Kind::Queue).collect();
    let x = qs.iter().map(|n| n.x).fold(f32::INFINITY, f32::min);
    let y = qs.iter().map(|n| n.y).fold(f32::INFINITY, f32::min);
    if x.is_finite() {
        (x - 200.0, y - 90.0)
    } else {
        (300.0, 60.0)
    }
}

/// The canvas node a place is (None for the default exchange, which is not a node).
pub(super) fn node_at(live: &Live, p: &Place) -> Option<Id> {
    let d = &live.design;
    let n = match p {
        Place::Client(c) => d
            .nodes
            .iter()
            .find(|n| *n.name == **c && matches!(n.kind(), Kind::Producer | Kind::Consumer)),
        Place::Exchange(x) => d.by_name(Kind::Exchange, x),
        Place::Queue(q) => d.by_name(Kind::Queue, live.canvas_queue(q)),
        // a consumer node, or an RPC client reading its replies (consumer tag: its name)
        Place::Consumer(_, tag) => d
            .by_name(Kind::Consumer, tag)
            .or_else(|| d.by_name(Kind::Producer, tag)),
    };
    // a terminal's script is one client, whatever its connections and consumers
    let n = n.or_else(|| {
        let (Place::Client(c) | Place::Consumer(c, _)) = p else {
            return None;
        };
        let name = warren_model::terminals::client_node(c)?;
        d.nodes
            .iter()
            .find(|n| n.name == name && matches!(n.kind(), Kind::Producer | Kind::Consumer))
    })?;
    Some(n.id)
}

pub(super) fn place_at(live: &Live, p: &Place) -> Option<(f32, f32)> {
    if matches!(p, Place::Exchange(x) if x.is_empty()) {
        return Some(default_exchange_at(&live.design));
    }
    let n = live.design.node(node_at(live, p)?)?;
    Some((n.x, n.y))
}

/// A place by the addresses of its names' texts (one per text, kept for the thread's life: see
/// [`warren_engine::Name`]): a cheap key for caching where places are.
pub(super) type PlaceKey = (u8, usize, usize);

/// Where the places messages travel between are, kept across frames while the design and the
/// run stay the same (`gens`). A place is found by the addresses of its names. Places not
/// found are not kept: a server-named queue finds its node once the broker has declared it.
#[derive(Default)]
pub(super) struct PlaceCache {
    pub(super) gens: (u64, u64),
    /// Sorted by key.
    pub(super) at: Vec<(PlaceKey, (f32, f32))>,
}

impl PlaceCache {
    /// The most places kept (a run with ever new names, server-named queues say, would pile up).
    const MAX: usize = 4096;

    pub(super) fn get(&mut self, live: &Live, p: &Place) -> Option<(f32, f32)> {
        let key = place_key(p);
        let i = match self.at.binary_search_by_key(&key, |e| e.0) {
            Ok(i) => return Some(self.at[i].1),
            Err(i) => i,
        };
        let xy = place_at(live, p)?;
        if self.at.len() >= Self::MAX {
            self.at.clear();
            self.at.push((key, xy));
        } else {
            self.at.insert(i, (key, xy));
        }
        Some(xy)
    }
}

pub(super) fn place_key(p: &Place) -> PlaceKey {
    let at = |n: &warren_engine::Name| n.as_str().as_ptr() as usize;
    match p {
        Place::Client(n) => (0, at(n), 0),
        Place::Exchange(n) => (1, at(n), 0),
        Place::Queue(n) => (2, at(n), 0),
        Place::Consumer(c, t) => (3, at(c), at(t)),
    }
}
