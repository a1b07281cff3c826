//! Editing a design while it runs keeps the run: client settings apply from the next publish or
//! delivery, the broker takes new bindings, queues and consumers as it runs, and what it would
//! refuse (new queue arguments, a rename) changes nothing and says why.
use warren_model::design::{Action, Design, History, Kind, Link, Spec};
use warren_model::sim::{Input, Live};
use warren_model::tutorial::{by_id, settle};
mod common;
use common::id_of;

fn with(d: &Design, f: impl FnOnce(&mut Design)) -> Design {
    let mut d = d.clone();
    f(&mut d);
    d
}

fn spec<'a>(d: &'a mut Design, name: &str) -> &'a mut Spec {
    let id = id_of(d, name);
    &mut d.nodes.iter_mut().find(|n| n.id == id).unwrap().spec
}

fn ready(live: &Live, q: &str) -> u64 {
    live.broker().queue(q).map_or(0, |q| q.len())
}

#[test]
fn a_new_routing_key_applies_from_the_next_publish_and_the_first_stays() {
    let d = by_id("topics").unwrap().design();
    let p = id_of(&d, "emit_log_topic");
    let mut live = Live::new(d.clone());
    let key = |k: &str| {
        with(&d, |d| {
            if let Spec::Producer(p) = spec(d, "emit_log_topic") {
                p.routing_key = k.into();
            }
        })
    };
    live.edit(0, key("lazy.orange.rabbit")).unwrap();
    live.input(0, Input::Publish(p)).unwrap();
    settle(&mut live);
    assert_eq!((ready(&live, "Q1"), ready(&live, "Q2")), (1, 1));
    live.edit(2000, key("quick.brown.fox")).unwrap();
    live.input(2000, Input::Publish(p)).unwrap();
    settle(&mut live);
    // quick.brown.fox matches no binding: nothing new in either queue, the first message stays
    assert_eq!((ready(&live, "Q1"), ready(&live, "Q2")), (1, 1));
    let unroutable = live
        .timeline
        .events
        .iter()
        .filter(|e| matches!(e.kind, warren_engine::event::EventKind::Unroutable { .. }))
        .count();
    assert_eq!(unroutable, 1);
    let published: Vec<String> = live
        .steps()
        .iter()
        .filter(|s| s["call"] == "basic_publish")
        .map(|s| s["args"]["routing_key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(published, ["lazy.orange.rabbit", "quick.brown.fox"]);
    // a rewind replays the edits: the same steps at the same instants
    let steps = live.steps();
    live.rewind(10_000);
    assert_eq!(live.steps(), steps);
    assert!(live.problems.is_empty(), "{:?}", live.problems);
}

#[test]
fn the_broker_takes_a_new_binding_a_new_consumer_and_a_new_prefetch_as_it_runs() {
    let d = by_id("topics").unwrap().design();
    let (p, x, q1) = (id_of(&d, "emit_log_topic"), id_of(&d, "topic_logs"), id_of(&d, "Q1"));
    let mut live = Live::new(d.clone());
    // bind Q1 with "lazy.#" too, while it runs: the next lazy message reaches both queues
    let mut h = History::new(d.clone());
    h.apply(Action::Link { from: x, to: q1 }).unwrap();
    let i = h.design.links.len() - 1;
    let mut bound = h.design.clone();
    bound.links[i] = Link {
        key: "lazy.#".into(),
        ..bound.links[i].clone()
    };
    live.edit(500, bound.clone()).unwrap();
    live.input(500, Input::PublishKey(p, "lazy.brown.fox".into())).unwrap();
    settle(&mut live);
    assert_eq!((ready(&live, "Q1"), ready(&live, "Q2")), (1, 1));
    // a consumer added on Q1 starts and takes what waits there
    let mut h = History::new(bound);
    h.apply(Action::Add {
        kind: Kind::Consumer,
        x: 700.0,
        y: 80.0,
    })
    .unwrap();
    let c = h.design.nodes.last().unwrap().id;
    h.apply(Action::Link { from: q1, to: c }).unwrap();
    live.edit(3000, h.design.clone()).unwrap();
    settle(&mut live);
    assert_eq!(ready(&live, "Q1"), 0);
    let name = h.design.node(c).unwrap().name.clone();
    assert_eq!(live.timeline.seek(live.timeline.end()).got(&name), 1);
    // its prefetch changed while it holds nothing: it subscribes again with the new basic.qos
    let more = with(&h.design, |d| {
        if let Spec::Consumer(c) = spec(d, &name) {
            c.prefetch = 5;
            c.processing_ms = 4000;
        }
    });
    live.edit(9000, more).unwrap();
    for _ in 0..6 {
        live.input(9000, Input::PublishKey(p, "quick.orange.rabbit".into()))
            .unwrap();
    }
    live.advance_to(9000 + 1000);
    let cons = live
        .broker()
        .connections()
        .flat_map(|(_, c)| c.channels.values())
        .flat_map(|ch| ch.consumers.values())
        .map(|c| c.unacked)
        .max();
    assert_eq!(cons, Some(5), "five in its prefetch window");
    settle(&mut live);
    assert!(live.problems.is_empty(), "{:?}", live.problems);
    let calls: Vec<String> = live
        .steps()
        .iter()
        .filter(|s| s["conn"] == name.as_str())
        .map(|s| s["call"].as_str().unwrap().to_string())
        .collect();
    assert!(
        calls
            .windows(3)
            .any(|w| w == ["basic_cancel", "basic_qos", "basic_consume"]),
        "{calls:?}"
    );
}

#[test]
fn what_the_broker_would_refuse_changes_nothing_and_says_why() {
    let d = by_id("work-queues").unwrap().design();
    let task = id_of(&d, "new_task");
    let mut live = Live::new(d.clone());
    live.input(0, Input::Publish(task)).unwrap();
    live.advance_to(1000);
    let steps = live.steps();
    let ttl = with(&d, |d| {
        if let Spec::Queue(q) = spec(d, "task_queue") {
            q.message_ttl = Some(5000);
        }
    });
    let why = live.edit(1000, ttl).unwrap_err();
    assert!(
        why.contains("PRECONDITION_FAILED - inequivalent arg") && why.contains("task_queue"),
        "{why}"
    );
    let renamed = with(&d, |d| {
        let id = id_of(d, "task_queue");
        d.nodes.iter_mut().find(|n| n.id == id).unwrap().name = "tasks".into();
    });
    let why = live.edit(1000, renamed).unwrap_err();
    assert!(why.contains("'task_queue' renamed 'tasks'"), "{why}");
    // nothing ran, the run goes on as it was
    assert_eq!(live.steps(), steps);
    assert_eq!(live.design, d);
    // moving a node is no change to the run at all
    let moved = with(&d, |d| d.nodes[0].x += 50.0);
    live.edit(1000, moved.clone()).unwrap();
    assert_eq!((live.steps(), live.inputs.len()), (steps, 1));
    assert_eq!(live.design, moved);
}
