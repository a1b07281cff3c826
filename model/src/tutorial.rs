//! The guided tutorials: each is a design, a few steps the learner runs one by one (what to do,
//! what to watch), and a closing question whose answer the learner reads off the canvas. The
//! answer is never stored: [`Measure::read`] takes it from the counts the canvas shows.
//!
//! The order follows RabbitMQ's own tutorials (the pika ones many learners start from), then
//! confirms, dead-lettering, an order system, and poison messages in a quorum queue.
//!
//! The page carries only their menu ([`INDEX`]: id and title). The tutorials themselves are data,
//! `www/tutorials.json`, which the page fetches the first time one is opened (most visits open
//! none, and their texts in two languages were a twentieth of the page), and which native code
//! compiles in ([`builtin`]: the tests, `warren tutorials`). The file is a JSON array, one object
//! per tutorial in the menu's order:
//! - `id`, and `intro`: a text, `{"en": …, "zh": …}` like every text in the file;
//! - `canvas`: the design as the page saves it (nodes with their places, and links), as in a
//!   scenario file;
//! - `steps`: each with `say`, `watch` and `acts`, which are `{"publish": producer}`,
//!   `{"publish_key": [producer, routing key]}`, `{"stop": consumer}`, `"restart"` or
//!   `{"prefetch": [consumer, prefetch_count]}`;
//! - `question`: `ask`, `measure` (`{"ready": queue}`, `{"got": consumer}`, `{"acks": producer}`
//!   or `{"returned": producer}`), `look` (where on the canvas) and `why`.

use crate::design::{Design, Id, Kind, Spec};
use crate::i18n::{Lang, T};
use crate::sim::{Input, Live};
use crate::timeline::Tally;
use serde_json::Value;

/// Something a tutorial step does, by node name.
#[derive(Clone, Debug, PartialEq)]
pub enum Act {
    /// The producer publishes (its burst).
    Publish(String),
    /// The producer publishes once with this routing key.
    PublishKey(String, String),
    /// The consumer's client dies.
    Stop(String),
    /// The broker restarts.
    Restart,
    /// Change a consumer's prefetch (an edit: the simulation starts again).
    Prefetch(String, u16),
}

/// What an act becomes: an input to the running simulation, or a change to the design.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved {
    Input(Input),
    Edit { id: Id, spec: Spec },
}

impl Act {
    pub fn resolve(&self, d: &Design) -> Result<Resolved, String> {
        let find = |kind: Kind, name: &str| {
            d.by_name(kind, name).ok_or_else(|| {
                format!(
                    "the tutorial needs the {} {name}, which is not on the canvas",
                    kind.name()
                )
            })
        };
        Ok(match self {
            Act::Publish(p) => Resolved::Input(Input::Publish(find(Kind::Producer, p)?.id)),
            Act::PublishKey(p, k) => Resolved::Input(Input::PublishKey(find(Kind::Producer, p)?.id, k.clone())),
            Act::Stop(c) => Resolved::Input(Input::Stop(find(Kind::Consumer, c)?.id)),
            Act::Restart => Resolved::Input(Input::Restart),
            Act::Prefetch(c, n) => {
                let node = find(Kind::Consumer, c)?;
                let mut spec = node.spec.clone();
                if let Spec::Consumer(c) = &mut spec {
                    c.prefetch = *n;
                }
                Resolved::Edit { id: node.id, spec }
            }
        })
    }

    /// How the step's button says it (in the learner's language).
    pub fn label(&self, l: Lang) -> String {
        let zh = l == Lang::Zh;
        match self {
            Act::Publish(p) => {
                if zh {
                    format!("{p} 发布")
                } else {
                    format!("{p} publishes")
                }
            }
            Act::PublishKey(p, k) => {
                if zh {
                    format!("{p} 以路由键 {k} 发布")
                } else {
                    format!("{p} publishes with key {k}")
                }
            }
            Act::Stop(c) => {
                if zh {
                    format!("停止 {c}")
                } else {
                    format!("stop {c}")
                }
            }
            Act::Restart => (if zh { "重启 broker" } else { "restart the broker" }).into(),
            Act::Prefetch(c, n) => format!("{c}: prefetch_count={n}"),
        }
    }
}

