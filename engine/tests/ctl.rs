//! `warren ctl` (engine::ctl) against what `rabbitmqctl -q` printed on RabbitMQ 3.10.8 after the
//! same scenarios, clients still connected (recorded with `scripts/ctl_compare.sh --record`;
//! live, the same comparison runs in scripts/live_test.sh). Rows are compared sorted, since
//! RabbitMQ lists in its internal table order, and server-made names are masked.

use warren_engine::ctl;
use warren_engine::scenario::Scenario;
use warren_engine::trace::{run_steps, Runner};

/// The columns compared (as scripts/ctl_compare.sh asks for them).
const COMMANDS: [&[&str]; 3] = [
    &[
        "list_queues",
        "name",
        "messages_ready",
        "messages_unacknowledged",
        "messages",
        "consumers",
        "durable",
        "auto_delete",
        "exclusive",
        "arguments",
        "type",
    ],
    &[
        "list_exchanges",
        "name",
        "type",
        "durable",
        "auto_delete",
        "internal",
        "arguments",
    ],
    &["list_bindings"],
];

/// A scenario and what rabbitmqctl printed after it, one file per command of [`COMMANDS`].
macro_rules! scenario {
    ($name:literal, $path:literal) => {
        (
            $name,
            include_str!($path),
            [
                include_str!(concat!("../../tests/ctl/", $name, ".list_queues.txt")),
                include_str!(concat!("../../tests/ctl/", $name, ".list_exchanges.txt")),
                include_str!(concat!("../../tests/ctl/", $name, ".list_bindings.txt")),
            ],
        )
    };
}

const CASES: &[(&str, &str, [&str; 3])] = &[
    scenario!("topology", "../../tests/definitions/topology.json"),
    scenario!("workqueue", "../../tests/conformance/workqueue.json"),
    scenario!("rpc", "../../tests/conformance/rpc.json"),
    scenario!("topics", "../../tests/conformance/topics.json"),
    scenario!("acks_prefetch", "../../tests/scenarios/acks_prefetch.json"),
    scenario!(
        "con_cancel_keeps_unacked",
        "../../tests/scenarios/con_cancel_keeps_unacked.json"
    ),
    scenario!(
        "q_purge_keeps_unacked",
        "../../tests/scenarios/q_purge_keeps_unacked.json"
    ),
    scenario!("limits_deadletter", "../../tests/scenarios/limits_deadletter.json"),
    scenario!(
        "hdr_structured_values",
        "../../tests/scenarios/hdr_structured_values.json"
    ),
    scenario!(
        "queues_exclusive_autodelete",
        "../../tests/scenarios/queues_exclusive_autodelete.json"
    ),
    scenario!("exchanges_e2e", "../../tests/scenarios/exchanges_e2e.json"),
    scenario!(
        "routing_topic_headers",
        "../../tests/scenarios/routing_topic_headers.json"
    ),
    scenario!(
        "ex_binding_args_distinct",
        "../../tests/scenarios/ex_binding_args_distinct.json"
    ),
];

/// The client listings compared (as scripts/ctl_compare.sh asks for them): made-up process ids,
/// ports and client-chosen channel numbers left out.
const CLIENT_COMMANDS: [&[&str]; 6] = [
    &[
        "list_consumers",
        "queue_name",
        "consumer_tag",
        "ack_required",
        "prefetch_count",
        "active",
        "activity_status",
        "arguments",
    ],
    &[
        "list_connections",
        "user",
        "vhost",
        "state",
        "channels",
        "protocol",
        "auth_mechanism",
    ],
    &[
        "list_channels",
        "user",
        "vhost",
        "confirm",
        "transactional",
        "consumer_count",
        "messages_unacknowledged",
        "prefetch_count",
        "global_prefetch_count",
    ],
    &["list_users"],
    &["list_vhosts", "name", "tracing"],
    &["list_permissions"],
];

/// A scenario and what rabbitmqctl printed after it, one file per command of [`CLIENT_COMMANDS`].
macro_rules! clients {
    ($name:literal, $path:literal) => {
        (
            $name,
            include_str!($path),
            [
                include_str!(concat!("../../tests/ctl/", $name, ".list_consumers.txt")),
                include_str!(concat!("../../tests/ctl/", $name, ".list_connections.txt")),
                include_str!(concat!("../../tests/ctl/", $name, ".list_channels.txt")),
                include_str!(concat!("../../tests/ctl/", $name, ".list_users.txt")),
                include_str!(concat!("../../tests/ctl/", $name, ".list_vhosts.txt")),
                include_str!(concat!("../../tests/ctl/", $name, ".list_permissions.txt")),
            ],
        )
    };
}

