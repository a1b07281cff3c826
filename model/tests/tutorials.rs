//! The guided tutorials: each runs to its end as a learner would run it, the broker reports no
//! problem, what each step's narration says happens does happen, and the closing question's
//! answer (read off the counts the canvas shows) is the one the explanation argues for.

use warren_engine::scenario::Scenario;
use warren_engine::trace::{run_steps, Runner};
use warren_model::i18n::{tr, translated, Lang, ZH};
use warren_model::sim::Live;
use warren_model::tutorial::{builtin, by_id, parse, play, settle, Act, Measure, Resolved, INDEX};

fn answer(id: &str) -> (u64, Live) {
    let t = by_id(id).expect("a tutorial");
    let p = play(&t).unwrap_or_else(|e| panic!("{id}: {e}"));
    assert!(p.live.problems.is_empty(), "{id}: {:?}", p.live.problems);
    (p.answer, p.live)
}

#[test]
fn eleven_tutorials_in_the_issue_order_with_both_languages() {
    let ids: Vec<&str> = INDEX.iter().map(|t| t.id).collect();
    assert_eq!(
        ids,
        [
            "hello-world",
            "work-queues",
            "publish-subscribe",
            "routing",
            "topics",
            "headers",
            "rpc",
            "publisher-confirms",
            "dead-letters",
            "peak-shaving",
            "poison-messages"
        ]
    );
    for t in builtin() {
        let title = t.title;
        let mut texts = vec![(title.en, title.zh)];
        for x in [&t.intro, &t.question.ask, &t.question.look, &t.question.why] {
            texts.push((x.en.as_str(), x.zh.as_str()));
        }
        for s in &t.steps {
            texts.push((s.say.en.as_str(), s.say.zh.as_str()));
            texts.push((s.watch.en.as_str(), s.watch.zh.as_str()));
            assert!(!s.acts.is_empty(), "{}: a step that does nothing", t.id);
        }
        for (en, zh) in texts {
            assert!(
                !en.trim().is_empty() && !zh.trim().is_empty(),
                "{}: {en:?} {zh:?}",
                t.id
            );
            assert_ne!(en, zh, "{}: not translated: {en}", t.id);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: {zh}",
                t.id
            );
        }
    }
}

#[test]
fn every_act_names_a_node_of_its_tutorial() {
    for t in builtin() {
        let mut d = t.design();
        for s in &t.steps {
            for a in &s.acts {
                match a.resolve(&d).unwrap_or_else(|e| panic!("{}: {e}", t.id)) {
                    Resolved::Edit { id, spec } => d.nodes.iter_mut().find(|n| n.id == id).unwrap().spec = spec,
                    Resolved::Input(_) => {}
                }
            }
        }
        let live = Live::new(t.design());
        let tally = live.timeline.tally();
        // the measured node exists: reading it on a fresh canvas gives 0, not a panic
        assert_eq!(t.question.measure.read(&live, tally), 0, "{}", t.id);
    }
}

#[test]
fn hello_world_messages_wait_for_a_consumer() {
    let (n, live) = answer("hello-world");
    assert_eq!(live.timeline.tally().got("receiver"), 1);
    assert_eq!(n, 3);
}

#[test]
fn work_queues_round_robin_then_fair_then_redelivery_then_durability() {
    let t = by_id("work-queues").unwrap();
    // step 1 alone: round-robin gives each worker 3 of 6, whatever their speed
    let mut live = Live::new(t.design());
    let Resolved::Input(i) = Act::Publish("new_task".into()).resolve(&live.design).unwrap() else {
        panic!()
    };
    live.input(0, i).unwrap();
    settle(&mut live);
    let end = live.timeline.end();
    let tally = live.timeline.seek(end);
    assert_eq!((tally.got("worker-1"), tally.got("worker-2")), (3, 3));

    let p = play(&t).unwrap();
    assert!(p.live.problems.is_empty(), "{:?}", p.live.problems);
    // the run after the prefetch edit: fair dispatch gave the fast worker more of the first
    // six, then worker-1 died holding one, which worker-2 got again, redelivered
    let redelivered = p
        .live
        .timeline
        .events
        .iter()
        .filter(|e| {
            matches!(
                &e.kind,
                warren_engine::event::EventKind::Delivered { redelivered: true, .. }
            )
        })
        .count();
    assert_eq!(redelivered, 1, "the dying worker's one unacked task is delivered again");
    let tally = p.live.timeline.tally();
    assert!(tally.got("worker-2") > tally.got("worker-1") + 3, "{tally:?}");
    assert_eq!(tally.got("worker-1") + tally.got("worker-2"), 12 + 1);
    // durable queue, persistent tasks: the 6 of the last step survive the restart
    assert_eq!(p.answer, 6);
    assert_eq!(p.scenarios.len(), 2, "the prefetch edit starts a second run");
}

