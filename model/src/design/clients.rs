//! What a design's clients send: the setup steps, each consumer's and producer's own (its queue, its login, its publishes), which connection declares what, and the ways messages take that no link draws (dead letters, RPC replies).

use super::*;
use std::rc::Rc;

impl Design {
    /// The connection that declares (and binds) a queue: for an exclusive queue its first
    /// consumer's, or the RPC client's whose callback queue it is, as in the tutorials (another
    /// connection would get 405 RESOURCE_LOCKED).
    pub fn queue_owner(&self, queue: Id) -> &str {
        let exclusive = matches!(self.node(queue).map(|n| &n.spec), Some(Spec::Queue(q)) if q.exclusive);
        let consumer = || {
            self.links
                .iter()
                .filter(|l| l.from == queue)
                .find_map(|l| self.node(l.to).filter(|c| c.kind() == Kind::Consumer))
                .or_else(|| self.nodes.iter().find(|p| self.reply_queue(p.id) == Some(queue)))
        };
        match exclusive.then(consumer).flatten() {
            Some(c) => &c.name,
            None => "setup",
        }
    }

    /// Whether a producer is an RPC client that reads its own replies, as the tutorial's
    /// `rpc_client.py` does: its `reply_to` is direct reply-to, or a queue of the canvas that no
    /// consumer of the canvas reads (a design whose callback queue has a consumer of its own
    /// keeps it as it was drawn). Such a client makes one call at a time: it publishes a
    /// request, and the next only once the reply with its correlation id is back.
    pub fn reads_replies(&self, producer: Id) -> bool {
        match self.node(producer).map(|n| &n.spec) {
            Some(Spec::Producer(p)) if p.reply_to == DIRECT_REPLY_TO => true,
            Some(Spec::Producer(_)) => self.reply_queue(producer).is_some(),
            _ => false,
        }
    }

    /// The callback queue an RPC client reads itself (see [`Design::reads_replies`]).
    pub fn reply_queue(&self, producer: Id) -> Option<Id> {
        let Some(Spec::Producer(p)) = self.node(producer).map(|n| &n.spec) else {
            return None;
        };
        if p.reply_to.is_empty() || p.reply_to == DIRECT_REPLY_TO {
            return None;
        }
        let q = self.by_name(Kind::Queue, &p.reply_to)?;
        let read = self
            .links
            .iter()
            .any(|l| l.from == q.id && self.node(l.to).is_some_and(|c| c.kind() == Kind::Consumer));
        (!read).then_some(q.id)
    }

