//! Behaviour: time (semantics §4.7, §4.8). Simulated time moves only with `wait`.
//!
//! Each scenario in `tests/scenarios/` reads as what it shows; its golden trace (`NAME.jsonl`) was
//! recorded from a real RabbitMQ 3.10.8 with the reference recorder, so every expected value is the
//! broker's own.
mod common;

// Queue TTL expires and dead-letters; a short per-message TTL behind a long one waits for the head;
// TTL 0 drops unless a consumer waits; `x-expires` is renewed by a declare and deletes an unused
// queue.
golden!(ttl_expiry, "ttl_expiry");
