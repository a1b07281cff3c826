//! Delivery (semantics §3, §5): a queue hands its head message to the next consumer that may
//! take one (round-robin, by priority, single active consumer), as RabbitMQ does after every
//! change; `basic.get`; what a delivered message shows (`redelivered`, a quorum queue's
//! `x-delivery-count`).

use super::*;

/// The message as a client receives it from `q`: a quorum queue adds `x-delivery-count` to
/// every `basic.get` (`rabbit_quorum_queue:dequeue/4`), but to a consumer's delivery only once
/// the message has been returned (`rabbit_fifo_client:add_delivery_count_header/2` adds it only
/// when the message's header holds a count, which its first return puts there).
///
/// 4.x (seen on 4.3.6: q_quorum_get_counts_as_consumer, con_sac_exclusive_refused) shows each
/// count once it is above zero, to gets and consumers alike: `x-delivery-count` (returns by a
/// nack or reject with requeue) and `x-acquired-count` (every return).
pub(super) fn shown(q: &Queue, e: &Entry, get: bool, rules: Rules<'_>) -> Rc<Message> {
    if !q.cfg.quorum {
        return e.msg.clone();
    }
    // the versions show the same while nothing came back and it is not a get
    let counted = get || e.delivery_count > 0 || e.acquired_count > 0;
    // a dead letter's count came in with it and nothing acquired it here yet: 4.x shows it as
    // both counts (`rabbit_fifo_client:add_delivery_count_header/2`)
    let acquired_count = if e.acquired_count > 0 {
        e.acquired_count
    } else {
        e.delivery_count
    };
    let (delivery, acquired) = if counted && rules.four(Difference::QuorumCounts) {
        (e.delivery_count > 0, acquired_count > 0)
    } else {
        (get || e.delivery_count > 0, false)
    };
    if !(delivery || acquired) {
        return e.msg.clone();
    }
    let mut m = (*e.msg).clone();
    let headers = Rc::make_mut(&mut m.properties)
        .headers
        .get_or_insert_with(FieldTable::new);
    let long = |n: u16| FieldValue::Int(crate::field::IntType::Long, n as i64);
    if delivery {
        headers.insert("x-delivery-count".into(), long(e.delivery_count));
    }
    if acquired {
        headers.insert("x-acquired-count".into(), long(acquired_count));
    }
    Rc::new(m)
}
/// Deliver the next message of `q` (`entry`, or else the queue's head) to the consumer it goes
/// to (`rabbit_queue_consumers:deliver/3`): the first of the highest priority that can take it,
/// which then moves to the back of its priority; consumers that cannot are set aside as blocked.
/// With single active consumer only the first registered one. The consumer gets a delivery tag
/// on its channel, the delivery is pending until settled (unless auto-ack), and a `Delivered`
/// event says so. False when no consumer can take it (`entry` is left as it was).
pub(super) fn deliver_next(
    q: &mut Queue,
    conns: &mut VecMap<ConnId, Connection>,
    events: &mut Vec<Event>,
    (now, rules): (u64, Rules<'_>),
    entry: &mut Option<Entry>,
) -> bool {
    let single = q.cfg.single_active_consumer;
    loop {
        // the first in line, left in its place until it takes the message or is set aside
        let key = if single {
            q.registered.first().cloned()
        } else {
            q.active.front().cloned()
        };
        let Some(key) = key else {
            return false;
        };
        // `can_accept`, keeping the channel and consumer for the delivery
        let Some(chan) = conns.get_mut(&key.conn).and_then(|c| c.channels.get_mut(&key.ch)) else {
            if single {
                return false;
            }
            q.block_front();
            continue;
        };
        let room = chan.global_room();
        let consumer = chan.consumers.get_mut(&key.tag).filter(|c| c.can_take(room));
        let Some(consumer) = consumer else {
            if single {
                return false;
            }
            chan.may_unblock = true;
            q.block_front();
            continue;
        };
        let Some(mut e) = entry.take().or_else(|| q.pop()) else {
            return false;
        };
        if !single {
            q.rotate_front();
        }
        let tag = chan.next_tag;
        chan.next_tag += 1;
        let redelivered = e.delivered;
        let auto_ack = consumer.no_ack;
        let msg = shown(q, &e, false, rules);
        if !auto_ack {
            consumer.unacked += 1;
            chan.limited += 1;
            q.unacked += 1;
            e.delivered = true;
            chan.pending.push_back(Pending {
                tag,
                queue: q.name.clone(),
                queue_id: q.id,
                entry: e,
                consumer: Some(key.tag.clone()),
            });
        }
        let queue = q.name.clone();
        push_event(events, || Event {
            at: now,
            kind: EventKind::Delivered {
                msg: msg.id,
                queue,
                conn: key.conn,
                ch: key.ch,
                consumer_tag: Some(key.tag),
                delivery_tag: tag,
                redelivered,
                auto_ack,
                message: msg,
                message_count: None,
            },
        });
        return true;
    }
}

impl Broker {
    pub(super) fn mark_dirty(&mut self, q: &Name) {
        if !self.dirty.contains(q) {
            self.dirty.push(q.clone());
        }
    }

    /// Deliver what can be delivered, queue by queue, until nothing moves.
    #[inline(always)]
    pub(super) fn run_dirty(&mut self) {
        if !self.dirty.is_empty() {
            self.dispatch_dirty();
        }
    }

    pub(super) fn dispatch_dirty(&mut self) {
        while !self.dirty.is_empty() {
            let q = self.dirty.remove(0);
            self.dispatch(&q);
        }
    }

    pub(super) fn dispatch(&mut self, qname: &Name) {
        loop {
            self.drop_expired(qname);
            let Some(q) = self.queues.get_mut(qname) else {
                return;
            };
            if q.is_empty() {
                break;
            }
            if !deliver_next(
                q,
                &mut self.conns,
                &mut self.events,
                (self.now, self.met.rules(self.version)),
                &mut None,
            ) {
                break;
            }
        }
        self.refresh_timers(qname);
    }

    pub(super) fn basic_get(&mut self, conn: ConnId, ch: u16, qname: &Name, no_ack: bool) -> R<Reply> {
        self.lookup_queue(conn, qname)?;
        let q = &self.queues[qname];
        if q.cfg.quorum && q.cfg.single_active_consumer {
            // rabbit_quorum_queue:basic_get/5 (4.x prints the queue type as an Erlang binary)
            let kind = if self.four(Difference::QuorumGetText) {
                "<<\"quorum\">>"
            } else {
                "quorum"
            };
            return Err(AmqpError::resource_locked(format!(
                "cannot obtain access to locked {}. basic.get operations are not supported by {kind} queues with single active consumer",
                self.rs_queue(qname)
            )));
        }
        let id = q.id;
        self.touch(id);
        self.drop_expired(qname);
        let q = self.queues.get_mut(qname).expect("checked");
        let Some(mut e) = q.pop() else {
            self.emit(EventKind::GetEmpty {
                conn,
                ch,
                queue: qname.clone(),
            });
            return Ok(Reply::GetEmpty);
        };
        // get-ok's message_count is taken after expired messages at the new head are dropped
        self.drop_expired(qname);
        let q = self.queues.get_mut(qname).expect("checked");
        let message_count = q.len();
        let chan = self
            .conns
            .get_mut(&conn)
            .and_then(|c| c.channels.get_mut(&ch))
            .expect("open");
        let tag = chan.next_tag;
        chan.next_tag += 1;
        let redelivered = e.delivered;
        let msg = shown(q, &e, true, self.met.rules(self.version));
        if !no_ack {
            q.unacked += 1;
            if q.cfg.quorum {
                q.unsettled_gets += 1;
            }
            e.delivered = true;
            chan.pending.push_back(Pending {
                tag,
                queue: qname.clone(),
                queue_id: q.id,
                entry: e,
                consumer: None,
            });
        }
        self.emit(EventKind::Delivered {
            msg: msg.id,
            queue: qname.clone(),
            conn,
            ch,
            consumer_tag: None,
            delivery_tag: tag,
            redelivered,
            auto_ack: no_ack,
            message: msg.clone(),
            message_count: Some(u32::try_from(message_count).unwrap_or(u32::MAX)),
        });
        self.refresh_timers(qname);
        Ok(Reply::GetOk {
            delivery_tag: tag,
            redelivered,
            message_count,
            message: msg,
        })
    }
}
