//! Behaviour: exchanges. Each scenario in tests/scenarios/ reads as what it shows; its golden trace
//! (NAME.jsonl) was recorded from a real RabbitMQ 3.10.8, so the expected values are the broker's own.
mod common;

golden!(exchanges_e2e, "exchanges_e2e");
golden!(exchanges_lifecycle, "exchanges_lifecycle");
