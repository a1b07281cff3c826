//! Behaviour: a broker restart (semantics §4.6).
//!
//! Each scenario in `tests/scenarios/` reads as what it shows; its golden trace (`NAME.jsonl`) was
//! recorded from a real RabbitMQ 3.10.8 with the reference recorder, so every expected value is the
//! broker's own.
mod common;

// Durable exchanges and queues survive with their bindings; in a durable queue only persistent
// messages survive, a delivered one comes back redelivered; transient ones are gone; a durable auto-
// delete queue that never had a consumer survives.
golden!(restart, "restart");

// After a restart, a persistent message that had been delivered comes back redelivered; the transient
// one is gone.
golden!(rst_requeued_redelivered, "rst_requeued_redelivered");

// After a restart a binding from a durable exchange to a transient queue is gone with the queue.
golden!(rst_transient_binding_lost, "rst_transient_binding_lost");
