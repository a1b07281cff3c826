//! A node on the canvas: its shape, name, counts and prefetch slots.

use super::*;

/// What a node shows besides its name (compared to skip re-drawing unchanged nodes).
#[derive(Clone, Debug, PartialEq)]
pub enum NodeState {
    /// What came back to it: publisher confirms, returns, replies (empty if nothing).
    Producer(AttrValue),
    /// Its type, and whether the broker has it.
    Exchange(AttrValue, bool),
    Queue {
        live: bool,
        ready: u64,
        unacked: u64,
        /// The broker's name for a server-named queue (`amq.gen-…`), once declared.
        broker_name: Option<AttrValue>,
    },
    Consumer {
        unacked: u64,
        prefetch: u16,
        auto_ack: bool,
        /// Deliveries received in all.
        got: u64,
        /// Its client was stopped (connection closed).
        stopped: bool,
        /// It is subscribed to its queue (not after its queue or connection went, say).
        consuming: bool,
    },
}

/// How many prefetch slots a consumer's node shows (none for auto-ack, no limit, or over 12).
pub(super) fn prefetch_slots(prefetch: u16, auto_ack: bool) -> u64 {
    if prefetch == 0 || prefetch > 12 || auto_ack {
        0
    } else {
        prefetch as u64
    }
}

/// The side of a prefetch slot, and its colour when full.
pub(super) const SLOT: f32 = 12.0;

/// A coordinate in the canvas's SVG, to a hundredth of a unit (`12.5`, `40`): without core's
/// float printing, which the page leaves out ([`warren_engine::num`]).
pub(super) fn coord(x: f32) -> String {
    short(x as f64, 2)
}

/// The points of an exchange's diamond centred on (`x`, `y`).
pub(super) fn diamond(x: f32, y: f32) -> String {
    [(x, y - 30.0), (x + 70.0, y), (x, y + 30.0), (x - 70.0, y)]
        .map(|(a, b)| format!("{},{}", coord(a), coord(b)))
        .join(" ")
}

pub(super) const SLOT_FULL: &str = "#2e8540";

/// The counts layer's text.
pub(super) const COUNTS_INK: &str = "#4a5263";

/// Where slot `i` of a consumer at (`x`, `y`) with `slots` slots is (its top left corner).
pub(super) fn slot_at(x: f32, y: f32, slots: u64, i: u64) -> (f32, f32) {
    (x - 8.0 * slots as f32 + 16.0 * i as f32 + 2.0, y - 6.0)
}

/// The most ready messages a queue draws as squares: three groups of five, counted at a glance.
pub(super) const STACK_MAX: u64 = 15;

/// The side of a ready message's square, and the colour of a message on its way (the legend's
/// first entry: a message waiting is the same message).
pub(super) const STACK_SQUARE: f32 = 7.0;
pub(super) const STACK_INK: &str = "#e69f00";

/// Where the square of ready message `i` (of `ready`) sits in the queue at (`x`, `y`), its top
/// left corner: a row along the bottom of the queue, oldest on the right (the head, which leaves
/// first, towards the consumers), in groups of five with a wider gap between groups.
pub(super) fn stack_at(x: f32, y: f32, ready: u64, i: u64) -> (f32, f32) {
    let n = ready.min(STACK_MAX);
    let (step, gap) = (STACK_SQUARE + 2.0, 5.0);
    let width = n as f32 * step - 2.0 + gap * (n.saturating_sub(1) / 5) as f32;
    // i = 0 is the head: rightmost
    let from_left = n - 1 - i.min(n - 1);
    let left = x - width / 2.0 + from_left as f32 * step + gap * (from_left / 5) as f32;
    (left, y + 16.0)
}

/// What came back to a producer, as its node shows it: `acks 2 · returned 1 · replies 3`.
pub(super) fn producer_counts(tally: &warren_model::timeline::Tally, name: &str) -> String {
    let mut parts = Vec::new();
    if let Some((acks, nacks)) = tally.confirms.get(name) {
        parts.push(format!("acks {acks}"));
        if *nacks > 0 {
            parts.push(format!("nacks {nacks}"));
        }
    }
    if let Some(r) = tally.returned.get(name) {
        parts.push(format!("returned {r}"));
    }
    let got = tally.got(name);
    if got > 0 {
        parts.push(format!("replies {got}"));
    }
    parts.join(" · ")
}

