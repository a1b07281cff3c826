//! `rabbitmqctl -q` on the simulated node: the listing commands, printed as RabbitMQ 3.10.8
//! prints them (a tab-separated header and rows; nothing at all when there are no rows; values
//! as its Erlang-flavoured formatter writes them: `true`, `[{"x-message-ttl",5000}]`), and the
//! commands that change the node (users, vhosts, permissions, purge/delete a queue, stop_app,
//! start_app, reset) with its messages and exit statuses. Row order is RabbitMQ's internal
//! table order there; here it is declaration order (queues, bindings of the default exchange)
//! and name order, which compare equal once sorted. Process ids (`<rabbit@warren.1.2.3>`) and
//! client ports are made up: they name the simulated connection and channel.
//!
//! Recorded against a real 3.10.8 broker: `tests/ctl/` (engine/tests/ctl.rs), and live in
//! `scripts/live_test.sh` (`warren ctl --amqp`).

use crate::access::CtlError;
use crate::exchange::Dest;
use crate::field::{FieldTable, FieldValue};
use crate::queue::ConnId;
use crate::{Broker, Server};

mod verbose;
pub use verbose::{help, verbose, NODE};
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

const CONSUMER_INFO: &[&str] = &[
    "queue_name",
    "channel_pid",
    "consumer_tag",
    "ack_required",
    "prefetch_count",
    "active",
    "activity_status",
    "arguments",
];
const CONNECTION_INFO: &[&str] = &[
    "auth_mechanism",
    "channel_max",
    "channels",
    "client_properties",
    "connected_at",
    "frame_max",
    "host",
    "name",
    "peer_cert_issuer",
    "peer_cert_subject",
    "peer_cert_validity",
    "peer_host",
    "peer_port",
    "pid",
    "port",
    "protocol",
    "recv_cnt",
    "recv_oct",
    "send_cnt",
    "send_oct",
    "send_pend",
    "ssl",
    "ssl_cipher",
    "ssl_hash",
    "ssl_key_exchange",
    "ssl_protocol",
    "state",
    "timeout",
    "user",
    "vhost",
];
const CHANNEL_INFO: &[&str] = &[
    "acks_uncommitted",
    "confirm",
    "connection",
    "consumer_count",
    "global_prefetch_count",
    "messages_unacknowledged",
    "messages_uncommitted",
    "messages_unconfirmed",
    "name",
    "number",
    "pid",
    "prefetch_count",
    "transactional",
    "user",
    "vhost",
];
const VHOST_INFO: &[&str] = &[
    "cluster_state",
    "default_queue_type",
    "description",
    "name",
    "tags",
    "tracing",
];

const GENERAL_USAGE: &str =
    "rabbitmqctl [--node <node>] [--timeout <timeout>] [--longnames] [--quiet] <command> [<command options>]";
const PREFIX: &str = "rabbitmqctl [--node <node>] [--longnames] [--quiet] ";

/// The commands: name, usage after the prefix, positional arguments (min, max).
const COMMANDS: &[(&str, &str, usize, usize)] = &[
    ("list_queues", "list_queues [--vhost <vhost>] [--online] [--offline] [--local] [--no-table-headers] [<column>, ...] [--timeout <timeout>]", 0, usize::MAX),
    ("list_exchanges", "list_exchanges [--vhost <vhost>] [--no-table-headers] [<column>, ...] [--timeout <timeout>]", 0, usize::MAX),
    ("list_bindings", "list_bindings [--vhost <vhost>] [--no-table-headers] [<column>, ...] [--timeout <timeout>]", 0, usize::MAX),
    ("list_consumers", "list_consumers [--vhost <vhost>] [--no-table-headers] [<column> ...] [--timeout <timeout>]", 0, usize::MAX),
    ("list_connections", "list_connections [--no-table-headers] [<column> ...] [--timeout <timeout>]", 0, usize::MAX),
    ("list_channels", "list_channels [--no-table-headers] [<column> ...]", 0, usize::MAX),
    ("list_users", "list_users [--no-table-headers] [--timeout <timeout>]", 0, 0),
    ("list_vhosts", "list_vhosts [--no-table-headers] [<column> ...] [--timeout <timeout>]", 0, usize::MAX),
    ("list_permissions", "list_permissions [--vhost <vhost>] [--no-table-headers] [--timeout <timeout>]", 0, 0),
    ("list_user_permissions", "list_user_permissions [--no-table-headers] <username> [--timeout <timeout>]", 1, 1),
    ("purge_queue", "purge_queue <queue> [--timeout <timeout>]", 1, 1),
    ("delete_queue", "delete_queue <queue_name> [--if-empty|-e] [--if-unused|-u] [--timeout <timeout>]", 1, 1),
    ("add_user", "add_user <username> <password>", 2, 2),
    ("delete_user", "delete_user <username>", 1, 1),
    ("change_password", "change_password <username> <password>", 2, 2),
    ("set_user_tags", "set_user_tags <username> <tag> [...]", 1, usize::MAX),
    ("add_vhost", "add_vhost <vhost> [--description <description> --tags \"<tag1>,<tag2>,<...>\" --default-queue-type <quorum|classic|stream>]", 1, 1),
    ("delete_vhost", "delete_vhost <vhost>", 1, 1),
    ("set_permissions", "set_permissions [--vhost <vhost>] <username> <conf> <write> <read>", 4, 4),
    ("clear_permissions", "clear_permissions [--vhost <vhost>] <username>", 1, 1),
    ("stop_app", "stop_app", 0, 0),
    ("start_app", "start_app", 0, 0),
    ("reset", "reset", 0, 0),
];

