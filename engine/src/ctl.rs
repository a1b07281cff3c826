//! `rabbitmqctl -q` on the simulated broker: the listing commands, printed as RabbitMQ 3.10.8
//! prints them (a tab-separated header and rows; nothing at all when there are no rows; values
//! as its Erlang-flavoured formatter writes them: `true`, `[{"x-message-ttl",5000}]`). Row order
//! is RabbitMQ's internal table order there; here it is declaration order (queues, bindings of
//! the default exchange) and name order, which compare equal once sorted.
//!
//! Recorded against a real 3.10.8 broker: `tests/ctl/` (engine/tests/ctl.rs), and live in
//! `scripts/live_test.sh` (`warren ctl --amqp`).

use crate::exchange::Dest;
use crate::field::{FieldTable, FieldValue};
use crate::{Broker, Server};

/// What `rabbitmqctl` prints, and its exit status (0, or 64 for a usage error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

const QUEUE_INFO: &[&str] = &[
    "name",
    "durable",
    "auto_delete",
    "arguments",
    "policy",
    "exclusive",
    "messages_ready",
    "messages_unacknowledged",
    "messages",
    "consumers",
    "type",
    "state",
];
const EXCHANGE_INFO: &[&str] = &[
    "name",
    "type",
    "durable",
    "auto_delete",
    "internal",
    "arguments",
    "policy",
];
const BINDING_INFO: &[&str] = &[
    "source_name",
    "source_kind",
    "destination_name",
    "destination_kind",
    "routing_key",
    "arguments",
];

/// Run `rabbitmqctl -q ARGS` against the node as it is now.
pub fn run(server: &Server, args: &[&str]) -> Output {
    let Some((&cmd, rest)) = args.split_first() else {
        return usage_error(
            "Command '' not found.".into(),
            "rabbitmqctl [--node <node>] [--timeout <timeout>] [--longnames] [--quiet] <command> [<command options>]",
        );
    };
    // options these commands accept and that change nothing here
    let mut cols: Vec<&str> = Vec::new();
    let mut headers = true;
    let mut vhost = "/";
    let mut it = rest.iter();
    while let Some(&a) = it.next() {
        match a {
            "--no-table-headers" => headers = false,
            "-p" | "--vhost" | "-t" | "--timeout" => {
                let Some(&v) = it.next() else {
                    return usage_error(format!("option {a} needs a value"), usage(cmd));
                };
                if a == "-p" || a == "--vhost" {
                    vhost = v;
                }
            }
            "--online" | "--offline" | "--local" => {}
            _ => cols.push(a),
        }
    }
    let (known, default): (&[&str], &[&str]) = match cmd {
        "list_queues" => (QUEUE_INFO, &["name", "messages"]),
        "list_exchanges" => (EXCHANGE_INFO, &["name", "type"]),
        "list_bindings" => (BINDING_INFO, BINDING_INFO),
        _ => return usage_error(
            format!("Command '{cmd}' not found. "),
            "rabbitmqctl [--node <node>] [--timeout <timeout>] [--longnames] [--quiet] <command> [<command options>]",
        ),
    };
    let cols: Vec<&str> = if cols.is_empty() { default.to_vec() } else { cols };
    let bad: Vec<&str> = cols.iter().copied().filter(|c| !known.contains(c)).collect();
    if !bad.is_empty() {
        return usage_error(
            format!(
                "Error (argument validation): Info key(s) {} are not supported",
                bad.join(",")
            ),
            usage(cmd),
        );
    }
    // a vhost that does not exist lists nothing
    let empty = Broker::for_vhost(0, vhost);
    let b = server.vhost(vhost).unwrap_or(&empty);
    let rows = match cmd {
        "list_queues" => queue_rows(b, &cols),
        "list_exchanges" => exchange_rows(b, &cols),
        _ => binding_rows(b, &cols),
    };
    let mut stdout = String::new();
    if !rows.is_empty() {
        if headers {
            stdout.push_str(&cols.join("\t"));
            stdout.push('\n');
        }
        for r in rows {
            stdout.push_str(&r.join("\t"));
            stdout.push('\n');
        }
    }
    Output {
        stdout,
        stderr: String::new(),
        status: 0,
    }
}

fn usage(cmd: &str) -> &'static str {
    match cmd {
        "list_queues" => "rabbitmqctl [--node <node>] [--longnames] [--quiet] list_queues [--vhost <vhost>] [--online] [--offline] [--local] [--no-table-headers] [<column>, ...] [--timeout <timeout>]",
        "list_exchanges" => "rabbitmqctl [--node <node>] [--longnames] [--quiet] list_exchanges [--vhost <vhost>] [--no-table-headers] [<column>, ...] [--timeout <timeout>]",
        _ => "rabbitmqctl [--node <node>] [--longnames] [--quiet] list_bindings [--vhost <vhost>] [--no-table-headers] [<column>, ...] [--timeout <timeout>]",
    }
}

