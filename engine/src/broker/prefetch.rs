//! Consumer admission (semantics §3.3): `basic.qos` prefetch, per consumer and per channel
//! (`global`), and whether a consumer may take one more message now (`can_send`). RabbitMQ 4.x
//! denies the deprecated feature `global_qos` by default: there `global=true` sets the
//! per-consumer prefetch, and no channel-wide limit exists.

use super::*;

impl Channel {
    /// Room under the channel's global prefetch (`basic.qos(global=true)`).
    pub(super) fn global_room(&self) -> bool {
        self.global_prefetch == 0 || self.limited < self.global_prefetch as u32
    }
}

impl Consumer {
    /// May it take one more message now (`can_send`): its own prefetch, then the channel's
    /// (`global_room`, see [`Channel::global_room`]).
    pub(super) fn can_take(&self, global_room: bool) -> bool {
        self.no_ack || ((self.prefetch == 0 || self.unacked < self.prefetch as u32) && global_room)
    }
}

/// May this consumer take one more message now ([`Consumer::can_take`])?
pub(super) fn can_accept(conns: &VecMap<ConnId, Connection>, k: &ConsumerKey) -> bool {
    let Some(chan) = conns.get(&k.conn).and_then(|c| c.channels.get(&k.ch)) else {
        return false;
    };
    chan.consumers
        .get(&k.tag)
        .is_some_and(|c| c.can_take(chan.global_room()))
}

impl Broker {
    pub(super) fn basic_qos(&mut self, conn: ConnId, ch: u16, size: u32, count: u16, global: bool) -> R<Reply> {
        if size != 0 {
            return Err(AmqpError::not_implemented(format!("prefetch_size!=0 ({size})")));
        }
        // 4.x denies the deprecated feature `global_qos` by default: `global=true` is taken as
        // a per-consumer prefetch (seen on 4.3.6: con_qos_order_matters, acks_prefetch)
        let global = global && !self.four(Difference::GlobalQos);
        let c = self.chan(conn, ch);
        if global {
            c.global_prefetch = count;
        } else {
            // 3.10: a per-consumer qos also lifts the channel-wide limit (`unlimit_prefetch`)
            c.prefetch = count;
            c.global_prefetch = 0;
        }
        self.unblock_channel(conn, ch);
        Ok(Reply::Ok)
    }

    /// Consumers of this channel that were blocked and can now take messages go back into their
    /// queues' rotation, at the back (`rabbit_queue_consumers:unblock/2`).
    pub(super) fn unblock_channel(&mut self, conn: ConnId, ch: u16) {
        let Some(chan) = self.conns.get_mut(&conn).and_then(|c| c.channels.get_mut(&ch)) else {
            return;
        };
        if !chan.may_unblock {
            return;
        }
        let queues = &self.queues;
        let waiting = |c: &Consumer| {
            queues
                .get(&c.queue)
                .is_some_and(|q| !q.blocked.is_empty() || q.cfg.single_active_consumer)
        };
        if !chan.consumers.values().any(waiting) {
            chan.may_unblock = false;
            return;
        }
        let mut queues: Vec<Name> = chan.consumers.values().map(|c| c.queue.clone()).collect();
        crate::sort::heapsort(&mut queues);
        queues.dedup();
        for qn in queues {
            let Some(q) = self.queues.get_mut(&qn) else {
                continue;
            };
            let mut moved = false;
            let mut i = 0;
            while i < q.blocked.len() {
                let k = &q.blocked[i];
                if k.conn == conn && k.ch == ch && can_accept(&self.conns, k) {
                    let k = q.blocked.remove(i);
                    q.activate(k);
                    moved = true;
                } else {
                    i += 1;
                }
            }
            if moved || q.cfg.single_active_consumer {
                self.mark_dirty(&qn);
            }
        }
    }
}