#[test]
fn publish_subscribe_exclusive_queue_goes_with_its_subscriber() {
    let (n, live) = answer("publish-subscribe");
    assert_eq!(live.timeline.tally().got("receive_logs-1"), 3);
    assert_eq!(n, 1);
    let b = live.real_queue("queue-B");
    assert!(b.starts_with("amq.gen-"), "{b}");
    assert!(
        !live.timeline.tally().queues.contains_key(&b),
        "queue-B was deleted with its connection"
    );
}

#[test]
fn routing_topics_headers_count_what_the_narration_says() {
    let (n, live) = answer("routing");
    assert_eq!((n, live.timeline.tally().queue("disk").0), (3, 1));
    let (n, live) = answer("topics");
    assert_eq!((n, live.timeline.tally().queue("Q1").0), (5, 3));
    let (n, live) = answer("headers");
    assert_eq!((n, live.timeline.tally().queue("pdf_reports").0), (2, 1));
}

#[test]
fn rpc_replies_by_callback_queue_and_by_direct_reply_to() {
    let (n, live) = answer("rpc");
    assert_eq!(n, 3);
    assert_eq!(
        live.timeline.tally().got("fast_client"),
        1,
        "the direct reply reached fast_client"
    );
    // the direct reply is drawn from the server straight to the client
    assert!(live
        .timeline
        .trips
        .iter()
        .any(|t| t.from == warren_model::timeline::Place::Client("rpc_server".into())
            && t.to == Some(warren_model::timeline::Place::Client("fast_client".into()))));
}

#[test]
fn confirms_ack_the_returned_message_too() {
    let (n, live) = answer("publisher-confirms");
    assert_eq!(n, 3);
    assert_eq!(live.timeline.tally().returned.get("shop"), Some(&1));
    assert_eq!(live.timeline.tally().queue("new_orders").0, 2);
}

#[test]
fn dead_letters_retry_until_every_job_is_acked() {
    let (n, live) = answer("dead-letters");
    let dead = |reason: &str| {
        live.timeline
            .events
            .iter()
            .filter(|e| matches!(&e.kind, warren_engine::event::EventKind::DeadLettered { reason: r, .. } if r.as_str() == reason))
            .count()
    };
    assert!(dead("rejected") >= 1, "the seed makes the worker fail at least once");
    assert_eq!(
        dead("rejected"),
        dead("expired"),
        "every rejected job comes back after its TTL"
    );
    assert_eq!(n as usize, 3 + dead("rejected"));
    assert_eq!(live.timeline.tally().queue("work_q"), (0, 0));
    assert_eq!(live.timeline.tally().queue("retry_wait"), (0, 0));
}

/// A quorum queue on 4.3 stops a poison message by itself: its default delivery limit of 20
/// dead-letters each order at its 21st failure; the same design on 3.10 never stops.
#[test]
fn poison_messages_are_parked_after_twenty_one_deliveries_on_4_3_only() {
    let (n, live) = answer("poison-messages");
    assert_eq!(n, 42, "21 deliveries of each of two orders");
    let t = live.timeline.tally();
    assert_eq!(t.queue("orders"), (0, 0));
    assert_eq!(t.queue("parked").0, 2, "both orders parked");
    let dead = live
        .timeline
        .events
        .iter()
        .filter(|e| matches!(&e.kind, warren_engine::event::EventKind::DeadLettered { reason: r, .. } if r.as_str() == "delivery_limit"))
        .count();
    assert_eq!(dead, 2);
    // on 3.10 the first order is still going round a minute later (a round is about a second)
    let mut d = by_id("poison-messages").unwrap().design();
    d.rabbitmq = warren_engine::Version::V3_10;
    let mut old = Live::new(d);
    let shop = old
        .design
        .by_name(warren_model::design::Kind::Producer, "shop")
        .unwrap()
        .id;
    old.input(0, warren_model::sim::Input::Publish(shop)).unwrap();
    old.advance_to(60_000);
    old.timeline.seek(old.timeline.end());
    let t = old.timeline.tally();
    assert!(t.got("worker") > 42, "{}", t.got("worker"));
    assert_eq!(t.queue("parked").0, 0);
}

