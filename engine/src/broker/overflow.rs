//! Length limits (semantics §4.8): `x-max-length` and `x-max-length-bytes` with
//! `x-overflow` `drop-head` (the oldest ready message goes, dead-lettered when it can be);
//! `reject-publish` and `reject-publish-dlx` refuse at the door ([`Broker::enqueue`]).
//!
//! What a message weighs against `x-max-length-bytes`: its body, in a classic queue and in a
//! 3.10 quorum queue. A 4.x quorum queue adds its properties as the client encoded them (4.x
//! `rabbit_fifo` counts `mc:size/1`, metadata and payload: two bytes of property flags for a
//! message without properties), so it reaches its limit, and comes back under 80% of it to
//! unblock publishers, at other moments. A dead letter weighs as it was published: 4.x keeps its
//! deaths as annotations beside the properties the publisher encoded, and the `x-death` headers
//! a consumer sees are written on the way out (seen on 4.3.6: q_quorum_reject_publish_returns,
//! q_quorum_bytes_weigh_properties).

use super::*;

impl Broker {
    /// Whether a queue of `cfg` counts properties with bodies ([`QueueConfig::count_properties`]).
    pub(super) fn counts_properties(&self, cfg: &QueueConfig) -> bool {
        cfg.quorum && cfg.max_length_bytes.is_some() && self.version.four()
    }

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

/// A message comes to a quorum queue with a byte limit: whether it is taken, and when the queue
/// blocks its publishers, depends on the version ([`Difference::QuorumBytes`]; noted in `met`).
#[inline]
pub(super) fn weigh(cfg: &QueueConfig, met: &Met) {
    if cfg.quorum && cfg.max_length_bytes.is_some() {
        met.note(Difference::QuorumBytes);
    }
}
