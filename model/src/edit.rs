//! Editing a design while it runs: what a change means for the broker and the clients that are
//! running, as RabbitMQ and pika would take it.
//!
//! - Where nodes are drawn, and a client's settings (a producer's body, key, burst, timer,
//!   headers…; a consumer's processing time, failures, replies) change nothing that ran: they
//!   apply from the next publish or delivery.
//! - A consumer's prefetch or acknowledgement mode: its client cancels its consumer and
//!   subscribes again on the same channel with the new `basic.qos` (what it holds stays
//!   unacknowledged, and is acked as before).
//! - What the running broker takes as it runs: a new exchange or queue is declared, a new link
//!   bound (a link removed, unbound), a new consumer starts, a removed one stops, a removed queue
//!   or exchange is deleted, a consumer moved to another queue subscribes there.
//! - What it would refuse or cannot take, and the client settings fixed when a client connects
//!   (a queue's or exchange's arguments, a rename, users, a producer's login or confirms): the
//!   run must start again; [`Plan::restart`] says why, in RabbitMQ's words where it has some.

use crate::design::{Design, Id, Kind, Node, Spec};
use serde_json::{json, Value};

/// What a design change does to a running simulation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Steps to run now, in order (scenario format), for the change to take effect.
    pub steps: Vec<Value>,
    /// Consumers that start (their client runs), after the steps.
    pub start: Vec<Id>,
    /// Consumers whose client stops (its connection closes), before the steps.
    pub stop: Vec<Id>,
    /// Producers whose timer (`every_ms`) starts.
    pub timers: Vec<Id>,
    /// The run cannot take the change: why, for the person (then nothing else applies).
    pub restart: Option<String>,
}

fn same_but_place(a: &Node, b: &Node) -> bool {
    a.id == b.id && a.name == b.name && a.spec == b.spec
}

