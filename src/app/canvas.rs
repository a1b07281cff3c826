//! The canvas: the SVG of nodes and links, with two 2D layers over it redrawn from the timeline (the counts, and the dots of messages in flight).

use super::*;

impl App {
    /// A canvas over the diagram sized to its box (device pixels), cleared, with the diagram's
    /// transform set.
    pub(super) fn canvas_ctx(&self, r: &NodeRef) -> Option<(HtmlCanvasElement, web_sys::CanvasRenderingContext2d)> {
        let canvas = r.cast::<HtmlCanvasElement>()?;
        let (w, h) = (canvas.client_width() as u32, canvas.client_height() as u32);
        let dpr = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0);
        let (pw, ph) = ((w as f64 * dpr) as u32, (h as f64 * dpr) as u32);
        if canvas.width() != pw || canvas.height() != ph {
            canvas.set_width(pw);
            canvas.set_height(ph);
        }
        let ctx = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())?;
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, pw as f64, ph as f64);
        let s = self.scale as f64 * dpr;
        let _ = ctx.set_transform(s, 0.0, 0.0, s, self.tx as f64 * dpr, self.ty as f64 * dpr);
        Some((canvas, ctx))
    }

    /// What the counts layer shows is drawn from: when it differs from what was drawn, the layer
    /// is drawn anew (at once for a change of layout, at the playing cadence for new counts).
    pub(super) fn counts_key(&self) -> CountsKey {
        let dragged = self.dragged_key();
        let (w, h) = self
            .counts_canvas
            .cast::<web_sys::Element>()
            .map_or((0, 0), |c| (c.client_width(), c.client_height()));
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        CountsKey {
            layout: CountsLayout {
                design_gen: self.design_gen,
                live_gen: self.live_gen,
                transform: [self.tx.to_bits(), self.ty.to_bits(), self.scale.to_bits()],
                size: (w, h, dpr.to_bits()),
                dragged,
                present: self.present,
                lang: self.lang,
            },
            version: self.live.timeline.version,
        }
    }

    /// The counts RabbitMQ would report, drawn on their own layer under the dots: a queue's
    /// ready/unacked and its ready messages as squares, a consumer's `got N`, a producer's
    /// acks/returns/replies.
    pub(super) fn draw_counts(&self) {
        let Some((_, ctx)) = self.canvas_ctx(&self.counts_canvas) else {
            return;
        };
        let live = &self.live;
        let tally = live.timeline.tally();
        ctx.set_font(if self.present {
            "bold 12px system-ui, sans-serif"
        } else {
            "11px system-ui, sans-serif"
        });
        ctx.set_text_align("center");
        ctx.set_fill_style_str(COUNTS_INK);
        for node in &self.hist.design.nodes {
            let (x, y) = self.shown_at(node);
            let text = match &node.spec {
                Spec::Queue(_) => {
                    let real = live.real_queue(&node.name);
                    if !tally.queues.contains_key(&real) {
                        continue;
                    }
                    let (r, u) = tally.queue(&real);
                    // its messages: one square per ready message (up to fifteen, in fives),
                    // in a row along its bottom, the head on the right
                    ctx.set_fill_style_str(STACK_INK);
                    for i in 0..r.min(STACK_MAX) {
                        let (sx, sy) = stack_at(x, y, r, i);
                        ctx.fill_rect(sx as f64, sy as f64, STACK_SQUARE as f64, STACK_SQUARE as f64);
                    }
                    ctx.set_fill_style_str(COUNTS_INK);
                    if r > STACK_MAX {
                        let (sx, sy) = stack_at(x, y, r, STACK_MAX - 1);
                        ctx.set_text_align("right");
                        let _ = ctx.fill_text("+", (sx - 2.0) as f64, (sy + STACK_SQUARE) as f64);
                        ctx.set_text_align("center");
                    }
                    format!("ready {r} · unacked {u}")
                }
                Spec::Consumer(c) => {
                    let got = tally.got(&node.name);
                    if got > 0 {
                        let _ = ctx.fill_text(&format!("got {got}"), x as f64, (y + 44.0) as f64);
                    }
                    let unacked = match self.terms.on_canvas {
                        true => tally.client_consumers(|c| is_terminal(c, &node.name)).0,
                        false => tally.consumer(&node.name, &node.name),
                    };
                    let slots = prefetch_slots(c.prefetch, c.auto_ack);
                    if slots > 0 {
                        // its prefetch window: the slots the node draws, filled here while playing
                        ctx.set_fill_style_str(SLOT_FULL);
                        for i in 0..unacked.min(slots) {
                            let (sx, sy) = slot_at(x, y, slots, i);
                            ctx.fill_rect(sx as f64, sy as f64, SLOT as f64, SLOT as f64);
                        }
                        ctx.set_fill_style_str(COUNTS_INK);
                    }
                    if c.auto_ack || slots > 0 {
                        continue;
                    }
                    format!("unacked {unacked}")
                }
                Spec::Producer(_) => {
                    let text = producer_counts(tally, &node.name);
                    if text.is_empty() {
                        continue;
                    }
                    let _ = ctx.fill_text(&text, x as f64, (y + 36.0) as f64);
                    continue;
                }
                _ => continue,
            };
            let dy = if node.kind() == Kind::Queue { 12.0 } else { 9.0 };
            let _ = ctx.fill_text(&text, x as f64, (y + dy) as f64);
        }
    }

    /// The messages in flight, drawn every frame (and the counts layer when it is due).
    pub(super) fn draw_dots(&mut self) {
        let key = self.counts_key();
        let due = match &self.counts_drawn {
            None => true,
            Some(k) if k.layout != key.layout => true,
            Some(k) => {
                k.version != key.version
                    && (!self.playing || self.last_frame.unwrap_or(0.0) - self.counts_at >= self.cadence())
            }
        };
        if due {
            self.draw_counts();
            self.counts_at = self.last_frame.unwrap_or(0.0);
            self.counts_drawn = Some(key);
        }
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        // drawn into a picture of the canvas's device pixels, handed over as one rectangle; a
        // large high-density screen gets a picture of at most DOTS_PIXELS, scaled up by the browser
        let dpr = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0) as f32;
        let (cw, ch) = (
            canvas.client_width().max(0) as f32,
            canvas.client_height().max(0) as f32,
        );
        let k = dpr.min((DOTS_PIXELS / (cw * ch).max(1.0)).sqrt());
        let (pw, ph) = ((cw * k) as u32, (ch * k) as u32);
        if canvas.width() != pw || canvas.height() != ph {
            canvas.set_width(pw);
            canvas.set_height(ph);
        }
        self.dots.resize(pw, ph);
        self.dots.begin();
        let (s, tx, ty) = (self.scale * k, self.tx * k, self.ty * k);
        let live = &self.live;
        let highlight = &self.related;
        let gens = (self.design_gen, self.live_gen);
        if self.places.gens != gens {
            self.places = PlaceCache {
                gens,
                ..Default::default()
            };
        }
        // messages at the same place at the same instant (a burst) travel side by side: each
        // is its own dot, beside the path, not one dot over another
        let mut together: std::collections::HashMap<(i32, i32), u32> = std::collections::HashMap::new();
        for trip in self.live.timeline.active(self.t) {
            let Some((x0, y0)) = self.places.get(live, &trip.from) else {
                continue;
            };
            let f = ((self.t - trip.start) / (trip.end() - trip.start)).clamp(0.0, 1.0) as f32;
            let ((x, y), (dx, dy)) = match &trip.to {
                Some(to) => {
                    let Some((x1, y1)) = self.places.get(live, to) else {
                        continue;
                    };
                    ((x0 + (x1 - x0) * f, y0 + (y1 - y0) * f), (x1 - x0, y1 - y0))
                }
                None => ((x0 + 20.0 * f, y0 + 30.0 + 50.0 * f), (20.0, 50.0)),
            };
            let r = if highlight.contains(&trip.msg) { 11.0 } else { 7.0 };
            let n = together.entry(((x * 2.0) as i32, (y * 2.0) as i32)).or_insert(0);
            // (nine abreast at most: a burst of thousands is a band, not a line across the canvas)
            let (x, y) = beside((x, y), (dx, dy), (*n).min(8), 2.0 * r + 1.0);
            *n += 1;
            let k = trip.kind;
            self.dots.shape(
                x * s + tx,
                y * s + ty,
                r * s,
                crate::dots::colour(k),
                crate::dots::shape(k),
            );
        }
        let n = self.dots.count();
        if let Some(r) = self.dots.take_dirty() {
            let (w, h) = self.dots.size();
            let ctx = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
            let img = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(self.dots.pixels()), w, h);
            if let (Some(ctx), Ok(img)) = (ctx, img) {
                let (x, y) = (r.x0 as f64, r.y0 as f64);
                let _ = ctx.put_image_data_with_dirty_x_and_dirty_y_and_dirty_width_and_dirty_height(
                    &img,
                    0.0,
                    0.0,
                    x,
                    y,
                    r.width() as f64,
                    r.height() as f64,
                );
            }
        }
        let _ = canvas.set_attribute("data-dots", &n.to_string());
        if let Some(c) = self.clock.cast::<web_sys::Element>() {
            // while playing, the clock moves at the counts' cadence, whether anything happens
            // or not (a text change lays out: not every frame)
            let now = self.last_frame.unwrap_or(0.0);
            if due || !self.playing || now - self.clock_at >= self.cadence() {
                c.set_text_content(Some(&clock_text(self.t)));
                self.clock_at = now;
            }
        }
    }

    pub(super) fn schedule_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |ts| link.send_message(Msg::Frame(ts))));
    }

    pub(super) fn canvas_view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let d = &self.hist.design;
        let tally = self.live.timeline.tally();
        let pos = |n: &Node| self.shown_at(n);
        let at = |id: Id| d.node(id).map(pos);
        let edges = self.edges_view();
        let nodes = d.nodes.iter().map(|n| {
            let (x, y) = pos(n);
            let state = match &n.spec {
                Spec::Queue(_) => {
                    let real = self.live.real_queue(&n.name);
                    let (ready, unacked) = tally.queue(&real);
                    NodeState::Queue {
                        live: tally.queues.contains_key(&real),
                        ready,
                        unacked,
                        // a server-named queue: the name the broker gave it, as the log says it
                        broker_name: (real != n.name && !real.is_empty()).then(|| AttrValue::from(real.clone())),
                    }
                }
                Spec::Consumer(c) if self.terms.on_canvas => {
                    // a terminal's script: every consumer of its connections
                    let (unacked, consuming) = tally.client_consumers(|conn| is_terminal(conn, &n.name));
                    NodeState::Consumer {
                        unacked,
                        prefetch: c.prefetch,
                        auto_ack: c.auto_ack,
                        got: tally.got(&n.name),
                        stopped: false,
                        consuming,
                    }
                }
                Spec::Consumer(c) => NodeState::Consumer {
                    unacked: tally.consumer(&n.name, &n.name),
                    prefetch: c.prefetch,
                    auto_ack: c.auto_ack,
                    got: tally.got(&n.name),
                    stopped: self.live.stopped_at(n.id, self.t as u64),
                    consuming: tally.consuming(&n.name, &n.name),
                },
                Spec::Exchange(x) => NodeState::Exchange(x.kind.as_str().into(), tally.exchange(&n.name)),
                Spec::Producer(_) => NodeState::Producer(producer_counts(tally, &n.name).into()),
            };
            html! { <NodeView key={n.id} id={n.id} name={AttrValue::from(n.name.clone())} x={x} y={y}
            selected={self.sel == Sel::Node(n.id)} on_path={self.path.contains(&n.id)} state={state} onselect={self.select_node.clone()} lang={self.lang} big={self.present}
            badges={warren_model::label::badges(&n.spec)} /> }
        });
        let drawing = match &self.drag {
            Some(Drag::Link { from, x, y }) => at(*from).map(|(x0, y0)| {
                html! { <line class="drawing" x1={coord(x0)} y1={coord(y0)} x2={coord(*x)} y2={coord(*y)} /> }
            }),
            _ => None,
        };
        let default_x = d.show_default.then(|| {
            let (x, y) = default_exchange_at(d);
            html! {
                <g class="node exchange default" aria-label="direct exchange (default)">
                    <polygon points={diamond(x, y)} />
                    <text x={coord(x)} y={coord(y + 4.0)} class="label">{ tr(self.lang, "(default)") }</text>
                </g>
            }
        });
        let point = |e: &PointerEvent| (e.client_x() as f32, e.client_y() as f32);
        html! {
            // its height over its width (a narrow screen sizes the canvas to fit it)
            <div class="canvas" style={bounds(d).map(|(x0, y0, x1, y1)| format!("--aspect:{}", short(((y1 - y0) / (x1 - x0)) as f64, 3)))}>
                <svg id="diagram" ref={self.svg.clone()} role="application" aria-label="broker canvas: drag nodes to move them, drag from a node's handle to link it"
                    onpointerdown={link.callback(move |e: PointerEvent| {
                        // its moves and its release come here even off the canvas
                        if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                            let _ = el.set_pointer_capture(e.pointer_id());
                        }
                        let (x, y) = point(&e);
                        Msg::Down(e.pointer_id(), x, y, e.shift_key(), e.pointer_type() == "touch")
                    })}
                    onpointermove={link.callback(move |e: PointerEvent| { let (x, y) = point(&e); Msg::Move(e.pointer_id(), x, y) })}
                    onpointerup={link.callback(move |e: PointerEvent| { let (x, y) = point(&e); Msg::Up(e.pointer_id(), x, y) })}
                    onpointercancel={link.callback(move |e: PointerEvent| { let (x, y) = point(&e); Msg::Up(e.pointer_id(), x, y) })}
                    onwheel={link.callback(|e: WheelEvent| { Msg::Wheel(e.delta_y() as f32, e.client_x() as f32, e.client_y() as f32) })}>
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
                            <path d="M0,0 L10,5 L0,10 z" />
                        </marker>
                    </defs>
                    <g transform={format!("translate({} {}) scale({})", coord(self.tx), coord(self.ty), short(self.scale as f64, 4))}>
                        <Edges ..edges.clone() />
                        { for default_x }
                        { for nodes }
                        <EdgeLabels ..edges />
                        { for drawing }
                    </g>
                </svg>
                <canvas id="counts" ref={self.counts_canvas.clone()} aria-hidden="true"></canvas>
                <canvas id="dots" ref={self.canvas.clone()} aria-hidden="true"></canvas>
                { self.legend() }
            </div>
        }
    }
}

