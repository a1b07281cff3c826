//! Behaviour: consumers, prefetch and acknowledgements (semantics §7).
//!
//! Each scenario in `tests/scenarios/` reads as what it shows; its golden trace (`NAME.jsonl`) was
//! recorded from a real RabbitMQ 3.10.8 with the reference recorder, so every expected value is the
//! broker's own.
mod common;

// A prefetch window of 3 fills and is freed by acks; `ack(multiple)`, nack and reject with and without
// requeue put messages back at their original positions; double ack is 406; a global prefetch shared
// by two consumers; `ack(0, multiple)`; cancel keeps unacked deliveries ackable.
golden!(acks_prefetch, "acks_prefetch");

// Round-robin in registration order; a higher-priority consumer is preferred until its prefetch is
// full; single active consumer and its hand-over when the active one's channel closes;
// `basic.recover`; exclusive consume and its 403.
golden!(consumers_dispatch, "consumers_dispatch");
