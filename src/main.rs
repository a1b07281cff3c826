//! Warren's web app (placeholder until the visual simulator lands): runs the engine in the
//! browser and shows the trace of a small scenario.

use warren_engine::scenario::Scenario;
use warren_engine::trace::{to_jsonl, Runner};
use yew::prelude::*;

const HELLO: &str = r#"{"name": "hello world", "steps": [
 {"call": "queue_declare", "args": {"queue": "hello"}},
 {"call": "basic_publish", "args": {"exchange": "", "routing_key": "hello", "body": "Hello World!"}},
 {"conn": "R", "call": "basic_consume", "args": {"queue": "hello", "auto_ack": true, "consumer_tag": "receiver"}}
]}"#;

#[function_component(App)]
fn app() -> Html {
    let trace = Scenario::parse(HELLO)
        .map_err(|e| e.to_string())
        .and_then(|s| Runner::run(&s).map_err(|e| e.to_string()))
        .map(|lines| to_jsonl(&lines))
        .unwrap_or_else(|e| e);
    html! {
        <main>
            <h1>{ "Warren" }</h1>
            <p>{ "A RabbitMQ simulator. The broker engine runs here, in your browser; the visual simulator is on its way." }</p>
            <h2>{ "Hello world, as a pika client sees it" }</h2>
            <pre id="trace" aria-label="trace">{ trace }</pre>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
