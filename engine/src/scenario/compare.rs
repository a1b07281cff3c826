//! One scenario run as two RabbitMQ versions: the steps whose trace lines differ, each with why
//! (the [`Difference`]s the rules met at that step, or, when none did, the earlier step whose
//! difference it follows from). `warren diff --rabbitmq 3.10 --rabbitmq 4.3 FILE` prints it; the
//! page's comparison shows it.

use super::trace::{python_json, RunError, Runner};
use super::{Scenario, Step};
use crate::version::{Difference, Version};
use serde_json::Value;

/// What differs between the versions.
#[derive(Clone, Debug)]
pub struct Compared {
    pub versions: [Version; 2],
    /// How many steps ran.
    pub steps: usize,
    /// The steps that differ, in order.
    pub differences: Vec<StepDifference>,
}

/// A step whose trace lines differ.
#[derive(Clone, Debug)]
pub struct StepDifference {
    pub step: usize,
    /// The step's call (`basic_get`, `rabbitmqctl`…), on its connection.
    pub call: String,
    pub conn: String,
    /// Its trace lines in each version (without `step`).
    pub lines: [Vec<Value>; 2],
    /// Why: the places where the versions differ that the step met.
    pub reasons: Vec<Difference>,
    /// When the step met none: the earlier step that did, whose reasons these are.
    pub follows: Option<usize>,
}

/// Runs `scenario` as `a` and as `b` (its own `"rabbitmq"` field aside).
pub fn compare(scenario: &Scenario, a: Version, b: Version) -> Result<Compared, RunError> {
    let mut runners = [
        Runner::with_version(scenario.seed, a),
        Runner::with_version(scenario.seed, b),
    ];
    let mut differences = Vec::new();
    // the latest step that met a difference, and what it met
    let mut last: Option<(usize, Vec<Difference>)> = None;
    for (i, st) in scenario.steps.iter().enumerate() {
        let mut lines: [Vec<Value>; 2] = Default::default();
        let mut met = Vec::new();
        // each runner's differences are taken after every step: what it holds is this step's
        for (k, r) in runners.iter_mut().enumerate() {
            lines[k] = r.step(i, st)?;
            met.extend(r.server.take_differences());
        }
        met.sort();
        met.dedup();
        if text(&lines[0]) != text(&lines[1]) {
            let (reasons, follows) = match (&met[..], &last) {
                ([], Some((at, earlier))) => (earlier.clone(), Some(*at)),
                _ => (met.clone(), None),
            };
            differences.push(StepDifference {
                step: i,
                call: call_name(st),
                conn: st.conn.clone(),
                lines,
                reasons,
                follows,
            });
        }
        if !met.is_empty() {
            last = Some((i, met));
        }
    }
    Ok(Compared {
        versions: [a, b],
        steps: scenario.steps.len(),
        differences,
    })
}

fn text(lines: &[Value]) -> Vec<String> {
    lines.iter().map(python_json).collect()
}

fn call_name(st: &Step) -> String {
    st.call.name().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scenario(steps: Value) -> Scenario {
        Scenario::from_json(json!({ "steps": steps })).unwrap()
    }

    #[test]
    fn a_dead_letter_differs_by_its_headers_and_says_why() {
        let sc = scenario(json!([
            {"call": "queue_declare", "args": {"queue": "dead"}},
            {"call": "queue_declare", "args": {"queue": "work", "arguments": {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": "dead"}}},
            {"call": "basic_publish", "args": {"exchange": "", "routing_key": "work", "body": "m"}},
            {"call": "basic_get", "args": {"queue": "work"}},
            {"call": "basic_reject", "args": {"delivery_tag": 1, "requeue": false}},
            {"call": "basic_get", "args": {"queue": "dead", "auto_ack": true}}
        ]));
        let c = compare(&sc, Version::V3_10, Version::V4_3).unwrap();
        assert_eq!(c.steps, 6);
        assert_eq!(c.differences.len(), 1, "{:?}", c.differences);
        let d = &c.differences[0];
        assert_eq!((d.step, d.call.as_str()), (5, "basic_get"));
        assert!(d.lines[1][0]["properties"]["headers"]["x-last-death-queue"] == "work");
        assert!(d.lines[0][0]["properties"]["headers"]
            .get("x-last-death-queue")
            .is_none());
        assert_eq!(
            (
                d.lines[0][0]["redelivered"].as_bool(),
                d.lines[1][0]["redelivered"].as_bool()
            ),
            (Some(false), Some(true))
        );
        // the headers were written when the message was dead-lettered, at the reject
        assert_eq!(d.follows, Some(4));
        assert!(d.reasons.contains(&Difference::LastDeath) && d.reasons.contains(&Difference::RejectRedelivered));
    }

    #[test]
    fn a_refusal_names_the_permission_and_the_same_version_twice_differs_nowhere() {
        let sc = scenario(json!([
            {"call": "rabbitmqctl", "args": {"command": ["add_user", "bob", "pw"]}},
            {"call": "rabbitmqctl", "args": {"command": ["set_permissions", "bob", "", ".*", ""]}},
            {"call": "queue_declare", "args": {"queue": "q"}},
            {"call": "basic_get", "conn": "B", "user": "bob", "password": "pw", "args": {"queue": "q"}}
        ]));
        let c = compare(&sc, Version::V3_10, Version::V4_3).unwrap();
        assert_eq!(c.differences.len(), 1, "{:?}", c.differences);
        let d = &c.differences[0];
        assert_eq!((d.step, d.follows), (3, None));
        assert_eq!(d.reasons, [Difference::PermissionNamed]);
        assert!(d.lines[1][0]["text"]
            .as_str()
            .unwrap()
            .contains("read access to queue 'q'"));
        assert!(compare(&sc, Version::V4_3, Version::V4_3)
            .unwrap()
            .differences
            .is_empty());
    }

    #[test]
    fn every_difference_has_a_reason_in_both_languages_and_a_rule_file() {
        for d in Difference::ALL {
            let (en, zh) = d.reason();
            assert!(
                en.contains("4.x") || en.contains("4.3") || en.contains("rabbitmqctl"),
                "{d:?}: {en}"
            );
            assert!(!zh.is_empty() && zh != en, "{d:?}");
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("src")
                .join(d.rule());
            assert!(path.exists(), "{d:?}: {}", path.display());
        }
    }
}
