//! The simulation's agenda: what is due and when, soonest first, ties in the order scheduled.
//!
//! The heap orders small keys (instant, order, slot); what is due stays put in its slot until it
//! is taken. A page's run can have a hundred thousand frames on their way: sifting the heap then
//! moves 24-byte keys, not the frames themselves.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Things due at simulated instants.
#[derive(Debug)]
pub(super) struct Agenda<T> {
    keys: BinaryHeap<Reverse<(u64, u64, u32)>>,
    slots: Vec<Option<T>>,
    /// Slots taken and free again.
    free: Vec<u32>,
    seq: u64,
}

impl<T> Default for Agenda<T> {
    fn default() -> Self {
        Agenda {
            keys: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            seq: 0,
        }
    }
}

impl<T> Agenda<T> {
    /// `t` is due at instant `at`, after everything already due then.
    pub(super) fn push(&mut self, at: u64, t: T) {
        self.seq += 1;
        let slot = match self.free.pop() {
            Some(s) => {
                self.slots[s as usize] = Some(t);
                s
            }
            None => {
                self.slots.push(Some(t));
                (self.slots.len() - 1) as u32
            }
        };
        self.keys.push(Reverse((at, self.seq, slot)));
    }

    /// The instant of the soonest.
    pub(super) fn next_at(&self) -> Option<u64> {
        self.keys.peek().map(|k| k.0 .0)
    }

    /// The soonest, taken off the agenda, with its instant.
    pub(super) fn pop(&mut self) -> Option<(u64, T)> {
        let Reverse((at, _, slot)) = self.keys.pop()?;
        let t = self.slots[slot as usize].take()?;
        self.free.push(slot);
        Some((at, t))
    }

    /// Everything on the agenda, with its instant, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u64, &T)> {
        self.keys
            .iter()
            .filter_map(|k| Some((k.0 .0, self.slots[k.0 .2 as usize].as_ref()?)))
    }
}

#[cfg(test)]
mod tests {
    use super::Agenda;

    #[test]
    fn soonest_first_and_ties_in_the_order_scheduled() {
        let mut a = Agenda::default();
        for (at, what) in [(5, "e"), (1, "a"), (3, "c1"), (3, "c2"), (1, "a2"), (9, "z")] {
            a.push(at, what);
        }
        assert_eq!(a.next_at(), Some(1));
        let mut seen = Vec::new();
        // slots are reused once free: push more while taking
        while let Some((at, w)) = a.pop() {
            if w == "c1" {
                a.push(3, "c3");
                a.push(4, "d");
            }
            seen.push((at, w));
        }
        assert_eq!(
            seen,
            [
                (1, "a"),
                (1, "a2"),
                (3, "c1"),
                (3, "c2"),
                (3, "c3"),
                (4, "d"),
                (5, "e"),
                (9, "z")
            ]
        );
        assert_eq!(a.next_at(), None);
        assert!(a.slots.len() <= 7, "freed slots were used again: {}", a.slots.len());
    }

    #[test]
    fn iter_lists_what_is_due() {
        let mut a = Agenda::default();
        a.push(2, 'x');
        a.push(1, 'y');
        a.pop();
        let mut all: Vec<(u64, char)> = a.iter().map(|(t, c)| (t, *c)).collect();
        all.sort();
        assert_eq!(all, [(2, 'x')]);
    }

    #[test]
    fn what_is_due_stays_small() {
        // a page's run can have a hundred thousand frames on their way: each is one of these
        let size = std::mem::size_of::<Option<super::super::Due>>();
        assert!(size <= 104, "{size} bytes");
    }
}
