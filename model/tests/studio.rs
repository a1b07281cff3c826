//! The canvas's view-model, natively: the design reducer with undo and redo, saving and loading
//! scenario files, the live simulation of producers and consumers, and the timeline whose counts
//! must equal the broker's own.
use std::collections::BTreeMap;
use warren_engine::scenario::Scenario;
use warren_engine::trace::Runner;
use warren_model::design::{Action, Design, History, Kind, Spec};
use warren_model::sim::{Input, Live};
use warren_model::timeline::{Place, Timeline, TripKind};
mod common;
use common::id_of;

/// Change one node's settings through the reducer.
fn edit(h: &mut History, id: u32, f: impl FnOnce(&mut Spec)) {
    let mut spec = h.design.node(id).expect("the node").spec.clone();
    f(&mut spec);
    h.apply(Action::SetSpec { id, spec }).unwrap();
}

/// producer → exchange "tasks" (direct) → queue "work" (key "work") → two consumers.
fn work_queue(prefetch: u16, processing_ms: u64) -> History {
    let mut h = History::default();
    for (kind, x) in [
        (Kind::Producer, 100.0),
        (Kind::Exchange, 300.0),
        (Kind::Queue, 500.0),
        (Kind::Consumer, 700.0),
        (Kind::Consumer, 700.0),
    ] {
        h.apply(Action::Add { kind, x, y: 100.0 }).unwrap();
    }
    let d = &h.design;
    let (p, x, q, c1, c2) = (
        id_of(d, "producer-1"),
        id_of(d, "exchange-1"),
        id_of(d, "queue-1"),
        id_of(d, "consumer-1"),
        id_of(d, "consumer-2"),
    );
    h.apply(Action::Rename {
        id: x,
        name: "tasks".into(),
    })
    .unwrap();
    h.apply(Action::Rename {
        id: q,
        name: "work".into(),
    })
    .unwrap();
    h.apply(Action::Link { from: p, to: x }).unwrap();
    h.apply(Action::Link { from: x, to: q }).unwrap();
    h.apply(Action::Link { from: q, to: c1 }).unwrap();
    // drawn backwards: the reducer turns it round
    h.apply(Action::Link { from: c2, to: q }).unwrap();
    edit(&mut h, p, |s| {
        let Spec::Producer(pr) = s else { panic!() };
        pr.routing_key = "work".into();
        pr.burst = 4;
    });
    for c in [c1, c2] {
        edit(&mut h, c, |s| {
            let Spec::Consumer(co) = s else { panic!() };
            co.prefetch = prefetch;
            co.processing_ms = processing_ms;
        });
    }
    h
}

#[test]
fn reducer_links_by_kind_and_undo_redo_restore_each_state() {
    let mut h = work_queue(1, 1000);
    let d = h.design.clone();
    assert_eq!(
        d.describe(),
        "producer producer-1\nexchange tasks\nqueue work\nconsumer consumer-1\nconsumer consumer-2\n\
         producer-1 -> tasks []\ntasks -> work [work]\nwork -> consumer-1 []\nwork -> consumer-2 []\n"
    );
    // a bad change is refused with a reason and changes nothing
    let (p, c1) = (id_of(&d, "producer-1"), id_of(&d, "consumer-1"));
    let err = h.apply(Action::Link { from: p, to: c1 }).unwrap_err();
    assert!(err.contains("a producer cannot be linked to a consumer"), "{err}");
    let err = h
        .apply(Action::Rename {
            id: c1,
            name: "consumer-2".into(),
        })
        .unwrap_err();
    assert!(err.contains("already called 'consumer-2'"), "{err}");
    let x = id_of(&d, "tasks");
    let err = h
        .apply(Action::Rename {
            id: x,
            name: "amq.mine".into(),
        })
        .unwrap_err();
    assert!(err.contains("reserved"), "{err}");
    assert_eq!(h.design, d);
    // deleting the queue takes its links with it; undo brings both back, redo removes again
    h.apply(Action::DeleteNode { id: id_of(&d, "work") }).unwrap();
    assert_eq!(h.design.links.len(), 1);
    assert!(h.undo());
    assert_eq!(h.design, d);
    assert!(h.redo());
    assert_eq!(h.design.links.len(), 1);
    assert!(!h.redo());
    // undo all the way back to the empty canvas
    while h.undo() {}
    assert!(h.design.nodes.is_empty());
    // a new change after undo drops the redo branch
    h.apply(Action::Add {
        kind: Kind::Queue,
        x: 0.0,
        y: 0.0,
    })
    .unwrap();
    assert!(!h.can_redo());
}

