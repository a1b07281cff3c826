//! Running a scenario for the page: the trace, and the diagram of the broker afterwards.

use crate::diagram::Diagram;
use warren_engine::scenario::{Call, Scenario};
use warren_engine::trace::{run_steps, to_jsonl, Runner};

/// What the page shows for a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    pub name: String,
    pub diagram: Diagram,
    pub trace: String,
}

/// Run a scenario (JSON text) to its end; errors are the scenario's, worded for a person.
pub fn simulate(text: &str) -> Result<Simulation, String> {
    let sc = Scenario::parse(text).map_err(|e| e.to_string())?;
    let mut r = Runner::new(sc.seed);
    let lines = run_steps(&sc.steps, |i, st| r.step(i, st)).map_err(|e| e.to_string())?;
    // producers: each connection that published, with the exchanges it published to
    let mut publishers: Vec<(String, String)> = Vec::new();
    for st in &sc.steps {
        if let Call::BasicPublish { exchange, .. } = &st.call {
            let p = (st.conn.clone(), exchange.clone());
            if !publishers.contains(&p) {
                publishers.push(p);
            }
        }
    }
    let show_default = publishers.iter().any(|(_, x)| x.is_empty());
    Ok(Simulation {
        name: sc.name.clone(),
        diagram: Diagram::of(&r.broker, &publishers, show_default),
        trace: to_jsonl(&lines),
    })
}