/// The most pixels the dots layer's picture has (each frame copies what changed of it).
pub(super) const DOTS_PIXELS: f32 = 2_000_000.0;

/// What the counts layer was drawn from (see [`App::counts_key`]).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct CountsKey {
    /// Where and how the counts are drawn: a change redraws them at once.
    layout: CountsLayout,
    /// The timeline's counts: a change redraws them at the playing cadence.
    version: u64,
}

/// What places the counts on their layer (floats as bits, to compare exactly).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct CountsLayout {
    design_gen: u64,
    live_gen: u64,
    /// tx, ty, scale.
    transform: [u32; 3],
    /// The layer's CSS size and the device pixel ratio.
    size: (i32, i32, u64),
    /// A node being dragged: its id and where it is.
    dragged: Option<(Id, u32, u32)>,
    present: bool,
    lang: Lang,
}

impl App {
    /// What the dots mean: each kind's shape in its colour, and its words.
    fn legend(&self) -> Html {
        let l = self.lang;
        html! {
            // (folded when presenting, and on a phone, where it would cover the canvas)
            <details class="legend" open={!self.present && !narrow()}>
                <summary>{ tr(l, "What the dots mean") }</summary>
                <ul>{ for crate::dots::LEGEND.iter().map(|(k, words)| {
                    let [r, g, b] = crate::dots::colour(*k);
                    let fill = format!("#{r:02x}{g:02x}{b:02x}");
                    let swatch = match crate::dots::shape(*k) {
                        crate::dots::Shape::Disc => html! { <circle cx="7" cy="7" r="5.5" fill={fill} /> },
                        crate::dots::Shape::Ring => html! { <circle cx="7" cy="7" r="4.3" fill="none" stroke={fill} stroke-width="2.4" /> },
                        crate::dots::Shape::Square => html! { <rect x="2.3" y="2.3" width="9.4" height="9.4" fill={fill} /> },
                        crate::dots::Shape::Diamond => html! { <polygon points="7,1 13,7 7,13 1,7" fill={fill} /> },
                        crate::dots::Shape::Triangle => html! { <polygon points="7,1.5 12.5,11.5 1.5,11.5" fill={fill} /> },
                    };
                    html! { <li><svg width="14" height="14" aria-hidden="true">{ swatch }</svg>{ tr(l, words) }</li> }
                }) }</ul>
            </details>
        }
    }
}

