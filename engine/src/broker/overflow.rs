//! Length limits (semantics §4.8): `x-max-length` and `x-max-length-bytes` with
//! `x-overflow` `drop-head` (the oldest ready message goes, dead-lettered when it can be);
//! `reject-publish` and `reject-publish-dlx` refuse at the door ([`Broker::enqueue`]).

use super::*;

impl Broker {
    pub(super) fn maybe_drop_head(&mut self, qname: &Name) {
        loop {
            let Some(q) = self.queues.get_mut(qname) else {
                return;
            };
            if q.cfg.overflow() != Overflow::DropHead || !q.over_limit() {
                return;
            }
            let e = q.pop().expect("over the limit, so not empty");
            self.dead_letter(qname, e, DeathReason::MaxLen, DropReason::MaxLength);
        }
    }
}
