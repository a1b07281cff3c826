//! A design in and out of files: scenario files (with the canvas extension), plain scenarios and RabbitMQ definitions imported as a topology, definitions out.

use super::*;

impl Design {
    /// The scenario file for this design: setup and one publish per producer as `steps`, the
    /// canvas under `"canvas"`.
    pub fn to_scenario(&self) -> Value {
        let mut steps = self.setup_steps();
        for n in &self.nodes {
            if let Some(s) = self.publish_step(n.id, 1) {
                steps.push(s);
            }
        }
        let steps: Vec<Value> = steps.into_iter().map(|s| self.with_login(s)).collect();
        let mut canvas = self.write();
        let c = canvas.as_object_mut().expect("an object");
        c.remove("name");
        c.remove("seed");
        c.remove("rabbitmq");
        c.insert("version".into(), json!(CANVAS_VERSION));
        json!({"name": self.name, "seed": self.seed, "rabbitmq": self.rabbitmq.as_str(), "steps": steps, "canvas": canvas})
    }

    /// Read a scenario file: its `"canvas"` if it has one, else the topology its steps build
    /// (run on the engine), laid out tidily. Errors say what and where.
    pub fn from_scenario(text: &str) -> Result<Design, String> {
        Design::from_scenario_value(parse_json(text)?)
    }

    /// [`Design::from_scenario`] for a document already parsed (a share link, imported
    /// definitions).
    pub fn from_scenario_value(raw: Value) -> Result<Design, String> {
        let sc = warren_engine::scenario::Scenario::from_json(raw).map_err(|e| e.to_string())?;
        Design::of_canvas(&sc).unwrap_or_else(|| Ok(import_topology(&sc)))
    }

    /// A scenario document's design if it has a `"canvas"`; else the document itself, whose
    /// topology is imported by running it ([`Design::import`], which the page leaves to its tools
    /// worker). The scenario is checked either way.
    pub(super) fn opened(raw: Value) -> Result<Opened, String> {
        let sc = warren_engine::scenario::Scenario::from_json(raw).map_err(|e| e.to_string())?;
        match Design::of_canvas(&sc) {
            Some(d) => d.map(|d| Opened::Design(d, sc.raw.get("run").cloned())),
            None => Ok(Opened::Import(sc.raw)),
        }
    }

    /// The design in a scenario's `"canvas"`, with the scenario's name and seed; none without one.
    pub(super) fn of_canvas(sc: &warren_engine::scenario::Scenario) -> Option<Result<Design, String>> {
        let canvas = sc.raw.get("canvas")?;
        let version = canvas.get("version").and_then(Value::as_u64).unwrap_or(1);
        if version > CANVAS_VERSION as u64 {
            return Some(Err(format!(
                "this file was made by a newer Warren (canvas version {version}; this one reads up to {CANVAS_VERSION})"
            )));
        }
        let mut c = canvas.clone();
        if let Some(o) = c.as_object_mut() {
            o.insert("name".into(), json!(sc.name));
            o.insert("seed".into(), json!(sc.seed));
            // the scenario's version (none: made for 3.10)
            match sc.rabbitmq {
                Some(v) => o.insert("rabbitmq".into(), json!(v.as_str())),
                None => o.remove("rabbitmq"),
            };
        }
        Some(Design::from_canvas(c))
    }

    /// A design as the page saves it (the `canvas` of a scenario file, with its name and seed),
    /// checked.
    pub fn from_canvas(c: Value) -> Result<Design, String> {
        let d = Design::read(&c).map_err(|e| format!("canvas: {e}"))?;
        d.check()?;
        Ok(d)
    }

    /// Read a file the user loads: a scenario (with or without `"canvas"`) or RabbitMQ
    /// definitions (`rabbitmqctl export_definitions`, the management API). The notes say what
    /// definitions held that a canvas cannot (users, policies…).
    pub fn from_file(text: &str) -> Result<(Design, Vec<String>), String> {
        match Design::open(text)? {
            Opened::Design(d, _) => Ok((d, Vec::new())),
            Opened::Import(v) => Design::import(&v),
        }
    }

