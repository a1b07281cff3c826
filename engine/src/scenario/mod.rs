//! Scenario files (`shared/scenario-format.md`): parsing with errors that say where.
//!
//! A scenario is JSON: `{"name", "seed"?, "steps": [{"conn", "ch", "call", "args", "as"}]}`. Each
//! call takes pika 1.x's keyword arguments with pika's defaults. Anything pika would refuse (an
//! unknown argument, a wrong type, a float in a field table) is refused here, naming the step and
//! the field; broken JSON is reported with its line and column.

pub mod call;
pub mod compare;
pub mod generate;
pub mod share;
pub mod trace;

pub use call::{properties_json, resolve, Call};
use serde_json::{Map, Value};
use std::fmt;

/// A parsed scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    /// The seed of every generated name in the run (extension: optional, default 0).
    pub seed: u64,
    /// The RabbitMQ it was made for (extension: `"rabbitmq": "4.3"`; none: 3.10, what every
    /// file before versions was made for).
    pub rabbitmq: Option<crate::version::Version>,
    pub steps: Vec<Step>,
    /// The document as read, so that tools that extend it (positions, narration) keep what they
    /// do not understand.
    pub raw: Value,
}

/// One step: a call on a connection's channel.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub conn: String,
    pub ch: u16,
    pub call: Call,
    /// `as`: the name later steps use (`$name`) for the queue this `queue_declare` returns.
    pub alias: Option<String>,
    /// How the connection logs in when this step opens it (`user`, `password`, `vhost`).
    pub login: Login,
}

/// The credentials and vhost a connection opens with (pika's `PlainCredentials` and
/// `virtual_host`), as the step gives them; unset: `guest` / `guest` on `/` (or, on a real
/// broker, what the `--amqp` URL names).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Login {
    pub user: Option<String>,
    pub password: Option<String>,
    pub vhost: Option<String>,
}

impl Login {
    /// (user, password, vhost), the unset ones taken from `default`.
    pub fn or<'a>(&'a self, default: (&'a str, &'a str, &'a str)) -> (&'a str, &'a str, &'a str) {
        (
            self.user.as_deref().unwrap_or(default.0),
            self.password.as_deref().unwrap_or(default.1),
            self.vhost.as_deref().unwrap_or(default.2),
        )
    }
}