    /// The scenario steps that build this design on a broker (JSON, the scenario format).
    pub fn setup_steps(&self) -> Vec<Value> {
        let mut steps = Vec::new();
        const ADMIN: &str = "setup"; // see queue_owner
        for u in &self.users {
            if u.name != "guest" {
                steps.push(json!({"call": "add_user", "args": {"user": u.name, "password": u.password}}));
            }
            steps.push(json!({"call": "set_permissions", "args": {"vhost": "/", "user": u.name,
                "configure": u.configure, "write": u.write, "read": u.read}}));
        }
        for n in &self.nodes {
            if let Spec::Exchange(x) = &n.spec {
                let mut args = serde_json::Map::new();
                if let Some(ae) = x.alternate_exchange.as_ref().filter(|s| !s.is_empty()) {
                    args.insert("alternate-exchange".into(), json!(ae));
                }
                steps.push(json!({"conn": ADMIN, "call": "exchange_declare", "args": {
                    "exchange": n.name, "exchange_type": x.kind, "durable": x.durable, "arguments": args}}));
            }
        }
        for n in &self.nodes {
            if let Spec::Queue(q) = &n.spec {
                let mut args = serde_json::Map::new();
                if let Some(t) = q.message_ttl {
                    args.insert("x-message-ttl".into(), json!(t));
                }
                if let Some(t) = q.max_length {
                    args.insert("x-max-length".into(), json!(t));
                }
                if !q.overflow.is_empty() {
                    args.insert("x-overflow".into(), json!(q.overflow));
                }
                if let Some(x) = &q.dead_letter_exchange {
                    args.insert("x-dead-letter-exchange".into(), json!(x));
                }
                if let Some(k) = &q.dead_letter_routing_key {
                    args.insert("x-dead-letter-routing-key".into(), json!(k));
                }
                if let Some(p) = q.max_priority {
                    args.insert("x-max-priority".into(), json!(p));
                }
                if !q.queue_type.is_empty() {
                    args.insert("x-queue-type".into(), json!(q.queue_type));
                }
                if let Some(n) = q.delivery_limit {
                    args.insert("x-delivery-limit".into(), json!(n));
                }
                let conn = self.queue_owner(n.id);
                let mut step = json!({"conn": conn, "call": "queue_declare", "args": {
                    "queue": if q.server_named { "" } else { n.name.as_str() }, "durable": q.durable,
                    "exclusive": q.exclusive, "auto_delete": q.auto_delete, "arguments": args}});
                if q.server_named {
                    step["as"] = json!(n.name);
                }
                steps.push(step);
            }
        }
        for l in &self.links {
            let (Some(a), Some(b)) = (self.node(l.from), self.node(l.to)) else {
                continue;
            };
            let arguments: serde_json::Map<String, Value> =
                warren_engine::sort::map_of(l.arguments.iter().map(|(k, v)| (k.clone(), json!(v))));
            match (a.kind(), b.kind()) {
                (Kind::Exchange, Kind::Queue) => steps.push(json!({"conn": self.queue_owner(b.id), "call": "queue_bind", "args": {
                    "queue": self.queue_ref(&b.name), "exchange": a.name, "routing_key": l.key, "arguments": arguments}})),
                (Kind::Exchange, Kind::Exchange) => {
                    steps.push(json!({"conn": ADMIN, "call": "exchange_bind", "args": {
                    "destination": b.name, "source": a.name, "routing_key": l.key, "arguments": arguments}}))
                }
                _ => {}
            }
        }
        for n in &self.nodes {
            if let Spec::Producer(p) = &n.spec {
                if p.confirm {
                    steps.push(json!({"conn": n.name, "call": "confirm_select"}));
                }
                if p.reply_to == DIRECT_REPLY_TO {
                    steps.push(json!({"conn": n.name, "call": "basic_consume", "args": {
                        "queue": DIRECT_REPLY_TO, "auto_ack": true, "consumer_tag": n.name}}));
                } else if self.reply_queue(n.id).is_some() {
                    // the RPC client reads its callback queue itself (no-ack), as rpc_client.py does
                    steps.push(json!({"conn": n.name, "call": "basic_consume", "args": {
                        "queue": self.queue_ref(&p.reply_to), "auto_ack": true, "consumer_tag": n.name}}));
                }
            }
        }
        for n in &self.nodes {
            if let Spec::Consumer(c) = &n.spec {
                let Some(q) = self.consumer_queue(n.id) else {
                    continue;
                };
                if c.prefetch > 0 {
                    steps.push(json!({"conn": n.name, "call": "basic_qos", "args": {"prefetch_count": c.prefetch}}));
                }
                steps.push(json!({"conn": n.name, "call": "basic_consume", "args": {
                    "queue": self.queue_ref(&q.name), "auto_ack": c.auto_ack, "consumer_tag": n.name}}));
            }
        }
        steps
    }

    /// What a consumer's own client runs when it starts, as its exported pika script does: its
    /// queue and that queue's bindings declared again (idempotent; the first time, when the
    /// consumer owns the exclusive queue), on its own connection, then its prefetch and its
    /// `basic_consume`. Empty when it is not linked to a queue.
    pub fn consumer_steps(&self, consumer: Id) -> Vec<Value> {
        let (Some(n), Some(q)) = (self.node(consumer), self.consumer_queue(consumer)) else {
            return Vec::new();
        };
        let Spec::Consumer(c) = &n.spec else {
            return Vec::new();
        };
        let qref = self.queue_ref(&q.name);
        let mut steps: Vec<Value> = self
            .setup_steps()
            .into_iter()
            .filter(|s| {
                (s["call"] == "queue_declare" && (s["args"]["queue"] == q.name.as_str() || s["as"] == q.name.as_str()))
                    || (s["call"] == "queue_bind" && s["args"]["queue"] == qref.as_str())
            })
            .map(|mut s| {
                s["conn"] = json!(n.name);
                s
            })
            .collect();
        if c.prefetch > 0 {
            steps.push(json!({"conn": n.name, "call": "basic_qos", "args": {"prefetch_count": c.prefetch}}));
        }
        steps.push(json!({"conn": n.name, "call": "basic_consume", "args": {
            "queue": qref, "auto_ack": c.auto_ack, "consumer_tag": n.name}}));
        steps
    }

