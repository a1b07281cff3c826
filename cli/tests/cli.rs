//! The `warren` binary as a user meets it: usage, traces, and errors that say where.
use std::process::Command;

fn warren(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_warren"))
        .args(args)
        .output()
        .expect("warren runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn write_temp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("warren-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn no_arguments_and_help_print_usage() {
    for args in [&[][..], &["--help"][..]] {
        let (code, out, _) = warren(args);
        assert_eq!(code, 0);
        assert!(out.contains("warren trace SCENARIO.json"), "{out}");
    }
    let (code, _, err) = warren(&["fly"]);
    assert_eq!(code, 2);
    assert!(err.contains("Usage"), "{err}");
}

#[test]
fn trace_prints_what_the_real_broker_gave() {
    let (code, out, err) = warren(&["trace", &repo("tests/conformance/workqueue.json")]);
    assert_eq!(code, 0, "{err}");
    // the recorder writes Python's json.dumps(sort_keys=True): the same text, line for line
    let golden = std::fs::read_to_string(repo("tests/conformance/workqueue.jsonl")).unwrap();
    assert_eq!(out, golden);
}

#[test]
fn broken_json_gets_line_and_column() {
    let f = write_temp("broken.json", "{\"steps\": [\n  {\"call\": \"queue_declare\",, }\n]}\n");
    let (code, out, err) = warren(&["trace", &f]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("line 2, column"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_bad_field_names_the_step_and_field() {
    let f = write_temp(
        "badfield.json",
        r#"{"steps": [{"call": "queue_declare", "args": {"queue": "q"}},
                      {"call": "basic_publish", "args": {"exchange": "", "routing_key": "q", "properties": {"priority": 300}}}]}"#,
    );
    let (code, _, err) = warren(&["trace", &f]);
    assert_eq!(code, 2);
    assert!(
        err.contains("step 1: args.properties.priority: expected a whole number from 0 to 255, got 300"),
        "{err}"
    );
}

#[test]
fn an_unknown_alias_is_an_error_not_a_panic() {
    let f = write_temp(
        "alias.json",
        r#"{"steps": [{"call": "basic_get", "args": {"queue": "$nope"}}]}"#,
    );
    let (code, _, err) = warren(&["trace", &f]);
    assert_eq!(code, 2);
    assert!(err.contains("step 0: '$nope' names no queue"), "{err}");
}

#[test]
fn a_missing_file_is_reported() {
    let (code, _, err) = warren(&["trace", "/nonexistent/scenario.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read /nonexistent/scenario.json"), "{err}");
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    // `warren gen 1 2000 | head -c 100`: far more than a pipe holds, and the reader goes away
    let mut child = Command::new(env!("CARGO_BIN_EXE_warren"))
        .args(["gen", "1", "2000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("warren runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn play_prints_the_page_log_with_clients_that_run_one_callback_at_a_time() {
    let design = repo("tests/designs/fair_dispatch.json");
    let (code, out, err) = warren(&["play", &design, "--hop-ms", "0"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(out.lines().all(|l| l.starts_with("{\"t_ms\":")), "{out}");
    let acks = |who: &str| -> Vec<u64> {
        lines
            .iter()
            .filter(|l| l["kind"] == "acked" && l["client"] == who)
            .map(|l| l["t_ms"].as_u64().unwrap())
            .collect()
    };
    // fast (450 ms, prefetch 2) holds two tasks from the start, but runs them one after the other
    assert_eq!(acks("fast")[..2], [450, 900]);
    assert_eq!(acks("slow"), [1900, 3800]);
    assert_eq!(acks("steady"), [1100, 2200, 3300]);
    let kinds: Vec<&str> = lines.iter().filter_map(|l| l["kind"].as_str()).collect();
    for k in [
        "published",
        "routed",
        "enqueued",
        "delivered",
        "acked",
        "consumer-added",
    ] {
        assert!(kinds.contains(&k), "{k}: {kinds:?}");
    }
    let first = lines.iter().find(|l| l["kind"] == "delivered").unwrap();
    assert_eq!(
        (first["client"].as_str(), first["body"].as_str()),
        (Some("slow"), Some("task 1"))
    );
    // on the page's clock (400 ms a hop) the same run is later, and --seconds cuts it
    let (_, out, _) = warren(&["play", &design]);
    let last = |out: &str| -> u64 {
        let l: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
        l["t_ms"].as_u64().unwrap()
    };
    assert!(last(&out) > 3800, "{}", last(&out));
    let (code, cut, _) = warren(&["play", "--seconds", "2", &design]);
    assert_eq!(code, 0);
    assert!(last(&cut) <= 2000 && cut.lines().count() < out.lines().count());
    // what is wrong says what and where
    let (code, _, err) = warren(&["play", &design, "--seconds", "soon"]);
    assert_eq!(
        (code, err.trim()),
        (
            2,
            "warren: play --seconds takes a whole number of seconds from 0 to 86400, not 'soon'"
        )
    );
    let (code, _, err) = warren(&["play"]);
    assert_eq!(code, 2);
    assert!(err.contains("needs a design file"), "{err}");
    let broken = write_temp("broken-design.json", "{\"name\": \"x\", \"steps\": [");
    let (code, _, err) = warren(&["play", &broken]);
    assert_eq!(code, 2);
    assert!(err.contains("broken-design.json") && err.contains("line 1"), "{err}");
}

#[test]
fn rabbitmq_picks_the_version_a_scenario_runs_as() {
    let file = repo("tests/scenarios/err_unknown_type_closes_connection.json");
    // a file without "rabbitmq" runs as 3.10, what it was made for: the connection closes
    let (code, out, _) = warren(&["trace", &file]);
    assert_eq!(code, 0);
    assert!(
        out.contains("\"code\": 503, \"conn\": \"K\", \"kind\": \"connection_error\""),
        "{out}"
    );
    // as 4.3 (the flag anywhere on the line): the channel closes, as 4.3.6 does
    for args in [
        ["--rabbitmq", "4.3", "trace", &file],
        ["trace", &file, "--rabbitmq", "4.3"],
    ] {
        let (code, out, _) = warren(&args);
        assert_eq!(code, 0);
        let golden =
            std::fs::read_to_string(repo("tests/scenarios/4.3/err_unknown_type_closes_connection.jsonl")).unwrap();
        assert_eq!(out, golden, "{args:?}");
    }
    // the file's own field, and the flag over it
    let as_43 = write_temp(
        "as43.json",
        &std::fs::read_to_string(&file)
            .unwrap()
            .replacen('{', "{\"rabbitmq\": \"4.3\", ", 1),
    );
    assert!(warren(&["trace", &as_43])
        .1
        .contains("PRECONDITION_FAILED - unknown exchange type"));
    assert!(warren(&["--rabbitmq", "3.10", "trace", &as_43])
        .1
        .contains("COMMAND_INVALID"));
    // what is not a version says so
    let (code, _, err) = warren(&["--rabbitmq", "3.8", "trace", &file]);
    assert_eq!(
        (code, err.trim()),
        (
            2,
            "warren: --rabbitmq: no RabbitMQ \"3.8\" here: the versions are 3.10 and 4.3"
        )
    );
    let (code, _, err) = warren(&["trace", &file, "--rabbitmq"]);
    assert_eq!(
        (code, err.trim()),
        (2, "warren: --rabbitmq needs a version: 3.10 or 4.3")
    );
    // a random scenario made for 4.3 says so
    let (code, out, _) = warren(&["gen", "7", "5", "--rabbitmq", "4.3"]);
    assert_eq!(code, 0);
    assert!(out.contains("\"rabbitmq\": \"4.3\""), "{out}");
    // without the flag, a new scenario is for today's RabbitMQ, and 3.10 says so too
    assert!(warren(&["gen", "7", "5"]).1.contains("\"rabbitmq\": \"4.3\""));
    assert!(warren(&["--rabbitmq", "3.10", "gen", "7", "5"])
        .1
        .contains("\"rabbitmq\": \"3.10\""));
    let bad = write_temp("bad-version.json", "{\"rabbitmq\": 4.3, \"steps\": []}");
    let (code, _, err) = warren(&["trace", &bad]);
    assert_eq!(code, 2);
    assert!(err.contains("rabbitmq: expected \"3.10\" or \"4.3\", got 4.3"), "{err}");
}

#[test]
fn two_versions_compare_a_scenario_step_by_step_with_why() {
    let restart = repo("tests/scenarios/restart.json");
    let (code, out, err) = warren(&["diff", "--rabbitmq", "3.10", "--rabbitmq", "4.3", &restart]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].ends_with("restart.json: RabbitMQ 3.10 and 4.3 differ at 1 of 22 steps"),
        "{out}"
    );
    assert_eq!(lines[1], "  step 15 (exchange_declare on A):");
    assert!(
        lines[2].starts_with("    3.10  ") && lines[2].contains("NOT_FOUND - no exchange 'lose-x'"),
        "{out}"
    );
    assert!(
        lines[3].starts_with("    4.3   ") && lines[3].contains("\"kind\": \"ok\""),
        "{out}"
    );
    assert!(
        lines[4].starts_with("    why (from step 11): 4.x keeps its metadata in Khepri")
            && lines[4].ends_with("[broker/restart.rs]"),
        "{out}"
    );
    // warren ctl is the version asked for: 4.x declares amq.rabbitmq.log
    let empty = write_temp("empty.json", "{\"steps\": []}");
    let (_, out, _) = warren(&[
        "--rabbitmq",
        "4.3",
        "ctl",
        &empty,
        "list_exchanges",
        "name",
        "type",
        "internal",
    ]);
    assert!(out.contains("amq.rabbitmq.log\ttopic\ttrue\n"), "{out}");
    assert!(!warren(&["ctl", &empty, "list_exchanges"])
        .1
        .contains("amq.rabbitmq.log"));
    // a version against itself
    let (_, out, _) = warren(&["diff", "--rabbitmq", "4.3", "--rabbitmq", "4.3", &restart]);
    assert!(
        out.ends_with("restart.json: the same on RabbitMQ 4.3 and 4.3 (22 steps)\n"),
        "{out}"
    );
    // two versions only compare
    let (code, _, err) = warren(&["trace", "--rabbitmq", "3.10", "--rabbitmq", "4.3", &restart]);
    assert_eq!(
        (code, err.trim()),
        (
            2,
            "warren: two --rabbitmq versions compare them: warren diff --rabbitmq 3.10 --rabbitmq 4.3 SCENARIO.json..."
        )
    );
}

#[test]
fn python_refuses_a_hop_that_is_not_milliseconds() {
    for bad in ["-1", "fast", "600000"] {
        let (code, _, err) = warren(&["python", "--hop-ms", bad, "send.py"]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains(&format!("--hop-ms {bad}: expected whole milliseconds, 0 to 60000")),
            "{err}"
        );
    }
    let (code, _, err) = warren(&["python", "send.py", "--hop-ms"]);
    assert_eq!(code, 2);
    assert!(err.contains("--hop-ms needs a number of milliseconds"), "{err}");
}