const CLIENT_CASES: &[(&str, &str, [&str; 6])] = &[
    clients!("workqueue", "../../tests/conformance/workqueue.json"),
    clients!("rpc", "../../tests/conformance/rpc.json"),
    clients!("acks_prefetch", "../../tests/scenarios/acks_prefetch.json"),
    clients!(
        "con_cancel_keeps_unacked",
        "../../tests/scenarios/con_cancel_keeps_unacked.json"
    ),
    clients!(
        "con_sac_handover_on_cancel",
        "../../tests/scenarios/con_sac_handover_on_cancel.json"
    ),
    clients!("access_permissions", "../../tests/scenarios/access_permissions.json"),
    clients!("access_vhosts", "../../tests/scenarios/access_vhosts.json"),
];

/// Header first, then the rows sorted; `amq.gen-…` and `amq.ctag-…` names masked.
fn norm(out: &str) -> Vec<String> {
    let mask = |l: &str| {
        let mut s = String::new();
        let mut rest = l;
        while let Some(i) = rest.find("amq.gen-").or_else(|| rest.find("amq.ctag-")) {
            let (head, tail) = rest.split_at(i);
            s.push_str(head);
            let prefix = if tail.starts_with("amq.gen-") {
                "amq.gen-"
            } else {
                "amq.ctag-"
            };
            s.push_str(prefix);
            s.push('*');
            let name = &tail[prefix.len()..];
            let end = name
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(name.len());
            rest = &name[end..];
        }
        s.push_str(rest);
        s
    };
    let mut lines: Vec<String> = out.lines().map(mask).collect();
    if lines.len() > 1 {
        lines[1..].sort();
    }
    lines
}

fn after(scenario: &str) -> Runner {
    let sc = Scenario::parse(scenario).expect("a corpus scenario");
    let mut r = Runner::new(sc.seed);
    run_steps(&sc.steps, |i, st| r.step(i, st)).expect("runs");
    r
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn listings_equal_what_rabbitmqctl_printed() {
    for (name, scenario, recorded) in CASES {
        let r = after(scenario);
        for (args, recorded) in COMMANDS.iter().zip(recorded) {
            let out = ctl::run(&r.server, args);
            assert_eq!(out.status, 0, "{name}: {}", out.stderr);
            assert_eq!(norm(&out.stdout), norm(recorded), "{name} {}", args[0]);
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn client_user_and_vhost_listings_equal_what_rabbitmqctl_printed() {
    for (name, scenario, recorded) in CLIENT_CASES {
        let r = after(scenario);
        for (args, recorded) in CLIENT_COMMANDS.iter().zip(recorded) {
            let out = ctl::run(&r.server, args);
            assert_eq!(out.status, 0, "{name}: {}", out.stderr);
            assert_eq!(norm(&out.stdout), norm(recorded), "{name} {}", args[0]);
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn no_rows_prints_nothing_and_no_headers_drops_the_header() {
    let r = after(r#"{"steps": []}"#);
    assert_eq!(ctl::run(&r.server, &["list_queues"]).stdout, "");
    assert_eq!(ctl::run(&r.server, &["list_bindings"]).stdout, "");
    let r = after(r#"{"steps": [{"call": "queue_declare", "args": {"queue": "q"}}]}"#);
    assert_eq!(ctl::run(&r.server, &["list_queues"]).stdout, "name\tmessages\nq\t0\n");
    assert_eq!(
        ctl::run(&r.server, &["list_queues", "--no-table-headers", "name"]).stdout,
        "q\n"
    );
    assert_eq!(
        ctl::run(&r.server, &["list_queues", "-p", "/", "name"]).stdout,
        "name\nq\n"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn unknown_columns_and_commands_are_usage_errors_as_rabbitmqctl_words_them() {
    let r = after(r#"{"steps": []}"#);
    let out = ctl::run(&r.server, &["list_queues", "name", "nosuch"]);
    assert_eq!(out.status, 64);
    assert!(
        out.stderr
            .starts_with("Error (argument validation): Info key(s) nosuch are not supported\n"),
        "{}",
        out.stderr
    );
    let out = ctl::run(&r.server, &["frob"]);
    assert_eq!(out.status, 64);
    assert!(out.stderr.starts_with("Command 'frob' not found."), "{}", out.stderr);
    assert_eq!(ctl::run(&r.server, &["list_queues", "-p"]).status, 64);
}

#[test]
fn rabbitmq_4_has_no_global_prefetch_column() {
    // seen on 4.3.6: `list_channels ... global_prefetch_count` is a usage error
    let four = warren_engine::Server::with_version(1, warren_engine::Version::V4_3);
    let out = ctl::run(&four, &["list_channels", "user", "global_prefetch_count"]);
    assert_eq!(out.status, 64);
    assert!(out
        .stderr
        .starts_with("Error (argument validation): Info key(s) global_prefetch_count are not supported\n"));
    let old = after(r#"{"steps": []}"#);
    assert_eq!(
        ctl::run(&old.server, &["list_channels", "user", "global_prefetch_count"]).status,
        0
    );
}
