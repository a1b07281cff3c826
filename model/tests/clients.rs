//! The clients of a design behave like the clients of the tutorials (pika's BlockingConnection):
//! a stopped consumer can be started again, as a learner reruns its script, and the canvas shows
//! it stopped only from the instant it was stopped.
use warren_model::design::Design;
use warren_model::sim::{Input, Live};
use warren_model::tutorial::{by_id, settle};
mod common;
use common::id_of;

#[test]
fn a_stopped_subscriber_started_again_gets_a_new_exclusive_queue_and_the_next_logs() {
    let d = by_id("publish-subscribe").unwrap().design();
    let (emit, rl2) = (id_of(&d, "emit_log"), id_of(&d, "receive_logs-2"));
    let mut live = Live::new(d);
    let first = live.real_queue("queue-B");
    assert!(first.starts_with("amq.gen-"), "{first}");
    live.input(0, Input::Publish(emit)).unwrap();
    settle(&mut live);
    live.input(2000, Input::Stop(rl2)).unwrap();
    // its exclusive queue went with its connection
    assert!(live.broker().queue(&first).is_none());
    live.input(3000, Input::Publish(emit)).unwrap();
    settle(&mut live);
    live.input(5000, Input::Start(rl2)).unwrap();
    let second = live.real_queue("queue-B");
    assert!(second.starts_with("amq.gen-") && second != first, "{first} {second}");
    live.input(6000, Input::Publish(emit)).unwrap();
    settle(&mut live);
    assert!(live.problems.is_empty(), "{:?}", live.problems);
    let end = live.timeline.end();
    let tally = live.timeline.seek(end);
    // it missed the log published while it was stopped, and got the others
    assert_eq!((tally.got("receive_logs-1"), tally.got("receive_logs-2")), (3, 2));
    // started twice is an error that says so; stopping it again works
    assert_eq!(
        live.input(7000, Input::Start(rl2)).unwrap_err(),
        "receive_logs-2 is already running"
    );
    live.input(7000, Input::Stop(rl2)).unwrap();
    // stopped between 2 and 5 s, and from 7 s: as the inputs say at each instant
    let at = |t| live.stopped_at(rl2, t);
    assert_eq!(
        [at(1999), at(2000), at(4999), at(5000), at(7000)],
        [false, true, true, false, true]
    );
}

#[test]
fn a_worker_started_again_takes_the_tasks_that_waited() {
    let d = by_id("work-queues").unwrap().design();
    let (task, w1, w2) = (id_of(&d, "new_task"), id_of(&d, "worker-1"), id_of(&d, "worker-2"));
    let mut live = Live::new(d);
    live.input(0, Input::Stop(w1)).unwrap();
    live.input(0, Input::Stop(w2)).unwrap();
    live.input(0, Input::Publish(task)).unwrap();
    settle(&mut live);
    assert_eq!(live.broker().queue("task_queue").unwrap().len(), 6);
    live.input(1000, Input::Start(w2)).unwrap();
    settle(&mut live);
    assert!(live.problems.is_empty(), "{:?}", live.problems);
    assert_eq!(live.broker().queue("task_queue").unwrap().len(), 0);
    let end = live.timeline.end();
    assert_eq!(live.timeline.seek(end).got("worker-2"), 6);
    // what the page ran is a scenario a broker can replay: the start is steps of worker-2's
    let steps = live.steps();
    let again: Vec<&str> = steps
        .iter()
        .filter(|s| s["conn"] == "worker-2")
        .filter_map(|s| s["call"].as_str())
        .skip_while(|c| *c != "connection_close")
        .take(3)
        .collect();
    assert_eq!(again, ["connection_close", "queue_declare", "basic_consume"]);
    // a producer cannot be started
    let err = live.input(end as u64, Input::Start(task)).unwrap_err();
    assert_eq!(err, "new_task is not a consumer");
}