/// Whether the window is as narrow as a phone's (the style sheet's narrow layout).
fn narrow() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w <= 760.0)
}

/// Where the `n`-th of messages at `at` (travelling along `dir`) is drawn: the first on its
/// path, the next ones `step` apart on either side of it, across the path (1st right, 2nd left,
/// 3rd further right…).
pub(super) fn beside(at: (f32, f32), dir: (f32, f32), n: u32, step: f32) -> (f32, f32) {
    if n == 0 {
        return at;
    }
    let len = (dir.0 * dir.0 + dir.1 * dir.1).sqrt().max(1e-3);
    let (px, py) = (-dir.1 / len, dir.0 / len);
    let k = n.div_ceil(2) as f32 * if n % 2 == 1 { 1.0 } else { -1.0 };
    (at.0 + px * step * k, at.1 + py * step * k)
}

/// Whether connection `conn` is one of the terminal whose client node is `node` (`t1`: `t1`,
/// `t1.2`, …).
fn is_terminal(conn: &str, node: &str) -> bool {
    warren_model::terminals::client_node(conn).as_deref() == Some(node)
}

#[cfg(test)]
mod tests {
    use super::beside;

    #[test]
    fn messages_at_one_place_are_drawn_side_by_side_across_their_path() {
        // along x: the first on the path, then below, above, further below
        let at = (100.0, 50.0);
        let spots: Vec<(f32, f32)> = (0..4).map(|n| beside(at, (10.0, 0.0), n, 15.0)).collect();
        assert_eq!(spots, [(100.0, 50.0), (100.0, 65.0), (100.0, 35.0), (100.0, 80.0)]);
        // no two alike
        for (i, a) in spots.iter().enumerate() {
            assert!(spots[i + 1..].iter().all(|b| b != a));
        }
    }
}
