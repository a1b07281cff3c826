//! The terminals' coordinator, driven as the CLI and the page drive it, by scripts written here
//! as the messages their Python would send (python/protocol.md): who runs when, on which clock,
//! what reaches whom, and how a person's typing and Ctrl+C arrive.
use serde_json::{json, Value};
use std::collections::VecDeque;
use warren_engine::version::Version;
use warren_model::design::Design;
use warren_model::sim::Live;
use warren_model::terminals::{Command, Handled, Next, Stream, Terminals};

/// A script as a list of steps: a message to send, or a check of the answer it gets.
enum S {
    Send(Value),
    /// Send, and hand the answer to the closure (which may push more steps).
    Ask(Value, Check),
}

/// What checks an answer (and may push more steps).
type Check = fn(&Value, &mut VecDeque<S>);

fn run(commands: &[&str], scripts: Vec<VecDeque<S>>) -> Terminals {
    run_over(commands, scripts, 0).0
}

/// A run whose frames take `hop` ms each way, to its end; with its broker.
fn run_over(commands: &[&str], scripts: Vec<VecDeque<S>>, hop: u64) -> (Terminals, Live) {
    let mut r = Running::new(commands, scripts, hop);
    assert_eq!(r.go(), Next::Done);
    (r.t, r.live)
}

fn new_live(hop: u64) -> Live {
    Live::with_hop(
        Design {
            rabbitmq: Version::V4_3,
            ..Design::default()
        },
        hop as f64,
    )
}

/// A run in progress, its scripts answering as they are written.
struct Running {
    t: Terminals,
    live: Live,
    pending: Vec<Option<Check>>,
    scripts: Vec<VecDeque<S>>,
}

impl Running {
    /// `commands` typed in order, run by `scripts`, frames taking `hop` ms each way.
    fn new(commands: &[&str], scripts: Vec<VecDeque<S>>, hop: u64) -> Running {
        let cmds: Vec<Command> = commands.iter().map(|c| Command::parse(c).unwrap()).collect();
        Running {
            t: Terminals::new(cmds, hop),
            live: new_live(hop),
            pending: vec![None; commands.len()],
            scripts,
        }
    }

    /// The same on the page's network, where the learner presses Ctrl+C (the run never does it
    /// for them).
    fn on_page(commands: &[&str], scripts: Vec<VecDeque<S>>) -> Running {
        let mut r = Running::new(commands, scripts, 400);
        r.t.auto_interrupt = false;
        r
    }

    /// Run until every script has ended (`Next::Done`) or the run holds (`Next::Hold`).
    fn go(&mut self) -> Next {
        for _ in 0..10_000 {
            let (k, answer) = match self.t.what_next(&mut self.live) {
                n @ (Next::Done | Next::Hold) => return n,
                Next::Kill(_) => continue,
                Next::Start(k) => (k, None),
                Next::Resume(k, v) => (k, Some(v)),
            };
            let mut answer = answer;
            loop {
                if let (Some(a), Some(f)) = (&answer, self.pending[k].take()) {
                    f(a, &mut self.scripts[k]);
                }
                if answer.as_ref().is_some_and(|a| a["interrupt"] == true) {
                    self.scripts[k].clear();
                    self.scripts[k].push_back(S::Send(json!({"op": "out", "text": "Interrupted"})));
                    self.scripts[k].push_back(S::Send(json!({"op": "exit", "code": 0})));
                }
                answer = None;
                let Some(step) = self.scripts[k].pop_front() else {
                    panic!("terminal {k} has nothing more to say")
                };
                let msg = match step {
                    S::Send(m) => m,
                    S::Ask(m, f) => {
                        self.pending[k] = Some(f);
                        m
                    }
                };
                match self.t.message(&mut self.live, k, &msg) {
                    Handled::Continue => {}
                    Handled::Reply(v) => answer = Some(v),
                    Handled::Waits | Handled::Exited | Handled::Kill => break,
                }
            }
        }
        panic!("the run did not end")
    }
}

