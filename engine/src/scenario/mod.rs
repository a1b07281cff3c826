//! Scenario files (`shared/scenario-format.md`): parsing with errors that say where.
//!
//! A scenario is JSON: `{"name", "seed"?, "steps": [{"conn", "ch", "call", "args", "as"}]}`. Each
//! call takes pika 1.x's keyword arguments with pika's defaults. Anything pika would refuse (an
//! unknown argument, a wrong type, a float in a field table) is refused here, naming the step and
//! the field; broken JSON is reported with its line and column.

pub mod compare;
pub mod generate;
pub mod share;
pub mod trace;

use crate::field::{table_from_json, FieldTable};
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

/// The calls of the scenario format, with pika's argument defaults applied.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Call {
    ExchangeDeclare {
        exchange: String,
        exchange_type: String,
        passive: bool,
        durable: bool,
        auto_delete: bool,
        internal: bool,
        arguments: FieldTable,
    },
    ExchangeDelete {
        exchange: String,
        if_unused: bool,
    },
    ExchangeBind {
        destination: String,
        source: String,
        routing_key: String,
        arguments: FieldTable,
    },
    ExchangeUnbind {
        destination: String,
        source: String,
        routing_key: String,
        arguments: FieldTable,
    },
    QueueDeclare {
        queue: String,
        passive: bool,
        durable: bool,
        exclusive: bool,
        auto_delete: bool,
        arguments: FieldTable,
    },
    /// `routing_key: None` binds with the queue's name, as pika does.
    QueueBind {
        queue: String,
        exchange: String,
        routing_key: Option<String>,
        arguments: FieldTable,
    },
    QueueUnbind {
        queue: String,
        exchange: String,
        routing_key: Option<String>,
        arguments: FieldTable,
    },
    QueuePurge {
        queue: String,
    },
    QueueDelete {
        queue: String,
        if_unused: bool,
        if_empty: bool,
    },
    BasicQos {
        prefetch_size: u32,
        prefetch_count: u16,
        global_qos: bool,
    },
    BasicPublish {
        exchange: String,
        routing_key: String,
        body: String,
        mandatory: bool,
        properties: crate::message::Properties,
    },
    /// `consumer_tag: None`: pika makes one up (`ctag<channel>.<hex>`).
    BasicConsume {
        queue: String,
        auto_ack: bool,
        exclusive: bool,
        consumer_tag: Option<String>,
        arguments: FieldTable,
    },
    BasicCancel {
        consumer_tag: String,
    },
    BasicAck {
        delivery_tag: u64,
        multiple: bool,
    },
    BasicNack {
        delivery_tag: u64,
        multiple: bool,
        requeue: bool,
    },
    BasicReject {
        delivery_tag: u64,
        requeue: bool,
    },
    BasicGet {
        queue: String,
        auto_ack: bool,
    },
    BasicRecover {
        requeue: bool,
    },
    ConfirmSelect,
    ChannelClose,
    ConnectionClose,
    Wait {
        ms: u64,
    },
    Restart,
    /// `rabbitmqctl` commands (the operator's, not a client's): they take no connection.
    AddUser {
        user: String,
        password: String,
    },
    DeleteUser {
        user: String,
    },
    ChangePassword {
        user: String,
        password: String,
    },
    SetUserTags {
        user: String,
        tags: Vec<String>,
    },
    AddVhost {
        vhost: String,
    },
    DeleteVhost {
        vhost: String,
    },
    SetPermissions {
        vhost: String,
        user: String,
        configure: String,
        write: String,
        read: String,
    },
    ClearPermissions {
        vhost: String,
        user: String,
    },
    /// Any other `rabbitmqctl` command, as its words: `["purge_queue", "q"]`, `["stop_app"]`.
    Rabbitmqctl {
        command: Vec<String>,
    },
}

