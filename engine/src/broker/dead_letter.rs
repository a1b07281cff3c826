//! Dead-lettering (semantics §4.10): a message that left a queue by rejection, expiry, a length
//! limit or a delivery limit goes to the queue's dead-letter exchange with its `x-death`
//! history ([`make_message`]), unless that would make a cycle; otherwise it is dropped. RabbitMQ
//! 4.x adds `x-last-death-exchange`, `-queue` and `-reason` beside `x-first-death-*`.
//!
//! In 4.x a dead letter also carries its delivery count (an annotation of the message, beside
//! its deaths): every queue counts the deliveries that failed (a `basic.reject`, with or without
//! requeue, and a channel that closed with it unacked; not a `basic.nack` nor a recover:
//! `rabbit_variable_queue`'s `delivery_count`, `rabbit_fifo`'s header). A queue that takes a dead
//! letter with a count takes the count as its own: the message arrives `redelivered` (from a
//! classic queue once it has waited there: one handed straight to a waiting consumer is new),
//! and in a quorum queue with `x-delivery-count` and `x-acquired-count` both at that count (seen on
//! 4.3.6: dlx_count_increments, dlx_default_exchange_and_rk, q_quorum_bytes_weigh_properties).
//! 3.10 dead-letters a new message.

use super::*;
use crate::event::DeathReason;
use crate::field::{FieldTable, FieldValue, IntType};
use crate::message::{Message, MsgId, Name};
use std::rc::Rc;

impl Broker {
    /// Dead-letter a message that left `qname` (semantics §4.10), or drop it with `otherwise`.
    pub(super) fn dead_letter(&mut self, qname: &Name, e: Entry, reason: DeathReason, otherwise: DropReason) {
        let q = self.queues.get(qname);
        let (dlx, dlrk) = match q {
            Some(q) => (q.cfg.dlx.clone(), q.cfg.dlrk.clone()),
            None => (None, None),
        };
        let Some(dlx) = dlx.filter(|x| self.exchanges.contains_key(x)) else {
            let reason = if q.and_then(|q| q.cfg.dlx.as_ref()).is_some() {
                DropReason::DeadLetterUnroutable
            } else {
                otherwise
            };
            self.emit(EventKind::Dropped {
                msg: e.msg.id,
                queue: qname.clone(),
                reason,
            });
            return;
        };
        self.next_msg += 1;
        let new = Rc::new(make_message(
            &e.msg,
            MsgId(self.next_msg),
            reason,
            (&dlx, dlrk.as_ref()),
            qname,
            self.now / 1000,
            self.rules(),
        ));
        self.emit(EventKind::DeadLettered {
            msg: e.msg.id,
            new_msg: new.id,
            queue: qname.clone(),
            exchange: dlx.clone(),
            reason,
            message: new.clone(),
        });
        let mut queues = self.route(&dlx, &new);
        if reason != DeathReason::Rejected {
            queues.retain(|target| !is_cycle(target, &new));
        }
        if queues.is_empty() {
            self.emit(EventKind::Dropped {
                msg: new.id,
                queue: qname.clone(),
                reason: DropReason::DeadLetterCycle,
            });
            self.recycle(queues);
            return;
        }
        // 4.x: the delivery count goes with it (see the top of this file); 3.10: a new message
        let carried = if e.delivery_count > 0 && self.four(Difference::RejectRedelivered) {
            e.delivery_count
        } else {
            0
        };
        for target in &queues {
            self.enqueue_as(target, new.clone(), None, carried);
        }
        self.recycle(queues);
    }
}

