//! The steps the simulated clients send, typed: a publish, an ack, a wait are built as the
//! engine's [`Step`]s and handed to it as they are (no JSON between the page and the engine).
//! Their JSON form (the scenario format) is written only when a file asks for it
//! ([`step_json`]), and read back to the same step ([`step_of`]).

use serde_json::{json, Map, Value};
use std::rc::Rc;
use warren_engine::message::Properties;
use warren_engine::method::Method;
use warren_engine::scenario::{Call, Login, Scenario, Step};
use warren_engine::Name;

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

/// The JSON form of a step, as a scenario file writes it; [`step_of`] reads it back to the same
/// step.
pub fn step_json(st: &Step) -> Value {
    let args = st.call.args_json();
    let mut o = Map::new();
    o.insert("conn".into(), json!(st.conn));
    if st.ch != 1 {
        o.insert("ch".into(), json!(st.ch));
    }
    o.insert("call".into(), json!(st.call.name()));
    if !args.is_null() {
        o.insert("args".into(), args);
    }
    if let Some(a) = &st.alias {
        o.insert("as".into(), json!(a));
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

/// A step on its way from a client to the broker, kept small: a burst of 10,000 publishes is as
/// many frames at once (the engine's [`Step`] is about 500 bytes before its strings; a frame
/// about 40, its body apart). A publish's names are the engine's (made once, when it is sent)
/// and its properties shared with the producer's other messages.
#[derive(Clone, Debug, PartialEq)]
pub enum Frame {
    Publish {
        conn: Name,
        exchange: Name,
        routing_key: Name,
        body: Box<str>,
        mandatory: bool,
        properties: Rc<Properties>,
    },
    Ack {
        conn: Name,
        delivery_tag: u64,
    },
    Refuse {
        conn: Name,
        delivery_tag: u64,
        requeue: bool,
        /// `basic_nack` (else `basic_reject`).
        nack: bool,
    },
    Other(Box<Step>),
}

impl Frame {
    /// The frame of a step a client sends (without its login: the simulation adds it).
    pub fn of(st: Step) -> Frame {
        let conn = || Name::from(st.conn.as_str());
        match st.call {
            Call::Method(Method::BasicPublish {
                exchange,
                routing_key,
                body,
                mandatory,
                immediate: false,
                properties,
            }) if st.ch == 1 && st.alias.is_none() => Frame::Publish {
                conn: conn(),
                exchange,
                routing_key,
                body: String::from_utf8(body)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
                    .into_boxed_str(),
                mandatory,
                properties,
            },
            Call::Method(Method::BasicAck {
                delivery_tag,
                multiple: false,
            }) if st.ch == 1 => Frame::Ack {
                conn: conn(),
                delivery_tag,
            },
            Call::Method(Method::BasicNack {
                delivery_tag,
                multiple: false,
                requeue,
            }) if st.ch == 1 => Frame::Refuse {
                conn: conn(),
                delivery_tag,
                requeue,
                nack: true,
            },
            Call::Method(Method::BasicReject { delivery_tag, requeue }) if st.ch == 1 => Frame::Refuse {
                conn: conn(),
                delivery_tag,
                requeue,
                nack: false,
            },
            call => Frame::Other(Box::new(Step { call, ..st })),
        }
    }

    /// The step again, as a scenario has it.
    pub fn step(self) -> Step {
        match self {
            Frame::Publish {
                conn,
                exchange,
                routing_key,
                body,
                mandatory,
                properties,
            } => on(
                &conn,
                Call::Method(Method::BasicPublish {
                    exchange,
                    routing_key,
                    body: body.into_boxed_bytes().into_vec(),
                    mandatory,
                    immediate: false,
                    properties,
                }),
            ),
            Frame::Ack { conn, delivery_tag } => on(
                &conn,
                Call::Method(Method::BasicAck {
                    delivery_tag,
                    multiple: false,
                }),
            ),
            Frame::Refuse {
                conn,
                delivery_tag,
                requeue,
                nack: true,
            } => on(
                &conn,
                Call::Method(Method::BasicNack {
                    delivery_tag,
                    multiple: false,
                    requeue,
                }),
            ),
            Frame::Refuse {
                conn,
                delivery_tag,
                requeue,
                nack: false,
            } => on(&conn, Call::Method(Method::BasicReject { delivery_tag, requeue })),
            Frame::Other(st) => *st,
        }
    }

    /// The engine's method for the frame, on channel 1 of its connection `.0`, when it needs no
    /// more than the frame says (no queue named by a `$alias` to look up, not a step of another
    /// kind): what the simulation hands the broker as it is. Otherwise the frame back.
    pub fn into_method(self) -> Result<(Name, Method), Frame> {
        match self {
            Frame::Publish {
                conn,
                exchange,
                routing_key,
                body,
                mandatory,
                properties,
            } if !routing_key.starts_with('$') && !properties.reply_to.as_ref().is_some_and(|r| r.starts_with('$')) => {
                Ok((
                    conn,
                    Method::BasicPublish {
                        exchange,
                        routing_key,
                        mandatory,
                        immediate: false,
                        properties,
                        body: body.into_boxed_bytes().into_vec(),
                    },
                ))
            }
            Frame::Ack { conn, delivery_tag } => Ok((
                conn,
                Method::BasicAck {
                    delivery_tag,
                    multiple: false,
                },
            )),
            Frame::Refuse {
                conn,
                delivery_tag,
                requeue,
                nack: true,
            } => Ok((
                conn,
                Method::BasicNack {
                    delivery_tag,
                    multiple: false,
                    requeue,
                },
            )),
            Frame::Refuse {
                conn,
                delivery_tag,
                requeue,
                nack: false,
            } => Ok((conn, Method::BasicReject { delivery_tag, requeue })),
            other => Err(other),
        }
    }
}

/// What a producer publishes, made once and used for each of its messages (the page's hot
/// road: a click is a frame filled in from this, not a step built and taken apart again).
#[derive(Clone, Debug)]
pub struct Publisher {
    conn: Name,
    exchange: Name,
    routing_key: Name,
    body: Numbered,
    mandatory: bool,
    properties: Rc<Properties>,
    /// The correlation id, when it numbers its messages (`{n}`): each message's own.
    correlation_id: Option<Numbered>,
}

/// A text with `{n}` in it, split there once and filled in with each message's number.
#[derive(Clone, Debug)]
struct Numbered {
    /// The text around each `{n}` (one more than there are `{n}`).
    parts: Box<[Box<str>]>,
    /// Their length together.
    len: usize,
}

impl Numbered {
    fn new(s: &str) -> Numbered {
        Numbered {
            parts: s.split("{n}").map(Box::from).collect(),
            len: s.len() - 3 * s.matches("{n}").count(),
        }
    }

    /// The text with `n` where `{n}` was.
    fn fill(&self, n: u64) -> String {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut v = n;
        loop {
            i -= 1;
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        let digits = std::str::from_utf8(&buf[i..]).unwrap_or_default();
        let mut out = String::with_capacity(self.len + digits.len() * (self.parts.len() - 1));
        let mut parts = self.parts.iter();
        out.push_str(parts.next().map_or("", |p| p));
        for p in parts {
            out.push_str(digits);
            out.push_str(p);
        }
        out
    }
}

impl Publisher {
    /// A producer's publisher, from its step for message `0` and its body and correlation id
    /// as written (with `{n}`).
    pub fn new(publish: Step, body: &str, correlation_id: &str) -> Option<Publisher> {
        let Call::Method(Method::BasicPublish {
            exchange,
            routing_key,
            mandatory,
            properties,
            ..
        }) = publish.call
        else {
            return None;
        };
        Some(Publisher {
            conn: Name::from(publish.conn.as_str()),
            exchange,
            routing_key,
            body: Numbered::new(body),
            mandatory,
            properties,
            correlation_id: correlation_id.contains("{n}").then(|| Numbered::new(correlation_id)),
        })
    }

    /// The frame of its message number `n` (with another routing key, if `key`).
    pub fn frame(&self, n: u64, key: Option<&str>) -> Frame {
        let properties = match &self.correlation_id {
            Some(c) => Rc::new(Properties {
                correlation_id: Some(c.fill(n)),
                ..(*self.properties).clone()
            }),
            None => self.properties.clone(),
        };
        Frame::Publish {
            conn: self.conn.clone(),
            exchange: self.exchange.clone(),
            routing_key: key.map_or_else(|| self.routing_key.clone(), Name::from),
            body: self.body.fill(n).into_boxed_str(),
            mandatory: self.mandatory,
            properties,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Numbered;

    #[test]
    fn a_numbered_text_is_filled_in_where_n_was() {
        for (text, n, filled) in [
            ("Hello {n}", 0, "Hello 0"),
            ("{n}", 1_234_567, "1234567"),
            ("task {n}.{n}", 42, "task 42.42"),
            ("no number", 7, "no number"),
            ("", 7, ""),
            ("{n}{n}", u64::MAX, "1844674407370955161518446744073709551615"),
            ("关于{n}号", 3, "关于3号"),
        ] {
            let got = Numbered::new(text).fill(n);
            assert_eq!(got, filled, "{text:?} with {n}");
            assert_eq!(got.capacity(), got.len(), "made at its size: {text:?}");
        }
    }
}
