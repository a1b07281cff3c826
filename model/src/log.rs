//! The event log's words: each engine event as a line a person reads (its category, for the
//! filter, and its text), in English and in Simplified Chinese, and the messages a line is about.

use warren_engine::event::EventKind;
use warren_engine::exchange::Dest;
use warren_engine::names::VecMap;
use warren_engine::{ConnId, MsgId};

/// A log line for an event: its category (for filtering) and its text, or None for events too
/// small to log (a channel opening).
pub fn describe(e: &EventKind, names: &VecMap<ConnId, String>) -> Option<(&'static str, String)> {
    use warren_engine::event::DropReason;
    let who = |c: &ConnId| names.get(c).cloned().unwrap_or_else(|| format!("connection {}", c.0));
    // a consumer by its tag, and its connection when that is another name (a script's consumer)
    let consumer = |c: &ConnId, tag: &str| match who(c) {
        n if n == tag => format!("consumer {tag}"),
        n => format!("consumer {tag} of {n}"),
    };
    let x = |s: &str| {
        if s.is_empty() {
            "the default exchange".to_string()
        } else {
            format!("exchange '{s}'")
        }
    };
    let dest = |d: &Dest| match d {
        Dest::Queue(q) => format!("queue '{q}'"),
        Dest::Exchange(e) => x(e),
    };
    Some(match e {
        EventKind::Published {
            msg,
            conn,
            exchange,
            message,
            ..
        } => (
            "publish",
            format!(
                "{} published #{} to {} with key '{}': \"{}\"",
                who(conn),
                msg.0,
                x(exchange),
                message.routing_key(),
                message.body_text()
            ),
        ),
        EventKind::Routed {
            msg,
            from,
            to,
            alternate,
            ..
        } => (
            "route",
            format!(
                "#{} routed by {} to {}{}",
                msg.0,
                x(from),
                dest(to),
                if *alternate { " (alternate exchange)" } else { "" }
            ),
        ),
        EventKind::Unroutable { msg, exchange } => (
            "drop",
            format!("#{} matched no binding of {}: unroutable", msg.0, x(exchange)),
        ),
        EventKind::Enqueued { msg, queue } => ("enqueue", format!("#{} is ready in queue '{queue}'", msg.0)),
        EventKind::Delivered {
            msg,
            queue,
            conn,
            consumer_tag,
            delivery_tag,
            redelivered,
            ..
        } => (
            "deliver",
            format!(
                "#{} delivered from '{queue}' to {} (delivery tag {delivery_tag}{})",
                msg.0,
                match consumer_tag {
                    Some(t) => consumer(conn, t),
                    None => format!("{} by basic.get", who(conn)),
                },
                if *redelivered { ", redelivered" } else { "" }
            ),
        ),
        EventKind::GetEmpty { conn, queue, .. } => ("deliver", format!("{} found '{queue}' empty", who(conn))),
        EventKind::Acked {
            msg,
            conn,
            delivery_tag,
            ..
        } => (
            "ack",
            format!("{} acked #{} (delivery tag {delivery_tag})", who(conn), msg.0),
        ),
        EventKind::Nacked {
            msg,
            conn,
            delivery_tag,
            requeue,
            ..
        } => (
            "nack",
            format!(
                "{} refused #{} (delivery tag {delivery_tag}, requeue {requeue})",
                who(conn),
                msg.0
            ),
        ),
        EventKind::Requeued { msg, queue } => ("requeue", format!("#{} is back in queue '{queue}'", msg.0)),
        EventKind::Expired { msg, queue } => ("expire", format!("#{} expired in queue '{queue}'", msg.0)),
        EventKind::Dropped { msg, queue, reason } => (
            "drop",
            format!(
                "#{} dropped from queue '{queue}': {}",
                msg.0,
                match reason {
                    DropReason::MaxLength => "queue full (x-max-length)",
                    DropReason::RejectPublish => "queue full, publish rejected",
                    DropReason::Rejected => "refused without requeue",
                    DropReason::Expired => "expired",
                    DropReason::DeliveryLimit => "delivery limit reached",
                    DropReason::DeadLetterCycle => "dead-letter cycle",
                    DropReason::DeadLetterUnroutable => "the dead-letter exchange routed it nowhere",
                    DropReason::Purged => "purged",
                    DropReason::QueueDeleted => "queue deleted",
                    DropReason::Restart => "lost in the restart (transient)",
                }
            ),
        ),
        EventKind::DeadLettered {
            msg,
            new_msg,
            queue,
            exchange,
            reason,
            ..
        } => (
            "dead-letter",
            format!(
                "#{} dead-lettered from '{queue}' to {} as #{} ({})",
                msg.0,
                x(exchange),
                new_msg.0,
                reason.as_str()
            ),
        ),
        EventKind::Returned {
            msg,
            conn,
            reply_code,
            reply_text,
            ..
        } => (
            "return",
            format!("#{} returned to {}: {reply_code} {reply_text}", msg.0, who(conn)),
        ),
        EventKind::Confirmed { conn, seq, ack, .. } => (
            "confirm",
            format!(
                "{} got a publisher {} for #{seq}",
                who(conn),
                if *ack { "ack" } else { "nack" }
            ),
        ),
        EventKind::ChannelClosed {
            conn,
            ch,
            error: Some(err),
        } => (
            "error",
            format!(
                "{}: channel {ch} closed by the broker: {} {}",
                who(conn),
                err.code,
                err.text
            ),
        ),
        EventKind::ConnectionClosed { conn, error: Some(err) } => (
            "error",
            format!(
                "{}: connection closed by the broker: {} {}",
                who(conn),
                err.code,
                err.text
            ),
        ),
        EventKind::ExchangeDeclared { exchange } => ("topology", format!("{} declared", x(exchange))),
        EventKind::QueueDeclared { queue } => ("topology", format!("queue '{queue}' declared")),
        EventKind::QueueDeleted { queue, why } => ("topology", format!("queue '{queue}' deleted ({why:?})")),
        EventKind::ExchangeDeleted { exchange, .. } => ("topology", format!("{} deleted", x(exchange))),
        EventKind::Bound {
            source, dest: d, key, ..
        } => (
            "topology",
            format!("{} bound to {} with key '{key}'", dest(d), x(source)),
        ),
        EventKind::Unbound {
            source, dest: d, key, ..
        } => (
            "topology",
            format!("{} unbound from {} (key '{key}')", dest(d), x(source)),
        ),
        EventKind::ConsumerAdded {
            conn,
            queue,
            consumer_tag,
            ..
        } => (
            "topology",
            format!("{} subscribed to '{queue}'", consumer(conn, consumer_tag)),
        ),
        EventKind::ConsumerRemoved {
            conn,
            queue,
            consumer_tag,
            ..
        } => ("topology", format!("{} left '{queue}'", consumer(conn, consumer_tag))),
        EventKind::Purged { queue, count } => ("topology", format!("queue '{queue}' purged ({count} messages)")),
        EventKind::Restarted => ("topology", "the broker restarted".to_string()),
        EventKind::ConnectionOpened { .. }
        | EventKind::ConnectionClosed { error: None, .. }
        | EventKind::ChannelOpened { .. }
        | EventKind::ChannelClosed { error: None, .. } => return None,
    })
}

