//! The terminals' coordinator, driven as the CLI and the page drive it, by scripts written here
//! as the messages their Python would send (python/protocol.md): who runs when, on which clock,
//! what reaches whom, and how a person's typing and Ctrl+C arrive.
use serde_json::{json, Value};
use std::collections::VecDeque;
use warren_engine::version::Version;
use warren_model::terminals::{Command, Handled, Next, Stream, Terminals};

/// A script as a list of steps: a message to send, or a check of the answer it gets.
enum S {
    Send(Value),
    /// Send, and hand the answer to the closure (which may push more steps).
    Ask(Value, Check),
}

/// What checks an answer (and may push more steps).
type Check = fn(&Value, &mut VecDeque<S>);

fn run(commands: &[&str], mut scripts: Vec<VecDeque<S>>) -> Terminals {
    let cmds: Vec<Command> = commands.iter().map(|c| Command::parse(c).unwrap()).collect();
    let mut t = Terminals::new(cmds, Version::V4_3);
    let mut pending: Vec<Option<Check>> = vec![None; commands.len()];
    for _ in 0..10_000 {
        let (k, answer) = match t.what_next() {
            Next::Done => return t,
            Next::Kill(_) => continue,
            Next::Start(k) => (k, None),
            Next::Resume(k, v) => (k, Some(v)),
        };
        let mut answer = answer;
        loop {
            if let (Some(a), Some(f)) = (&answer, pending[k].take()) {
                f(a, &mut scripts[k]);
            }
            if answer.as_ref().is_some_and(|a| a["interrupt"] == true) {
                scripts[k].clear();
                scripts[k].push_back(S::Send(json!({"op": "out", "text": "Interrupted"})));
                scripts[k].push_back(S::Send(json!({"op": "exit", "code": 0})));
            }
            answer = None;
            let Some(step) = scripts[k].pop_front() else {
                panic!("terminal {k} has nothing more to say")
            };
            let msg = match step {
                S::Send(m) => m,
                S::Ask(m, f) => {
                    pending[k] = Some(f);
                    m
                }
            };
            match t.message(k, &msg) {
                Handled::Continue => {}
                Handled::Reply(v) => answer = Some(v),
                Handled::Waits | Handled::Exited | Handled::Kill => break,
            }
        }
    }
    panic!("the run did not end")
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
    let t = run(&["receive.py", "send.py"], vec![receiver(), sender()]);
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
    assert!(t.runner().conn_id("t1").is_none() && t.runner().conn_id("t2").is_none());
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
        let mut r = Run::new(cmds, file, Version::V4_3);
        // the first command is due, its Python still loading: nothing to send yet
        assert_eq!(r.start(), vec![]);
        assert_eq!((r.awaiting(), r.started()), (Some(0), false));
        let todo = r.heard(0, r#"{"op": "ready"}"#);
        assert_eq!(
            todo,
            vec![Do::Post(
                0,
                json!({"argv": ["a.py"], "source": "print('a')"}).to_string()
            )]
        );
        assert!(r.started());
        assert_eq!(r.heard(0, r#"{"op": "out", "text": "a"}"#), vec![]);
        // it ends; 1.5 s later the second command finds no file, and the run is over
        assert_eq!(r.heard(0, r#"{"op": "exit", "code": 0}"#), vec![]);
        assert_eq!(r.awaiting(), Some(1));
        assert_eq!(r.loaded(1), vec![Do::Stop(1)]);
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
        let mut r = Run::new(vec![Command::parse("a.py").unwrap()], file, Version::V4_3);
        r.start();
        r.loaded(0);
        assert_eq!(r.silent(0, "it computed"), vec![Do::Interrupt(0)]);
        // it answered after all: the next silence is a first one again
        assert_eq!(r.heard(0, r#"{"op": "out", "text": "caught"}"#), vec![]);
        assert_eq!(r.silent(0, "it computed"), vec![Do::Interrupt(0)]);
        assert_eq!(r.silent(0, "it computed"), vec![Do::Stop(0)]);
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
