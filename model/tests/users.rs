//! Users on the canvas: the design's users are created (with their permissions on `/`) before
//! its producers and consumers connect, and an actor that names a user logs in as it, refused as
//! RabbitMQ refuses it.

use warren_engine::scenario::Scenario;
use warren_engine::trace::Runner;
use warren_model::design::{Action, Design, History, UserSpec};
use warren_model::sim::{Input, Live};

/// producer `orders` → queue `jobs` → consumer `worker` (user `bob`), `bob` may read only `^bob-`.
fn design(password: &str) -> Design {
    Design::from_scenario(&format!(
        r#"{{"name": "users", "steps": [], "canvas": {{"version": 1, "nodes": [
            {{"id": 1, "name": "orders", "kind": "producer", "x": 100, "y": 100}},
            {{"id": 2, "name": "jobs", "kind": "queue", "x": 300, "y": 100}},
            {{"id": 3, "name": "worker", "kind": "consumer", "x": 500, "y": 100, "user": "bob", "password": "{password}"}}],
          "links": [{{"from": 1, "to": 2}}, {{"from": 2, "to": 3}}],
          "users": [{{"name": "bob", "password": "pw", "configure": "^bob-", "write": ".*", "read": "^bob-"}}]}}}}"#
    ))
    .unwrap()
}

#[test]
fn setup_creates_the_users_first_and_actors_log_in_as_theirs() {
    let d = design("pw");
    let steps = d.setup_steps();
    assert_eq!(steps[0]["call"], "add_user");
    assert_eq!(steps[1]["call"], "set_permissions");
    assert_eq!(steps[1]["args"]["read"], "^bob-");
    // the saved scenario carries the login on the worker's steps, and runs
    let sc = d.to_scenario();
    let worker: Vec<&serde_json::Value> = sc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["conn"] == "worker")
        .collect();
    assert!(!worker.is_empty() && worker.iter().all(|s| s["user"] == "bob" && s["password"] == "pw"));
    let parsed = Scenario::from_json(sc.clone()).unwrap();
    let trace = Runner::run(&parsed).unwrap();
    let refused = trace
        .iter()
        .find(|l| l["kind"] == "channel_error")
        .expect("bob may not read jobs");
    assert_eq!(refused["conn"], "worker");
    assert_eq!(
        refused["text"],
        "ACCESS_REFUSED - access to queue 'jobs' in vhost '/' refused for user 'bob'"
    );
    // and the design comes back from the file with its users
    let back = Design::from_scenario(&sc.to_string()).unwrap();
    assert_eq!(back.users, d.users);
    assert_eq!(back, d);
}

#[test]
fn on_the_canvas_a_refused_consumer_leaves_the_messages_waiting() {
    let d = design("pw");
    let orders = d.nodes[0].id;
    let mut live = Live::new(d);
    live.input(0, Input::Publish(orders)).unwrap();
    live.advance_to(5_000);
    assert!(
        live.problems
            .iter()
            .any(|p| p.contains("worker: 403 ACCESS_REFUSED - access to queue 'jobs'")),
        "{:?}",
        live.problems
    );
    assert_eq!(live.broker().queue("jobs").unwrap().len(), 1, "nobody consumes");
    // a wrong password is refused at login
    let mut live = Live::new(design("nope"));
    live.advance_to(10);
    assert!(
        live.problems
            .iter()
            .any(|p| p.contains("worker: 403 ACCESS_REFUSED - Login was refused")),
        "{:?}",
        live.problems
    );
    // given read on jobs, bob consumes
    let mut d = design("pw");
    d.users[0].read = "^(bob-.*|jobs)$".into();
    let mut live = Live::new(d);
    live.input(0, Input::Publish(orders)).unwrap();
    live.advance_to(5_000);
    assert!(live.problems.is_empty(), "{:?}", live.problems);
    assert_eq!(live.broker().queue("jobs").unwrap().len(), 0);
}

#[test]
fn users_are_checked_when_edited() {
    let mut h = History::new(Design::default());
    let bob = UserSpec {
        name: "bob".into(),
        ..UserSpec::default()
    };
    h.apply(Action::SetUsers(vec![bob.clone()])).unwrap();
    let e = h.apply(Action::SetUsers(vec![bob.clone(), bob.clone()])).unwrap_err();
    assert!(e.contains("already a user bob"), "{e}");
    let bad = UserSpec {
        read: "(".into(),
        ..bob.clone()
    };
    let e = h.apply(Action::SetUsers(vec![bad])).unwrap_err();
    assert!(e.starts_with("bob: read: {:invalid_regexp, '('"), "{e}");
    let nameless = UserSpec { name: "".into(), ..bob };
    assert!(h.apply(Action::SetUsers(vec![nameless])).is_err());
    assert_eq!(h.design.users.len(), 1, "refused edits change nothing");
    assert_eq!(h.design.users[0].read, ".*");
}

#[test]
fn pika_scripts_log_in_as_the_actor_and_setup_says_which_users_to_create() {
    let files = warren_model::pika::files(&design("pw"));
    let get = |name: &str| files.iter().find(|f| f.0 == name).map(|f| f.1.clone()).unwrap();
    let worker = get("consumer_worker.py");
    assert!(
        worker.contains("credentials=pika.PlainCredentials('bob', 'pw')"),
        "{worker}"
    );
    assert!(
        !get("producer_orders.py").contains("credentials"),
        "orders logs in as guest"
    );
    let setup = get("setup.py");
    assert!(setup.contains("#   rabbitmqctl add_user 'bob' 'pw'\n"), "{setup}");
    assert!(
        setup.contains("#   rabbitmqctl set_permissions -p / 'bob' '^bob-' '.*' '^bob-'\n"),
        "{setup}"
    );
    // every script is Python that compiles
    let dir = std::env::temp_dir().join(format!("warren-users-pika-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in &files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let ok = std::process::Command::new("python3")
        .arg("-m")
        .arg("py_compile")
        .args(files.iter().filter(|f| f.0.ends_with(".py")).map(|f| dir.join(&f.0)))
        .status()
        .map(|s| s.success());
    std::fs::remove_dir_all(&dir).ok();
    assert!(ok.expect("python3 runs"), "py_compile failed");
}
