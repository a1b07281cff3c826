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

// A message dead-lettered twice from the same queue for the same reason counts 2 in one x-death entry.
golden!(dlx_count_increments, "dlx_count_increments");

// Dead-lettering through the default exchange with a routing key, and without one (original key kept).
golden!(dlx_default_exchange_and_rk, "dlx_default_exchange_and_rk");

// A dead-letter exchange that does not exist drops the message.
golden!(dlx_missing_exchange_drops, "dlx_missing_exchange_drops");

// Requeued messages go back to the head and can be the ones max-length drops.
golden!(len_drop_head_requeued, "len_drop_head_requeued");

// X-max-length 0 keeps nothing, unless a consumer can take it at once.
golden!(len_zero, "len_zero");