impl Call {
    /// Is this an operator's `rabbitmqctl` command (no connection, `ok` or `ctl_error`)?
    pub fn is_ctl(&self) -> bool {
        matches!(
            self,
            Call::AddUser { .. }
                | Call::DeleteUser { .. }
                | Call::ChangePassword { .. }
                | Call::SetUserTags { .. }
                | Call::AddVhost { .. }
                | Call::DeleteVhost { .. }
                | Call::SetPermissions { .. }
                | Call::ClearPermissions { .. }
                | Call::Rabbitmqctl { .. }
        )
    }

    /// The `rabbitmqctl` arguments of an operator's command (`add_user bob secret`).
    pub fn ctl_args(&self) -> Option<Vec<String>> {
        let v = |xs: &[&str]| Some(xs.iter().map(|x| x.to_string()).collect());
        match self {
            Call::AddUser { user, password } => v(&["add_user", user, password]),
            Call::DeleteUser { user } => v(&["delete_user", user]),
            Call::ChangePassword { user, password } => v(&["change_password", user, password]),
            Call::SetUserTags { user, tags } => {
                let mut a = vec!["set_user_tags".to_string(), user.clone()];
                a.extend(tags.iter().cloned());
                Some(a)
            }
            Call::AddVhost { vhost } => v(&["add_vhost", vhost]),
            Call::DeleteVhost { vhost } => v(&["delete_vhost", vhost]),
            Call::SetPermissions {
                vhost,
                user,
                configure,
                write,
                read,
            } => v(&["set_permissions", "-p", vhost, user, configure, write, read]),
            Call::ClearPermissions { vhost, user } => v(&["clear_permissions", "-p", vhost, user]),
            Call::Rabbitmqctl { command } => Some(command.clone()),
            _ => None,
        }
    }

    /// The scenario name of the call.
    pub fn name(&self) -> &'static str {
        match self {
            Call::ExchangeDeclare { .. } => "exchange_declare",
            Call::ExchangeDelete { .. } => "exchange_delete",
            Call::ExchangeBind { .. } => "exchange_bind",
            Call::ExchangeUnbind { .. } => "exchange_unbind",
            Call::QueueDeclare { .. } => "queue_declare",
            Call::QueueBind { .. } => "queue_bind",
            Call::QueueUnbind { .. } => "queue_unbind",
            Call::QueuePurge { .. } => "queue_purge",
            Call::QueueDelete { .. } => "queue_delete",
            Call::BasicQos { .. } => "basic_qos",
            Call::BasicPublish { .. } => "basic_publish",
            Call::BasicConsume { .. } => "basic_consume",
            Call::BasicCancel { .. } => "basic_cancel",
            Call::BasicAck { .. } => "basic_ack",
            Call::BasicNack { .. } => "basic_nack",
            Call::BasicReject { .. } => "basic_reject",
            Call::BasicGet { .. } => "basic_get",
            Call::BasicRecover { .. } => "basic_recover",
            Call::ConfirmSelect => "confirm_select",
            Call::ChannelClose => "channel_close",
            Call::ConnectionClose => "connection_close",
            Call::Wait { .. } => "wait",
            Call::Restart => "restart",
            Call::AddUser { .. } => "add_user",
            Call::DeleteUser { .. } => "delete_user",
            Call::ChangePassword { .. } => "change_password",
            Call::SetUserTags { .. } => "set_user_tags",
            Call::AddVhost { .. } => "add_vhost",
            Call::DeleteVhost { .. } => "delete_vhost",
            Call::SetPermissions { .. } => "set_permissions",
            Call::ClearPermissions { .. } => "clear_permissions",
            Call::Rabbitmqctl { .. } => "rabbitmqctl",
        }
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

fn err(step: Option<usize>, field: impl Into<Option<String>>, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        step,
        field: field.into(),
        message: message.into(),
    }
}

/// Reads one step's `args`, checking names and types, and that every argument was used.
struct Args<'a> {
    step: usize,
    call: &'a str,
    map: Map<String, Value>,
}