fn call(conn: &str, call: &str, args: Value) -> Value {
    json!({"op": "call", "conn": conn, "ch": 1, "call": call, "args": args})
}

fn receiver() -> VecDeque<S> {
    VecDeque::from([
        S::Ask(json!({"op": "connect"}), |a, _| assert_eq!(a["conn"], "t1")),
        S::Send(call("t1", "queue_declare", json!({"queue": "hello"}))),
        S::Ask(
            call("t1", "basic_consume", json!({"queue": "hello", "auto_ack": true})),
            |a, _| {
                assert!(
                    a["reply"]["consumer_tag"].as_str().unwrap().starts_with("ctag1."),
                    "{a}"
                )
            },
        ),
        S::Send(json!({"op": "out", "text": " [*] Waiting"})),
        S::Ask(json!({"op": "wait", "timeout_ms": null}), |a, s| {
            let e = &a["events"][0];
            assert_eq!(
                (e["kind"].as_str(), e["body"].as_str()),
                (Some("deliver"), Some("Hello World!"))
            );
            s.push_back(S::Send(
                json!({"op": "out", "text": format!(" [x] Received {}", e["body"].as_str().unwrap())}),
            ));
            s.push_back(S::Send(json!({"op": "wait", "timeout_ms": null})));
        }),
    ])
}

fn sender() -> VecDeque<S> {
    VecDeque::from([
        S::Ask(json!({"op": "connect"}), |a, _| assert_eq!(a["conn"], "t2")),
        S::Send(call("t2", "queue_declare", json!({"queue": "hello"}))),
        S::Ask(
            call(
                "t2",
                "basic_publish",
                json!({"exchange": "", "routing_key": "hello", "body": "Hello World!"}),
            ),
            |a, _| {
                // the delivery went to the other terminal, not to this one
                assert_eq!(a["events"], json!([]), "{a}")
            },
        ),
        S::Send(json!({"op": "out", "text": " [x] Sent"})),
        S::Send(call("t2", "connection_close", Value::Null)),
        S::Send(json!({"op": "exit", "code": 0})),
    ])
}

#[test]
fn a_person_types_the_next_command_after_quiet_and_ctrl_c_after_the_last() {
    let (t, live) = run_over(&["receive.py", "send.py"], vec![receiver(), sender()], 0);
    let lines = |k: usize| -> Vec<(u64, String)> {
        t.terminals[k]
            .lines
            .iter()
            .filter(|l| l.stream == Stream::Stdout)
            .map(|l| (l.t_ms, l.text.clone()))
            .collect()
    };
    assert_eq!(
        lines(0),
        vec![
            (0, " [*] Waiting".to_string()),
            (1500, " [x] Received Hello World!".to_string()),
            (3500, "Interrupted".to_string())
        ]
    );
    assert_eq!(lines(1), vec![(1500, " [x] Sent".to_string())]);
    assert_eq!((t.terminals[0].exit, t.terminals[1].exit), (Some(0), Some(0)));
    // the receiver's connection closed when its script ended: nothing is left connected
    assert!(live.runner().conn_id("t1").is_none() && live.runner().conn_id("t2").is_none());
}

