//! The view-model's own messages read in Chinese: every error an edit, a field, a simulation
//! input or a tutorial step can give is either an interface string or matches a template.

use warren_model::design::{Action, Design, History, Kind, Link, Spec};
use warren_model::i18n::{message, Lang, ZH_MESSAGES};
use warren_model::sim::{Input, Live};
use warren_model::tutorial::{by_id, Act};

fn cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Apply an action to a small design and return the refusal.
fn refused(d: &Design, a: Action) -> String {
    let mut h = History::new(d.clone());
    let what = format!("{a:?}");
    h.apply(a).expect_err(&what)
}

#[test]
fn every_refused_edit_reads_in_chinese() {
    let d = by_id("routing").unwrap().design();
    let id = |k: Kind, n: &str| d.by_name(k, n).unwrap().id;
    let (x, disk, screen, p) = (
        id(Kind::Exchange, "direct_logs"),
        id(Kind::Queue, "disk"),
        id(Kind::Queue, "screen"),
        id(Kind::Producer, "emit_log_direct"),
    );
    let spec = |k: Kind, f: fn(&mut Spec)| {
        let mut s = d.nodes.iter().find(|n| n.kind() == k).unwrap().spec.clone();
        f(&mut s);
        s
    };
    let errors = [
        refused(
            &d,
            Action::Move {
                id: x,
                x: f32::NAN,
                y: 0.0,
            },
        ),
        refused(
            &d,
            Action::Rename {
                id: disk,
                name: "screen".into(),
            },
        ),
        refused(
            &d,
            Action::Rename {
                id: disk,
                name: String::new(),
            },
        ),
        refused(
            &d,
            Action::Rename {
                id: x,
                name: String::new(),
            },
        ),
        refused(
            &d,
            Action::Rename {
                id: x,
                name: "amq.mine".into(),
            },
        ),
        refused(
            &d,
            Action::Rename {
                id: x,
                name: "x".repeat(300),
            },
        ),
        refused(
            &d,
            Action::SetSpec {
                id: disk,
                spec: Spec::of(Kind::Producer),
            },
        ),
        refused(
            &d,
            Action::SetSpec {
                id: x,
                spec: spec(Kind::Exchange, |s| {
                    if let Spec::Exchange(e) = s {
                        e.kind = "fan".into()
                    }
                }),
            },
        ),
        refused(
            &d,
            Action::SetSpec {
                id: p,
                spec: spec(Kind::Producer, |s| {
                    if let Spec::Producer(p) = s {
                        p.burst = 0
                    }
                }),
            },
        ),
        refused(
            &d,
            Action::SetSpec {
                id: p,
                spec: spec(Kind::Producer, |s| {
                    if let Spec::Producer(p) = s {
                        p.every_ms = 10
                    }
                }),
            },
        ),
        refused(&d, Action::Link { from: x, to: x }),
        refused(&d, Action::Link { from: disk, to: screen }),
        {
            let mut twice = d.clone();
            twice.links.push(Link {
                from: x,
                to: disk,
                key: "disk".into(),
                arguments: Default::default(),
            });
            refused(&twice, Action::Link { from: x, to: disk })
        },
        refused(&d, Action::DeleteLink { index: 99 }),
        refused(
            &d,
            Action::EditLink {
                index: 0,
                key: String::new(),
                arguments: [("x-match".to_string(), "some".to_string())].into_iter().collect(),
            },
        ),
    ];
    let w = by_id("work-queues").unwrap().design();
    let worker = w.by_name(Kind::Consumer, "worker-1").unwrap();
    let mut bad = worker.spec.clone();
    if let Spec::Consumer(c) = &mut bad {
        c.failure_pct = 101;
    }
    let more = [refused(
        &w,
        Action::SetSpec {
            id: worker.id,
            spec: bad,
        },
    )];
    for e in errors.iter().chain(&more) {
        let zh = message(Lang::Zh, e);
        assert!(cjk(&zh), "no Chinese for the edit error: {e}");
        assert_eq!(message(Lang::En, e), *e);
    }
}

#[test]
fn simulation_and_tutorial_errors_read_in_chinese() {
    let mut d = by_id("hello-world").unwrap().design();
    let sender = d.by_name(Kind::Producer, "sender").unwrap().id;
    d.links.retain(|l: &Link| l.from != sender);
    let receiver = d.by_name(Kind::Consumer, "receiver").unwrap().id;
    let mut live = Live::new(d.clone());
    let mut errors = vec![
        live.input(0, Input::Publish(sender)).unwrap_err(),
        live.input(0, Input::Stop(sender)).unwrap_err(),
        live.input(0, Input::Publish(receiver)).unwrap_err(),
        live.input(0, Input::Publish(999)).unwrap_err(),
        live.input(0, Input::Stop(999)).unwrap_err(),
    ];
    live.input(0, Input::Stop(receiver)).unwrap();
    errors.push(live.input(0, Input::Stop(receiver)).unwrap_err());
    errors.push(Act::Publish("nobody".into()).resolve(&d).unwrap_err());
    for e in &errors {
        assert!(cjk(&message(Lang::Zh, e)), "no Chinese for: {e}");
    }
}

#[test]
fn templates_fill_their_parts_and_leave_other_texts_alone() {
    assert_eq!(
        message(Lang::Zh, "another queue is already called 'orders'"),
        "已经有一个叫 'orders' 的队列"
    );
    assert_eq!(
        message(Lang::Zh, "a producer cannot become a queue"),
        "生产者不能变成队列"
    );
    // RabbitMQ's texts are RabbitMQ's
    let rabbit = "406 PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'q' in vhost '/'";
    assert_eq!(message(Lang::Zh, rabbit), rabbit);
    for (en, zh) in ZH_MESSAGES {
        let holes = en.matches("{}").count();
        for i in 0..holes {
            assert!(
                zh.contains(&format!("{{{i}}}")),
                "{en}: part {i} is lost in the Chinese"
            );
        }
        assert!(cjk(zh), "{en}");
    }
}