/// A log line for an event in the learner's language (see [`describe`]).
pub fn describe_in(
    lang: crate::i18n::Lang,
    e: &EventKind,
    names: &VecMap<ConnId, String>,
) -> Option<(&'static str, String)> {
    match lang {
        crate::i18n::Lang::En => describe(e, names),
        crate::i18n::Lang::Zh => describe_zh(e, names),
    }
}

/// [`describe`] in Simplified Chinese: the same kinds, the same facts; RabbitMQ's own words
/// (error texts, reasons such as `rejected`) as they are.
fn describe_zh(e: &EventKind, names: &VecMap<ConnId, String>) -> Option<(&'static str, String)> {
    use warren_engine::event::DropReason;
    let who = |c: &ConnId| names.get(c).cloned().unwrap_or_else(|| format!("连接 {}", c.0));
    let consumer = |c: &ConnId, tag: &str| match who(c) {
        n if n == tag => format!("消费者 {tag}"),
        n => format!("{n} 的消费者 {tag}"),
    };
    let x = |s: &str| {
        if s.is_empty() {
            "默认交换机".to_string()
        } else {
            format!("交换机 '{s}'")
        }
    };
    let dest = |d: &Dest| match d {
        Dest::Queue(q) => format!("队列 '{q}'"),
        Dest::Exchange(e) => x(e),
    };
    Some(match e {
        EventKind::Published {
            msg,
            conn,
            exchange,
            message,
            ..
        } => (
            "publish",
            format!(
                "{} 以路由键 '{}' 向{}发布了 #{}：\"{}\"",
                who(conn),
                message.routing_key(),
                x(exchange),
                msg.0,
                message.body_text()
            ),
        ),
        EventKind::Routed {
            msg,
            from,
            to,
            alternate,
            ..
        } => (
            "route",
            format!(
                "#{} 由{}路由到{}{}",
                msg.0,
                x(from),
                dest(to),
                if *alternate { "（备用交换机）" } else { "" }
            ),
        ),
        EventKind::Unroutable { msg, exchange } => {
            ("drop", format!("#{} 不匹配{}的任何绑定：无法路由", msg.0, x(exchange)))
        }
        EventKind::Enqueued { msg, queue } => ("enqueue", format!("#{} 在队列 '{queue}' 中就绪", msg.0)),
        EventKind::Delivered {
            msg,
            queue,
            conn,
            consumer_tag,
            delivery_tag,
            redelivered,
            ..
        } => (
            "deliver",
            format!(
                "#{} 从 '{queue}' 投递给{}（delivery tag {delivery_tag}{}）",
                msg.0,
                match consumer_tag {
                    Some(t) => consumer(conn, t),
                    None => format!(" {}（basic.get）", who(conn)),
                },
                if *redelivered { "，重新投递" } else { "" }
            ),
        ),
        EventKind::GetEmpty { conn, queue, .. } => ("deliver", format!("{} 发现 '{queue}' 是空的", who(conn))),
        EventKind::Acked {
            msg,
            conn,
            delivery_tag,
            ..
        } => (
            "ack",
            format!("{} 确认（ack）了 #{}（delivery tag {delivery_tag}）", who(conn), msg.0),
        ),
        EventKind::Nacked {
            msg,
            conn,
            delivery_tag,
            requeue,
            ..
        } => (
            "nack",
            format!(
                "{} 拒绝了 #{}（delivery tag {delivery_tag}，requeue {requeue}）",
                who(conn),
                msg.0
            ),
        ),
        EventKind::Requeued { msg, queue } => ("requeue", format!("#{} 回到了队列 '{queue}'", msg.0)),
        EventKind::Expired { msg, queue } => ("expire", format!("#{} 在队列 '{queue}' 中过期", msg.0)),
        EventKind::Dropped { msg, queue, reason } => (
            "drop",
            format!(
                "#{} 从队列 '{queue}' 中被丢弃：{}",
                msg.0,
                match reason {
                    DropReason::MaxLength => "队列已满（x-max-length）",
                    DropReason::RejectPublish => "队列已满，发布被拒绝",
                    DropReason::Rejected => "被拒绝且不重新入队",
                    DropReason::Expired => "已过期",
                    DropReason::DeliveryLimit => "达到投递次数上限",
                    DropReason::DeadLetterCycle => "死信循环",
                    DropReason::DeadLetterUnroutable => "死信交换机无处可路由",
                    DropReason::Purged => "已清空（purge）",
                    DropReason::QueueDeleted => "队列已删除",
                    DropReason::Restart => "重启时丢失（非持久化）",
                }
            ),
        ),
        EventKind::DeadLettered {
            msg,
            new_msg,
            queue,
            exchange,
            reason,
            ..
        } => (
            "dead-letter",
            format!(
                "#{} 作为死信从 '{queue}' 发往{}，成为 #{}（{}）",
                msg.0,
                x(exchange),
                new_msg.0,
                reason.as_str()
            ),
        ),
        EventKind::Returned {
            msg,
            conn,
            reply_code,
            reply_text,
            ..
        } => (
            "return",
            format!("#{} 被退回给 {}：{reply_code} {reply_text}", msg.0, who(conn)),
        ),
        EventKind::Confirmed { conn, seq, ack, .. } => (
            "confirm",
            format!(
                "{} 收到 #{seq} 的发布确认 {}",
                who(conn),
                if *ack { "ack" } else { "nack" }
            ),
        ),
        EventKind::ChannelClosed {
            conn,
            ch,
            error: Some(err),
        } => (
            "error",
            format!("{}：信道 {ch} 被 broker 关闭：{} {}", who(conn), err.code, err.text),
        ),
        EventKind::ConnectionClosed { conn, error: Some(err) } => (
            "error",
            format!("{}：连接被 broker 关闭：{} {}", who(conn), err.code, err.text),
        ),
        EventKind::ExchangeDeclared { exchange } => ("topology", format!("已声明{}", x(exchange))),
        EventKind::QueueDeclared { queue } => ("topology", format!("已声明队列 '{queue}'")),
        EventKind::QueueDeleted { queue, why } => ("topology", format!("队列 '{queue}' 已删除（{why:?}）")),
        EventKind::ExchangeDeleted { exchange, .. } => ("topology", format!("{}已删除", x(exchange))),
        EventKind::Bound {
            source, dest: d, key, ..
        } => ("topology", format!("{}以键 '{key}' 绑定到{}", dest(d), x(source))),
        EventKind::Unbound {
            source, dest: d, key, ..
        } => ("topology", format!("{}与{}解除绑定（键 '{key}'）", dest(d), x(source))),
        EventKind::ConsumerAdded {
            conn,
            queue,
            consumer_tag,
            ..
        } => ("topology", format!("{} 订阅了 '{queue}'", consumer(conn, consumer_tag))),
        EventKind::ConsumerRemoved {
            conn,
            queue,
            consumer_tag,
            ..
        } => ("topology", format!("{} 离开了 '{queue}'", consumer(conn, consumer_tag))),
        EventKind::Purged { queue, count } => ("topology", format!("队列 '{queue}' 已清空（{count} 条消息）")),
        EventKind::Restarted => ("topology", "broker 已重启".to_string()),
        EventKind::ConnectionOpened { .. }
        | EventKind::ConnectionClosed { error: None, .. }
        | EventKind::ChannelOpened { .. }
        | EventKind::ChannelClosed { error: None, .. } => return None,
    })
}