#[test]
fn a_saved_file_is_a_scenario_and_loads_back_exactly() {
    let h = work_queue(1, 1000);
    let text = serde_json::to_string_pretty(&h.design.to_scenario()).unwrap();
    // the runner can execute it: setup, then one publish per producer (a burst is a runtime setting)
    let sc = Scenario::parse(&text).unwrap();
    let trace = Runner::run(&sc).unwrap();
    let delivers = trace.iter().filter(|l| l["kind"] == "deliver").count();
    assert_eq!(delivers, 1, "{trace:?}");
    assert!(trace.iter().all(|l| l["kind"] != "channel_error"), "{trace:?}");
    let back = Design::from_scenario(&text).unwrap();
    assert_eq!(back, h.design);
}

#[test]
fn unreadable_files_get_a_message_that_says_what_and_where() {
    let e = Design::from_scenario("{\"steps\": [\n  {\"call\": }\n]}").unwrap_err();
    assert!(e.contains("line 2"), "{e}");
    let e = Design::from_scenario(r#"{"steps": [{"call": "queue_declare", "args": {"queue": 5}}]}"#).unwrap_err();
    assert!(e.contains("step 0") && e.contains("queue"), "{e}");
    let e = Design::from_scenario(r#"{"steps": [], "canvas": {"version": 9, "nodes": [], "links": []}}"#).unwrap_err();
    assert!(e.contains("newer Warren"), "{e}");
    let e = Design::from_scenario(r#"{"steps": [], "canvas": {"nodes": [], "links": [{"from": 1, "to": 2}]}}"#)
        .unwrap_err();
    assert!(e.contains("link 0"), "{e}");
}

/// The first visit's canvas is written out in the page (which has no importer): it must stay the
/// topology of the built-in work queues scenario, as importing it gives.
#[test]
fn the_example_canvas_is_the_work_queues_scenario_imported() {
    let mut want = Design::from_scenario(warren_model::example::WORK_QUEUES).unwrap();
    want.name = "Work queues".into();
    // the scenario was written for 3.10; a first visit's canvas is new, for today's RabbitMQ
    want.rabbitmq = warren_engine::Version::V4_3;
    for n in &mut want.nodes {
        match &mut n.spec {
            Spec::Producer(p) => {
                p.burst = 4;
                p.persistent = true;
                p.body = "task {n}".into();
            }
            Spec::Consumer(c) => c.processing_ms = 2000,
            _ => {}
        }
    }
    assert_eq!(warren_model::example::example(), want);
}

#[test]
fn a_plain_scenario_imports_as_its_topology() {
    let text = std::fs::read_to_string("../tests/conformance/topics.json").unwrap();
    let d = Design::from_scenario(&text).unwrap();
    let x = d.by_name(Kind::Exchange, "topic_logs").expect("the topic exchange");
    assert!(matches!(&x.spec, Spec::Exchange(s) if s.kind == "topic"));
    let keys: Vec<&str> = d
        .links
        .iter()
        .filter(|l| l.from == x.id)
        .map(|l| l.key.as_str())
        .collect();
    assert!(keys.contains(&"*.orange.*") && keys.contains(&"lazy.#"), "{keys:?}");
    assert!(d.nodes.iter().any(|n| n.kind() == Kind::Producer));
    // tidy: producers left of exchanges, left of queues
    let px = d.nodes.iter().find(|n| n.kind() == Kind::Producer).unwrap().x;
    let qx = d.nodes.iter().find(|n| n.kind() == Kind::Queue).unwrap().x;
    assert!(px < x.x && x.x < qx);
}

fn consumer_counts(l: &mut Live, t: f64) -> (u64, u64, (u64, u64)) {
    l.advance_to(t as u64);
    let tally = l.timeline.seek(t).clone();
    (
        tally.consumer("consumer-1", "consumer-1"),
        tally.consumer("consumer-2", "consumer-2"),
        tally.queue("work"),
    )
}

#[test]
fn fair_dispatch_fills_prefetch_slots_and_acks_free_them() {
    let h = work_queue(1, 1000);
    let p = id_of(&h.design, "producer-1");
    let mut l = Live::new(h.design.clone());
    l.input(0, Input::Publish(p)).unwrap();
    // the four messages are routed at instant 0; once shown, each worker holds one
    assert_eq!(consumer_counts(&mut l, 5000.0 - 4000.0 + 999.0), (1, 1, (2, 2)));
    // slots never show more than the prefetch window while the dots move
    l.advance_to(10_000);
    let end = l.timeline.end();
    let mut t = 0.0;
    while t <= end + 1.0 {
        let (a, b, (ready, unacked)) = consumer_counts(&mut l, t);
        assert!(a <= 1 && b <= 1, "at {t}: {a} {b}");
        assert!(a + b == unacked && ready + unacked <= 4, "at {t}");
        t += 25.0;
    }
    assert_eq!(consumer_counts(&mut l, end + 1.0), (0, 0, (0, 0)));
    // what the page ran (typed steps, no JSON) is a scenario: its steps written as JSON and run
    // by the trace runner give the engine's events the page showed, one for one
    let sc = Scenario::from_json(l.scenario()).unwrap();
    let mut r = Runner::new(sc.seed);
    warren_engine::trace::run_steps(&sc.steps, |i, st| r.step(i, st)).unwrap();
    let shown: Vec<String> = l.timeline.events.iter().map(|e| format!("{e:?}")).collect();
    let ran: Vec<String> = r.events.iter().map(|e| format!("{e:?}")).collect();
    assert!(shown.len() > 20, "{}", shown.len());
    assert_eq!(ran, shown);
    assert!(l.trace().iter().filter(|t| t["kind"] == "deliver").count() >= 4);
    let acks = l.steps().iter().filter(|s| s["call"] == "basic_ack").count();
    assert_eq!(acks, 4);
}

#[test]
fn failing_consumers_requeue_and_rpc_servers_reply_with_the_correlation_id() {
    // one consumer that always fails with nack+requeue: the message goes back and comes again
    let mut h = work_queue(1, 500);
    let c2 = id_of(&h.design, "consumer-2");
    h.apply(Action::DeleteNode { id: c2 }).unwrap();
    let c1 = id_of(&h.design, "consumer-1");
    edit(&mut h, c1, |s| {
        let Spec::Consumer(c) = s else { panic!() };
        c.failure_pct = 100;
    });
    let mut l = Live::new(h.design.clone());
    l.input(0, Input::Publish(id_of(&h.design, "producer-1"))).unwrap();
    // each round: the delivery travels to the client (400 ms), the callback fails after 500 ms,
    // the requeued message travels back (400 ms)
    l.advance_to(6000);
    let redelivered = l.trace().iter().filter(|t| t["redelivered"] == true).count();
    assert!(redelivered >= 3, "{:?}", l.trace());
    assert!(l.timeline.trips.iter().any(|t| t.kind == TripKind::Requeue));

    // RPC: client → rpc_queue → server (reply) → reply queue → client's consumer
    let mut h = History::default();
    for kind in [Kind::Producer, Kind::Queue, Kind::Consumer, Kind::Queue, Kind::Consumer] {
        h.apply(Action::Add { kind, x: 0.0, y: 0.0 }).unwrap();
    }
    let d = h.design.clone();
    let (client, rq, server, cb, reader) = (
        id_of(&d, "producer-1"),
        id_of(&d, "queue-1"),
        id_of(&d, "consumer-1"),
        id_of(&d, "queue-2"),
        id_of(&d, "consumer-2"),
    );
    h.apply(Action::Link { from: client, to: rq }).unwrap();
    h.apply(Action::Link { from: rq, to: server }).unwrap();
    h.apply(Action::Link { from: cb, to: reader }).unwrap();
    edit(&mut h, client, |s| {
        let Spec::Producer(p) = s else { panic!() };
        p.reply_to = "queue-2".into();
        p.correlation_id = "call-{n}".into();
        p.body = "fib {n}".into();
    });
    edit(&mut h, server, |s| {
        let Spec::Consumer(s) = s else { panic!() };
        s.reply = true;
    });
    let mut l = Live::new(h.design.clone());
    l.input(0, Input::Publish(client)).unwrap();
    l.input(10, Input::Publish(client)).unwrap();
    l.advance_to(5000);
    let replies: Vec<_> = l
        .trace()
        .iter()
        .filter(|t| t["kind"] == "deliver" && t["conn"] == "consumer-2")
        .map(|t| {
            (
                t["body"].as_str().unwrap().to_string(),
                t["properties"]["correlation_id"].clone(),
            )
        })
        .collect();
    assert_eq!(
        replies,
        vec![
            ("reply to fib 1".to_string(), serde_json::json!("call-1")),
            ("reply to fib 2".to_string(), serde_json::json!("call-2"))
        ]
    );
    // selecting a request highlights its reply (same correlation id), and only that
    let published: Vec<(String, warren_engine::MsgId)> = l
        .timeline
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            warren_engine::EventKind::Published { msg, message, .. } => Some((message.body_text(), *msg)),
            _ => None,
        })
        .collect();
    let id = |body: &str| published.iter().find(|p| p.0 == body).unwrap().1;
    // on screen, the server replies only after the request was seen to reach it
    let landed = l
        .timeline
        .trips
        .iter()
        .find(|t| t.msg == id("fib 1") && t.to == Some(Place::Consumer("consumer-1".into(), "consumer-1".into())))
        .unwrap()
        .end();
    let reply_shown = l
        .timeline
        .events
        .iter()
        .find_map(|e| match &e.kind {
            warren_engine::EventKind::Published { msg, .. } if *msg == id("reply to fib 1") => Some(e.at as f64),
            _ => None,
        })
        .unwrap();
    assert!(reply_shown >= landed, "{reply_shown} < {landed}");
    assert_eq!(
        warren_model::log::related(&l, id("fib 2")),
        vec![id("fib 2"), id("reply to fib 2")]
    );
}

#[test]
fn restart_keeps_durable_queues_and_persistent_messages_only() {
    let mut h = History::default();
    for kind in [Kind::Producer, Kind::Producer, Kind::Queue, Kind::Queue] {
        h.apply(Action::Add { kind, x: 0.0, y: 0.0 }).unwrap();
    }
    let d = h.design.clone();
    let (p1, p2, q1, q2) = (
        id_of(&d, "producer-1"),
        id_of(&d, "producer-2"),
        id_of(&d, "queue-1"),
        id_of(&d, "queue-2"),
    );
    h.apply(Action::Link { from: p1, to: q1 }).unwrap();
    h.apply(Action::Link { from: p2, to: q2 }).unwrap();
    edit(&mut h, q1, |s| {
        let Spec::Queue(q) = s else { panic!() };
        q.durable = true;
    });
    edit(&mut h, p1, |s| {
        let Spec::Producer(p) = s else { panic!() };
        p.persistent = true;
        p.burst = 3;
    });
    edit(&mut h, p1, |s| {
        let Spec::Producer(p) = s else { panic!() };
        p.persistent = false;
    });
    let mut l = Live::new(h.design.clone());
    l.input(0, Input::Publish(p1)).unwrap();
    l.input(0, Input::Publish(p2)).unwrap();
    // (after the publishes reached the broker: frames on their way at a restart are lost)
    l.input(1000, Input::Restart).unwrap();
    let t = l.timeline.end() + 1.0;
    let tally = l.timeline.seek(t).clone();
    // the last SetSpec made producer-1 transient again: nothing survives in the durable queue
    assert_eq!(tally.queue("queue-1"), (0, 0));
    assert!(!tally.queues.contains_key("queue-2"), "the transient queue is gone");
    assert!(l.broker().queue("queue-1").is_some());
    // undo the last change: persistent messages survive
    h.undo();
    let mut l = Live::new(h.design.clone());
    l.input(0, Input::Publish(p1)).unwrap();
    l.input(1000, Input::Restart).unwrap();
    let t = l.timeline.end() + 1.0;
    assert_eq!(l.timeline.seek(t).queue("queue-1"), (3, 0));
}

#[test]
fn replaying_from_the_seed_gives_the_same_timeline() {
    let h = work_queue(2, 300);
    let p = id_of(&h.design, "producer-1");
    let run = || {
        let mut l = Live::new(h.design.clone());
        l.input(0, Input::Publish(p)).unwrap();
        l.input(700, Input::Publish(p)).unwrap();
        l.advance_to(3000);
        l
    };
    let (a, b) = (run(), run());
    let shown = |l: &Live| l.timeline.events.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>();
    assert_eq!(shown(&a), shown(&b));
    assert_eq!(a.steps(), b.steps());
    // rewinding to 500 forgets the second publish and shows what a fresh run shows there
    let mut c = run();
    c.rewind(500);
    assert_eq!(c.inputs.len(), 1);
    let mut fresh = Live::new(h.design.clone());
    fresh.input(0, Input::Publish(p)).unwrap();
    fresh.advance_to(500);
    assert_eq!(c.steps(), fresh.steps());
}

#[test]
fn timeline_counts_equal_the_brokers_after_every_step_of_random_scenarios() {
    for seed in 0..60 {
        let sc = Scenario::from_json(warren_engine::generate::scenario(seed, 60)).unwrap();
        let mut r = Runner::new(sc.seed);
        let mut tl = Timeline::new(true);
        let conns: Vec<String> = sc.steps.iter().map(|s| s.conn.clone()).collect();
        for (i, st) in sc.steps.iter().enumerate() {
            let _ = r.step(i, st);
            for c in &conns {
                if let Some(id) = r.conn_id(c) {
                    tl.names.insert(id, c.clone());
                }
            }
            tl.push(std::mem::take(&mut r.events));
            let tally = tl.seek(f64::INFINITY).clone();
            for q in r.broker().queue_info() {
                assert_eq!(
                    tally.queue(&q.name),
                    (q.messages_ready, q.messages_unacknowledged),
                    "seed {seed} step {i} queue {}",
                    q.name
                );
            }
            let live: usize = r.broker().queues().count();
            let shown = tally.queues.len();
            assert_eq!(live, shown, "seed {seed} step {i}: queues");
            let mut consumers = warren_engine::names::VecMap::new();
            for (conn, c) in r.broker().connections() {
                for ch in c.channels.values() {
                    for (tag, cons) in &ch.consumers {
                        consumers.insert((tl.names[conn].clone(), tag.to_string()), cons.unacked as u64);
                    }
                }
            }
            assert_eq!(consumers, tally.consumers, "seed {seed} step {i}: consumers");
            // the exchanges and bindings the canvas draws alive are the broker's
            let mut exchanges: Vec<String> = r
                .broker()
                .exchanges()
                .map(|x| x.name.to_string())
                .filter(|x| !x.is_empty() && !x.starts_with("amq."))
                .collect();
            exchanges.sort();
            let mut shown: Vec<String> = tally
                .exchanges
                .iter()
                .map(|(x, _)| x.clone())
                .filter(|x| !x.starts_with("amq."))
                .collect();
            shown.sort();
            assert_eq!(exchanges, shown, "seed {seed} step {i}: exchanges");
            for x in r.broker().exchanges() {
                for b in &x.bindings {
                    let dest = match &b.dest {
                        warren_engine::exchange::Dest::Queue(q) | warren_engine::exchange::Dest::Exchange(q) => {
                            q.to_string()
                        }
                    };
                    assert!(
                        tally.bound(&x.name, &dest, &b.key),
                        "seed {seed} step {i}: {} -> {dest} '{}'",
                        x.name,
                        b.key
                    );
                }
            }
            let n: usize = r
                .broker()
                .exchanges()
                .filter(|x| !x.name.is_empty())
                .map(|x| x.bindings.len())
                .sum();
            let m: u32 = tally.bindings.iter().map(|(_, c)| *c).sum();
            assert_eq!(n as u32, m, "seed {seed} step {i}: bindings");
        }
    }
}

#[test]
fn unroutable_messages_fall_mandatory_ones_return_dead_letters_move_and_timed_producers_publish() {
    let mut h = History::default();
    for kind in [
        Kind::Producer,
        Kind::Exchange,
        Kind::Queue,
        Kind::Producer,
        Kind::Queue,
        Kind::Exchange,
        Kind::Queue,
        Kind::Producer,
        Kind::Queue,
    ] {
        h.apply(Action::Add { kind, x: 0.0, y: 0.0 }).unwrap();
    }
    let ids: Vec<u32> = h.design.nodes.iter().map(|n| n.id).collect();
    let names = ["p", "x", "q", "p2", "ttl", "dlx", "dead", "ticker", "ticks"];
    for (id, name) in ids.iter().zip(names) {
        h.apply(Action::Rename {
            id: *id,
            name: name.into(),
        })
        .unwrap();
    }
    let by_name: BTreeMap<&str, u32> = names.iter().copied().zip(ids.iter().copied()).collect();
    let id = |n: &str| by_name[n];
    for (a, b) in [
        ("p", "x"),
        ("x", "q"),
        ("p2", "ttl"),
        ("dlx", "dead"),
        ("ticker", "ticks"),
    ] {
        let (a, b) = (id(a), id(b));
        h.apply(Action::Link { from: a, to: b }).unwrap();
    }
    edit(&mut h, id("p"), |s| {
        let Spec::Producer(p) = s else { panic!() };
        p.routing_key = "nobody".into();
        p.mandatory = true;
    });
    edit(&mut h, id("ttl"), |s| {
        let Spec::Queue(q) = s else { panic!() };
        q.message_ttl = Some(1000);
        q.dead_letter_exchange = Some("dlx".into());
    });
    edit(&mut h, id("dlx"), |s| {
        let Spec::Exchange(x) = s else { panic!() };
        x.kind = "fanout".into();
    });
    edit(&mut h, id("ticker"), |s| {
        let Spec::Producer(t) = s else { panic!() };
        t.every_ms = 1000;
    });

    let mut l = Live::new(h.design.clone());
    l.input(0, Input::Publish(id("p"))).unwrap();
    l.input(0, Input::Publish(id("p2"))).unwrap();
    l.advance_to(5_500);
    let trips = &l.timeline.trips;
    let has = |kind: TripKind, from: Place, to: Option<Place>| {
        trips.iter().any(|t| t.kind == kind && t.from == from && t.to == to)
    };
    // no binding matched "nobody": the message falls out of x, and comes back to p (mandatory)
    assert!(has(TripKind::Fall, Place::Exchange("x".into()), None));
    assert!(has(
        TripKind::Return,
        Place::Exchange("x".into()),
        Some(Place::Client("p".into()))
    ));
    // the TTL ran out: the message moves to the dead-letter exchange and on to "dead"
    assert!(has(
        TripKind::DeadLetter,
        Place::Queue("ttl".into()),
        Some(Place::Exchange("dlx".into()))
    ));
    assert!(has(
        TripKind::DeadLetter,
        Place::Exchange("dlx".into()),
        Some(Place::Queue("dead".into()))
    ));
    let end = l.timeline.end() + 1.0;
    let tally = l.timeline.seek(end).clone();
    assert_eq!((tally.queue("ttl"), tally.queue("dead")), ((0, 0), (1, 0)));
    // the ticker published at 1, 2, 3, 4 and 5 s
    let ticks = l
        .steps()
        .iter()
        .filter(|s| s["call"] == "basic_publish" && s["conn"] == "ticker")
        .count();
    assert_eq!(ticks, 5);
    assert_eq!(tally.queue("ticks"), (5, 0));
    // the return is what pika would see
    assert!(l
        .trace()
        .iter()
        .any(|t| t["kind"] == "return" && t["reply_text"] == "NO_ROUTE" && t["conn"] == "p"));
}

#[test]
fn a_design_goes_out_as_rabbitmq_definitions_and_comes_back() {
    let h = work_queue(1, 1000);
    let defs = h.design.definitions().unwrap();
    let names = |k: &str| -> Vec<String> {
        defs[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(names("exchanges"), vec!["tasks"]);
    assert_eq!(names("queues"), vec!["work"]);
    assert_eq!(defs["bindings"][0]["routing_key"], "work");
    let mut file = defs.clone();
    file["users"] = serde_json::json!([{"name": "guest"}]);
    let (d, notes) = Design::from_file(&file.to_string()).unwrap();
    assert_eq!(notes, vec!["users: 1 (a scenario has none)".to_string()]);
    assert_eq!(d.describe(), "exchange tasks\nqueue work\ntasks -> work [work]\n");
    // a scenario file is still a scenario file
    let text = h.design.to_scenario().to_string();
    assert_eq!(Design::from_file(&text).unwrap(), (h.design.clone(), Vec::new()));
    let e = Design::from_file(r#"{"queues": [{"name": 1}]}"#).unwrap_err();
    assert_eq!(e, "definitions: queues[0]: \"name\" is not a string");
}

#[test]
fn pika_code_for_a_design_is_python_and_predicts_the_queues() {
    let text = std::fs::read_to_string("../tests/designs/topic_logs.json").unwrap();
    let (d, _) = Design::from_file(&text).unwrap();
    let files = warren_model::pika::files(&d);
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "setup.py",
            "producer_kern.py",
            "producer_cron.py",
            "consumer_alerter.py",
            "expected.txt"
        ]
    );
    // kern.critical ×3 → critical, all_kern, everything; cron.info ×2 → everything (max 4: drop-head)
    let expected = &files.last().unwrap().1;
    assert_eq!(expected, "all_kern\t3\ncritical\t3\neverything\t4\n");
    // every script compiles (python3 is on every machine the tests run on)
    let dir = std::env::temp_dir().join(format!("warren-pika-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, code) in files.iter().filter(|f| f.0.ends_with(".py")) {
        let path = dir.join(name);
        std::fs::write(&path, code).unwrap();
        let out = std::process::Command::new("python3")
            .args(["-m", "py_compile"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    }
    std::fs::remove_dir_all(&dir).unwrap();
    let consumer = &files[3].1;
    assert!(consumer.contains("channel.basic_qos(prefetch_count=2)") && consumer.contains("time.sleep(0.5)"));
    assert!(files[2].1.contains("headers={'host': 'a'}"), "{}", files[2].1);
}

/// The trips in flight, found through the timeline's index, are exactly those whose span holds
/// the instant: checked against every trip, before and after the index catches up, forward and
/// back, while messages keep being published (requeues and several hops included).
#[test]
fn active_trips_are_exactly_those_in_flight() {
    let h = work_queue(2, 300);
    let p = id_of(&h.design, "producer-1");
    let mut l = Live::new(h.design.clone());
    let every = |l: &Live, t: f64| -> Vec<usize> {
        let trips = &l.timeline.trips;
        let mut v: Vec<usize> = l
            .timeline
            .active(t)
            .map(|a| trips.iter().position(|b| std::ptr::eq(a, b)).unwrap())
            .collect();
        v.sort();
        v
    };
    let brute = |l: &Live, t: f64| -> Vec<usize> {
        (0..l.timeline.trips.len())
            .filter(|&i| {
                let tr = &l.timeline.trips[i];
                tr.start <= t && t < tr.end()
            })
            .collect()
    };
    let mut checked = 0;
    for round in 0..6u64 {
        l.input(round * 700, Input::Publish(p)).unwrap();
        l.advance_to(round * 700 + 650);
        let end = l.timeline.end();
        // first unindexed (made since the last seek), then indexed, at the same instants
        for pass in 0..2 {
            let mut t = 0.0;
            while t <= end + 1.0 {
                if pass == 1 {
                    l.timeline.seek(t);
                }
                let (a, b) = (every(&l, t), brute(&l, t));
                assert_eq!(a, b, "round {round}, pass {pass}, at {t}");
                checked += a.len();
                t += 37.0;
            }
        }
        // and backwards
        let mut t = end;
        while t >= 0.0 {
            l.timeline.seek(t);
            assert_eq!(every(&l, t), brute(&l, t), "backwards at {t}");
            t -= 53.0;
        }
    }
    assert!(checked > 100, "trips were in flight to compare ({checked})");
}

/// The timeline's chunked list reads back what was pushed, by index and in order, across chunks.
#[test]
fn chunked_list_reads_back_across_chunks() {
    let mut c = warren_model::timeline::Chunked::default();
    assert!(c.is_empty());
    for i in 0..10_000u32 {
        c.push(i * 3);
    }
    assert_eq!(c.len(), 10_000);
    assert!((0..10_000).all(|i| c[i as usize] == i * 3));
    assert!(c.iter().copied().eq((0..10_000).map(|i| i * 3)));
    assert!(c.iter().rev().copied().eq((0..10_000).rev().map(|i| i * 3)));
    assert_eq!((&c).into_iter().count(), 10_000);
}

#[test]
fn a_canvas_node_is_read_with_its_kind_settings_beside_it_and_broken_ones_say_what_is_wrong() {
    let node = |extra: &str| {
        format!(
            r#"{{"name": "n", "seed": 1, "steps": [], "canvas": {{"version": 1, "links": [],
                "nodes": [{{"id": 1, "name": "jobs", "x": 10.0, "y": 20.0{extra}}}]}}}}"#
        )
    };
    let (d, _) = Design::from_file(&node(r#", "kind": "queue", "durable": true, "max_length": 5"#)).unwrap();
    let n = &d.nodes[0];
    assert_eq!(
        (n.id, n.name.as_str(), n.x, n.y, n.kind()),
        (1, "jobs", 10.0, 20.0, Kind::Queue)
    );
    let Spec::Queue(q) = &n.spec else { panic!("a queue") };
    assert!(q.durable && q.max_length == Some(5));
    // what it writes, it reads back
    let text = d.to_scenario().to_string();
    assert_eq!(Design::from_file(&text).unwrap().0, d);
    let err = |extra: &str| Design::from_file(&node(extra)).unwrap_err();
    assert_eq!(err(""), "canvas: node 1 (jobs): missing field `kind`");
    assert_eq!(
        err(r#", "kind": "router""#),
        "canvas: node 1 (jobs): kind: \"router\" is not one of producer, exchange, queue, consumer"
    );
    assert_eq!(
        err(r#", "kind": "queue", "durable": "yes""#),
        "canvas: node 1 (jobs): durable: expected true or false, found \"yes\""
    );
    assert_eq!(
        err(r#", "kind": "queue", "max_priority": 300"#),
        "canvas: node 1 (jobs): max_priority: expected a whole number from 0 to 255, found 300"
    );
    assert_eq!(
        err(r#", "kind": "consumer", "on_failure": "drop""#),
        "canvas: node 1 (jobs): on_failure: \"drop\" is not one of nack, reject"
    );
    assert_eq!(
        err(r#", "kind": "producer", "headers": {"a": 1}"#),
        "canvas: node 1 (jobs): headers: a: expected a string, found 1"
    );
    let no_x = r#"{"name": "n", "seed": 1, "steps": [], "canvas": {"version": 1, "links": [],
        "nodes": [{"id": 1, "name": "jobs", "y": 2, "kind": "queue"}]}}"#;
    assert_eq!(
        Design::from_file(no_x).unwrap_err(),
        "canvas: node 1 (jobs): missing field `x`"
    );
    let no_id = r#"{"name": "n", "seed": 1, "steps": [], "canvas": {"version": 1, "links": [],
        "nodes": [{"name": "jobs", "x": 1, "y": 2, "kind": "queue"}]}}"#;
    assert_eq!(
        Design::from_file(no_id).unwrap_err(),
        "canvas: node 1 of the list: missing field `id`"
    );
    let bad_link = r#"{"name": "n", "seed": 1, "steps": [], "canvas": {"version": 1,
        "nodes": [], "links": [{"from": 1, "to": -2}]}}"#;
    assert_eq!(
        Design::from_file(bad_link).unwrap_err(),
        "canvas: links: item 1: to: expected a whole number from 0 to 4294967295, found -2"
    );
}
