//! A run travels with its file: what the user did, at its instants, is written beside the design
//! (`"run"`) and replayed when the file, a share link or an embed is opened.
use warren_model::design::{Design, Opened, Spec};
use warren_model::runfile::{of_steps, read, write};
use warren_model::sim::{Input, Live};
use warren_model::tutorial::{by_id, settle};
mod common;
use common::id_of;

#[test]
fn a_run_written_with_its_file_replays_to_the_same_steps() {
    let d = by_id("work-queues").unwrap().design();
    let (task, w1) = (id_of(&d, "new_task"), id_of(&d, "worker-1"));
    let mut live = Live::new(d.clone());
    live.input(0, Input::Publish(task)).unwrap();
    live.input(1200, Input::Stop(w1)).unwrap();
    let mut slower = d.clone();
    if let Some(Spec::Producer(p)) = slower.nodes.iter_mut().find(|n| n.id == task).map(|n| &mut n.spec) {
        p.body = "edited {n}".into();
    }
    live.edit(1500, slower.clone()).unwrap();
    live.input(2000, Input::PublishKey(task, "task_queue".into())).unwrap();
    live.input(2500, Input::Start(w1)).unwrap();
    live.console(3000, &["purge_queue", "task_queue"], true);
    live.input(4000, Input::Restart).unwrap();
    settle(&mut live);
    assert!(live.problems.is_empty(), "{:?}", live.problems);
    // saved as the page saves it, opened as the page opens it
    let mut file = slower.to_scenario();
    file["run"] = write(&live, &slower).expect("the user did something");
    let text = format!("{file:#}");
    let Ok(Opened::Design(opened, Some(run))) = Design::open(&text) else {
        panic!("a design with its run")
    };
    assert_eq!(opened, slower);
    let run = read(&opened, &run).unwrap();
    assert_eq!(run.from, d, "the run starts from the design before the edit");
    assert_eq!(run.actions.len(), 7);
    let mut again = run.live();
    settle(&mut again);
    assert_eq!(again.steps(), live.steps());
    assert_eq!(again.design, slower);
    // a run where nothing was done is not written
    assert!(write(&Live::new(d.clone()), &d).is_none());
}

#[test]
fn a_broken_run_is_refused_with_what_and_where() {
    let d = by_id("work-queues").unwrap().design();
    let bad = |v: serde_json::Value| read(&d, &v).unwrap_err();
    assert_eq!(
        bad(serde_json::json!({"actions": [{"at_ms": 0, "publish": "nobody"}]})),
        "run: action 1: publish: no producer called 'nobody' on the canvas"
    );
    assert_eq!(
        bad(serde_json::json!({"actions": [{"at_ms": 5, "restart": true}, {"at_ms": 1, "restart": true}]})),
        "run: action 2: at_ms 1 is before the action before it (5)"
    );
    assert_eq!(
        bad(serde_json::json!({"actions": [{"at_ms": -1, "restart": true}]})),
        "run: action 1: at_ms: expected a whole number of ms"
    );
    assert_eq!(
        bad(serde_json::json!({"actions": [{"at_ms": 0, "dance": true}]})),
        "run: action 1: expected publish, stop, start, restart, rabbitmqctl or edit"
    );
    assert_eq!(bad(serde_json::json!({"actions": 3})), "run: actions: expected a list");
}

#[test]
fn a_scenario_without_a_canvas_replays_its_publishes() {
    let text = include_str!("../../../shared/conformance/topics.json");
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let (d, _) = Design::import(&v).unwrap();
    let run = of_steps(&d, &v);
    assert_eq!(run.actions.len(), 10);
    let mut live = run.live();
    settle(&mut live);
    use warren_engine::event::EventKind;
    let count = |f: &dyn Fn(&EventKind) -> bool| live.timeline.events.iter().filter(|e| f(&e.kind)).count();
    assert_eq!(count(&|k| matches!(k, EventKind::Published { .. })), 10);
    // as the scenario's own run delivers them: the same number of deliveries
    let sc = warren_engine::scenario::Scenario::from_json(v.clone()).unwrap();
    let trace = warren_engine::trace::Runner::run(&sc).unwrap();
    let delivered = trace.iter().filter(|l| l["kind"] == "deliver").count();
    assert!(delivered > 0);
    assert_eq!(count(&|k| matches!(k, EventKind::Delivered { .. })), delivered);
}
