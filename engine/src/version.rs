//! Which RabbitMQ the engine is: 3.10 (3.10.8, Debian 12's) or 4.3 (4.3.6, Debian unstable's).
//! A rule whose behaviour differs between them asks [`Rules::four`] in its own file, naming the
//! [`Difference`]; what differs, and where it was seen, is in `docs/versions.md`.

use std::fmt;

/// A RabbitMQ version the engine follows, each checked against its real broker's traces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// RabbitMQ 3.10.8: what files and links made before versions existed were made for.
    #[default]
    V3_10,
    /// RabbitMQ 4.3.6.
    V4_3,
}

impl Version {
    /// Every version, oldest first.
    pub const ALL: [Version; 2] = [Version::V3_10, Version::V4_3];

    /// As files, links and the command line write it: `3.10`, `4.3`.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V3_10 => "3.10",
            Version::V4_3 => "4.3",
        }
    }

    /// The release the engine was checked against (`rabbit_version` in exported definitions).
    pub fn release(self) -> &'static str {
        match self {
            Version::V3_10 => "3.10.8",
            Version::V4_3 => "4.3.6",
        }
    }

    /// `3.10` or `4.3` (a release of either, `3.10.8`, `4.3.6`, reads as it).
    pub fn parse(s: &str) -> Result<Version, String> {
        let t = s.trim();
        for v in Version::ALL {
            if t == v.as_str() || t.strip_prefix(v.as_str()).is_some_and(|r| r.starts_with('.')) {
                return Ok(v);
            }
        }
        Err(format!("no RabbitMQ {t:?} here: the versions are 3.10 and 4.3"))
    }

    /// 4.0 or later (Khepri metadata, deprecated features denied by default).
    pub fn four(self) -> bool {
        self >= Version::V4_3
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place where 3.10 and 4.3 differ. The rule that differs names it when it asks which version
/// it follows ([`Rules::four`]), so that running a scenario on both can say why an event differs
/// (`warren diff --rabbitmq 3.10 --rabbitmq 4.3`, the page's comparison).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Difference {
    /// `broker/permissions.rs`: a refusal names the permission.
    PermissionNamed,
    /// `broker/permissions.rs`: a passive declare needs a permission.
    PassiveDeclare,
    /// `broker/prefetch.rs`: `global_qos` denied.
    GlobalQos,
    /// `broker/exchange.rs`: an unknown exchange type closes the channel.
    UnknownExchangeType,
    /// `broker/dead_letter.rs`: `x-last-death-*`.
    LastDeath,
    /// `broker/dead_letter.rs`: a dead letter carries its delivery count (arrives redelivered).
    RejectRedelivered,
    /// `broker/dead_letter.rs`: `CC` kept with a dead-letter routing key.
    DeadLetterCc,
    /// `broker/delivery.rs`, `broker/acks.rs`: a quorum queue's count headers.
    QuorumCounts,
    /// `broker/acks.rs`: a quorum queue's default delivery limit.
    QuorumDeliveryLimit,
    /// `broker/overflow.rs`: a quorum queue counts properties against its byte limit.
    QuorumBytes,
    /// `broker/delivery.rs`: `basic.get` on a single-active-consumer quorum queue.
    QuorumGetText,
    /// `broker/queue_declare.rs`: another queue type, another text.
    QueueTypeText,
    /// `broker/restart.rs`: transient exchanges survive a restart.
    TransientExchanges,
    /// `broker/exchange.rs`: the log exchange `amq.rabbitmq.log`.
    LogExchange,
    /// `node/server.rs`: `delete_user`, `clear_permissions` of what is not there.
    CtlMissing,
    /// `broker/queue_deletion.rs`, `node/ctl/`: `delete_queue`, `purge_queue` texts.
    CtlQueues,
    /// `node/pcre/pcre2.rs`: permissions' patterns compiled by PCRE2 (Erlang 29).
    Pcre2,
}

impl Difference {
    pub const ALL: [Difference; 17] = [
        Difference::PermissionNamed,
        Difference::PassiveDeclare,
        Difference::GlobalQos,
        Difference::UnknownExchangeType,
        Difference::LastDeath,
        Difference::RejectRedelivered,
        Difference::DeadLetterCc,
        Difference::QuorumCounts,
        Difference::QuorumDeliveryLimit,
        Difference::QuorumBytes,
        Difference::QuorumGetText,
        Difference::QueueTypeText,
        Difference::TransientExchanges,
        Difference::LogExchange,
        Difference::CtlMissing,
        Difference::CtlQueues,
        Difference::Pcre2,
    ];

