//! Time (semantics §4.7, §4.9): message TTL (`x-message-ttl`, `expiration`), queue expiry
//! (`x-expires`), and the timers that fire them at their exact simulated instants.

use super::*;

/// `rabbit_misc:parse_expiration`: the per-message TTL in ms, or RabbitMQ's reason.
pub(super) fn parse_expiration(e: &str) -> Result<u64, String> {
    let b = e.as_bytes();
    let mut i = 0;
    let neg = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == start {
        return Err("no_integer".into());
    }
    if i < b.len() {
        return Err(format!("{{leftover_string,\"{}\"}}", &e[i..]));
    }
    let digits = &e[start..i];
    if neg {
        return Err(format!(
            "{{value_negative,-{}}}",
            digits.trim_start_matches('0').max("0")
        ));
    }
    Ok(digits.parse::<u64>().unwrap_or(u64::MAX))
}

impl Broker {
    /// Renew the `x-expires` lease of a queue.
    pub(super) fn touch(&mut self, id: u64) {
        let Some(name) = self.queue_by_id.get(&id).cloned() else {
            return;
        };
        if let Some(q) = self.queues.get_mut(&name) {
            q.last_used = self.now;
        }
        self.refresh_timers(&name);
    }

    /// Drop expired messages from the head (semantics §4.7).
    pub(super) fn drop_expired(&mut self, qname: &Name) {
        loop {
            let Some(q) = self.queues.get_mut(qname) else {
                return;
            };
            let now = self.now;
            if q.head().is_none_or(|h| h.expires_at().is_none_or(|t| t > now)) {
                return;
            }
            let e = q.pop().expect("has a head");
            self.emit(EventKind::Expired {
                msg: e.msg.id,
                queue: qname.clone(),
            });
            self.dead_letter(qname, e, DeathReason::Expired, DropReason::Expired);
        }
    }

    /// Let simulated time pass up to `now`, firing TTLs and queue expiry at their instants.
    #[inline]
    pub fn advance(&mut self, now: u64) {
        if self.timers.first().is_some_and(|&(at, ..)| at <= now) {
            self.fire_timers(now);
        }
        self.now = self.now.max(now);
    }

    /// Fire the timers due by `now`, in order.
    pub(super) fn fire_timers(&mut self, now: u64) {
        while let Some(&(at, qid, kind)) = self.timers.first() {
            if at > now {
                break;
            }
            self.timers.pop_first();
            self.now = self.now.max(at);
            let Some(name) = self.queue_by_id.get(&qid).cloned() else {
                continue;
            };
            match kind {
                Timer::Head => {
                    if let Some(q) = self.queues.get_mut(&name) {
                        q.head_timer = None;
                    }
                    self.drop_expired(&name);
                    self.refresh_timers(&name);
                }
                Timer::Lease => {
                    if let Some(q) = self.queues.get_mut(&name) {
                        q.expiry_timer = None;
                        if q.registered.is_empty()
                            && q.cfg.expires.is_some_and(|e| q.last_used.saturating_add(e) <= self.now)
                        {
                            self.delete_queue(&name, QueueGone::Expired);
                            continue;
                        }
                    }
                    self.refresh_timers(&name);
                }
            }
            self.run_dirty();
        }
    }

    /// Keep a queue's timers in step with its head message and its lease.
    pub(super) fn refresh_timers(&mut self, qname: &Name) {
        let Some(q) = self.queues.get_mut(qname) else {
            return;
        };
        let head = q.head().and_then(|h| h.expires_at());
        if head != q.head_timer {
            if let Some(t) = q.head_timer {
                self.timers.remove(&(t, q.id, Timer::Head));
            }
            if let Some(t) = head {
                self.timers.insert((t, q.id, Timer::Head));
            }
            q.head_timer = head;
        }
        let lease = match q.cfg.expires {
            Some(e) if q.registered.is_empty() => Some(q.last_used.saturating_add(e)),
            _ => None,
        };
        if lease != q.expiry_timer {
            if let Some(t) = q.expiry_timer {
                self.timers.remove(&(t, q.id, Timer::Lease));
            }
            if let Some(t) = lease {
                self.timers.insert((t, q.id, Timer::Lease));
            }
            q.expiry_timer = lease;
        }
    }
}