#[test]
fn a_sleep_is_simulated_time_and_a_refusal_is_the_brokers() {
    let sleeper = VecDeque::from([
        S::Ask(json!({"op": "connect", "password": "wrong"}), |a, _| {
            assert_eq!(a["refused"]["code"], 403, "{a}");
            assert!(
                a["refused"]["text"]
                    .as_str()
                    .unwrap()
                    .starts_with("ACCESS_REFUSED - Login was refused"),
                "{a}"
            );
        }),
        S::Ask(json!({"op": "connect"}), |a, _| assert_eq!(a["conn"], "t1")),
        S::Ask(
            call("t1", "queue_declare", json!({"queue": "q", "passive": true})),
            |a, _| {
                let e = &a["events"][0];
                assert_eq!(
                    (e["kind"].as_str(), e["code"].as_u64()),
                    (Some("channel_error"), Some(404)),
                    "{a}"
                );
                assert_eq!(e["text"], "NOT_FOUND - no queue 'q' in vhost '/'");
            },
        ),
        S::Send(json!({"op": "sleep", "ms": 1500})),
        S::Ask(json!({"op": "time"}), |a, _| assert_eq!(a["now_ms"], 1500)),
        S::Ask(call("nope", "queue_purge", json!({"queue": "q"})), |a, _| {
            assert!(
                a["error"].as_str().unwrap().contains("not a connection of this script"),
                "{a}"
            )
        }),
        S::Ask(call("t1", "basic_qos", json!({"prefetch_count": 70000})), |a, _| {
            assert!(
                a["error"]
                    .as_str()
                    .unwrap()
                    .starts_with("args.prefetch_count: expected a whole number"),
                "{a}"
            )
        }),
        S::Send(json!({"op": "out", "text": "slept"})),
        S::Send(json!({"op": "exit", "code": 3})),
    ]);
    let t = run(&["python3 sleeper.py"], vec![sleeper]);
    let out: Vec<_> = t.terminals[0].lines.iter().map(|l| (l.t_ms, l.text.as_str())).collect();
    assert_eq!(out, vec![(1500, "slept")]);
    assert_eq!(t.terminals[0].exit, Some(3));
}

#[test]
fn a_script_that_never_stops_gets_ctrl_c_then_its_terminal_is_closed() {
    // publishes without end: Ctrl+C where it next waits for an answer (it then ends)
    let mut publisher = VecDeque::from([S::Send(json!({"op": "connect"}))]);
    for _ in 0..80_000 {
        publisher.push_back(S::Send(call(
            "t1",
            "basic_publish",
            json!({"exchange": "", "routing_key": "q", "body": "x"}),
        )));
    }
    let t = run(&["publish_forever.py"], vec![publisher]);
    let err = t.terminals[0].stderr();
    assert_eq!(
        err,
        ["warren: Ctrl+C: publish_forever.py made 50000 calls without an end (a loop that never stops?)"]
    );
    assert_eq!(t.terminals[0].stdout(), ["Interrupted"]);
    assert_eq!(t.terminals[0].exit, Some(0));

    // prints without end and never waits: its terminal is closed
    let mut printer = VecDeque::new();
    for _ in 0..120_000 {
        printer.push_back(S::Send(json!({"op": "out", "text": "again"})));
    }
    let t = run(&["loop.py"], vec![printer]);
    let last = t.terminals[0].lines.last().unwrap();
    assert_eq!(last.stream, Stream::Stderr);
    assert!(last.text.contains("100000 messages without an end"), "{}", last.text);
    assert_eq!(t.terminals[0].exit, Some(1));
}

#[test]
fn a_run_that_never_goes_quiet_gets_ctrl_c_at_its_time_limit() {
    // prints every second for ever: the person never sees 2 s of quiet
    let mut ticker = VecDeque::new();
    for _ in 0..1000 {
        ticker.push_back(S::Send(json!({"op": "sleep", "ms": 1000})));
        ticker.push_back(S::Send(json!({"op": "out", "text": "tick"})));
    }
    let t = run(&["ticker.py"], vec![ticker]);
    let lines = &t.terminals[0].lines;
    let err = t.terminals[0].stderr();
    assert_eq!(
        err,
        ["warren: Ctrl+C: the run reached its limit of 10 minutes of simulated time"]
    );
    assert_eq!(
        lines.last().map(|l| (l.t_ms, l.text.as_str())),
        Some((600_000, "Interrupted"))
    );
    assert_eq!(t.terminals[0].exit, Some(0));
}