    /// The rule's file, under `engine/src/`.
    pub fn rule(self) -> &'static str {
        use Difference::*;
        match self {
            PermissionNamed | PassiveDeclare => "broker/permissions.rs",
            GlobalQos => "broker/prefetch.rs",
            UnknownExchangeType | LogExchange => "broker/exchange.rs",
            LastDeath | RejectRedelivered | DeadLetterCc => "broker/dead_letter.rs",
            QuorumCounts | QuorumGetText => "broker/delivery.rs",
            QuorumDeliveryLimit => "broker/acks.rs",
            QuorumBytes => "broker/overflow.rs",
            QueueTypeText => "broker/queue_declare.rs",
            TransientExchanges => "broker/restart.rs",
            CtlMissing => "node/server.rs",
            CtlQueues => "node/ctl/",
            Pcre2 => "node/pcre/pcre2.rs",
        }
    }

    /// Why the two differ here, in a line: (English, Simplified Chinese).
    pub fn reason(self) -> (&'static str, &'static str) {
        use Difference::*;
        match self {
            PermissionNamed => (
                "RabbitMQ 4.x names the missing permission (configure, write or read) in ACCESS_REFUSED; 3.10 says only \"access to\".",
                "RabbitMQ 4.x 在 ACCESS_REFUSED 中写明缺少的权限（configure、write 或 read）；3.10 只写 “access to”。",
            ),
            PassiveDeclare => (
                "In 4.x a passive declare (does it exist?) needs configure, write or read on the name; in 3.10 anyone may ask.",
                "4.x 中被动声明（询问是否存在）需要对该名称有 configure、write 或 read 权限之一；3.10 中谁都可以问。",
            ),
            GlobalQos => (
                "4.x denies the deprecated feature global_qos: basic.qos(global=True) sets each consumer's prefetch, not the channel's.",
                "4.x 禁用了已弃用的 global_qos：basic.qos(global=True) 设置的是每个消费者的预取，而不是整个信道的。",
            ),
            UnknownExchangeType => (
                "An unknown exchange type closes only the channel in 4.x (406 PRECONDITION_FAILED); 3.10 closes the connection (503 COMMAND_INVALID).",
                "未知的交换器类型在 4.x 中只关闭信道（406 PRECONDITION_FAILED）；3.10 关闭整个连接（503 COMMAND_INVALID）。",
            ),
            LastDeath => (
                "4.x adds x-last-death-exchange, -queue and -reason (where the latest dead-lettering happened) beside x-first-death-*.",
                "4.x 在 x-first-death-* 之外还加上 x-last-death-exchange、-queue 和 -reason（最近一次成为死信的地方）。",
            ),
            RejectRedelivered => (
                "In 4.x a dead letter keeps its count of failed deliveries (basic.reject, a closed channel; not basic.nack): it arrives redelivered, in a quorum queue with x-delivery-count; 3.10 sends a new message.",
                "在 4.x 中死信保留失败投递的次数（basic.reject、关闭的信道；basic.nack 不算）：到达时带 redelivered 标记，进入仲裁队列时带 x-delivery-count；3.10 发送的是一条新消息。",
            ),
            DeadLetterCc => (
                "With a dead-letter routing key, 4.x keeps the message's CC header; 3.10 drops it.",
                "设置了死信路由键时，4.x 保留消息的 CC 头；3.10 会去掉它。",
            ),
            QuorumCounts => (
                "4.x quorum queues show x-delivery-count only after a nack or reject with requeue, and count every return in x-acquired-count; 3.10 counts every return in x-delivery-count.",
                "4.x 的仲裁队列只在带 requeue 的 nack 或 reject 之后显示 x-delivery-count，每次退回都计入 x-acquired-count；3.10 把每次退回都计入 x-delivery-count。",
            ),
            QuorumDeliveryLimit => (
                "A 4.x quorum queue has a delivery limit of 20 unless one is set, and serves returned messages first; 3.10 has no limit unless set.",
                "4.x 的仲裁队列未设置时投递上限为 20，并优先投递被退回的消息；3.10 未设置时没有上限。",
            ),
            QuorumBytes => (
                "A 4.x quorum queue counts each message's properties (at least 2 bytes) with its body against x-max-length-bytes; 3.10 counts the body only.",
                "4.x 的仲裁队列计算 x-max-length-bytes 时把每条消息的属性（至少 2 字节）和消息体一起算；3.10 只算消息体。",
            ),
            QuorumGetText => (
                "4.x writes the queue type as an Erlang binary (<<\"quorum\">>) when it refuses basic.get on a single-active-consumer quorum queue.",
                "4.x 拒绝对单活跃消费者仲裁队列 basic.get 时，把队列类型写成 Erlang 二进制（<<\"quorum\">>）。",
            ),
            QueueTypeText => (
                "Declaring a queue again with another x-queue-type: 4.x names both types (received 'classic' but current is 'quorum').",
                "用另一种 x-queue-type 再次声明队列时，4.x 写出两种类型（received 'classic' but current is 'quorum'）。",
            ),
            TransientExchanges => (
                "4.x keeps its metadata in Khepri: a transient (non-durable) exchange survives a broker restart; in 3.10 it is gone.",
                "4.x 把元数据存在 Khepri 中：非持久（transient）交换器在 broker 重启后仍在；3.10 中会消失。",
            ),
            LogExchange => (
                "4.x declares the internal topic exchange amq.rabbitmq.log in vhost / for its log (and exports it in definitions); 3.10 has none.",
                "4.x 在 vhost / 中为日志声明内部 topic 交换器 amq.rabbitmq.log（并在定义导出中包含它）；3.10 没有。",
            ),
            CtlMissing => (
                "rabbitmqctl delete_user or clear_permissions of something that is not there succeeds in 4.x; 3.10 fails.",
                "rabbitmqctl 对不存在的对象执行 delete_user 或 clear_permissions，在 4.x 中成功；3.10 中失败。",
            ),
            CtlQueues => (
                "rabbitmqctl delete_queue and purge_queue print other texts, with other exit statuses, in 4.x.",
                "rabbitmqctl delete_queue 和 purge_queue 在 4.x 中输出的文字和退出码不同。",
            ),
            Pcre2 => (
                "4.x runs on Erlang 29, whose regular expressions are PCRE2: set_permissions refuses other patterns (\\y, \\F), with other error texts (~c\"…\").",
                "4.x 运行在 Erlang 29 上，其正则表达式是 PCRE2：set_permissions 拒绝的模式不同（如 \\y、\\F），错误文字也不同（~c\"…\"）。",
            ),
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.reason().0, self.rule())
    }
}

