//! Purging and deleting queues (semantics §4.5): `queue.purge`, `queue.delete` (`if-unused`,
//! `if-empty`, refused by quorum queues), and the same from rabbitmqctl.

use super::*;

/// Why `queue.delete` / `rabbitmqctl delete_queue` with `if_unused` / `if_empty` refuses to
/// delete `q` (`not empty` is checked first), if it does.
pub(super) fn delete_refused(q: &Queue, if_unused: bool, if_empty: bool) -> Option<&'static str> {
    if if_empty && !q.is_empty() {
        Some("not empty")
    } else if if_unused && q.consumer_count() > 0 {
        Some("in use")
    } else {
        None
    }
}

/// What `rabbitmqctl delete_queue` says of a queue that is not there.
pub fn not_found_for_ctl(four: bool) -> &'static str {
    if four {
        "No such queue was found"
    } else {
        "Queue not found"
    }
}

impl Broker {
    pub(super) fn queue_purge(&mut self, conn: ConnId, name: &Name) -> R<Reply> {
        self.lookup_queue(conn, name)?;
        let count = self.purge(name);
        Ok(Reply::PurgeOk { message_count: count })
    }

    /// `rabbitmqctl purge_queue`: the operator empties a queue (no permission or exclusivity
    /// check). `None` if there is no such queue.
    pub fn purge_queue(&mut self, now: u64, name: &str) -> Option<u64> {
        self.advance(now);
        let name = self.queues.get(name)?.name.clone();
        let n = self.purge(&name);
        self.run_dirty();
        Some(n)
    }

    /// `rabbitmqctl delete_queue [--if-empty] [--if-unused]`: the ready messages it had, or
    /// rabbitmqctl's exit status and reason. 3.10: 64, `Queue not found`, `Queue is not empty`,
    /// `Queue is in use`; 4.x (seen on 4.3.6: ctl_queue_commands): 64, `No such queue was
    /// found`, and 69 with the AMQP error as Elixir prints it.
    pub fn delete_queue_now(
        &mut self,
        now: u64,
        name: &str,
        if_unused: bool,
        if_empty: bool,
    ) -> Result<u64, (i32, String)> {
        self.advance(now);
        let Some(q) = self.queues.get(name) else {
            return Err((64, not_found_for_ctl(self.four(Difference::CtlQueues)).into()));
        };
        if let Some(why) = delete_refused(q, if_unused, if_empty) {
            return Err(if self.four(Difference::CtlQueues) {
                (
                    69,
                    format!(
                        "{{:amqp_error, :precondition_failed, ~c\"{} {why}\", :none}}",
                        self.rs_queue(name)
                    ),
                )
            } else {
                (64, format!("Queue is {why}"))
            });
        }
        let name = q.name.clone();
        let n = self.delete_queue(&name, QueueGone::Deleted);
        self.run_dirty();
        Ok(n)
    }

    pub(super) fn purge(&mut self, name: &Name) -> u64 {
        let q = self.queues.get_mut(name).expect("checked");
        let gone = q.drain();
        let count = gone.len() as u64;
        for e in gone {
            self.emit(EventKind::Dropped {
                msg: e.msg.id,
                queue: name.clone(),
                reason: DropReason::Purged,
            });
        }
        self.emit(EventKind::Purged {
            queue: name.clone(),
            count,
        });
        self.refresh_timers(name);
        count
    }

    pub(super) fn queue_delete(&mut self, conn: ConnId, name: &Name, if_unused: bool, if_empty: bool) -> R<Reply> {
        let Some(q) = self.queues.get(name) else {
            return Ok(Reply::DeleteOk { message_count: 0 });
        };
        self.check_exclusive(conn, name)?;
        if q.cfg.quorum && (if_unused || if_empty) {
            // rabbit_quorum_queue:delete/4: the flags are refused, if-unused first
            let flag = if if_unused { "if-unused" } else { "if-empty" };
            return Err(AmqpError::not_implemented(format!(
                "cannot delete {}. queue.delete operations with {flag} flag set are not supported by quorum queues",
                self.rs_queue(name)
            )));
        }
        if let Some(why) = delete_refused(q, if_unused, if_empty) {
            return Err(AmqpError::precondition_failed(format!("{} {why}", self.rs_queue(name))));
        }
        let count = self.delete_queue(name, QueueGone::Deleted);
        Ok(Reply::DeleteOk { message_count: count })
    }

    /// Delete a queue: its consumers are cancelled, its ready messages dropped, its bindings removed.
    pub(super) fn delete_queue(&mut self, name: &Name, why: QueueGone) -> u64 {
        let Some(mut q) = self.queues.remove(name) else {
            return 0;
        };
        self.queue_by_id.remove(&q.id);
        for c in q.registered.clone() {
            if let Some(chan) = self.conns.get_mut(&c.conn).and_then(|x| x.channels.get_mut(&c.ch)) {
                chan.consumers.remove(&c.tag);
            }
            self.emit(EventKind::ConsumerRemoved {
                conn: c.conn,
                ch: c.ch,
                queue: name.clone(),
                consumer_tag: c.tag.clone(),
            });
        }
        let gone = q.drain();
        let count = gone.len() as u64;
        let reason = if why == QueueGone::Restart {
            DropReason::Restart
        } else {
            DropReason::QueueDeleted
        };
        for e in gone {
            self.emit(EventKind::Dropped {
                msg: e.msg.id,
                queue: name.clone(),
                reason,
            });
        }
        if let Some(t) = q.head_timer {
            self.timers.remove(&(t, q.id, Timer::Head));
        }
        if let Some(t) = q.expiry_timer {
            self.timers.remove(&(t, q.id, Timer::Lease));
        }
        self.emit(EventKind::QueueDeleted {
            queue: name.clone(),
            why,
        });
        self.remove_incoming(&Dest::Queue(name.clone()));
        count
    }
}