#[test]
fn a_cast_has_no_answer_and_what_it_caused_comes_with_the_next_one() {
    let script = VecDeque::from([
        S::Send(json!({"op": "connect"})),
        // a publish to an exchange that does not exist: the channel closes, told later
        S::Send(json!({"op": "cast", "conn": "t1", "ch": 1, "call": "basic_publish",
            "args": {"exchange": "nope", "routing_key": "k", "body": "x"}})),
        S::Ask(json!({"op": "flush"}), |a, _| {
            let e = &a["events"][0];
            assert_eq!(
                (e["kind"].as_str(), e["code"].as_u64()),
                (Some("channel_error"), Some(404)),
                "{a}"
            );
            assert_eq!(a["events"].as_array().unwrap().len(), 1, "{a}");
        }),
        S::Send(json!({"op": "exit", "code": 0})),
    ]);
    let t = run(&["cast.py"], vec![script]);
    assert_eq!(t.terminals[0].exit, Some(0));
}

#[test]
fn command_lines_split_as_a_shell_splits_them() {
    let c = Command::parse(r#"python emit_log_topic.py kern.critical "A critical \"kernel\" error" 'it''s'"#).unwrap();
    assert_eq!(
        c.argv,
        [
            "emit_log_topic.py",
            "kern.critical",
            "A critical \"kernel\" error",
            "its"
        ]
    );
    assert!(Command::parse("python").unwrap_err().contains("names no script"));
    assert!(Command::parse("ls -l").unwrap_err().contains("not a Python script"));
    assert!(Command::parse("send.py 'open").unwrap_err().contains("not closed"));
}

mod run {
    use super::*;
    use warren_model::terminals::run::{Do, Run};

    fn file(name: &str) -> Option<String> {
        (name == "a.py").then(|| "print('a')".to_string())
    }

    #[test]
    fn a_script_starts_once_its_python_has_loaded_and_a_missing_file_is_exit_2() {
        let cmds = vec![Command::parse("a.py").unwrap(), Command::parse("gone.py x").unwrap()];
        let mut r = Run::new(cmds, file, 0);
        let live = &mut new_live(0);
        // the first command is due, its Python still loading: nothing to send yet
        assert_eq!(r.start(live), vec![]);
        assert_eq!((r.awaiting(), r.started()), (Some(0), false));
        let todo = r.heard(live, 0, r#"{"op": "ready"}"#);
        assert_eq!(
            todo,
            vec![Do::Post(
                0,
                json!({"argv": ["a.py"], "source": "print('a')"}).to_string()
            )]
        );
        assert!(r.started());
        assert_eq!(r.heard(live, 0, r#"{"op": "out", "text": "a"}"#), vec![]);
        // it ends; 1.5 s later the second command finds no file, and the run is over
        assert_eq!(r.heard(live, 0, r#"{"op": "exit", "code": 0}"#), vec![]);
        assert_eq!(r.awaiting(), Some(1));
        assert_eq!(r.loaded(live, 1), vec![Do::Stop(1)]);
        assert!(r.done());
        let t = &r.terms.terminals[1];
        assert_eq!(t.exit, Some(2));
        assert_eq!(
            t.lines[0].text,
            "python: can't open file 'gone.py': [Errno 2] No such file or directory"
        );
        assert_eq!(t.lines[0].t_ms, 1500);
    }

    #[test]
    fn a_silent_python_gets_ctrl_c_then_is_stopped() {
        let mut r = Run::new(vec![Command::parse("a.py").unwrap()], file, 0);
        let live = &mut new_live(0);
        r.start(live);
        r.loaded(live, 0);
        assert_eq!(r.silent(live, 0, "it computed"), vec![Do::Interrupt(0)]);
        // it answered after all: the next silence is a first one again
        assert_eq!(r.heard(live, 0, r#"{"op": "out", "text": "caught"}"#), vec![]);
        assert_eq!(r.silent(live, 0, "it computed"), vec![Do::Interrupt(0)]);
        assert_eq!(r.silent(live, 0, "it computed"), vec![Do::Stop(0)]);
        assert!(r.done());
        let err = r.terms.terminals[0].stderr();
        assert_eq!(
            err,
            [
                "warren: Ctrl+C: it computed",
                "warren: Ctrl+C: it computed",
                "warren: closed the terminal: it computed"
            ]
        );
        assert_eq!(r.terms.terminals[0].exit, Some(1));
    }
}

mod network {
    use super::*;
    use warren_model::design::Kind;
    use warren_model::timeline::{Place, TripKind};

    #[test]
    fn over_a_network_a_call_takes_a_round_trip_and_a_delivery_a_hop() {
        let (t, live) = run_over(&["receive.py", "send.py"], vec![receiver(), sender()], 400);
        let lines =
            |k: usize| -> Vec<(u64, &str)> { t.terminals[k].lines.iter().map(|l| (l.t_ms, l.text.as_str())).collect() };
        // the receiver: connect, declare, consume, each answered 800 ms after it is sent
        // the sender is typed 1.5 s after the receiver's last answer; its publish reaches the
        // broker at 5900 and the receiver a hop later, with the sender's answer
        assert_eq!(
            lines(0),
            vec![
                (2400, " [*] Waiting"),
                (6300, " [x] Received Hello World!"),
                (9100, "Interrupted")
            ]
        );
        assert_eq!(lines(1), vec![(6300, " [x] Sent")]);
        assert_eq!(
            (t.terminals[1].started_at, t.terminals[1].ended_at),
            (Some(3900), Some(7100))
        );
        // the publish is drawn on its way, from the sender to the queue (the default exchange
        // is not drawn), and named once the broker numbered it; the delivery from the queue to
        // the receiver's consumer
        let trips: Vec<_> = live.timeline.trips.iter().collect();
        let publish = trips
            .iter()
            .find(|tr| tr.from == Place::Client("t2".into()))
            .expect("the publish's trip");
        assert_eq!(publish.to, Some(Place::Queue("hello".into())));
        assert_eq!((publish.start, publish.end()), (5500.0, 5900.0));
        assert_ne!(publish.msg.0, 0);
        let delivery = trips
            .iter()
            .find(|tr| tr.from == Place::Queue("hello".into()) && tr.kind == TripKind::Flow)
            .expect("the delivery's trip");
        assert!(matches!(&delivery.to, Some(Place::Consumer(c, _)) if &**c == "t1"));
        assert_eq!((delivery.start, delivery.msg), (5900.0, publish.msg));
    }

    fn consumer_acking() -> VecDeque<S> {
        VecDeque::from([
            S::Send(json!({"op": "connect"})),
            S::Send(call("t1", "queue_declare", json!({"queue": "jobs"}))),
            S::Send(call("t1", "basic_consume", json!({"queue": "jobs"}))),
            S::Ask(json!({"op": "wait", "timeout_ms": null}), |a, s| {
                if a["interrupt"] == true {
                    return;
                }
                let tag = a["events"][0]["delivery_tag"].as_u64().unwrap();
                s.push_back(S::Send(json!({"op": "out", "text": "got"})));
                s.push_back(S::Send(
                    json!({"op": "cast", "conn": "t1", "ch": 1, "call": "basic_ack",
                    "args": {"delivery_tag": tag}}),
                ));
                s.push_back(S::Send(json!({"op": "wait", "timeout_ms": null})));
            }),
        ])
    }

    fn producer() -> VecDeque<S> {
        VecDeque::from([
            S::Send(json!({"op": "connect"})),
            S::Send(json!({"op": "cast", "conn": "t2", "ch": 1, "call": "basic_publish",
                "args": {"exchange": "", "routing_key": "jobs", "body": "one"}})),
            S::Send(json!({"op": "out", "text": "sent"})),
            S::Send(json!({"op": "exit", "code": 0})),
        ])
    }

    #[test]
    fn the_run_goes_no_further_than_the_page_clock_and_ctrl_c_comes_when_the_learner_presses_it() {
        // the page's learner presses Ctrl+C: the run never does it for them
        let mut r = Running::on_page(&["worker.py", "new_task.py"], vec![consumer_acking(), producer()]);
        r.t.hold_at(2000);
        assert_eq!(r.go(), Next::Hold);
        assert_eq!(r.t.now(), 2000);
        assert!(r.t.terminals[0].lines.is_empty());
        // what the canvas draws now: the queue the worker declared, the worker consuming it
        let d = r.t.design(&r.live, &Design::default());
        let names: Vec<_> = d.nodes.iter().map(|n| (n.kind(), n.name.as_str())).collect();
        assert_eq!(names, [(Kind::Queue, "jobs"), (Kind::Consumer, "t1")]);
        assert_eq!(d.links.len(), 1);
        // the producer is typed at 3900 (1.5 s after the worker's last answer) and publishes
        // at 4700, once connected
        r.t.hold_at(8000);
        assert_eq!(r.go(), Next::Hold);
        let d = r.t.design(&r.live, &Design::default());
        let names: Vec<_> = d.nodes.iter().map(|n| (n.kind(), n.name.as_str())).collect();
        assert!(names.contains(&(Kind::Producer, "t2")), "{names:?}");
        let out: Vec<_> = r.t.terminals[0]
            .lines
            .iter()
            .map(|l| (l.t_ms, l.text.as_str()))
            .collect();
        assert_eq!(out, [(5500, "got")]);
        // its ack is drawn from the worker back to the queue, and reaches the broker a hop later
        let ack = r
            .live
            .timeline
            .trips
            .iter()
            .find(|tr| tr.kind == TripKind::Ack)
            .expect("the ack's trip");
        assert_eq!((ack.start, ack.to.clone()), (5500.0, Some(Place::Queue("jobs".into()))));
        // nothing else happens: the worker waits until the learner presses Ctrl+C, at 8000
        r.t.interrupt(0);
        assert_eq!(r.go(), Next::Hold);
        let last = r.t.terminals[0].lines.last().unwrap();
        assert_eq!((last.t_ms, last.text.as_str()), (8000, "Interrupted"));
        r.t.hold_at(u64::MAX);
        assert_eq!(r.go(), Next::Done);
        // its connection closed a hop after it ended
        assert!(r.live.runner().conn_id("t1").is_none());
    }

    #[test]
    fn a_script_the_learner_never_stops_gets_ctrl_c_at_the_time_limit() {
        // the page's learner presses Ctrl+C: the run never does it for them
        let mut r = Running::on_page(&["worker.py"], vec![consumer_acking()]);
        assert_eq!(r.go(), Next::Done);
        let lines = &r.t.terminals[0].lines;
        assert_eq!(
            lines[0].text,
            "warren: Ctrl+C: the run reached its limit of 10 minutes of simulated time"
        );
        assert_eq!(lines.last().unwrap().text, "Interrupted");
    }

    #[test]
    fn stop_is_ctrl_c_in_every_terminal_and_nothing_more_is_typed() {
        // the page's learner presses Ctrl+C: the run never does it for them
        let mut r = Running::on_page(&["worker.py", "new_task.py"], vec![consumer_acking(), producer()]);
        r.t.hold_at(3000);
        assert_eq!(r.go(), Next::Hold);
        r.t.stop();
        r.t.hold_at(u64::MAX);
        assert_eq!(r.go(), Next::Done);
        assert_eq!(r.t.terminals[0].stdout(), ["Interrupted"]);
        assert_eq!(r.t.terminals[1].exit, None, "the second command was never typed");
    }
}

mod canvas {
    use super::*;
    use warren_model::design::Kind;

    fn rpc_server() -> VecDeque<S> {
        VecDeque::from([
            S::Send(json!({"op": "connect"})),
            S::Send(call("t1", "queue_declare", json!({"queue": "rpc_queue"}))),
            S::Send(call("t1", "basic_consume", json!({"queue": "rpc_queue"}))),
            S::Ask(json!({"op": "wait", "timeout_ms": null}), |a, s| {
                if a["interrupt"] == true {
                    return;
                }
                let e = &a["events"][0];
                let to = e["properties"]["reply_to"].as_str().unwrap().to_string();
                let tag = e["delivery_tag"].as_u64().unwrap();
                s.push_back(S::Send(
                    json!({"op": "cast", "conn": "t1", "ch": 1, "call": "basic_publish",
                    "args": {"exchange": "", "routing_key": to, "body": "2"}}),
                ));
                s.push_back(S::Send(
                    json!({"op": "cast", "conn": "t1", "ch": 1, "call": "basic_ack",
                    "args": {"delivery_tag": tag}}),
                ));
                s.push_back(S::Send(json!({"op": "wait", "timeout_ms": null})));
            }),
        ])
    }

    fn rpc_client() -> VecDeque<S> {
        VecDeque::from([
            S::Send(json!({"op": "connect"})),
            S::Ask(
                call("t2", "queue_declare", json!({"queue": "", "exclusive": true})),
                |a, s| {
                    let q = a["reply"]["queue"].as_str().unwrap().to_string();
                    s.push_back(S::Send(call(
                        "t2",
                        "basic_consume",
                        json!({"queue": q, "auto_ack": true}),
                    )));
                    s.push_back(S::Send(
                        json!({"op": "cast", "conn": "t2", "ch": 1, "call": "basic_publish",
                        "args": {"exchange": "", "routing_key": "rpc_queue", "body": "1",
                            "properties": {"reply_to": q, "correlation_id": "c1"}}}),
                    ));
                    s.push_back(S::Ask(json!({"op": "wait", "timeout_ms": null}), |a, s| {
                        assert_eq!(a["events"][0]["body"], "2", "{a}");
                        s.push_back(S::Send(json!({"op": "out", "text": "got 2"})));
                        s.push_back(S::Send(json!({"op": "exit", "code": 0})));
                    }));
                },
            ),
        ])
    }

    #[test]
    fn an_rpc_server_is_drawn_as_a_consumer_and_its_client_as_a_producer() {
        // the page's learner presses Ctrl+C: the run never does it for them
        let mut r = Running::on_page(&["rpc_server.py", "rpc_client.py"], vec![rpc_server(), rpc_client()]);
        // until the client has its answer (it has ended), the server still consuming
        while r.t.terminals[1].exit.is_none() {
            let at = r.t.now() + 100;
            r.t.hold_at(at);
            assert_eq!(r.go(), Next::Hold);
            assert!(at < 60_000, "the client never got its answer");
        }
        assert_eq!(r.t.terminals[1].stdout(), ["got 2"]);
        // the client's reply queue is gone with it (exclusive): seen while it waited
        let d = r.t.design(&r.live, &Design::default());
        let kinds: Vec<_> = d.nodes.iter().map(|n| (n.kind(), n.name.as_str())).collect();
        assert!(kinds.contains(&(Kind::Consumer, "t1")), "{kinds:?}");
        assert!(kinds.contains(&(Kind::Producer, "t2")), "{kinds:?}");
        // the client is linked to the queue it publishes to, the queue to the server
        let id = |name: &str| d.nodes.iter().find(|n| n.name == name).unwrap().id;
        assert!(d.links.iter().any(|l| l.from == id("t2") && l.to == id("rpc_queue")));
        assert!(d.links.iter().any(|l| l.from == id("rpc_queue") && l.to == id("t1")));
    }
}