/// One clock: at every sampled instant of a run, what the canvas counts (the timeline at `t`)
/// is what the broker holds at `t` (what the console's `list_queues` prints then), queue by queue
/// and consumer by consumer, while messages, deliveries and acks are on their way.
#[test]
fn the_canvas_counts_what_the_broker_holds_at_every_instant() {
    use warren_model::design::Kind;
    let designs = [
        by_id("work-queues").unwrap().design(),
        by_id("peak-shaving").unwrap().design(),
        by_id("dead-letters").unwrap().design(),
        by_id("rpc").unwrap().design(),
        Design::from_file(include_str!("../../tests/designs/fair_dispatch.json"))
            .unwrap()
            .0,
    ];
    for d in designs {
        let producers: Vec<u32> = d.ids(Kind::Producer);
        let name = d.name.clone();
        let mut live = Live::new(d);
        for (k, p) in producers.iter().enumerate() {
            live.input(k as u64 * 150, Input::Publish(*p)).unwrap();
        }
        let (mut t, mut sampled, mut in_flight) = (0u64, 0, 0);
        while t < 30_000 {
            live.advance_to(t);
            in_flight += live.timeline.active(t as f64).count();
            let tally = live.timeline.seek(t as f64).clone();
            for q in live.broker().queue_info() {
                assert_eq!(
                    tally.queue(&q.name),
                    (q.messages_ready, q.messages_unacknowledged),
                    "{name} at {t} ms: queue {}",
                    q.name
                );
                sampled += 1;
            }
            for (conn, c) in live.broker().connections() {
                for ch in c.channels.values() {
                    for (tag, cons) in &ch.consumers {
                        let who = live.timeline.names.get(conn).cloned().unwrap_or_default();
                        assert_eq!(
                            tally.consumer(&who, tag),
                            cons.unacked as u64,
                            "{name} at {t} ms: {who}"
                        );
                    }
                }
            }
            t += 37;
        }
        assert!(live.problems.is_empty(), "{name}: {:?}", live.problems);
        assert!(
            sampled > 500 && in_flight > 50,
            "{name}: {sampled} samples, {in_flight} dots"
        );
    }
}

/// The ways messages take with no link on the canvas are drawn too: dead letters to their
/// exchange, RPC replies to the reply queue (or by direct reply-to, to the client).
#[test]
fn dead_letter_and_reply_paths_are_edges() {
    use warren_model::design::Implied;
    let names = |d: &Design| -> Vec<(String, String, Implied)> {
        let n = |id| d.node(id).unwrap().name.clone();
        d.implied_paths().into_iter().map(|(a, b, k)| (n(a), n(b), k)).collect()
    };
    let rpc = by_id("rpc").unwrap().design();
    assert_eq!(
        names(&rpc),
        [
            ("rpc_server".into(), "callback".into(), Implied::Reply),
            ("rpc_server".into(), "fast_client".into(), Implied::Reply),
            ("callback".into(), "rpc_client".into(), Implied::ReadsReplies)
        ]
    );
    let dl = by_id("dead-letters").unwrap().design();
    let paths = names(&dl);
    assert!(
        !paths.is_empty() && paths.iter().all(|p| p.2 == Implied::DeadLetter),
        "{paths:?}"
    );
    // and the dots of a reply travel that way: from the server to the callback queue
    let client = id_of(&rpc, "rpc_client");
    let mut live = Live::new(rpc);
    live.input(0, Input::Publish(client)).unwrap();
    settle(&mut live);
    let callback = live.real_queue("callback");
    assert!(live.timeline.trips.iter().any(|t| {
        t.from == warren_model::timeline::Place::Client("rpc_server".into())
            && t.to == Some(warren_model::timeline::Place::Queue(callback.as_str().into()))
    }));
}

/// Stepping back starts from a copy of the counts, not from the start: wherever the playback
/// goes, back or forth, it shows what a count from the start shows there.
#[test]
fn seeking_back_and_forth_shows_what_counting_from_the_start_shows() {
    use warren_model::design::Spec;
    let (mut d, _) = Design::from_file(include_str!("../../tests/designs/fair_dispatch.json")).unwrap();
    for n in d.nodes.iter_mut() {
        if let Spec::Producer(p) = &mut n.spec {
            (p.every_ms, p.burst) = (1000, 3);
        }
    }
    let mut live = Live::new(d);
    live.advance_to(900_000);
    assert!(
        live.timeline.events.len() > 3 * 4096,
        "{} events",
        live.timeline.events.len()
    );
    let times: Vec<f64> = (0..120).map(|k| k as f64 * 7481.0).collect();
    let forward: Vec<_> = times.iter().map(|t| live.timeline.seek(*t).clone()).collect();
    // back, then in a scrambled order, then forward again
    let mut order: Vec<usize> = (0..times.len()).rev().collect();
    order.extend((0..times.len()).map(|k| (k * 37) % times.len()));
    order.extend(0..times.len());
    for k in order {
        assert_eq!(live.timeline.seek(times[k]), &forward[k], "at {} ms", times[k]);
    }
}