    /// [`Design::from_file`] up to an import (definitions, or a scenario without a canvas), which
    /// the page has its tools worker make ([`crate::tools`]).
    pub fn open(text: &str) -> Result<Opened, String> {
        Design::open_value(parse_json(text)?)
    }

    /// [`Design::open`] for a document already parsed (a share link).
    pub fn open_value(v: Value) -> Result<Opened, String> {
        if is_definitions(&v) {
            return Ok(Opened::Import(v));
        }
        Design::opened(v)
    }

    /// The design of RabbitMQ definitions or of a scenario without a canvas (its topology after
    /// running it), and what definitions held that a canvas cannot.
    pub fn import(v: &Value) -> Result<(Design, Vec<String>), String> {
        if is_definitions(v) {
            return Design::from_definitions(v);
        }
        Design::from_scenario_value(v.clone()).map(|d| (d, Vec::new()))
    }

    /// The topology of RabbitMQ definitions, and what they held that a canvas cannot.
    pub fn from_definitions(v: &Value) -> Result<(Design, Vec<String>), String> {
        let imported =
            warren_engine::definitions::import(v, "Imported definitions").map_err(|e| format!("definitions: {e}"))?;
        let d = Design::from_scenario_value(imported.scenario)?;
        Ok((d, imported.left_out))
    }

    /// The RabbitMQ definitions of this design (what `rabbitmqctl export_definitions` would print
    /// after its setup ran): to load a designed topology into a real broker.
    pub fn definitions(&self) -> Result<Value, String> {
        let sc = warren_engine::scenario::Scenario::from_json(json!({"name": self.name, "seed": self.seed,
            "steps": self.setup_steps()}))
        .map_err(|e| e.to_string())?;
        warren_engine::definitions::of_scenario(&sc).map_err(|e| e.to_string())
    }

    /// Ids unique, links between existing nodes, names unique per kind.
    pub(super) fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::BTreeSet::new();
        for n in &self.nodes {
            if !seen.insert(n.id) {
                return Err(format!("canvas: two nodes have id {}", n.id));
            }
            check_name(n.kind(), &n.name).map_err(|e| format!("canvas: node {}: {e}", n.id))?;
            if !self.name_free(n.kind(), &n.name, Some(n.id)) {
                return Err(format!("canvas: two {}s are called '{}'", n.kind().name(), n.name));
            }
        }
        for (i, l) in self.links.iter().enumerate() {
            if self.node(l.from).is_none() || self.node(l.to).is_none() {
                return Err(format!("canvas: link {i} joins a node that is not there"));
            }
        }
        Ok(())
    }

    /// One line per node and link, for tests and the screen-reader summary.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        for n in &self.nodes {
            let _ = writeln!(s, "{} {}", n.kind().name(), n.name);
        }
        for l in &self.links {
            if let (Some(a), Some(b)) = (self.node(l.from), self.node(l.to)) {
                let _ = writeln!(s, "{} -> {} [{}]", a.name, b.name, l.key);
            }
        }
        s
    }
}

/// A file the user opened: a design, or a document whose topology is still to import (RabbitMQ
/// definitions, or a scenario without a canvas).
#[derive(Debug)]
pub enum Opened {
    /// A design, with the file's `"run"` if it has one ([`crate::runfile`]).
    Design(Design, Option<Value>),
    Import(Value),
}

/// RabbitMQ definitions, not a scenario: no steps, and queues, exchanges or bindings.
pub(super) fn is_definitions(v: &Value) -> bool {
    v.get("steps").is_none() && ["queues", "exchanges", "bindings"].iter().any(|k| v.get(k).is_some())
}

/// A file's text as JSON, or where it stops being JSON.
pub(super) fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text)
        .map_err(|e| format!("this file is not JSON (line {}, column {}): {e}", e.line(), e.column()))
}

