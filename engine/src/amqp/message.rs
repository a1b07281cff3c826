//! Messages: the basic properties a client sets, and the message a queue holds.

use crate::field::{FieldTable, FieldValue};
use std::rc::Rc;

pub use crate::name::Name;

/// Identifies one published message (dead-lettering makes a new one, see `Event::DeadLettered`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MsgId(pub u64);

/// `basic` content properties, as pika names them. Unset properties are `None`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Properties {
    pub content_type: Option<String>,
    pub content_encoding: Option<String>,
    pub headers: Option<FieldTable>,
    pub delivery_mode: Option<u8>,
    pub priority: Option<u8>,
    pub correlation_id: Option<String>,
    pub reply_to: Option<String>,
    pub expiration: Option<String>,
    pub message_id: Option<String>,
    pub timestamp: Option<u64>,
    pub type_: Option<String>,
    pub user_id: Option<String>,
    pub app_id: Option<String>,
    /// Not a property: a dead letter's, the size of the properties its publisher encoded
    /// ([`Properties::encoded_len`] of those), kept when its own changed. 4.x weighs a dead letter
    /// as it was published, its deaths being annotations, not headers (`broker/overflow.rs`).
    /// None: these are the published ones.
    pub published_len: Option<u32>,
}

impl Properties {
    /// Their size on the wire, as a content header carries them: the property flags (two
    /// bytes), then each property set (short strings, octets, a timestamp, the headers table).
    /// A 4.x quorum queue counts it with the body against `x-max-length-bytes`.
    pub fn encoded_len(&self) -> u64 {
        let short = |s: &Option<String>| s.as_ref().map_or(0, |s| 1 + s.len() as u64);
        let octet = |o: Option<u8>| o.map_or(0, |_| 1);
        2 + short(&self.content_type)
            + short(&self.content_encoding)
            + self.headers.as_ref().map_or(0, crate::field::table_encoded_len)
            + octet(self.delivery_mode)
            + octet(self.priority)
            + short(&self.correlation_id)
            + short(&self.reply_to)
            + short(&self.expiration)
            + short(&self.message_id)
            + self.timestamp.map_or(0, |_| 8)
            + short(&self.type_)
            + short(&self.user_id)
            + short(&self.app_id)
    }

    /// `delivery_mode` 2: the message survives a restart in a durable queue.
    pub fn persistent(&self) -> bool {
        self.delivery_mode == Some(2)
    }

    /// The properties that are set, as pika shows them (`headers` with `x-death` entries without
    /// their `time`, as the reference recorder writes them).
    pub fn to_trace_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        let mut s = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                m.insert(k.to_string(), serde_json::Value::String(v.clone()));
            }
        };
        s("content_type", &self.content_type);
        s("correlation_id", &self.correlation_id);
        s("reply_to", &self.reply_to);
        s("expiration", &self.expiration);
        s("message_id", &self.message_id);
        s("type", &self.type_);
        s("app_id", &self.app_id);
        if let Some(d) = self.delivery_mode {
            m.insert("delivery_mode".into(), d.into());
        }
        if let Some(p) = self.priority {
            m.insert("priority".into(), p.into());
        }
        if let Some(h) = &self.headers {
            let mut t = serde_json::Map::new();
            for (k, v) in h {
                let j = if k == "x-death" {
                    match v {
                        FieldValue::Array(entries) => serde_json::Value::Array(
                            entries
                                .iter()
                                .map(|e| match e {
                                    FieldValue::Table(t) => serde_json::Value::Object(crate::sort::map_of(
                                        t.iter()
                                            .filter(|(k, _)| *k != "time")
                                            .map(|(k, v)| (k.clone(), v.to_json())),
                                    )),
                                    other => other.to_json(),
                                })
                                .collect(),
                        ),
                        other => other.to_json(),
                    }
                } else {
                    v.to_json()
                };
                t.insert(k.clone(), j);
            }
            m.insert("headers".into(), serde_json::Value::Object(t));
        }
        serde_json::Value::Object(m)
    }
}

/// A message as the broker holds it: where it was published, with which routing keys (the first
/// is the publish's routing key, then the `CC` and `BCC` keys), its properties and body.
///
/// The keys and properties are shared: messages published one after another with the same key
/// and the same properties hold one copy of each (a waiting message costs about 150 bytes
/// beyond its body; `scripts/bench.sh` measures it).
#[derive(Clone, Debug)]
pub struct Message {
    pub id: MsgId,
    pub exchange: Name,
    pub routing_keys: Rc<[Name]>,
    pub properties: Rc<Properties>,
    /// (A boxed slice: eight bytes in wasm, not a `Vec`'s twelve, and a message is 32.)
    pub body: Box<[u8]>,
}

impl Message {
    /// The size of its properties as its publisher encoded them ([`Properties::published_len`]).
    #[inline(never)]
    pub fn meta(&self) -> u64 {
        match self.properties.published_len {
            Some(n) => n as u64,
            None => self.properties.encoded_len(),
        }
    }

    /// The routing key a delivery shows: the publish's own key.
    pub fn routing_key(&self) -> &Name {
        &self.routing_keys[0]
    }
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Entry {
    /// The instant the message expires at, if it does.
    pub fn expires_at(&self) -> Option<u64> {
        (self.expires != u64::MAX).then_some(self.expires)
    }
}

/// A message in one queue: shared content plus this queue's bookkeeping.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Position in the queue (requeued messages go back to it).
    pub seq: u64,
    pub msg: Rc<Message>,
    /// Simulated instant (ms) at and after which the message is expired; `u64::MAX`: never
    /// (eight bytes, not an `Option`'s sixteen: a queue holds many entries). See
    /// [`Entry::expires_at`].
    pub expires: u64,
    /// Delivered before: the next delivery has `redelivered = true`.
    pub delivered: bool,
    /// Priority level in a priority queue (0 otherwise).
    pub level: u8,
    /// Times delivered and returned (quorum queues report it as `x-delivery-count`; in 4.x only
    /// the returns of a nack or reject with requeue count: see `broker/acks.rs`).
    pub delivery_count: u16,
    /// 4.x: times delivered and returned for any reason (`x-acquired-count`).
    pub acquired_count: u16,
}

#[cfg(test)]
mod tests {
    use super::Properties;
    use crate::field::FieldValue;

    /// The sizes real pika 1.3.2 encodes (`len(b''.join(BasicProperties(...).encode()))`).
    #[test]
    fn properties_weigh_what_pika_encodes() {
        assert_eq!(Properties::default().encoded_len(), 2);
        let headers = serde_json::json!({"a": 1, "bb": "xyz", "c": true, "d": 1u64 << 40,
            "e": [1, "s"], "f": {"g": null}});
        let Ok(FieldValue::Table(headers)) = FieldValue::from_json(&headers) else {
            panic!("a table")
        };
        let text = |s: &str| Some(s.to_string());
        let p = Properties {
            content_type: text("text/plain"),
            headers: Some(headers),
            delivery_mode: Some(2),
            priority: Some(3),
            correlation_id: text("c1"),
            reply_to: text("amq.rabbitmq.reply-to"),
            expiration: text("1000"),
            message_id: text("m"),
            timestamp: Some(5),
            type_: text("t"),
            user_id: text("guest"),
            app_id: text("app"),
            ..Properties::default()
        };
        assert_eq!(p.encoded_len(), 132);
    }
}