#[derive(Properties, Clone, PartialEq)]
pub struct NodeProps {
    pub id: Id,
    pub name: AttrValue,
    pub x: f32,
    pub y: f32,
    pub selected: bool,
    /// On the path of the selected message (and the messages that go with it).
    #[prop_or_default]
    pub on_path: bool,
    pub state: NodeState,
    pub onselect: Callback<Id>,
    pub lang: Lang,
    /// Presenting: large bold labels.
    #[prop_or_default]
    pub big: bool,
    /// What its badges say, under its shape ([`warren_model::label::badges`]).
    #[prop_or_default]
    pub badges: Vec<String>,
}

/// One node: its shape, name and state, and (but for consumers) the handle links are drawn from.
#[function_component(NodeView)]
pub(super) fn node_view(p: &NodeProps) -> Html {
    let (x, y, name) = (p.x, p.y, &p.name);
    let kind = match p.state {
        NodeState::Producer(_) => Kind::Producer,
        NodeState::Exchange(..) => Kind::Exchange,
        NodeState::Queue { .. } => Kind::Queue,
        NodeState::Consumer { .. } => Kind::Consumer,
    };
    // the room its shape gives its name, and where the name is written
    let (room, ty) = match kind {
        Kind::Producer => (94.0, 5.0),
        Kind::Exchange => (104.0, -2.0),
        Kind::Queue => (146.0, -6.0),
        Kind::Consumer => (150.0, -38.0),
    };
    // the name fitted to its shape (bold, larger type when presenting); a name cut short is
    // shown whole on hover and focus (in the notes, see below)
    let (base, bold) = if p.big { (16.0, 1.08) } else { (13.0, 1.0) };
    let (text, size) = warren_model::label::fit(name, room / bold, base);
    let whole = (text != name.as_str()).then(|| {
        html! { <text x={coord(x)} y={coord(y + ty)} class="whole">{ name.clone() }</text> }
    });
    let label = html! { <text x={coord(x)} y={coord(y + ty)} class="label" style={format!("font-size:{}px", short(size as f64, 1))}>{ text }</text> };
    let cls = classes!(
        "node",
        kind.name(),
        p.selected.then_some("selected"),
        p.on_path.then_some("onpath")
    );
    // keyboard: Tab to a node, Enter or Space selects it (then the inspector edits and links it)
    let (id, select) = (p.id, p.onselect.clone());
    let onkeydown = move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            e.stop_propagation();
            select.emit(id);
        }
    };
    let port = (kind != Kind::Consumer).then(|| {
        let (w, _) = half(kind);
        html! { <circle class="port" role="img" cx={coord(x + w + 8.0)} cy={coord(y)} r="7"
        aria-label={format!("drag from here to link {name}")} /> }
    });
    // what the badges say, for assistive technology (the badges themselves are drawn, hidden)
    let description: Option<String> = (!p.badges.is_empty()).then(|| p.badges.join(", "));
    let body = match &p.state {
        NodeState::Queue {
            live,
            ready,
            unacked,
            broker_name,
        } => html! {
            <g class={classes!(cls, (!live).then_some("gone"))} data-id={p.id.to_string()} tabindex="0" role="button" onkeydown={onkeydown} aria-description={description.clone()}
                aria-label={match (live, broker_name) {
                    (true, None) => format!("queue {name}: {ready} ready, {unacked} unacknowledged"),
                    (true, Some(b)) => format!("queue {name} ({b}): {ready} ready, {unacked} unacknowledged"),
                    (false, _) => format!("queue {name}: not on the broker"),
                }}>
                <rect x={coord(x - 80.0)} y={coord(y - 28.0)} width="160" height="56" rx="6" />
                { label }
                // the counts are drawn on the canvas above (changing SVG text re-lays out the SVG)
            </g>
        },
        NodeState::Consumer {
            unacked,
            prefetch,
            auto_ack,
            got,
            stopped,
            consuming,
        } => {
            let slots = prefetch_slots(*prefetch, *auto_ack);
            html! {
                <g class={classes!(cls, stopped.then_some("stopped"))} data-id={p.id.to_string()} tabindex="0" role="button" onkeydown={onkeydown} aria-description={description.clone()}
                    aria-label={format!("consumer {name}: {unacked} unacknowledged, prefetch {prefetch}, got {got}{}", if *stopped { ", stopped" } else if !*consuming { ", not consuming" } else { "" })}>
                        <rect x={coord(x - 60.0)} y={coord(y - 30.0)} width="120" height="60" rx="30" />
                    { label }
                    // the full ones are filled on the counts layer (see App::draw_counts)
                    { for (0..slots).map(|i| {
                        let (sx, sy) = slot_at(x, y, slots, i);
                        html! { <rect class={if i < *unacked { "slot full" } else { "slot" }}
                            x={coord(sx)} y={coord(sy)} width={coord(SLOT)} height={coord(SLOT)} /> }
                    }) }
                </g>
            }
        }
        NodeState::Exchange(k, live) => html! {
            <g class={classes!(cls, (!live).then_some("gone"))} data-id={p.id.to_string()} tabindex="0" role="button" onkeydown={onkeydown} aria-description={description.clone()}
                aria-label={if *live { format!("{k} exchange {name}") } else { format!("{k} exchange {name}: not on the broker") }}>
                <polygon points={diamond(x, y)} />
                { label }
            </g>
        },
        NodeState::Producer(back) => html! {
            <g class={cls} data-id={p.id.to_string()} tabindex="0" role="button" onkeydown={onkeydown} aria-description={description.clone()}
                aria-label={if back.is_empty() { format!("producer {name}") } else { format!("producer {name}: {back}") }}>
                <rect x={coord(x - 55.0)} y={coord(y - 22.0)} width="110" height="44" rx="22" />
                { label }
            </g>
        },
    };
    // what the node's text says besides its name, in a group of its own right after it (its
    // label for screen readers says the same; a control's visible text is its name alone):
    // an exchange's type, a queue's broker name, a consumer's state, what the broker lacks,
    // and a name cut short, whole (shown on hover and focus)
    let note =
        |dy: f32, text: &str| html! { <text x={coord(x)} y={coord(y + dy)} class="counts">{ text.to_string() }</text> };
    let notes = match &p.state {
        NodeState::Queue { live, broker_name, .. } => html! {<>
            if let Some(b) = broker_name {
                <text x={coord(x)} y={coord(y - 33.0)} class="broker-name"><title>{ b.clone() }</title>{ short_name(b) }</text>
            }
            if !*live { { note(16.0, tr(p.lang, "not on the broker")) } }
        </>},
        NodeState::Consumer { stopped, .. } => html! {<>
            if *stopped { { note(20.0, tr(p.lang, "stopped")) } }
        </>},
        NodeState::Exchange(k, live) => note(14.0, if *live { k } else { tr(p.lang, "not on the broker") }),
        NodeState::Producer(_) => html! {},
    };
    // the badges in a row under the shape (beside a consumer's), each as wide as its text
    let (size, pad, gap) = if p.big { (12.0, 10.0, 5.0) } else { (10.0, 8.0, 4.0) };
    let widths: Vec<f32> = p
        .badges
        .iter()
        .map(|b| warren_model::label::width_em(b) * size + pad)
        .collect();
    let total = widths.iter().sum::<f32>() + gap * widths.len().saturating_sub(1) as f32;
    // (a consumer's to its right: under it the counts layer writes what it got, and the next
    // consumer's name is above that one)
    let (mut left, top) = match kind {
        Kind::Consumer => (x + half(kind).0 + 6.0, y - (size + 5.0) / 2.0),
        _ => (x - total / 2.0, y + half(kind).1 + 4.0),
    };
    let badges = p.badges.iter().zip(widths).map(|(b, w)| {
        let at = left;
        left += w + gap;
        html! {<g class="badge">
            <rect x={coord(at)} y={coord(top)} width={coord(w)} height={coord(size + 5.0)} rx="3" />
            <text x={coord(at + w / 2.0)} y={coord(top + size + 1.0)}>{ b.clone() }</text>
        </g>}
    });
    html! {<>
        { body }
        <g class={classes!("notes", kind.name())} aria-hidden="true">{ notes }{ for badges }{ for whole }</g>
        { for port }
    </>}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_stacks_its_ready_messages_in_fives_head_on_the_right() {
        let at = |ready, i| stack_at(0.0, 0.0, ready, i).0;
        // one message: centred
        assert_eq!(at(1, 0), -STACK_SQUARE / 2.0);
        // the head (0) is rightmost, each later message one square to its left
        assert!((0..4).all(|i| at(5, i) > at(5, i + 1)));
        assert_eq!(at(5, 0) - at(5, 1), STACK_SQUARE + 2.0);
        // a wider gap between the fifth and the sixth
        assert!(at(10, 4) - at(10, 5) > at(10, 3) - at(10, 4));
        // fifteen drawn at most, and they fit inside the queue's shape (160 wide)
        let (l, r) = (at(1000, STACK_MAX - 1), at(1000, 0) + STACK_SQUARE);
        assert!(l > -78.0 && r < 78.0, "{l}..{r}");
        assert_eq!(
            at(1000, STACK_MAX + 5),
            at(1000, STACK_MAX - 1),
            "no square past the fifteenth"
        );
        // under the counts line, above the shape's bottom edge (28 below its centre)
        let y = stack_at(0.0, 0.0, 3, 0).1;
        assert!(y > 14.0 && y + STACK_SQUARE < 28.0);
    }
}