/// What changing the running design `old` into `new` takes.
pub fn plan(old: &Design, new: &Design) -> Plan {
    let mut p = Plan::default();
    let restart = |why: String| Plan {
        restart: Some(why),
        ..Plan::default()
    };
    if old.users != new.users {
        return restart("users and permissions are set before the clients connect".into());
    }
    if old.seed != new.seed {
        return restart("another seed is another run".into());
    }
    if old.rabbitmq != new.rabbitmq {
        return restart(format!("RabbitMQ {} is another broker", new.rabbitmq));
    }
    let old_node = |id: Id| old.node(id);
    // nodes changed in place
    for n in &new.nodes {
        let Some(o) = old_node(n.id) else { continue };
        if same_but_place(o, n) {
            continue;
        }
        if o.kind() != n.kind() {
            return restart(format!("{} became another kind of node", o.name));
        }
        if o.name != n.name {
            let what = match n.kind() {
                Kind::Queue => {
                    "a queue renamed is another queue (RabbitMQ has no rename): the old one stays with its messages"
                }
                Kind::Exchange => "an exchange renamed is another exchange (RabbitMQ has no rename)",
                _ => "a client renamed is another client",
            };
            return restart(format!("'{}' renamed '{}': {what}", o.name, n.name));
        }
        match (&o.spec, &n.spec) {
            (Spec::Queue(a), Spec::Queue(b)) if a != b => {
                return restart(format!(
                    "queue '{}' is declared already: declaring it again with other settings gets PRECONDITION_FAILED - inequivalent arg (a queue's arguments are fixed when it is declared)",
                    n.name
                ));
            }
            (Spec::Exchange(a), Spec::Exchange(b)) if a != b => {
                return restart(format!(
                    "exchange '{}' is declared already: declaring it again with another type or settings gets PRECONDITION_FAILED - inequivalent arg",
                    n.name
                ));
            }
            (Spec::Producer(a), Spec::Producer(b)) => {
                if a.user != b.user || a.password != b.password || a.confirm != b.confirm {
                    return restart(format!(
                        "{}'s login and publisher confirms are set when it connects",
                        n.name
                    ));
                }
                if a.every_ms == 0 && b.every_ms > 0 {
                    p.timers.push(n.id);
                }
            }
            (Spec::Consumer(a), Spec::Consumer(b)) => {
                if a.user != b.user || a.password != b.password {
                    return restart(format!("{}'s login is set when it connects", n.name));
                }
                if (a.prefetch, a.auto_ack) != (b.prefetch, b.auto_ack) {
                    // cancel, set the new prefetch, subscribe again (same channel)
                    if let Some(q) = new.consumer_queue(n.id) {
                        p.steps
                            .push(json!({"conn": n.name, "call": "basic_cancel", "args": {"consumer_tag": n.name}}));
                        p.steps
                            .push(json!({"conn": n.name, "call": "basic_qos", "args": {"prefetch_count": b.prefetch}}));
                        p.steps.push(json!({"conn": n.name, "call": "basic_consume", "args": {
                            "queue": new.queue_ref(&q.name), "auto_ack": b.auto_ack, "consumer_tag": n.name}}));
                    }
                }
            }
            _ => {}
        }
    }
    // nodes removed: consumers stop, queues and exchanges are deleted (from the broker)
    for o in &old.nodes {
        if new.node(o.id).is_some() {
            continue;
        }
        match o.kind() {
            Kind::Consumer => p.stop.push(o.id),
            Kind::Queue => {
                if let Some(Spec::Queue(q)) = Some(&o.spec) {
                    if q.server_named {
                        return restart(format!("'{}' is named by the broker: start again without it", o.name));
                    }
                }
                p.steps
                    .push(json!({"conn": "setup", "call": "queue_delete", "args": {"queue": o.name}}));
            }
            Kind::Exchange => {
                p.steps
                    .push(json!({"conn": "setup", "call": "exchange_delete", "args": {"exchange": o.name}}));
            }
            Kind::Producer => {}
        }
    }
    // nodes added: declared (as setup declares them)
    let setup = new.setup_steps();
    let added = |id: Id| old.node(id).is_none();
    for n in &new.nodes {
        if !added(n.id) {
            continue;
        }
        match n.kind() {
            Kind::Exchange | Kind::Queue => {
                let key = if n.kind() == Kind::Exchange {
                    "exchange"
                } else {
                    "queue"
                };
                let call = format!("{key}_declare");
                if let Some(s) = setup.iter().find(|s| {
                    s["call"] == call.as_str() && (s["args"][key] == n.name.as_str() || s["as"] == n.name.as_str())
                }) {
                    if s["conn"] != "setup" {
                        // an exclusive queue is its consumer's: declared when that one starts
                        continue;
                    }
                    p.steps.push(s.clone());
                }
            }
            Kind::Consumer => p.start.push(n.id),
            Kind::Producer => {
                if matches!(&n.spec, Spec::Producer(x) if x.every_ms > 0) {
                    p.timers.push(n.id);
                }
            }
        }
    }
    // links: bindings come and go; a consumer moved to another queue subscribes there
    let binding = |d: &Design, l: &crate::design::Link| -> Option<Value> {
        let (a, b) = (d.node(l.from)?, d.node(l.to)?);
        (a.kind() == Kind::Exchange && matches!(b.kind(), Kind::Queue | Kind::Exchange)).then(|| {
            let arguments: serde_json::Map<String, Value> =
                warren_engine::sort::map_of(l.arguments.iter().map(|(k, v)| (k.clone(), json!(v))));
            json!({"source": a.name, "dest": b.name, "queue": b.kind() == Kind::Queue, "key": l.key,
                "arguments": arguments})
        })
    };
    let bindings = |d: &Design| -> Vec<Value> { d.links.iter().filter_map(|l| binding(d, l)).collect() };
    let (was, now) = (bindings(old), bindings(new));
    for b in was.iter().filter(|b| !now.contains(b)) {
        let (src, dest) = (b["source"].as_str().unwrap_or(""), b["dest"].as_str().unwrap_or(""));
        if new.by_name(Kind::Exchange, src).is_none()
            || (new.by_name(Kind::Queue, dest).is_none() && new.by_name(Kind::Exchange, dest).is_none())
        {
            continue; // its end was deleted: the binding went with it
        }
        p.steps.push(if b["queue"] == true {
            json!({"conn": "setup", "call": "queue_unbind", "args": {"queue": new.queue_ref(dest), "exchange": src,
                "routing_key": b["key"], "arguments": b["arguments"]}})
        } else {
            json!({"conn": "setup", "call": "exchange_unbind", "args": {"destination": dest, "source": src,
                "routing_key": b["key"], "arguments": b["arguments"]}})
        });
    }
    for b in now.iter().filter(|b| !was.contains(b)) {
        let (src, dest) = (b["source"].as_str().unwrap_or(""), b["dest"].as_str().unwrap_or(""));
        if let Some(q) = new.by_name(Kind::Queue, dest) {
            if new.queue_owner(q.id) != "setup" && added(q.id) {
                continue; // bound by its consumer when it starts
            }
        }
        p.steps.push(if b["queue"] == true {
            json!({"conn": new.queue_owner(new.by_name(Kind::Queue, dest).map_or(0, |q| q.id)), "call": "queue_bind",
                "args": {"queue": new.queue_ref(dest), "exchange": src, "routing_key": b["key"], "arguments": b["arguments"]}})
        } else {
            json!({"conn": "setup", "call": "exchange_bind", "args": {"destination": dest, "source": src,
                "routing_key": b["key"], "arguments": b["arguments"]}})
        });
    }
    for n in new.nodes.iter().filter(|n| n.kind() == Kind::Consumer && !added(n.id)) {
        let (a, b) = (
            old.consumer_queue(n.id).map(|q| q.id),
            new.consumer_queue(n.id).map(|q| q.id),
        );
        if a != b {
            p.stop.push(n.id);
            if b.is_some() {
                p.start.push(n.id);
            }
        }
    }
    p
}
