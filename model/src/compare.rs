//! The page's comparison of RabbitMQ versions: the run so far (its steps, as `warren trace`
//! replays them) run as 3.10 and as 4.3, and the steps whose trace lines differ, each with why
//! in the reader's language ([`warren_engine::compare`]; the CLI's `warren diff --rabbitmq 3.10
//! --rabbitmq 4.3` prints the same).

use crate::i18n::Lang;
use crate::sim::Live;
use warren_engine::scenario::Scenario;
use warren_engine::trace::python_json;
use warren_engine::Version;

/// A step that differs.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub step: usize,
    /// The step's call and connection: `basic_get on R`.
    pub what: String,
    /// What a client saw in each version, a trace line each (none: `(nothing)`).
    pub sides: [(Version, Vec<String>); 2],
    /// Why, a line each (from the rules that differ).
    pub reasons: Vec<String>,
    /// The earlier step the difference comes from, when this step met none itself.
    pub follows: Option<usize>,
}

/// The steps that differ between 3.10 and 4.3, of how many.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub steps: usize,
    pub rows: Vec<Row>,
}

/// The run so far of `live` as 3.10 and as 4.3.
pub fn of_run(live: &Live, lang: Lang) -> Result<Comparison, String> {
    let sc = Scenario::from_json(live.scenario()).map_err(|e| e.to_string())?;
    of_scenario(&sc, lang)
}

/// `sc` as 3.10 and as 4.3.
pub fn of_scenario(sc: &Scenario, lang: Lang) -> Result<Comparison, String> {
    let c = warren_engine::compare::compare(sc, Version::V3_10, Version::V4_3).map_err(|e| e.to_string())?;
    let rows = c
        .differences
        .into_iter()
        .map(|d| {
            let [a, b] = d.lines;
            let side = |v: Version, lines: Vec<serde_json::Value>| (v, lines.iter().map(python_json).collect());
            Row {
                step: d.step,
                what: if d.call == "wait" {
                    d.call
                } else {
                    format!("{} on {}", d.call, d.conn)
                },
                sides: [side(c.versions[0], a), side(c.versions[1], b)],
                reasons: d
                    .reasons
                    .iter()
                    .map(|r| match lang {
                        Lang::En => r.reason().0,
                        Lang::Zh => r.reason().1,
                    })
                    .map(String::from)
                    .collect(),
                follows: d.follows,
            }
        })
        .collect();
    Ok(Comparison { steps: c.steps, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_lettered_delivery_differs_by_its_headers_and_says_why() {
        // every job is rejected and dead-lettered to a queue another worker reads
        let canvas = serde_json::json!({"name": "dlx", "seed": 1, "rabbitmq": "4.3", "nodes": [
            {"id": 1, "x": 100, "y": 0, "kind": "producer", "name": "P", "routing_key": "work", "body": "job"},
            {"id": 2, "x": 200, "y": 0, "kind": "queue", "name": "work", "dead_letter_exchange": "", "dead_letter_routing_key": "dead"},
            {"id": 3, "x": 300, "y": 0, "kind": "queue", "name": "dead"},
            {"id": 4, "x": 400, "y": 0, "kind": "consumer", "name": "picky", "failure_pct": 100, "on_failure": "reject", "requeue": false},
            {"id": 5, "x": 500, "y": 0, "kind": "consumer", "name": "morgue"}],
            "links": [{"from": 1, "to": 2}, {"from": 2, "to": 4}, {"from": 3, "to": 5}]});
        let d = crate::design::Design::from_canvas(canvas).unwrap();
        let mut live = Live::new(d);
        live.input(0, crate::sim::Input::Publish(1)).unwrap();
        live.advance_to(10_000);
        let c = of_run(&live, Lang::En).unwrap();
        assert_eq!(c.rows.len(), 1, "{c:?}");
        let r = &c.rows[0];
        assert!(r.what.starts_with("basic_") || r.what.starts_with("wait"), "{}", r.what);
        assert_eq!((r.sides[0].0, r.sides[1].0), (Version::V3_10, Version::V4_3));
        assert!(r.sides[1].1.iter().any(|l| l.contains("x-last-death-queue")), "{r:?}");
        assert!(!r.sides[0].1.iter().any(|l| l.contains("x-last-death-queue")), "{r:?}");
        assert!(
            r.reasons
                .iter()
                .any(|x| x.starts_with("4.x adds x-last-death-exchange")),
            "{r:?}"
        );
        let zh = of_run(&live, Lang::Zh).unwrap();
        assert!(
            zh.rows[0]
                .reasons
                .iter()
                .any(|x| x.contains("x-last-death-exchange") && x.contains("最近")),
            "{zh:?}"
        );
        // the work queues example runs alike on both
        let mut live = Live::new(crate::example::example());
        live.input(0, crate::sim::Input::Publish(4)).unwrap();
        live.advance_to(20_000);
        assert!(of_run(&live, Lang::En).unwrap().rows.is_empty());
    }
}