/// Does this command change the node (as opposed to listing it)?
pub fn changes_node(cmd: &str) -> bool {
    COMMANDS.iter().any(|c| c.0 == cmd) && !cmd.starts_with("list_")
}

/// A command line taken apart: the command, its positional words and its options.
struct Parsed<'a> {
    cmd: &'a str,
    usage: String,
    words: Vec<&'a str>,
    headers: bool,
    vhost: &'a str,
    if_empty: bool,
    if_unused: bool,
}

fn parse<'a>(args: &[&'a str]) -> Result<Parsed<'a>, Output> {
    let Some((&cmd, rest)) = args.split_first() else {
        return Err(usage_error("Command '' not found.".into(), GENERAL_USAGE));
    };
    let Some(&(_, usage, min, max)) = COMMANDS.iter().find(|c| c.0 == cmd) else {
        return Err(usage_error(format!("Command '{cmd}' not found. "), GENERAL_USAGE));
    };
    let usage = format!("{PREFIX}{usage}");
    let mut p = Parsed {
        cmd,
        usage,
        words: Vec::new(),
        headers: true,
        vhost: "/",
        if_empty: false,
        if_unused: false,
    };
    let mut it = rest.iter();
    while let Some(&a) = it.next() {
        match a {
            "--no-table-headers" => p.headers = false,
            "-p" | "--vhost" | "-t" | "--timeout" | "--description" | "--tags" | "--default-queue-type" => {
                let Some(&v) = it.next() else {
                    return Err(usage_error(format!("option {a} needs a value"), &p.usage));
                };
                if a == "-p" || a == "--vhost" {
                    p.vhost = v;
                }
            }
            "--online" | "--offline" | "--local" => {}
            "--if-empty" | "-e" if cmd == "delete_queue" => p.if_empty = true,
            "--if-unused" | "-u" if cmd == "delete_queue" => p.if_unused = true,
            _ => p.words.push(a),
        }
    }
    if p.words.len() < min {
        return Err(usage_error(
            "Error (argument validation): not enough arguments.".into(),
            &p.usage,
        ));
    }
    if p.words.len() > max {
        return Err(usage_error(
            "Error (argument validation): too many arguments.".into(),
            &p.usage,
        ));
    }
    Ok(p)
}

