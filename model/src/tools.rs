//! What the page hands to its tools worker: the design as pika code ([`crate::pika`]), as RabbitMQ
//! definitions, and topologies imported (from definitions, or by running a scenario that has no
//! canvas). Few visits ask for any of them, so they
//! are a second wasm program (`src/tools_main.rs`, built by Trunk as a web worker) that the page
//! starts the first time one is asked for: the page itself carries none of their code.
//!
//! A request and its answer are JSON texts (a worker's messages):
//! - request: `{"id": n, "job": "pika" | "definitions" | "import", "input": …}`, where the input
//!   is the design (as the page saves it) for `pika` and `definitions`, and the definitions or
//!   scenario document for `import`;
//! - answer: `{"id": n, "ok": …}` or `{"id": n, "error": "why"}`; `ok` is `[[file name, text],
//!   …]` for `pika`, the definitions for `definitions`, and `{"design": …, "left_out": […]}` for
//!   `import`.
//!
//! [`handle`] is the whole of it, plain Rust: the tests call it natively.

use crate::design::Design;
use crate::json::Json;
use serde_json::{json, Value};

/// What the worker can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    Pika,
    Definitions,
    Import,
}

impl Job {
    pub fn name(self) -> &'static str {
        match self {
            Job::Pika => "pika",
            Job::Definitions => "definitions",
            Job::Import => "import",
        }
    }
}

/// The request for `job` on `input`, numbered `id`.
pub fn request(id: u64, job: Job, input: Value) -> String {
    json!({"id": id, "job": job.name(), "input": input}).to_string()
}

/// The answer to a request (never a panic: a request it cannot read is answered with why).
pub fn handle(request: &str) -> String {
    let req: Value = serde_json::from_str(request).unwrap_or(Value::Null);
    let id = req["id"].clone();
    let answer = run(&req);
    match answer {
        Ok(v) => json!({"id": id, "ok": v}),
        Err(e) => json!({"id": id, "error": e}),
    }
    .to_string()
}

fn run(req: &Value) -> Result<Value, String> {
    let input = &req["input"];
    let design = || Design::read(input).map_err(|e| format!("the design: {e}"));
    match req["job"].as_str() {
        Some("pika") => Ok(json!(crate::pika::files(&design()?))),
        Some("definitions") => design()?.definitions(),
        Some("import") => {
            let (d, left_out) = Design::import(input)?;
            Ok(json!({"design": d.write(), "left_out": left_out}))
        }
        _ => Err(format!("not a tools request: {}", truncated(req))),
    }
}

fn truncated(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

/// An answer read back: its request's id and the outcome.
pub fn answer(text: &str) -> Option<(u64, Result<Value, String>)> {
    let mut v: Value = serde_json::from_str(text).ok()?;
    let id = v["id"].as_u64()?;
    if let Some(e) = v.get("error") {
        return Some((id, Err(e.as_str().unwrap_or("the tools worker failed").to_string())));
    }
    Some((id, Ok(v.get_mut("ok")?.take())))
}
