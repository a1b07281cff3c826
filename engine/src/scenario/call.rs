//! A scenario step's call: the AMQP methods (the broker's own list, [`Method`]) and the rest of
//! what a scenario does. Read from a step's `args` with pika 1.x's names and defaults, checked as
//! pika would check them; written back the same way; and turned into what pika sends.

use super::{err, ScenarioError};
use crate::field::{table_from_json, table_to_json, FieldTable};
use crate::message::Properties;
use crate::method::Method;
use serde_json::{json, Map, Value};
use std::rc::Rc;

/// The calls of the scenario format: the AMQP methods (one list, [`Method`], shared with the
/// broker) and what else a scenario does (close a connection, wait, restart, `rabbitmqctl`).
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Call {
    /// An AMQP method on the step's channel, with pika 1.x's defaults applied. As written in the
    /// file: its queue names may be `$alias`es, a `basic_consume` without a tag has an empty one
    /// (pika makes one up), and a `queue_bind` without a key has the queue's name as written
    /// ([`resolve`] turns it into what pika sends).
    Method(Method),
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
            Call::Method(m) => m.name(),
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

/// A step's call from its name and `args`, checking every argument as pika would.
pub(crate) fn parse_call(step: usize, call: &str, args: Map<String, Value>) -> Result<Call, ScenarioError> {
    let mut a = Args { step, call, map: args };
    let m = match call {
        "exchange_declare" => Some(Method::ExchangeDeclare {
            exchange: a.req_string("exchange")?,
            kind: a.string("exchange_type")?.unwrap_or_else(|| "direct".into()),
            passive: a.boolean("passive")?,
            durable: a.boolean("durable")?,
            auto_delete: a.boolean("auto_delete")?,
            internal: a.boolean("internal")?,
            arguments: a.table("arguments")?,
        }),
        "exchange_delete" => Some(Method::ExchangeDelete {
            exchange: a.req_string("exchange")?,
            if_unused: a.boolean("if_unused")?,
        }),
        "exchange_bind" | "exchange_unbind" => {
            let destination = a.req_string("destination")?;
            let source = a.req_string("source")?;
            let routing_key = a.string("routing_key")?.unwrap_or_default();
            let arguments = a.table("arguments")?;
            Some(if call == "exchange_bind" {
                Method::ExchangeBind {
                    destination,
                    source,
                    routing_key,
                    arguments,
                }
            } else {
                Method::ExchangeUnbind {
                    destination,
                    source,
                    routing_key,
                    arguments,
                }
            })
        }
        "queue_declare" => Some(Method::QueueDeclare {
            queue: a.req_string("queue")?,
            passive: a.boolean("passive")?,
            durable: a.boolean("durable")?,
            exclusive: a.boolean("exclusive")?,
            auto_delete: a.boolean("auto_delete")?,
            arguments: a.table("arguments")?,
        }),
        "queue_bind" | "queue_unbind" => {
            let queue = a.req_string("queue")?;
            let exchange = a.req_string("exchange")?;
            // pika binds with the queue's name when no key is given
            let routing_key = a.string("routing_key")?.unwrap_or_else(|| queue.clone());
            let arguments = a.table("arguments")?;
            Some(if call == "queue_bind" {
                Method::QueueBind {
                    queue,
                    exchange,
                    routing_key,
                    arguments,
                }
            } else {
                Method::QueueUnbind {
                    queue,
                    exchange,
                    routing_key,
                    arguments,
                }
            })
        }
        "queue_purge" => Some(Method::QueuePurge {
            queue: a.req_string("queue")?,
        }),
        "queue_delete" => Some(Method::QueueDelete {
            queue: a.req_string("queue")?,
            if_unused: a.boolean("if_unused")?,
            if_empty: a.boolean("if_empty")?,
        }),
        "basic_qos" => Some(Method::BasicQos {
            prefetch_size: a.uint("prefetch_size", u32::MAX as u64)? as u32,
            prefetch_count: a.uint("prefetch_count", u16::MAX as u64)? as u16,
            global: a.boolean("global_qos")?,
        }),
        "basic_publish" => {
            let exchange = a.req_string("exchange")?;
            let routing_key = a.req_string("routing_key")?;
            let body = a.string("body")?.unwrap_or_default();
            let mandatory = a.boolean("mandatory")?;
            let properties = properties(step, a.take("properties"))?;
            Some(Method::BasicPublish {
                exchange: exchange.into(),
                routing_key: routing_key.into(),
                mandatory,
                immediate: false,
                properties: Rc::new(properties),
                body: body.into_bytes(),
            })
        }
        "basic_consume" => Some(Method::BasicConsume {
            queue: a.req_string("queue")?,
            no_ack: a.boolean("auto_ack")?,
            exclusive: a.boolean("exclusive")?,
            consumer_tag: a.string("consumer_tag")?.unwrap_or_default(),
            arguments: a.table("arguments")?,
        }),
        "basic_cancel" => Some(Method::BasicCancel {
            consumer_tag: a.string("consumer_tag")?.unwrap_or_default(),
        }),
        "basic_ack" => Some(Method::BasicAck {
            delivery_tag: a.uint("delivery_tag", u64::MAX)?,
            multiple: a.boolean("multiple")?,
        }),
        "basic_nack" => Some(Method::BasicNack {
            delivery_tag: a.uint("delivery_tag", u64::MAX)?,
            multiple: a.boolean("multiple")?,
            requeue: a.boolean_or("requeue", true)?,
        }),
        "basic_reject" => Some(Method::BasicReject {
            delivery_tag: a.uint("delivery_tag", u64::MAX)?,
            requeue: a.boolean_or("requeue", true)?,
        }),
        "basic_get" => Some(Method::BasicGet {
            queue: a.req_string("queue")?,
            no_ack: a.boolean("auto_ack")?,
        }),
        "basic_recover" => Some(Method::BasicRecover {
            requeue: a.boolean("requeue")?,
        }),
        "confirm_select" => Some(Method::ConfirmSelect),
        "channel_close" => Some(Method::ChannelClose),
        _ => None,
    };
    if let Some(m) = m {
        a.finish()?;
        return Ok(Call::Method(m));
    }
    let c = match call {
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

impl Call {
    /// The call's `args` as a scenario file writes them (`Null`: it takes none): what
    /// [`parse_call`] reads back to the same call. Defaults are left out, except where saying
    /// them helps a reader (a publish's `mandatory` and `properties`, a refusal's `requeue`).
    pub fn args_json(&self) -> Value {
        match self {
            Call::Method(
                Method::BasicPublish { .. }
                | Method::BasicAck { .. }
                | Method::BasicNack { .. }
                | Method::BasicReject { .. },
            )
            | Call::Wait { .. }
            | Call::Restart
            | Call::ConnectionClose => self.client_args_json(),
            _ => self.setup_args_json(),
        }
    }

    /// The `args` of what clients send as they run (publishes, acks, waits): the page writes
    /// these as it runs, so they are kept apart from the rest (and small).
    fn client_args_json(&self) -> Value {
        let mut o = Map::new();
        let mut put = |k: &str, v: Value| {
            o.insert(k.to_string(), v);
        };
        match self {
            Call::Method(m) => match m {
                Method::BasicPublish {
                    exchange,
                    routing_key,
                    mandatory,
                    immediate: _,
                    properties,
                    body,
                } => {
                    put("exchange", json!(&**exchange));
                    put("routing_key", json!(&**routing_key));
                    put("body", json!(String::from_utf8_lossy(body)));
                    put("mandatory", json!(mandatory));
                    put("properties", properties_json(properties));
                }
                Method::BasicAck { delivery_tag, multiple } => {
                    put("delivery_tag", json!(delivery_tag));
                    flags(&mut put, &[("multiple", *multiple)]);
                }
                Method::BasicNack {
                    delivery_tag,
                    multiple,
                    requeue,
                } => {
                    put("delivery_tag", json!(delivery_tag));
                    put("requeue", json!(requeue));
                    flags(&mut put, &[("multiple", *multiple)]);
                }
                Method::BasicReject { delivery_tag, requeue } => {
                    put("delivery_tag", json!(delivery_tag));
                    put("requeue", json!(requeue));
                }
                _ => unreachable!("args_json sends only these here"),
            },
            Call::ConnectionClose | Call::Restart => {}
            Call::Wait { ms } => put("ms", json!(ms)),
            _ => unreachable!("args_json sends only these here"),
        }
        if o.is_empty() {
            Value::Null
        } else {
            Value::Object(o)
        }
    }

    /// The `args` of the other calls: declarations, bindings, consumers, operators' commands.
    #[inline(never)]
    fn setup_args_json(&self) -> Value {
        let mut o = Map::new();
        let mut put = |k: &str, v: Value| {
            o.insert(k.to_string(), v);
        };
        let table = |t: &FieldTable| (!t.is_empty()).then(|| table_to_json(t));
        match self {
            Call::Method(m) => match m {
                Method::ExchangeDeclare {
                    exchange,
                    kind,
                    passive,
                    durable,
                    auto_delete,
                    internal,
                    arguments,
                } => {
                    put("exchange", json!(exchange));
                    put("exchange_type", json!(kind));
                    flags(&mut put, &[("passive", *passive), ("durable", *durable)]);
                    flags(&mut put, &[("auto_delete", *auto_delete), ("internal", *internal)]);
                    if let Some(t) = table(arguments) {
                        put("arguments", t);
                    }
                }
                Method::ExchangeDelete { exchange, if_unused } => {
                    put("exchange", json!(exchange));
                    flags(&mut put, &[("if_unused", *if_unused)]);
                }
                Method::ExchangeBind {
                    destination,
                    source,
                    routing_key,
                    arguments,
                }
                | Method::ExchangeUnbind {
                    destination,
                    source,
                    routing_key,
                    arguments,
                } => {
                    put("destination", json!(destination));
                    put("source", json!(source));
                    put("routing_key", json!(routing_key));
                    if let Some(t) = table(arguments) {
                        put("arguments", t);
                    }
                }
                Method::QueueDeclare {
                    queue,
                    passive,
                    durable,
                    exclusive,
                    auto_delete,
                    arguments,
                } => {
                    put("queue", json!(queue));
                    flags(&mut put, &[("passive", *passive), ("durable", *durable)]);
                    flags(&mut put, &[("exclusive", *exclusive), ("auto_delete", *auto_delete)]);
                    if let Some(t) = table(arguments) {
                        put("arguments", t);
                    }
                }
                Method::QueueBind {
                    queue,
                    exchange,
                    routing_key,
                    arguments,
                }
                | Method::QueueUnbind {
                    queue,
                    exchange,
                    routing_key,
                    arguments,
                } => {
                    put("queue", json!(queue));
                    put("exchange", json!(exchange));
                    if routing_key != queue {
                        put("routing_key", json!(routing_key));
                    }
                    if let Some(t) = table(arguments) {
                        put("arguments", t);
                    }
                }
                Method::QueuePurge { queue } => put("queue", json!(queue)),
                Method::QueueDelete {
                    queue,
                    if_unused,
                    if_empty,
                } => {
                    put("queue", json!(queue));
                    flags(&mut put, &[("if_unused", *if_unused), ("if_empty", *if_empty)]);
                }
                Method::BasicQos {
                    prefetch_size,
                    prefetch_count,
                    global,
                } => {
                    if *prefetch_size != 0 {
                        put("prefetch_size", json!(prefetch_size));
                    }
                    put("prefetch_count", json!(prefetch_count));
                    flags(&mut put, &[("global_qos", *global)]);
                }
                Method::BasicConsume {
                    queue,
                    consumer_tag,
                    no_ack,
                    exclusive,
                    arguments,
                } => {
                    put("queue", json!(queue));
                    flags(&mut put, &[("auto_ack", *no_ack), ("exclusive", *exclusive)]);
                    if !consumer_tag.is_empty() {
                        put("consumer_tag", json!(consumer_tag));
                    }
                    if let Some(t) = table(arguments) {
                        put("arguments", t);
                    }
                }
                Method::BasicCancel { consumer_tag } => put("consumer_tag", json!(consumer_tag)),
                Method::BasicGet { queue, no_ack } => {
                    put("queue", json!(queue));
                    flags(&mut put, &[("auto_ack", *no_ack)]);
                }
                Method::BasicRecover { requeue } => flags(&mut put, &[("requeue", *requeue)]),
                Method::ConfirmSelect | Method::ChannelClose => {}
                _ => unreachable!("args_json writes clients' calls with client_args_json"),
            },
            Call::AddUser { user, password } | Call::ChangePassword { user, password } => {
                put("user", json!(user));
                put("password", json!(password));
            }
            Call::DeleteUser { user } => put("user", json!(user)),
            Call::SetUserTags { user, tags } => {
                put("user", json!(user));
                put("tags", json!(tags));
            }
            Call::AddVhost { vhost } | Call::DeleteVhost { vhost } => put("vhost", json!(vhost)),
            Call::SetPermissions {
                vhost,
                user,
                configure,
                write,
                read,
            } => {
                put("vhost", json!(vhost));
                put("user", json!(user));
                put("configure", json!(configure));
                put("write", json!(write));
                put("read", json!(read));
            }
            Call::ClearPermissions { vhost, user } => {
                put("vhost", json!(vhost));
                put("user", json!(user));
            }
            Call::Rabbitmqctl { command } => put("command", json!(command)),
            _ => unreachable!("args_json writes clients' calls with client_args_json"),
        }
        if o.is_empty() {
            Value::Null
        } else {
            Value::Object(o)
        }
    }
}

/// The flags that are set (pika's default for each is `false`).
fn flags(put: &mut impl FnMut(&str, Value), xs: &[(&str, bool)]) {
    for &(k, v) in xs {
        if v {
            put(k, Value::Bool(true));
        }
    }
}

/// A publish's properties as the scenario format writes them (the ones set).
pub fn properties_json(p: &Properties) -> Value {
    let mut m = Map::new();
    let mut s = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            m.insert(k.to_string(), json!(v));
        }
    };
    s("content_type", &p.content_type);
    s("content_encoding", &p.content_encoding);
    s("correlation_id", &p.correlation_id);
    s("reply_to", &p.reply_to);
    s("expiration", &p.expiration);
    s("message_id", &p.message_id);
    s("type", &p.type_);
    s("user_id", &p.user_id);
    s("app_id", &p.app_id);
    if let Some(d) = p.delivery_mode {
        m.insert("delivery_mode".into(), json!(d));
    }
    if let Some(n) = p.priority {
        m.insert("priority".into(), json!(n));
    }
    if let Some(t) = p.timestamp {
        m.insert("timestamp".into(), json!(t));
    }
    if let Some(h) = &p.headers {
        m.insert("headers".into(), table_to_json(h));
    }
    Value::Object(m)
}

/// The AMQP method a scenario's method sends, as pika sends it: `$alias` names resolved with
/// `name` (a queue's name, a publish's key and `reply_to`, and a `queue_bind`'s key where it is
/// the queue's name as written: pika's default), and a consumer without a tag given pika's
/// `ctag<channel>.<hex>` from `pika_tag`. Both the simulated run and the run on a real broker
/// send exactly this.
pub fn resolve(
    method: &Method,
    name: impl Fn(&str) -> Result<String, String>,
    pika_tag: impl FnOnce() -> String,
) -> Result<Method, String> {
    let mut m = method.clone();
    match &mut m {
        Method::QueueBind { queue, routing_key, .. } | Method::QueueUnbind { queue, routing_key, .. } => {
            if routing_key == queue {
                *routing_key = name(routing_key)?;
            }
            *queue = name(queue)?;
        }
        Method::QueueDeclare { queue, .. }
        | Method::QueuePurge { queue }
        | Method::QueueDelete { queue, .. }
        | Method::BasicGet { queue, .. } => *queue = name(queue)?,
        Method::BasicConsume {
            queue, consumer_tag, ..
        } => {
            *queue = name(queue)?;
            if consumer_tag.is_empty() {
                *consumer_tag = pika_tag();
            }
        }
        Method::BasicPublish {
            routing_key,
            properties,
            ..
        } => {
            if routing_key.starts_with('$') {
                *routing_key = name(routing_key)?.into();
            }
            if let Some(r) = properties.reply_to.as_deref().filter(|r| r.starts_with('$')) {
                Rc::make_mut(properties).reply_to = Some(name(r)?);
            }
        }
        _ => {}
    }
    Ok(m)
}
