//! The page (placeholder until the visual simulator lands): a diagram of the broker after a
//! scenario, drawn as SVG from the view-model, and the trace a pika client would see.

use crate::diagram::{Diagram, Node, NodeKind};
use crate::sim::simulate;
use yew::prelude::*;

/// The built-in scenario: fair dispatch with prefetch 1 (the work queues tutorial).
pub const WORK_QUEUES: &str = r#"{"name": "Work queues: fair dispatch with prefetch 1", "steps": [
 {"call": "queue_declare", "args": {"queue": "task_queue", "durable": true}},
 {"conn": "W1", "call": "basic_qos", "args": {"prefetch_count": 1}},
 {"conn": "W1", "call": "basic_consume", "args": {"queue": "task_queue", "consumer_tag": "worker-1"}},
 {"conn": "W2", "call": "basic_qos", "args": {"prefetch_count": 1}},
 {"conn": "W2", "call": "basic_consume", "args": {"queue": "task_queue", "consumer_tag": "worker-2"}},
 {"conn": "P", "call": "basic_publish", "args": {"exchange": "", "routing_key": "task_queue", "body": "task 1", "properties": {"delivery_mode": 2}}},
 {"conn": "P", "call": "basic_publish", "args": {"exchange": "", "routing_key": "task_queue", "body": "task 2", "properties": {"delivery_mode": 2}}},
 {"conn": "P", "call": "basic_publish", "args": {"exchange": "", "routing_key": "task_queue", "body": "task 3", "properties": {"delivery_mode": 2}}},
 {"conn": "P", "call": "basic_publish", "args": {"exchange": "", "routing_key": "task_queue", "body": "task 4", "properties": {"delivery_mode": 2}}},
 {"conn": "W1", "call": "basic_ack", "args": {"delivery_tag": 1}}
]}"#;

fn node_view(n: &Node) -> Html {
    let (x, y) = (n.x, n.y);
    let label = n.label.clone();
    match n.kind {
        NodeKind::Queue => html! {
            <g class="node queue" data-id={n.id.clone()} aria-label={format!("queue {label}: {} ready, {} unacknowledged", n.ready, n.unacked)}>
                <rect x={(x - 80.0).to_string()} y={(y - 28.0).to_string()} width="160" height="56" rx="6" />
                <text x={x.to_string()} y={(y - 6.0).to_string()} class="label">{ label }</text>
                <text x={x.to_string()} y={(y + 16.0).to_string()} class="counts">{ format!("ready {} · unacked {}", n.ready, n.unacked) }</text>
            </g>
        },
        NodeKind::Consumer => {
            let slots = if n.prefetch == 0 { 0 } else { n.prefetch as u64 };
            html! {
                <g class="node consumer" data-id={n.id.clone()} aria-label={format!("consumer {label}: {} unacknowledged, prefetch {}", n.unacked, n.prefetch)}>
                    <circle cx={x.to_string()} cy={y.to_string()} r="30" />
                    <text x={x.to_string()} y={(y - 38.0).to_string()} class="label">{ label }</text>
                    { for (0..slots).map(|i| html! {
                        <rect class={if i < n.unacked { "slot full" } else { "slot" }}
                              x={(x - 8.0 * slots as f32 + 16.0 * i as f32 + 2.0).to_string()} y={(y - 6.0).to_string()} width="12" height="12" />
                    }) }
                    if slots == 0 { <text x={x.to_string()} y={(y + 5.0).to_string()} class="counts">{ format!("unacked {}", n.unacked) }</text> }
                </g>
            }
        }
        NodeKind::Exchange(kind) => html! {
            <g class="node exchange" data-id={n.id.clone()} aria-label={format!("{kind} exchange {label}")}>
                <polygon points={format!("{},{} {},{} {},{} {},{}", x, y - 30.0, x + 70.0, y, x, y + 30.0, x - 70.0, y)} />
                <text x={x.to_string()} y={(y - 2.0).to_string()} class="label">{ label }</text>
                <text x={x.to_string()} y={(y + 14.0).to_string()} class="counts">{ kind }</text>
            </g>
        },
        NodeKind::Producer => html! {
            <g class="node producer" data-id={n.id.clone()} aria-label={format!("producer {label}")}>
                <rect x={(x - 50.0).to_string()} y={(y - 22.0).to_string()} width="100" height="44" rx="22" />
                <text x={x.to_string()} y={(y + 5.0).to_string()} class="label">{ label }</text>
            </g>
        },
    }
}

fn diagram_view(d: &Diagram) -> Html {
    let (w, h) = d.size();
    html! {
        <svg id="diagram" viewBox={format!("0 0 {w} {h}")} role="img" aria-label="broker diagram">
            { for d.edges.iter().filter_map(|e| {
                let (a, b) = (d.node(&e.from)?, d.node(&e.to)?);
                Some(html! {
                    <g class="edge">
                        <line x1={a.x.to_string()} y1={a.y.to_string()} x2={b.x.to_string()} y2={b.y.to_string()} />
                        if !e.label.is_empty() {
                            <text x={((a.x + b.x) / 2.0).to_string()} y={((a.y + b.y) / 2.0 - 6.0).to_string()} class="edge-label">{ e.label.clone() }</text>
                        }
                    </g>
                })
            }) }
            { for d.nodes.iter().map(node_view) }
        </svg>
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let sim = use_memo((), |_| simulate(WORK_QUEUES));
    match &*sim {
        Ok(s) => html! {
            <main>
                <h1>{ "Warren" }</h1>
                <p>{ "A RabbitMQ simulator. The broker engine runs here, in your browser; the interactive canvas is on its way." }</p>
                <h2>{ s.name.clone() }</h2>
                { diagram_view(&s.diagram) }
                <h2>{ "What a pika client sees" }</h2>
                <pre id="trace" aria-label="trace">{ s.trace.clone() }</pre>
            </main>
        },
        Err(e) => html! { <main><p class="error">{ e.clone() }</p></main> },
    }
}
