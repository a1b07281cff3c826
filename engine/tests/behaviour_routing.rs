//! Behaviour: topic and headers routing, CC/BCC (semantics §3, §5, §6.4).
//!
//! Each scenario in `tests/scenarios/` reads as what it shows; its golden trace (`NAME.jsonl`) was
//! recorded from a real RabbitMQ 3.10.8 with the reference recorder, so every expected value is the
//! broker's own.
mod common;

// `a.#.b` matches `a.b`; `#` matches `""`; `"."` is two empty words for `*.*`; CC adds a routing key
// and BCC too, but BCC is stripped; headers `all`, `any` and `any-with-x`; an unmatched mandatory
// message returns.
golden!(routing_topic_headers, "routing_topic_headers");
