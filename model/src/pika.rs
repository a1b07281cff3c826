//! Python code for a design, in the style of the classic RabbitMQ tutorials (pika 1.x,
//! BlockingConnection): `setup.py` declares the shared topology, one `producer_NAME.py` per
//! producer publishes its burst, one `consumer_NAME.py` per consumer consumes as the canvas says
//! (prefetch, processing time, failures, RPC replies). `expected.txt` is what the simulator
//! predicts `rabbitmqctl list_queues name messages` prints after `setup.py` and each producer ran
//! once, with no consumer running.

use crate::design::{Design, Kind, OnFailure, Spec};
use crate::sim::{Input, Live};
use serde_json::Value;
use std::fmt::Write as _;
use warren_engine::num::float_text;

/// A JSON value as a Python literal.
pub fn py(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => match s.strip_prefix('$') {
            // a server-named queue: the variable that holds the name the broker gave
            Some(alias) if !alias.is_empty() => var(alias),
            _ => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        },
        Value::Array(a) => format!("[{}]", a.iter().map(py).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, v)| format!("{}: {}", py(&Value::String(k.clone())), py(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A Python identifier for a name.
fn var(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) || s.is_empty() {
        s.insert(0, 'q');
    }
    s
}

/// The order the tutorials write a call's arguments in: what it is about first.
const ARG_ORDER: &[&str] = &[
    "exchange",
    "exchange_type",
    "queue",
    "destination",
    "source",
    "routing_key",
    "durable",
    "exclusive",
    "auto_delete",
    "internal",
    "arguments",
];

/// Whether `v` is what pika sends when argument `k` is left out (the tutorials leave it out):
/// flags that are false, no arguments. (A binding's routing key stays: pika's default for it is
/// the queue's name, not an empty key.)
fn is_default(k: &str, v: &Value) -> bool {
    match k {
        "durable" | "exclusive" | "auto_delete" | "internal" | "passive" => v == &Value::Bool(false),
        "arguments" => v.as_object().is_some_and(|a| a.is_empty()) || v.is_null(),
        _ => false,
    }
}

/// One scenario step as a pika call on `channel`, in the tutorials' style:
/// `channel.queue_declare(queue='task_queue', durable=True)`.
fn call(step: &Value) -> String {
    let name = step["call"].as_str().unwrap_or("");
    let args = step["args"]
        .as_object()
        .map(|o| {
            let mut kv: Vec<(&String, &Value)> = o.iter().filter(|(k, v)| !is_default(k, v)).collect();
            let rank = |k: &str| ARG_ORDER.iter().position(|a| *a == k).unwrap_or(ARG_ORDER.len());
            kv.sort_by_key(|(k, _)| rank(k));
            kv.iter()
                .map(|(k, v)| format!("{k}={}", py(v)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    match step.get("as").and_then(Value::as_str) {
        Some(alias) => format!(
            "result = channel.{name}({args})\n{} = result.method.queue\n",
            var(alias)
        ),
        None => format!("channel.{name}({args})\n"),
    }
}

const HEAD: &str = "import os\nimport pika\n\n\
connection = pika.BlockingConnection(\n    pika.ConnectionParameters(host=os.environ.get('AMQP_HOST', 'localhost'),\n                              port=int(os.environ.get('AMQP_PORT', '5672'))))\n\
channel = connection.channel()\n\n";

/// The imports and connection of a script whose client logs in as `login` (guest when `None`).
fn head(login: Option<(&str, &str)>) -> String {
    match login {
        None => HEAD.to_string(),
        Some((user, password)) => HEAD.replace(
            "port=int(os.environ.get('AMQP_PORT', '5672'))))",
            &format!(
                "port=int(os.environ.get('AMQP_PORT', '5672')),\n                              credentials=pika.PlainCredentials({}, {})))",
                py(&Value::String(user.into())),
                py(&Value::String(password.into()))
            ),
        ),
    }
}

/// A word for a POSIX shell, in single quotes.
fn sh(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

fn file_name(prefix: &str, name: &str) -> String {
    format!("{prefix}_{}.py", var(name))
}

/// The files for a design: (file name, contents), in a fixed order.
pub fn files(d: &Design) -> Vec<(String, String)> {
    let steps = d.setup_steps();
    let mut out = Vec::new();
    let mut users = String::new();
    if !d.users.is_empty() {
        users.push_str("# The users this design needs, with their permissions on vhost /. pika cannot create\n# users: run these first, where RabbitMQ runs.\n");
        for u in &d.users {
            if u.name != "guest" {
                users.push_str(&format!(
                    "#   rabbitmqctl add_user {} {}\n",
                    sh(&u.name),
                    sh(&u.password)
                ));
            }
            users.push_str(&format!(
                "#   rabbitmqctl set_permissions -p / {} {} {} {}\n",
                sh(&u.name),
                sh(&u.configure),
                sh(&u.write),
                sh(&u.read)
            ));
        }
    }
    let mut setup = format!("#!/usr/bin/env python\n\"\"\"{}: the shared topology (exchanges, queues, bindings). Generated by Warren.\"\"\"\n{users}{HEAD}", d.name);
    for s in steps.iter().filter(|s| s["conn"] == "setup") {
        setup.push_str(&call(s));
    }
    setup.push_str("print(' [*] Topology declared')\nconnection.close()\n");
    out.push(("setup.py".to_string(), setup));
    for n in &d.nodes {
        match &n.spec {
            Spec::Producer(p) => {
                let Some(publish) = d.publish_step(n.id, 1) else {
                    continue;
                };
                if d.reads_replies(n.id) {
                    out.push((file_name("producer", &n.name), rpc_client(d, n, p, &publish, &steps)));
                    continue;
                }
                let a = &publish["args"];
                let mut f = format!(
                    "#!/usr/bin/env python\n\"\"\"Producer {}: publishes {} message(s) to {}. Generated by Warren.\"\"\"\n{}",
                    n.name,
                    p.burst,
                    match a["exchange"].as_str() {
                        Some("") => format!("queue {} through the default exchange", a["routing_key"]),
                        x => format!("exchange '{}' with routing key {}", x.unwrap_or(""), a["routing_key"]),
                    },
                    head(d.login_of(&n.name))
                );
                f.push_str(&exchange_declared(d, &steps, a));
                let mut props: Vec<String> = a["properties"]
                    .as_object()
                    .map(|o| o.iter().map(|(k, v)| format!("{k}={}", py(v))).collect())
                    .unwrap_or_default();
                if !p.correlation_id.is_empty() {
                    props.retain(|s| !s.starts_with("correlation_id="));
                    props.push(format!(
                        "correlation_id={}.replace('{{n}}', str(n))",
                        py(&Value::String(p.correlation_id.clone()))
                    ));
                }
                if p.confirm {
                    f.push_str(
                        "channel.confirm_delivery()  # publisher confirms: each publish waits for the broker's ack\n",
                    );
                }
                let direct = p.reply_to == crate::design::DIRECT_REPLY_TO;
                let callback = matches!(d.by_name(Kind::Queue, &p.reply_to).map(|q| &q.spec),
                    Some(crate::design::Spec::Queue(q)) if q.server_named);
                if callback {
                    // as in the RPC tutorial: the client declares its own callback queue (exclusive,
                    // named by the broker) and reads the replies from it
                    let v = var(&p.reply_to);
                    let _ = write!(
                        f,
                        "# the callback queue: exclusive, named by the broker (as in the RPC tutorial)\n{v} = channel.queue_declare(queue='', exclusive=True).method.queue\nchannel.basic_consume(queue={v}, auto_ack=True,\n                      on_message_callback=lambda ch, m, props, body: print(' [.] Got %r (%s)' % (body, props.correlation_id)))\n"
                    );
                }
                if direct {
                    f.push_str("# direct reply-to: consume the pseudo-queue (no-ack) before publishing\nchannel.basic_consume(queue='amq.rabbitmq.reply-to', auto_ack=True,\n                      on_message_callback=lambda ch, m, props, body: print(' [.] Got %r' % body))\n");
                }
                let publish = if p.confirm && p.mandatory {
                    "    try:\n        channel.basic_publish(exchange={x}, routing_key={k}, body=body,\n                              properties=pika.BasicProperties({props}), mandatory=True)\n    except pika.exceptions.UnroutableError:\n        print(' [!] Returned %r' % body)\n"
                } else {
                    "    channel.basic_publish(exchange={x}, routing_key={k}, body=body,\n                          properties=pika.BasicProperties({props}){mandatory})\n"
                };
                let publish = publish
                    .replace("{x}", &py(&a["exchange"]))
                    .replace("{k}", &py(&a["routing_key"]))
                    .replace("{props}", &props.join(", "))
                    .replace("{mandatory}", if p.mandatory { ", mandatory=True" } else { "" });
                let _ = write!(
                    f,
                    "\nfor n in range(1, {} + 1):\n    body = {}.replace('{{n}}', str(n))\n{publish}    print(' [x] Sent %r' % body)\n{}connection.close()\n",
                    p.burst,
                    py(&Value::String(p.body.clone())),
                    if direct || callback { "connection.process_data_events(time_limit=2)  # let the replies arrive\n" } else { "" },
                );
                out.push((file_name("producer", &n.name), f));
            }
            Spec::Consumer(c) => {
                let Some(q) = d.consumer_queue(n.id) else {
                    continue;
                };
                let mut f = format!(
                    "#!/usr/bin/env python\n\"\"\"Consumer {}: consumes from queue '{}'. Generated by Warren.\"\"\"\n{}import time\n{}",
                    n.name,
                    q.name,
                    if !c.auto_ack && c.failure_pct > 0 { "import random\n" } else { "" },
                    head(d.login_of(&n.name))
                );
                // the queue and its bindings, declared again as the tutorials do (idempotent),
                // or for the first time when this consumer owns the (exclusive) queue
                let qref = d.queue_ref(&q.name);
                for s in d
                    .consumer_steps(n.id)
                    .iter()
                    .filter(|s| s["call"] == "queue_declare" || s["call"] == "queue_bind")
                {
                    f.push_str(&call(s));
                }
                if c.prefetch > 0 {
                    let _ = writeln!(f, "channel.basic_qos(prefetch_count={})", c.prefetch);
                }
                let refuse = match c.on_failure {
                    OnFailure::Nack => "basic_nack",
                    OnFailure::Reject => "basic_reject",
                };
                let _ = write!(
                    f,
                    "\n\ndef callback(ch, method, properties, body):\n    print(' [x] Received %r' % body)\n    time.sleep({})\n",
                    float_text(c.processing_ms as f64 / 1000.0)
                );
                if c.reply {
                    f.push_str("    if properties.reply_to:\n        ch.basic_publish(exchange='', routing_key=properties.reply_to, body=b'reply to ' + body,\n                         properties=pika.BasicProperties(correlation_id=properties.correlation_id))\n");
                }
                f.push_str("    print(' [x] Done')\n");
                if !c.auto_ack && c.failure_pct > 0 {
                    let _ = write!(
                        f,
                        "    if random.random() < {}:\n        ch.{refuse}(delivery_tag=method.delivery_tag, requeue={})\n    else:\n        ch.basic_ack(delivery_tag=method.delivery_tag)\n",
                        float_text(c.failure_pct as f64 / 100.0),
                        if c.requeue { "True" } else { "False" }
                    );
                } else if !c.auto_ack {
                    f.push_str("    ch.basic_ack(delivery_tag=method.delivery_tag)\n");
                }
                // (its consumer tag is its name: the page's log and the live tests tell consumers
                // apart by it)
                let _ = write!(
                    f,
                    "\n\nchannel.basic_consume(queue={}, on_message_callback=callback{}, consumer_tag={})\nprint(' [*] Waiting for messages. To exit press CTRL+C')\nchannel.start_consuming()\n",
                    py(&Value::String(qref.clone())),
                    if c.auto_ack { ", auto_ack=True" } else { "" },
                    py(&Value::String(n.name.clone()))
                );
                out.push((file_name("consumer", &n.name), f));
            }
            _ => {}
        }
    }
    out.push(("expected.txt".to_string(), expected(d)));
    out
}

/// What `rabbitmqctl list_queues name messages` prints (sorted, tab-separated) after setup.py and
/// each producer once, no consumer running: the simulator's prediction.
pub fn expected(d: &Design) -> String {
    let mut without = d.clone();
    without.nodes.retain(|n| n.kind() != Kind::Consumer);
    let ids: Vec<_> = without.nodes.iter().map(|n| n.id).collect();
    without.links.retain(|l| ids.contains(&l.from) && ids.contains(&l.to));
    let producers: Vec<_> = without.ids(Kind::Producer);
    // a network that takes no time: the broker holds what each producer sent once it ran
    let mut live = Live::with_hop(without, 0.0);
    for p in producers {
        let _ = live.input(0, Input::Publish(p));
    }
    let mut lines: Vec<String> = live
        .broker()
        .queue_info()
        .into_iter()
        .filter(|q| !q.exclusive)
        .map(|q| format!("{}\t{}", q.name, q.messages_ready + q.messages_unacknowledged))
        .collect();
    warren_engine::sort::sort(&mut lines);
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// A producer's script declares the exchange it publishes to (`a`: its publish's arguments), as
/// the tutorials' producers do: the call, or nothing for the default exchange.
fn exchange_declared(d: &Design, steps: &[Value], a: &Value) -> String {
    d.by_name(Kind::Exchange, a["exchange"].as_str().unwrap_or(""))
        .and_then(|x| {
            steps
                .iter()
                .find(|s| s["call"] == "exchange_declare" && s["args"]["exchange"] == x.name.as_str())
        })
        .map(call)
        .unwrap_or_default()
}

/// The script of an RPC client that reads its own replies ([`Design::reads_replies`]), as the
/// tutorial's `rpc_client.py`: a client object with its callback queue (declared exclusive and
/// named by the broker, or direct reply-to), whose `call` publishes a request and waits for the
/// reply with its correlation id; the burst is that many calls, one after the other.
fn rpc_client(
    d: &Design,
    n: &crate::design::Node,
    p: &crate::design::Producer,
    publish: &Value,
    steps: &[Value],
) -> String {
    let a = &publish["args"];
    let direct = p.reply_to == crate::design::DIRECT_REPLY_TO;
    let mut f = format!(
        "#!/usr/bin/env python\n\"\"\"RPC client {}: {} call(s) to {}, one at a time, each waiting for its reply (as the\nRabbitMQ tutorial's rpc_client.py). Generated by Warren.\"\"\"\n{}{}",
        n.name,
        p.burst,
        match a["exchange"].as_str() {
            Some("") => format!("queue {} through the default exchange", a["routing_key"]),
            x => format!("exchange '{}' with routing key {}", x.unwrap_or(""), a["routing_key"]),
        },
        if p.correlation_id.is_empty() { "import uuid\n" } else { "" },
        head(d.login_of(&n.name))
    );
    f.push_str(&exchange_declared(d, steps, a));
    // what this client declares itself: its callback queue (exclusive: its own)
    let declare = steps
        .iter()
        .filter(|s| s["conn"] == n.name.as_str() && matches!(s["call"].as_str(), Some("queue_declare" | "queue_bind")))
        .map(|s| {
            let c = call(s);
            // the callback queue's name is the client's own attribute
            c.replace(
                &format!("{} = result.method.queue", var(&p.reply_to)),
                "self.callback_queue = result.method.queue",
            )
            .replace("channel.", "self.channel.")
            .lines()
            .map(|l| format!("        {l}\n"))
            .collect::<String>()
        })
        .collect::<String>();
    let (declare, queue) = if direct {
        (
            "        # direct reply-to: the pseudo-queue, consumed no-ack, needs no declaring\n        self.callback_queue = 'amq.rabbitmq.reply-to'\n".to_string(),
            "self.callback_queue",
        )
    } else if declare.contains("self.callback_queue =") {
        (declare, "self.callback_queue")
    } else {
        (
            format!(
                "{declare}        self.callback_queue = {}\n",
                py(&Value::String(p.reply_to.clone()))
            ),
            "self.callback_queue",
        )
    };
    let mut props: Vec<String> = a["properties"]
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "reply_to" | "correlation_id"))
                .map(|(k, v)| format!("{k}={}", py(v)))
                .collect()
        })
        .unwrap_or_default();
    props.insert(0, format!("reply_to={queue}"));
    props.insert(1, "correlation_id=self.corr_id".into());
    let corr = if p.correlation_id.is_empty() {
        "str(uuid.uuid4())".to_string()
    } else {
        format!(
            "{}.replace('{{n}}', str(n))",
            py(&Value::String(p.correlation_id.clone()))
        )
    };
    let _ = write!(
        f,
        "\nclass RpcClient(object):\n    def __init__(self):\n        self.channel = channel\n{declare}        self.channel.basic_consume(queue={queue}, on_message_callback=self.on_response, auto_ack=True)\n        self.response = None\n        self.corr_id = None\n\n    def on_response(self, ch, method, props, body):\n        if self.corr_id == props.correlation_id:\n            self.response = body\n\n    def call(self, body, corr_id):\n        self.response = None\n        self.corr_id = corr_id\n        self.channel.basic_publish(exchange={x}, routing_key={k}, body=body,\n                                   properties=pika.BasicProperties({props}){mandatory})\n        while self.response is None:\n            connection.process_data_events(time_limit=None)\n        return self.response\n\n\nclient = RpcClient()\nfor n in range(1, {burst} + 1):\n    body = {body}.replace('{{n}}', str(n))\n    print(' [x] Requesting %r' % body)\n    response = client.call(body, {corr})\n    print(' [.] Got %r' % response)\nconnection.close()\n",
        x = py(&a["exchange"]),
        k = py(&a["routing_key"]),
        props = props.join(", "),
        mandatory = if p.mandatory { ", mandatory=True" } else { "" },
        burst = p.burst,
        body = py(&Value::String(p.body.clone())),
    );
    f
}