/// The message ids an event is about (a dead-lettered message is both its old and new id).
pub fn messages_of(e: &EventKind) -> Vec<MsgId> {
    match e {
        EventKind::Published { msg, .. }
        | EventKind::Routed { msg, .. }
        | EventKind::Unroutable { msg, .. }
        | EventKind::Enqueued { msg, .. }
        | EventKind::Delivered { msg, .. }
        | EventKind::Acked { msg, .. }
        | EventKind::Nacked { msg, .. }
        | EventKind::Requeued { msg, .. }
        | EventKind::Expired { msg, .. }
        | EventKind::Dropped { msg, .. }
        | EventKind::Returned { msg, .. } => vec![*msg],
        EventKind::DeadLettered { msg, new_msg, .. } => vec![*msg, *new_msg],
        _ => Vec::new(),
    }
}

/// A message and the messages that go with it: the same correlation id (an RPC request and its
/// reply), and its dead-lettered copies.
pub fn related(live: &crate::sim::Live, m: MsgId) -> Vec<MsgId> {
    use warren_engine::EventKind;
    let mut out = vec![m];
    let corr = live.timeline.events.iter().find_map(|e| match &e.kind {
        EventKind::Published { msg, message, .. } if *msg == m => message.properties.correlation_id.clone(),
        _ => None,
    });
    for e in &live.timeline.events {
        match &e.kind {
            EventKind::Published { msg, message, .. }
                if corr.is_some() && message.properties.correlation_id == corr && !out.contains(msg) =>
            {
                out.push(*msg)
            }
            EventKind::DeadLettered { msg, new_msg, .. } if out.contains(msg) && !out.contains(new_msg) => {
                out.push(*new_msg)
            }
            _ => {}
        }
    }
    out
}