impl<'a> Args<'a> {
    fn take(&mut self, k: &str) -> Option<Value> {
        self.map.remove(k).filter(|v| !v.is_null())
    }
    fn e(&self, k: &str, msg: impl Into<String>) -> ScenarioError {
        err(Some(self.step), format!("args.{k}"), msg)
    }
    fn string(&mut self, k: &str) -> Result<Option<String>, ScenarioError> {
        match self.take(k) {
            None => Ok(None),
            Some(Value::String(s)) => {
                if k != "body" && s.len() > 255 {
                    return Err(self.e(
                        k,
                        format!("{} bytes is longer than an AMQP short string (255 bytes)", s.len()),
                    ));
                }
                Ok(Some(s))
            }
            Some(v) => Err(self.e(k, format!("expected a string, got {v}"))),
        }
    }
    /// A list of strings (`tags`, a command's words).
    fn words(&mut self, k: &str) -> Result<Vec<String>, ScenarioError> {
        match self.take(k) {
            None => Ok(Vec::new()),
            Some(Value::Array(xs)) => xs
                .into_iter()
                .map(|x| match x {
                    Value::String(t) => Ok(t),
                    other => Err(self.e(k, format!("expected a list of strings, got {other} in it"))),
                })
                .collect(),
            Some(v) => Err(self.e(k, format!("expected a list of strings, got {v}"))),
        }
    }
    fn req_string(&mut self, k: &str) -> Result<String, ScenarioError> {
        self.string(k)?
            .ok_or_else(|| self.e(k, format!("{} needs '{k}'", self.call)))
    }
    fn boolean(&mut self, k: &str) -> Result<bool, ScenarioError> {
        match self.take(k) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(b),
            Some(v) => Err(self.e(k, format!("expected true or false, got {v}"))),
        }
    }
    fn boolean_or(&mut self, k: &str, default: bool) -> Result<bool, ScenarioError> {
        if self.map.get(k).is_some_and(|v| !v.is_null()) {
            self.boolean(k)
        } else {
            Ok(default)
        }
    }
    fn uint(&mut self, k: &str, max: u64) -> Result<u64, ScenarioError> {
        match self.take(k) {
            None => Ok(0),
            Some(v) => match v.as_u64() {
                Some(n) if n <= max => Ok(n),
                _ => Err(self.e(k, format!("expected a whole number from 0 to {max}, got {v}"))),
            },
        }
    }
    fn table(&mut self, k: &str) -> Result<FieldTable, ScenarioError> {
        match self.take(k) {
            None => Ok(FieldTable::new()),
            Some(Value::Object(o)) => table_from_json(&o).map_err(|m| self.e(k, m)),
            Some(v) => Err(self.e(k, format!("expected an object, got {v}"))),
        }
    }
    fn finish(self) -> Result<(), ScenarioError> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(k) => Err(err(
                Some(self.step),
                format!("args.{k}"),
                format!("{} takes no argument '{k}'", self.call),
            )),
        }
    }
}

fn properties(step: usize, v: Option<Value>) -> Result<crate::message::Properties, ScenarioError> {
    let mut p = crate::message::Properties::default();
    let Some(v) = v else { return Ok(p) };
    let Value::Object(map) = v else {
        return Err(err(
            Some(step),
            "args.properties".to_string(),
            format!("expected an object, got {v}"),
        ));
    };
    let e = |k: &str, m: String| err(Some(step), format!("args.properties.{k}"), m);
    for (k, v) in map {
        if v.is_null() {
            continue;
        }
        let s = || {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| e(&k, format!("expected a string, got {v}")))
        };
        match k.as_str() {
            "content_type" => p.content_type = Some(s()?),
            "content_encoding" => p.content_encoding = Some(s()?),
            "correlation_id" => p.correlation_id = Some(s()?),
            "reply_to" => p.reply_to = Some(s()?),
            "expiration" => p.expiration = Some(s()?),
            "message_id" => p.message_id = Some(s()?),
            "type" => p.type_ = Some(s()?),
            "user_id" => p.user_id = Some(s()?),
            "app_id" => p.app_id = Some(s()?),
            "delivery_mode" => match v.as_u64() {
                Some(d @ 1..=2) => p.delivery_mode = Some(d as u8),
                _ => return Err(e(&k, format!("expected 1 (transient) or 2 (persistent), got {v}"))),
            },
            "priority" => match v.as_u64() {
                Some(n) if n <= 255 => p.priority = Some(n as u8),
                _ => return Err(e(&k, format!("expected a whole number from 0 to 255, got {v}"))),
            },
            "timestamp" => p.timestamp = Some(v.as_u64().ok_or_else(|| e(&k, format!("expected seconds, got {v}")))?),
            "headers" => match &v {
                Value::Object(o) => p.headers = Some(table_from_json(o).map_err(|m| e(&k, m))?),
                _ => return Err(e(&k, format!("expected an object, got {v}"))),
            },
            _ => return Err(e(&k, format!("unknown property '{k}'"))),
        }
    }
    Ok(p)
}