/// A text in both languages.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn get(&self, l: Lang) -> &str {
        match l {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Step {
    pub say: Text,
    pub watch: Text,
    pub acts: Vec<Act>,
}

#[derive(Clone, Debug)]
pub struct Question {
    pub ask: Text,
    pub measure: Measure,
    /// Where on the canvas to look.
    pub look: Text,
    /// Why the answer is what it is (shown once answered right).
    pub why: Text,
}

#[derive(Clone, Debug)]
pub struct Tutorial {
    /// For links (`?tutorial=id`) and file names.
    pub id: String,
    /// From the menu ([`INDEX`]), not the file.
    pub title: T,
    pub intro: Text,
    pub design: Design,
    pub steps: Vec<Step>,
    pub question: Question,
}

impl Tutorial {
    pub fn design(&self) -> Design {
        self.design.clone()
    }
}

/// A tutorial in the menu.
pub struct Entry {
    pub id: &'static str,
    pub title: T,
}

macro_rules! t {
    ($en:expr, $zh:expr $(,)?) => {
        T { en: $en, zh: $zh }
    };
}

/// The tutorials' menu, in order: the tutorials file has the same ones in the same order.
pub static INDEX: &[Entry] = &[
    Entry {
        id: "hello-world",
        title: t!("1. Hello World", "1. Hello World（你好，世界）"),
    },
    Entry {
        id: "work-queues",
        title: t!("2. Work queues", "2. 工作队列（Work queues）"),
    },
    Entry {
        id: "publish-subscribe",
        title: t!("3. Publish/Subscribe", "3. 发布/订阅（Publish/Subscribe）"),
    },
    Entry {
        id: "routing",
        title: t!("4. Routing", "4. 路由（Routing）"),
    },
    Entry {
        id: "topics",
        title: t!("5. Topics", "5. 主题（Topics）"),
    },
    Entry {
        id: "headers",
        title: t!("6. Headers exchange", "6. 头交换机（Headers exchange）"),
    },
    Entry {
        id: "rpc",
        title: t!("7. RPC", "7. 远程过程调用（RPC）"),
    },
    Entry {
        id: "publisher-confirms",
        title: t!(
            "8. Publisher confirms and returns",
            "8. 发布确认与退回（publisher confirms）"
        ),
    },
    Entry {
        id: "dead-letters",
        title: t!("9. Dead letters, TTL and retry", "9. 死信、TTL 与重试"),
    },
    Entry {
        id: "peak-shaving",
        title: t!("10. An order system: peak shaving", "10. 订单系统：削峰填谷"),
    },
    Entry {
        id: "poison-messages",
        title: t!("11. Poison messages in a quorum queue", "11. 仲裁队列中的毒消息"),
    },
];

/// The tutorials of a tutorials file (`www/tutorials.json`), which must be the menu's. Read by
/// hand from a [`Value`], as the page reads all JSON: serde's derive for these types would cost
/// the page more than the texts the file moved out of it.
pub fn parse(json: &str) -> Result<Vec<Tutorial>, String> {
    let all: Value = serde_json::from_str(json).map_err(|e| format!("tutorials.json: {e}"))?;
    let all = all.as_array().ok_or("tutorials.json: not an array of tutorials")?;
    let ids: Vec<&str> = all.iter().map(|t| t["id"].as_str().unwrap_or("?")).collect();
    let menu: Vec<&str> = INDEX.iter().map(|e| e.id).collect();
    if ids != menu {
        return Err(format!("tutorials.json has the tutorials {ids:?}, the menu {menu:?}"));
    }
    all.iter()
        .zip(INDEX)
        .map(|(v, e)| tutorial(v, e).map_err(|why| format!("tutorials.json, tutorial {}: {why}", e.id)))
        .collect()
}

/// The fields of object `v`, refusing any other (a misspelt field would be lost silently).
fn fields<'a, const N: usize>(v: &'a Value, names: [&str; N]) -> Result<[&'a Value; N], String> {
    let o = v
        .as_object()
        .ok_or_else(|| format!("{v} is not an object with {}", names.join(", ")))?;
    if let Some(k) = o.keys().find(|k| !names.contains(&k.as_str())) {
        return Err(format!("unknown field `{k}` (expected {})", names.join(", ")));
    }
    let mut out = [&Value::Null; N];
    for (slot, name) in out.iter_mut().zip(names) {
        *slot = o.get(name).ok_or_else(|| format!("missing field `{name}`"))?;
    }
    Ok(out)
}

