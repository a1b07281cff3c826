//! A run in a file: what the user did, with its instants, so a saved file, a share link or an
//! embed replays the run and not only the design. It extends the scenario file (the page's
//! `"canvas"` extension) with `"run"`:
//!
//! ```json
//! "run": {
//!   "canvas": { … },
//!   "actions": [
//!     {"at_ms": 0, "publish": "new_task"},
//!     {"at_ms": 900, "publish": "emit_log_topic", "routing_key": "lazy.brown.fox"},
//!     {"at_ms": 2000, "stop": "worker-1"},
//!     {"at_ms": 5000, "start": "worker-1"},
//!     {"at_ms": 6000, "restart": true},
//!     {"at_ms": 7000, "rabbitmqctl": ["purge_queue", "task_queue"]},
//!     {"at_ms": 8000, "edit": { …the canvas from then on… }}
//!   ]
//! }
//! ```
//!
//! Nodes are named as the canvas names them at that instant. `"canvas"` is the design the run
//! started from, written only when the file's own canvas is not it (the run changed it).
//! A scenario without a canvas (`warren share` of a plain scenario) carries its run in its
//! steps: its publishes, at the instants its `wait` steps give them ([`of_steps`]).

use crate::design::{Design, Id, Kind};
use crate::json::Json;
use crate::sim::{Input, Live};
use serde_json::{json, Map, Value};

/// A run to replay: the design it starts from and the actions at their instants.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub from: Design,
    pub actions: Vec<(u64, Input)>,
}

impl Run {
    /// A run of `from` replayed: each action planned for its instant.
    pub fn live(&self) -> Live {
        self.live_with_hop(crate::timeline::HOP)
    }

    /// [`Run::live`] with messages taking `hop` ms along each edge.
    pub fn live_with_hop(&self, hop: f64) -> Live {
        let mut live = Live::with_hop(self.from.clone(), hop);
        for (at, i) in &self.actions {
            live.input_at(*at, i.clone());
        }
        live
    }
}

/// The canvas of a design as a run's `"edit"` or `"canvas"` holds it.
fn canvas(d: &Design) -> Value {
    d.write()
}

/// The `"run"` of a live simulation whose design is now `now` (None when the user did nothing).
pub fn write(live: &Live, now: &Design) -> Option<Value> {
    if !live.acted() {
        return None;
    }
    let mut d = live.initial().clone();
    let mut actions = Vec::new();
    let name = |d: &Design, id: Id| d.node(id).map(|n| n.name.clone()).unwrap_or_default();
    for (at, i) in &live.inputs {
        let mut o = Map::new();
        o.insert("at_ms".into(), json!(at));
        match i {
            Input::Publish(id) => {
                o.insert("publish".into(), json!(name(&d, *id)));
            }
            Input::PublishKey(id, key) => {
                o.insert("publish".into(), json!(name(&d, *id)));
                o.insert("routing_key".into(), json!(key));
            }
            Input::Stop(id) => {
                o.insert("stop".into(), json!(name(&d, *id)));
            }
            Input::Start(id) => {
                o.insert("start".into(), json!(name(&d, *id)));
            }
            Input::Restart => {
                o.insert("restart".into(), json!(true));
            }
            Input::Ctl(words) => {
                o.insert("rabbitmqctl".into(), json!(words));
            }
            Input::Edit(e) => {
                o.insert("edit".into(), canvas(e));
                d = (**e).clone();
            }
        }
        actions.push(Value::Object(o));
    }
    let mut run = Map::new();
    // where nodes are drawn is no part of the run
    if live.initial().topology() != now.topology() {
        run.insert("canvas".into(), canvas(live.initial()));
    }
    run.insert("actions".into(), Value::Array(actions));
    Some(Value::Object(run))
}

/// Read a file's `"run"` (`v`) for its design `d` (the file's canvas); errors say what and where.
pub fn read(d: &Design, v: &Value) -> Result<Run, String> {
    let at = |k: usize, what: &str| format!("run: action {}: {what}", k + 1);
    let from = match v.get("canvas") {
        Some(c) => {
            let mut c = c.clone();
            if let Some(o) = c.as_object_mut() {
                o.entry("name").or_insert_with(|| json!(d.name));
                o.entry("seed").or_insert_with(|| json!(d.seed));
            }
            Design::from_canvas(c).map_err(|e| format!("run: {e}"))?
        }
        None => d.clone(),
    };
    let list = match v.get("actions") {
        Some(Value::Array(a)) => a,
        Some(_) => return Err("run: actions: expected a list".into()),
        None => return Err("run: no actions".into()),
    };
    let mut now = from.clone();
    let mut actions = Vec::new();
    let mut last = 0;
    for (k, a) in list.iter().enumerate() {
        let when = a
            .get("at_ms")
            .and_then(Value::as_u64)
            .ok_or_else(|| at(k, "at_ms: expected a whole number of ms"))?;
        if when < last {
            return Err(at(k, &format!("at_ms {when} is before the action before it ({last})")));
        }
        last = when;
        let node = |key: &str, kind: Kind| -> Result<Id, String> {
            let name = a[key]
                .as_str()
                .ok_or_else(|| at(k, &format!("{key}: expected a name")))?;
            now.by_name(kind, name)
                .map(|n| n.id)
                .ok_or_else(|| at(k, &format!("{key}: no {} called '{name}' on the canvas", kind.name())))
        };
        let input = if a.get("publish").is_some() {
            let id = node("publish", Kind::Producer)?;
            match a.get("routing_key") {
                None => Input::Publish(id),
                Some(Value::String(key)) => Input::PublishKey(id, key.clone()),
                Some(_) => return Err(at(k, "routing_key: expected text")),
            }
        } else if a.get("stop").is_some() {
            Input::Stop(node("stop", Kind::Consumer)?)
        } else if a.get("start").is_some() {
            Input::Start(node("start", Kind::Consumer)?)
        } else if a.get("restart").is_some() {
            Input::Restart
        } else if let Some(words) = a.get("rabbitmqctl") {
            let words: Option<Vec<String>> = words
                .as_array()
                .and_then(|w| w.iter().map(|x| x.as_str().map(String::from)).collect());
            Input::Ctl(words.ok_or_else(|| at(k, "rabbitmqctl: expected a list of words"))?)
        } else if let Some(c) = a.get("edit") {
            let e = Design::from_canvas(c.clone()).map_err(|e| at(k, &format!("edit: {e}")))?;
            now = e.clone();
            Input::Edit(Box::new(e))
        } else {
            return Err(at(k, "expected publish, stop, start, restart, rabbitmqctl or edit"));
        };
        actions.push((when, input));
    }
    Ok(Run { from, actions })
}

/// The run a scenario without a canvas holds for the design imported from it: each publish by a
/// producer of `d`, with its routing key, at the instant its steps' `wait`s give it.
pub fn of_steps(d: &Design, scenario: &Value) -> Run {
    use warren_engine::method::Method;
    use warren_engine::scenario::{Call, Scenario};
    let mut t = 0;
    let mut actions = Vec::new();
    // read as the runner reads it (a step without "conn" is connection A's)
    let steps = Scenario::from_json(scenario.clone())
        .map(|s| s.steps)
        .unwrap_or_default();
    for st in steps {
        match &st.call {
            Call::Wait { ms } => t += ms,
            Call::Method(Method::BasicPublish { routing_key, .. }) => {
                if let Some(p) = d.by_name(Kind::Producer, &st.conn) {
                    actions.push((t, Input::PublishKey(p.id, routing_key.to_string())));
                }
            }
            _ => {}
        }
    }
    Run {
        from: d.clone(),
        actions,
    }
}
