//! Behaviour: length limits and dead-lettering (semantics §4.9, §4.10).
//!
//! Each scenario in `tests/scenarios/` reads as what it shows; its golden trace (`NAME.jsonl`) was
//! recorded from a real RabbitMQ 3.10.8 with the reference recorder, so every expected value is the
//! broker's own.
mod common;

// drop-head dead-letters the oldest with `maxlen`; reject-publish nacks the publisher while another
// queue keeps its copy; the byte limit; `x-death` with `original-expiration` and the CC keys, CC
// removed with a dead-letter routing key; a reject ping-pong continues while a TTL loop to itself is
// dropped.
golden!(limits_deadletter, "limits_deadletter");
