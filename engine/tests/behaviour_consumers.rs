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