/// The topology a plain scenario builds: run it on the engine and read the broker.
pub(super) fn import_topology(sc: &warren_engine::scenario::Scenario) -> Design {
    use warren_engine::method::Method;
    use warren_engine::scenario::Call;
    let rabbitmq = sc.rabbitmq.unwrap_or(Version::V3_10);
    let mut r = warren_engine::trace::Runner::with_version(sc.seed, rabbitmq);
    for (i, st) in sc.steps.iter().enumerate() {
        // a step that fails is the scenario's business; the topology is what the broker holds
        let _ = r.step(i, st);
    }
    let mut d = Design {
        name: sc.name.clone(),
        seed: sc.seed,
        rabbitmq,
        ..Design::default()
    };
    let ids = broker_nodes(&r, &mut d);
    let add = add_node;
    for (_, c) in r.broker().connections() {
        for chan in c.channels.values() {
            for (tag, cons) in &chan.consumers {
                let name = tag.to_string();
                if !d.name_free(Kind::Consumer, &name, None) {
                    continue;
                }
                let spec = Consumer {
                    prefetch: cons.prefetch,
                    auto_ack: cons.no_ack,
                    ..Consumer::default()
                };
                let id = add(&mut d, &name, Spec::Consumer(spec));
                if let Some(&q) = ids.get(&(Kind::Queue, cons.queue.to_string())) {
                    d.links.push(Link {
                        from: q,
                        to: id,
                        key: String::new(),
                        arguments: VecMap::new(),
                    });
                }
            }
        }
    }
    // producers: each connection that published, with its last message that went somewhere the
    // canvas has (an exchange or, through the default exchange, a queue), else its last message
    let target_of = |exchange: &str, key: &str| -> Option<Id> {
        if exchange.is_empty() {
            let real = key
                .strip_prefix('$')
                .and_then(|a| r.aliases().get(a).cloned())
                .unwrap_or_else(|| key.to_string());
            ids.get(&(Kind::Queue, real)).copied()
        } else {
            ids.get(&(Kind::Exchange, exchange.to_string())).copied()
        }
    };
    let mut chosen: VecMap<String, (String, String, Option<Id>)> = VecMap::new();
    for st in &sc.steps {
        if let Call::Method(Method::BasicPublish {
            exchange,
            routing_key,
            body,
            ..
        }) = &st.call
        {
            let target = target_of(exchange, routing_key);
            let keep = chosen.get(&st.conn).is_some_and(|c| c.2.is_some() && target.is_none());
            if !keep {
                let body = String::from_utf8_lossy(body).into_owned();
                chosen.insert(st.conn.clone(), (routing_key.to_string(), body, target));
            }
        }
    }
    for (conn, (key, body, target)) in chosen {
        if !d.name_free(Kind::Producer, &conn, None) {
            continue;
        }
        let spec = Producer {
            routing_key: key,
            body,
            ..Producer::default()
        };
        let id = add(&mut d, &conn, Spec::Producer(spec));
        if let Some(to) = target {
            d.links.push(Link {
                from: id,
                to,
                key: String::new(),
                arguments: VecMap::new(),
            });
        }
    }
    d.tidy();
    d
}

/// A node added to `d` (where the layout will put it: [`Design::tidy`]).
pub(crate) fn add_node(d: &mut Design, name: &str, spec: Spec) -> Id {
    let id = d.next_id();
    d.nodes.push(Node {
        id,
        name: name.to_string(),
        x: 0.0,
        y: id as f32,
        spec,
    });
    id
}