/// Run `rabbitmqctl -q ARGS` on the node as it is now: a listing, or a command that changes it.
pub fn execute(server: &mut Server, args: &[&str]) -> Output {
    let p = match parse(args) {
        Ok(p) => p,
        Err(out) => return out,
    };
    if let Some(out) = app_state_error(server, &p) {
        return out;
    }
    if !changes_node(p.cmd) {
        return list(server, &p);
    }
    let w = &p.words;
    let done = |r: Result<(), CtlError>| match r {
        Ok(()) => ok(String::new()),
        Err(e) => error(e),
    };
    match p.cmd {
        "purge_queue" => match server.purge_queue(p.vhost, w[0]) {
            Some(_) => ok(String::new()),
            // 4.x: 65, `Object (…) was not found` (seen on 4.3.6: ctl_queue_commands)
            None if server.four(crate::version::Difference::CtlQueues) => {
                error(CtlError::new(65, "Object (queue, stream, exchange, etc) was not found"))
            }
            None => error(CtlError::new(69, "not_found")),
        },
        "delete_queue" => match server.delete_queue(p.vhost, w[0], p.if_unused, p.if_empty) {
            Ok(n) => ok(format!("Queue was successfully deleted with {n} ready messages\n")),
            Err(e) => error(e),
        },
        "add_user" => done(server.add_user(w[0], w[1])),
        "delete_user" => done(server.delete_user(w[0])),
        "change_password" => done(server.change_password(w[0], w[1])),
        "set_user_tags" => {
            let tags: Vec<String> = w[1..].iter().map(|t| t.to_string()).collect();
            done(server.set_user_tags(w[0], &tags))
        }
        "add_vhost" => {
            server.add_vhost(w[0]);
            ok(String::new())
        }
        "delete_vhost" => match server.delete_vhost(w[0]) {
            Ok(()) => ok(String::new()),
            // printed without the "Error:" line
            Err(e) => Output {
                stdout: String::new(),
                stderr: format!("{}\n", e.text),
                status: e.status,
            },
        },
        "set_permissions" => done(server.set_permissions(p.vhost, w[0], w[1], w[2], w[3])),
        "clear_permissions" => done(server.clear_permissions(p.vhost, w[0])),
        "stop_app" => {
            let now = server.now();
            server.stop_app(now);
            ok(String::new())
        }
        "start_app" => {
            let now = server.now();
            server.start_app(now);
            ok(String::new())
        }
        _ => {
            // reset (app_state_error made sure the app is stopped)
            let now = server.now();
            server.reset(now);
            ok(String::new())
        }
    }
}

/// Run a listing command (`list_*`) on the node as it is now; a command that would change the
/// node is refused with a usage error (use [`execute`]).
pub fn run(server: &Server, args: &[&str]) -> Output {
    let p = match parse(args) {
        Ok(p) => p,
        Err(out) => return out,
    };
    if let Some(out) = app_state_error(server, &p) {
        return out;
    }
    if changes_node(p.cmd) {
        return usage_error(
            format!("Error: '{}' changes the node; this view only lists it.", p.cmd),
            &p.usage,
        );
    }
    list(server, &p)
}

/// Commands other than stop_app, start_app and reset need the application running; reset needs
/// it stopped.
fn app_state_error(server: &Server, p: &Parsed) -> Option<Output> {
    app_state_error_in(server.running(), p)
}

/// [`app_state_error`] for a node whose app is `running` or not.
fn app_state_error_in(running: bool, p: &Parsed) -> Option<Output> {
    match (p.cmd, running) {
        ("stop_app" | "start_app", _) => None,
        ("reset", true) => Some(usage_error(
            "Error: this command requires the 'rabbit' app to be stopped on the target node. Stop it with 'rabbitmqctl stop_app'.".into(),
            &p.usage,
        )),
        ("reset", false) => None,
        (_, false) => Some(usage_error(
            "Error: this command requires the 'rabbit' app to be running on the target node. Start it with 'rabbitmqctl start_app'.".into(),
            &p.usage,
        )),
        _ => None,
    }
}

/// What rabbitmqctl printed after its `Error:` line (all of stderr when there is none), trimmed:
/// the `text` of a `ctl_error` trace line.
pub fn error_text(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let from = lines.iter().position(|l| *l == "Error:").map_or(0, |i| i + 1);
    lines[from..].join("\n").trim().to_string()
}

fn ok(stdout: String) -> Output {
    Output {
        stdout,
        stderr: String::new(),
        status: 0,
    }
}

fn error(e: CtlError) -> Output {
    Output {
        stdout: String::new(),
        stderr: format!("Error:\n{}\n", e.text),
        status: e.status,
    }
}

