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