/// The exchanges (but the default and `amq.*`), queues and bindings `r`'s broker holds, added
/// to `d`: each node's id by kind and broker name.
pub(crate) fn broker_nodes(r: &warren_engine::trace::Runner, d: &mut Design) -> VecMap<(Kind, String), Id> {
    use warren_engine::exchange::Dest;
    let add = add_node;
    let mut ids: VecMap<(Kind, String), Id> = VecMap::new();
    for x in r
        .broker()
        .exchanges()
        .filter(|x| !x.name.is_empty() && !x.name.starts_with("amq."))
    {
        let spec = ExchangeSpec {
            kind: x.kind.name().to_string(),
            durable: x.durable,
            alternate_exchange: x.alternate().map(str::to_string),
        };
        ids.insert(
            (Kind::Exchange, x.name.to_string()),
            add(d, &x.name, Spec::Exchange(spec)),
        );
    }
    let alias_of: VecMap<String, String> =
        warren_engine::sort::map_of(r.aliases().iter().map(|(a, q)| (q.clone(), a.clone())));
    for q in r.broker().queues() {
        let alias = alias_of.get(&*q.name);
        let spec = QueueSpec {
            server_named: alias.is_some(),
            durable: q.durable,
            exclusive: q.exclusive_owner.is_some(),
            auto_delete: q.auto_delete,
            message_ttl: q.cfg.message_ttl,
            max_length: q.cfg.max_length,
            dead_letter_exchange: q.cfg.dlx.as_ref().map(|x| x.to_string()),
            dead_letter_routing_key: q.cfg.dlrk.as_ref().map(|x| x.to_string()),
            max_priority: q.cfg.max_priority,
            overflow: String::new(),
            queue_type: if q.cfg.quorum { "quorum".into() } else { String::new() },
            delivery_limit: q.cfg.delivery_limit,
        };
        let name = alias.cloned().unwrap_or_else(|| q.name.to_string());
        ids.insert((Kind::Queue, q.name.to_string()), add(d, &name, Spec::Queue(spec)));
    }
    for x in r.broker().exchanges() {
        let Some(&from) = ids.get(&(Kind::Exchange, x.name.to_string())) else {
            continue;
        };
        for b in &x.bindings {
            let to = match &b.dest {
                Dest::Queue(q) => ids.get(&(Kind::Queue, q.to_string())),
                Dest::Exchange(e) => ids.get(&(Kind::Exchange, e.to_string())),
            };
            if let Some(&to) = to {
                let arguments = warren_engine::sort::map_of(
                    b.args
                        .iter()
                        .filter_map(|(k, v)| Some((k.to_string(), v.as_str()?.to_string()))),
                );
                d.links.push(Link {
                    from,
                    to,
                    key: b.key.to_string(),
                    arguments,
                });
            }
        }
    }
    ids
}

#[cfg(test)]
mod version_tests {
    use super::*;

    #[test]
    fn a_design_keeps_its_rabbitmq_and_one_made_before_versions_runs_as_3_10() {
        // new designs and the first visit's example are 4.3
        assert_eq!(Design::default().rabbitmq, Version::V4_3);
        assert_eq!(crate::example::example().rabbitmq, Version::V4_3);
        // a scenario file says its version at the top, as the engine reads it
        let mut d = crate::example::example();
        d.rabbitmq = Version::V3_10;
        let sc = d.to_scenario();
        assert_eq!(sc["rabbitmq"], "3.10");
        assert!(sc["canvas"].get("rabbitmq").is_none());
        assert_eq!(Design::from_scenario(&sc.to_string()).unwrap().rabbitmq, Version::V3_10);
        let four = Design::default().to_scenario();
        assert_eq!(
            Design::from_scenario(&four.to_string()).unwrap().rabbitmq,
            Version::V4_3
        );
        // a file from before versions: no "rabbitmq" anywhere
        let mut old = d.to_scenario();
        old.as_object_mut().unwrap().remove("rabbitmq");
        assert_eq!(
            Design::from_scenario(&old.to_string()).unwrap().rabbitmq,
            Version::V3_10
        );
        // a scenario without a canvas imports as its version
        let plain = r#"{"rabbitmq": "4.3", "steps": [{"call": "queue_declare", "args": {"queue": "q"}}]}"#;
        assert_eq!(Design::from_scenario(plain).unwrap().rabbitmq, Version::V4_3);
        // a wrong one says where
        let mut bad = Design::default().write();
        bad["rabbitmq"] = json!("5.0");
        assert_eq!(
            Design::from_canvas(bad).unwrap_err(),
            "canvas: rabbitmq: no RabbitMQ \"5.0\" here: the versions are 3.10 and 4.3"
        );
    }

    #[test]
    fn another_version_starts_the_run_again() {
        let old = crate::example::example();
        let mut new = old.clone();
        new.apply(Action::SetVersion(Version::V3_10)).unwrap();
        assert_eq!(
            crate::edit::plan(&old, &new).restart.as_deref(),
            Some("RabbitMQ 3.10 is another broker")
        );
    }
}