fn parse_call(step: usize, call: &str, args: Map<String, Value>) -> Result<Call, ScenarioError> {
    let mut a = Args { step, call, map: args };
    let c = match call {
        "exchange_declare" => Call::ExchangeDeclare {
            exchange: a.req_string("exchange")?,
            exchange_type: a.string("exchange_type")?.unwrap_or_else(|| "direct".into()),
            passive: a.boolean("passive")?,
            durable: a.boolean("durable")?,
            auto_delete: a.boolean("auto_delete")?,
            internal: a.boolean("internal")?,
            arguments: a.table("arguments")?,
        },
        "exchange_delete" => Call::ExchangeDelete {
            exchange: a.req_string("exchange")?,
            if_unused: a.boolean("if_unused")?,
        },
        "exchange_bind" | "exchange_unbind" => {
            let destination = a.req_string("destination")?;
            let source = a.req_string("source")?;
            let routing_key = a.string("routing_key")?.unwrap_or_default();
            let arguments = a.table("arguments")?;
            if call == "exchange_bind" {
                Call::ExchangeBind {
                    destination,
                    source,
                    routing_key,
                    arguments,
                }
            } else {
                Call::ExchangeUnbind {
                    destination,
                    source,
                    routing_key,
                    arguments,
                }
            }
        }
        "queue_declare" => Call::QueueDeclare {
            queue: a.req_string("queue")?,
            passive: a.boolean("passive")?,
            durable: a.boolean("durable")?,
            exclusive: a.boolean("exclusive")?,
            auto_delete: a.boolean("auto_delete")?,
            arguments: a.table("arguments")?,
        },
        "queue_bind" | "queue_unbind" => {
            let queue = a.req_string("queue")?;
            let exchange = a.req_string("exchange")?;
            let routing_key = a.string("routing_key")?;
            let arguments = a.table("arguments")?;
            if call == "queue_bind" {
                Call::QueueBind {
                    queue,
                    exchange,
                    routing_key,
                    arguments,
                }
            } else {
                Call::QueueUnbind {
                    queue,
                    exchange,
                    routing_key,
                    arguments,
                }
            }
        }
        "queue_purge" => Call::QueuePurge {
            queue: a.req_string("queue")?,
        },
        "queue_delete" => Call::QueueDelete {
            queue: a.req_string("queue")?,
            if_unused: a.boolean("if_unused")?,
            if_empty: a.boolean("if_empty")?,
        },
        "basic_qos" => Call::BasicQos {
            prefetch_size: a.uint("prefetch_size", u32::MAX as u64)? as u32,
            prefetch_count: a.uint("prefetch_count", u16::MAX as u64)? as u16,
            global_qos: a.boolean("global_qos")?,
        },
        "basic_publish" => {
            let exchange = a.req_string("exchange")?;
            let routing_key = a.req_string("routing_key")?;
            let body = a.string("body")?.unwrap_or_default();
            let mandatory = a.boolean("mandatory")?;
            let properties = properties(step, a.take("properties"))?;
            Call::BasicPublish {
                exchange,
                routing_key,
                body,
                mandatory,
                properties,
            }
        }
        "basic_consume" => Call::BasicConsume {
            queue: a.req_string("queue")?,
            auto_ack: a.boolean("auto_ack")?,
            exclusive: a.boolean("exclusive")?,
            consumer_tag: a.string("consumer_tag")?.filter(|t| !t.is_empty()),
            arguments: a.table("arguments")?,
        },
        "basic_cancel" => Call::BasicCancel {
            consumer_tag: a.string("consumer_tag")?.unwrap_or_default(),
        },
        "basic_ack" => Call::BasicAck {
            delivery_tag: a.uint("delivery_tag", u64::MAX)?,
            multiple: a.boolean("multiple")?,
        },
        "basic_nack" => Call::BasicNack {
            delivery_tag: a.uint("delivery_tag", u64::MAX)?,
            multiple: a.boolean("multiple")?,
            requeue: a.boolean_or("requeue", true)?,
        },
        "basic_reject" => Call::BasicReject {
            delivery_tag: a.uint("delivery_tag", u64::MAX)?,
            requeue: a.boolean_or("requeue", true)?,
        },
        "basic_get" => Call::BasicGet {
            queue: a.req_string("queue")?,
            auto_ack: a.boolean("auto_ack")?,
        },
        "basic_recover" => Call::BasicRecover {
            requeue: a.boolean("requeue")?,
        },
        "confirm_select" => Call::ConfirmSelect,
        "channel_close" => Call::ChannelClose,
        "connection_close" => Call::ConnectionClose,
        "wait" => Call::Wait {
            ms: a.uint("ms", 1 << 53)?,
        },
        "restart" => Call::Restart,
        "add_user" => Call::AddUser {
            user: a.req_string("user")?,
            password: a.req_string("password")?,
        },
        "delete_user" => Call::DeleteUser {
            user: a.req_string("user")?,
        },
        "change_password" => Call::ChangePassword {
            user: a.req_string("user")?,
            password: a.req_string("password")?,
        },
        "set_user_tags" => {
            let user = a.req_string("user")?;
            let tags = a.words("tags")?;
            Call::SetUserTags { user, tags }
        }
        "rabbitmqctl" => {
            let command = a.words("command")?;
            if command.is_empty() {
                return Err(a.e(
                    "command",
                    "rabbitmqctl needs 'command': its words, e.g. [\"purge_queue\", \"q\"]",
                ));
            }
            Call::Rabbitmqctl { command }
        }
        "add_vhost" => Call::AddVhost {
            vhost: a.req_string("vhost")?,
        },
        "delete_vhost" => Call::DeleteVhost {
            vhost: a.req_string("vhost")?,
        },
        "set_permissions" => Call::SetPermissions {
            vhost: a.string("vhost")?.unwrap_or_else(|| "/".into()),
            user: a.req_string("user")?,
            configure: a.req_string("configure")?,
            write: a.req_string("write")?,
            read: a.req_string("read")?,
        },
        "clear_permissions" => Call::ClearPermissions {
            vhost: a.string("vhost")?.unwrap_or_else(|| "/".into()),
            user: a.req_string("user")?,
        },
        other => {
            return Err(err(
                Some(step),
                "call".to_string(),
                format!("unknown call '{other}' (see shared/scenario-format.md for the calls)"),
            ))
        }
    };
    a.finish()?;
    Ok(c)
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
            let call = parse_call(i, call, args)?;
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
            Call::BasicNack {
                delivery_tag: 0,
                multiple: false,
                requeue: true
            }
        );
        assert!(matches!(&s.steps[1].call, Call::ExchangeDeclare { exchange_type, .. } if exchange_type == "direct"));
        assert_eq!(s.steps[0].conn, "A");
        assert_eq!(s.steps[0].ch, 1);
    }
}