    /// The ways messages take that no link of the canvas draws: a queue's dead letters to its
    /// dead-letter exchange (or, through the default exchange, to the queue its dead-letter
    /// routing key names), and an RPC server's replies to each requester's reply queue (or, by
    /// direct reply-to, to the requester itself). (from, to, kind), in canvas order.
    pub fn implied_paths(&self) -> Vec<(Id, Id, Implied)> {
        let mut out = Vec::new();
        for q in &self.nodes {
            let Spec::Queue(spec) = &q.spec else {
                continue;
            };
            let to = match spec.dead_letter_exchange.as_deref() {
                None => None,
                Some("") => spec
                    .dead_letter_routing_key
                    .as_deref()
                    .and_then(|k| self.by_name(Kind::Queue, k)),
                Some(x) => self.by_name(Kind::Exchange, x),
            };
            if let Some(to) = to {
                out.push((q.id, to.id, Implied::DeadLetter));
            }
        }
        for server in &self.nodes {
            let (Spec::Consumer(c), Some(queue)) = (&server.spec, self.consumer_queue(server.id)) else {
                continue;
            };
            if !c.reply {
                continue;
            }
            for p in &self.nodes {
                let Spec::Producer(pp) = &p.spec else {
                    continue;
                };
                let reaches = match self.producer_target(p.id) {
                    Some((x, key)) if x.is_empty() => self.queue_ref(&queue.name) == key,
                    Some((x, _)) => self
                        .by_name(Kind::Exchange, &x)
                        .is_some_and(|x| self.links.iter().any(|l| l.from == x.id && l.to == queue.id)),
                    None => false,
                };
                if !reaches || pp.reply_to.is_empty() {
                    continue;
                }
                let to = if pp.reply_to == DIRECT_REPLY_TO {
                    Some(p)
                } else {
                    self.by_name(Kind::Queue, &pp.reply_to)
                };
                if let Some(to) = to {
                    if !out.iter().any(|e| e.0 == server.id && e.1 == to.id) {
                        out.push((server.id, to.id, Implied::Reply));
                    }
                }
            }
        }
        for p in &self.nodes {
            if let Some(q) = self.reply_queue(p.id) {
                out.push((q, p.id, Implied::ReadsReplies));
            }
        }
        out
    }

    /// The `basic_publish` step for a producer's message number `n` (None if it is not linked).
    pub fn publish_step(&self, producer: Id, n: u64) -> Option<Value> {
        self.publish_call(producer, n).map(|st| crate::steps::step_json(&st))
    }

    /// The `n`th publish of a producer as the engine's step (what the page sends the engine;
    /// [`Design::publish_step`] is its JSON form), without the connection's login.
    pub fn publish_call(&self, producer: Id, n: u64) -> Option<Step> {
        let node = self.node(producer)?;
        let Spec::Producer(p) = &node.spec else {
            return None;
        };
        let (exchange, routing_key) = self.producer_target(producer)?;
        let fill = |s: &str| s.replace("{n}", &n.to_string());
        let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let properties = warren_engine::message::Properties {
            delivery_mode: p.persistent.then_some(2),
            correlation_id: nonempty(&fill(&p.correlation_id)),
            reply_to: (!p.reply_to.is_empty()).then(|| self.queue_ref(&p.reply_to)),
            expiration: nonempty(&p.expiration),
            priority: p.priority,
            headers: (!p.headers.is_empty()).then(|| match p.headers.write() {
                Value::Object(o) => warren_engine::field::table_from_json(&o).unwrap_or_default(),
                _ => Default::default(),
            }),
            ..Default::default()
        };
        Some(crate::steps::on(
            &node.name,
            warren_engine::scenario::Call::Method(warren_engine::method::Method::BasicPublish {
                exchange: exchange.into(),
                routing_key: routing_key.into(),
                body: fill(&p.body).into_bytes(),
                mandatory: p.mandatory,
                immediate: false,
                properties: Rc::new(properties),
            }),
        ))
    }

    /// A producer's [`crate::steps::Publisher`]: its messages' frames, made without a step
    /// each (each the frame of [`Design::publish_call`] for its number).
    pub fn publisher(&self, producer: Id) -> Option<crate::steps::Publisher> {
        let Spec::Producer(p) = &self.node(producer)?.spec else {
            return None;
        };
        crate::steps::Publisher::new(self.publish_call(producer, 0)?, &p.body, &p.correlation_id)
    }

    /// The login a step on connection `conn` opens it with (a producer's or consumer's user).
    pub fn login(&self, conn: &str) -> warren_engine::scenario::Login {
        match self.login_of(conn) {
            Some((user, password)) => warren_engine::scenario::Login {
                user: Some(user.to_string()),
                password: Some(password.to_string()),
                vhost: None,
            },
            None => Default::default(),
        }
    }

    /// The user and password a producer's or consumer's connection (named `conn`) logs in
    /// with, when it is not guest.
    pub fn login_of(&self, conn: &str) -> Option<(&str, &str)> {
        self.nodes.iter().find_map(|n| match &n.spec {
            Spec::Producer(Producer { user, password, .. }) | Spec::Consumer(Consumer { user, password, .. })
                if n.name == conn && !user.is_empty() =>
            {
                Some((user.as_str(), password.as_str()))
            }
            _ => None,
        })
    }

    /// `step` with the `user` and `password` its connection logs in with (scenario format
    /// extension), if its actor is not guest.
    pub fn with_login(&self, mut step: Value) -> Value {
        let login = step["conn"].as_str().and_then(|c| self.login_of(c));
        if let (Some((user, password)), Some(o)) = (login, step.as_object_mut()) {
            o.insert("user".into(), json!(user));
            o.insert("password".into(), json!(password));
        }
        step
    }
}