/// `rabbit_dead_letter:make_msg/5`: the message as the dead-letter exchange `dlx` receives it
/// (with the queue's dead-letter routing key `dlrk`, if any).
pub fn make_message(
    msg: &Message,
    id: MsgId,
    reason: DeathReason,
    (dlx, dlrk): (&Name, Option<&Name>),
    queue: &str,
    time_s: u64,
    rules: Rules<'_>,
) -> Message {
    let mut props = (*msg.properties).clone();
    let mut headers = props.headers.take().unwrap_or_default();
    // routing-keys: the publish's key, then the CC keys still in the headers (never BCC)
    let mut rks = vec![FieldValue::Str(msg.routing_keys[0].to_string())];
    if let Some(FieldValue::Array(cc)) = headers.get("CC") {
        rks.extend(cc.iter().filter(|v| v.as_str().is_some()).cloned());
    }
    let mut info = FieldTable::new();
    info.insert("reason".into(), FieldValue::Str(reason.as_str().into()));
    info.insert("queue".into(), FieldValue::Str(queue.into()));
    info.insert("time".into(), FieldValue::Timestamp(time_s));
    info.insert("exchange".into(), FieldValue::Str(msg.exchange.to_string()));
    info.insert("routing-keys".into(), FieldValue::Array(rks));
    if let Some(e) = &props.expiration {
        info.insert("original-expiration".into(), FieldValue::Str(e.clone()));
    }
    update_x_death(&mut headers, info, queue, reason.as_str(), &msg.exchange);
    // 4.x also says where the latest death was (x-last-death-*, overwritten at each death)
    if rules.four(Difference::LastDeath) {
        headers.insert(
            "x-last-death-exchange".into(),
            FieldValue::Str(msg.exchange.to_string()),
        );
        headers.insert("x-last-death-reason".into(), FieldValue::Str(reason.as_str().into()));
        headers.insert("x-last-death-queue".into(), FieldValue::Str(queue.into()));
    }
    let routing_keys = match dlrk {
        Some(k) => {
            // 3.10 drops the CC header with a dead-letter routing key; 4.x keeps it (seen on
            // 4.3.6: limits_deadletter)
            if headers.get("CC").is_some() && !rules.four(Difference::DeadLetterCc) {
                headers.remove("CC");
            }
            Rc::from([k.clone()])
        }
        None => msg.routing_keys.clone(),
    };
    props.headers = Some(headers);
    props.expiration = None;
    // its properties change: 4.x weighs it as published (`broker/overflow.rs`)
    if props.published_len.is_none() && rules.version.four() {
        props.published_len = Some(msg.properties.encoded_len().min(u32::MAX as u64) as u32);
    }
    Message {
        id,
        exchange: dlx.clone(),
        routing_keys,
        properties: Rc::new(props),
        body: msg.body.clone(),
    }
}

fn entry_key<'a>(t: &'a FieldTable, k: &str) -> Option<&'a str> {
    t.get(k).and_then(|v| v.as_str())
}

/// One entry per (queue, reason), most recent first; a repeat death counts up and moves to the
/// front keeping its first values; `x-first-death-*` are set with the first entry only.
fn update_x_death(headers: &mut FieldTable, info: FieldTable, queue: &str, reason: &str, exchange: &str) {
    match headers.get_mut("x-death") {
        Some(FieldValue::Array(entries)) => {
            let pos = entries.iter().position(|e| match e {
                FieldValue::Table(t) => entry_key(t, "queue") == Some(queue) && entry_key(t, "reason") == Some(reason),
                _ => false,
            });
            let entry = match pos {
                Some(i) => {
                    let mut e = entries.remove(i);
                    if let FieldValue::Table(t) = &mut e {
                        let n = t.get("count").and_then(|c| c.as_int()).unwrap_or(0);
                        t.insert("count".into(), FieldValue::Int(IntType::Long, n + 1));
                    }
                    e
                }
                None => {
                    let mut t = info;
                    t.insert("count".into(), FieldValue::Int(IntType::Long, 1));
                    FieldValue::Table(t)
                }
            };
            entries.insert(0, entry);
        }
        _ => {
            let mut t = info;
            t.insert("count".into(), FieldValue::Int(IntType::Long, 1));
            headers.insert("x-death".into(), FieldValue::Array(vec![FieldValue::Table(t)]));
            headers.insert("x-first-death-exchange".into(), FieldValue::Str(exchange.into()));
            headers.insert("x-first-death-reason".into(), FieldValue::Str(reason.into()));
            headers.insert("x-first-death-queue".into(), FieldValue::Str(queue.into()));
        }
    }
}

/// `rabbit_dead_letter:is_cycle/2`: dead-lettering `msg` into `target` would close a loop in which
/// no death was a rejection (only checked for reasons other than `rejected`).
pub fn is_cycle(target: &str, msg: &Message) -> bool {
    let Some(FieldValue::Array(deaths)) = msg.properties.headers.as_ref().and_then(|h| h.get("x-death")) else {
        return false;
    };
    let Some(i) = deaths
        .iter()
        .position(|d| matches!(d, FieldValue::Table(t) if entry_key(t, "queue") == Some(target)))
    else {
        return false;
    };
    deaths[..=i]
        .iter()
        .all(|d| matches!(d, FieldValue::Table(t) if entry_key(t, "reason") != Some("rejected")))
}
