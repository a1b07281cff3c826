//! RabbitMQ definitions (`rabbitmqctl export_definitions`, the management API's JSON) for the
//! topology of vhost `/`: exchanges, queues and bindings, out of a broker and back in as a scenario.
//!
//! What RabbitMQ 3.10.8 exports (observed on the real broker, `tests/definitions/`): every
//! exchange but the default one, the `amq.*` ones and internal ones; every queue but exclusive
//! ones (transient and auto-delete ones included), with `type` classic or quorum; every binding of
//! every exchange but the default one (also to and from internal exchanges and `amq.*` ones, and
//! to exclusive queues while they live).

use crate::broker::Broker;
use crate::exchange::Dest;
use crate::field::table_to_json;
use serde_json::{json, Map, Value};

/// The definitions of a broker's topology, as `rabbitmqctl export_definitions` writes them
/// (only `vhosts`, `queues`, `exchanges` and `bindings`: no users, permissions or policies).
pub fn export(broker: &Broker) -> Value {
    let mut exchanges = Vec::new();
    let mut bindings = Vec::new();
    for x in broker.exchanges().filter(|x| !x.name.is_empty()) {
        // 4.x exports its log exchange, internal as it is (seen on 4.3.6)
        if !x.name.starts_with("amq.") && !x.internal || &*x.name == crate::broker::LOG_EXCHANGE {
            exchanges.push(
                json!({"name": &*x.name, "vhost": "/", "type": x.kind.name(), "durable": x.durable,
                "auto_delete": x.auto_delete, "arguments": table_to_json(&x.arguments)}),
            );
        }
        for b in &x.bindings {
            let (dest, kind) = match &b.dest {
                Dest::Queue(q) => (q, "queue"),
                Dest::Exchange(e) => (e, "exchange"),
            };
            bindings.push(json!({"source": &*x.name, "vhost": "/", "destination": &**dest,
                "destination_type": kind, "routing_key": &*b.key, "arguments": table_to_json(&b.args)}));
        }
    }
    let queues: Vec<Value> = broker
        .queues()
        .filter(|q| q.exclusive_owner.is_none())
        .map(|q| {
            json!({"name": &*q.name, "vhost": "/", "durable": q.durable, "auto_delete": q.auto_delete,
                "type": if q.cfg.quorum { "quorum" } else { "classic" },
                "arguments": table_to_json(&q.arguments)})
        })
        .collect();
    let release = broker.version().release();
    json!({"rabbit_version": release, "rabbitmq_version": release, "vhosts": [{"name": "/"}],
        "queues": queues, "exchanges": exchanges, "bindings": bindings})
}

/// A scenario that declares what definitions describe, and what it could not represent.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The scenario (`shared/scenario-format.md`): exchanges, then queues, then bindings.
    pub scenario: Value,
    /// What the scenario leaves out, one line each (users, permissions, other vhosts…).
    pub left_out: Vec<String>,
}

fn field<'a>(o: &'a Map<String, Value>, k: &str, what: &str) -> Result<&'a Value, String> {
    o.get(k).ok_or_else(|| format!("{what}: no \"{k}\""))
}

fn text(o: &Map<String, Value>, k: &str, what: &str) -> Result<String, String> {
    field(o, k, what)?
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{what}: \"{k}\" is not a string"))
}

fn flag(o: &Map<String, Value>, k: &str, what: &str) -> Result<bool, String> {
    match o.get(k) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(v) => Err(format!("{what}: \"{k}\" is {v}, not true or false")),
    }
}

fn arguments(o: &Map<String, Value>, what: &str) -> Result<Value, String> {
    match o.get("arguments") {
        None | Some(Value::Null) => Ok(json!({})),
        Some(v @ Value::Object(_)) => Ok(v.clone()),
        Some(v) => Err(format!("{what}: \"arguments\" is {v}, not an object")),
    }
}