#[test]
fn peak_shaving_shares_forty_orders_between_three_workers() {
    let (n, live) = answer("peak-shaving");
    let t = live.timeline.tally();
    assert_eq!(t.got("worker-1") + t.got("worker-2") + n, 40);
    assert!((13..=14).contains(&n), "{n}");
    assert_eq!(t.queue("orders"), (0, 0));
}

#[test]
fn recorded_runs_are_scenarios_the_runner_replays_to_the_same_trace() {
    for t in builtin() {
        let p = play(&t).unwrap();
        for (i, sc) in p.scenarios.iter().enumerate() {
            let text = serde_json::to_string(sc).unwrap();
            let parsed = Scenario::parse(&text).unwrap_or_else(|e| panic!("{} run {i}: {e}", t.id));
            let mut r = Runner::new(parsed.seed);
            let lines = run_steps(&parsed.steps, |i, st| r.step(i, st)).unwrap_or_else(|e| panic!("{}: {e}", t.id));
            assert!(!lines.is_empty(), "{}", t.id);
            assert!(
                lines.iter().all(|l| l.get("code").is_none()),
                "{}: a step failed on the engine: {lines:?}",
                t.id
            );
        }
    }
}

#[test]
fn measures_read_what_the_canvas_shows_at_the_playback_position() {
    // halfway through the peak, the queue holds a backlog; at the end it is empty
    let t = by_id("peak-shaving").unwrap();
    let mut live = Live::new(t.design());
    let Resolved::Input(i) = Act::Publish("checkout".into()).resolve(&live.design).unwrap() else {
        panic!()
    };
    live.input(0, i).unwrap();
    settle(&mut live);
    let early = live.timeline.seek(2000.0).queue("orders").0;
    assert!(early > 10, "{early}");
    assert_eq!(
        Measure::Ready("orders".into()).read(&live, live.timeline.tally()),
        early
    );
}

#[test]
fn chinese_interface_strings_are_sorted_and_looked_up() {
    assert!(ZH.windows(2).all(|w| w[0].0 < w[1].0), "ZH must stay sorted by key");
    for (en, zh) in ZH {
        assert!(translated(en));
        assert_eq!(tr(Lang::Zh, en), *zh);
        assert_eq!(tr(Lang::En, en), *en);
    }
    assert_eq!(tr(Lang::Zh, "no such string"), "no such string");
    assert_eq!(Lang::from_tag("zh-CN"), Lang::Zh);
    assert_eq!(Lang::from_tag("zh"), Lang::Zh);
    assert_eq!(Lang::from_tag("en-US"), Lang::En);
    assert_eq!(Lang::from_tag("fr"), Lang::En);
    assert_eq!(Lang::prefer(["fr-FR", "zh-TW", "en"]), Lang::Zh);
    assert_eq!(Lang::prefer(["de", "en-GB", "zh-CN"]), Lang::En);
}

#[test]
fn only_the_direct_reply_to_request_is_cut_from_what_a_broker_replays() {
    for t in builtin() {
        let p = play(&t).unwrap();
        for (sc, cut) in p.replayable() {
            let text = sc.to_string();
            if t.id == "rpc" {
                assert!(cut > 0, "the direct reply-to request and what follows");
                let steps = sc["steps"].as_array().unwrap();
                let publishes = |who: &str| {
                    steps
                        .iter()
                        .filter(|s| s["conn"] == who && s["call"] == "basic_publish")
                        .count()
                };
                assert_eq!((publishes("rpc_client"), publishes("fast_client")), (3, 0));
            } else {
                assert_eq!(cut, 0, "{}", t.id);
            }
            assert!(
                !text.contains("amq.rabbitmq.reply-to."),
                "{}: a made-up reply address",
                t.id
            );
        }
    }
}

