//! Behaviour: errors (semantics §1).
//!
//! Each scenario in `tests/scenarios/` reads as what it shows; its golden trace (`NAME.jsonl`) was
//! recorded from a real RabbitMQ 3.10.8 with the reference recorder, so every expected value is the
//! broker's own.
mod common;

// A channel error closes one channel and a connection error (503 unknown exchange type, 530 consumer
// tag reuse) the connection; unknown arguments are ignored for equivalence; `if_unused`, `if_empty`;
// acks on the wrong channel or of an auto-acked get are 406.
golden!(errors_channels, "errors_channels");

// A connection error closes every channel of the connection; exclusive queues go.
golden!(
    err_connection_error_kills_channels,
    "err_connection_error_kills_channels"
);

// The same consumer tag on two channels of one connection is fine.
golden!(
    err_consumer_tag_reuse_other_channel,
    "err_consumer_tag_reuse_other_channel"
);

// Passive declares of missing things are 404 channel errors; other channels keep working.
golden!(err_passive_exchange_missing, "err_passive_exchange_missing");

// Basic.recover without requeue is not implemented: a connection error.
golden!(err_recover_no_requeue, "err_recover_no_requeue");

// An unknown exchange type is a connection error: the connection's other channels close too.
golden!(err_unknown_type_closes_connection, "err_unknown_type_closes_connection");
