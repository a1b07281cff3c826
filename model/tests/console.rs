//! The console's view-model: command lines split as a shell would, `rabbitmqctl -q` and node
//! options dropped, output as the engine's rabbitmqctl prints it, history on the arrows.

use warren_engine::ctl;
use warren_engine::scenario::Scenario;
use warren_engine::trace::{run_steps, Runner};
use warren_model::console::{split, Console};
use warren_model::design::{Design, Id, Kind};
use warren_model::sim::{Input, Live};

fn broker() -> Runner {
    let sc = Scenario::parse(include_str!("../../tests/conformance/workqueue.json")).unwrap();
    let mut r = Runner::new(sc.seed);
    run_steps(&sc.steps, |i, st| r.step(i, st)).unwrap();
    r
}

#[test]
fn lines_split_on_spaces_and_keep_quoted_words() {
    assert_eq!(
        split("  list_queues  name messages ").unwrap(),
        ["list_queues", "name", "messages"]
    );
    assert_eq!(
        split(r#"set_permissions -p / guest ".*" '.*' "a b""#).unwrap(),
        ["set_permissions", "-p", "/", "guest", ".*", ".*", "a b"]
    );
    assert_eq!(split(r#"x """#).unwrap(), ["x", ""]);
    assert!(split(r#"add_user "bob"#).unwrap_err().contains("unterminated"));
}

/// What rabbitmqctl prints for `args` on `server`: quietly (`-q`), or saying what it does first.
fn said(server: &mut warren_engine::Server, args: &[&str], quiet: bool) -> ctl::Output {
    let running = server.running();
    let out = ctl::execute(server, args);
    if quiet {
        out
    } else {
        ctl::verbose(running, args, out)
    }
}

#[test]
fn commands_print_what_rabbitmqctl_prints_with_or_without_its_name_and_options() {
    let mut r = broker();
    let mut c = Console::default();
    c.run("list_queues name messages_ready messages_unacknowledged", |a, q| {
        said(&mut r.server, a, q)
    });
    c.run(
        "rabbitmqctl -q -n rabbit@host list_queues name messages_ready messages_unacknowledged",
        |a, q| said(&mut r.server, a, q),
    );
    c.run("sudo rabbitmqctl list_queues --no-table-headers name", |a, q| {
        said(&mut r.server, a, q)
    });
    // without -q, what it is about to do first, as rabbitmqctl says it
    assert_eq!(
        c.entries[0].output,
        "Timeout: 60.0 seconds ...\nListing queues for vhost / ...\nname\tmessages_ready\tmessages_unacknowledged\ntask_queue\t0\t1\n"
    );
    assert_eq!(
        c.entries[1].output,
        "name\tmessages_ready\tmessages_unacknowledged\ntask_queue\t0\t1\n"
    );
    assert_eq!(
        c.entries[2].output,
        "Timeout: 60.0 seconds ...\nListing queues for vhost / ...\ntask_queue\n"
    );
    assert!(c.entries.iter().all(|e| !e.error));
    c.run("list_queues nosuch", |a, q| said(&mut r.server, a, q));
    c.run("frobnicate", |a, q| said(&mut r.server, a, q));
    c.run("rabbitmqctl -q", |a, q| said(&mut r.server, a, q));
    c.run("list_queues \"name", |a, q| said(&mut r.server, a, q));
    let errors: Vec<bool> = c.entries[3..].iter().map(|e| e.error).collect();
    assert_eq!(errors, [true; 4]);
    assert!(c.entries[3].output.contains("Info key(s) nosuch are not supported"));
    assert!(c.entries[4].output.contains("Command 'frobnicate' not found"));
    // help lists the commands (the console answers it: it changes nothing)
    c.run("help", |_, _| unreachable!("help is the console's"));
    c.run("rabbitmqctl help purge_queue", |_, _| {
        unreachable!("help is the console's")
    });
    assert!(
        !c.entries[7].error
            && c.entries[7].output.contains("list_queues")
            && c.entries[7].output.contains("set_permissions")
    );
    assert!(c.entries[8].output.contains("purge_queue <queue>"));
    c.run("clear", |a, q| said(&mut r.server, a, q));
    assert!(c.entries.is_empty());
}

#[test]
fn the_arrows_walk_the_history_like_a_shell() {
    let mut r = broker();
    let mut c = Console::default();
    assert_eq!(c.up(), None);
    for l in ["list_queues", "list_exchanges", "list_exchanges", "", "list_bindings"] {
        c.run(l, |a, q| said(&mut r.server, a, q));
    }
    // repeated and empty lines are kept once / not at all
    assert_eq!(c.up(), Some("list_bindings"));
    assert_eq!(c.up(), Some("list_exchanges"));
    assert_eq!(c.up(), Some("list_queues"));
    assert_eq!(c.up(), Some("list_queues"), "stays at the oldest");
    assert_eq!(c.down(), "list_exchanges");
    assert_eq!(c.down(), "list_bindings");
    assert_eq!(c.down(), "", "past the newest: a fresh line");
    assert_eq!(c.up(), Some("list_bindings"));
}

/// The topics tutorial's design: producers, a topic exchange, queues and consumers.
fn topic_logs_live() -> Live {
    let design = Design::from_scenario(include_str!("../../tests/designs/topic_logs.json")).unwrap();
    Live::new(design)
}

/// The design's first node of a kind.
fn first(live: &Live, kind: Kind) -> Id {
    live.design.nodes.iter().find(|n| n.kind() == kind).unwrap().id
}

#[test]
fn commands_that_change_the_node_run_in_the_simulation_and_replay() {
    let mut live = topic_logs_live();
    let producer = first(&live, Kind::Producer);
    live.input(0, Input::Publish(producer)).unwrap();
    live.advance_to(100);
    let mut c = Console::default();
    c.run("add_user bob secret", |a, q| live.console(100, a, q));
    c.run("set_user_tags bob management", |a, q| live.console(100, a, q));
    c.run("add_user bob again", |a, q| live.console(100, a, q));
    c.run("list_users", |a, q| live.console(100, a, q));
    assert_eq!(
        c.entries[0].output,
        "Adding user \"bob\" ...\nDone. Don't forget to grant the user permissions to some virtual hosts! See 'rabbitmqctl help set_permissions' to learn more.\n"
    );
    assert!(!c.entries[0].error);
    assert_eq!(
        c.entries[1].output,
        "Setting tags for user \"bob\" to [management] ...\n"
    );
    assert_eq!(
        c.entries[2].output,
        "Adding user \"bob\" ...\nError:\nUser \"bob\" already exists\n"
    );
    assert!(c.entries[2].error);
    assert_eq!(
        c.entries[3].output,
        "Listing users ...\nuser\ttags\nbob\t[management]\nguest\t[administrator]\n"
    );
    // the commands are steps of the recorded scenario, and inputs a rewind replays
    let steps = live.steps();
    let calls: Vec<&str> = steps.iter().filter_map(|s| s["call"].as_str()).collect();
    assert_eq!(calls.iter().filter(|c| **c == "rabbitmqctl").count(), 3);
    live.rewind(100);
    assert!(live.server().access().user("bob").is_some(), "replayed");
    // the app stopped: listings and clients refused until start_app
    c.run("rabbitmqctl stop_app", |a, q| live.console(200, a, q));
    c.run("list_queues", |a, q| live.console(200, a, q));
    assert!(c.entries[5]
        .output
        .starts_with("Error: this command requires the 'rabbit' app to be running"));
    live.input(300, Input::Publish(producer)).unwrap();
    // its frames reach the node a hop later: refused, the app being stopped
    live.advance_to(300 + warren_model::timeline::HOP as u64);
    assert!(
        live.problems.iter().any(|p| p.contains("CONNECTION_REFUSED")),
        "{:?}",
        live.problems
    );
    c.run("reset", |a, q| live.console(1000, a, q));
    c.run("start_app", |a, q| live.console(1000, a, q));
    c.run("list_users", |a, q| live.console(1000, a, q));
    c.run("list_queues", |a, q| live.console(1000, a, q));
    assert!(!c.entries[6].error && !c.entries[7].error, "{:?}", &c.entries[6..]);
    assert_eq!(
        c.entries[8].output, "Listing users ...\nuser\ttags\nguest\t[administrator]\n",
        "reset forgot bob"
    );
    assert_eq!(
        c.entries[9].output, "Timeout: 60.0 seconds ...\nListing queues for vhost / ...\n",
        "and every queue"
    );
    c.run("reset", |a, q| live.console(1100, a, q));
    assert!(c.entries[10].output.contains("requires the 'rabbit' app to be stopped"));
}

#[test]
fn purge_and_delete_queue_from_the_console() {
    let mut live = topic_logs_live();
    let producer = first(&live, Kind::Producer);
    // stop every consumer so messages wait in their queues
    let consumers: Vec<_> = live
        .design
        .nodes
        .iter()
        .filter(|n| n.kind() == Kind::Consumer)
        .map(|n| n.id)
        .collect();
    for id in consumers {
        live.input(0, Input::Stop(id)).unwrap();
    }
    live.input(0, Input::Publish(producer)).unwrap();
    live.advance_to(1000);
    let waiting: Vec<(String, u64)> = live
        .broker()
        .queues()
        .map(|q| (q.name.to_string(), q.len()))
        .filter(|q| q.1 > 0)
        .collect();
    let (name, n) = waiting.first().cloned().expect("a message waits");
    let mut c = Console::default();
    c.run(&format!("delete_queue {name} --if-empty"), |a, q| {
        live.console(1000, a, q)
    });
    assert_eq!(
        c.entries[0].output,
        format!("Deleting queue '{name}' on vhost '/' ...\nError:\nQueue is not empty\n")
    );
    c.run(&format!("purge_queue {name}"), |a, q| live.console(1000, a, q));
    assert_eq!(live.broker().queue(&name).unwrap().len(), 0);
    assert_eq!(
        c.entries[1].output,
        format!("Purging queue '{name}' in vhost '/' ...\n")
    );
    // quiet (-q): its output alone, as rabbitmqctl -q prints it
    c.run(&format!("rabbitmqctl -q delete_queue {name}"), |a, q| {
        live.console(1000, a, q)
    });
    assert_eq!(
        c.entries[2].output,
        "Queue was successfully deleted with 0 ready messages\n"
    );
    assert!(live.broker().queue(&name).is_none());
    c.run("purge_queue nosuch", |a, q| live.console(1000, a, q));
    assert_eq!(
        (c.entries[3].output.as_str(), c.entries[3].error),
        ("Purging queue 'nosuch' in vhost '/' ...\nError:\nnot_found\n", true)
    );
    let _ = n;
}