#[test]
fn the_event_log_reads_in_chinese_with_the_same_kinds_of_line() {
    use warren_model::timeline::{describe, describe_in};
    let mut lines = 0;
    for t in builtin() {
        let p = play(&t).unwrap();
        let tl = &p.live.timeline;
        for e in &tl.events {
            let en = describe(&e.kind, &tl.names);
            let zh = describe_in(Lang::Zh, &e.kind, &tl.names);
            assert_eq!(en.as_ref().map(|l| l.0), zh.as_ref().map(|l| l.0), "{:?}", e.kind);
            if let Some((_, text)) = zh {
                assert!(text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{text}");
                lines += 1;
            }
            assert_eq!(describe_in(Lang::En, &e.kind, &tl.names), describe(&e.kind, &tl.names));
        }
    }
    assert!(lines > 300, "{lines}");
}

#[test]
fn routing_explanations_read_in_chinese_with_the_same_verdicts() {
    use warren_engine::field::{FieldTable, FieldValue};
    use warren_model::explain::{binding_in, topic, topic_in};
    for (b, r) in [
        ("*.orange.*", "quick.orange.rabbit"),
        ("*.*.rabbit", "quick.orange.fox"),
        ("lazy.#", "lazy"),
        ("a.b", "a.b.c"),
        ("#.x.#.y", "x.z.q"),
        ("", ""),
    ] {
        let (en, zh) = (topic(b, r), topic_in(Lang::Zh, b, r));
        assert_eq!(en.0, zh.0, "{b} {r}");
        if !en.0 || en.1.contains("words") {
            assert!(
                zh.1.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{b} {r}: {}",
                zh.1
            );
        }
    }
    let mut args = FieldTable::new();
    args.insert("x-match".into(), FieldValue::Str("all".into()));
    args.insert("format".into(), FieldValue::Str("pdf".into()));
    let (ok, why) = binding_in(Lang::Zh, "headers", "", &args, "", None);
    assert!(!ok && why.contains("消息没有 format"), "{why}");
    let (ok, why) = binding_in(Lang::Zh, "direct", "error", &FieldTable::new(), "info", None);
    assert!(!ok && why.contains("绑定键 'error' ≠ 路由键 'info'"), "{why}");
}

#[test]
fn a_broken_tutorials_file_is_refused_with_what_and_where() {
    // the page fetches www/tutorials.json; native code compiles the same file in
    let all: serde_json::Value = serde_json::from_str(warren_model::tutorial::JSON).unwrap();
    assert_eq!(all.as_array().unwrap().len(), INDEX.len());
    assert_eq!(builtin()[3].title.en, "4. Routing");

    let e = parse("[{\"id\": \"hello-world\",").unwrap_err();
    assert!(e.starts_with("tutorials.json: EOF while parsing"), "{e}");
    assert!(e.contains("line 1 column"), "{e}");

    let mut swapped = all.clone();
    swapped.as_array_mut().unwrap().swap(0, 1);
    let e = parse(&swapped.to_string()).unwrap_err();
    assert!(
        e.contains("[\"work-queues\", \"hello-world\"") && e.contains("the menu [\"hello-world\", \"work-queues\""),
        "{e}"
    );

    let mut odd = all.clone();
    odd[0]["steps"][0]["acts"][0] = serde_json::json!({"shout": "sender"});
    let e = parse(&odd.to_string()).unwrap_err();
    assert!(
        e.starts_with("tutorials.json, tutorial hello-world: step 1: an act is {\"publish\": producer}")
            && e.ends_with("not {\"shout\":\"sender\"}"),
        "{e}"
    );
    odd[0]["steps"][0]["acts"][0] = serde_json::json!({"prefetch": ["worker", 70000]});
    assert!(parse(&odd.to_string())
        .unwrap_err()
        .ends_with("not {\"prefetch\":[\"worker\",70000]}"));

    let mut extra = all.clone();
    extra[4]["question"]["hint"] = serde_json::json!("x");
    let e = parse(&extra.to_string()).unwrap_err();
    assert_eq!(
        e,
        "tutorials.json, tutorial topics: question: unknown field `hint` (expected ask, measure, look, why)"
    );

    let mut missing = all.clone();
    missing[1]["steps"][2].as_object_mut().unwrap().remove("watch");
    let e = parse(&missing.to_string()).unwrap_err();
    assert_eq!(e, "tutorials.json, tutorial work-queues: step 3: missing field `watch`");

    let mut bad = all;
    bad[6]["question"]["measure"] = serde_json::json!({"count": "rpc_queue"});
    let e = parse(&bad.to_string()).unwrap_err();
    assert!(
        e.starts_with("tutorials.json, tutorial rpc: question: a measure is"),
        "{e}"
    );
    bad[6]["canvas"]["nodes"][0]["kind"] = serde_json::json!("router");
    let e = parse(&bad.to_string()).unwrap_err();
    assert_eq!(
        e,
        "tutorials.json, tutorial rpc: canvas: node 1 (rpc_client): kind: \"router\" is not one of producer, exchange, queue, consumer"
    );
}

/// The shown instants (ms) of a consumer's deliveries and of its acks, in order.
fn deliveries_and_acks(live: &Live, who: &str) -> (Vec<f64>, Vec<f64>) {
    use warren_engine::event::EventKind;
    let tl = &live.timeline;
    let name = |c: &warren_engine::ConnId| tl.names.get(c).map(String::as_str);
    let (mut d, mut a) = (Vec::new(), Vec::new());
    for e in tl.events.iter() {
        let shown = e.at as f64;
        match &e.kind {
            EventKind::Delivered { conn, .. } if name(conn) == Some(who) => d.push(shown),
            EventKind::Acked { conn, .. } if name(conn) == Some(who) => a.push(shown),
            _ => {}
        }
    }
    (d, a)
}

fn work_queues_run(prefetch: u16) -> Live {
    use warren_model::design::Spec;
    let t = by_id("work-queues").unwrap();
    let mut d = t.design();
    for n in d.nodes.iter_mut() {
        if let Spec::Consumer(c) = &mut n.spec {
            c.prefetch = prefetch;
        }
    }
    let mut live = Live::new(d);
    let Resolved::Input(i) = Act::Publish("new_task".into()).resolve(&live.design).unwrap() else {
        panic!()
    };
    live.input(0, i).unwrap();
    settle(&mut live);
    live
}

#[test]
fn a_worker_runs_one_callback_at_a_time_as_pika_does() {
    // round-robin (no prefetch limit): worker-1 (3 s a task) holds its 3 tasks at once, but its
    // BlockingConnection runs one callback at a time: it acks at +3, +6, +9 s after the first
    // task reached it (a hop after the broker sent it), and each ack reaches the broker a hop
    // after it left
    let live = work_queues_run(0);
    let (d, a) = deliveries_and_acks(&live, "worker-1");
    assert_eq!(d.len(), 3);
    let hop = warren_model::timeline::HOP;
    let rel: Vec<f64> = a.iter().map(|x| (x - hop - (d[0] + hop)) / 1000.0).collect();
    assert_eq!(rel, [3.0, 6.0, 9.0], "deliveries {d:?}, acks {a:?}");
    for (x, y) in a.iter().zip(&a[1..]) {
        assert!((y - x - 3000.0).abs() <= 1.0, "acks {a:?}");
    }
    // worker-2 (1 s a task) likewise, one second apart
    let (d2, a2) = deliveries_and_acks(&live, "worker-2");
    assert_eq!((d2.len(), a2.len()), (3, 3));
    assert!(
        (a2[0] - d2[0] - 2.0 * hop - 1000.0).abs() <= 1.0 && (a2[2] - a2[0] - 2000.0).abs() <= 2.0,
        "{a2:?}"
    );
    let round_robin = live.timeline.end();

    // fair dispatch (prefetch 1): the fast worker takes more, and the six tasks are done sooner
    let live = work_queues_run(1);
    let tally = live.timeline.tally();
    let (w1, w2) = (
        deliveries_and_acks(&live, "worker-1").0.len(),
        deliveries_and_acks(&live, "worker-2").0.len(),
    );
    assert!(w2 > w1 && w1 + w2 == 6, "{w1} {w2} {tally:?}");
    let fair = live.timeline.end();
    assert!(
        fair + 1500.0 < round_robin,
        "fair {fair} ms, round-robin {round_robin} ms"
    );
    // an ack never leaves before its callback's processing time after the delivery arrived
    for who in ["worker-1", "worker-2"] {
        let (d, a) = deliveries_and_acks(&live, who);
        let ms = if who == "worker-1" { 3000.0 } else { 1000.0 };
        for (x, y) in d.iter().zip(&a) {
            assert!(y - x >= ms + 2.0 * hop - 1.0, "{who}: delivered {d:?}, acked {a:?}");
        }
    }
}