fn list(server: &Server, p: &Parsed) -> Output {
    let cmd = p.cmd;
    let fixed = |cols: &[&'static str]| -> Vec<&'static str> { cols.to_vec() };
    let (known, default): (&[&str], Vec<&str>) = match cmd {
        "list_queues" => (QUEUE_INFO, fixed(&["name", "messages"])),
        "list_exchanges" => (EXCHANGE_INFO, fixed(&["name", "type"])),
        "list_bindings" => (BINDING_INFO, BINDING_INFO.to_vec()),
        "list_consumers" => (
            CONSUMER_INFO,
            fixed(&[
                "queue_name",
                "channel_pid",
                "consumer_tag",
                "ack_required",
                "prefetch_count",
                "active",
                "arguments",
            ]),
        ),
        "list_connections" => (CONNECTION_INFO, fixed(&["user", "peer_host", "peer_port", "state"])),
        "list_channels" => (
            CHANNEL_INFO,
            fixed(&["pid", "user", "consumer_count", "messages_unacknowledged"]),
        ),
        "list_vhosts" => (VHOST_INFO, fixed(&["name"])),
        // no columns to choose: the header is fixed
        "list_users" => (&[], fixed(&["user", "tags"])),
        "list_permissions" => (&[], fixed(&["user", "configure", "write", "read"])),
        _ => (&[], fixed(&["vhost", "configure", "write", "read"])), // list_user_permissions
    };
    let cols: Vec<&str> = if p.words.is_empty() || known.is_empty() {
        default
    } else {
        p.words.clone()
    };
    // 4.x has no global prefetch, and no column for it (seen on 4.3.6)
    let gone: &[&str] = if cmd == "list_channels" && server.version().four() {
        &["global_prefetch_count"]
    } else {
        &[]
    };
    let bad: Vec<&str> = cols
        .iter()
        .copied()
        .filter(|c| !known.contains(c) || gone.contains(c))
        .collect();
    if !known.is_empty() && !bad.is_empty() {
        return usage_error(
            format!(
                "Error (argument validation): Info key(s) {} are not supported",
                bad.join(",")
            ),
            &p.usage,
        );
    }
    // a vhost that does not exist lists nothing
    let in_vhost = |rows: fn(&Broker, &[&str]) -> Vec<Vec<String>>| {
        server.vhost(p.vhost).map(|b| rows(b, &cols)).unwrap_or_default()
    };
    let rows: Vec<Vec<String>> = match cmd {
        "list_queues" => in_vhost(queue_rows),
        "list_exchanges" => in_vhost(exchange_rows),
        "list_bindings" => in_vhost(binding_rows),
        "list_consumers" => in_vhost(consumer_rows),
        "list_connections" => connection_rows(server, &cols),
        "list_channels" => channel_rows(server, &cols),
        "list_vhosts" => vhost_rows(server, &cols),
        "list_users" => server
            .access()
            .users()
            .map(|(name, u)| vec![name.clone(), format!("[{}]", u.tags.join(", "))])
            .collect(),
        "list_permissions" => {
            if !server.access().has_vhost(p.vhost) {
                return Output {
                    stdout: String::new(),
                    stderr: format!("Virtual host '{}' does not exist\n", p.vhost),
                    status: 65,
                };
            }
            server
                .access()
                .permissions()
                .filter(|((_, v), _)| v == p.vhost)
                .map(|((u, _), perm)| permission_row(u, perm))
                .collect()
        }
        _ => {
            // list_user_permissions USER
            let user = p.words[0];
            if server.access().user(user).is_none() {
                return error(CtlError::new(69, format!("{{:no_such_user, \"{user}\"}}")));
            }
            server
                .access()
                .permissions()
                .filter(|((u, _), _)| u == user)
                .map(|((_, v), perm)| permission_row(v, perm))
                .collect()
        }
    };
    let mut stdout = String::new();
    if !rows.is_empty() {
        if p.headers {
            stdout.push_str(&cols.join("\t"));
            stdout.push('\n');
        }
        for r in rows {
            stdout.push_str(&r.join("\t"));
            stdout.push('\n');
        }
    }
    ok(stdout)
}

/// A row of list_permissions (by user) or list_user_permissions (by vhost).
fn permission_row(who: &str, perm: &crate::access::Permissions) -> Vec<String> {
    vec![
        who.to_string(),
        perm.configure.source().to_string(),
        perm.write.source().to_string(),
        perm.read.source().to_string(),
    ]
}

fn usage_error(what: String, usage: &str) -> Output {
    Output {
        stdout: String::new(),
        stderr: format!("{what}\n\nUsage\n\n{usage}\n"),
        status: 64,
    }
}

/// The made-up Erlang process id of a connection (`ch` 0) or one of its channels.
fn pid(conn: ConnId, ch: u16) -> String {
    format!("<{NODE}.1.{}.{ch}>", conn.0)
}

/// The made-up client port of a connection.
fn peer_port(conn: ConnId) -> u32 {
    50_000 + conn.0
}

fn connection_name(conn: ConnId) -> String {
    format!("127.0.0.1:{} -> 127.0.0.1:5672", peer_port(conn))
}

fn consumer_rows(b: &Broker, cols: &[&str]) -> Vec<Vec<String>> {
    let mut qs: Vec<_> = b.queues().collect();
    crate::sort::sort_by_key(&mut qs, |q| q.id);
    let mut rows = Vec::new();
    for q in qs {
        for (i, k) in q.registered.iter().enumerate() {
            let Some(c) = b.channel(k.conn, k.ch).and_then(|ch| ch.consumers.get(&k.tag)) else {
                continue;
            };
            let active = !q.cfg.single_active_consumer || i == 0;
            rows.push(
                cols.iter()
                    .map(|col| match *col {
                        "queue_name" => q.name.to_string(),
                        "channel_pid" => pid(k.conn, k.ch),
                        "consumer_tag" => k.tag.to_string(),
                        "ack_required" => bool_text(!c.no_ack),
                        "prefetch_count" => c.prefetch.to_string(),
                        "active" => bool_text(active),
                        "activity_status" => match (q.cfg.single_active_consumer, active) {
                            (false, _) => "up".into(),
                            (true, true) => "single_active".into(),
                            (true, false) => "waiting".into(),
                        },
                        _ if c.priority != 0 => format!("[{{\"x-priority\",{}}}]", c.priority),
                        _ => "[]".into(), // arguments
                    })
                    .collect(),
            );
        }
    }
    rows
}

fn connection_rows(server: &Server, cols: &[&str]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for b in server.vhosts() {
        for (&id, c) in b.connections() {
            rows.push((
                id,
                cols.iter()
                    .map(|col| match *col {
                        "auth_mechanism" => "PLAIN".into(),
                        "channel_max" => "2047".into(),
                        "channels" => c.channels.len().to_string(),
                        "client_properties" => "[]".into(),
                        "connected_at" => c.opened_at.to_string(),
                        "frame_max" => "131072".into(),
                        "host" | "peer_host" => "127.0.0.1".into(),
                        "name" => connection_name(id),
                        "peer_port" => peer_port(id).to_string(),
                        "pid" => pid(id, 0),
                        "port" => "5672".into(),
                        "protocol" => "{0,9,1}".into(),
                        "ssl" => "false".into(),
                        "state" => "running".into(),
                        "timeout" => "0".into(),
                        "user" => c.user.to_string(),
                        "vhost" => b.vhost().to_string(),
                        "send_pend" | "recv_cnt" | "recv_oct" | "send_cnt" | "send_oct" => "0".into(),
                        _ => String::new(), // peer_cert_* and ssl_*: no TLS here
                    })
                    .collect(),
            ));
        }
    }
    crate::sort::sort_by_key(&mut rows, |r| r.0);
    rows.into_iter().map(|r| r.1).collect()
}

fn channel_rows(server: &Server, cols: &[&str]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for b in server.vhosts() {
        for (&id, c) in b.connections() {
            for (&n, ch) in &c.channels {
                rows.push((
                    (id, n),
                    cols.iter()
                        .map(|col| match *col {
                            "confirm" => bool_text(ch.confirm),
                            "connection" => pid(id, 0),
                            "consumer_count" => ch.consumers.len().to_string(),
                            "global_prefetch_count" => ch.global_prefetch.to_string(),
                            "messages_unacknowledged" => ch.unacked().to_string(),
                            "name" => format!("{} ({n})", connection_name(id)),
                            "number" => n.to_string(),
                            "pid" => pid(id, n),
                            "prefetch_count" => ch.prefetch.to_string(),
                            "transactional" => "false".into(),
                            "user" => c.user.to_string(),
                            "vhost" => b.vhost().to_string(),
                            // confirms are immediate here; no transactions
                            _ => "0".into(),
                        })
                        .collect(),
                ));
            }
        }
    }
    crate::sort::sort_by_key(&mut rows, |r| r.0);
    rows.into_iter().map(|r| r.1).collect()
}

fn vhost_rows(server: &Server, cols: &[&str]) -> Vec<Vec<String>> {
    server
        .access()
        .vhosts()
        .map(|v| {
            cols.iter()
                .map(|col| match *col {
                    "name" => v.clone(),
                    "tracing" => "false".into(),
                    "cluster_state" => format!("[{{{NODE},running}}]"),
                    "tags" => "[]".into(),
                    "default_queue_type" => "undefined".into(),
                    _ => String::new(), // description
                })
                .collect()
        })
        .collect()
}

fn bool_text(v: bool) -> String {
    if v { "true" } else { "false" }.into()
}

/// A field value as rabbitmqctl prints it inside `arguments`.
fn value_text(v: &FieldValue) -> String {
    match v {
        FieldValue::Bool(b) => bool_text(*b),
        FieldValue::Int(_, n) => n.to_string(),
        FieldValue::Float(f) => crate::num::float_text(*f),
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
    crate::sort::sort_by_key(&mut qs, |q| q.id);
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
    crate::sort::sort_by_key(&mut qs, |q| q.id);
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
