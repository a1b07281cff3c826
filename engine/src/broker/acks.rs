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

impl Broker {
    /// ack (`requeue: None`), nack or reject (`Some(requeue)`), following `collect_acks`.
    pub(super) fn settle(&mut self, conn: ConnId, ch: u16, tag: u64, multiple: bool, nack: Option<bool>) -> R<()> {
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
                        if self.return_entry(&p.queue, p.queue_id, p.entry, true) && !requeued.contains(&p.queue) {
                            requeued.push(p.queue.clone());
                        }
                    } else {
                        self.dead_letter(&p.queue, p.entry, DeathReason::Rejected, DropReason::Rejected);
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
    pub(super) fn return_entry(&mut self, qname: &Name, queue_id: u64, mut entry: Entry, requeued: bool) -> bool {
        let Some(q) = self.queues.get_mut(qname).filter(|q| q.id == queue_id) else {
            return false;
        };
        let id = entry.msg.id;
        if q.cfg.quorum {
            entry.delivery_count += 1;
            if q.cfg.delivery_limit.is_some_and(|l| entry.delivery_count as u64 > l) {
                self.dead_letter(qname, entry, DeathReason::DeliveryLimit, DropReason::DeliveryLimit);
                return false;
            }
            q.return_quorum(entry, requeued);
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
            if self.return_entry(&p.queue, p.queue_id, p.entry, true) && !queues.contains(&p.queue) {
                queues.push(p.queue);
            }
        }
        for q in queues {
            self.after_requeue(&q);
        }
        self.unblock_channel(conn, ch);
    }
}