/// A step goes to the next (or last) instant something happens or lands: found by searching,
/// the same instants as all the moments sorted.
#[test]
fn steps_find_the_moments_without_sorting_them_all() {
    let (d, _) = Design::from_file(include_str!("../../tests/designs/fair_dispatch.json")).unwrap();
    let producers: Vec<u32> = d
        .nodes
        .iter()
        .filter(|n| n.kind() == warren_model::design::Kind::Producer)
        .map(|n| n.id)
        .collect();
    let mut live = Live::new(d);
    for (k, p) in producers.iter().enumerate() {
        live.input(k as u64 * 333, Input::Publish(*p)).unwrap();
    }
    settle(&mut live);
    let moments = live.timeline.moments();
    assert!(moments.len() > 10);
    let end = moments.last().copied().unwrap();
    let mut t = -1.0;
    while t < end + 500.0 {
        let next = moments.iter().copied().find(|&m| m > t);
        let prev = moments.iter().rev().copied().find(|&m| m < t);
        assert_eq!(live.timeline.next_moment(t), next, "after {t}");
        assert_eq!(live.timeline.prev_moment(t), prev, "before {t}");
        t += 13.0;
    }
}

/// An RPC client is one client, as the tutorial's rpc_client.py: it declares its own callback
/// queue (exclusive, named by the broker), consumes it, and makes one call at a time: a request
/// goes out only once the reply to the one before, matched by its correlation id, is back.
#[test]
fn an_rpc_client_makes_one_call_at_a_time_and_reads_its_own_replies() {
    use warren_engine::EventKind;
    let d = by_id("rpc").unwrap().design();
    let (client, fast) = (id_of(&d, "rpc_client"), id_of(&d, "fast_client"));
    assert!(d.reads_replies(client) && d.reads_replies(fast));
    assert_eq!(d.queue_owner(id_of(&d, "callback")), "rpc_client");
    let mut live = Live::new(d);
    // three calls asked for at once (a burst, or three clicks)
    for _ in 0..3 {
        live.input(0, Input::Publish(client)).unwrap();
    }
    live.advance_to(20_000);
    assert!(live.problems.is_empty(), "{:?}", live.problems);
    let names = &live.timeline.names;
    let who = |c: &warren_engine::ConnId| names.get(c).cloned().unwrap_or_default();
    let mut published = Vec::new();
    let mut replies = Vec::new();
    for e in live.timeline.events.iter() {
        match &e.kind {
            EventKind::Published { conn, message, .. } if who(conn) == "rpc_client" => {
                published.push((e.at, message.properties.correlation_id.clone().unwrap()))
            }
            EventKind::Delivered { conn, message, .. } if who(conn) == "rpc_client" => {
                replies.push((e.at, message.properties.correlation_id.clone().unwrap()))
            }
            _ => {}
        }
    }
    let corr: Vec<&str> = published.iter().map(|p| p.1.as_str()).collect();
    assert_eq!(corr, ["req-1", "req-2", "req-3"]);
    assert_eq!(
        replies.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        ["req-1", "req-2", "req-3"]
    );
    // each request reaches the broker a hop after the reply before it reached the client (a
    // hop after the broker sent it): 2 hops after that delivery
    let hop = warren_model::timeline::HOP as u64;
    for k in 1..3 {
        assert_eq!(
            published[k].0,
            replies[k - 1].0 + 2 * hop,
            "call {}: {published:?} {replies:?}",
            k + 1
        );
    }
    // the replies are the client's own: counted under it
    live.timeline.seek(20_000.0);
    assert_eq!(live.timeline.tally().got("rpc_client"), 3);
}

/// A step back undoes the last events one by one (what each changed, noted as it was applied):
/// at every moment of every tutorial's run, walking back from the end and forward again, the
/// counts are those of counting the events from the start.
#[test]
fn a_step_back_undoes_exactly_what_the_events_did() {
    use warren_model::timeline::Tally;
    let mut moments = 0;
    for t in warren_model::tutorial::builtin() {
        let mut live = warren_model::tutorial::play(&t).unwrap().live;
        // and then a broker restart: queues, exchanges and bindings lost, copies taken away
        live.input(live.clock() + 500, Input::Restart).unwrap();
        live.advance_to(live.clock() + 2000);
        let end = live.timeline.end();
        let counted = |live: &Live, at: f64| {
            let mut fresh = Tally::default();
            for e in live.timeline.events.iter().take_while(|e| e.at as f64 <= at) {
                fresh.apply(&e.kind, &live.timeline.names);
            }
            fresh
        };
        live.timeline.seek(end);
        let mut at = end;
        let mut walked = vec![at];
        while let Some(prev) = live.timeline.prev_moment(at) {
            let shown = live.timeline.seek(prev).clone();
            assert_eq!(shown, counted(&live, prev), "{} at {prev} ms (back)", t.id);
            at = prev;
            walked.push(at);
            moments += 1;
        }
        for &at in walked.iter().rev() {
            let shown = live.timeline.seek(at).clone();
            assert_eq!(shown, counted(&live, at), "{} at {at} ms (forward)", t.id);
        }
    }
    assert!(moments > 150, "{moments} moments");
}