/// Read definitions (a full `export_definitions` file or just its topology) into a scenario.
/// Errors say which entry and field is wrong.
pub fn import(defs: &Value, name: &str) -> Result<Imported, String> {
    let Value::Object(top) = defs else {
        return Err("definitions are a JSON object with \"queues\", \"exchanges\" and \"bindings\"".into());
    };
    let mut left_out = Vec::new();
    let list = |k: &str| -> Result<Vec<Map<String, Value>>, String> {
        match top.get(k) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.as_object()
                        .cloned()
                        .ok_or_else(|| format!("{k}[{i}] is not an object"))
                })
                .collect(),
            Some(v) => Err(format!("\"{k}\" is {v}, not a list")),
        }
    };
    // what a scenario has no place for
    for k in [
        "users",
        "permissions",
        "topic_permissions",
        "policies",
        "parameters",
        "global_parameters",
    ] {
        let n = list(k)?.len();
        if n > 0 {
            left_out.push(format!("{}: {n} (a scenario has none)", k.replace('_', " ")));
        }
    }
    for v in list("vhosts")? {
        if let Some(n) = v.get("name").and_then(Value::as_str).filter(|n| *n != "/") {
            left_out.push(format!("vhost '{n}' (a scenario has only '/')"));
        }
    }
    let in_root = |o: &Map<String, Value>, what: &str, left_out: &mut Vec<String>| -> bool {
        match o.get("vhost").and_then(Value::as_str) {
            None | Some("/") => true,
            Some(v) => {
                left_out.push(format!("{what} in vhost '{v}'"));
                false
            }
        }
    };
    let mut steps = Vec::new();
    for (i, x) in list("exchanges")?.iter().enumerate() {
        let what = format!("exchanges[{i}]");
        let name = text(x, "name", &what)?;
        if !in_root(x, &format!("exchange '{name}'"), &mut left_out) {
            continue;
        }
        if name.is_empty() || name.starts_with("amq.") {
            left_out.push(format!("exchange '{name}' (predeclared by RabbitMQ)"));
            continue;
        }
        steps.push(json!({"call": "exchange_declare", "args": {"exchange": name,
            "exchange_type": text(x, "type", &what)?, "durable": flag(x, "durable", &what)?,
            "auto_delete": flag(x, "auto_delete", &what)?, "internal": flag(x, "internal", &what)?,
            "arguments": arguments(x, &what)?}}));
    }
    for (i, q) in list("queues")?.iter().enumerate() {
        let what = format!("queues[{i}]");
        let name = text(q, "name", &what)?;
        if !in_root(q, &format!("queue '{name}'"), &mut left_out) {
            continue;
        }
        let mut args = arguments(q, &what)?;
        // `type` is also an argument when it is not classic (the broker exports both)
        if let Some(t) = q.get("type").and_then(Value::as_str).filter(|t| *t != "classic") {
            args["x-queue-type"] = json!(t);
        }
        steps.push(json!({"call": "queue_declare", "args": {"queue": name,
            "durable": flag(q, "durable", &what)?, "auto_delete": flag(q, "auto_delete", &what)?,
            "arguments": args}}));
    }
    let declared = |call: &str, key: &str| -> Vec<String> {
        steps
            .iter()
            .filter(|s| s["call"] == call)
            .filter_map(|s| s["args"][key].as_str().map(str::to_string))
            .collect()
    };
    let (queues, exchanges) = (
        declared("queue_declare", "queue"),
        declared("exchange_declare", "exchange"),
    );
    for (i, b) in list("bindings")?.iter().enumerate() {
        let what = format!("bindings[{i}]");
        let (source, dest) = (text(b, "source", &what)?, text(b, "destination", &what)?);
        if !in_root(b, &format!("binding of '{dest}' to '{source}'"), &mut left_out) {
            continue;
        }
        let key = match b.get("routing_key") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => return Err(format!("{what}: \"routing_key\" is {v}, not a string")),
        };
        let args = arguments(b, &what)?;
        let kind = text(b, "destination_type", &what)?;
        let known = |x: &str, list: &[String]| x.is_empty() || x.starts_with("amq.") || list.iter().any(|n| n == x);
        let dest_known = match kind.as_str() {
            "queue" => queues.contains(&dest),
            _ => known(&dest, &exchanges),
        };
        if !known(&source, &exchanges) || !dest_known {
            // e.g. a binding of an exclusive queue: the broker exports the binding, not the queue
            left_out.push(format!(
                "binding of {kind} '{dest}' to '{source}' with key '{key}' (one end is not in the definitions)"
            ));
            continue;
        }
        match kind.as_str() {
            "queue" => steps.push(json!({"call": "queue_bind", "args": {"queue": dest, "exchange": source,
                "routing_key": key, "arguments": args}})),
            "exchange" => steps.push(json!({"call": "exchange_bind", "args": {"destination": dest,
                "source": source, "routing_key": key, "arguments": args}})),
            t => return Err(format!("{what}: \"destination_type\" is '{t}', not queue or exchange")),
        }
    }
    Ok(Imported {
        scenario: json!({"name": name, "steps": steps}),
        left_out,
    })
}

/// The definitions a scenario leaves on a broker once it has run and its clients have gone
/// (their exclusive queues, and auto-delete queues they consumed from, go with them).
pub fn of_scenario(scenario: &crate::scenario::Scenario) -> Result<Value, crate::trace::RunError> {
    let mut r = crate::trace::Runner::with_version(scenario.seed, scenario.rabbitmq.unwrap_or_default());
    crate::trace::run_steps(&scenario.steps, |i, st| r.step(i, st))?;
    let now = r.now();
    for c in r.server.connection_ids() {
        r.server.close_connection(now, c);
    }
    Ok(export(r.broker()))
}
