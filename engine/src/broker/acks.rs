//! Acknowledgements (semantics §5): `basic.ack`, `basic.nack` and `basic.reject`, single or
//! `multiple`; what a settled delivery frees (the consumer's and the channel's counts), and where
//! a requeued or returned delivery goes back in its queue (a quorum queue's to the returns, with
//! its delivery count and limit); `basic.recover`.

use super::*;

/// The `Acked` event of the delivery `p` on channel `ch` of `conn`.
#[inline(always)]
pub(super) fn acked(conn: ConnId, ch: u16, p: Pending) -> EventKind {
    EventKind::Acked {
        msg: p.entry.msg.id,
        queue: p.queue,
        conn,
        ch,
        delivery_tag: p.tag,
    }
}

/// A delivery `p` is settled or returned: one fewer unacknowledged in its queue, if that queue
/// is still the one it came from.
#[inline]
pub(super) fn release_queue(queues: &mut NameMap<Queue>, p: &Pending) {
    if let Some(q) = queues.get_mut(&p.queue).filter(|q| q.id == p.queue_id) {
        q.settled(p.consumer.is_none());
    }
}

/// How a delivered message comes back to its queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Return {
    /// `basic.nack` with requeue.
    Nack,
    /// `basic.reject` with requeue.
    Reject,
    /// `basic.recover` (requeue).
    Recover,
    /// Its channel or connection closed.
    Closed,
}

impl Return {
    /// RabbitMQ 4.x counts it as a failed delivery (a quorum queue's `x-delivery-count`, towards
    /// the delivery limit; a count a dead letter carries, in every queue): a reject and a closed
    /// channel do; a nack and a recover do not (each adds to `x-acquired-count` only). Seen on 4.3.6 with pika: one message got and returned by a
    /// nack, a reject, a recover, a closed connection, then nacks: `x-delivery-count` 0, 1, 1,
    /// 2, 2, 2…; `x-acquired-count` 1, 2, 3, 4, 5… (`q_quorum_counts`).
    pub(super) fn failed(self) -> bool {
        matches!(self, Return::Reject | Return::Closed)
    }
}

impl Broker {
    /// ack (`requeue: None`), nack or reject (`Some(requeue)`; `reject`: by `basic.reject`),
    /// following `collect_acks`.
    pub(super) fn settle(
        &mut self,
        conn: ConnId,
        ch: u16,
        tag: u64,
        multiple: bool,
        nack: Option<bool>,
        reject: bool,
    ) -> R<()> {
        let c = self.chan(conn, ch);
        let taken: Vec<Pending> = if tag == 0 && multiple {
            c.pending.drain(..).collect()
        } else {
            let at = c.pending.partition_point(|p| p.tag < tag);
            if c.pending.get(at).is_none_or(|p| p.tag != tag) {
                return Err(AmqpError::precondition_failed(format!("unknown delivery tag {tag}")));
            }
            if multiple {
                c.pending.drain(..=at).collect()
            } else {
                // acks come in delivery order most often: the oldest is the front
                let p = if at == 0 {
                    c.pending.pop_front()
                } else {
                    c.pending.remove(at)
                }
                .expect("found");
                if nack.is_none() {
                    // the common case, a single ack: no list to build, the channel at hand
                    c.release(&p);
                    let may_unblock = c.may_unblock;
                    release_queue(&mut self.queues, &p);
                    let now = self.now;
                    push_event(&mut self.events, || Event {
                        at: now,
                        kind: acked(conn, ch, p),
                    });
                    if may_unblock {
                        self.unblock_channel(conn, ch);
                    }
                    return Ok(());
                }
                vec![p]
            }
        };
        let mut requeued: Vec<Name> = Vec::new();
        for p in taken {
            self.release(conn, ch, &p);
            let live = self.queues.get(&p.queue).is_some_and(|q| q.id == p.queue_id);
            match nack {
                None => self.emit(acked(conn, ch, p)),
                Some(requeue) => {
                    self.emit(EventKind::Nacked {
                        msg: p.entry.msg.id,
                        queue: p.queue.clone(),
                        conn,
                        ch,
                        delivery_tag: p.tag,
                        requeue,
                    });
                    if !live {
                        continue;
                    }
                    if requeue {
                        let how = if reject { Return::Reject } else { Return::Nack };
                        if self.return_entry(&p.queue, p.queue_id, p.entry, how) && !requeued.contains(&p.queue) {
                            requeued.push(p.queue.clone());
                        }
                    } else {
                        // 4.x counts a `basic.reject` as a failed delivery, not a `basic.nack`
                        // (`broker/dead_letter.rs`; seen on 4.3.6: dlx_default_exchange_and_rk)
                        let mut e = p.entry;
                        if reject && self.version.four() {
                            e.delivery_count = e.delivery_count.saturating_add(1);
                        }
                        self.dead_letter(&p.queue, e, DeathReason::Rejected, DropReason::Rejected);
                    }
                }
            }
        }
        for q in requeued {
            self.after_requeue(&q);
        }
        self.unblock_channel(conn, ch);
        Ok(())
    }

