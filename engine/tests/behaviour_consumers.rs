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

// Ack with multiple to a tag that is not outstanding is 406 and acks nothing.
golden!(ack_multiple_to_missing_tag, "ack_multiple_to_missing_tag");

// Nack with requeue puts messages back at their original positions, redelivered.
golden!(ack_nack_requeue_order, "ack_nack_requeue_order");

// Acking a delivery made in no-ack mode is 406.
golden!(ack_no_ack_delivery, "ack_no_ack_delivery");

// Delivery tags count per channel, shared by deliveries and gets.
golden!(ack_tags_per_channel, "ack_tags_per_channel");

// Cancel keeps a consumer's unacked deliveries; closing the channel requeues them.
golden!(con_cancel_keeps_unacked, "con_cancel_keeps_unacked");

// Basic.qos (per consumer) applies to consumers created after it.
golden!(con_qos_applies_to_later_consumers, "con_qos_applies_to_later_consumers");

// Fair dispatch: with prefetch 1 the busy worker is skipped.
golden!(con_round_robin_prefetch_one, "con_round_robin_prefetch_one");

// Single active consumer hands over to the next registered one on cancel.
golden!(con_sac_handover_on_cancel, "con_sac_handover_on_cancel");

// Ack(0, multiple) with nothing outstanding is fine; ack(0) alone is not.
golden!(ack_all_when_nothing, "ack_all_when_nothing");

// Rejecting the same delivery twice is 406 unknown delivery tag.
golden!(ack_double_reject, "ack_double_reject");

// A delivery can only be acked on its own channel.
golden!(ack_other_channel, "ack_other_channel");

// Closing a channel requeues its unacked messages in each of their queues.
golden!(con_channel_close_two_queues, "con_channel_close_two_queues");

// An exclusive consumer blocks others until it is cancelled.
golden!(con_exclusive_after_cancel, "con_exclusive_after_cancel");

// A per-consumer and a global prefetch apply together.
golden!(con_global_and_per_consumer, "con_global_and_per_consumer");

// Consumer priorities may be negative; the default 0 is preferred over them.
golden!(con_negative_priority, "con_negative_priority");

// Prefetch 0 means no limit.
golden!(con_prefetch_zero_unlimited, "con_prefetch_zero_unlimited");

// A per-consumer basic.qos lifts an earlier global limit; a global one set after it adds to it.
golden!(con_qos_order_matters, "con_qos_order_matters");

// Basic.recover with requeue gives every unacked message back, redelivered.
golden!(con_recover_requeues_all, "con_recover_requeues_all");

// A single-active-consumer queue refuses an exclusive consume, even as its first consumer (403); a
// quorum one ignores the flag and gives a consumer `x-delivery-count` only once a message has been
// returned.
golden!(con_sac_exclusive_refused, "con_sac_exclusive_refused");

// `basic.get` from a quorum queue with single active consumer is refused (405); from a classic one
// it works.
golden!(con_quorum_sac_get_refused, "con_quorum_sac_get_refused");
