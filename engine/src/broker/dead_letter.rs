//! Dead-lettering (semantics §4.10): a message that left a queue by rejection, expiry, a length
//! limit or a delivery limit goes to the queue's dead-letter exchange with its `x-death`
//! history ([`crate::deadletter`]), unless that would make a cycle; otherwise it is dropped.

use super::*;

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
        let new = Rc::new(deadletter::make_message(
            &e.msg,
            MsgId(self.next_msg),
            reason,
            &dlx,
            dlrk.as_ref(),
            qname,
            self.now / 1000,
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
            queues.retain(|target| !deadletter::is_cycle(target, &new));
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
        for target in &queues {
            self.enqueue(target, new.clone(), None);
        }
        self.recycle(queues);
    }
}