    /// Bookkeeping when a delivery is settled or returned: counts for the queue and consumer.
    pub(super) fn release(&mut self, conn: ConnId, ch: u16, p: &Pending) {
        release_queue(&mut self.queues, p);
        if p.consumer.is_some() {
            self.chan(conn, ch).release(p);
        }
    }

    pub(super) fn after_requeue(&mut self, q: &Name) {
        self.drop_expired(q);
        self.maybe_drop_head(q);
        self.refresh_timers(q);
        self.mark_dirty(q);
    }

    /// A delivered message comes back to its queue (`requeued`: by nack or reject with requeue or
    /// recover; else because its channel closed): a classic queue puts it at its original
    /// position; a quorum queue counts the delivery and dead-letters it past `x-delivery-limit`,
    /// else takes it back ([`Queue::return_quorum`]). True when the message is ready again.
    pub(super) fn return_entry(&mut self, qname: &Name, queue_id: u64, mut entry: Entry, how: Return) -> bool {
        let requeued = how != Return::Closed;
        let Some(q) = self.queues.get_mut(qname).filter(|q| q.id == queue_id) else {
            return false;
        };
        let id = entry.msg.id;
        // a return counted as a delivery: 3.10's quorum queues count every one; 4.x counts the
        // failed ones in every queue (`x-delivery-count`, what the delivery limit counts; the
        // count a dead letter carries, `broker/dead_letter.rs`): see [`Return::failed`]
        // (what differs shows when the counts are shown: `delivery::shown`)
        let four = self.version.four();
        if if four { how.failed() } else { q.cfg.quorum } {
            entry.delivery_count = entry.delivery_count.saturating_add(1);
        }
        if q.cfg.quorum {
            // 4.x also counts every return as an acquisition (`x-acquired-count`)
            if four {
                entry.acquired_count = entry.acquired_count.saturating_add(1);
            }
            // 4.x gives every quorum queue a delivery limit, 20 unless set (and so serves its
            // returns first)
            let limit = q.cfg.delivery_limit.or_else(|| {
                self.met
                    .rules(self.version)
                    .four(Difference::QuorumDeliveryLimit)
                    .then_some(20)
            });
            if limit.is_some_and(|l| entry.delivery_count as u64 > l) {
                self.dead_letter(qname, entry, DeathReason::DeliveryLimit, DropReason::DeliveryLimit);
                return false;
            }
            // with a delivery limit (in 4.x, always) returns are served first, in the order they
            // came back (seen on 4.3.6: q_quorum_return_placement)
            q.return_quorum(entry, requeued, limit.is_some());
        } else {
            q.requeue(entry);
        }
        self.emit(EventKind::Requeued {
            msg: id,
            queue: qname.clone(),
        });
        true
    }

    /// Return every unacknowledged delivery of a channel to its queue (`basic.recover`).
    pub(super) fn requeue_channel(&mut self, conn: ConnId, ch: u16) {
        let pending: Vec<Pending> = self.chan(conn, ch).pending.drain(..).collect();
        let mut queues: Vec<Name> = Vec::new();
        for p in pending {
            self.release(conn, ch, &p);
            if self.return_entry(&p.queue, p.queue_id, p.entry, Return::Recover) && !queues.contains(&p.queue) {
                queues.push(p.queue);
            }
        }
        for q in queues {
            self.after_requeue(&q);
        }
        self.unblock_channel(conn, ch);
    }
}
