//! Behaviour: queues (semantics §4).
//!
//! Each scenario in `tests/scenarios/` reads as what it shows; its golden trace (`NAME.jsonl`) was
//! recorded from a real RabbitMQ 3.10.8 with the reference recorder, so every expected value is the
//! broker's own.
mod common;

// Every use of an exclusive queue from another connection is 405 except publishing; it goes with its
// connection; an auto-delete queue outlives `basic.get` and goes with its last consumer; a server-
// named queue and the empty-name shortcut.
golden!(queues_exclusive_autodelete, "queues_exclusive_autodelete");

// Quorum queues: declare rules and texts, `x-delivery-count`, requeue to the tail, returns served
// first with `x-delivery-limit`, `delivery_limit` dead-lettering, the exclusive flag ignored, global
// QoS refused with 540.
golden!(quorum_queues, "quorum_queues");
