//! The messages in flight as a picture: the pixels are drawn by `warren_dots` (its own crate,
//! compiled for speed in the page's build); this picks each message's colour.

pub use warren_dots::*;

use warren_model::timeline::TripKind;

/// A message's dot colour by what its trip is (the legend's colours).
pub fn colour(kind: TripKind) -> [u8; 3] {
    match kind {
        TripKind::Flow => [0xf2, 0x8c, 0x28],
        TripKind::Requeue => [0x7b, 0x61, 0xff],
        TripKind::DeadLetter => [0x44, 0x44, 0x44],
        TripKind::Return => [0xd6, 0x27, 0x28],
        TripKind::Fall => [0x99, 0x99, 0x99],
        TripKind::Ack => [0x3a, 0xa0, 0x55],
    }
}
