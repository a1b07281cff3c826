//! A broker restart (semantics §4.6): connections close; durable exchanges, queues and
//! bindings survive, and in them persistent messages (every message, in a quorum queue). In
//! 4.x transient exchanges survive as well (metadata in Khepri).

use super::*;

impl Broker {
    /// Restart the broker (semantics §4.6): connections close; durable exchanges, queues and
    /// bindings between durable ends survive, and in durable queues only persistent messages.
    pub fn restart(&mut self, now: u64) {
        self.close_connections_of(now, None, None);
        let transient: Vec<Name> = self
            .queues
            .values()
            .filter(|q| !q.durable)
            .map(|q| q.name.clone())
            .collect();
        for q in transient {
            self.delete_queue(&q, QueueGone::Restart);
        }
        // 4.x keeps its metadata in Khepri: a transient exchange survives a restart too (seen on
        // 4.3.6: restart), with its bindings to what survives
        let transient = self.exchanges.values().any(|x| !x.durable);
        let four = transient && self.four(Difference::TransientExchanges);
        let xs: Vec<Name> = self
            .exchanges
            .values()
            .filter(|x| !x.durable && !four)
            .map(|x| x.name.clone())
            .collect();
        for x in xs {
            // a restart is not an auto-delete: bindings to durable exchanges from it just vanish
            self.delete_exchange(&x, false);
        }
        let names: Vec<Name> = self.queues.keys().cloned().collect();
        for n in names {
            let q = self.queues.get_mut(&n).expect("listed");
            let kept: Vec<Entry> = q.drain();
            let mut lost = Vec::new();
            for e in kept {
                if e.msg.properties.persistent() || q.cfg.quorum {
                    q.push(e);
                } else {
                    lost.push(e.msg.id);
                }
            }
            q.last_used = self.now;
            for id in lost {
                self.emit(EventKind::Dropped {
                    msg: id,
                    queue: n.clone(),
                    reason: DropReason::Restart,
                });
            }
            self.refresh_timers(&n);
        }
        self.reply_routes.clear();
        self.predeclare();
        self.emit(EventKind::Restarted);
    }
}
