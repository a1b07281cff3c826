//! The guided tutorials: each is a design, a few steps the learner runs one by one (what to do,
//! what to watch), and a closing question whose answer the learner reads off the canvas. The
//! answer is never stored: [`Measure::read`] takes it from the counts the canvas shows.
//!
//! The order follows RabbitMQ's own tutorials (the pika ones many learners start from), then
//! confirms, dead-lettering and an order system.

use crate::design::{Consumer, Design, ExchangeSpec, Id, Kind, Link, Node, OnFailure, Producer, QueueSpec, Spec};
use crate::i18n::{Lang, T};
use crate::sim::{Input, Live};
use crate::timeline::Tally;
use serde_json::Value;

/// Something a tutorial step does, by node name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Act {
    /// The producer publishes (its burst).
    Publish(&'static str),
    /// The producer publishes once with this routing key.
    PublishKey(&'static str, &'static str),
    /// The consumer's client dies.
    Stop(&'static str),
    /// The broker restarts.
    Restart,
    /// Change a consumer's prefetch (an edit: the simulation starts again).
    Prefetch(&'static str, u16),
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
        Ok(match *self {
            Act::Publish(p) => Resolved::Input(Input::Publish(find(Kind::Producer, p)?.id)),
            Act::PublishKey(p, k) => Resolved::Input(Input::PublishKey(find(Kind::Producer, p)?.id, k.into())),
            Act::Stop(c) => Resolved::Input(Input::Stop(find(Kind::Consumer, c)?.id)),
            Act::Restart => Resolved::Input(Input::Restart),
            Act::Prefetch(c, n) => {
                let node = find(Kind::Consumer, c)?;
                let mut spec = node.spec.clone();
                if let Spec::Consumer(c) = &mut spec {
                    c.prefetch = n;
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

/// A number the canvas shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Measure {
    /// `messages_ready` of a queue (the counts under it).
    Ready(&'static str),
    /// Deliveries a consumer got in all (`got N` under it).
    Got(&'static str),
    /// Publisher acks a producer got (`acks N` under it).
    Acks(&'static str),
    /// Messages returned to a producer (`returned N` under it).
    Returned(&'static str),
}

impl Measure {
    /// The number as the canvas shows it now (`tally` at the playback position).
    pub fn read(&self, live: &Live, tally: &Tally) -> u64 {
        match *self {
            Measure::Ready(q) => tally.queue(&live.real_queue(q)).0,
            Measure::Got(c) => tally.got(c),
            Measure::Acks(p) => tally.confirms.get(p).map_or(0, |c| c.0),
            Measure::Returned(p) => tally.returned.get(p).copied().unwrap_or(0),
        }
    }
}

pub struct Step {
    pub say: T,
    pub watch: T,
    pub acts: &'static [Act],
}

pub struct Question {
    pub ask: T,
    pub measure: Measure,
    /// Where on the canvas to look.
    pub look: T,
    /// Why the answer is what it is (shown once answered right).
    pub why: T,
}

pub struct Tutorial {
    /// For links (`#tutorial=id`) and file names.
    pub id: &'static str,
    pub title: T,
    pub intro: T,
    pub build: fn() -> Design,
    pub steps: &'static [Step],
    pub question: Question,
}

impl Tutorial {
    pub fn design(&self) -> Design {
        (self.build)()
    }
}

/// A design built by name, laid out with [`Design::tidy`].
struct B(Design);

impl B {
    fn new(name: &str, seed: u64) -> B {
        B(Design {
            name: name.into(),
            seed,
            ..Design::default()
        })
    }
    fn add(mut self, name: &str, spec: Spec) -> B {
        let id = self.0.nodes.len() as Id + 1;
        self.0.nodes.push(Node {
            id,
            name: name.into(),
            x: 0.0,
            y: 0.0,
            spec,
        });
        self
    }
    fn producer(self, name: &str, f: impl FnOnce(&mut Producer)) -> B {
        let mut p = Producer::default();
        f(&mut p);
        self.add(name, Spec::Producer(p))
    }
    fn exchange(self, name: &str, kind: &str) -> B {
        self.add(
            name,
            Spec::Exchange(ExchangeSpec {
                kind: kind.into(),
                ..ExchangeSpec::default()
            }),
        )
    }
    fn queue(self, name: &str, f: impl FnOnce(&mut QueueSpec)) -> B {
        let mut q = QueueSpec::default();
        f(&mut q);
        self.add(name, Spec::Queue(q))
    }
    fn consumer(self, name: &str, f: impl FnOnce(&mut Consumer)) -> B {
        let mut c = Consumer::default();
        f(&mut c);
        self.add(name, Spec::Consumer(c))
    }
    fn id(&self, name: &str) -> Id {
        let mut it = self.0.nodes.iter().filter(|n| n.name == name);
        let n = it.next().unwrap_or_else(|| panic!("no node {name}"));
        assert!(it.next().is_none(), "two nodes are named {name}");
        n.id
    }
    fn link(mut self, from: &str, to: &str, key: &str) -> B {
        let (from, to) = (self.id(from), self.id(to));
        self.0.links.push(Link {
            from,
            to,
            key: key.into(),
            arguments: Default::default(),
        });
        self
    }
    fn headers(mut self, from: &str, to: &str, args: &[(&str, &str)]) -> B {
        let (from, to) = (self.id(from), self.id(to));
        self.0.links.push(Link {
            from,
            to,
            key: String::new(),
            arguments: warren_engine::sort::map_of(args.iter().map(|(k, v)| (k.to_string(), v.to_string()))),
        });
        self
    }
    fn show_default(mut self) -> B {
        self.0.show_default = true;
        self
    }
    fn done(mut self) -> Design {
        self.0.tidy();
        self.0
    }
}

fn hello_world() -> Design {
    B::new("Hello World", 1)
        .producer("sender", |p| p.body = "Hello World! {n}".into())
        .queue("hello", |_| {})
        .consumer("receiver", |c| c.auto_ack = true)
        .link("sender", "hello", "")
        .link("hello", "receiver", "")
        .show_default()
        .done()
}

fn work_queues() -> Design {
    B::new("Work queues", 1)
        .producer("new_task", |p| {
            p.body = "task {n}".into();
            p.burst = 6;
            p.persistent = true;
        })
        .queue("task_queue", |q| q.durable = true)
        .consumer("worker-1", |c| {
            c.prefetch = 0;
            c.processing_ms = 3000;
        })
        .consumer("worker-2", |c| {
            c.prefetch = 0;
            c.processing_ms = 1000;
        })
        .link("new_task", "task_queue", "")
        .link("task_queue", "worker-1", "")
        .link("task_queue", "worker-2", "")
        .done()
}

fn publish_subscribe() -> Design {
    let temp = |q: &mut QueueSpec| {
        q.server_named = true;
        q.exclusive = true;
    };
    B::new("Publish/Subscribe", 1)
        .producer("emit_log", |p| p.body = "log {n}".into())
        .exchange("logs", "fanout")
        .queue("queue-A", temp)
        .queue("queue-B", temp)
        .consumer("receive_logs-1", |c| c.auto_ack = true)
        .consumer("receive_logs-2", |c| c.auto_ack = true)
        .link("emit_log", "logs", "")
        .link("logs", "queue-A", "")
        .link("logs", "queue-B", "")
        .link("queue-A", "receive_logs-1", "")
        .link("queue-B", "receive_logs-2", "")
        .done()
}

fn routing() -> Design {
    B::new("Routing", 1)
        .producer("emit_log_direct", |p| {
            p.routing_key = "error".into();
            p.body = "log {n}".into();
        })
        .exchange("direct_logs", "direct")
        .queue("disk", |_| {})
        .queue("screen", |_| {})
        .link("emit_log_direct", "direct_logs", "")
        .link("direct_logs", "disk", "error")
        .link("direct_logs", "screen", "info")
        .link("direct_logs", "screen", "warning")
        .link("direct_logs", "screen", "error")
        .done()
}

fn topics() -> Design {
    B::new("Topics", 1)
        .producer("emit_log_topic", |p| {
            p.routing_key = "quick.orange.rabbit".into();
            p.body = "animal {n}".into();
        })
        .exchange("topic_logs", "topic")
        .queue("Q1", |_| {})
        .queue("Q2", |_| {})
        .link("emit_log_topic", "topic_logs", "")
        .link("topic_logs", "Q1", "*.orange.*")
        .link("topic_logs", "Q2", "*.*.rabbit")
        .link("topic_logs", "Q2", "lazy.#")
        .done()
}

fn headers() -> Design {
    let with = |h: &[(&str, &str)]| {
        let h = warren_engine::sort::map_of(h.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        move |p: &mut Producer| {
            p.headers = h;
            p.body = "document {n}".into();
        }
    };
    B::new("Headers exchange", 1)
        .producer("pdf_report", with(&[("format", "pdf"), ("type", "report")]))
        .producer("zip_log", with(&[("format", "zip"), ("type", "log")]))
        .producer("zip_report", with(&[("format", "zip"), ("type", "report")]))
        .exchange("documents", "headers")
        .queue("pdf_reports", |_| {})
        .queue("pdf_or_logs", |_| {})
        .link("pdf_report", "documents", "")
        .link("zip_log", "documents", "")
        .link("zip_report", "documents", "")
        .headers(
            "documents",
            "pdf_reports",
            &[("x-match", "all"), ("format", "pdf"), ("type", "report")],
        )
        .headers(
            "documents",
            "pdf_or_logs",
            &[("x-match", "any"), ("format", "pdf"), ("type", "log")],
        )
        .done()
}

fn rpc() -> Design {
    B::new("RPC", 1)
        .producer("rpc_client", |p| {
            p.body = "fib({n})".into();
            p.correlation_id = "req-{n}".into();
            p.reply_to = "callback".into();
        })
        .producer("fast_client", |p| {
            p.body = "fast fib({n})".into();
            p.correlation_id = "fast-{n}".into();
            p.reply_to = crate::design::DIRECT_REPLY_TO.into();
        })
        .queue("rpc_queue", |_| {})
        .queue("callback", |q| {
            q.server_named = true;
            q.exclusive = true;
        })
        .consumer("rpc_server", |c| {
            c.reply = true;
            c.processing_ms = 500;
        })
        .consumer("rpc_client_replies", |c| c.auto_ack = true)
        .link("rpc_client", "rpc_queue", "")
        .link("fast_client", "rpc_queue", "")
        .link("rpc_queue", "rpc_server", "")
        .link("callback", "rpc_client_replies", "")
        .done()
}

fn confirms() -> Design {
    B::new("Publisher confirms and returns", 1)
        .producer("shop", |p| {
            p.routing_key = "new".into();
            p.body = "order {n}".into();
            p.confirm = true;
            p.mandatory = true;
        })
        .exchange("orders", "direct")
        .queue("new_orders", |_| {})
        .link("shop", "orders", "")
        .link("orders", "new_orders", "new")
        .done()
}

fn dead_letters() -> Design {
    B::new("Dead letters, TTL and retry", 2)
        .producer("jobs", |p| {
            p.routing_key = "job".into();
            p.body = "job {n}".into();
        })
        .exchange("work", "direct")
        .exchange("retry", "direct")
        .queue("work_q", |q| q.dead_letter_exchange = Some("retry".into()))
        .queue("retry_wait", |q| {
            q.message_ttl = Some(2500);
            q.dead_letter_exchange = Some("work".into());
        })
        .consumer("worker", |c| {
            c.failure_pct = 50;
            c.on_failure = OnFailure::Reject;
            c.requeue = false;
        })
        .link("jobs", "work", "")
        .link("work", "work_q", "job")
        .link("retry", "retry_wait", "job")
        .link("work_q", "worker", "")
        .done()
}

fn peak_shaving() -> Design {
    let worker = |c: &mut Consumer| c.processing_ms = 800;
    B::new("Order system: peak shaving", 1)
        .producer("checkout", |p| {
            p.routing_key = "order.created".into();
            p.body = "order {n}".into();
            p.burst = 20;
            p.persistent = true;
        })
        .exchange("shop", "topic")
        .queue("orders", |q| q.durable = true)
        .consumer("worker-1", worker)
        .consumer("worker-2", worker)
        .consumer("worker-3", worker)
        .link("checkout", "shop", "")
        .link("shop", "orders", "order.*")
        .link("orders", "worker-1", "")
        .link("orders", "worker-2", "")
        .link("orders", "worker-3", "")
        .done()
}

macro_rules! t {
    ($en:expr, $zh:expr $(,)?) => {
        T { en: $en, zh: $zh }
    };
}

/// The tutorials, in order.
pub static TUTORIALS: &[Tutorial] = &[
    Tutorial {
        id: "hello-world",
        title: t!("1. Hello World", "1. Hello World（你好，世界）"),
        intro: t!(
            "The simplest thing RabbitMQ does: a producer sends a message to a queue and a consumer receives it. The producer publishes to the default exchange (the one with an empty name) with the queue's name as routing key: every queue is bound to it under its own name.",
            "RabbitMQ 最简单的用法：生产者（producer）把消息发到队列（queue），消费者（consumer）从队列接收。生产者发布到默认交换机（名字为空的那个），路由键（routing key）就是队列名：每个队列都以自己的名字绑定在默认交换机上。"
        ),
        build: hello_world,
        steps: &[
            Step {
                say: t!("sender publishes one message.", "sender 发布一条消息。"),
                watch: t!(
                    "The dot leaves sender, passes the default exchange, stops in hello for an instant and reaches receiver. receiver consumes with auto_ack, so the message is gone as soon as it is delivered: hello shows ready 0 · unacked 0.",
                    "圆点从 sender 出发，经过默认交换机，在 hello 里稍作停留，然后到达 receiver。receiver 以 auto_ack 方式消费，消息一投递就被删除：hello 显示 ready 0 · unacked 0。"
                ),
                acts: &[Act::Publish("sender")],
            },
            Step {
                say: t!("Stop receiver: its client dies.", "停止 receiver：它的客户端退出了。"),
                watch: t!(
                    "receiver is drawn as stopped. Nothing consumes from hello any more, but hello is still there: queues do not belong to consumers.",
                    "receiver 显示为 stopped（已停止）。hello 不再有消费者，但队列还在：队列不属于消费者。"
                ),
                acts: &[Act::Stop("receiver")],
            },
            Step {
                say: t!("sender publishes three more messages.", "sender 再发布三条消息。"),
                watch: t!(
                    "With no consumer the messages wait in the queue: one small square per ready message under hello.",
                    "没有消费者时，消息在队列里等待：hello 下方每条就绪（ready）消息一个小方块。"
                ),
                acts: &[Act::Publish("sender"), Act::Publish("sender"), Act::Publish("sender")],
            },
        ],
        question: Question {
            ask: t!("How many messages are ready in the queue hello now?", "现在队列 hello 里有多少条就绪（ready）消息？"),
            measure: Measure::Ready("hello"),
            look: t!("the counts under hello: ready N · unacked M", "hello 下方的计数：ready N · unacked M"),
            why: t!(
                "A queue keeps its messages until a consumer takes them; RabbitMQ does not drop them because nobody is listening. Start a receiver and they would be delivered at once.",
                "队列会一直保存消息，直到有消费者取走；没有人监听时 RabbitMQ 也不会丢弃它们。再启动一个接收者，它们会立刻被投递。"
            ),
        },
    },
    Tutorial {
        id: "work-queues",
        title: t!("2. Work queues", "2. Work queues（工作队列）"),
        intro: t!(
            "One queue of tasks shared by two workers. worker-1 needs 3 s per task, worker-2 only 1 s. The tasks are persistent (delivery_mode 2) and task_queue is durable. Four steps: round-robin, fair dispatch, a worker dying, a broker restart.",
            "两个工作者（worker）共享一个任务队列。worker-1 处理一个任务要 3 秒，worker-2 只要 1 秒。任务是持久化消息（delivery_mode 2），task_queue 是持久化（durable）队列。四步：轮询分发、公平分发、工作者崩溃、broker 重启。"
        ),
        build: work_queues,
        steps: &[
            Step {
                say: t!(
                    "Round-robin: new_task publishes 6 tasks. Neither worker has a prefetch limit.",
                    "轮询分发：new_task 发布 6 个任务。两个工作者都没有设置 prefetch 限制。"
                ),
                watch: t!(
                    "RabbitMQ hands the tasks out in turn as soon as they arrive — 1 to worker-1, 2 to worker-2, 3 to worker-1… — without looking at how busy a worker is. Slow worker-1 gets as many as fast worker-2 and finishes long after it.",
                    "消息一到，RabbitMQ 就轮流分发——1 给 worker-1，2 给 worker-2，3 给 worker-1……——不看工作者忙不忙。慢的 worker-1 和快的 worker-2 拿到一样多，也比它晚很久才做完。"
                ),
                acts: &[Act::Publish("new_task")],
            },
            Step {
                say: t!(
                    "Fair dispatch: basic_qos(prefetch_count=1) on both workers (changing a setting starts the simulation again), then 6 tasks again.",
                    "公平分发：两个工作者都设置 basic_qos(prefetch_count=1)（修改设置会让模拟重新开始），然后再发 6 个任务。"
                ),
                watch: t!(
                    "Each worker now holds at most one unacknowledged task (one slot). The broker gives the next task to whoever has acked, so fast worker-2 takes most of them.",
                    "现在每个工作者最多持有一个未确认（unacked）的任务（一个槽位）。谁先确认，broker 就把下一个任务给谁，所以快的 worker-2 拿走了大部分。"
                ),
                acts: &[Act::Prefetch("worker-1", 1), Act::Prefetch("worker-2", 1), Act::Publish("new_task")],
            },
            Step {
                say: t!(
                    "A worker dies: 6 more tasks, and worker-1 is stopped right away, holding a task it has not acknowledged.",
                    "工作者崩溃：再发 6 个任务，并立刻停止 worker-1，此时它手里有一个还没确认的任务。"
                ),
                watch: t!(
                    "The unacknowledged task goes back to task_queue (purple dot) and is delivered again, to worker-2, with redelivered=true. Only acknowledged tasks leave the queue, so none is lost.",
                    "未确认的任务回到 task_queue（紫色圆点），再次投递给 worker-2，并带有 redelivered=true。只有被确认的任务才会离开队列，所以一个也不会丢。"
                ),
                acts: &[Act::Publish("new_task"), Act::Stop("worker-1")],
            },
            Step {
                say: t!(
                    "Durability: stop worker-2 too, publish 6 tasks, and restart the broker.",
                    "持久化：把 worker-2 也停掉，发布 6 个任务，然后重启 broker。"
                ),
                watch: t!(
                    "task_queue is durable and the tasks are persistent, so both survive the restart. A non-durable queue would be gone (drawn dashed), and transient messages with it.",
                    "task_queue 是持久化队列，任务是持久化消息，所以都在重启后保留下来。非持久化队列会消失（虚线显示），里面的非持久化消息也一起消失。"
                ),
                acts: &[Act::Stop("worker-2"), Act::Publish("new_task"), Act::Restart],
            },
        ],
        question: Question {
            ask: t!("After the restart, how many tasks are ready in task_queue?", "重启之后，task_queue 里有多少个就绪（ready）任务？"),
            measure: Measure::Ready("task_queue"),
            look: t!("the counts under task_queue", "task_queue 下方的计数"),
            why: t!(
                "Persistent messages in a durable queue survive a restart; the task of the worker that died was requeued, not lost. Both need the worker to ack only after the work is done (auto_ack=False).",
                "持久化队列里的持久化消息能在重启后保留；崩溃的工作者手里的任务被重新入队，而不是丢失。前提是工作者在处理完成后才确认（auto_ack=False）。"
            ),
        },
    },
    Tutorial {
        id: "publish-subscribe",
        title: t!("3. Publish/Subscribe", "3. Publish/Subscribe（发布/订阅）"),
        intro: t!(
            "A fanout exchange copies every message to every queue bound to it and ignores the routing key. Each subscriber declares its own queue with an empty name — the broker names it amq.gen-… — and exclusive=True, so the queue belongs to the subscriber's connection.",
            "fanout 交换机把每条消息复制给所有绑定到它的队列，忽略路由键。每个订阅者声明一个名字为空的队列——由 broker 命名为 amq.gen-……——并设置 exclusive=True，这样队列属于订阅者自己的连接。"
        ),
        build: publish_subscribe,
        steps: &[
            Step {
                say: t!("emit_log publishes one log message.", "emit_log 发布一条日志消息。"),
                watch: t!(
                    "logs makes one copy per bound queue: both subscribers get the message.",
                    "logs 为每个绑定的队列复制一份：两个订阅者都收到了这条消息。"
                ),
                acts: &[Act::Publish("emit_log")],
            },
            Step {
                say: t!("Stop receive_logs-2.", "停止 receive_logs-2。"),
                watch: t!(
                    "Its connection closes, so its exclusive queue is deleted with it (drawn dashed: not on the broker), and so is the binding.",
                    "它的连接关闭了，所以它的排他（exclusive）队列也随之删除（虚线显示：broker 上已不存在），绑定也一起没了。"
                ),
                acts: &[Act::Stop("receive_logs-2")],
            },
            Step {
                say: t!("emit_log publishes two more.", "emit_log 再发布两条。"),
                watch: t!(
                    "Only the queue still bound gets copies. A fanout exchange keeps nothing for subscribers that are gone.",
                    "只有仍然绑定的队列收到副本。fanout 交换机不会为已经离开的订阅者保留任何消息。"
                ),
                acts: &[Act::Publish("emit_log"), Act::Publish("emit_log")],
            },
        ],
        question: Question {
            ask: t!("How many messages did receive_logs-2 get in all?", "receive_logs-2 一共收到了多少条消息？"),
            measure: Measure::Got("receive_logs-2"),
            look: t!("got N under receive_logs-2", "receive_logs-2 下方的 got N"),
            why: t!(
                "A subscriber sees only what is published while its queue exists and is bound. That is what temporary, exclusive queues are for: fresh logs to whoever is listening now.",
                "订阅者只能收到它的队列存在并且已绑定期间发布的消息。这正是临时排他队列的用途：把最新的日志发给此刻正在监听的人。"
            ),
        },
    },
    Tutorial {
        id: "routing",
        title: t!("4. Routing", "4. Routing（路由）"),
        intro: t!(
            "A direct exchange delivers a message to the queues whose binding key equals its routing key. disk is bound with error; screen is bound three times, with info, warning and error.",
            "direct 交换机把消息投递给绑定键（binding key）与路由键完全相同的队列。disk 以 error 绑定；screen 绑定了三次：info、warning 和 error。"
        ),
        build: routing,
        steps: &[
            Step {
                say: t!("Publish with routing key error.", "以路由键 error 发布。"),
                watch: t!(
                    "Both queues have a binding with key error, so both get a copy: one key, many queues.",
                    "两个队列都有键为 error 的绑定，所以各收到一份：一个键，多个队列。"
                ),
                acts: &[Act::PublishKey("emit_log_direct", "error")],
            },
            Step {
                say: t!("Publish with info, then with warning.", "先以 info、再以 warning 发布。"),
                watch: t!(
                    "Both go to screen only: many keys, one queue.",
                    "两条都只进入 screen：多个键，一个队列。"
                ),
                acts: &[
                    Act::PublishKey("emit_log_direct", "info"),
                    Act::PublishKey("emit_log_direct", "warning"),
                ],
            },
            Step {
                say: t!("Publish with debug.", "以 debug 发布。"),
                watch: t!(
                    "No binding has the key debug: the exchange drops the message (the grey dot falls). It was not mandatory, so nobody is told.",
                    "没有键为 debug 的绑定：交换机丢弃了这条消息（灰色圆点落下）。它没有设置 mandatory，所以没有人会收到通知。"
                ),
                acts: &[Act::PublishKey("emit_log_direct", "debug")],
            },
        ],
        question: Question {
            ask: t!("How many messages are ready in screen?", "screen 里有多少条就绪消息？"),
            measure: Measure::Ready("screen"),
            look: t!("the counts under screen", "screen 下方的计数"),
            why: t!(
                "screen matched error, info and warning; debug matched nothing anywhere. Click a message in the log to see which binding matched it.",
                "screen 匹配了 error、info 和 warning；debug 哪里都没匹配上。在日志里点击一条消息，可以看到是哪个绑定匹配了它。"
            ),
        },
    },
    Tutorial {
        id: "topics",
        title: t!("5. Topics", "5. Topics（主题）"),
        intro: t!(
            "A topic exchange matches routing keys word by word (words are separated by dots): * stands for exactly one word, # for zero or more. Q1 is bound with *.orange.*; Q2 with *.*.rabbit and lazy.#.",
            "topic 交换机按单词匹配路由键（单词之间用点分隔）：* 恰好代表一个单词，# 代表零个或多个单词。Q1 以 *.orange.* 绑定；Q2 以 *.*.rabbit 和 lazy.# 绑定。"
        ),
        build: topics,
        steps: &[
            Step {
                say: t!("Publish quick.orange.rabbit and lazy.orange.elephant.", "发布 quick.orange.rabbit 和 lazy.orange.elephant。"),
                watch: t!(
                    "Each goes to both queues.",
                    "两条都进入两个队列。"
                ),
                acts: &[
                    Act::PublishKey("emit_log_topic", "quick.orange.rabbit"),
                    Act::PublishKey("emit_log_topic", "lazy.orange.elephant"),
                ],
            },
            Step {
                say: t!("Publish quick.orange.fox and lazy.brown.fox.", "发布 quick.orange.fox 和 lazy.brown.fox。"),
                watch: t!(
                    "quick.orange.fox matches only *.orange.* (Q1); lazy.brown.fox only lazy.# (Q2).",
                    "quick.orange.fox 只匹配 *.orange.*（Q1）；lazy.brown.fox 只匹配 lazy.#（Q2）。"
                ),
                acts: &[
                    Act::PublishKey("emit_log_topic", "quick.orange.fox"),
                    Act::PublishKey("emit_log_topic", "lazy.brown.fox"),
                ],
            },
            Step {
                say: t!("Publish lazy.pink.rabbit and quick.brown.fox.", "发布 lazy.pink.rabbit 和 quick.brown.fox。"),
                watch: t!(
                    "lazy.pink.rabbit matches both of Q2's bindings but reaches Q2 once. quick.brown.fox matches nothing and falls.",
                    "lazy.pink.rabbit 同时匹配 Q2 的两个绑定，但只进入 Q2 一次。quick.brown.fox 什么都不匹配，被丢弃。"
                ),
                acts: &[
                    Act::PublishKey("emit_log_topic", "lazy.pink.rabbit"),
                    Act::PublishKey("emit_log_topic", "quick.brown.fox"),
                ],
            },
            Step {
                say: t!(
                    "Publish orange, quick.orange.new.rabbit and lazy.orange.new.rabbit.",
                    "发布 orange、quick.orange.new.rabbit 和 lazy.orange.new.rabbit。"
                ),
                watch: t!(
                    "orange (one word) and quick.orange.new.rabbit (four words) match nothing: * is exactly one word. lazy.orange.new.rabbit matches lazy.#.",
                    "orange（一个单词）和 quick.orange.new.rabbit（四个单词）什么都不匹配：* 恰好是一个单词。lazy.orange.new.rabbit 匹配 lazy.#。"
                ),
                acts: &[
                    Act::PublishKey("emit_log_topic", "orange"),
                    Act::PublishKey("emit_log_topic", "quick.orange.new.rabbit"),
                    Act::PublishKey("emit_log_topic", "lazy.orange.new.rabbit"),
                ],
            },
        ],
        question: Question {
            ask: t!("How many messages are ready in Q2?", "Q2 里有多少条就绪消息？"),
            measure: Measure::Ready("Q2"),
            look: t!("the counts under Q2", "Q2 下方的计数"),
            why: t!(
                "Q2 got quick.orange.rabbit, lazy.orange.elephant, lazy.brown.fox, lazy.pink.rabbit (once) and lazy.orange.new.rabbit. Click one in the log: the words are lined up against each binding.",
                "Q2 收到了 quick.orange.rabbit、lazy.orange.elephant、lazy.brown.fox、lazy.pink.rabbit（只一次）和 lazy.orange.new.rabbit。在日志里点击其中一条：每个单词都和绑定逐一对齐显示。"
            ),
        },
    },
    Tutorial {
        id: "headers",
        title: t!("6. Headers exchange", "6. Headers 交换机（头交换机）"),
        intro: t!(
            "A headers exchange ignores the routing key and compares the message's headers with each binding's arguments. x-match=all needs every listed header to be equal; x-match=any needs one.",
            "headers 交换机忽略路由键，拿消息的头（headers）和每个绑定的参数比较。x-match=all 要求列出的每个头都相等；x-match=any 只要有一个相等。"
        ),
        build: headers,
        steps: &[
            Step {
                say: t!("pdf_report publishes: format=pdf, type=report.", "pdf_report 发布：format=pdf, type=report。"),
                watch: t!(
                    "It satisfies both bindings: all of pdf_reports' headers, and format=pdf for pdf_or_logs.",
                    "它同时满足两个绑定：pdf_reports 的全部头，以及 pdf_or_logs 的 format=pdf。"
                ),
                acts: &[Act::Publish("pdf_report")],
            },
            Step {
                say: t!("zip_log publishes: format=zip, type=log.", "zip_log 发布：format=zip, type=log。"),
                watch: t!(
                    "type=log is enough for pdf_or_logs (any); pdf_reports needs both headers (all).",
                    "对 pdf_or_logs（any）来说 type=log 就够了；pdf_reports 需要两个头都匹配（all）。"
                ),
                acts: &[Act::Publish("zip_log")],
            },
            Step {
                say: t!("zip_report publishes: format=zip, type=report.", "zip_report 发布：format=zip, type=report。"),
                watch: t!(
                    "It matches neither: all fails on format, any finds neither pdf nor log. The message is dropped.",
                    "两个都不匹配：all 在 format 上不相等，any 既找不到 pdf 也找不到 log。消息被丢弃。"
                ),
                acts: &[Act::Publish("zip_report")],
            },
        ],
        question: Question {
            ask: t!("How many messages are ready in pdf_or_logs?", "pdf_or_logs 里有多少条就绪消息？"),
            measure: Measure::Ready("pdf_or_logs"),
            look: t!("the counts under pdf_or_logs", "pdf_or_logs 下方的计数"),
            why: t!(
                "pdf_report matched on format=pdf and zip_log on type=log. Click a message in the log to see each header compared.",
                "pdf_report 因 format=pdf 匹配，zip_log 因 type=log 匹配。在日志里点击一条消息，可以看到每个头的比较结果。"
            ),
        },
    },
    Tutorial {
        id: "rpc",
        title: t!("7. RPC", "7. RPC（远程过程调用）"),
        intro: t!(
            "A request/reply over queues. The client publishes a request to rpc_queue with reply_to (its callback queue, named by the broker) and a correlation_id; rpc_server works, then publishes the answer to the default exchange with routing key = reply_to and the same correlation_id.",
            "用队列实现请求/应答。客户端把请求发到 rpc_queue，带上 reply_to（它的回调队列，由 broker 命名）和 correlation_id；rpc_server 处理后，把结果发到默认交换机，路由键就是 reply_to，并带上同一个 correlation_id。"
        ),
        build: rpc,
        steps: &[
            Step {
                say: t!("rpc_client sends request req-1.", "rpc_client 发送请求 req-1。"),
                watch: t!(
                    "The request waits for rpc_server, which answers after 0.5 s; the reply lands in the callback queue and rpc_client_replies receives it. Click the reply in the log: it is paired with its request by correlation id.",
                    "请求等待 rpc_server 处理，0.5 秒后得到应答；应答进入回调队列，由 rpc_client_replies 接收。在日志里点击这条应答：它通过 correlation id 与请求配对。"
                ),
                acts: &[Act::Publish("rpc_client")],
            },
            Step {
                say: t!("rpc_client sends two more requests.", "rpc_client 再发送两个请求。"),
                watch: t!(
                    "One callback queue serves all the client's requests; correlation_id tells the replies apart.",
                    "一个回调队列服务客户端的所有请求；correlation_id 用来区分各个应答。"
                ),
                acts: &[Act::Publish("rpc_client"), Act::Publish("rpc_client")],
            },
            Step {
                say: t!(
                    "Direct reply-to: fast_client consumes the pseudo-queue amq.rabbitmq.reply-to (no-ack) and sends a request with reply_to = amq.rabbitmq.reply-to.",
                    "Direct reply-to（直接回复）：fast_client 以 no-ack 方式消费伪队列 amq.rabbitmq.reply-to，并以 reply_to = amq.rabbitmq.reply-to 发送请求。"
                ),
                watch: t!(
                    "The broker rewrites reply_to to a name for fast_client's channel; the reply goes straight back to fast_client through no queue — nothing to declare or delete. fast_client shows replies 1.",
                    "broker 把 reply_to 改写成指向 fast_client 所在信道的名字；应答不经过任何队列直接回到 fast_client——无需声明，也无需删除。fast_client 显示 replies 1。"
                ),
                acts: &[Act::Publish("fast_client")],
            },
        ],
        question: Question {
            ask: t!(
                "How many replies did rpc_client_replies get from the callback queue?",
                "rpc_client_replies 从回调队列收到了多少个应答？"
            ),
            measure: Measure::Got("rpc_client_replies"),
            look: t!("got N under rpc_client_replies", "rpc_client_replies 下方的 got N"),
            why: t!(
                "One reply per request of rpc_client; fast_client's reply did not pass through the callback queue.",
                "rpc_client 的每个请求对应一个应答；fast_client 的应答没有经过回调队列。"
            ),
        },
    },
    Tutorial {
        id: "publisher-confirms",
        title: t!("8. Publisher confirms and returns", "8. 发布确认（publisher confirms）与退回"),
        intro: t!(
            "shop turned on publisher confirms (confirm_select): the broker acks every message it has taken responsibility for. It also publishes with mandatory=True: a message no queue would take comes back (basic.return) instead of vanishing.",
            "shop 开启了发布确认（confirm_select）：broker 对每条它已负责的消息发送 ack。它还以 mandatory=True 发布：没有任何队列接收的消息会被退回（basic.return），而不是悄悄消失。"
        ),
        build: confirms,
        steps: &[
            Step {
                say: t!("shop publishes an order with routing key new.", "shop 以路由键 new 发布一个订单。"),
                watch: t!(
                    "Once the order is in new_orders the broker confirms it: shop shows acks 1.",
                    "订单进入 new_orders 后 broker 发出确认：shop 显示 acks 1。"
                ),
                acts: &[Act::Publish("shop")],
            },
            Step {
                say: t!("shop publishes with a typo in the key: nwe.", "shop 发布时把路由键写错成 nwe。"),
                watch: t!(
                    "No binding matches. Because of mandatory the broker returns the message to shop (red dot, 312 NO_ROUTE) — and then acks it all the same.",
                    "没有绑定匹配。因为设置了 mandatory，broker 把消息退回给 shop（红色圆点，312 NO_ROUTE）——然后照样发送 ack。"
                ),
                acts: &[Act::PublishKey("shop", "nwe")],
            },
            Step {
                say: t!("shop publishes one more order with key new.", "shop 再以路由键 new 发布一个订单。"),
                watch: t!("Routed, queued, acked.", "路由、入队、确认。"),
                acts: &[Act::Publish("shop")],
            },
        ],
        question: Question {
            ask: t!("How many publisher acks did shop get?", "shop 一共收到了多少个发布确认（ack）？"),
            measure: Measure::Acks("shop"),
            look: t!("the line under shop: acks N · returned M", "shop 下方的一行：acks N · returned M"),
            why: t!(
                "Every message was acked, the returned one too: an ack says the broker has dealt with the message, not that a queue has it. Only the return tells you it was unroutable.",
                "每条消息都得到了 ack，被退回的那条也一样：ack 表示 broker 已经处理了这条消息，而不是说它进了某个队列。只有退回才告诉你它无法路由。"
            ),
        },
    },
    Tutorial {
        id: "dead-letters",
        title: t!("9. Dead letters, TTL and retry", "9. 死信、TTL 与重试"),
        intro: t!(
            "worker rejects half of its jobs (basic_reject, requeue=False). work_q has a dead-letter exchange, retry: rejected jobs go there, into retry_wait, which has x-message-ttl 2500 ms, no consumer, and work as its own dead-letter exchange. When a job expires there it goes back to work: a delayed retry.",
            "worker 会拒绝一半的任务（basic_reject, requeue=False）。work_q 设置了死信交换机 retry：被拒绝的任务会进入 retry_wait。retry_wait 设置了 x-message-ttl 2500 毫秒，没有消费者，并以 work 作为自己的死信交换机。任务在那里过期后回到 work：这就是延迟重试。"
        ),
        build: dead_letters,
        steps: &[
            Step {
                say: t!("jobs publishes a job.", "jobs 发布一个任务。"),
                watch: t!(
                    "If worker rejects it, work_q dead-letters it (black dot) to retry, and it waits in retry_wait. 2.5 s later it expires and is dead-lettered back to work, then delivered again.",
                    "如果 worker 拒绝了它，work_q 把它作为死信（黑色圆点）发给 retry，在 retry_wait 里等待。2.5 秒后过期，再作为死信回到 work，然后再次投递。"
                ),
                acts: &[Act::Publish("jobs")],
            },
            Step {
                say: t!("jobs publishes a second job.", "jobs 发布第二个任务。"),
                watch: t!(
                    "Click a retried job in the log: its x-death header counts the rounds, with the queue and the reason (rejected, expired).",
                    "在日志里点击一个重试过的任务：它的 x-death 头记录了每一轮，包括队列和原因（rejected、expired）。"
                ),
                acts: &[Act::Publish("jobs")],
            },
            Step {
                say: t!("jobs publishes a third job.", "jobs 发布第三个任务。"),
                watch: t!(
                    "Every job is eventually acked; none is lost, however often it failed.",
                    "每个任务最终都会被确认；不管失败多少次，都不会丢失。"
                ),
                acts: &[Act::Publish("jobs")],
            },
        ],
        question: Question {
            ask: t!(
                "How many deliveries did worker get in all, first tries and retries?",
                "worker 一共收到了多少次投递（首次加重试）？"
            ),
            measure: Measure::Got("worker"),
            look: t!("got N under worker", "worker 下方的 got N"),
            why: t!(
                "Three first tries plus one delivery per retry. A real system would stop after a few rounds (count x-death) and park the job in a queue of its own.",
                "三次首次投递，加上每次重试一次投递。真实系统会在几轮之后停止（数一数 x-death），把任务放进单独的“停车”队列。"
            ),
        },
    },
    Tutorial {
        id: "peak-shaving",
        title: t!("10. An order system: peak shaving", "10. 订单系统：削峰填谷"),
        intro: t!(
            "A flash sale sends orders in bursts. Instead of hitting the database at once, checkout publishes them to a durable queue; three workers, each with prefetch_count=1 and 0.8 s per order, take them at the pace the database can bear.",
            "秒杀活动中订单成批涌入。checkout 不直接冲击数据库，而是把订单发到持久化队列；三个工作者各自 prefetch_count=1、每单 0.8 秒，按数据库能承受的速度处理。"
        ),
        build: peak_shaving,
        steps: &[
            Step {
                say: t!("The sale opens: 20 orders at once.", "活动开始：一下子来了 20 个订单。"),
                watch: t!(
                    "The queue absorbs the peak (its row of squares), the workers never hold more than one order each, and the backlog drains at a steady three orders per 0.8 s.",
                    "队列吸收了峰值（一排小方块），每个工作者最多同时持有一个订单，积压以每 0.8 秒三个订单的稳定速度消化。"
                ),
                acts: &[Act::Publish("checkout")],
            },
            Step {
                say: t!("A second wave: 20 more orders.", "第二波：又来了 20 个订单。"),
                watch: t!(
                    "The queue grows again and drains again; nothing is refused and the workers' pace does not change.",
                    "队列再次增长、再次消化；没有订单被拒绝，工作者的节奏也没有变。"
                ),
                acts: &[Act::Publish("checkout")],
            },
        ],
        question: Question {
            ask: t!("How many orders did worker-3 handle?", "worker-3 处理了多少个订单？"),
            measure: Measure::Got("worker-3"),
            look: t!("got N under worker-3", "worker-3 下方的 got N"),
            why: t!(
                "With equal speeds and prefetch 1 the orders are shared out evenly; the queue, not the workers, took the peak.",
                "速度相同、prefetch 为 1 时，订单被平均分配；承受峰值的是队列，而不是工作者。"
            ),
        },
    },
];

pub fn by_id(id: &str) -> Option<&'static Tutorial> {
    TUTORIALS.iter().find(|t| t.id == id)
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
        for act in step.acts {
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