fn text(v: &Value, what: &str) -> Result<Text, String> {
    let [en, zh] = fields(v, ["en", "zh"]).map_err(|e| format!("{what}: {e}"))?;
    match (en.as_str(), zh.as_str()) {
        (Some(en), Some(zh)) => Ok(Text {
            en: en.into(),
            zh: zh.into(),
        }),
        _ => Err(format!("{what}: en and zh are texts")),
    }
}

/// A one-key object `{"kind": argument}` (or a bare `"kind"`): its kind and argument.
fn tagged(v: &Value) -> Option<(&str, &Value)> {
    match v {
        Value::String(k) => Some((k, &Value::Null)),
        Value::Object(o) if o.len() == 1 => o.iter().next().map(|(k, a)| (k.as_str(), a)),
        _ => None,
    }
}

/// The two items of a two-item array.
fn pair(a: &Value) -> Option<(&Value, &Value)> {
    match a.as_array()?.as_slice() {
        [x, y] => Some((x, y)),
        _ => None,
    }
}

fn act(v: &Value) -> Result<Act, String> {
    let name = |a: &Value| a.as_str().map(String::from);
    let act = match tagged(v) {
        Some(("publish", a)) => name(a).map(Act::Publish),
        Some(("publish_key", a)) => pair(a).and_then(|(p, k)| Some(Act::PublishKey(name(p)?, name(k)?))),
        Some(("stop", a)) => name(a).map(Act::Stop),
        Some(("restart", Value::Null)) => Some(Act::Restart),
        Some(("prefetch", a)) => pair(a).and_then(|(c, n)| Some(Act::Prefetch(name(c)?, n.as_u64()?.try_into().ok()?))),
        _ => None,
    };
    act.ok_or_else(|| {
        format!("an act is {{\"publish\": producer}}, {{\"publish_key\": [producer, key]}}, {{\"stop\": consumer}}, \"restart\" or {{\"prefetch\": [consumer, n]}}, not {v}")
    })
}

fn measure(v: &Value) -> Result<Measure, String> {
    let m = match tagged(v) {
        Some((kind, Value::String(n))) => match kind {
            "ready" => Some(Measure::Ready(n.clone())),
            "got" => Some(Measure::Got(n.clone())),
            "acks" => Some(Measure::Acks(n.clone())),
            "returned" => Some(Measure::Returned(n.clone())),
            _ => None,
        },
        _ => None,
    };
    m.ok_or_else(|| format!("a measure is {{\"ready\": queue}}, {{\"got\": consumer}}, {{\"acks\": producer}} or {{\"returned\": producer}}, not {v}"))
}

fn tutorial(v: &Value, e: &Entry) -> Result<Tutorial, String> {
    let [_, intro, canvas, steps, question] = fields(v, ["id", "intro", "canvas", "steps", "question"])?;
    let steps = steps.as_array().ok_or("steps is not an array")?;
    let steps = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let at = format!("step {}", i + 1);
            let [say, watch, acts] = fields(s, ["say", "watch", "acts"]).map_err(|e| format!("{at}: {e}"))?;
            let acts = acts.as_array().ok_or_else(|| format!("{at}: acts is not an array"))?;
            Ok(Step {
                say: text(say, &format!("{at}, say"))?,
                watch: text(watch, &format!("{at}, watch"))?,
                acts: acts
                    .iter()
                    .map(act)
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("{at}: {e}"))?,
            })
        })
        .collect::<Result<_, String>>()?;
    let [ask, m, look, why] =
        fields(question, ["ask", "measure", "look", "why"]).map_err(|e| format!("question: {e}"))?;
    Ok(Tutorial {
        id: e.id.into(),
        title: e.title,
        intro: text(intro, "intro")?,
        design: Design::from_canvas(canvas.clone())?,
        steps,
        question: Question {
            ask: text(ask, "question, ask")?,
            measure: measure(m).map_err(|e| format!("question: {e}"))?,
            look: text(look, "question, look")?,
            why: text(why, "question, why")?,
        },
    })
}

/// The tutorials file, compiled in for native code (the page fetches it instead).
#[cfg(not(target_arch = "wasm32"))]
pub const JSON: &str = include_str!("../../www/tutorials.json");

