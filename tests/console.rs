//! The console's view-model: command lines split as a shell would, `rabbitmqctl -q` and node
//! options dropped, output as the engine's rabbitmqctl prints it, history on the arrows.

use warren_app::console::{split, Console};
use warren_engine::scenario::Scenario;
use warren_engine::trace::{run_steps, Runner};

fn broker() -> Runner {
    let sc = Scenario::parse(include_str!("conformance/workqueue.json")).unwrap();
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

#[test]
fn commands_print_what_rabbitmqctl_prints_with_or_without_its_name_and_options() {
    let r = broker();
    let mut c = Console::default();
    c.run("list_queues name messages_ready messages_unacknowledged", &r.server);
    c.run(
        "rabbitmqctl -q -n rabbit@host list_queues name messages_ready messages_unacknowledged",
        &r.server,
    );
    c.run("sudo rabbitmqctl list_queues --no-table-headers name", &r.server);
    assert_eq!(
        c.entries[0].output,
        "name\tmessages_ready\tmessages_unacknowledged\ntask_queue\t0\t1\n"
    );
    assert_eq!(c.entries[1].output, c.entries[0].output);
    assert_eq!(c.entries[2].output, "task_queue\n");
    assert!(c.entries.iter().all(|e| !e.error));
    c.run("list_queues nosuch", &r.server);
    c.run("frobnicate", &r.server);
    c.run("rabbitmqctl -q", &r.server);
    c.run("list_queues \"name", &r.server);
    let errors: Vec<bool> = c.entries[3..].iter().map(|e| e.error).collect();
    assert_eq!(errors, [true; 4]);
    assert!(c.entries[3].output.contains("Info key(s) nosuch are not supported"));
    assert!(c.entries[4].output.contains("Command 'frobnicate' not found"));
    c.run("clear", &r.server);
    assert!(c.entries.is_empty());
}

#[test]
fn the_arrows_walk_the_history_like_a_shell() {
    let r = broker();
    let mut c = Console::default();
    assert_eq!(c.up(), None);
    for l in ["list_queues", "list_exchanges", "list_exchanges", "", "list_bindings"] {
        c.run(l, &r.server);
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