/// What is wrong with a scenario, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The step's index (0-based, as in traces), when the problem is in a step.
    pub step: Option<usize>,
    /// The field, as a path (`args.properties.priority`).
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = self.step {
            write!(f, "step {s}: ")?;
        }
        if let Some(p) = &self.field {
            write!(f, "{p}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

pub(crate) fn err(step: Option<usize>, field: impl Into<Option<String>>, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        step,
        field: field.into(),
        message: message.into(),
    }
}

/// Broken JSON, reported with its line and column.
fn json_error(e: serde_json::Error) -> ScenarioError {
    err(
        None,
        None,
        format!("not valid JSON at line {}, column {}: {e}", e.line(), e.column()),
    )
}

impl Scenario {
    /// Parse a scenario document.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let raw: Value = serde_json::from_str(text).map_err(json_error)?;
        Scenario::from_json(raw)
    }

    pub fn from_json(raw: Value) -> Result<Scenario, ScenarioError> {
        let Value::Object(top) = &raw else {
            return Err(err(None, None, "a scenario is a JSON object with \"steps\""));
        };
        let name = match top.get("name") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => return Err(err(None, "name".to_string(), format!("expected a string, got {v}"))),
        };
        let seed = match top.get("seed") {
            None | Some(Value::Null) => 0,
            Some(v) => v
                .as_u64()
                .ok_or_else(|| err(None, "seed".to_string(), format!("expected a whole number, got {v}")))?,
        };
        let rabbitmq = match top.get("rabbitmq") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => {
                Some(crate::version::Version::parse(s).map_err(|e| err(None, "rabbitmq".to_string(), e))?)
            }
            Some(v) => {
                return Err(err(
                    None,
                    "rabbitmq".to_string(),
                    format!("expected \"3.10\" or \"4.3\", got {v}"),
                ))
            }
        };
        let Some(Value::Array(steps_json)) = top.get("steps") else {
            return Err(err(
                None,
                "steps".to_string(),
                "a scenario needs \"steps\": a list of calls",
            ));
        };
        let mut steps = Vec::with_capacity(steps_json.len());
        for (i, s) in steps_json.iter().enumerate() {
            let Value::Object(o) = s else {
                return Err(err(
                    Some(i),
                    None,
                    format!("a step is an object with \"call\", got {s}"),
                ));
            };
            for k in o.keys() {
                if !["conn", "ch", "call", "args", "as", "user", "password", "vhost"].contains(&k.as_str()) {
                    return Err(err(
                        Some(i),
                        k.clone(),
                        "unknown step field (a step has conn, ch, call, args, as, user, password, vhost)",
                    ));
                }
            }
            let conn = match o.get("conn") {
                None | Some(Value::Null) => "A".to_string(),
                Some(Value::String(c)) if !c.is_empty() => c.clone(),
                Some(v) => {
                    return Err(err(
                        Some(i),
                        "conn".to_string(),
                        format!("expected a connection name, got {v}"),
                    ))
                }
            };
            let ch = match o.get("ch") {
                None | Some(Value::Null) => 1,
                Some(v) => match v.as_u64() {
                    Some(n @ 1..=65535) => n as u16,
                    _ => {
                        return Err(err(
                            Some(i),
                            "ch".to_string(),
                            format!("expected a channel number from 1 to 65535, got {v}"),
                        ))
                    }
                },
            };
            let call = match o.get("call") {
                Some(Value::String(c)) => c.as_str(),
                None => return Err(err(Some(i), "call".to_string(), "missing")),
                Some(v) => {
                    return Err(err(
                        Some(i),
                        "call".to_string(),
                        format!("expected a call name, got {v}"),
                    ))
                }
            };
            let args = match o.get("args") {
                None | Some(Value::Null) => Map::new(),
                Some(Value::Object(a)) => a.clone(),
                Some(v) => return Err(err(Some(i), "args".to_string(), format!("expected an object, got {v}"))),
            };
            let alias = match o.get("as") {
                None | Some(Value::Null) => None,
                Some(Value::String(a)) if !a.is_empty() && call == "queue_declare" => Some(a.clone()),
                Some(Value::String(_)) if call != "queue_declare" => {
                    return Err(err(
                        Some(i),
                        "as".to_string(),
                        "only queue_declare names its queue with \"as\"",
                    ))
                }
                Some(v) => return Err(err(Some(i), "as".to_string(), format!("expected a name, got {v}"))),
            };
            let mut login = Login::default();
            for (field, slot) in [
                ("user", &mut login.user),
                ("password", &mut login.password),
                ("vhost", &mut login.vhost),
            ] {
                match o.get(field) {
                    None | Some(Value::Null) => {}
                    Some(Value::String(v)) if v.len() <= 255 => *slot = Some(v.clone()),
                    Some(v) => {
                        return Err(err(
                            Some(i),
                            field.to_string(),
                            format!("expected a string of at most 255 bytes, got {v}"),
                        ))
                    }
                }
            }
            let call = call::parse_call(i, call, args)?;
            steps.push(Step {
                conn,
                ch,
                call,
                alias,
                login,
            });
        }
        Ok(Scenario {
            name,
            seed,
            rabbitmq,
            steps,
            raw,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn broken_json_says_line_and_column() {
        let e = Scenario::parse("{\n \"steps\": [\n  {\"call\": }\n]}").unwrap_err();
        assert!(e.to_string().contains("line 3, column"), "{e}");
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn bad_fields_name_step_and_field() {
        let e = Scenario::parse(
            r#"{"steps":[{"call":"confirm_select"},{"call":"basic_qos","args":{"prefetch_count":70000}}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.step, Some(1));
        assert_eq!(e.field.as_deref(), Some("args.prefetch_count"));
        let e =
            Scenario::parse(r#"{"steps":[{"call":"queue_declare","args":{"queue":"q","durabel":true}}]}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("args.durabel"));
        let e = Scenario::parse(r#"{"steps":[{"call":"basic_publish","args":{"exchange":"","routing_key":"q","properties":{"headers":{"n":1.5}}}}]}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("args.properties.headers"));
        let e = Scenario::parse(r#"{"steps":[{"call":"fly"}]}"#).unwrap_err();
        assert!(e.to_string().starts_with("step 0: call: unknown call 'fly'"), "{e}");
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn pika_defaults_apply() {
        let s =
            Scenario::parse(r#"{"steps":[{"call":"basic_nack"},{"call":"exchange_declare","args":{"exchange":"x"}}]}"#)
                .unwrap();
        assert_eq!(
            s.steps[0].call,
            Call::Method(crate::method::Method::BasicNack {
                delivery_tag: 0,
                multiple: false,
                requeue: true
            })
        );
        assert!(
            matches!(&s.steps[1].call, Call::Method(crate::method::Method::ExchangeDeclare { kind, .. }) if kind == "direct")
        );
        assert_eq!(s.steps[0].conn, "A");
        assert_eq!(s.steps[0].ch, 1);
    }
}
