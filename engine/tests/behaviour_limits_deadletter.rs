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
golden!(dlx_carries_delivery_count, "dlx_carries_delivery_count");

// Dead-lettering through the default exchange with a routing key, and without one (original key kept).
golden!(dlx_default_exchange_and_rk, "dlx_default_exchange_and_rk");

// A dead-letter exchange that does not exist drops the message.
golden!(dlx_missing_exchange_drops, "dlx_missing_exchange_drops");

// Requeued messages go back to the head and can be the ones max-length drops.
golden!(len_drop_head_requeued, "len_drop_head_requeued");

// X-max-length 0 keeps nothing, unless a consumer can take it at once.
golden!(len_zero, "len_zero");

// BCC keys route but never appear in the dead-lettered message's x-death.
golden!(dlx_bcc_not_in_xdeath, "dlx_bcc_not_in_xdeath");

// An expired message is dead-lettered with reason expired and its original expiration.
golden!(dlx_expired_xdeath, "dlx_expired_xdeath");

// Drop-head with a dead-letter exchange dead-letters the oldest with reason maxlen.
golden!(dlx_maxlen_xdeath, "dlx_maxlen_xdeath");

// Nack multiple without requeue dead-letters each message.
golden!(dlx_nack_multiple, "dlx_nack_multiple");

// A byte limit drops as many old messages as it takes.
golden!(len_bytes_drop_several, "len_bytes_drop_several");

// Reject-publish without confirms drops the new message silently.
golden!(len_reject_publish_silent, "len_reject_publish_silent");