/// The built-in tutorials (native code only: the page fetches them).
#[cfg(not(target_arch = "wasm32"))]
pub fn builtin() -> Vec<Tutorial> {
    parse(JSON).unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(not(target_arch = "wasm32"))]
pub fn by_id(id: &str) -> Option<Tutorial> {
    builtin().into_iter().find(|t| t.id == id)
}

/// A number the canvas shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Measure {
    /// `messages_ready` of a queue (the counts under it).
    Ready(String),
    /// Deliveries a consumer got in all (`got N` under it).
    Got(String),
    /// Publisher acks a producer got (`acks N` under it).
    Acks(String),
    /// Messages returned to a producer (`returned N` under it).
    Returned(String),
}

impl Measure {
    /// The number as the canvas shows it now (`tally` at the playback position).
    pub fn read(&self, live: &Live, tally: &Tally) -> u64 {
        match self {
            Measure::Ready(q) => tally.queue(&live.real_queue(q)).0,
            Measure::Got(c) => tally.got(c),
            Measure::Acks(p) => tally.confirms.get(p.as_str()).map_or(0, |c| c.0),
            Measure::Returned(p) => tally.returned.get(p.as_str()).copied().unwrap_or(0),
        }
    }
}

/// A tutorial run to its end without a browser, as a learner would: each step's acts a second
/// after the previous step's messages have settled.
pub struct Played {
    pub live: Live,
    /// The scenario of each stretch of the run (a design edit starts the simulation again).
    pub scenarios: Vec<Value>,
    /// The answer as the canvas shows it at the end.
    pub answer: u64,
}

impl Played {
    /// The runs as scenarios a real broker can replay to the same trace: each cut before its
    /// first direct reply-to request, whose reply address the broker makes up (it differs from
    /// broker to broker, and the scenario format has no way to name it). With how many steps
    /// were cut off.
    pub fn replayable(&self) -> Vec<(Value, usize)> {
        self.scenarios
            .iter()
            .map(|sc| {
                let mut sc = sc.clone();
                let steps = sc["steps"].as_array_mut().expect("a scenario has steps");
                let cut = steps
                    .iter()
                    .position(|s| s["args"]["properties"]["reply_to"] == crate::design::DIRECT_REPLY_TO)
                    .unwrap_or(steps.len());
                let left = steps.len() - cut;
                steps.truncate(cut);
                (sc, left)
            })
            .collect()
    }
}

/// The acts of one step happen this far apart (simulated ms), as a learner clicks one after the
/// other: what the first sent has reached the broker (a hop, [`crate::timeline::HOP`]) before
/// the next (a worker stopped "right away" holds the task it was just sent).
pub const ACT_GAP_MS: u64 = 500;

/// Let everything due happen (but not producers that publish on a timer forever).
pub fn settle(live: &mut Live) {
    let limit = live.clock() + 600_000;
    while let Some(n) = live.next_due().filter(|n| *n <= limit) {
        live.advance_to(n);
    }
}

pub fn play(t: &Tutorial) -> Result<Played, String> {
    let mut live = Live::new(t.design());
    let mut scenarios = Vec::new();
    for (i, step) in t.steps.iter().enumerate() {
        settle(&mut live);
        let mut at = if i == 0 { live.clock() } else { live.clock() + 1000 };
        for (k, act) in step.acts.iter().enumerate() {
            if k > 0 {
                at += ACT_GAP_MS;
            }
            match act.resolve(&live.design)? {
                Resolved::Input(input) => live.input(at.max(live.clock()), input)?,
                Resolved::Edit { id, spec } => {
                    let mut d = live.design.clone();
                    if let Some(n) = d.nodes.iter_mut().find(|n| n.id == id) {
                        n.spec = spec;
                    }
                    if !live.inputs.is_empty() {
                        scenarios.push(live.scenario());
                    }
                    live = Live::new(d);
                    at = 0;
                }
            }
        }
    }
    settle(&mut live);
    scenarios.push(live.scenario());
    let end = live.timeline.end();
    live.timeline.seek(end);
    let answer = t.question.measure.read(&live, live.timeline.tally());
    Ok(Played {
        live,
        scenarios,
        answer,
    })
}
