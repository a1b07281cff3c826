//! The steps the simulated clients send, typed: a publish, an ack, a wait are built as the
//! engine's [`Step`]s and handed to it as they are (no JSON between the page and the engine).
//! Their JSON form (the scenario format) is written only when a file asks for it
//! ([`step_json`]), and read back to the same step ([`step_of`]).

use serde_json::{json, Map, Value};
use warren_engine::field::table_to_json;
use warren_engine::message::Properties;
use warren_engine::scenario::{Call, Login, Scenario, Step};

/// The engine's step for a scenario step written as JSON (a design's setup, a file's step).
pub fn step_of(v: Value) -> Result<Step, String> {
    let sc = Scenario::from_json(json!({ "steps": [v] })).map_err(|e| e.to_string())?;
    Ok(sc.steps.into_iter().next().expect("one step"))
}

/// A step on connection `conn`'s channel 1, as a client sends it.
pub fn on(conn: &str, call: Call) -> Step {
    Step {
        conn: conn.to_string(),
        ch: 1,
        call,
        alias: None,
        login: Login::default(),
    }
}

/// Simulated time passes (`wait`; it takes no connection).
pub fn wait(ms: u64) -> Step {
    on("A", Call::Wait { ms })
}

/// The JSON form of a step a client sends (the calls this module builds: `basic_publish`,
/// `basic_ack`, `basic_nack`, `basic_reject`, `connection_close`, `wait`, `restart`), as a
/// scenario file writes it; [`step_of`] reads it back to the same step. Other calls come from
/// JSON in the first place and are kept as they came.
pub fn step_json(st: &Step) -> Value {
    let args = match &st.call {
        Call::Wait { ms } => return json!({"call": "wait", "args": {"ms": ms}}),
        Call::Restart => return json!({"call": "restart"}),
        Call::BasicPublish {
            exchange,
            routing_key,
            body,
            mandatory,
            properties,
        } => json!({"exchange": exchange, "routing_key": routing_key, "body": body,
            "mandatory": mandatory, "properties": properties_json(properties)}),
        Call::BasicAck { delivery_tag, multiple } => {
            let mut a = json!({"delivery_tag": delivery_tag});
            if *multiple {
                a["multiple"] = json!(true);
            }
            a
        }
        Call::BasicNack {
            delivery_tag,
            multiple,
            requeue,
        } => {
            let mut a = json!({"delivery_tag": delivery_tag, "requeue": requeue});
            if *multiple {
                a["multiple"] = json!(true);
            }
            a
        }
        Call::BasicReject { delivery_tag, requeue } => json!({"delivery_tag": delivery_tag, "requeue": requeue}),
        Call::ConnectionClose => Value::Null,
        other => unreachable!("{} is not a call the simulated clients build", other.name()),
    };
    let mut o = Map::new();
    o.insert("conn".into(), json!(st.conn));
    if st.ch != 1 {
        o.insert("ch".into(), json!(st.ch));
    }
    o.insert("call".into(), json!(st.call.name()));
    if !args.is_null() {
        o.insert("args".into(), args);
    }
    for (k, v) in [
        ("user", &st.login.user),
        ("password", &st.login.password),
        ("vhost", &st.login.vhost),
    ] {
        if let Some(v) = v {
            o.insert(k.into(), json!(v));
        }
    }
    Value::Object(o)
}

/// A publish's properties as the scenario format writes them (the ones set).
fn properties_json(p: &Properties) -> Value {
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