/// The places where the versions differ that a run has met since it last asked (a set).
#[derive(Clone, Debug, Default)]
pub struct Met(std::cell::Cell<u32>);

impl Met {
    pub fn note(&self, d: Difference) {
        self.0.set(self.0.get() | 1 << d as u32);
    }

    /// `version`'s rules, noting here what they meet (a field of its own, so that a rule can ask
    /// while other fields of its broker are borrowed).
    pub fn rules(&self, version: Version) -> Rules<'_> {
        Rules { version, met: self }
    }

    /// What was met, in [`Difference::ALL`]'s order; forgets it.
    pub fn take(&self) -> Vec<Difference> {
        let bits = self.0.replace(0);
        Difference::ALL
            .into_iter()
            .filter(|d| bits & 1 << *d as u32 != 0)
            .collect()
    }
}

/// A version's rules as a rule asks them: the version, and where to note what differs.
#[derive(Clone, Copy, Debug)]
pub struct Rules<'a> {
    pub version: Version,
    pub met: &'a Met,
}

impl Rules<'_> {
    /// Whether the rule follows 4.x at `d`; notes that the run met `d`.
    pub fn four(self, d: Difference) -> bool {
        self.met.note(d);
        self.version.four()
    }
}

#[cfg(test)]
mod tests {
    use super::Version;

    #[test]
    fn versions_read_as_they_are_written() {
        assert_eq!(Version::parse("3.10"), Ok(Version::V3_10));
        assert_eq!(Version::parse("4.3"), Ok(Version::V4_3));
        assert_eq!(Version::parse("4.3.6"), Ok(Version::V4_3));
        assert_eq!(Version::parse(" 3.10.8 "), Ok(Version::V3_10));
        assert!(Version::parse("4.30").is_err());
        assert!(Version::parse("3.1").is_err());
        assert_eq!(
            Version::parse("3.8").unwrap_err(),
            "no RabbitMQ \"3.8\" here: the versions are 3.10 and 4.3"
        );
        assert_eq!(Version::default(), Version::V3_10);
        for v in Version::ALL {
            assert_eq!(Version::parse(&v.to_string()), Ok(v));
        }
    }
}
