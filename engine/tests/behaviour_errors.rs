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
