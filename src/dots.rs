//! The messages in flight as a picture: the pixels are drawn by `warren_dots` (its own crate,
//! compiled for speed in the page's build); this picks each message's colour.

pub use warren_dots::*;

use warren_model::timeline::TripKind;

/// A message's dot colour by what its trip is (the legend's colours: Okabe and Ito's palette,
/// which viewers with any common colour-vision deficiency tell apart; each kind has its own
/// shape as well, [`shape`]).
pub fn colour(kind: TripKind) -> [u8; 3] {
    match kind {
        TripKind::Flow => [0xe6, 0x9f, 0x00],
        TripKind::Requeue => [0x00, 0x72, 0xb2],
        TripKind::DeadLetter => [0x22, 0x22, 0x22],
        TripKind::Return => [0xd5, 0x5e, 0x00],
        TripKind::Fall => [0x99, 0x99, 0x99],
        TripKind::Ack => [0x00, 0x9e, 0x73],
    }
}

/// A message's dot shape by what its trip is.
pub fn shape(kind: TripKind) -> Shape {
    match kind {
        TripKind::Flow => Shape::Disc,
        TripKind::Ack => Shape::Diamond,
        TripKind::Requeue => Shape::Square,
        TripKind::DeadLetter => Shape::Triangle,
        TripKind::Return => Shape::Ring,
        TripKind::Fall => Shape::Disc,
    }
}

/// The legend: each kind of trip, in the order a message meets them, with its words.
pub const LEGEND: &[(TripKind, &str)] = &[
    (TripKind::Flow, "a message on its way"),
    (TripKind::Ack, "an ack (or nack) to the broker"),
    (TripKind::Requeue, "requeued"),
    (TripKind::DeadLetter, "dead-lettered"),
    (TripKind::Return, "returned to its publisher"),
    (TripKind::Fall, "unroutable or dropped"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_look_and_its_words_in_both_languages() {
        let kinds = [
            TripKind::Flow,
            TripKind::Ack,
            TripKind::Requeue,
            TripKind::DeadLetter,
            TripKind::Return,
            TripKind::Fall,
        ];
        for (i, a) in kinds.iter().enumerate() {
            assert!(LEGEND.iter().any(|(k, _)| k == a), "{a:?} in the legend");
            for b in &kinds[i + 1..] {
                assert!(
                    (colour(*a), shape(*a)) != (colour(*b), shape(*b)),
                    "{a:?} and {b:?} look alike"
                );
            }
        }
        for (_, words) in LEGEND {
            assert!(warren_model::i18n::translated(words), "{words} has its Chinese");
        }
    }
}