fn usage_error(what: String, usage: &str) -> Output {
    Output {
        stdout: String::new(),
        stderr: format!("{what}\n\nUsage\n\n{usage}\n"),
        status: 64,
    }
}

fn bool_text(v: bool) -> String {
    if v { "true" } else { "false" }.into()
}

/// A field value as rabbitmqctl prints it inside `arguments`.
fn value_text(v: &FieldValue) -> String {
    match v {
        FieldValue::Bool(b) => bool_text(*b),
        FieldValue::Int(_, n) => n.to_string(),
        FieldValue::Float(f) => f.to_string(),
        FieldValue::Decimal(d) => d.clone(),
        // an empty binary prints as the empty list
        FieldValue::Str(s) if s.is_empty() => "[]".into(),
        FieldValue::Str(s) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
        FieldValue::Timestamp(t) => t.to_string(),
        FieldValue::Table(t) => table_text(t),
        FieldValue::Array(a) => format!("[{}]", a.iter().map(value_text).collect::<Vec<_>>().join(",")),
        FieldValue::Void => "undefined".into(),
    }
}

/// `[{"key",value},…]`, keys in order (as RabbitMQ keeps them).
fn table_text(t: &FieldTable) -> String {
    let parts: Vec<String> = t
        .iter()
        .map(|(k, v)| format!("{{\"{k}\",{}}}", value_text(v)))
        .collect();
    format!("[{}]", parts.join(","))
}

fn queue_rows(b: &Broker, cols: &[&str]) -> Vec<Vec<String>> {
    let mut qs: Vec<_> = b.queues().collect();
    qs.sort_by_key(|q| q.id);
    qs.iter()
        .map(|q| {
            cols.iter()
                .map(|c| match *c {
                    "name" => q.name.to_string(),
                    "durable" => bool_text(q.durable),
                    "auto_delete" => bool_text(q.auto_delete),
                    "arguments" => table_text(&q.arguments),
                    "policy" => String::new(),
                    // a quorum queue has no exclusive flag to show
                    "exclusive" if q.cfg.quorum => String::new(),
                    "exclusive" => bool_text(q.exclusive_owner.is_some()),
                    "messages_ready" => q.len().to_string(),
                    "messages_unacknowledged" => q.unacked.to_string(),
                    "messages" => (q.len() + q.unacked).to_string(),
                    "consumers" => q.consumer_count().to_string(),
                    "type" => if q.cfg.quorum { "quorum" } else { "classic" }.into(),
                    _ => "running".into(), // state
                })
                .collect()
        })
        .collect()
}

fn exchange_rows(b: &Broker, cols: &[&str]) -> Vec<Vec<String>> {
    b.exchanges()
        .map(|x| {
            cols.iter()
                .map(|c| match *c {
                    "name" => x.name.to_string(),
                    "type" => x.kind.name().into(),
                    "durable" => bool_text(x.durable),
                    "auto_delete" => bool_text(x.auto_delete),
                    "internal" => bool_text(x.internal),
                    "arguments" => table_text(&x.arguments),
                    _ => String::new(), // policy
                })
                .collect()
        })
        .collect()
}

fn binding_rows(b: &Broker, cols: &[&str]) -> Vec<Vec<String>> {
    let row = |source: &str, dest: &Dest, key: &str, args: &FieldTable| -> Vec<String> {
        let (dname, dkind) = match dest {
            Dest::Queue(q) => (q.to_string(), "queue"),
            Dest::Exchange(x) => (x.to_string(), "exchange"),
        };
        cols.iter()
            .map(|c| match *c {
                "source_name" => source.to_string(),
                "source_kind" => "exchange".into(),
                "destination_name" => dname.clone(),
                "destination_kind" => dkind.into(),
                "routing_key" => key.to_string(),
                _ => table_text(args), // arguments
            })
            .collect()
    };
    // every queue is bound to the default exchange by its name
    let mut qs: Vec<_> = b.queues().collect();
    qs.sort_by_key(|q| q.id);
    let mut rows: Vec<Vec<String>> = qs
        .iter()
        .map(|q| row("", &Dest::Queue(q.name.clone()), &q.name, &FieldTable::new()))
        .collect();
    for x in b.exchanges().filter(|x| !x.name.is_empty()) {
        for bd in &x.bindings {
            rows.push(row(&x.name, &bd.dest, &bd.key, &bd.args));
        }
    }
    rows
}
