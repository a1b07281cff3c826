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

// The effective TTL is the smaller of the queue's and the message's; expiration leaves with dead-
// lettering.
golden!(ttl_message_property_vs_queue, "ttl_message_property_vs_queue");

// TTL 0: a message goes to a consumer that can take it, or expires.
golden!(ttl_zero_with_waiting_consumer, "ttl_zero_with_waiting_consumer");

// Expiration 0 on a message: delivered if a consumer can take it, else gone.
golden!(ttl_expiration_zero, "ttl_expiration_zero");

// Basic.get never returns an expired message.
golden!(ttl_get_skips_expired, "ttl_get_skips_expired");
